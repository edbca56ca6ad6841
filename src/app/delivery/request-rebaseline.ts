import { buildProjectFacts, indexDeliveryHistory } from '../../domain/delivery/build-project-facts';
import type { ProjectFacts } from '../../domain/delivery/project-facts';
import type { Clock } from '../../shared/clock';
import type { Signal } from '../../shared/signal';
import type { Actor, RefusalReason } from '../delivery-views';
import { auditActor } from '../gates/gate-actors';
import type { AuditTrail } from '../ports/audit.port';
import type { Outbox } from '../ports/notifications.port';
import type { Transactional } from '../ports/transaction.port';
import type { DeliveryHistoryReader } from './delivery-history.port';
import type { RebaselineRequests } from './rebaseline-requests.port';
import {
  REBASELINE_REQUEST_KIND,
  rebaselineCardKey,
  rebaselineViewOf,
  type RebaselineRequestPayload,
  type RebaselineRequestView,
} from './rebaseline-views';

/** Ports of the re-baseline use cases. */
export interface RebaselineDeps {
  tenantId: string;
  history: DeliveryHistoryReader;
  tx: Transactional<{ requests: RebaselineRequests; outbox: Outbox; audit: AuditTrail }>;
  clock: Clock;
  outboxSignal: Signal;
}

export type RebaselineOutcome =
  | { ok: true; request: RebaselineRequestView; notice: string }
  | { ok: false; reason: RefusalReason; message: string; request: RebaselineRequestView | null };

/** Longest reason kept (a paragraph, not a document). */
export const MAX_REBASELINE_REASON = 2000;

/** The project as of today from the HaloPSA mirror (its live plan), or null when unknown. */
export async function projectToday(
  deps: Pick<RebaselineDeps, 'tenantId' | 'history' | 'clock'>,
  projectId: number,
): Promise<ProjectFacts | null> {
  const history = await deps.history.load(deps.tenantId, { projectIds: [projectId] });
  const project = indexDeliveryHistory(history).get(projectId);
  const today = deps.clock.now().toISOString().slice(0, 10);
  return project ? buildProjectFacts(project, history, today) : null;
}

/** Records a refused decision on an existing request on its project's timeline. */
export async function auditRebaselineRefusal(
  deps: Pick<RebaselineDeps, 'tx'>,
  actor: Actor,
  projectId: number,
  attempted: string,
  reason: RefusalReason,
  message: string,
): Promise<void> {
  await deps.tx.transaction(({ audit }) =>
    audit.append({
      subjectType: 'project',
      subjectId: String(projectId),
      action: 'project.rebaseline.refused',
      actor: auditActor(actor),
      detail: { attempted, reason, message },
    }),
  );
}

/**
 * A project's PM asks to re-baseline it, with a reason: the request is stored, audited on the
 * project's timeline and its card (Approve / Reject) goes to the PMO channel. One pending request
 * per project; a project never evaluated has no baseline to replace yet.
 */
export class RequestRebaseline {
  constructor(private readonly deps: RebaselineDeps) {}

  async run(actor: Actor, projectId: number, reasonText: string): Promise<RebaselineOutcome> {
    const reason = reasonText.trim();
    // A refused request made nothing: it is answered, not recorded (a 4xx changes no row).
    const refuse = (why: RefusalReason, message: string) =>
      Promise.resolve({ ok: false as const, reason: why, message, request: null });
    const facts = await projectToday(this.deps, projectId);
    if (!facts) return refuse('not-found', `There is no project ${projectId}.`);
    const manages =
      actor.roles.includes('pm') &&
      actor.haloAgentId !== null &&
      facts.pmAgentId === String(actor.haloAgentId);
    if (!manages) {
      return refuse('not-authorised', "Only the project's PM can request a re-baseline.");
    }
    if (reason === '') return refuse('invalid-input', 'Say why the project needs a new baseline.');
    if (reason.length > MAX_REBASELINE_REASON) {
      return refuse('invalid-input', `Keep the reason under ${MAX_REBASELINE_REASON} characters.`);
    }
    const now = this.deps.clock.now().toISOString();
    const outcome = await this.deps.tx.transaction(async ({ requests, outbox, audit }) => {
      const current = await requests.currentBaseline(projectId);
      if (!current)
        return {
          refused: 'invalid-state' as const,
          message: 'The project has no baseline yet: it is captured at its first evaluation.',
        };
      const pending = await requests.pendingFor(projectId);
      if (pending)
        return {
          refused: 'invalid-state' as const,
          message: `A re-baseline request is waiting for the PMO lead already (${pending.id}).`,
        };
      const row = {
        id: `rb-${projectId}-${Date.parse(now)}`,
        projectId,
        reason,
        fromVersion: current.version,
        status: 'pending' as const,
        requestedBy: auditActor(actor),
        requestedAt: now,
        decidedBy: null,
        decidedAt: null,
        comment: null,
        toVersion: null,
        changes: null,
      };
      if (!(await requests.insert(row)))
        return {
          refused: 'invalid-state' as const,
          message: 'A re-baseline request is waiting for the PMO lead already.',
        };
      await audit.append({
        subjectType: 'project',
        subjectId: String(projectId),
        action: 'project.rebaseline.requested',
        actor: auditActor(actor),
        detail: { requestId: row.id, fromVersion: current.version, reason },
      });
      const view = rebaselineViewOf(row, facts.name);
      await outbox.enqueue({
        dedupeKey: rebaselineCardKey(row.id),
        kind: REBASELINE_REQUEST_KIND,
        payload: { request: view } satisfies RebaselineRequestPayload,
        target: { streams: ['reports'], clientId: facts.clientId ? Number(facts.clientId) : null },
      });
      return { view };
    });
    if (outcome.refused !== undefined) return refuse(outcome.refused, outcome.message);
    this.deps.outboxSignal.notify();
    return {
      ok: true,
      request: outcome.view,
      notice: `Re-baseline of ${facts.name} requested; the PMO lead decides.`,
    };
  }
}
