import type { ConcessionRequests, ConcessionRow } from '../app/renewals/concession-requests.port';
import type { Db } from './db';
import { json, isoOf, numOrNull } from './renewal-columns';

/** Concession requests, their decisions and cards (`concession_requests`, `concession_decisions`, `concession_cards`). */
export class ConcessionRepository implements ConcessionRequests {
  constructor(
    private readonly db: Db,
    readonly tenantId: string,
  ) {}

  /** Stores a new pending concession request; null when the contract already has one pending. */
  async insertConcession(
    c: Omit<ConcessionRow, 'id' | 'status' | 'version' | 'decidedBy' | 'decidedAt' | 'comment'>,
  ): Promise<number | null> {
    const rows = await this.db.query(
      `INSERT INTO concession_requests (tenant_id, contract_id, client_id, discount_pct, reason, assessment,
          approver_tier, status, requested_by, requested_by_key, requested_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $9, $10)
       ON CONFLICT (tenant_id, contract_id) WHERE status = 'pending' DO NOTHING RETURNING id`,
      [
        this.tenantId,
        c.contractId,
        c.clientId,
        c.discountPct,
        c.reason,
        JSON.stringify(c.assessment),
        c.approverTier,
        JSON.stringify(c.requestedBy),
        c.requestedByKey,
        c.requestedAt,
      ],
    );
    return rows[0] ? Number(rows[0].id) : null;
  }

  /** One concession request. */
  async concession(id: number): Promise<ConcessionRow | null> {
    const rows = await this.db.query(
      'SELECT * FROM concession_requests WHERE tenant_id = $1 AND id = $2',
      [this.tenantId, id],
    );
    return rows[0] ? concessionOf(rows[0]) : null;
  }

  /** Concession requests (of one contract, or all), newest first. */
  async concessions(contractId: number | null): Promise<ConcessionRow[]> {
    const rows = await this.db.query(
      `SELECT * FROM concession_requests WHERE tenant_id = $1 AND ($2::bigint IS NULL OR contract_id = $2)
        ORDER BY requested_at DESC, id DESC`,
      [this.tenantId, contractId],
    );
    return rows.map(concessionOf);
  }

  /**
   * Applies a decision if the request is still pending at `expectedVersion` (compare-and-set), and
   * records it in `concession_decisions` (one row per request). False when someone decided first.
   */
  async decideConcession(
    id: number,
    expectedVersion: number,
    d: {
      status: 'approved' | 'rejected';
      decidedBy: NonNullable<ConcessionRow['decidedBy']>;
      decidedAt: string;
      comment: string | null;
    },
  ): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE concession_requests SET status = $4, version = version + 1, decided_by = $5, decided_at = $6,
              comment = $7
        WHERE tenant_id = $1 AND id = $2 AND version = $3 AND status = 'pending' RETURNING id`,
      [
        this.tenantId,
        id,
        expectedVersion,
        d.status,
        JSON.stringify(d.decidedBy),
        d.decidedAt,
        d.comment,
      ],
    );
    if (rows.length !== 1) return false;
    await this.db.query(
      `INSERT INTO concession_decisions (tenant_id, concession_id, decision, decided_by, decided_at, comment)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [this.tenantId, id, d.status, JSON.stringify(d.decidedBy), d.decidedAt, d.comment],
    );
    return true;
  }

  /** Marks a still-pending request (at `expectedVersion`) expired at `at`; false when it moved on. */
  async expireConcession(id: number, expectedVersion: number, at: string): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE concession_requests SET status = 'expired', version = version + 1, decided_at = $4
        WHERE tenant_id = $1 AND id = $2 AND version = $3 AND status = 'pending' RETURNING id`,
      [this.tenantId, id, expectedVersion, at],
    );
    return rows.length === 1;
  }

  /** Remembers which outbox post carries a concession's card. */
  async setConcessionCard(id: number, dedupeKey: string): Promise<void> {
    await this.db.query(
      `INSERT INTO concession_cards (tenant_id, concession_id, dedupe_key) VALUES ($1, $2, $3)
       ON CONFLICT (tenant_id, concession_id) DO NOTHING`,
      [this.tenantId, id, dedupeKey],
    );
  }

  /** The outbox dedupe key of a concession's posted card, if any. */
  async concessionCard(id: number): Promise<string | null> {
    const rows = await this.db.query(
      'SELECT dedupe_key FROM concession_cards WHERE tenant_id = $1 AND concession_id = $2',
      [this.tenantId, id],
    );
    return rows[0] ? String(rows[0].dedupe_key) : null;
  }
}

function concessionOf(r: Record<string, unknown>): ConcessionRow {
  return {
    id: Number(r.id),
    contractId: Number(r.contract_id),
    clientId: numOrNull(r.client_id),
    discountPct: Number(r.discount_pct),
    reason: String(r.reason),
    assessment: json(r.assessment),
    approverTier: String(r.approver_tier) as ConcessionRow['approverTier'],
    status: String(r.status) as ConcessionRow['status'],
    version: Number(r.version),
    requestedBy: json(r.requested_by),
    requestedByKey: String(r.requested_by_key),
    requestedAt: isoOf(r.requested_at),
    decidedBy: r.decided_by === null ? null : json(r.decided_by),
    decidedAt: r.decided_at === null ? null : isoOf(r.decided_at),
    comment: (r.comment as string | null) ?? null,
  };
}
