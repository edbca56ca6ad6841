import type { GateWritebackIntent, GateWritebacks } from '../app/gates/gate-writebacks.port';
import type { Db } from './db';

/** Gate decisions' HaloPSA writes, queued in `halo_writebacks` for the write-back dispatcher. */
export class SqlGateWritebacks implements GateWritebacks {
  constructor(
    private readonly db: Db,
    private readonly tenantId: string,
  ) {}

  async enqueue(intents: readonly GateWritebackIntent[], now: string): Promise<void> {
    if (intents.length === 0) return;
    // In order: the queue's id sequence is the order the dispatcher writes them in.
    await this.db.query(
      `INSERT INTO halo_writebacks (tenant_id, dedupe_key, kind, subject_type, subject_id, ticket_id, payload,
                                    marker, status, next_attempt_at, created_at)
       SELECT $1::text, w.dedupe_key, w.kind, w.subject_type, w.subject_id, w.ticket_id, w.payload, w.marker,
              'pending', $2::timestamptz, $2::timestamptz
         FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::jsonb[], $9::text[])
              WITH ORDINALITY AS w(dedupe_key, kind, subject_type, subject_id, ticket_id, payload, marker, n)
        ORDER BY w.n
       ON CONFLICT (tenant_id, dedupe_key) DO NOTHING`,
      [
        this.tenantId,
        now,
        intents.map((i) => i.dedupeKey),
        intents.map((i) => i.kind),
        intents.map((i) => i.subjectType),
        intents.map((i) => i.subjectId),
        intents.map((i) => i.ticketId),
        intents.map((i) => JSON.stringify(i.payload)),
        intents.map((i) => i.marker),
      ],
    );
  }
}
