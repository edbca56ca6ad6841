import { postGateNotice } from './post-gate-notice';
import {
  decideGate,
  statusWords,
  type GateOutcome,
  type GateStatus,
} from '../../domain/gates/gate-decision';
import type { GatePolicy } from '../../domain/gates/gate-policy';
import type { Clock } from '../../shared/clock';
import type { Signal } from '../../shared/signal';
import type { Actor } from '../delivery-views';
import type { AuditTrail } from '../ports/audit.port';
import type { Transactional } from '../ports/transaction.port';
import { auditActor, auditGateRefusal, gatePerson } from './gate-actors';
import { GATE_NOTIFICATION_KIND, gateCardKey, type GatePayload } from './gate-payloads';
import type { GatePilot } from './gate-pilot.port';
import type { GateProjectContext } from './gate-projects.port';
import type { GateDecisionRow, GateRow } from './gate-repository.port';
import type { GateTxPorts } from './gate-transaction.port';
import type { GateWritebackIntent } from './gate-writebacks.port';
import { gateViewFrom, type GateViewParts, type GateViewPorts } from './gate-view-of';
import type { GateDecideResult } from './gate-views';
import { DecisionsInFlight } from '../../shared/decisions-in-flight';
import { FollowUps } from '../../shared/follow-ups';
import { groupRead } from '../../shared/group-commit';

/** An approver's decision on the pack version they saw. */
export interface GateDecisionInput {
  gateId: string;
  packVersion: number;
  outcome: GateOutcome;
  comment: string;
}

export interface DecideGateDeps {
  /**
   * Records refusals (outside any transaction: a refusal changes nothing). Refusals arrive in bursts
   * when many approvers click at once, so the module passes a trail that appends them in batches.
   */
  audit: AuditTrail;
  /** Reads the gate and its view's parts before anything is locked (on the pool, side by side). */
  reads: GateViewPorts;
  tx: Transactional<GateTxPorts>;
  /**
   * The pilot settings that decide whether the decision's card update posts, read on the pool just
   * before the decision's transaction instead of inside it (a change of the settings while a gate
   * is decided applies to this card or to the next).
   */
  pilot: GatePilot;
  policy: GatePolicy;
  clock: Clock;
  /** Notified after a decision queued its card update. */
  outboxChanged: Signal;
  /** Notified after a decision (maybe) queued its HaloPSA note. */
  writebackQueued: Signal;
  /**
   * Runs after a decision approved the gate (archives the evidence pack PDF), after the decider has
   * been answered; a crash before it ran is made good by the archive retry job.
   */
  afterApproval?: (gateId: string) => Promise<void>;
  /** Told when work done after the answer failed (a refusal's audit entry was not written). */
  followUpFailed?: (error: unknown) => void;
}

/** Someone else's decision committed first: read again and decide on the new state. */
class Conflict extends Error {}

const MAX_ATTEMPTS = 5;

/**
 * Records an approver's decision on the pack version they saw, in one short transaction. The gate
 * and everything its card shows are read first, without locks, and the rules judge that snapshot: a
 * refusal (someone else decided first, a stale pack, not an approver) never takes a lock and shows
 * the card as read. A decision is written by compare-and-set on (status, version, approvals), backed
 * by the decision row's unique keys, together with everything that must survive a crash once the
 * decider is told: its audit entry, the card update for everyone (outbox) and, for a final decision,
 * the HaloPSA private note and an approval's milestone completion (write-back queue). The decider's
 * card is built from the snapshot and the decision, without reading again.
 */
export class DecideGate {
  private readonly followUps = new FollowUps((error) => this.deps.followUpFailed?.(error));
  /** Decisions being recorded in this process, by gate, with the gate's parts as each left it. */
  private readonly deciding = new DecisionsInFlight<GateViewParts>(
    (left, found) =>
      left.gate.packVersion > found.gate.packVersion ||
      (left.gate.packVersion === found.gate.packVersion &&
        left.decisions.length > found.decisions.length),
  );

  constructor(private readonly deps: DecideGateDeps) {}

