/**
 * The per-tenant, hash-chained audit log. Every gate and concession request, decision, refusal,
 * override and write-back is appended here in the same transaction as the change it records, so an
 * entry exists exactly when the change does. `verifyAuditChain` recomputes the chain and names the
 * first entry that no longer matches.
 */
import { createHash } from 'node:crypto';
import type { AuditActor, AuditEntry, AuditEntryInput, AuditTrail } from '../app/ports/audit.port';
import type { Clock } from '../shared/clock';
import type { Db } from '../store/db';
import { canonicalJson } from '../shared/canonical-json';
import { groupRead } from '../shared/group-commit';

/** The `prevHash` of a tenant's first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** SHA-256 over the previous hash and the entry's canonical JSON (everything but its own hash). */
export function auditEntryHash(entry: Omit<AuditEntry, 'hash'> & { hash?: string }): string {
  const body = canonicalJson({
    tenantId: entry.tenantId,
    seq: entry.seq,
    at: entry.at,
    subjectType: entry.subjectType,
    subjectId: entry.subjectId,
    action: entry.action,
    actor: entry.actor,
    detail: entry.detail,
  });
  return createHash('sha256').update(entry.prevHash).update('\n').update(body).digest('hex');
}

type AuditRow = {
  tenant_id: string;
  seq: string | number;
  at: Date | string;
  subject_type: string;
  subject_id: string;
  action: string;
  actor: AuditActor | null;
  detail: Record<string, unknown>;
  prev_hash: string;
  hash: string;
};

const COLUMNS =
  'tenant_id, seq, at, subject_type, subject_id, action, actor, detail, prev_hash, hash';

