import type { Db } from './db';

/**
 * What a mirror write leaves for its consumers to catch up on (`mirror_changes`): a ticket whose
 * service facts are derived again (`ticket`), a contract whose hours per day are (`contract`), and
 * a ticket, task or project whose project is evaluated again after the next sync (`delivery`).
 */
export type ChangeSubject = 'ticket' | 'contract' | 'delivery';

/**
 * Queues ids of one subject, in the writer's transaction. Queued again, an id gets a new position,
 * so a consumer that read the queue up to an older position (and may have read the older data)
 * leaves it queued when it clears what it has done.
 */
export async function queueChanges(
  db: Db,
  tenantId: string,
  subject: ChangeSubject,
  ids: ReadonlyArray<number | null>,
): Promise<void> {
  const unique = [...new Set(ids.filter((id): id is number => id !== null))];
  if (unique.length === 0) return;
  await db.query(
    `INSERT INTO mirror_changes (tenant_id, subject, id)
     SELECT $1, $2, unnest($3::bigint[])
     ON CONFLICT (tenant_id, subject, id) DO UPDATE SET seq = DEFAULT`,
    [tenantId, subject, unique],
  );
}

/** Clears the queued ids of `subjects` at or below `upto` (what a consumer has caught up on). */
export async function clearChanges(
  db: Db,
  tenantId: string,
  subjects: readonly ChangeSubject[],
  upto: string,
): Promise<number> {
  const [cleared] = await db.query<{ n: string }>(
    `WITH d AS (DELETE FROM mirror_changes
                 WHERE tenant_id = $1 AND subject = ANY($2::text[]) AND seq <= $3 RETURNING 1)
     SELECT count(*) AS n FROM d`,
    [tenantId, subjects, upto],
  );
  return Number(cleared!.n);
}
