import {
  freezePack,
  missingEvidence,
  withCompletedTasks,
  type Deliverable,
  type EvidencePack,
} from '../../domain/gates/evidence-pack';
import { postGateNotice } from './post-gate-notice';
import { gateIdOf, isGateMilestone } from '../../domain/gates/gate-milestone';
import { requiredApprovals, type GatePolicy } from '../../domain/gates/gate-policy';
import { gatePendingNotice } from '../../domain/notifications/personal-notices';
import type { Clock } from '../../shared/clock';
import { peopleKey, personalIntent } from '../notifications/personal-intent';
import type { Signal } from '../../shared/signal';
import type { Actor } from '../delivery-views';
import { ACCESS_POLICY } from '../identity/access-policy';
import type { AuditTrail } from '../ports/audit.port';
import type { Transactional } from '../ports/transaction.port';
import { auditActor, auditGateRefusal, gatePerson, mayRequestGates } from './gate-actors';
import { GATE_NOTIFICATION_KIND, gateCardKey, type GatePayload } from './gate-payloads';
import type { GateProjects } from './gate-projects.port';
import type { GateRepository } from './gate-repository.port';
import type { GateTxPorts } from './gate-transaction.port';
import { gateViewOf } from './gate-view-of';
import type { GateRequestInput, GateRequestResult } from './gate-views';
import type { Sha256 } from './identifiers.port';

export interface RequestGateDeps {
  /** Reads outside the transaction. */
  projects: GateProjects;
  gates: GateRepository;
  /** Records refusals (outside the refused change, which did not happen). */
  audit: AuditTrail;
  tx: Transactional<GateTxPorts>;
  policy: GatePolicy;
  clock: Clock;
  sha256: Sha256;
  /** Notified after a request queued its approval card. */
  outboxChanged: Signal;
}

/**
 * Submits an evidence pack for a gate milestone: refused with the list of what is missing, else
 * frozen (canonical JSON and hash) as the gate's next pack version, audited, and posted to the
 * routed gates channel. A new version replaces the one pending (approvals start again).
 */
export class RequestGate {
  constructor(private readonly deps: RequestGateDeps) {}

