import type { Db } from './db';
import { contentHash } from './content-hash';
import { queueChanges } from './mirror-changes';
import { serviceFactsUpToDate } from './service-facts';
import {
  DETAIL_COLUMNS,
  MILESTONE_TABLE,
  MIRROR_TABLES,
  dateOf,
  idOf,
  type MirrorColumn,
  type MirrorTable,
  type MirroredResource,
} from './halo-mirror-columns';

/** A validated record ready to mirror: its id, parsed fields and the raw record as served. */
export interface MirrorRecord {
  id: number;
  data: Record<string, unknown>;
  raw: unknown;
}

/** A data-quality problem with one HaloPSA record (or with its id itself when recordId is null). */
export interface DataQualityIssue {
  resource: string;
  recordId: string | null;
  field: string;
  problem: string;
}

/** Upserts HaloPSA records into the mirror tables and keeps the data-quality exception list. */
export class HaloMirrorRepository {
  constructor(private readonly tenantId: string) {}

  /** Inserts or updates records; running it twice with the same input changes nothing. */
  async upsert(
    db: Db,
    resource: MirroredResource,
    records: readonly MirrorRecord[],
    syncedAt: string,
  ): Promise<void> {
    if (records.length === 0) return;
    const table: MirrorTable = MIRROR_TABLES[resource];
    const rows = records.map((r) => {
      const row: Record<string, unknown> = { id: r.id, raw: r.raw, synced_at: syncedAt };
      for (const c of table.columns) row[c.name] = c.from(r.data);
      row.hash = contentHash(r.raw);
      row.last_update = dateOf(r.data.last_update ?? r.data.lastupdate ?? r.data.last_modified);
      return row;
    });
    // A timesheet event moved to another ticket or contract changes the one it leaves too.
    const before =
      resource === 'timesheetEvents'
        ? await db.query<{ ticket_id: number | null; contract_id: number | null }>(
            `SELECT ticket_id, contract_id FROM halo_timesheet_events
              WHERE tenant_id = $1 AND id = ANY($2::bigint[])`,
            [this.tenantId, rows.map((r) => r.id)],
          )
        : [];
    const columns: MirrorColumn[] = [...table.columns];
    const extra = [
      ['raw', 'jsonb'],
      ['hash', 'text'],
      ['last_update', 'timestamptz'],
      ['synced_at', 'timestamptz'],
    ] as const;
    await upsertRows(
      db,
      this.tenantId,
      table.table,
      [...columns.map((c) => [c.name, c.type] as const), ...extra],
      rows,
    );
    await this.queueWritten(db, resource, rows, before);
  }

  /**
   * What the written rows change (`mirror-changes.ts`): a client ticket's service facts come from
   * its row and its actions, a contract's hours per day from its timesheet events, and a project's
   * evaluation from its own row, its tasks, their actions, timesheets and invoices.
   */
  private async queueWritten(
    db: Db,
    resource: MirroredResource,
    rows: ReadonlyArray<Record<string, unknown>>,
    before: ReadonlyArray<{ ticket_id: number | null; contract_id: number | null }>,
  ): Promise<void> {
    const ids = (column: string, earlier: ReadonlyArray<Record<string, unknown>> = []) =>
      [...earlier, ...rows].map((r) =>
        r[column] === null || r[column] === undefined ? null : Number(r[column]),
      );
    const { tenantId } = this;
    switch (resource) {
      case 'tickets':
        await queueChanges(db, tenantId, 'ticket', ids('id'));
        return;
      case 'projects':
      case 'tasks':
        await queueChanges(db, tenantId, 'delivery', ids('id'));
        return;
      case 'actions':
        await queueChanges(db, tenantId, 'ticket', ids('ticket_id'));
        await queueChanges(db, tenantId, 'delivery', ids('ticket_id'));
        return;
      case 'timesheetEvents':
        await queueChanges(db, tenantId, 'contract', ids('contract_id', before));
        await queueChanges(db, tenantId, 'delivery', ids('ticket_id', before));
        return;
      case 'invoices':
        await queueChanges(
          db,
          tenantId,
          'delivery',
          rows.map((r) => idOf((r.raw as Record<string, unknown> | null)?.ticket_id)),
        );
        return;
      default:
        return;
    }
  }