function toEntry(row: AuditRow): AuditEntry {
  return {
    tenantId: row.tenant_id,
    seq: Number(row.seq),
    at: new Date(row.at).toISOString(),
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    action: row.action,
    actor: row.actor,
    detail: row.detail,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** One tenant's audit log. */
export class AuditLog {
  constructor(
    private readonly tenantId: string,
    private readonly clock: Clock,
  ) {}

  /** The trail bound to `db` (a transaction's, when recording a change), as use cases see it. */
  on(db: Db): AuditTrail {
    return {
      append: (input) => this.append(db, input),
      timeline: (subjectType, subjectId) => this.timeline(db, subjectType, subjectId),
      timelineOf: (subjectType, subjectIds) => this.timelineOf(db, subjectType, subjectIds),
    };
  }

  /**
   * Appends one entry. Pass the transaction's Db when recording a change, so the entry commits or
   * rolls back with it; the head row lock makes concurrent appends queue behind each other.
   */
  async append(db: Db, input: AuditEntryInput): Promise<AuditEntry> {
    const [entry] = await this.appendMany(db, [input]);
    return entry!;
  }

  /**
   * Appends several entries, chained in order, under one lock of the head and in one insert: a
   * batch costs one turn behind the head instead of one per entry. In a caller's transaction the
   * two statements are part of it (a failure aborts it whole, so no savepoint is needed); on the
   * pool they get a transaction of their own.
   */
  async appendMany(db: Db, inputs: readonly AuditEntryInput[]): Promise<AuditEntry[]> {
    if (inputs.length === 0) return [];
    return db.inTransaction
      ? this.appendIn(db, inputs)
      : db.transaction((tx) => this.appendIn(tx, inputs));
  }

  /** The entries and the new head, written through `tx` (a transaction). */
  private async appendIn(tx: Db, inputs: readonly AuditEntryInput[]): Promise<AuditEntry[]> {
    // The head, created at genesis the first time, read and locked in one statement (the no-op
    // update takes the row lock, as FOR UPDATE would).
    const [head] = await tx.query<{ seq: string | number; hash: string }>(
      `INSERT INTO audit_heads (tenant_id, seq, hash) VALUES ($1, 0, $2)
         ON CONFLICT (tenant_id) DO UPDATE SET seq = audit_heads.seq RETURNING seq, hash`,
      [this.tenantId, GENESIS_HASH],
    );
    // Millisecond precision survives timestamptz, so the stored entry re-hashes identically.
    const at = new Date(this.clock.now().getTime()).toISOString();
    const entries: AuditEntry[] = [];
    let seq = Number(head!.seq);
    let prevHash = head!.hash;
    for (const input of inputs) {
      seq += 1;
      const unhashed: Omit<AuditEntry, 'hash'> = {
        tenantId: this.tenantId,
        seq,
        at,
        subjectType: input.subjectType,
        subjectId: input.subjectId,
        action: input.action,
        actor: input.actor,
        // Through JSON once, so the hashed detail is exactly what jsonb will give back.
        detail: JSON.parse(JSON.stringify(input.detail ?? {})) as Record<string, unknown>,
        prevHash,
      };
      const entry: AuditEntry = { ...unhashed, hash: auditEntryHash(unhashed) };
      entries.push(entry);
      prevHash = entry.hash;
    }
    // The entries and the new head in one statement.
    await tx.query(
      `WITH appended AS (
           INSERT INTO audit_log (${COLUMNS})
           SELECT * FROM unnest($1::text[], $2::bigint[], $3::timestamptz[], $4::text[], $5::text[],
                                $6::text[], $7::jsonb[], $8::jsonb[], $9::text[], $10::text[]))
         UPDATE audit_heads SET seq = $12, hash = $13 WHERE tenant_id = $11`,
      [
        entries.map((e) => e.tenantId),
        entries.map((e) => e.seq),
        entries.map((e) => e.at),
        entries.map((e) => e.subjectType),
        entries.map((e) => e.subjectId),
        entries.map((e) => e.action),
        entries.map((e) => (e.actor === null ? null : JSON.stringify(e.actor))),
        entries.map((e) => JSON.stringify(e.detail)),
        entries.map((e) => e.prevHash),
        entries.map((e) => e.hash),
        this.tenantId,
        seq,
        prevHash,
      ],
    );
    return entries;
  }

  /** Every entry about one subject, oldest first. */
  async timeline(db: Db, subjectType: string, subjectId: string): Promise<AuditEntry[]> {
    const rows = await db.query<AuditRow>(
      `SELECT ${COLUMNS} FROM audit_log WHERE tenant_id = $1 AND subject_type = $2 AND subject_id = $3 ORDER BY seq`,
      [this.tenantId, subjectType, subjectId],
    );
    return rows.map(toEntry);
  }

  /** Entries about any of several subjects of one type (e.g. a project's gates), oldest first. */
  async timelineOf(db: Db, subjectType: string, subjectIds: string[]): Promise<AuditEntry[]> {
    if (subjectIds.length === 0) return [];
    const rows = await db.query<AuditRow>(
      `SELECT ${COLUMNS} FROM audit_log WHERE tenant_id = $1 AND subject_type = $2 AND subject_id = ANY($3::text[]) ORDER BY seq`,
      [this.tenantId, subjectType, subjectIds],
    );
    return rows.map(toEntry);
  }
}

/** The outcome of checking one tenant's chain. */
export type AuditVerification =
  | { tenantId: string; ok: true; entries: number; headSeq: number; headHash: string }
  | {
      tenantId: string;
      ok: false;
      entries: number;
      /** The first entry that does not verify (null when the tail was cut off). */
      brokenSeq: number | null;
      problem: string;
      entry: Pick<AuditEntry, 'seq' | 'at' | 'subjectType' | 'subjectId' | 'action'> | null;
    };

const VERIFY_BATCH = 5000;

/**
 * Recomputes a tenant's chain from entry `from` (the first by default) to the head: each entry's
 * hash, its link to the previous entry, gap-free sequence numbers, and that the newest entry is the
 * recorded head (nothing cut off). From a later entry, the entry before it is checked against its
 * own contents and taken as the start of the links: an entry from `from` on cannot be altered
 * without breaking a hash or a link up to the head. Reads in batches so a long log verifies in
 * bounded memory.
 */
export async function verifyAuditChain(
  db: Db,
  tenantId: string,
  from = 1,
): Promise<AuditVerification> {
  // One snapshot of the chain: an entry and its head are written in one transaction, so one
  // appended while the chain is read (a refusal audited just after its answer, the app running
  // beside `npm run audit:verify`) is seen whole or not at all, never as a break.
  return db.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    return verifyChainIn(tx, tenantId, Number.isFinite(from) ? Math.max(1, Math.floor(from)) : 1);
  });
}

/**
 * `verifyAuditChain` for checks asked at once (evidence packs archived one after another): checks
 * asked while one runs share the next, one check from the earliest start asked, and each asker is
 * told about its own part, from its start to the head. Every check an asker gets began after it
 * asked. When the shared check finds the chain broken, the other askers are checked on their own.
 */
export function sharedAuditChainChecks(
  db: Db,
  tenantId: string,
): (from: number) => Promise<AuditVerification> {
  const startOf = (from: number) => (Number.isFinite(from) ? Math.max(1, Math.floor(from)) : 1);
  return groupRead(
    async (froms: readonly number[]) => {
      const starts = froms.map(startOf);
      const first = Math.min(...starts);
      const shared = await verifyAuditChain(db, tenantId, first);
      return Promise.all(
        starts.map((start): AuditVerification | Promise<AuditVerification> => {
          if (shared.ok) {
            return { ...shared, entries: Math.max(0, shared.headSeq - start + 1) };
          }
          // A broken chain is rare: every other asker gets a check of its own, so what it is told
          // (where its part broke, how many entries of it verified) is exactly that check's.
          return start === first ? shared : verifyAuditChain(db, tenantId, start);
        }),
      );
    },
    (from) => String(startOf(from)),
  );
}

