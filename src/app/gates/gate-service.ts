import { randomUUID } from 'node:crypto';
import type { AuditActor, AuditLog } from '../../audit/audit-log';
import {
  freezePack,
  missingEvidence,
  summarisePack,
  withCompletedTasks,
  type Deliverable,
  type EvidencePack,
} from '../../domain/gates/evidence-pack';
import { decideGate, statusWords, type GateOutcome } from '../../domain/gates/gate-decision';
import { requiredApprovals, type GatePolicy } from '../../domain/gates/gate-policy';
import { gateSlaState, reminderDueAt, slaNoticesDue } from '../../domain/gates/gate-sla';
import { toSafeFileName, type EvidenceStore } from '../../evidence/evidence-store';
import { enqueue } from '../../notifications/outbox';
import type { Db } from '../../store/db';
import { isGateMilestone } from '../delivery/build-project-facts';
import type { Actor } from '../delivery-views';
import { gateIdOf, type GateProjectContext, type GateRecords, type GateRow } from './gate-records';
import type {
  GateDecideResult,
  GateDetail,
  GateEvidenceFileView,
  GateFormView,
  GatePerson,
  GateRequestInput,
  GateRequestResult,
  GateView,
} from './gate-views';

/** Outbox payload of a `gate` row: the approval card, with a banner after a decision or a reminder. */
export interface GatePayload {
  gate: GateView;
  notice?: { tone: 'success' | 'refused'; text: string } | null;
}

/** Outbox kind of the gate approval card. */
export const GATE_NOTIFICATION_KIND = 'gate';

/** The dedupe key of a pack version's approval card (updates refer to it). */
export function gateCardKey(gateId: string, version: number): string {
  return `gate:${gateId}:v${version}:card`;
}

/** Everything the gate use cases need; the composition root provides it. */
export interface GateServiceDeps {
  db: Db;
  tenantId: string;
  records: GateRecords;
  audit: AuditLog;
  /** Where evidence files go; null when uploads are not configured. */
  evidence: EvidenceStore | null;
  policy: GatePolicy;
  clock: { now(): Date };
  /** Called after a transaction put something in the outbox (wire to the dispatcher's poke). */
  onOutboxChanged?: () => void;
  /** Called after a transaction queued a HaloPSA write-back. */
  onWritebackQueued?: () => void;
  /** Largest evidence upload accepted (bytes). */
  maxUploadBytes?: number;
}

/** Upload of one evidence file. */
export interface GateUploadInput {
  projectId: number;
  milestoneId: number;
  fileName: string;
  contentType: string;
  content: Buffer;
}

/** The outcome of an upload. */
export type GateUploadResult =
  | { ok: true; file: GateEvidenceFileView }
  | { ok: false; reason: 'not-found' | 'not-authorised' | 'invalid-input'; message: string };

class Conflict extends Error {}

const REQUESTER_ROLES = ['pm', 'delivery_director', 'admin'];

/**
 * Stage gates (SPEC §2.4): assemble and submit an evidence pack, upload evidence, decide, list and
 * remind. Every change commits in one transaction with its audit entry and its outbox rows (the card
 * update, the HaloPSA write-back); every refusal is returned with a reason and appended to the audit
 * log too.
 */
export class GateService {
  private readonly records: GateRecords;

  constructor(private readonly deps: GateServiceDeps) {
    this.records = deps.records;
  }

  /** Projects matching `text` (id or part of the name), for `/gate <project>`. */
  findProjects(text: string) {
    return this.records.findProjects(this.deps.db, text);
  }

  /** The gate form of a project: its gate milestones, their gates and completed tasks. */
  async form(projectId: number): Promise<GateFormView | null> {
    const ctx = await this.records.projectContext(this.deps.db, projectId);
    if (!ctx) return null;
    const milestones = [];
    for (const m of ctx.milestones.filter((m) => isGateMilestone(m.name))) {
      const gate = await this.records.find(this.deps.db, gateIdOf(projectId, m.id));
      milestones.push({
        ...m,
        gate: gate ? { id: gate.id, status: gate.status, packVersion: gate.packVersion } : null,
      });
    }
    return {
      project: ctx.project,
      client: ctx.client,
      milestones,
      requiredEvidence: [...this.deps.policy.requiredEvidence],
    };
  }