  /** Stores a full record read (project milestones, contract entitlements) next to its list row. */
  async upsertDetail(
    db: Db,
    resource: 'projects' | 'contracts',
    id: number,
    detail: Record<string, unknown>,
    syncedAt: string,
  ): Promise<DataQualityIssue[]> {
    const columns = DETAIL_COLUMNS[resource];
    const sets = ['detail = $3', ...columns.map((c, i) => `${c.name} = $${i + 4}`)];
    await db.query(
      `UPDATE ${MIRROR_TABLES[resource].table} SET ${sets.join(', ')} WHERE tenant_id = $1 AND id = $2`,
      [this.tenantId, id, detail, ...columns.map((c) => c.from(detail))],
    );
    if (resource !== 'projects') return [];
    // A project's full record (milestones, budgets) is part of its evaluation.
    await queueChanges(db, this.tenantId, 'delivery', [id]);
    const issues: DataQualityIssue[] = [];
    const milestones: Record<string, unknown>[] = [];
    for (const m of Array.isArray(detail.milestones) ? detail.milestones : []) {
      const row = (m ?? {}) as Record<string, unknown>;
      const milestoneId = idOf(row.id);
      if (milestoneId === null) {
        issues.push({
          resource: 'milestones',
          recordId: null,
          field: 'id',
          problem: `project ${id} has a milestone without a valid id`,
        });
        continue;
      }
      const out: Record<string, unknown> = { id: milestoneId, raw: row, synced_at: syncedAt };
      for (const c of MILESTONE_TABLE.columns)
        out[c.name] = c.from({ ...row, ticket_id: row.ticket_id ?? id });
      milestones.push(out);
    }
    await db.query(
      `DELETE FROM halo_milestones WHERE tenant_id = $1 AND project_id = $2 AND NOT (id = ANY($3::bigint[]))`,
      [this.tenantId, id, milestones.map((m) => m.id)],
    );
    await upsertRows(
      db,
      this.tenantId,
      MILESTONE_TABLE.table,
      [
        ...MILESTONE_TABLE.columns.map((c) => [c.name, c.type] as const),
        ['raw', 'jsonb'],
        ['synced_at', 'timestamptz'],
      ],
      milestones,
    );
    return issues;
  }

  /** What the mirror holds of the given records: the raw list row and whether the full record was read. */
  async storedState(
    db: Db,
    resource: 'projects' | 'contracts',
    ids: readonly number[],
  ): Promise<Map<number, { raw: unknown; hasDetail: boolean }>> {
    const rows = await db.query<{ id: number; raw: unknown; has_detail: boolean }>(
      `SELECT id, raw, detail IS NOT NULL AS has_detail FROM ${MIRROR_TABLES[resource].table}
        WHERE tenant_id = $1 AND id = ANY($2::bigint[])`,
      [this.tenantId, ids],
    );
    return new Map(rows.map((r) => [Number(r.id), { raw: r.raw, hasDetail: r.has_detail }]));
  }

  /** Ids of every mirrored project or contract (for the nightly full-record refresh). */
  /**
   * Refreshes the planner's statistics of the mirror tables. After a bulk load the database still
   * believes the tables near empty and plans the engines' per-ticket reads as whole-table scans
   * (once per scope, so the evaluation grows with the square of the portfolio) until autovacuum
   * gets round to them.
   */
  async refreshStatistics(db: Db): Promise<void> {
    const tables = [...Object.values(MIRROR_TABLES).map((t) => t.table), MILESTONE_TABLE.table];
    await db.exec(`ANALYZE ${tables.join(', ')}`);
  }

  async ids(db: Db, resource: 'projects' | 'contracts'): Promise<number[]> {
    const rows = await db.query<{ id: number }>(
      `SELECT id FROM ${MIRROR_TABLES[resource].table} WHERE tenant_id = $1 ORDER BY id`,
      [this.tenantId],
    );
    return rows.map((r) => Number(r.id));
  }

  /** Removes a ticket that HaloPSA no longer has, whichever kind it was (with a project's milestones). */
  async remove(db: Db, ticketId: number): Promise<void> {
    for (const table of ['halo_projects', 'halo_tasks', 'halo_tickets']) {
      await db.query(`DELETE FROM ${table} WHERE tenant_id = $1 AND id = $2`, [
        this.tenantId,
        ticketId,
      ]);
    }
    await db.query('DELETE FROM halo_milestones WHERE tenant_id = $1 AND project_id = $2', [
      this.tenantId,
      ticketId,
    ]);
    await queueChanges(db, this.tenantId, 'ticket', [ticketId]);
    await queueChanges(db, this.tenantId, 'delivery', [ticketId]);
  }

  /** Derives the service facts of the tickets written since the last time (`service-facts.ts`). */
  async refreshServiceFacts(db: Db): Promise<void> {
    await serviceFactsUpToDate(db, this.tenantId);
  }

