/**
 * The full evaluation's reference (SPEC §8): one plain SQL aggregation over the same timesheet and
 * ticket tables, its rows returned to a client as by any query. On PostgreSQL it runs in a child
 * process: at 8,000 projects its first statement returns 1.3 M rows, and held in the bench process
 * (the app's stand-in) they took that process to about 400 MB before the evaluation it measures
 * began. The child times the statements alone, on a connection opened before the clock starts.
 */
import path from 'node:path';
import type { Db } from '../store/db';
import type { DatabaseTarget } from '../store/open-db';
import { runJsonLineProcess } from './json-line-process';

/** The floor's statements: timesheets per ticket, tickets per client. */
export const PLAIN_AGGREGATION = [
  `SELECT t.ticket_id, count(*), sum(t.hours), max(t.start_at) FROM halo_timesheet_events t WHERE t.tenant_id = $1 GROUP BY t.ticket_id`,
  `SELECT k.client_id, count(*), max(k.date_occurred) FROM halo_tickets k WHERE k.tenant_id = $1 GROUP BY k.client_id`,
];

/** What one run of the floor took, and how many rows it returned. */
export interface FloorRun {
  ms: number;
  rows: number;
}

/**
 * Where the floor runs: PostgreSQL at `url` (in a child process), or the evaluated `Db` itself
 * (embedded PGlite, which another process cannot open while this one has it).
 */
export type FloorSource = { url: string } | { db: Db };

/** The floor's source for a database at `target` opened as `db`. */
export function floorOf(target: DatabaseTarget, db: Db): FloorSource {
  return 'url' in target ? { url: target.url } : { db };
}

/** Runs the floor's statements on `db`, timed. */
export async function plainAggregationOn(db: Db, tenantId: string): Promise<FloorRun> {
  const started = process.hrtime.bigint();
  let rows = 0;
  for (const sql of PLAIN_AGGREGATION) rows += (await db.query(sql, [tenantId])).length;
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, rows };
}

/** Runs the floor where `source` says. */
export function plainAggregation(source: FloorSource, tenantId: string): Promise<FloorRun> {
  if ('db' in source) return plainAggregationOn(source.db, tenantId);
  return runJsonLineProcess<FloorRun>(path.join(__dirname, 'plain-floor-cli.ts'), [
    source.url,
    tenantId,
  ]);
}
