/**
 * The tenant's pilot settings (tab → Settings → Pilot) hold in the notification path: an escalation
 * decision writes an outbox row only when escalations are on, not in shadow mode, and in scope.
 */
import type { Escalation, EscalationDecision } from '../../src/domain/delivery/escalation';
import { escalationNotifier } from '../../src/notifications/escalation-notifier';
import { SqlEscalationRecords } from '../../src/store/escalation-records.repository';
import type { PilotSettingsDto } from '../../src/api/dto';
import { defaultPilot } from '../../src/app/settings/settings-views';
import { pilotVerdict, type PilotVerdict } from '../../src/domain/shared/pilot';
import { SqlTabSettings } from '../../src/store/tab-settings.repository';
import { testDatabases, type TestDatabaseHandle } from '../support/databases';
import { anEscalation } from '../support/escalations';

const TENANT = 'pilot-tenant';
const NOW = new Date('2026-11-23T09:00:00Z');

function decision(id: string, clientId: string, projectId: string): EscalationDecision {
  const escalation: Escalation = anEscalation({
    id,
    projectId,
    clientId,
    openedAt: NOW.toISOString(),
    ownerAgentId: null,
    lastValue: 0.3,
    lastScore: 40,
  });

  return {
    kind: 'open',
    escalation,
    shadow: false,
    reason: 'burn red for 3 working days',
    notification: {} as EscalationDecision['notification'],
  };
}

describe('pilotVerdict', () => {
  const base = defaultPilot();
  test.each([
    ['everything on, no allow-list', base, 'post'],
    [
      'escalations switched off',
      { ...base, automations: { ...base.automations, escalations: false } },
      'off',
    ],
    ['shadow mode', { ...base, shadowMode: true }, 'shadow'],
    [
      'allow-list without the client or project',
      { ...base, scopeEnabled: true, clientIds: [9] },
      'out-of-scope',
    ],
    ['allow-list with the client', { ...base, scopeEnabled: true, clientIds: [5] }, 'post'],
    ['allow-list with the project', { ...base, scopeEnabled: true, projectIds: [50] }, 'post'],
  ] satisfies [string, PilotSettingsDto, PilotVerdict][])('%s', (_name, pilot, expected) => {
    expect(pilotVerdict(pilot, 'escalations', { clientId: 5, projectId: 50 })).toBe(expected);
  });
});

describe.each(testDatabases())('pilot settings in the escalation notifier ($name)', (database) => {
  let handle: TestDatabaseHandle;
  const logged: object[] = [];

  beforeAll(async () => {
    handle = await database.open();
  });
  afterAll(async () => {
    await handle.dispose();
  });

  const notify = async (d: EscalationDecision) => {
    const notifier = escalationNotifier({
      tenantId: TENANT,
      records: new SqlEscalationRecords(handle.db),
      clock: { now: () => NOW },
      logger: { info: (obj: object) => void logged.push(obj) },
    });
    await handle.db.transaction((tx) => notifier(tx, d));
  };
  const outboxKeys = async () =>
    (
      await handle.db.query<{ dedupe_key: string }>(
        'SELECT dedupe_key FROM outbox WHERE tenant_id = $1 ORDER BY id',
        [TENANT],
      )
    ).map((r) => r.dedupe_key);
  const save = async (pilot: Partial<ReturnType<typeof defaultPilot>>) => {
    const settings = new SqlTabSettings(handle.db, { now: () => NOW });
    const current = await settings.pilot(TENANT);
    const next = { ...current, ...pilot };
    const saved = await settings.savePilot(
      TENANT,
      {
        scopeEnabled: next.scopeEnabled,
        clientIds: next.clientIds,
        projectIds: next.projectIds,
        shadowMode: next.shadowMode,
        automations: next.automations,
      },
      current.version,
      'test',
    );
    expect(saved.ok).toBe(true);
  };

  test('with no settings saved the escalation is queued', async () => {
    await notify(decision('e1', '5', '50'));
    expect(await outboxKeys()).toEqual(['escalation:e1:opened']);
  });

  test('shadow mode logs the decision and queues nothing', async () => {
    await save({ shadowMode: true });
    await notify(decision('e2', '5', '50'));
    expect(await outboxKeys()).toEqual(['escalation:e1:opened']);
    expect(logged).toContainEqual(
      expect.objectContaining({ escalationId: 'e2', verdict: 'shadow' }),
    );
  });

  test('escalations switched off queue nothing', async () => {
    await save({
      shadowMode: false,
      automations: { ...defaultPilot().automations, escalations: false },
    });
    await notify(decision('e3', '5', '50'));
    expect(await outboxKeys()).toEqual(['escalation:e1:opened']);
    expect(logged).toContainEqual(expect.objectContaining({ escalationId: 'e3', verdict: 'off' }));
  });

  test('with the allow-list on only listed clients are queued', async () => {
    await save({ automations: defaultPilot().automations, scopeEnabled: true, clientIds: [5] });
    await notify(decision('e4', '6', '60'));
    await notify(decision('e5', '5', '51'));
    expect(await outboxKeys()).toEqual(['escalation:e1:opened', 'escalation:e5:opened']);
    expect(logged).toContainEqual(
      expect.objectContaining({ escalationId: 'e4', verdict: 'out-of-scope' }),
    );
  });
});
