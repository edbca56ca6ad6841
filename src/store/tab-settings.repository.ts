/**
 * The tab's admin settings in SQL, per tenant: conversation routes (list, delete), role assignments
 * (list, replace), the pilot settings (`tenant_settings`) and the delivery policy's current version.
 */
import type { TabSettings } from '../app/settings/tab-settings.port';
import {
  defaultPilot,
  type ConversationRouteView,
  type NotificationStream,
  type PilotSettingsView,
  type RoleAssignmentInput,
  type RoleAssignmentView,
  type RouteSeverityFloor,
  type SettingsRefusal,
  type StoredPolicyVersion,
} from '../app/settings/settings-views';
import type { DeliveryPolicyConfig, Severity } from '../domain/delivery/policy';
import type { PilotScope } from '../domain/shared/pilot';
import type { Role } from '../domain/shared/roles';
import type { Clock } from '../shared/clock';
import type { Db } from './db';

/** Settings reads and writes for one tenant. */
export class SqlTabSettings implements TabSettings {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** The newest saved policy version, or null when none was saved. */
  async policy(tenantId: string): Promise<StoredPolicyVersion> {
    const [row] = await this.db.query<{
      version: number;
      config: DeliveryPolicyConfig;
      created_at: Date | string;
      created_by: string;
    }>(
      `SELECT version, config, created_at, created_by FROM delivery_policies
        WHERE tenant_id = $1 ORDER BY version DESC LIMIT 1`,
      [tenantId],
    );
    if (!row) return { version: null, config: null, updatedAt: null, updatedBy: null };
    return {
      version: Number(row.version),
      config: row.config,
      updatedAt: new Date(row.created_at).toISOString(),
      updatedBy: row.created_by,
    };
  }

  async routes(tenantId: string): Promise<ConversationRouteView[]> {
    const rows = await this.db.query<{
      id: number | string;
      stream: NotificationStream;
      client_id: number | string | null;
      client_name: string | null;
      conversation: { conversationId?: string; label?: string | null } | string;
      created_by: string | null;
      created_at: Date | string;
      severity_floor: Severity | null;
    }>(
      `SELECT r.id, r.stream, r.client_id, c.name AS client_name, r.conversation, r.created_by, r.created_at,
              r.severity_floor
         FROM conversation_routes r
         LEFT JOIN halo_clients c ON c.tenant_id = r.tenant_id AND c.id = r.client_id
        WHERE r.tenant_id = $1 ORDER BY r.stream, r.client_id NULLS FIRST, r.id`,
      [tenantId],
    );
    return rows.map((r) => {
      const conversation =
        typeof r.conversation === 'string'
          ? (JSON.parse(r.conversation) as { conversationId?: string; label?: string | null })
          : r.conversation;
      return {
        id: String(r.id),
        stream: r.stream,
        client:
          r.client_id === null
            ? null
            : { id: Number(r.client_id), name: r.client_name ?? `Client ${r.client_id}` },
        conversationId: conversation.conversationId ?? '',
        conversationName: conversation.label ?? null,
        createdBy: r.created_by,
        createdAt: new Date(r.created_at).toISOString(),
        severityFloor: r.severity_floor ?? null,
      };
    });
  }

  async setSeverityFloors(
    tenantId: string,
    floors: readonly RouteSeverityFloor[],
  ): Promise<string[]> {
    const changed: string[] = [];
    for (const floor of floors) {
      const rows = await this.db.query<{ id: number | string }>(
        `UPDATE conversation_routes SET severity_floor = $3::text
          WHERE tenant_id = $1 AND id = $2 AND severity_floor IS DISTINCT FROM $3::text RETURNING id`,
        [tenantId, Number(floor.id), floor.severityFloor],
      );
      changed.push(...rows.map((r) => String(r.id)));
    }
    return changed;
  }

  /** Deletes the tenant's routes with these ids; returns how many went (others' ids never match). */
  async deleteRoutes(tenantId: string, ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const rows = await this.db.query(
      'DELETE FROM conversation_routes WHERE tenant_id = $1 AND id = ANY($2::bigint[]) RETURNING id',
      [tenantId, ids.map(Number)],
    );
    return rows.length;
  }

  async roles(tenantId: string): Promise<RoleAssignmentView[]> {
    const rows = await this.db.query<{
      id: number | string;
      aad_object_id: string | null;
      email: string | null;
      role: Role;
    }>(
      `SELECT id, aad_object_id, email, role FROM role_assignments WHERE tenant_id = $1
        ORDER BY coalesce(lower(email), aad_object_id), role, id`,
      [tenantId],
    );
    return rows.map((r) => ({
      id: String(r.id),
      aadObjectId: r.aad_object_id,
      email: r.email,
      role: r.role,
    }));
  }

  /** Replaces every role assignment of the tenant in one transaction. */
  async replaceRoles(tenantId: string, items: readonly RoleAssignmentInput[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query('DELETE FROM role_assignments WHERE tenant_id = $1', [tenantId]);
      for (const i of items) {
        await tx.query(
          `INSERT INTO role_assignments (tenant_id, aad_object_id, email, role, created_at)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
          [tenantId, i.aadObjectId, i.email, i.role, this.clock.now().toISOString()],
        );
      }
    });
  }

  async pilot(tenantId: string, db: Db = this.db): Promise<PilotSettingsView> {
    const [row] = await db.query<{
      version: number;
      pilot: Partial<PilotScope>;
      updated_at: Date | string;
      updated_by: string;
    }>('SELECT version, pilot, updated_at, updated_by FROM tenant_settings WHERE tenant_id = $1', [
      tenantId,
    ]);
    const base = defaultPilot();
    if (!row) return base;
    return {
      ...base,
      ...row.pilot,
      automations: { ...base.automations, ...row.pilot.automations },
      version: Number(row.version),
      updatedAt: new Date(row.updated_at).toISOString(),
      updatedBy: row.updated_by,
    };
  }

  /** Saves the pilot settings as the next version; refused when `baseVersion` is not the current one. */
  async savePilot(
    tenantId: string,
    pilot: PilotScope,
    baseVersion: number | null,
    by: string,
  ): Promise<{ ok: true; settings: PilotSettingsView } | SettingsRefusal> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.query<{ version: number; pilot: Partial<PilotScope> }>(
        'SELECT version, pilot FROM tenant_settings WHERE tenant_id = $1 FOR UPDATE',
        [tenantId],
      );
      const current = row ? Number(row.version) : 0;
      if (baseVersion !== null && baseVersion !== current) {
        return {
          ok: false as const,
          code: 'version-conflict',
          message: `The pilot settings changed meanwhile (now version ${current}); reload and try again.`,
        };
      }
      const stored: PilotScope = {
        scopeEnabled: pilot.scopeEnabled,
        clientIds: [...new Set(pilot.clientIds)].sort((a, b) => a - b),
        projectIds: [...new Set(pilot.projectIds)].sort((a, b) => a - b),
        shadowMode: pilot.shadowMode,
        automations: pilot.automations,
        // A save that does not mention the pilot start keeps it (older clients never send it).
        startsOn: pilot.startsOn !== undefined ? pilot.startsOn : (row?.pilot.startsOn ?? null),
      };
      await tx.query(
        `INSERT INTO tenant_settings (tenant_id, version, pilot, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (tenant_id) DO UPDATE SET version = EXCLUDED.version, pilot = EXCLUDED.pilot,
           updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`,
        [tenantId, current + 1, JSON.stringify(stored), this.clock.now().toISOString(), by],
      );
      return { ok: true as const, settings: await this.pilot(tenantId, tx) };
    });
  }
}
