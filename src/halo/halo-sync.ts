import type { Clock } from '../shared/clock';
import type { Db } from '../store/db';
import { HaloMirrorRepository, type DataQualityIssue } from '../store/halo-mirror.repository';
import type { MirroredResource } from '../store/halo-mirror-columns';
import { contentHash } from '../store/content-hash';
import {
  classifyTicket,
  haloResource,
  type HaloQueryParams,
  type HaloResourceName,
} from './halo-resources';
import { validateRecords } from './halo-records';

/** One page of a HaloPSA list read. */
export interface HaloPage {
  records: unknown[];
  pageNo: number;
  recordCount?: number;
  /** Rows the reader dropped because they fall outside the last-update window asked for. */
  outsideWindow?: number;
}

/** The part of the HaloPSA client the sync needs (the real client implements it). */
export interface HaloReader {
  /** Pages through a resource's list from `startPage` (1-based). */
  listPages(
    resource: HaloResourceName,
    params: HaloQueryParams,
    options: { startPage: number },
  ): AsyncIterable<HaloPage>;
  /** Reads one full record (`GET /api/{path}/{id}`); null when HaloPSA answers 404. */
  get(path: string, id: number, params?: HaloQueryParams): Promise<unknown | null>;
}

/** Full reads everything; incremental reads what changed since each resource's watermark. */
export type SyncMode = 'full' | 'incremental';

/** What one sync run did, per listing. */
export interface SyncReport {
  mode: SyncMode;
  startedAt: string;
  resumed: boolean;
  listings: Record<
    string,
    {
      pages: number;
      records: number;
      exceptions: number;
      detailReads: number;
      /** Rows HaloPSA sent outside the last-update window (it ignored the window), not stored. */
      outsideWindow: number;
    }
  >;
}

/** Logging the sync needs (pino satisfies it). */
export interface SyncLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

/** The listings a sync walks, in order. `/api/Tickets` is one listing split into tasks and tickets. */
const LISTINGS: readonly HaloResourceName[] = [
  'statuses',
  'agents',
  'clients',
  'contacts',
  'contracts',
  'projects',
  'tickets',
  'actions',
  'timesheetEvents',
  'recurringInvoices',
  'invoices',
];

/**
 * List-row fields that move with everyday activity (a note, a time entry) and say nothing about the
 * full record's milestones, budgets or entitlements. A row whose other fields are unchanged keeps its
 * stored full record; the nightly `refreshDetails` catches edits that show in no list field.
 */
const VOLATILE_FIELDS: Record<'projects' | 'contracts', ReadonlySet<string>> = {
  projects: new Set([
    'last_update',
    'lastupdate',
    'lastactiondate',
    'timetaken',
    'chargehours',
    'nonchargehours',
    'projecttimeactual',
    'projectmoneyactual',
    'slatimeleft',
    'slapercused',
    'slaresponsestate',
  ]),
  contracts: new Set(['last_update', 'lastupdate', 'last_modified']),
};

/** The content hash of a list row without its volatile fields. */
function materialHash(listing: 'projects' | 'contracts', raw: unknown): string {
  if (!isObject(raw)) return contentHash(raw);
  const volatile = VOLATILE_FIELDS[listing];
  return contentHash(Object.fromEntries(Object.entries(raw).filter(([key]) => !volatile.has(key))));
}

/** An incremental sync writing at least this many records refreshes the planner's statistics. */
const STATISTICS_AFTER_RECORDS = 50_000;

/** Records changed within this margin before a watermark are read again (clock skew, in-flight writes). */
const OVERLAP_MS = 5 * 60 * 1000;

interface Checkpoint {
  resource: string;
  mode: SyncMode;
  runStartedAt: string;
  since: string | null;
  nextPage: number;
  completed: boolean;
  watermark: string | null;
}

/**
 * Mirrors HaloPSA into the store. Each page is written in one transaction together with the
 * checkpoint that says which page comes next, so a sync killed at any point resumes where it stopped
 * and upserts keep a re-read page from duplicating anything.
 */
