import type {
  RebaselineRequestRow,
  RebaselineRequests,
} from '../app/delivery/rebaseline-requests.port';
import type { AuditActor } from '../app/ports/audit.port';
import type { ProjectBaseline } from '../domain/delivery/project-facts';
import type { Db } from './db';
import { parseJson } from './conversation-routes.repository';

type Raw = {
  id: string;
  project_id: number | string;
  reason: string;
  from_version: number | string;
  status: RebaselineRequestRow['status'];
  requested_by: unknown;
  requested_at: string | Date;
  decided_by: unknown;
  decided_at: string | Date | null;
  comment: string | null;
  to_version: number | string | null;
  changes: unknown;
};

const COLUMNS = `id, project_id, reason, from_version, status, requested_by, requested_at, decided_by,
  decided_at, comment, to_version, changes`;

function toRow(r: Raw): RebaselineRequestRow {
  return {
    id: r.id,
    projectId: Number(r.project_id),
    reason: r.reason,
    fromVersion: Number(r.from_version),
    status: r.status,
    requestedBy: parseJson(r.requested_by) as AuditActor,
    requestedAt: new Date(r.requested_at).toISOString(),
    decidedBy: r.decided_by === null ? null : (parseJson(r.decided_by) as AuditActor),
    decidedAt: r.decided_at === null ? null : new Date(r.decided_at).toISOString(),
    comment: r.comment,
    toVersion: r.to_version === null ? null : Number(r.to_version),
    changes: r.changes === null ? null : (parseJson(r.changes) as string[]),
  };
}

/** Re-baseline requests and baseline versions of one tenant in SQL. */
export function rebaselineRequestsOn(db: Db, tenantId: string): RebaselineRequests {
  return {
    async pendingFor(projectId) {
      const rows = await db.query<Raw>(
        `SELECT ${COLUMNS} FROM rebaseline_requests
          WHERE tenant_id = $1 AND project_id = $2 AND status = 'pending'`,
        [tenantId, projectId],
      );
      return rows[0] ? toRow(rows[0]) : null;
    },
    async find(requestId, forUpdate = false) {
      const rows = await db.query<Raw>(
        `SELECT ${COLUMNS} FROM rebaseline_requests WHERE tenant_id = $1 AND id = $2${forUpdate ? ' FOR UPDATE' : ''}`,
        [tenantId, requestId],
      );
      return rows[0] ? toRow(rows[0]) : null;
    },
    async insert(r) {
      const rows = await db.query(
        `INSERT INTO rebaseline_requests (tenant_id, id, project_id, reason, from_version, status,
                requested_by, requested_at)
         VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7) ON CONFLICT DO NOTHING RETURNING id`,
        [
          tenantId,
          r.id,
          r.projectId,
          r.reason,
          r.fromVersion,
          JSON.stringify(r.requestedBy),
          r.requestedAt,
        ],
      );
      return rows.length > 0;
    },
    async decide(requestId, d) {
      const rows = await db.query(
        `UPDATE rebaseline_requests SET status = $3, decided_by = $4, decided_at = $5, comment = $6,
                to_version = $7, changes = $8
          WHERE tenant_id = $1 AND id = $2 AND status = 'pending' RETURNING id`,
        [
          tenantId,
          requestId,
          d.status,
          JSON.stringify(d.decidedBy),
          d.decidedAt,
          d.comment,
          d.toVersion,
          d.changes === null ? null : JSON.stringify(d.changes),
        ],
      );
      return rows.length > 0;
    },
    async currentBaseline(projectId) {
      const rows = await db.query<{ baseline: unknown }>(
        `SELECT baseline FROM project_baselines WHERE tenant_id = $1 AND project_id = $2
          ORDER BY version DESC LIMIT 1`,
        [tenantId, projectId],
      );
      return rows[0] ? (parseJson(rows[0].baseline) as ProjectBaseline) : null;
    },
    async saveBaseline(projectId, baseline, reason, by, at) {
      const rows = await db.query(
        `INSERT INTO project_baselines (tenant_id, project_id, version, baseline, captured_at, reason, changed_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING version`,
        [tenantId, projectId, baseline.version, JSON.stringify(baseline), at, reason, by],
      );
      return rows.length > 0;
    },
  };
}
