import type {
  GovernanceReviews,
  StoredGovernanceReview,
  SuggestionDecision,
} from '../app/renewals/governance-reviews.port';
import type { AuditActor } from '../app/ports/audit.port';
import type { GovernanceReview } from '../domain/renewals';
import type { Db } from './db';
import { isoOf, json, numOrNull } from './renewal-columns';

/** The tenant's monthly governance reviews, their suggestion answers and sign-off. */
export class GovernanceReviewRepository implements GovernanceReviews {
  constructor(
    private readonly db: Db,
    readonly tenantId: string,
  ) {}

  async create(month: string, review: GovernanceReview, at: Date): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO governance_reviews (tenant_id, month, review, policy_version, created_at)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant_id, month) DO NOTHING RETURNING month`,
      [this.tenantId, month, JSON.stringify(review), review.policyVersion, at.toISOString()],
    );
    return rows.length === 1;
  }

  async review(month: string): Promise<StoredGovernanceReview | null> {
    const [rows, decisions] = await Promise.all([
      this.db.query('SELECT * FROM governance_reviews WHERE tenant_id = $1 AND month = $2', [
        this.tenantId,
        month,
      ]),
      this.db.query(
        `SELECT * FROM governance_suggestion_decisions WHERE tenant_id = $1 AND month = $2
          ORDER BY decided_at, suggestion_id`,
        [this.tenantId, month],
      ),
    ]);
    const r = rows[0];
    if (!r) return null;
    return {
      month: String(r.month),
      review: json<GovernanceReview>(r.review),
      createdAt: isoOf(r.created_at),
      decisions: decisions.map(decisionOf),
      signedOff:
        r.signed_off_at === null || r.signed_off_at === undefined
          ? null
          : { by: json<AuditActor>(r.signed_off_by), at: isoOf(r.signed_off_at) },
    };
  }

  async months(): Promise<string[]> {
    const rows = await this.db.query(
      'SELECT month FROM governance_reviews WHERE tenant_id = $1 ORDER BY month DESC',
      [this.tenantId],
    );
    return rows.map((r) => String(r.month));
  }

  async decide(month: string, d: SuggestionDecision): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO governance_suggestion_decisions
         (tenant_id, month, suggestion_id, decision, comment, decided_by, decided_at, policy_version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (tenant_id, month, suggestion_id) DO NOTHING RETURNING suggestion_id`,
      [
        this.tenantId,
        month,
        d.suggestionId,
        d.decision,
        d.comment,
        JSON.stringify(d.decidedBy),
        d.decidedAt,
        d.policyVersion,
      ],
    );
    return rows.length === 1;
  }

  async signOff(month: string, by: AuditActor, at: Date): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE governance_reviews SET signed_off_by = $3, signed_off_at = $4
        WHERE tenant_id = $1 AND month = $2 AND signed_off_at IS NULL RETURNING month`,
      [this.tenantId, month, JSON.stringify(by), at.toISOString()],
    );
    return rows.length === 1;
  }
}

function decisionOf(r: Record<string, unknown>): SuggestionDecision {
  return {
    suggestionId: String(r.suggestion_id),
    decision: r.decision === 'accepted' ? 'accepted' : 'rejected',
    comment: (r.comment as string | null) ?? null,
    decidedBy: json<AuditActor>(r.decided_by),
    decidedAt: isoOf(r.decided_at),
    policyVersion: numOrNull(r.policy_version),
  };
}
