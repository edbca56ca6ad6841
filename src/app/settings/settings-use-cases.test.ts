import { DEFAULT_POLICY_CONFIG } from '../delivery/evaluate-delivery';
import { readPolicySettings } from './read-policy-settings';
import { SaveDeliveryPolicy } from './save-delivery-policy';
import { SavePilotSettings } from './save-pilot-settings';
import { SaveRoles } from './save-roles';
import { SaveRouting } from './save-routing';
import { DEFAULT_DELIVERY_POLICY, type DeliveryPolicyConfig } from '../../domain/delivery/policy';
import {
  defaultPilot,
  type ConversationRouteView,
  type PilotSettingsView,
  type RoleAssignmentInput,
  type RoleAssignmentView,
  type RouteSeverityFloor,
  type SettingsRefusal,
  type StoredPolicyVersion,
} from './settings-views';
import type { TabSettings } from './tab-settings.port';
import type { AuditEntryInput, AuditTrail } from '../ports/audit.port';
import type { PilotScope } from '../../domain/shared/pilot';

/** One tenant's settings in memory; policy versions are shared with `savePolicy`. */
class InMemoryTabSettings implements TabSettings {
  policies: { version: number; config: DeliveryPolicyConfig; by: string }[] = [];
  routeList: ConversationRouteView[] = [];
  roleList: RoleAssignmentView[] = [];
  pilotSettings: PilotSettingsView = defaultPilot();

  async policy(_tenantId: string): Promise<StoredPolicyVersion> {
    const last = this.policies.at(-1);
    if (!last) return { version: null, config: null, updatedAt: null, updatedBy: null };
    return {
      version: last.version,
      config: last.config,
      updatedAt: '2026-01-05T09:00:00.000Z',
      updatedBy: last.by,
    };
  }

  async savePolicy(config: DeliveryPolicyConfig, by: string): Promise<number> {
    const version = this.policies.length + 1;
    this.policies.push({ version, config, by });
    return version;
  }

  async routes(_tenantId: string): Promise<ConversationRouteView[]> {
    return [...this.routeList];
  }

  async deleteRoutes(_tenantId: string, ids: readonly string[]): Promise<number> {
    const before = this.routeList.length;
    this.routeList = this.routeList.filter((r) => !ids.includes(r.id));
    return before - this.routeList.length;
  }

  async setSeverityFloors(
    _tenantId: string,
    floors: readonly RouteSeverityFloor[],
  ): Promise<string[]> {
    const changed: string[] = [];
    this.routeList = this.routeList.map((r) => {
      const floor = floors.find((f) => f.id === r.id);
      if (!floor || floor.severityFloor === r.severityFloor) return r;
      changed.push(r.id);
      return { ...r, severityFloor: floor.severityFloor };
    });
    return changed;
  }

  async roles(_tenantId: string): Promise<RoleAssignmentView[]> {
    return [...this.roleList];
  }

  async replaceRoles(_tenantId: string, items: readonly RoleAssignmentInput[]): Promise<void> {
    this.roleList = items.map((i, n) => ({ id: String(n + 1), ...i }));
  }

  async pilot(_tenantId: string): Promise<PilotSettingsView> {
    return this.pilotSettings;
  }

  async savePilot(
    _tenantId: string,
    pilot: PilotScope,
    baseVersion: number | null,
    by: string,
  ): Promise<{ ok: true; settings: PilotSettingsView } | SettingsRefusal> {
    if (baseVersion !== null && baseVersion !== this.pilotSettings.version) {
      return { ok: false, code: 'version-conflict', message: 'changed meanwhile' };
    }
    this.pilotSettings = {
      ...pilot,
      version: this.pilotSettings.version + 1,
      updatedAt: '2026-01-05T09:00:00.000Z',
      updatedBy: by,
    };
    return { ok: true, settings: this.pilotSettings };
  }
}

const TENANT = 't1';

describe('readPolicySettings', () => {
  test('shows the built-in default with no version until a policy is saved', async () => {
    const settings = new InMemoryTabSettings();
    expect(await readPolicySettings(settings, TENANT)).toEqual({
      version: null,
      config: DEFAULT_POLICY_CONFIG,
      updatedAt: null,
      updatedBy: null,
    });
  });
});

describe('SaveDeliveryPolicy', () => {
  const valid: DeliveryPolicyConfig = {
    default: { ...DEFAULT_DELIVERY_POLICY, persistenceDays: 3 },
    byProjectType: {},
    byClient: {},
  };

  test('saves a valid policy edited from the current version and answers it', async () => {
    const settings = new InMemoryTabSettings();
    const save = new SaveDeliveryPolicy(settings, () => settings);
    const outcome = await save.run(TENANT, valid, null, 'admin@msp.example');
    expect(outcome).toMatchObject({
      ok: true,
      settings: { version: 1, updatedBy: 'admin@msp.example' },
    });
    expect(settings.policies).toHaveLength(1);
  });

  test('refuses an edit started from an older version, saving nothing', async () => {
    const settings = new InMemoryTabSettings();
    await settings.savePolicy(valid, 'someone');
    const outcome = await new SaveDeliveryPolicy(settings, () => settings).run(
      TENANT,
      valid,
      0,
      'me',
    );
    expect(outcome).toEqual({
      ok: false,
      code: 'version-conflict',
      message: 'The policy changed meanwhile (now version 1); reload and try again.',
    });
    expect(settings.policies).toHaveLength(1);
  });

  test('refuses an invalid policy with its problems, saving nothing', async () => {
    const settings = new InMemoryTabSettings();
    const invalid: DeliveryPolicyConfig = {
      ...valid,
      default: { ...valid.default, burn: { amber: 0.5, red: 0.1, backToGreen: 0 } },
    };
    const outcome = await new SaveDeliveryPolicy(settings, () => settings).run(
      TENANT,
      invalid,
      null,
      'me',
    );
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.code).toBe('invalid-policy');
    expect(outcome).toHaveProperty(
      'problems',
      expect.arrayContaining([expect.stringContaining('burn')]),
    );
    expect(settings.policies).toHaveLength(0);
  });
});

