import type { GatePolicy } from '../../domain/gates/gate-policy';
import type { Actor } from '../delivery-views';
import type { AuditTrail } from '../ports/audit.port';
import type { GateProjects } from './gate-projects.port';
import type { GateRepository } from './gate-repository.port';
import { gateViewOf } from './gate-view-of';
import type { GateDetail, GateView, MilestoneGateState, WaitingGates } from './gate-views';

export interface GateQueriesDeps {
  gates: GateRepository;
  projects: GateProjects;
  /** For the gate's timeline. */
  audit: AuditTrail;
  policy: GatePolicy;
}

/** Gate reads for the bot and the tab: one gate, its whole record, what waits for me, per milestone. */
export class GateQueries {
  constructor(private readonly deps: GateQueriesDeps) {}

  async view(gateId: string): Promise<GateView | null> {
    const gate = await this.deps.gates.find(gateId);
    return gate ? gateViewOf(this.deps, this.deps.policy, gate) : null;
  }

  /** Everything about a gate: pack, files, decisions and the audit timeline. */
  async detail(gateId: string): Promise<GateDetail | null> {
    const { gates } = this.deps;
    const gate = await gates.find(gateId);
    if (!gate) return null;
    const [view, pack, files, decisions, timeline] = [
      await gateViewOf(this.deps, this.deps.policy, gate),
      await gates.pack(gateId, gate.packVersion),
      await gates.files(gateId),
      await gates.decisions(gateId),
      await this.deps.audit.timeline('gate', gateId),
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
  async waitingFor(actor: Actor): Promise<WaitingGates> {
    const { gates, projects, policy } = this.deps;
    const toDecide: GateView[] = [];
    if (actor.roles.includes('pmo_lead')) {
      for (const gate of await gates.list({ statuses: ['pending'] })) {
        const view = await gateViewOf(this.deps, policy, gate);
        if (view.approverAadObjectIds.includes(actor.aadObjectId ?? '')) {
          const ctx = await projects.projectContext(gate.projectId);
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
      const rows = await gates.list({
        statuses: ['pending', 'changes-requested', 'rejected', 'approved'],
        requestedBy: actor.aadObjectId ?? '',
        ...(actor.haloAgentId === null ? {} : { projectManagerAgentId: actor.haloAgentId }),
      });
      for (const gate of rows) requested.push(await gateViewOf(this.deps, policy, gate));
    }
    return { toDecide, requested };
  }

  /** Gate state per milestone of a project, for the tab's project page. */
  async milestoneGates(projectId: number): Promise<Map<number, MilestoneGateState>> {
    const { gates } = this.deps;
    const result = new Map<number, MilestoneGateState>();
    for (const gate of await gates.byProject(projectId)) {
      const pack = await gates.pack(gate.id, gate.packVersion);
      result.set(gate.milestoneId, {
        gateId: gate.id,
        status: gate.status,
        evidenceCount: (pack?.deliverables.length ?? 0) + (pack ? 0 : gate.fileCount),
        decidedAt: gate.decidedAt,
      });
    }
    return result;
  }
}
