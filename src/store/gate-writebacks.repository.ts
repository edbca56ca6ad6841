import type { GateWritebackIntent, GateWritebacks } from '../app/gates/gate-writebacks.port';
import type { Db } from './db';

/** Gate decisions' HaloPSA writes, queued in `halo_writebacks` for the write-back dispatcher. */
export class SqlGateWritebacks implements GateWritebacks {
  constructor(
    private readonly db: Db,
    private readonly tenantId: string,
  ) {}

  async enqueue(intent: GateWritebackIntent, now: string): Promise<void> {
    await this.db.query(
      `INSERT INTO halo_writebacks (tenant_id, dedupe_key, kind, subject_type, subject_id, ticket_id, payload,
                                    marker, status, next_attempt_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9, $9) ON CONFLICT (tenant_id, dedupe_key) DO NOTHING`,
      [
        this.tenantId,
        intent.dedupeKey,
        intent.kind,
        intent.subjectType,
        intent.subjectId,
        intent.ticketId,
        JSON.stringify(intent.payload),
        intent.marker,
        now,
      ],
    );
  }
}
