import type { CheckpointRow, RenewalCheckpoints } from '../app/renewals/renewal-checkpoints.port';
import type { Db } from './db';
import { json, isoOf, dayOf, numOrNull } from './renewal-columns';

/** Logged customer checkpoints (`renewal_checkpoints`). */
export class RenewalCheckpointRepository implements RenewalCheckpoints {
  constructor(
    private readonly db: Db,
    readonly tenantId: string,
  ) {}

  /** Records a checkpoint. */
  async addCheckpoint(c: Omit<CheckpointRow, 'id'>): Promise<number> {
    const [row] = await this.db.query(
      `INSERT INTO renewal_checkpoints (tenant_id, contract_id, stage, meeting_on, notes, owner_call, score, band,
          disagrees, routed_to, logged_by, logged_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
      [
        this.tenantId,
        c.contractId,
        c.stage,
        c.meetingOn,
        c.notes,
        c.ownerCall,
        c.score,
        c.band,
        c.disagrees,
        c.routedTo,
        JSON.stringify(c.loggedBy),
        c.loggedAt,
      ],
    );
    return Number(row!.id);
  }

  /** A contract's checkpoints, oldest first (or every contract's when `contractId` is null). */
  async checkpoints(contractId: number | null): Promise<CheckpointRow[]> {
    const rows = await this.db.query(
      `SELECT * FROM renewal_checkpoints WHERE tenant_id = $1 AND ($2::bigint IS NULL OR contract_id = $2)
        ORDER BY logged_at, id`,
      [this.tenantId, contractId],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      contractId: Number(r.contract_id),
      stage: String(r.stage) as CheckpointRow['stage'],
      meetingOn: dayOf(r.meeting_on),
      notes: String(r.notes),
      ownerCall: String(r.owner_call),
      score: numOrNull(r.score),
      band: (r.band as string | null) ?? null,
      disagrees: r.disagrees === true,
      routedTo: (r.routed_to as string | null) ?? null,
      loggedBy: json(r.logged_by),
      loggedAt: isoOf(r.logged_at),
    }));
  }
}
