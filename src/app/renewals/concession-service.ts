/**
 * Concession / pricing-exception approvals (SPEC §3.4). An account manager requests a discount
 * with a reason; the request is assessed (depth, margin after, expected retention effect,
 * precedent) and routed to the approver tier the policy names. The decision is taken once: the
 * domain refuses the wrong role, the requester, a stale card and a decided request; the store
 * applies it with compare-and-set, so of any number of concurrent clicks exactly one decides.
 * Every request, decision and refusal is written to the audit log and the contract's renewal
 * timeline, and the posted card is updated for everyone through the outbox — all in the deciding
 * transaction.
 */
import type { AuditActor, AuditLog } from '../../audit/audit-log';
import {
  assessConcession,
  decideConcession,
  TIER_APPROVER_ROLES,
  type ConcessionAssessment,
  type ConcessionPrecedent,
  type ConcessionRefusal,
  type ConcessionState,
  type RenewalPolicy,
} from '../../domain/renewals';
import { enqueue } from '../../notifications/outbox';
import type { ConcessionPayload } from '../../notifications/renewal-payloads';
import type { Db } from '../../store/db';
import { RenewalRepository, type ConcessionRow } from '../../store/renewal.repository';
import type { Actor } from '../delivery-views';
import { billingPeriodMonths } from './build-contract-facts';
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

/** Dependencies (ports) of the service. */
export interface ConcessionServiceDeps {
  db: Db;
  tenantId: string;
  now: () => Date;
  policy: RenewalPolicy;
  audit: AuditLog;
  /** Called after something was put in the outbox. */
  onOutboxChanged?: () => void;
}

/** Roles that may request a concession. */
export const CONCESSION_REQUESTER_ROLES = ['account_manager', 'cs_lead', 'msp_owner'] as const;

