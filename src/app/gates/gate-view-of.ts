import { summarisePack, type EvidencePack } from '../../domain/gates/evidence-pack';
import type { GatePolicy } from '../../domain/gates/gate-policy';
import { reminderDueAt } from '../../domain/gates/gate-sla';
import type { GateProjectContext, GateProjects } from './gate-projects.port';
import type { GateDecisionRow, GateRepository, GateRow } from './gate-repository.port';
import type { GateView } from './gate-views';

/** The reads a gate view needs, bound to one connection (a transaction's, inside one). */
export interface GateViewPorts {
  gates: GateRepository;
  projects: GateProjects;
}

/** Everything a gate view is made of, read once: the view itself is then a pure function of it. */
export interface GateViewParts {
  gate: GateRow;
  context: GateProjectContext | null;
  pack: EvidencePack | null;
  /** The decisions on the gate's current pack version. */
  decisions: GateDecisionRow[];
  approvers: { aadObjectId: string; email: string | null }[];
}

/**
 * Reads the parts of a gate's view. `concurrent` runs the reads side by side, for ports on a pool
 * (several connections); on one connection (a transaction's) they run one after another.
 * `context` saves a read when the caller has the project already (null: the project is gone).
 */
export async function readGateViewParts(
  ports: GateViewPorts,
  gate: GateRow,
  context?: GateProjectContext | null,
  concurrent = false,
): Promise<GateViewParts> {
  const reads = [
    // A view shows the project, its client and manager, never its milestones.
    () =>
      context === undefined
        ? ports.projects.projectContext(gate.projectId, { milestones: false })
        : context,
    () => ports.gates.pack(gate.id, gate.packVersion),
    () => ports.gates.decisions(gate.id, gate.packVersion),
    () => ports.projects.approvers(),
  ] as const;
  if (concurrent) {
    const [ctx, pack, decisions, approvers] = await Promise.all([
      reads[0](),
      reads[1](),
      reads[2](),
      reads[3](),
    ]);
    return { gate, context: ctx, pack, decisions, approvers };
  }
  const ctx = await reads[0]();
  const pack = await reads[1]();
  const decisions = await reads[2]();
  const approvers = await reads[3]();
  return { gate, context: ctx, pack, decisions, approvers };
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
  return gateViewFrom(policy, await readGateViewParts(ports, gate, context));
}

/** The view of a gate from its parts; pure, so a decision can show its outcome without re-reading. */
export function gateViewFrom(policy: GatePolicy, parts: GateViewParts): GateView {
  const { gate, context: ctx, pack, decisions, approvers } = parts;
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
