/**
 * What requesting or deciding a concession can come to, and the rules both share: who may request,
 * the identity used for segregation of duties, and the key of the concession's posted card.
 */
import type { AuditActor } from '../ports/audit.port';
import type { ConcessionRefusal, ConcessionState } from '../../domain/renewals';
import type { Actor } from '../delivery-views';
import type { ConcessionRow } from './concession-requests.port';
import type { ConcessionView } from './renewal-views';

/** Why a request or decision was refused (business outcomes, not errors). */
export type ConcessionServiceRefusal =
  ConcessionRefusal | 'not-authorised' | 'not-found' | 'invalid-input' | 'already-pending';

/** The outcome of a request or decision. */
export type ConcessionResult =
  | { ok: true; concession: ConcessionView }
  | {
      ok: false;
      reason: ConcessionServiceRefusal;
      message: string;
      concession: ConcessionView | null;
    };

/** Roles that may request a concession. */
export const CONCESSION_REQUESTER_ROLES = ['account_manager', 'cs_lead', 'msp_owner'] as const;

export const REFUSAL_TEXT: Record<ConcessionServiceRefusal, string> = {
  'wrong-role': 'This concession needs a deeper approval tier than your role',
  'own-request': 'Nobody approves a concession they requested',
  'already-decided': 'This concession has already been decided',
  'stale-version': 'The card was out of date; it has been refreshed',
  'comment-required': 'A rejection needs a comment',
  'not-authorised': 'Only account managers (or cs leads / msp owners) can request concessions',
  'not-found': 'There is no such concession or contract',
  'invalid-input': 'The request is not valid',
  'already-pending': 'This contract already has a concession waiting for a decision',
};

/** The stable identity used for segregation of duties. */
export function actorKey(actor: Pick<Actor, 'aadObjectId' | 'email' | 'name'>): string {
  return actor.aadObjectId ?? (actor.email ? actor.email.toLowerCase() : `name:${actor.name}`);
}

export function auditActor(actor: Actor): AuditActor {
  return { aadObjectId: actor.aadObjectId, email: actor.email, name: actor.name };
}

/** The outbox dedupe key of a concession's card. */
export function concessionCardKey(id: number): string {
  return `concession:${id}`;
}

/** The domain's view of a stored request. */
export function concessionStateOf(row: ConcessionRow): ConcessionState {
  return {
    request: {
      id: String(row.id),
      contractId: String(row.contractId),
      requestedBy: row.requestedByKey,
      discountPct: row.discountPct,
      reason: row.reason,
      requestedAt: row.requestedAt,
    },
    approverTier: row.approverTier,
    status: row.status,
    version: row.version,
    decidedBy: row.decidedBy?.name ?? null,
    decidedAt: row.decidedAt,
    comment: row.comment,
  };
}