export class HaloSync {
  private readonly mirror: HaloMirrorRepository;
  private running: Promise<SyncReport> | null = null;

  constructor(
    private readonly deps: {
      db: Db;
      reader: HaloReader;
      tenantId: string;
      clock: Clock;
      logger: SyncLogger;
    },
  ) {
    this.mirror = new HaloMirrorRepository(deps.tenantId);
  }

  /** Runs (or resumes) a sync; concurrent calls in one process share the run in flight. */
  run(requested: SyncMode): Promise<SyncReport> {
    if (!this.running) {
      this.running = this.runOnce(requested).finally(() => {
        this.running = null;
      });
    }
    return this.running;
  }

  /** The start of the last completed sync of every listing, or null before the first one. */
  async lastCompletedAt(): Promise<string | null> {
    const rows = await this.deps.db.query<{ n: number; oldest: Date | null }>(
      `SELECT count(watermark) AS n, min(watermark) AS oldest
         FROM sync_checkpoints WHERE tenant_id = $1 AND resource = ANY($2::text[])`,
      [this.deps.tenantId, LISTINGS],
    );
    const row = rows[0];
    return row && Number(row.n) === LISTINGS.length && row.oldest
      ? new Date(row.oldest).toISOString()
      : null;
  }

  /**
   * Re-reads the full record of every mirrored project and contract (milestones, budgets,
   * entitlements): the nightly catch-up for edits that change no list field. Returns the reads made.
   */
  async refreshDetails(): Promise<number> {
    const { db, reader } = this.deps;
    let reads = 0;
    for (const listing of ['projects', 'contracts'] as const) {
      const spec = haloResource(listing)!.detail!;
      for (const id of await this.mirror.ids(db, listing)) {
        const detail = await reader.get(spec.path, id, spec.params);
        reads += 1;
        if (!isObject(detail)) continue;
        const syncedAt = this.deps.clock.now().toISOString();
        await db.transaction(async (tx) => {
          const issues = await this.mirror.upsertDetail(tx, listing, id, detail, syncedAt);
          await this.mirror.recordIssues(tx, 'milestones', issues, [], syncedAt);
        });
      }
    }
    return reads;
  }

  /**
   * Re-reads one ticket, task or project (a webhook's hint) and its actions, and mirrors them.
   * Returns what the object turned out to be.
   */
  async resyncTicket(
    ticketId: number,
  ): Promise<'project' | 'task' | 'ticket' | 'invalid' | 'deleted'> {
    const { db, reader } = this.deps;
    const syncedAt = this.deps.clock.now().toISOString();
    const raw = await reader.get('Tickets', ticketId, { includedetails: true });
    if (raw === null) {
      // HaloPSA answered 404: the ticket is gone, so is our copy.
      await this.mirror.remove(db, ticketId);
      return 'deleted';
    }
    const kind = classifyTicket(raw, await this.mirror.projectIds(db));
    const resource: MirroredResource =
      kind === 'project' ? 'projects' : kind === 'task' ? 'tasks' : 'tickets';
    const { records, exceptions } = validateRecords(resource, [raw]);
    const actions: unknown[] = [];
    for await (const page of reader.listPages(
      'actions',
      { ticket_id: ticketId },
      { startPage: 1 },
    )) {
      actions.push(...page.records);
    }
    const validActions = validateRecords('actions', actions);
    await db.transaction(async (tx) => {
      await this.mirror.upsert(tx, resource, records as MirrorRecordLike[], syncedAt);
      await this.mirror.recordIssues(
        tx,
        resource,
        exceptions,
        records.map((r) => r.id),
        syncedAt,
      );
      if (kind === 'project' && records.length > 0 && isObject(raw)) {
        const issues = await this.mirror.upsertDetail(tx, 'projects', ticketId, raw, syncedAt);
        await this.mirror.recordIssues(tx, 'milestones', issues, [], syncedAt);
      }
      await this.mirror.upsert(tx, 'actions', validActions.records as MirrorRecordLike[], syncedAt);
      await this.mirror.recordIssues(
        tx,
        'actions',
        validActions.exceptions,
        validActions.records.map((r) => r.id),
        syncedAt,
      );
    });
    return records.length > 0 ? kind : 'invalid';
  }