const REFUSAL_TEXT: Record<ConcessionServiceRefusal, string> = {
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

function auditActor(actor: Actor): AuditActor {
  return { aadObjectId: actor.aadObjectId, email: actor.email, name: actor.name };
}

/** The outbox dedupe key of a concession's card. */
export function concessionCardKey(id: number): string {
  return `concession:${id}`;
}

/** Request and decide concessions. */
export class ConcessionService {
  private readonly repo: RenewalRepository;

  constructor(private readonly deps: ConcessionServiceDeps) {
    this.repo = new RenewalRepository(deps.tenantId);
  }

  /** An account manager asks for `discountPct` % off a contract's renewal, with a reason. */
  async request(
    actor: Actor,
    input: { contractId: number; discountPct: number; reason: string },
  ): Promise<ConcessionResult> {
    const { db, now, policy } = this.deps;
    const refuse = async (
      reason: ConcessionServiceRefusal,
      message: string,
    ): Promise<ConcessionResult> => {
      await this.deps.audit.append(db, {
        subjectType: 'contract',
        subjectId: String(input.contractId),
        action: 'concession.request.refused',
        actor: auditActor(actor),
        detail: { reason, discountPct: input.discountPct },
      });
      return { ok: false, reason, message, concession: null };
    };
    if (!actor.roles.some((r) => (CONCESSION_REQUESTER_ROLES as readonly string[]).includes(r))) {
      return refuse('not-authorised', REFUSAL_TEXT['not-authorised']);
    }
    if (!Number.isInteger(input.contractId) || input.contractId <= 0) {
      return refuse('invalid-input', 'Say which contract (its id).');
    }
    if (!Number.isFinite(input.discountPct)) {
      return refuse('invalid-input', 'The discount must be a number of percent, e.g. 8.');
    }
    const money = (await this.repo.contractMoney(db, [input.contractId])).get(input.contractId);
    const labels = await this.repo.contractLabels(db, [input.contractId]);
    if (!money) return refuse('not-found', `There is no contract ${input.contractId}.`);
    const months = billingPeriodMonths(money.billingPeriod) ?? 1;
    const monthlyValue = (money.periodCharge ?? 0) / months;
    if (!(monthlyValue > 0)) {
      return refuse('invalid-input', 'The contract has no recurring value to discount.');
    }
    const latest = (await this.repo.latestSnapshots(db)).find(
      (s) => s.contractId === input.contractId,
    );
    const at = now();
    const request = {
      id: 'new',
      contractId: String(input.contractId),
      requestedBy: actorKey(actor),
      discountPct: input.discountPct,
      reason: input.reason,
      requestedAt: at.toISOString(),
    };
    const assessment = assessConcession(
      request,
      {
        contractId: String(input.contractId),
        monthlyValue,
        monthlyCost:
          money.costPerPeriod !== null && money.costPerPeriod > 0
            ? money.costPerPeriod / months
            : null,
        contractType: money.contractType,
        band: (latest?.band as 'ready' | 'watch' | 'at-risk' | 'unknown' | undefined) ?? 'unknown',
      },
      await this.precedents(db),
      policy,
    );
    if (assessment.problems.length > 0) {
      return refuse('invalid-input', `Not requested: ${assessment.problems.join('; ')}.`);
    }
    const label = labels.get(input.contractId);
    const result = await db.transaction(async (tx) => {
      const id = await this.repo.insertConcession(tx, {
        contractId: input.contractId,
        clientId: label?.clientId ?? null,
        discountPct: input.discountPct,
        reason: input.reason.trim(),
        assessment: assessment as unknown as Record<string, unknown>,
        approverTier: assessment.approverTier,
        requestedBy: { name: actor.name, email: actor.email, aadObjectId: actor.aadObjectId },
        requestedByKey: actorKey(actor),
        requestedAt: at.toISOString(),
      });
      if (id === null) return null;
      const row = (await this.repo.concession(tx, id))!;
      const view = await this.view(tx, row);
      await this.repo.addEvent(tx, {
        contractId: input.contractId,
        at: at.toISOString(),
        kind: 'concession.requested',
        actor: actor.name,
        summary: `${actor.name} requested a ${input.discountPct} % concession (${assessment.approverTier.replace('_', ' ')} approves): ${input.reason.trim()}`,
        detail: { concessionId: id, tier: assessment.approverTier },
      });
      await this.deps.audit.append(tx, {
        subjectType: 'concession',
        subjectId: String(id),
        action: 'concession.requested',
        actor: auditActor(actor),
        detail: {
          contractId: input.contractId,
          discountPct: input.discountPct,
          reason: input.reason.trim(),
          approverTier: assessment.approverTier,
          marginAfterPct: assessment.marginAfterPct,
        },
      });
      const payload: ConcessionPayload = { concession: view, notice: null };
      await enqueue(
        tx,
        this.deps.tenantId,
        {
          dedupeKey: concessionCardKey(id),
          kind: 'concession',
          payload,
          target: { streams: ['renewals'], clientId: label?.clientId ?? null },
        },
        at,
      );
      await this.repo.setConcessionCard(tx, id, concessionCardKey(id));
      return view;
    });
    if (result === null) return refuse('already-pending', REFUSAL_TEXT['already-pending']);
    this.deps.onOutboxChanged?.();
    return { ok: true, concession: result };
  }

  /**
   * Approve or reject. `expectedVersion` is the version the actor's card showed (optional: the API
   * may decide without one). Exactly one of any number of concurrent decisions succeeds.
   */
  async decide(
    actor: Actor,
    input: {
      concessionId: number;
      decision: 'approve' | 'reject';
      comment?: string;
      expectedVersion?: number;
    },
  ): Promise<ConcessionResult> {
    const { db, now } = this.deps;
    const outcome = await db.transaction(async (tx) => {
      const row = await this.repo.concession(tx, input.concessionId);
      if (!row) return { kind: 'not-found' as const };
      const at = now().toISOString();
      const decided = decideConcession(stateOf(row), {
        actor: actorKey(actor),
        actorRoles: actor.roles,
        decision: input.decision,
        at,
        ...(input.comment !== undefined ? { comment: input.comment } : {}),
        ...(input.expectedVersion !== undefined ? { expectedVersion: input.expectedVersion } : {}),
      });
      let reason: ConcessionRefusal | null = decided.ok ? null : decided.reason;
      if (decided.ok) {
        const applied = await this.repo.decideConcession(tx, row.id, decided.expectedVersion, {
          status: decided.state.status === 'approved' ? 'approved' : 'rejected',
          decidedBy: { name: actor.name, email: actor.email, aadObjectId: actor.aadObjectId },
          decidedAt: at,
          comment: decided.state.comment,
        });
        // Someone else decided between our read and our write.
        if (!applied) reason = 'already-decided';
      }
      if (reason !== null) {
        await this.deps.audit.append(tx, {
          subjectType: 'concession',
          subjectId: String(row.id),
          action: 'concession.refused',
          actor: auditActor(actor),
          detail: { contractId: row.contractId, reason, decision: input.decision },
        });
        await this.repo.addEvent(tx, {
          contractId: row.contractId,
          at,
          kind: 'concession.refused',
          actor: actor.name,
          summary: `${actor.name} could not ${input.decision} concession ${row.id}: ${REFUSAL_TEXT[reason]}`,
          detail: { concessionId: row.id, reason },
        });
        return { kind: 'refused' as const, reason, id: row.id };
      }
      const stored = (await this.repo.concession(tx, row.id))!;
      const view = await this.view(tx, stored);
      const verb = stored.status === 'approved' ? 'approved' : 'rejected';
      await this.repo.addEvent(tx, {
        contractId: row.contractId,
        at,
        kind: 'concession.decided',
        actor: actor.name,
        summary: `${actor.name} ${verb} the ${row.discountPct} % concession${stored.comment ? `: ${stored.comment}` : ''}`,
        detail: { concessionId: row.id, status: stored.status },
      });
      await this.deps.audit.append(tx, {
        subjectType: 'concession',
        subjectId: String(row.id),
        action: `concession.${verb}`,
        actor: auditActor(actor),
        detail: {
          contractId: row.contractId,
          discountPct: row.discountPct,
          comment: stored.comment,
          approverTier: row.approverTier,
        },
      });
      const cardKey = await this.repo.concessionCard(tx, row.id);
      if (cardKey !== null) {
        const payload: ConcessionPayload = {
          concession: view,
          notice: {
            tone: 'success',
            text: `${verb[0]!.toUpperCase()}${verb.slice(1)} by ${actor.name} at ${at.slice(0, 16).replace('T', ' ')} UTC`,
          },
        };
        await enqueue(
          tx,
          this.deps.tenantId,
          {
            dedupeKey: `${cardKey}:decided`,
            kind: 'concession',
            payload,
            updateOf: cardKey,
          },
          new Date(at),
        );
      }
      return { kind: 'decided' as const, view };
    });
    if (outcome.kind === 'not-found') {
      return {
        ok: false,
        reason: 'not-found',
        message: REFUSAL_TEXT['not-found'],
        concession: null,
      };
    }
    if (outcome.kind === 'refused') {
      const row = await this.repo.concession(db, outcome.id);
      return {
        ok: false,
        reason: outcome.reason,
        message: REFUSAL_TEXT[outcome.reason],
        concession: row ? await this.view(db, row) : null,
      };
    }
    this.deps.onOutboxChanged?.();
    return { ok: true, concession: outcome.view };
  }

  /** The card / API view of a stored concession. */
  async get(concessionId: number): Promise<ConcessionView | null> {
    const row = await this.repo.concession(this.deps.db, concessionId);
    return row ? this.view(this.deps.db, row) : null;
  }

  private async view(db: Db, row: ConcessionRow): Promise<ConcessionView> {
    const a = row.assessment as unknown as ConcessionAssessment;
    const label = (await this.repo.contractLabels(db, [row.contractId])).get(row.contractId);
    const approvers = await this.repo.aadObjectIdsWithRoles(
      db,
      TIER_APPROVER_ROLES[row.approverTier],
    );
    return {
      id: row.id,
      contractId: row.contractId,
      ref: label?.ref ?? `Contract ${row.contractId}`,
      clientName: label?.clientName ?? 'Unknown client',
      discountPct: row.discountPct,
      reason: row.reason,
      monthlyRevenueBefore: a.monthlyRevenueBefore,
      monthlyRevenueAfter: a.monthlyRevenueAfter,
      marginBeforePct: a.marginBeforePct,
      marginAfterPct: a.marginAfterPct,
      retention: a.expectedRetentionEffect.assumption,
      expectedMonthlyRevenueDelta: a.expectedRetentionEffect.expectedMonthlyRevenueDelta,
      precedentAvgDepthPct: a.precedentAvgDepthPct,
      precedentCount: a.precedentCount,
      approverTier: row.approverTier,
      tierReasons: a.tierReasons,
      status: row.status,
      version: row.version,
      requestedBy: row.requestedBy.name,
      requestedAt: row.requestedAt,
      decidedBy: row.decidedBy?.name ?? null,
      decidedAt: row.decidedAt,
      comment: row.comment,
      // The requester never sees the approve buttons (segregation of duties).
      approverAadObjectIds: approvers.filter((id) => id !== row.requestedBy.aadObjectId),
    };
  }

  private async precedents(db: Db): Promise<ConcessionPrecedent[]> {
    const decided = (await this.repo.concessions(db, null)).filter((c) => c.status !== 'pending');
    if (decided.length === 0) return [];
    const money = await this.repo.contractMoney(
      db,
      decided.map((c) => c.contractId),
    );
    return decided.map((c) => {
      const m = money.get(c.contractId);
      const months = billingPeriodMonths(m?.billingPeriod ?? null) ?? 1;
      return {
        contractId: String(c.contractId),
        monthlyValue: (m?.periodCharge ?? 0) / months,
        contractType: m?.contractType ?? null,
        discountPct: c.discountPct,
        outcome: c.status === 'approved' ? 'approved' : 'rejected',
      };
    });
  }
}

function stateOf(row: ConcessionRow): ConcessionState {
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
