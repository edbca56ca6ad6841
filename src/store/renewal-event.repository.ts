import type { RenewalEventRow, RenewalEvents } from '../app/renewals/renewal-events.port';
import type { Db } from './db';
import { json, isoOf } from './renewal-columns';

/** The renewal timeline (`renewal_events`). */
export class RenewalEventRepository implements RenewalEvents {
  constructor(
    private readonly db: Db,
    readonly tenantId: string,
  ) {}

  /** Appends an entry to a contract's renewal timeline. */
  async addEvent(e: Omit<RenewalEventRow, 'id'>): Promise<void> {
    await this.db.query(
      `INSERT INTO renewal_events (tenant_id, contract_id, at, kind, actor, summary, detail)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [this.tenantId, e.contractId, e.at, e.kind, e.actor, e.summary, JSON.stringify(e.detail)],
    );
  }

  /** A contract's timeline events in order. */
  async events(contractId: number): Promise<RenewalEventRow[]> {
    const rows = await this.db.query(
      `SELECT * FROM renewal_events WHERE tenant_id = $1 AND contract_id = $2 ORDER BY at, id`,
      [this.tenantId, contractId],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      contractId: Number(r.contract_id),
      at: isoOf(r.at),
      kind: String(r.kind),
      actor: (r.actor as string | null) ?? null,
      summary: String(r.summary),
      detail: json<Record<string, unknown>>(r.detail),
    }));
  }
}