  private async runOnce(requested: SyncMode): Promise<SyncReport> {
    const { db, tenantId, logger } = this.deps;
    const checkpoints = await this.loadCheckpoints();
    const unfinished = [...checkpoints.values()].find((c) => !c.completed);
    const run = unfinished
      ? { mode: unfinished.mode, startedAt: unfinished.runStartedAt, resumed: true }
      : { mode: requested, startedAt: this.deps.clock.now().toISOString(), resumed: false };
    const report: SyncReport = {
      mode: run.mode,
      startedAt: run.startedAt,
      resumed: run.resumed,
      listings: {},
    };
    logger.info({ tenantId, mode: run.mode, resumed: run.resumed }, 'halo sync started');

    for (const listing of LISTINGS) {
      const previous = checkpoints.get(listing);
      const sameRun = previous?.runStartedAt === run.startedAt;
      if (sameRun && previous?.completed) continue;
      let checkpoint: Checkpoint;
      if (sameRun && previous) {
        checkpoint = previous;
      } else {
        const watermark = previous?.watermark ?? null;
        const since =
          run.mode === 'incremental' && watermark
            ? new Date(Date.parse(watermark) - OVERLAP_MS).toISOString()
            : null;
        checkpoint = {
          resource: listing,
          mode: run.mode,
          runStartedAt: run.startedAt,
          since,
          nextPage: 1,
          completed: false,
          watermark,
        };
        await this.saveCheckpoint(db, checkpoint);
      }
      report.listings[listing] = await this.syncListing(listing, checkpoint);
    }
    // A full sync (or a large catch-up) changes the tables' sizes by orders of magnitude: the
    // planner learns it now, not whenever autovacuum runs.
    const written = Object.values(report.listings).reduce((sum, l) => sum + l.records, 0);
    if (run.mode === 'full' || written >= STATISTICS_AFTER_RECORDS) {
      await this.mirror.refreshStatistics(db);
    }
    // What the engines derive from the records written (service facts), now rather than at the
    // next evaluation.
    await this.mirror.refreshServiceFacts(db);
    logger.info({ tenantId, report }, 'halo sync finished');
    return report;
  }

  private async syncListing(
    listing: HaloResourceName,
    checkpoint: Checkpoint,
  ): Promise<SyncReport['listings'][string]> {
    const { db, reader } = this.deps;
    const stats = { pages: 0, records: 0, exceptions: 0, detailReads: 0, outsideWindow: 0 };
    const spec = haloResource(listing);
    // lastupdatefromdate is documented for Tickets, Projects and Client. It is sent to every listing:
    // a server that ignores it returns everything, which is slower but still correct (the client
    // drops the rows outside the window and counts them in `outsideWindow`).
    const params: HaloQueryParams = checkpoint.since
      ? { lastupdatefromdate: checkpoint.since }
      : {};
    const projectIds = listing === 'tickets' ? await this.mirror.projectIds(db) : undefined;

    for await (const page of reader.listPages(listing, params, {
      startPage: checkpoint.nextPage,
    })) {
      const syncedAt = this.deps.clock.now().toISOString();
      stats.outsideWindow += page.outsideWindow ?? 0;
      const batches = this.partition(listing, page.records, projectIds);
      const validated = batches.map(({ resource, raw }) => ({
        resource,
        ...validateRecords(resource, raw),
      }));

      // Full records are read before the transaction: no HTTP while holding a connection.
      const details = new Map<number, Record<string, unknown>>();
      if (spec?.detail && (listing === 'projects' || listing === 'contracts')) {
        const valid = validated[0]?.records ?? [];
        const stored = await this.mirror.storedState(
          db,
          listing,
          valid.map((r) => r.id),
        );
        for (const record of valid) {
          const known = stored.get(record.id);
          if (
            known?.hasDetail &&
            materialHash(listing, known.raw) === materialHash(listing, record.raw)
          ) {
            continue;
          }
          const detail = await reader.get(spec.detail.path, record.id, spec.detail.params);
          stats.detailReads += 1;
          if (isObject(detail)) details.set(record.id, detail);
        }
      }

      await db.transaction(async (tx) => {
        for (const batch of validated) {
          await this.mirror.upsert(
            tx,
            batch.resource as MirroredResource,
            batch.records as MirrorRecordLike[],
            syncedAt,
          );
          await this.mirror.recordIssues(
            tx,
            batch.resource,
            batch.exceptions,
            batch.records.map((r) => r.id),
            syncedAt,
          );
          stats.records += batch.records.length;
          stats.exceptions += batch.exceptions.length;
        }
        for (const [id, detail] of details) {
          const issues: DataQualityIssue[] = await this.mirror.upsertDetail(
            tx,
            listing as 'projects' | 'contracts',
            id,
            detail,
            syncedAt,
          );
          await this.mirror.recordIssues(tx, 'milestones', issues, [], syncedAt);
          stats.exceptions += issues.length;
        }
        checkpoint.nextPage = page.pageNo + 1;
        await this.saveCheckpoint(tx, checkpoint);
      });
      stats.pages += 1;
    }

    checkpoint.completed = true;
    checkpoint.watermark = checkpoint.runStartedAt;
    await this.saveCheckpoint(db, checkpoint);
    if (stats.outsideWindow > 0) {
      this.deps.logger.warn(
        { tenantId: this.deps.tenantId, listing, outsideWindow: stats.outsideWindow },
        'HaloPSA ignored lastupdatefromdate on this listing: it was read whole, older rows dropped',
      );
    }
    return stats;
  }