describe('SaveRouting', () => {
  test('removes the named routes and answers the ones left', async () => {
    const settings = new InMemoryTabSettings();
    const route = (id: string) => ({
      id,
      stream: 'escalations' as const,
      client: null,
      conversationId: `19:${id}@thread`,
      conversationName: null,
      createdBy: null,
      createdAt: '2026-01-01T00:00:00.000Z',
      severityFloor: null,
    });
    settings.routeList = [route('1'), route('2'), route('3')];
    const left = await new SaveRouting(settings).run(TENANT, { remove: ['2', '99'], floors: [] });
    expect(left.map((r) => r.id)).toEqual(['1', '3']);
  });

  test('sets severity floors and records every change, with who made it, on the audit trail', async () => {
    const settings = new InMemoryTabSettings();
    settings.routeList = ['1', '2'].map((id) => ({
      id,
      stream: 'escalations' as const,
      client: null,
      conversationId: `19:${id}@thread`,
      conversationName: null,
      createdBy: null,
      createdAt: '2026-01-01T00:00:00.000Z',
      severityFloor: null,
    }));
    const entries: AuditEntryInput[] = [];
    const audit: AuditTrail = {
      append: async (input) => {
        entries.push(input);
        return {
          tenantId: TENANT,
          seq: entries.length,
          at: '2026-01-05T09:00:00.000Z',
          ...input,
          detail: input.detail ?? {},
          prevHash: '',
          hash: '',
        };
      },
      timeline: async () => [],
      timelineOf: async () => [],
    };
    const admin = { aadObjectId: 'aad-admin', email: 'admin@msp.example', name: 'Alex' };

    const left = await new SaveRouting(settings, audit).run(
      TENANT,
      {
        remove: ['2'],
        floors: [
          { id: '1', severityFloor: 'high' },
          { id: '2', severityFloor: 'low' },
          { id: '99', severityFloor: 'low' },
        ],
      },
      admin,
    );

    expect(left.map((r) => [r.id, r.severityFloor])).toEqual([['1', 'high']]);
    expect(entries.map((e) => [e.action, e.subjectId, e.detail, e.actor])).toEqual([
      ['routing.removed', '2', { stream: 'escalations', clientId: null }, admin],
      ['routing.severity-floor', '1', { stream: 'escalations', from: null, to: 'high' }, admin],
    ]);
  });
});

describe('SaveRoles', () => {
  test('refuses a role list without an admin and keeps the old one', async () => {
    const settings = new InMemoryTabSettings();
    await settings.replaceRoles(TENANT, [{ aadObjectId: 'a', email: null, role: 'admin' }]);
    const outcome = await new SaveRoles(settings).run(TENANT, [
      { aadObjectId: 'b', email: null, role: 'pm' },
    ]);
    expect(outcome).toEqual({
      ok: false,
      code: 'last-admin',
      message: 'Keep at least one admin, or nobody could change the settings again.',
    });
    expect(settings.roleList.map((r) => r.role)).toEqual(['admin']);
  });

  test('replaces the list when an admin remains and answers it as stored', async () => {
    const settings = new InMemoryTabSettings();
    const outcome = await new SaveRoles(settings).run(TENANT, [
      { aadObjectId: 'a', email: null, role: 'admin' },
      { aadObjectId: null, email: 'pm@msp.example', role: 'pm' },
    ]);
    expect(outcome).toEqual({
      ok: true,
      items: [
        { id: '1', aadObjectId: 'a', email: null, role: 'admin' },
        { id: '2', aadObjectId: null, email: 'pm@msp.example', role: 'pm' },
      ],
    });
  });
});

describe('SavePilotSettings', () => {
  const scope = {
    scopeEnabled: true,
    clientIds: [5],
    projectIds: [],
    shadowMode: false,
    automations: { escalations: true, weeklyReport: false, gates: true, renewals: true },
  };

  test('saves the scope as the next version', async () => {
    const settings = new InMemoryTabSettings();
    const outcome = await new SavePilotSettings(settings).run(TENANT, scope, 0, 'me');
    expect(outcome).toMatchObject({
      ok: true,
      settings: { ...scope, version: 1, updatedBy: 'me' },
    });
  });

  test('passes on a version conflict as a refusal', async () => {
    const settings = new InMemoryTabSettings();
    const outcome = await new SavePilotSettings(settings).run(TENANT, scope, 7, 'me');
    expect(outcome).toMatchObject({ ok: false, code: 'version-conflict' });
    expect(settings.pilotSettings.version).toBe(0);
  });
});