  /** Uploads an evidence file through the evidence store and records it for the gate. */
  async upload(actor: Actor, input: GateUploadInput): Promise<GateUploadResult> {
    const { db, evidence } = this.deps;
    if (!REQUESTER_ROLES.some((r) => actor.roles.includes(r as Actor['roles'][number]))) {
      return {
        ok: false,
        reason: 'not-authorised',
        message: 'Only project managers upload evidence.',
      };
    }
    if (evidence === null) {
      return { ok: false, reason: 'invalid-input', message: 'No evidence store is configured.' };
    }
    const max = this.deps.maxUploadBytes ?? 10 * 1024 * 1024;
    if (input.content.length === 0 || input.content.length > max) {
      return {
        ok: false,
        reason: 'invalid-input',
        message: `An evidence file must hold between 1 byte and ${max} bytes.`,
      };
    }
    const ctx = await this.records.projectContext(db, input.projectId);
    const milestone = ctx?.milestones.find((m) => m.id === input.milestoneId);
    if (!ctx || !milestone || !isGateMilestone(milestone.name)) {
      return { ok: false, reason: 'not-found', message: 'No such gate milestone on that project.' };
    }
    const gateId = gateIdOf(input.projectId, input.milestoneId);
    const stored = await evidence.put(
      {
        clientId: ctx.client.id,
        clientName: ctx.client.name,
        projectId: ctx.project.id,
        projectName: ctx.project.name,
        gateKey: String(input.milestoneId),
      },
      toSafeFileName(input.fileName),
      input.content,
      input.contentType || 'application/octet-stream',
    );
    const file = {
      id: randomUUID(),
      gateId,
      projectId: input.projectId,
      milestoneId: input.milestoneId,
      name: stored.name,
      path: stored.path,
      size: stored.size,
      sha256: stored.sha256,
      contentType: stored.contentType,
      webUrl: stored.webUrl,
      storedAt: stored.storedAt,
      uploadedBy: person(actor),
    };
    await db.transaction(async (tx) => {
      await this.records.insertFile(tx, file);
      await this.deps.audit.append(tx, {
        subjectType: 'gate',
        subjectId: gateId,
        action: 'gate.evidence.uploaded',
        actor: auditActor(actor),
        detail: { fileId: file.id, name: file.name, size: file.size, sha256: file.sha256 },
      });
    });
    return { ok: true, file };
  }

  /**
   * Submits an evidence pack for a gate milestone: refused with the list of what is missing, else
   * frozen (canonical JSON and hash) as the gate's next pack version, audited, and posted to the
   * routed gates channel. A new version replaces the one pending (approvals start again).
   */
  async request(actor: Actor, input: GateRequestInput): Promise<GateRequestResult> {
    const { db, tenantId, policy } = this.deps;
    const gateId = gateIdOf(input.projectId, input.milestoneId);
    if (!REQUESTER_ROLES.some((r) => actor.roles.includes(r as Actor['roles'][number]))) {
      const message = 'Only project managers (or delivery directors) can request a gate.';
      await this.auditRefusal(gateId, actor, 'gate.request', 'not-authorised', message, {});
      return { ok: false, reason: 'not-authorised', message };
    }
    const ctx = await this.records.projectContext(db, input.projectId);
    const milestone = ctx?.milestones.find((m) => m.id === input.milestoneId);
    if (!ctx || !milestone || !isGateMilestone(milestone.name)) {
      return {
        ok: false,
        reason: 'not-found',
        message: `Project ${input.projectId} has no gate milestone ${input.milestoneId}.`,
      };
    }
    const files = await this.records.files(db, gateId);
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
      await this.auditRefusal(gateId, actor, 'gate.request', 'missing-evidence', message, {
        missing: missing.map((m) => m.item),
      });
      return { ok: false, reason: 'missing-evidence', message, missing };
    }