  /** `/api/Tickets` rows are split into tasks and service tickets; projects are synced on their own. */
  private partition(
    listing: HaloResourceName,
    records: unknown[],
    projectIds: Set<number> | undefined,
  ): Array<{ resource: HaloResourceName; raw: unknown[] }> {
    if (listing !== 'tickets') return [{ resource: listing, raw: records }];
    const tasks: unknown[] = [];
    const tickets: unknown[] = [];
    for (const record of records) {
      const kind = classifyTicket(record, projectIds);
      if (kind === 'task') tasks.push(record);
      else if (kind === 'ticket') tickets.push(record);
    }
    return [
      { resource: 'tasks', raw: tasks },
      { resource: 'tickets', raw: tickets },
    ];
  }

  private async loadCheckpoints(): Promise<Map<string, Checkpoint>> {
    const rows = await this.deps.db.query<{
      resource: string;
      mode: SyncMode;
      run_started_at: Date;
      since: Date | null;
      next_page: number;
      completed: boolean;
      watermark: Date | null;
    }>('SELECT * FROM sync_checkpoints WHERE tenant_id = $1', [this.deps.tenantId]);
    return new Map(
      rows.map((r) => [
        r.resource,
        {
          resource: r.resource,
          mode: r.mode,
          runStartedAt: new Date(r.run_started_at).toISOString(),
          since: r.since ? new Date(r.since).toISOString() : null,
          nextPage: r.next_page,
          completed: r.completed,
          watermark: r.watermark ? new Date(r.watermark).toISOString() : null,
        },
      ]),
    );
  }

  private async saveCheckpoint(db: Db, c: Checkpoint): Promise<void> {
    await db.query(
      `INSERT INTO sync_checkpoints (tenant_id, resource, mode, run_started_at, since, next_page, completed, watermark, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (tenant_id, resource) DO UPDATE SET mode = EXCLUDED.mode,
         run_started_at = EXCLUDED.run_started_at, since = EXCLUDED.since, next_page = EXCLUDED.next_page,
         completed = EXCLUDED.completed, watermark = EXCLUDED.watermark, updated_at = EXCLUDED.updated_at`,
      [
        this.deps.tenantId,
        c.resource,
        c.mode,
        c.runStartedAt,
        c.since,
        c.nextPage,
        c.completed,
        c.watermark,
        this.deps.clock.now().toISOString(),
      ],
    );
  }
}

type MirrorRecordLike = { id: number; data: Record<string, unknown>; raw: unknown };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