/**
 * The first entry written at or after `since` (ISO time), where a check of what happened since
 * then starts; 1 (everything) when no entry is that recent. Found by time, not by subject: deleting
 * or re-assigning a subject's first entries cannot move the start past them.
 */
export async function auditSeqSince(db: Db, tenantId: string, since: string): Promise<number> {
  const [row] = await db.query<{ seq: string | number | null }>(
    'SELECT min(seq) AS seq FROM audit_log WHERE tenant_id = $1 AND at >= $2',
    [tenantId, since],
  );
  return row?.seq === null || row?.seq === undefined ? 1 : Number(row.seq);
}

async function verifyChainIn(db: Db, tenantId: string, start: number): Promise<AuditVerification> {
  let from = start;
  if (from > 1) {
    // Past the newest entry there is nothing to check but the head itself.
    const [head] = await db.query<{ seq: string | number }>(
      'SELECT seq FROM audit_heads WHERE tenant_id = $1',
      [tenantId],
    );
    from = Math.min(from, (head ? Number(head.seq) : 0) + 1);
  }
  let previousHash = GENESIS_HASH;
  let expectedSeq = from;
  let count = 0;
  if (from > 1) {
    const [row] = await db.query<AuditRow>(
      `SELECT ${COLUMNS} FROM audit_log WHERE tenant_id = $1 AND seq = $2`,
      [tenantId, from - 1],
    );
    const entry = row ? toEntry(row) : null;
    if (entry === null || auditEntryHash(entry) !== entry.hash) {
      return {
        tenantId,
        ok: false,
        entries: 0,
        brokenSeq: from - 1,
        problem:
          entry === null
            ? 'it was deleted'
            : 'it was altered after it was written (its hash does not match its contents)',
        entry: entry && describedEntry(entry),
      };
    }
    previousHash = entry.hash;
  }
  for (;;) {
    const rows = await db.query<AuditRow>(
      `SELECT ${COLUMNS} FROM audit_log WHERE tenant_id = $1 AND seq >= $2 ORDER BY seq LIMIT ${VERIFY_BATCH}`,
      [tenantId, expectedSeq],
    );
    for (const row of rows) {
      const entry = toEntry(row);
      const broken = (problem: string, brokenSeq = entry.seq): AuditVerification => ({
        tenantId,
        ok: false,
        entries: count,
        brokenSeq,
        problem,
        entry: describedEntry(entry),
      });
      if (entry.seq !== expectedSeq)
        return broken(`it was deleted (the next stored entry is ${entry.seq})`, expectedSeq);
      if (entry.prevHash !== previousHash)
        return broken(
          'it does not link to the entry before it (an entry was inserted, moved or rewritten)',
        );
      if (auditEntryHash(entry) !== entry.hash)
        return broken('it was altered after it was written (its hash does not match its contents)');
      previousHash = entry.hash;
      expectedSeq += 1;
      count += 1;
    }
    if (rows.length < VERIFY_BATCH) break;
  }
  const [head] = await db.query<{ seq: string | number; hash: string }>(
    'SELECT seq, hash FROM audit_heads WHERE tenant_id = $1',
    [tenantId],
  );
  const headSeq = head ? Number(head.seq) : 0;
  const last = expectedSeq - 1;
  if (headSeq !== last || (head && head.hash !== previousHash && headSeq > 0)) {
    return {
      tenantId,
      ok: false,
      entries: count,
      brokenSeq: last < headSeq ? last + 1 : null,
      problem: `the log ends at entry ${last} but its head records entry ${headSeq}: entries were removed`,
      entry: null,
    };
  }
  return { tenantId, ok: true, entries: count, headSeq, headHash: previousHash };
}

/** What a failed check names of an entry. */
function describedEntry(
  entry: AuditEntry,
): Pick<AuditEntry, 'seq' | 'at' | 'subjectType' | 'subjectId' | 'action'> {
  const { seq, at, subjectType, subjectId, action } = entry;
  return { seq, at, subjectType, subjectId, action };
}

/** Every tenant that has an audit log. */
export async function auditTenants(db: Db): Promise<string[]> {
  const rows = await db.query<{ tenant_id: string }>(
    'SELECT tenant_id FROM audit_heads UNION SELECT DISTINCT tenant_id FROM audit_log ORDER BY 1',
  );
  return rows.map((r) => r.tenant_id);
}

export type { AuditActor, AuditEntry, AuditEntryInput };
