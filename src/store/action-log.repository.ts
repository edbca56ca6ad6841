import type { ActionLogEntry, BotActionLog } from '../app/notifications/bot-action-log.port';
import { groupCommit } from '../shared/group-commit';
import type { Db } from './db';

export type { ActionLogEntry };

/** The `action_log` table: every bot action with its outcome, for audit and threshold tuning. */
export class ActionLogRepository {
  constructor(private readonly tenantId: string) {}

  /** Records one action. */
  async record(db: Db, entry: ActionLogEntry): Promise<void> {
    await this.recordMany(db, [entry]);
  }

  /** Records several actions in one insert, in the order given. */
  async recordMany(db: Db, entries: readonly ActionLogEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const params: unknown[] = [this.tenantId];
    const rows = entries.map((entry) => {
      const first = params.length + 1;
      params.push(
        entry.at.toISOString(),
        entry.actorAadObjectId,
        entry.actorName,
        entry.action,
        entry.targetKind,
        entry.targetId,
        entry.outcome,
        entry.reason,
        JSON.stringify(entry.details ?? {}),
      );
      return `($1, ${Array.from({ length: 9 }, (_, i) => `$${first + i}`).join(', ')})`;
    });
    await db.query(
      `INSERT INTO action_log
         (tenant_id, at, actor_aad_object_id, actor_name, action, target_kind, target_id, outcome, reason, details)
       VALUES ${rows.join(', ')}`,
      params,
    );
  }

  /** The newest entries first (for the tab and tests). */
  async recent(db: Db, limit = 100): Promise<ActionLogEntry[]> {
    const rows = await db.query<{
      at: Date | string;
      actor_aad_object_id: string | null;
      actor_name: string | null;
      action: string;
      target_kind: string;
      target_id: string | null;
      outcome: 'done' | 'refused';
      reason: string | null;
      details: Record<string, unknown>;
    }>(
      `SELECT at, actor_aad_object_id, actor_name, action, target_kind, target_id, outcome, reason, details
         FROM action_log WHERE tenant_id = $1 ORDER BY id DESC LIMIT $2`,
      [this.tenantId, limit],
    );
    return rows.map((row) => ({
      at: new Date(row.at),
      actorAadObjectId: row.actor_aad_object_id,
      actorName: row.actor_name,
      action: row.action,
      targetKind: row.target_kind,
      targetId: row.target_id,
      outcome: row.outcome,
      reason: row.reason,
      details: row.details,
    }));
  }
}

/** The bot action log port bound to `db` (inside a transaction: the entry commits with it). */
export function botActionLogOn(db: Db, tenantId: string): BotActionLog {
  const repository = new ActionLogRepository(tenantId);
  return { record: (entry) => repository.record(db, entry) };
}

/**
 * The bot action log port on `db` for entries written on their own (refusals, clicks on what
 * already was so), group-committed: many people clicking at once cost a few inserts, not one each.
 */
export function batchedBotActionLogOn(db: Db, tenantId: string): BotActionLog {
  const repository = new ActionLogRepository(tenantId);
  const record = groupCommit(
    async (entries: readonly ActionLogEntry[]) => {
      await repository.recordMany(db, entries);
      return entries.map(() => undefined);
    },
    (entry: ActionLogEntry) => repository.record(db, entry),
  );
  return { record };
}