    const now = this.deps.clock.now().toISOString();
    const result = await db.transaction(async (tx): Promise<GateRequestResult> => {
      const existing = await this.records.find(tx, gateId, true);
      if (existing?.status === 'approved') {
        return {
          ok: false,
          reason: 'already-approved',
          message: `${milestone.name} was approved already (pack #${existing.packHash.slice(0, 12)}).`,
        };
      }
      const version = (existing?.packVersion ?? 0) + 1;
      const frozen = freezePack(pack, {
        gateId,
        version,
        projectId: input.projectId,
        milestoneId: input.milestoneId,
      });
      const row = {
        id: gateId,
        projectId: input.projectId,
        milestoneId: input.milestoneId,
        milestoneName: milestone.name,
        packVersion: version,
        packHash: frozen.hash,
        requiredApprovals: requiredApprovals(policy, ctx.moneyBudget),
        requestedBy: person(actor),
        requestedAt: now,
      };
      await this.records.saveRequest(tx, row, pack, frozen.canonical, now);
      await this.deps.audit.append(tx, {
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
      const gate = await this.viewOf(tx, (await this.records.find(tx, gateId))!, ctx);
      await enqueue(
        tx,
        tenantId,
        {
          dedupeKey: gateCardKey(gateId, version),
          kind: GATE_NOTIFICATION_KIND,
          payload: { gate, notice: null } satisfies GatePayload,
          target: { streams: ['gates'], clientId: ctx.client.id },
        },
        new Date(now),
      );
      if (existing) {
        // The previous version's card says it was replaced (its buttons now act on the new version).
        await enqueue(
          tx,
          tenantId,
          {
            dedupeKey: `gate:${gateId}:v${existing.packVersion}:superseded`,
            kind: GATE_NOTIFICATION_KIND,
            payload: {
              gate,
              notice: { tone: 'refused', text: `Replaced by pack version ${version}.` },
            } satisfies GatePayload,
            updateOf: gateCardKey(gateId, existing.packVersion),
          },
          new Date(now),
        );
      }
      return { ok: true, gate };
    });
    if (result.ok) this.deps.onOutboxChanged?.();
    else await this.auditRefusal(gateId, actor, 'gate.request', result.reason, result.message, {});
    return result;
  }

  /**
   * Records an approver's decision on the pack version they saw. The gate row is locked and updated
   * by compare-and-set on (status, version, approvals); the decision row's unique keys back it up.
   */
  async decide(
    actor: Actor,
    input: { gateId: string; packVersion: number; outcome: GateOutcome; comment: string },
  ): Promise<GateDecideResult> {
    const { db } = this.deps;
    for (let attempt = 0; attempt < 5; attempt++) {
      let outcome: GateDecideResult;
      try {
        outcome = await db.transaction((tx) => this.decideIn(tx, actor, input));
      } catch (error) {
        if (error instanceof Conflict) continue;
        throw error;
      }
      if (outcome.ok) {
        this.deps.onOutboxChanged?.();
        this.deps.onWritebackQueued?.();
      } else {
        await this.auditRefusal(
          input.gateId,
          actor,
          `gate.${input.outcome}`,
          outcome.reason,
          outcome.message,
          {
            packVersion: input.packVersion,
            currentVersion: outcome.gate?.packVersion ?? null,
            status: outcome.gate?.status ?? null,
          },
        );
      }
      return outcome;
    }
    throw new Error(`gate ${input.gateId} kept changing under concurrent decisions`);
  }

  private async decideIn(
    tx: Db,
    actor: Actor,
    input: { gateId: string; packVersion: number; outcome: GateOutcome; comment: string },
  ): Promise<GateDecideResult> {
    const gate = await this.records.find(tx, input.gateId, true);
    if (!gate) {
      return { ok: false, reason: 'not-found', message: 'This gate does not exist.', gate: null };
    }
    const ctx = await this.records.projectContext(tx, gate.projectId);
    const current = await this.records.decisions(tx, gate.id, gate.packVersion);
    const view = () => this.viewOf(tx, gate, ctx);
    if (actor.aadObjectId === null) {
      return {
        ok: false,
        reason: 'not-authorised',
        message: 'Sign in with your work account to decide gates.',
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
      by: person(actor),
      at: now,
      comment: input.comment.trim(),
    };
    if (!(await this.records.insertDecision(tx, gate.id, decision))) throw new Conflict();
    const approvals = gate.approvals + (input.outcome === 'approve' ? 1 : 0);
    const swapped = await this.records.compareAndSet(
      tx,
      gate.id,
      { status: gate.status, packVersion: gate.packVersion, approvals: gate.approvals },
      { status: rules.status, approvals, decidedAt: rules.final ? now : null, updatedAt: now },
    );
    if (!swapped) throw new Conflict();
    const after = (await this.records.find(tx, gate.id))!;
    const action =
      input.outcome === 'approve'
        ? rules.final
          ? 'gate.approved'
          : 'gate.approval.recorded'
        : input.outcome === 'reject'
          ? 'gate.rejected'
          : 'gate.changes.requested';
    await this.deps.audit.append(tx, {
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
    const updated = await this.viewOf(tx, after, ctx);
    const notice = decisionNotice(
      input.outcome,
      rules.final,
      rules.slot,
      gate,
      actor.name,
      now,
      decision.comment,
    );
    await enqueue(
      tx,
      this.deps.tenantId,
      {
        dedupeKey: `gate:${gate.id}:v${gate.packVersion}:decision:${rules.slot}`,
        kind: GATE_NOTIFICATION_KIND,
        payload: { gate: updated, notice: { tone: 'success', text: notice } } satisfies GatePayload,
        updateOf: gateCardKey(gate.id, gate.packVersion),
      },
      new Date(now),
    );
    if (rules.final) {
      const marker = `[Control Tower gate ${gate.id} v${gate.packVersion} ${rules.status}]`;
      await this.records.enqueueWriteback(
        tx,
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
    }
    return { ok: true, gate: updated, notice };
  }

  /** Gate state per milestone of a project, for the tab's project page. */
  async milestoneGates(
    projectId: number,
  ): Promise<
    Map<number, { gateId: string; status: string; evidenceCount: number; decidedAt: string | null }>
  > {
    const gates = await this.records.byProject(this.deps.db, projectId);
    const result = new Map<
      number,
      { gateId: string; status: string; evidenceCount: number; decidedAt: string | null }
    >();
    for (const gate of gates) {
      const pack = await this.records.pack(this.deps.db, gate.id, gate.packVersion);
      result.set(gate.milestoneId, {
        gateId: gate.id,
        status: gate.status,
        evidenceCount: (pack?.deliverables.length ?? 0) + (pack ? 0 : gate.fileCount),
        decidedAt: gate.decidedAt,
      });
    }
    return result;
  }

  /** One gate's view, or null. */
  async view(gateId: string): Promise<GateView | null> {
    const gate = await this.records.find(this.deps.db, gateId);
    return gate ? this.viewOf(this.deps.db, gate) : null;
  }

  /** Everything about a gate: pack, files, decisions and the audit timeline. */
  async detail(gateId: string): Promise<GateDetail | null> {
    const { db } = this.deps;
    const gate = await this.records.find(db, gateId);
    if (!gate) return null;
    const [view, pack, files, decisions, timeline] = [
      await this.viewOf(db, gate),
      await this.records.pack(db, gateId, gate.packVersion),
      await this.records.files(db, gateId),
      await this.records.decisions(db, gateId),
      await this.deps.audit.timeline(db, 'gate', gateId),
    ];
    return {
      gate: view,
      pack: pack!,
      files: files.map(({ gateId: _g, projectId: _p, milestoneId: _m, ...file }) => file),
      decisions,
      timeline: timeline.map((e) => ({
        seq: e.seq,
        at: e.at,
        action: e.action,
        actorName: e.actor?.name ?? 'Control Tower',
        detail: e.detail,
        hash: e.hash,
      })),
    };
  }

  /**
   * Gates waiting for this person: pending gates a PMO lead may decide (not their own projects, not
   * already approved by them), and the gates they requested or whose project they manage.
   */
  async waitingFor(actor: Actor): Promise<{ toDecide: GateView[]; requested: GateView[] }> {
    const { db } = this.deps;
    const toDecide: GateView[] = [];
    if (actor.roles.includes('pmo_lead')) {
      for (const gate of await this.records.list(db, { statuses: ['pending'] })) {
        const view = await this.viewOf(db, gate);
        if (view.approverAadObjectIds.includes(actor.aadObjectId ?? '')) {
          const ctx = await this.records.projectContext(db, gate.projectId);
          const own =
            (ctx?.projectManager.agentId ?? null) !== null &&
            ctx?.projectManager.agentId === actor.haloAgentId;
          const approved = view.decisions.some((d) => d.by.aadObjectId === actor.aadObjectId);
          if (!own && !approved) toDecide.push(view);
        }
      }
    }
    const requested: GateView[] = [];
    if (actor.aadObjectId !== null || actor.haloAgentId !== null) {
      const rows = await this.records.list(db, {
        statuses: ['pending', 'changes-requested', 'rejected', 'approved'],
        requestedBy: actor.aadObjectId ?? '',
        ...(actor.haloAgentId === null ? {} : { projectManagerAgentId: actor.haloAgentId }),
      });
      for (const gate of rows) requested.push(await this.viewOf(db, gate));
    }
    return { toDecide, requested };
  }

  /**
   * The SLA job: for each pending gate past its reminder time, one reminder card to the gates
   * channel (for the approvers); past the escalation time, one escalation to the delivery director
   * (escalations channel, else gates). Each notice once per pack version.
   */
  async runSla(): Promise<{ reminders: number; escalations: number }> {
    const { db, tenantId, policy } = this.deps;
    const now = this.deps.clock.now();
    let reminders = 0;
    let escalations = 0;
    for (const gate of await this.records.list(db, { statuses: ['pending'] })) {
      const state = gateSlaState(gate.requestedAt, now, policy);
      const due = slaNoticesDue(
        state,
        await this.records.slaNoticesSent(db, gate.id, gate.packVersion),
      );
      for (const kind of due) {
        const sent = await db.transaction(async (tx) => {
          if (
            !(await this.records.markSlaNotice(
              tx,
              gate.id,
              gate.packVersion,
              kind,
              now.toISOString(),
            ))
          ) {
            return false;
          }
          const ctx = await this.records.projectContext(tx, gate.projectId);
          const view = await this.viewOf(tx, gate, ctx);
          const waited = Math.floor((now.getTime() - Date.parse(gate.requestedAt)) / 3_600_000);
          const text =
            kind === 'reminder'
              ? `Reminder: this gate has waited ${waited} h for a decision (SLA ${policy.reminderAfterHours} h).`
              : `Escalated to the delivery director: no decision after ${waited} h (limit ${policy.escalateAfterHours} h).`;
          await this.deps.audit.append(tx, {
            subjectType: 'gate',
            subjectId: gate.id,
            action: kind === 'reminder' ? 'gate.sla.reminder' : 'gate.sla.escalated',
            actor: null,
            detail: { packVersion: gate.packVersion, waitedHours: waited },
          });
          await enqueue(
            tx,
            tenantId,
            {
              dedupeKey: `gate:${gate.id}:v${gate.packVersion}:sla:${kind}`,
              kind: GATE_NOTIFICATION_KIND,
              payload: { gate: view, notice: { tone: 'refused', text } } satisfies GatePayload,
              target: {
                streams: kind === 'reminder' ? ['gates'] : ['escalations', 'gates'],
                clientId: view.client.id,
              },
            },
            now,
          );
          return true;
        });
        if (sent && kind === 'reminder') reminders += 1;
        if (sent && kind === 'escalation') escalations += 1;
      }
    }
    if (reminders + escalations > 0) this.deps.onOutboxChanged?.();
    return { reminders, escalations };
  }

  private async viewOf(
    db: Db,
    gate: GateRow,
    context?: GateProjectContext | null,
  ): Promise<GateView> {
    const ctx =
      context === undefined ? await this.records.projectContext(db, gate.projectId) : context;
    const pack = await this.records.pack(db, gate.id, gate.packVersion);
    const decisions = await this.records.decisions(db, gate.id, gate.packVersion);
    const approvers = await this.records.approvers(db);
    const pmEmail = ctx?.projectManager.email?.toLowerCase() ?? null;
    return {
      id: gate.id,
      project: ctx?.project ?? { id: gate.projectId, name: `Project ${gate.projectId}` },
      client: ctx?.client ?? { id: 0, name: '' },
      milestone: { id: gate.milestoneId, name: gate.milestoneName },
      status: gate.status,
      packVersion: gate.packVersion,
      packHash: gate.packHash,
      shortHash: gate.packHash.slice(0, 12),
      requiredApprovals: gate.requiredApprovals,
      decisions,
      requestedBy: gate.requestedBy,
      requestedAt: gate.requestedAt,
      decidedAt: gate.decidedAt,
      summary: summarisePack(
        pack ?? {
          deliverables: [],
          qaOutcomes: [],
          customerAcceptanceNotes: '',
          openRisks: [],
          noOpenRisks: false,
        },
      ),
      approverAadObjectIds: approvers
        .filter(
          (a) =>
            a.aadObjectId !== gate.requestedBy.aadObjectId &&
            (pmEmail === null || a.email?.toLowerCase() !== pmEmail),
        )
        .map((a) => a.aadObjectId),
      reminderDueAt: reminderDueAt(gate.requestedAt, this.deps.policy),
    };
  }

  private async auditRefusal(
    gateId: string,
    actor: Actor,
    attempted: string,
    reason: string,
    message: string,
    detail: Record<string, unknown>,
  ): Promise<void> {
    await this.deps.audit.append(this.deps.db, {
      subjectType: 'gate',
      subjectId: gateId,
      action: 'gate.refused',
      actor: auditActor(actor),
      detail: { attempted, reason, message, ...detail },
    });
  }
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

function person(actor: Actor): GatePerson {
  return { aadObjectId: actor.aadObjectId, name: actor.name, email: actor.email };
}

function auditActor(actor: Actor): AuditActor {
  return { aadObjectId: actor.aadObjectId, email: actor.email, name: actor.name };
}