  /**
   * Ids of the projects HaloPSA has: those in the mirror plus those held back as data-quality
   * exceptions, so the tasks of a malformed project are still tasks (tasks are their child tickets).
   */
  async projectIds(db: Db): Promise<Set<number>> {
    const rows = await db.query<{ id: number }>(
      `SELECT id FROM halo_projects WHERE tenant_id = $1
       UNION SELECT record_id::bigint FROM data_quality_exceptions
        WHERE tenant_id = $1 AND resource = 'projects' AND resolved_at IS NULL AND record_id ~ '^[0-9]+$'`,
      [this.tenantId],
    );
    return new Set(rows.map((r) => Number(r.id)));
  }

  /**
   * Records the issues found in one batch and resolves earlier issues of records that are now valid.
   * Returns nothing: the list is read back through `openIssues`.
   */
  async recordIssues(
    db: Db,
    resource: string,
    issues: readonly DataQualityIssue[],
    validIds: readonly number[],
    seenAt: string,
  ): Promise<void> {
    if (validIds.length > 0) {
      await db.query(
        `UPDATE data_quality_exceptions SET resolved_at = $3
          WHERE tenant_id = $1 AND resource = $2 AND resolved_at IS NULL AND record_id = ANY($4::text[])`,
        [this.tenantId, resource, seenAt, validIds.map(String)],
      );
    }
    for (const issue of issues) {
      await db.query(
        `INSERT INTO data_quality_exceptions (tenant_id, resource, record_id, field, problem, first_seen, last_seen)
         VALUES ($1, $2, $3, $4, $5, $6, $6)
         ON CONFLICT (tenant_id, resource, record_id, field)
         DO UPDATE SET problem = EXCLUDED.problem, last_seen = EXCLUDED.last_seen, resolved_at = NULL`,
        [this.tenantId, issue.resource, issue.recordId ?? '', issue.field, issue.problem, seenAt],
      );
    }
  }

  /** The open data-quality exceptions, newest first. */
  async openIssues(db: Db): Promise<Array<DataQualityIssue & { lastSeen: string }>> {
    const rows = await db.query<{
      resource: string;
      record_id: string;
      field: string;
      problem: string;
      last_seen: Date;
    }>(
      `SELECT resource, record_id, field, problem, last_seen FROM data_quality_exceptions
        WHERE tenant_id = $1 AND resolved_at IS NULL ORDER BY last_seen DESC, resource, record_id`,
      [this.tenantId],
    );
    return rows.map((r) => ({
      resource: r.resource,
      recordId: r.record_id === '' ? null : r.record_id,
      field: r.field,
      problem: r.problem,
      lastSeen: new Date(r.last_seen).toISOString(),
    }));
  }

  /** Count and content hashes of a mirrored resource, ordered by id (tests compare with the source). */
  async contents(db: Db, resource: MirroredResource): Promise<Array<{ id: number; hash: string }>> {
    const rows = await db.query<{ id: number; hash: string }>(
      `SELECT id, hash FROM ${MIRROR_TABLES[resource].table} WHERE tenant_id = $1 ORDER BY id`,
      [this.tenantId],
    );
    return rows.map((r) => ({ id: Number(r.id), hash: r.hash }));
  }
}

/** One INSERT … SELECT FROM jsonb_to_recordset … ON CONFLICT DO UPDATE for a batch of rows. */
async function upsertRows(
  db: Db,
  tenantId: string,
  table: string,
  columns: ReadonlyArray<readonly [string, string]>,
  rows: readonly Record<string, unknown>[],
): Promise<void> {
  if (rows.length === 0) return;
  // One statement may not touch a row twice: the last copy of a repeated id wins.
  const unique = [...new Map(rows.map((r) => [r.id, r])).values()];
  const names = columns.map(([name]) => name);
  const definition = [['id', 'bigint'] as const, ...columns]
    .map(([n, t]) => `${n} ${t}`)
    .join(', ');
  await db.query(
    `INSERT INTO ${table} (tenant_id, id, ${names.join(', ')})
     SELECT $1, x.id, ${names.map((n) => `x.${n}`).join(', ')}
       FROM jsonb_to_recordset($2::jsonb) AS x(${definition})
     ON CONFLICT (tenant_id, id) DO UPDATE SET ${names.map((n) => `${n} = EXCLUDED.${n}`).join(', ')}`,
    [tenantId, JSON.stringify(unique)],
  );
}
