import type {
  AcceptedTuning,
  PostProjectReviews,
  StoredPostProjectReview,
} from '../app/delivery/post-project-reviews.port';
import type { PolicyTuning } from '../domain/delivery/policy-tuning';
import type { PostProjectReview } from '../domain/delivery/post-project-review';
import type { Db } from './db';
import { parseJson } from './conversation-routes.repository';

type Raw = {
  project_id: number | string;
  closed_on: string | Date | null;
  review: unknown;
  tunings: unknown;
  created_at: string | Date;
  accepted: unknown;
};

const day = (v: string | Date | null): string | null =>
  v === null ? null : v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10);

function toStored(r: Raw): StoredPostProjectReview {
  return {
    projectId: Number(r.project_id),
    closedOn: day(r.closed_on),
    review: parseJson(r.review) as PostProjectReview,
    tunings: parseJson(r.tunings) as PolicyTuning[],
    createdAt: new Date(r.created_at).toISOString(),
    accepted: (r.accepted === null ? null : parseJson(r.accepted)) as AcceptedTuning | null,
  };
}

/** The post-project reviews of one tenant in SQL. */
export function postProjectReviewsOn(db: Db, tenantId: string): PostProjectReviews {
  return {
    async reviewed(projectIds) {
      if (projectIds.length === 0) return new Set();
      const rows = await db.query<{ project_id: number | string }>(
        `SELECT project_id FROM post_project_reviews WHERE tenant_id = $1 AND project_id = ANY($2::bigint[])`,
        [tenantId, projectIds],
      );
      return new Set(rows.map((r) => Number(r.project_id)));
    },
    async insert(review) {
      const rows = await db.query(
        `INSERT INTO post_project_reviews (tenant_id, project_id, closed_on, review, tunings, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING project_id`,
        [
          tenantId,
          review.projectId,
          review.closedOn,
          JSON.stringify(review.review),
          JSON.stringify(review.tunings),
          review.createdAt,
        ],
      );
      return rows.length > 0;
    },
    async find(projectId, forUpdate = false) {
      const rows = await db.query<Raw>(
        `SELECT project_id, closed_on::text AS closed_on, review, tunings, created_at, accepted
           FROM post_project_reviews WHERE tenant_id = $1 AND project_id = $2${forUpdate ? ' FOR UPDATE' : ''}`,
        [tenantId, projectId],
      );
      return rows[0] ? toStored(rows[0]) : null;
    },
    async markAccepted(projectId, accepted) {
      await db.query(
        `UPDATE post_project_reviews SET accepted = $3 WHERE tenant_id = $1 AND project_id = $2`,
        [tenantId, projectId, JSON.stringify(accepted)],
      );
    },
  };
}