  async run(actor: Actor, input: GateRequestInput): Promise<GateRequestResult> {
    const { policy } = this.deps;
    const gateId = gateIdOf(input.projectId, input.milestoneId);
    if (!mayRequestGates(actor)) {
      const message = 'Only project managers (or delivery directors) can request a gate.';
      await this.refused(gateId, actor, 'not-authorised', message, {});
      return { ok: false, reason: 'not-authorised', message };
    }
    const ctx = await this.deps.projects.projectContext(input.projectId);
    const milestone = ctx?.milestones.find((m) => m.id === input.milestoneId);
    if (!ctx || !milestone || !isGateMilestone(milestone.name)) {
      return {
        ok: false,
        reason: 'not-found',
        message: `Project ${input.projectId} has no gate milestone ${input.milestoneId}.`,
      };
    }
    if (!ACCESS_POLICY.mayChangeGatesOf(actor, ctx.projectManager)) {
      const message = `Only the manager of ${ctx.project.name} (or a delivery director) can request or replace its gates.`;
      await this.refused(gateId, actor, 'not-authorised', message, { projectId: input.projectId });
      return { ok: false, reason: 'not-authorised', message };
    }
    const files = await this.deps.gates.files(gateId);
    const chosen =
      input.fileIds === null ? files : files.filter((f) => input.fileIds!.includes(f.id));
    const unknown = (input.fileIds ?? []).filter((id) => !files.some((f) => f.id === id));
    if (unknown.length > 0) {
      return {
        ok: false,
        reason: 'invalid-input',
        message: `Unknown evidence files for this gate: ${unknown.join(', ')}.`,
      };
    }
    const deliverables: Deliverable[] = [
      ...chosen.map((f) => ({
        kind: 'file' as const,
        fileId: f.id,
        name: f.name,
        sha256: f.sha256,
        size: f.size,
      })),
      ...input.links.map((l) => ({ kind: 'link' as const, title: l.title, url: l.url })),
    ];
    const pack: EvidencePack = {
      deliverables,
      qaOutcomes: withCompletedTasks(
        input.qaOutcomes.map((q) => ({ ...q, source: 'manual' as const })),
        milestone.completedTasks,
      ),
      customerAcceptanceNotes: input.customerAcceptanceNotes,
      openRisks: input.openRisks,
      noOpenRisks: input.noOpenRisks,
    };
    const missing = missingEvidence(pack, policy.requiredEvidence);
    if (missing.length > 0) {
      const message = `The pack is missing: ${missing.map((m) => m.message).join(' ')}`;
      await this.refused(gateId, actor, 'missing-evidence', message, {
        missing: missing.map((m) => m.item),
      });
      return { ok: false, reason: 'missing-evidence', message, missing };
    }

    const now = this.deps.clock.now().toISOString();
    const result = await this.deps.tx.transaction(async (tx): Promise<GateRequestResult> => {
      const existing = await tx.gates.find(gateId, true);
      if (existing?.status === 'approved') {
        return {
          ok: false,
          reason: 'already-approved',
          message: `${milestone.name} was approved already (pack #${existing.packHash.slice(0, 12)}).`,
        };
      }
      const version = (existing?.packVersion ?? 0) + 1;
      const frozen = freezePack(
        pack,
        { gateId, version, projectId: input.projectId, milestoneId: input.milestoneId },
        this.deps.sha256,
      );
      const row = {
        id: gateId,
        projectId: input.projectId,
        milestoneId: input.milestoneId,
        milestoneName: milestone.name,
        packVersion: version,
        packHash: frozen.hash,
        requiredApprovals: requiredApprovals(policy, ctx.moneyBudget),
        requestedBy: gatePerson(actor),
        requestedAt: now,
      };
      await tx.gates.saveRequest(row, pack, frozen.canonical, now);
      await tx.audit.append({
        subjectType: 'gate',
        subjectId: gateId,
        action: version === 1 ? 'gate.requested' : 'gate.resubmitted',
        actor: auditActor(actor),
        detail: {
          packVersion: version,
          packHash: frozen.hash,
          projectId: input.projectId,
          milestoneId: input.milestoneId,
          requiredApprovals: row.requiredApprovals,
        },
      });
      const gate = await gateViewOf(tx, policy, (await tx.gates.find(gateId))!, ctx);
      const subject = { id: gateId, projectId: input.projectId, clientId: gate.client.id };
      const verdict = await postGateNotice(tx, subject, {
        dedupeKey: gateCardKey(gateId, version),
        kind: GATE_NOTIFICATION_KIND,
        payload: { gate, notice: null } satisfies GatePayload,
        target: { streams: ['gates'], clientId: ctx.client.id },
        mentionAgentId: ctx.projectManager.agentId,
      });
      // The approvers' own messages follow the channel card's pilot verdict (held with it).
      if (verdict === 'post') {
        await tx.outbox.enqueue(
          personalIntent(
            peopleKey(gateCardKey(gateId, version)),
            gatePendingNotice({
              gateId,
              projectId: input.projectId,
              projectName: gate.project.name,
              milestoneName: gate.milestone.name,
              eligibleApproverAadObjectIds: gate.approverAadObjectIds,
            }),
            { kind: GATE_NOTIFICATION_KIND, payload: { gate, notice: null } satisfies GatePayload },
          ),
        );
      }
      if (existing) {
        // The previous version's card says it was replaced (its buttons now act on the new version).
        await postGateNotice(tx, subject, {
          dedupeKey: `gate:${gateId}:v${existing.packVersion}:superseded`,
          kind: GATE_NOTIFICATION_KIND,
          payload: {
            gate,
            notice: { tone: 'refused', text: `Replaced by pack version ${version}.` },
          } satisfies GatePayload,
          updateOf: gateCardKey(gateId, existing.packVersion),
          decision: true,
        });
      }
      return { ok: true, gate };
    });
    if (result.ok) this.deps.outboxChanged.notify();
    else await this.refused(gateId, actor, result.reason, result.message, {});
    return result;
  }

  private refused(
    gateId: string,
    actor: Actor,
    reason: string,
    message: string,
    detail: Record<string, unknown>,
  ): Promise<void> {
    return auditGateRefusal(this.deps.audit, {
      gateId,
      actor,
      attempted: 'gate.request',
      reason,
      message,
      detail,
    });
  }
}
