import { summarisePack } from '../../domain/gates/evidence-pack';
import type { GatePolicy } from '../../domain/gates/gate-policy';
import { reminderDueAt } from '../../domain/gates/gate-sla';
import type { GateProjectContext, GateProjects } from './gate-projects.port';
import type { GateRepository, GateRow } from './gate-repository.port';
import type { GateView } from './gate-views';

/** The reads a gate view needs, bound to one connection (a transaction's, inside one). */
export interface GateViewPorts {
  gates: GateRepository;
  projects: GateProjects;
}

/**
 * A gate as cards and lists show it: project and client from the mirror, the current pack's
 * summary, its decisions, and the PMO leads who may decide (neither the requester nor the PM).
 * `context` saves a read when the caller has the project already (null: the project is gone).
 */
export async function gateViewOf(
  ports: GateViewPorts,
  policy: GatePolicy,
  gate: GateRow,
  context?: GateProjectContext | null,
): Promise<GateView> {
  const ctx = context === undefined ? await ports.projects.projectContext(gate.projectId) : context;
  const pack = await ports.gates.pack(gate.id, gate.packVersion);
  const decisions = await ports.gates.decisions(gate.id, gate.packVersion);
  const approvers = await ports.projects.approvers();
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
    reminderDueAt: reminderDueAt(gate.requestedAt, policy),
  };
}
