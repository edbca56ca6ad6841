/** What the re-baseline card, the API and the audit show of a request. */
import type { RebaselineRequestRow } from './rebaseline-requests.port';

/** Outbox kind of the re-baseline request card. */
export const REBASELINE_REQUEST_KIND = 'rebaseline-request';

/** Dedupe key of a request's card (decisions update it in place). */
export function rebaselineCardKey(requestId: string): string {
  return `rebaseline:${requestId}`;
}

export interface RebaselineRequestView {
  id: string;
  projectId: number;
  projectName: string;
  reason: string;
  fromVersion: number;
  status: RebaselineRequestRow['status'];
  requestedBy: string;
  requestedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  comment: string | null;
  toVersion: number | null;
  changes: string[];
}

/** Payload of a `rebaseline-request` outbox row. */
export interface RebaselineRequestPayload {
  request: RebaselineRequestView;
  notice?: { tone: 'success' | 'refused'; text: string } | null;
}

/** The stored request as its card and the API show it. */
export function rebaselineViewOf(
  row: RebaselineRequestRow,
  projectName: string,
): RebaselineRequestView {
  return {
    id: row.id,
    projectId: row.projectId,
    projectName,
    reason: row.reason,
    fromVersion: row.fromVersion,
    status: row.status,
    requestedBy: row.requestedBy.name,
    requestedAt: row.requestedAt,
    decidedBy: row.decidedBy?.name ?? null,
    decidedAt: row.decidedAt,
    comment: row.comment,
    toVersion: row.toVersion,
    changes: row.changes ?? [],
  };
}