  async run(actor: Actor, input: GateDecisionInput): Promise<GateDecideResult> {
    const { gateId } = input;
    // What a decision made in this process just left of the gate, to judge again on.
    let left: GateViewParts | null = null;
    // The last decision waited for: never twice, whatever the map still holds.
    let waitedFor: Promise<GateViewParts | null> | null = null;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const parts = left ?? (await this.deciding.read(gateId, () => this.read(gateId)));
      left = null;
      const judged = this.judge(parts, actor, input);
      if (!judged.ok) {
        // A refusal changes nothing, so its audit entry is written after the answer: of fifty
        // approvers at once, the forty-nine refused do not wait for their entries' batch.
        this.followUps.add(() => this.auditRefusal(actor, input, judged));
        return judged;
      }
      // Fifty approvers at once share one read, so all fifty judge the gate pending: one decides,
      // the others wait for it and judge again on the gate as it left it (DecisionsInFlight).
      const deciding = this.deciding.other(gateId, waitedFor);
      if (deciding !== null) {
        waitedFor = deciding;
        left = await deciding;
        attempt -= 1;
        continue;
      }
      let outcome: Extract<GateDecideResult, { ok: true }>;
      try {
        const recorded = await this.deciding.record(
          gateId,
          this.recordDecision(actor, input, judged),
          (done) => done.after,
        );
        outcome = recorded.outcome;
      } catch (error) {
        if (error instanceof Conflict) continue;
        throw error;
      }
      this.deps.outboxChanged.notify();
      this.deps.writebackQueued.notify();
      if (outcome.gate.status === 'approved')
        this.followUps.add(() => this.afterApproval(input.gateId));
      return outcome;
    }
    throw new Error(`gate ${input.gateId} kept changing under concurrent decisions`);
  }

  /**
   * The pilot verdict for the decision's card update, read on the pool before the transaction
   * opens (not inside it: the transaction holds no lock while it is read, and on a one-connection
   * engine a read waiting behind the transaction that waits for it would never end), then the
   * transaction.
   */
  private async recordDecision(
    actor: Actor,
    input: GateDecisionInput,
    judged: Judged,
  ): Promise<{ outcome: Extract<GateDecideResult, { ok: true }>; after: GateViewParts }> {
    const verdict = await this.deps.pilot.verdict({
      clientId: judged.parts.context?.client.id ?? 0,
      projectId: judged.parts.gate.projectId,
    });
    return this.deps.tx.transaction((tx) =>
      this.record({ ...tx, pilot: { verdict: async () => verdict } }, actor, input, judged),
    );
  }

  /**
   * Resolves when the work begun after answering so far has run: refusals' audit entries and
   * approvals' pack archives (a failed archive whose audit entry could not be written either goes
   * to `followUpFailed`; the archive retry job makes it good).
   */
  idle(): Promise<void> {
    return this.followUps.idle();
  }

  /**
   * The gate and its view's parts, without a transaction; null when there is no such gate. The
   * gate, its current pack and the decisions on it are read in one statement (one snapshot, so a
   * decision committing meanwhile is seen whole or not at all); the project and the approvers
   * beside it. Deciders of the same gate at once (fifty approvers pressing Approve) share one read
   * begun after they all asked (`groupRead`), so the parts are only ever read from.
   */
  private readonly read = groupRead(
    (gateIds: readonly string[]) => Promise.all(gateIds.map((gateId) => this.readOne(gateId))),
    (gateId) => gateId,
  );

  private async readOne(gateId: string): Promise<GateViewParts | null> {
    const current = await this.deps.reads.gates.findCurrent(gateId);
    if (!current) return null;
    const { gate, pack, decisions } = current;
    const [context, approvers] = await Promise.all([
      this.deps.reads.projects.projectContext(gate.projectId, { milestones: false }),
      this.deps.reads.projects.approvers(),
    ]);
    return { gate, context, pack, decisions, approvers };
  }

  private async auditRefusal(
    actor: Actor,
    input: GateDecisionInput,
    refusal: Extract<GateDecideResult, { ok: false }>,
  ): Promise<void> {
    await auditGateRefusal(this.deps.audit, {
      gateId: input.gateId,
      actor,
      attempted: `gate.${input.outcome}`,
      reason: refusal.reason,
      message: refusal.message,
      detail: {
        packVersion: input.packVersion,
        currentVersion: refusal.gate?.packVersion ?? null,
        status: refusal.gate?.status ?? null,
      },
    });
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

  /** Applies the rules to the snapshot: a refusal with the card as read, or what to record. */
  private judge(
    parts: GateViewParts | null,
    actor: Actor,
    input: GateDecisionInput,
  ): Extract<GateDecideResult, { ok: false }> | Judged {
    if (!parts) {
      return { ok: false, reason: 'not-found', message: 'This gate does not exist.', gate: null };
    }
    const { gate, context: ctx, decisions } = parts;
    const refuse = (reason: GateRefusalReason, message: string) => ({
      ok: false as const,
      reason,
      message,
      gate: gateViewFrom(this.deps.policy, parts),
    });
    if (actor.aadObjectId === null) {
      return refuse('not-authorised', 'Sign in with your work account to decide gates.');
    }
    const pm = ctx?.projectManager ?? { agentId: null, email: null };
    if ((pm.agentId !== null || pm.email !== null) && actor.email === null) {
      // Segregation of duties is judged by HaloPSA agent and e-mail: unknown is not "someone else".
      return refuse(
        'not-authorised',
        'Control Tower cannot tell whether you manage this project (no e-mail is on file for you). Sign in to the Control Tower tab once, or ask your admin to add your e-mail to your role.',
      );
    }
    const rules = decideGate(
      {
        status: gate.status,
        packVersion: gate.packVersion,
        requiredApprovals: gate.requiredApprovals,
        approvals: decisions
          .filter((d) => d.outcome === 'approve')
          .map((d) => ({ aadObjectId: d.by.aadObjectId })),
        projectManager: pm,
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
    if (!rules.ok) return refuse(rules.reason, rules.message);
    return { ok: true, parts, status: rules.status, slot: rules.slot, final: rules.final };
  }

  /**
   * Writes the judged decision: the compare-and-set first (a lost race rolls back before anything
   * else is written), the audit entry last, so the tenant's audit head is held only until commit.
   */
  private async record(
    tx: GateTxPorts,
    actor: Actor,
    input: GateDecisionInput,
    judged: Judged,
  ): Promise<{ outcome: Extract<GateDecideResult, { ok: true }>; after: GateViewParts }> {
    const { parts, slot, status, final } = judged;
    const { gate, context: ctx } = parts;
    const now = this.deps.clock.now().toISOString();
    const decision: GateDecisionRow = {
      packVersion: gate.packVersion,
      slot,
      outcome: input.outcome,
      by: gatePerson(actor),
      at: now,
      comment: input.comment.trim(),
    };
    const approvals = gate.approvals + (input.outcome === 'approve' ? 1 : 0);
    const recorded = await tx.gates.recordDecision(
      gate.id,
      { status: gate.status, packVersion: gate.packVersion, approvals: gate.approvals },
      { status, approvals, decidedAt: final ? now : null, updatedAt: now },
      decision,
    );
    if (!recorded) throw new Conflict();
    const after: GateRow = {
      ...gate,
      status,
      approvals,
      decidedAt: final ? now : null,
      updatedAt: now,
    };
    const left: GateViewParts = {
      ...parts,
      gate: after,
      decisions: [...parts.decisions, decision],
    };
    const updated = gateViewFrom(this.deps.policy, left);
    const notice = decisionNotice(
      input.outcome,
      final,
      slot,
      gate,
      actor.name,
      now,
      decision.comment,
    );
    await postGateNotice(
      tx,
      { id: gate.id, projectId: gate.projectId, clientId: updated.client.id },
      {
        dedupeKey: `gate:${gate.id}:v${gate.packVersion}:decision:${slot}`,
        kind: GATE_NOTIFICATION_KIND,
        payload: { gate: updated, notice: { tone: 'success', text: notice } } satisfies GatePayload,
        updateOf: gateCardKey(gate.id, gate.packVersion),
        decision: true,
      },
    );
    if (final) {
      const marker = `[Control Tower gate ${gate.id} v${gate.packVersion} ${status}]`;
      const note: GateWritebackIntent = {
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
            `Stage gate "${gate.milestoneName}": ${statusWords(status)} by ${actor.name} at ${now}.`,
            `Evidence pack version ${gate.packVersion}, SHA-256 ${gate.packHash}.`,
            decision.comment ? `Comment: ${decision.comment}` : null,
            marker,
          ]
            .filter((l) => l !== null)
            .join('\n'),
        },
      };
      await tx.writebacks.enqueue(
        status === 'approved' && ctx ? [note, milestoneCompletion(gate, ctx)] : [note],
        now,
      );
    }
    const action =
      input.outcome === 'approve'
        ? final
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
        slot,
        status,
        comment: decision.comment,
      },
    });
    return { outcome: { ok: true, gate: updated, notice }, after: left };
  }
}

/** A decision the rules allow on the snapshot it was judged on. */
interface Judged {
  ok: true;
  parts: GateViewParts;
  status: GateStatus;
  slot: number;
  final: boolean;
}

type GateRefusalReason = Extract<GateDecideResult, { ok: false }>['reason'];

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
