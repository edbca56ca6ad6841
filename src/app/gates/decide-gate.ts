import { postGateNotice } from './post-gate-notice';
import { decideGate, statusWords, type GateOutcome } from '../../domain/gates/gate-decision';
import type { GatePolicy } from '../../domain/gates/gate-policy';
import type { Clock } from '../../shared/clock';
import type { Signal } from '../../shared/signal';
import type { Actor } from '../delivery-views';
import type { AuditTrail } from '../ports/audit.port';
import type { Transactional } from '../ports/transaction.port';
import { auditActor, auditGateRefusal, gatePerson } from './gate-actors';
import { GATE_NOTIFICATION_KIND, gateCardKey, type GatePayload } from './gate-payloads';
import type { GateProjectContext } from './gate-projects.port';
import type { GateRow } from './gate-repository.port';
import type { GateTxPorts } from './gate-transaction.port';
import type { GateWritebackIntent } from './gate-writebacks.port';
import { gateViewOf } from './gate-view-of';
import type { GateDecideResult } from './gate-views';

/** An approver's decision on the pack version they saw. */
export interface GateDecisionInput {
  gateId: string;
  packVersion: number;
  outcome: GateOutcome;
  comment: string;
}

export interface DecideGateDeps {
  /** Records refusals (outside the refused change, which did not happen). */
  audit: AuditTrail;
  tx: Transactional<GateTxPorts>;
  policy: GatePolicy;
  clock: Clock;
  /** Notified after a decision queued its card update. */
  outboxChanged: Signal;
  /** Notified after a decision (maybe) queued its HaloPSA note. */
  writebackQueued: Signal;
  /** Runs after a decision approved the gate (archives the evidence pack PDF). */
  afterApproval?: (gateId: string) => Promise<void>;
}

/** Someone else's decision committed first: roll back and decide again on the new state. */
class Conflict extends Error {}

const MAX_ATTEMPTS = 5;

/**
 * Records an approver's decision on the pack version they saw. The gate row is locked and updated
 * by compare-and-set on (status, version, approvals); the decision row's unique keys back it up. A
 * final decision queues the HaloPSA private note in the same transaction; an approval also queues
 * its milestone's completion in HaloPSA.
 */
export class DecideGate {
  constructor(private readonly deps: DecideGateDeps) {}

