/**
 * Group commit for audit entries that record no change (refusals): each batch takes the tenant's
 * audit head once, so fifty approvers refused at once cost a few turns behind the head instead of
 * fifty. Each caller still gets its entry back only once it is committed.
 */
import type { AuditTrail } from '../app/ports/audit.port';
import { groupCommit } from '../shared/group-commit';
import type { Db } from '../store/db';
import type { AuditLog } from './audit-log';

/** An audit trail on `db` whose appends are written in batches (not for entries inside a change's transaction). */
export function batchedAuditTrail(log: AuditLog, db: Db): AuditTrail {
  return {
    append: groupCommit(
      (inputs) => log.appendMany(db, inputs),
      (input) => log.append(db, input),
    ),
    timeline: (subjectType, subjectId) => log.timeline(db, subjectType, subjectId),
    timelineOf: (subjectType, subjectIds) => log.timelineOf(db, subjectType, subjectIds),
  };
}