  async run(actor: Actor, input: GateDecisionInput): Promise<GateDecideResult> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      let outcome: GateDecideResult;
      try {
        outcome = await this.deps.tx.transaction((tx) => this.decideIn(tx, actor, input));
      } catch (error) {
        if (error instanceof Conflict) continue;
        throw error;
      }
      if (outcome.ok) {
        this.deps.outboxChanged.notify();
        this.deps.writebackQueued.notify();
        if (outcome.gate.status === 'approved') await this.afterApproval(input.gateId);
      } else {
        await auditGateRefusal(this.deps.audit, {
          gateId: input.gateId,
          actor,
          attempted: `gate.${input.outcome}`,
          reason: outcome.reason,
          message: outcome.message,
          detail: {
            packVersion: input.packVersion,
            currentVersion: outcome.gate?.packVersion ?? null,
            status: outcome.gate?.status ?? null,
          },
        });
      }
      return outcome;
    }
    throw new Error(`gate ${input.gateId} kept changing under concurrent decisions`);
  }

  /**
   * The approval is committed whatever happens here: a failed follow-up (the evidence store is
   * down) is audited on the gate so it can be seen and redone, and the decision still stands.
   */
  private async afterApproval(gateId: string): Promise<void> {
    if (!this.deps.afterApproval) return;
    try {
      await this.deps.afterApproval(gateId);
    } catch (error) {
      await this.deps.audit.append({
        subjectType: 'gate',
        subjectId: gateId,
        action: 'gate.pack.archive-failed',
        actor: null,
        detail: { error: error instanceof Error ? error.message : String(error) },
      });
    }
  }

  private async decideIn(
    tx: GateTxPorts,
    actor: Actor,
    input: GateDecisionInput,
  ): Promise<GateDecideResult> {
    const { policy } = this.deps;
    const gate = await tx.gates.find(input.gateId, true);
    if (!gate) {
      return { ok: false, reason: 'not-found', message: 'This gate does not exist.', gate: null };
    }
    const ctx = await tx.projects.projectContext(gate.projectId);
    const current = await tx.gates.decisions(gate.id, gate.packVersion);
    const view = () => gateViewOf(tx, policy, gate, ctx);
    if (actor.aadObjectId === null) {
      return {
        ok: false,
        reason: 'not-authorised',
        message: 'Sign in with your work account to decide gates.',
        gate: await view(),
      };
    }
    const pm = ctx?.projectManager ?? { agentId: null, email: null };
    if ((pm.agentId !== null || pm.email !== null) && actor.email === null) {
      // Segregation of duties is judged by HaloPSA agent and e-mail: unknown is not "someone else".
      return {
        ok: false,
        reason: 'not-authorised',
        message:
          'Control Tower cannot tell whether you manage this project (no e-mail is on file for you). Sign in to the Control Tower tab once, or ask your admin to add your e-mail to your role.',
        gate: await view(),
      };
    }
    const rules = decideGate(
      {
        status: gate.status,
        packVersion: gate.packVersion,
        requiredApprovals: gate.requiredApprovals,
        approvals: current
          .filter((d) => d.outcome === 'approve')
          .map((d) => ({ aadObjectId: d.by.aadObjectId })),
        projectManager: ctx?.projectManager ?? { agentId: null, email: null },
        requestedBy: { aadObjectId: gate.requestedBy.aadObjectId },
      },
      {
        aadObjectId: actor.aadObjectId,
        email: actor.email,
        haloAgentId: actor.haloAgentId,
        roles: actor.roles,
      },
      input,
    );
    if (!rules.ok)
      return { ok: false, reason: rules.reason, message: rules.message, gate: await view() };

    const now = this.deps.clock.now().toISOString();
    const decision = {
      packVersion: gate.packVersion,
      slot: rules.slot,
      outcome: input.outcome,
      by: gatePerson(actor),
      at: now,
      comment: input.comment.trim(),
    };
    if (!(await tx.gates.insertDecision(gate.id, decision))) throw new Conflict();
    const approvals = gate.approvals + (input.outcome === 'approve' ? 1 : 0);
    const swapped = await tx.gates.compareAndSet(
      gate.id,
      { status: gate.status, packVersion: gate.packVersion, approvals: gate.approvals },
      { status: rules.status, approvals, decidedAt: rules.final ? now : null, updatedAt: now },
    );
    if (!swapped) throw new Conflict();
    const after = (await tx.gates.find(gate.id))!;
    const action =
      input.outcome === 'approve'
        ? rules.final
          ? 'gate.approved'
          : 'gate.approval.recorded'
        : input.outcome === 'reject'
          ? 'gate.rejected'
          : 'gate.changes.requested';
    await tx.audit.append({
      subjectType: 'gate',
      subjectId: gate.id,
      action,
      actor: auditActor(actor),
      detail: {
        packVersion: gate.packVersion,
        packHash: gate.packHash,
        slot: rules.slot,
        status: rules.status,
        comment: decision.comment,
      },
    });
    const updated = await gateViewOf(tx, policy, after, ctx);
    const notice = decisionNotice(
      input.outcome,
      rules.final,
      rules.slot,
      gate,
      actor.name,
      now,
      decision.comment,
    );
    await postGateNotice(
      tx,
      { id: gate.id, projectId: gate.projectId, clientId: updated.client.id },
      {
        dedupeKey: `gate:${gate.id}:v${gate.packVersion}:decision:${rules.slot}`,
        kind: GATE_NOTIFICATION_KIND,
        payload: { gate: updated, notice: { tone: 'success', text: notice } } satisfies GatePayload,
        updateOf: gateCardKey(gate.id, gate.packVersion),
        decision: true,
      },
    );
    if (rules.final) {
      const marker = `[Control Tower gate ${gate.id} v${gate.packVersion} ${rules.status}]`;
      await tx.writebacks.enqueue(
        {
          dedupeKey: `gate:${gate.id}:v${gate.packVersion}:note`,
          kind: 'note',
          subjectType: 'gate',
          subjectId: gate.id,
          ticketId: gate.projectId,
          marker,
          payload: {
            ticket_id: gate.projectId,
            outcome: 'Private Note',
            hiddenfromuser: true,
            who: 'Control Tower',
            note: [
              `Stage gate "${gate.milestoneName}": ${statusWords(rules.status)} by ${actor.name} at ${now}.`,
              `Evidence pack version ${gate.packVersion}, SHA-256 ${gate.packHash}.`,
              decision.comment ? `Comment: ${decision.comment}` : null,
              marker,
            ]
              .filter((l) => l !== null)
              .join('\n'),
          },
        },
        now,
      );
      if (rules.status === 'approved' && ctx) {
        await tx.writebacks.enqueue(milestoneCompletion(gate, ctx), now);
      }
    }
    return { ok: true, gate: updated, notice };
  }
}

/**
 * The HaloPSA update that marks an approved gate's milestone complete: a project update by id
 * (HaloPSA wants its ticket type and client on every ticket update) carrying the one milestone.
 */
function milestoneCompletion(gate: GateRow, ctx: GateProjectContext): GateWritebackIntent {
  return {
    dedupeKey: `gate:${gate.id}:milestone-complete`,
    kind: 'milestone-complete',
    subjectType: 'gate',
    subjectId: gate.id,
    ticketId: gate.projectId,
    marker: `[Control Tower gate ${gate.id} milestone ${gate.milestoneId} complete]`,
    payload: {
      id: gate.projectId,
      tickettype_id: ctx.ticketTypeId,
      client_id: ctx.client.id,
      milestones: [{ id: gate.milestoneId, _complete: true }],
    },
  };
}

/** "Approved by X at T, pack #hash" and its siblings. */
function decisionNotice(
  outcome: GateOutcome,
  final: boolean,
  slot: number,
  gate: GateRow,
  by: string,
  at: string,
  comment: string,
): string {
  const time = `${at.slice(0, 16).replace('T', ' ')} UTC`;
  const pack = `pack #${gate.packHash.slice(0, 12)}`;
  if (outcome === 'approve') {
    return final
      ? `Approved by ${by} at ${time}, ${pack}`
      : `Approval ${slot} of ${gate.requiredApprovals} by ${by} at ${time}, ${pack}; waiting for a second approver`;
  }
  const verb = outcome === 'reject' ? 'Rejected' : 'Changes requested';
  return `${verb} by ${by} at ${time}, ${pack}: ${comment}`;
}
