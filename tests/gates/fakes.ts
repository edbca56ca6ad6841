/** In-memory fakes of the stage-gate ports, for the use-case unit tests. */
import { createHash } from 'node:crypto';
import type {
  EvidenceLocation,
  EvidenceStore,
  StoredEvidenceFile,
} from '../../src/app/gates/evidence-store.port';
import type {
  GateProjectContext,
  GateProjectMatch,
  GateProjects,
} from '../../src/app/gates/gate-projects.port';
import type {
  GateDecisionRow,
  GateFileRow,
  GateListFilter,
  GateRepository,
  GateRow,
  GateSlaNotice,
} from '../../src/app/gates/gate-repository.port';
import type { GateTxPorts } from '../../src/app/gates/gate-transaction.port';
import type { GateWritebackIntent, GateWritebacks } from '../../src/app/gates/gate-writebacks.port';
import type { Actor } from '../../src/app/delivery-views';
import type { AuditEntry, AuditEntryInput, AuditTrail } from '../../src/app/ports/audit.port';
import type {
  EnqueueResult,
  NotificationIntent,
  Outbox,
} from '../../src/app/ports/notifications.port';
import type { Transactional } from '../../src/app/ports/transaction.port';
import type { EvidencePack } from '../../src/domain/gates/evidence-pack';
import type { PilotVerdict } from '../../src/domain/shared/pilot';
import type { Signal } from '../../src/shared/signal';
import { EvidenceError } from '../../src/evidence/evidence-paths';

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Everything the fakes store; a transaction restores a copy of it when its work throws. */
interface GateState {
  gates: GateRow[];
  packs: { gateId: string; version: number; pack: EvidencePack; canonical: string }[];
  decisions: (GateDecisionRow & { gateId: string })[];
  files: GateFileRow[];
  slaNotices: { gateId: string; packVersion: number; kind: GateSlaNotice; at: string }[];
  audit: AuditEntry[];
  outbox: NotificationIntent[];
  writebacks: { intent: GateWritebackIntent; now: string }[];
}

/** The gate rows, packs, decisions, files and SLA notices of one tenant, in memory. */
export class FakeGateRepository implements GateRepository {
  /** Decisions to refuse as if another approver had taken the slot first (then it succeeds). */
  conflictsToSimulate = 0;

  constructor(private readonly world: GateWorld) {}

  private get s(): GateState {
    return this.world.state;
  }

  async find(gateId: string): Promise<GateRow | null> {
    const gate = this.s.gates.find((g) => g.id === gateId);
    return gate ? { ...gate } : null;
  }

  async findCurrent(
    gateId: string,
  ): Promise<{ gate: GateRow; pack: EvidencePack | null; decisions: GateDecisionRow[] } | null> {
    const gate = await this.find(gateId);
    if (!gate) return null;
    return {
      gate,
      pack: await this.pack(gateId, gate.packVersion),
      decisions: await this.decisions(gateId, gate.packVersion),
    };
  }

  async list(filter: GateListFilter): Promise<GateRow[]> {
    return this.s.gates
      .filter((g) => !filter.statuses || filter.statuses.includes(g.status))
      .filter(
        (g) =>
          filter.requestedBy === undefined ||
          g.requestedBy.aadObjectId === filter.requestedBy ||
          (filter.projectManagerAgentId !== undefined &&
            this.world.projectManagerOf(g.projectId) === filter.projectManagerAgentId),
      )
      .map((g) => ({ ...g }));
  }

  async saveRequest(
    gate: Omit<GateRow, 'decidedAt' | 'updatedAt' | 'approvals' | 'status'>,
    pack: EvidencePack,
    canonical: string,
    now: string,
  ): Promise<void> {
    const row: GateRow = {
      ...gate,
      status: 'pending',
      approvals: 0,
      decidedAt: null,
      updatedAt: now,
    };
    this.s.gates = [...this.s.gates.filter((g) => g.id !== gate.id), row];
    this.s.packs.push({ gateId: gate.id, version: gate.packVersion, pack, canonical });
  }

  async pack(gateId: string, version: number): Promise<EvidencePack | null> {
    return this.s.packs.find((p) => p.gateId === gateId && p.version === version)?.pack ?? null;
  }

  async recordDecision(
    gateId: string,
    expected: { status: GateRow['status']; packVersion: number; approvals: number },
    next: {
      status: GateRow['status'];
      approvals: number;
      decidedAt: string | null;
      updatedAt: string;
    },
    decision: GateDecisionRow,
  ): Promise<boolean> {
    if (this.conflictsToSimulate > 0) {
      this.conflictsToSimulate -= 1;
      return false;
    }
    const gate = this.s.gates.find((g) => g.id === gateId);
    if (
      !gate ||
      gate.status !== expected.status ||
      gate.packVersion !== expected.packVersion ||
      gate.approvals !== expected.approvals
    ) {
      return false;
    }
    // As the one SQL statement: the gate is updated, then the decision row may find its slot taken.
    Object.assign(gate, next);
    const taken = this.s.decisions.some(
      (d) =>
        d.gateId === gateId &&
        d.packVersion === decision.packVersion &&
        (d.slot === decision.slot || d.by.aadObjectId === decision.by.aadObjectId),
    );
    if (taken) return false;
    this.s.decisions.push({ ...decision, gateId });
    return true;
  }

  async decisions(gateId: string, packVersion?: number): Promise<GateDecisionRow[]> {
    return this.s.decisions
      .filter(
        (d) => d.gateId === gateId && (packVersion === undefined || d.packVersion === packVersion),
      )
      .sort((a, b) => a.packVersion - b.packVersion || a.slot - b.slot)
      .map(({ gateId: _g, ...d }) => d);
  }

  async insertFile(file: GateFileRow): Promise<void> {
    this.s.files.push(file);
  }

  async files(gateId: string): Promise<GateFileRow[]> {
    return this.s.files.filter((f) => f.gateId === gateId);
  }

  async markSlaNotice(
    gateId: string,
    packVersion: number,
    kind: GateSlaNotice,
    now: string,
  ): Promise<boolean> {
    const sent = this.s.slaNotices.some(
      (n) => n.gateId === gateId && n.packVersion === packVersion && n.kind === kind,
    );
    if (sent) return false;
    this.s.slaNotices.push({ gateId, packVersion, kind, at: now });
    return true;
  }

  async slaNoticesSent(gateId: string, packVersion: number): Promise<Set<GateSlaNotice>> {
    return new Set(
      this.s.slaNotices
        .filter((n) => n.gateId === gateId && n.packVersion === packVersion)
        .map((n) => n.kind),
    );
  }

  async byProject(projectId: number): Promise<(GateRow & { fileCount: number })[]> {
    return this.s.gates
      .filter((g) => g.projectId === projectId)
      .sort((a, b) => a.milestoneId - b.milestoneId)
      .map((g) => ({ ...g, fileCount: this.s.files.filter((f) => f.gateId === g.id).length }));
  }
}

/** Projects of the HaloPSA mirror, the PMO leads and the agents, in memory. */
export class FakeGateProjects implements GateProjects {
  readonly contexts = new Map<number, GateProjectContext>();
  approverList: { aadObjectId: string; email: string | null }[] = [];
  readonly agents = new Map<string, number>();

  async projectContext(projectId: number): Promise<GateProjectContext | null> {
    return this.contexts.get(projectId) ?? null;
  }

  async findProjects(text: string): Promise<GateProjectMatch[]> {
    return [...this.contexts.values()]
      .filter((c) => String(c.project.id) === text || c.project.name.includes(text))
      .map((c) => ({
        id: c.project.id,
        name: c.project.name,
        clientName: c.client.name,
        exact: String(c.project.id) === text || c.project.name === text,
      }));
  }

  async approvers(): Promise<{ aadObjectId: string; email: string | null }[]> {
    return this.approverList;
  }
}

/** An append-only trail in memory (no hash chain: the audit adapter's tests prove that). */
export class FakeAuditTrail implements AuditTrail {
  constructor(private readonly world: GateWorld) {}

  async append(input: AuditEntryInput): Promise<AuditEntry> {
    const entries = this.world.state.audit;
    const entry: AuditEntry = {
      tenantId: 'tenant-fake',
      seq: entries.length + 1,
      at: this.world.clock.now().toISOString(),
      subjectType: input.subjectType,
      subjectId: input.subjectId,
      action: input.action,
      actor: input.actor,
      detail: input.detail ?? {},
      prevHash: `h${entries.length}`,
      hash: `h${entries.length + 1}`,
    };
    entries.push(entry);
    return entry;
  }

  async timeline(subjectType: string, subjectId: string): Promise<AuditEntry[]> {
    return this.world.state.audit.filter(
      (e) => e.subjectType === subjectType && e.subjectId === subjectId,
    );
  }

  async timelineOf(subjectType: string, subjectIds: string[]): Promise<AuditEntry[]> {
    return this.world.state.audit.filter(
      (e) => e.subjectType === subjectType && subjectIds.includes(e.subjectId),
    );
  }
}

/** The outbox in memory: one intent per dedupe key, as the real one. */
export class FakeOutbox implements Outbox {
  constructor(private readonly world: GateWorld) {}

  async enqueue(intent: NotificationIntent): Promise<EnqueueResult> {
    const outbox = this.world.state.outbox;
    if (outbox.some((i) => i.dedupeKey === intent.dedupeKey)) return { status: 'duplicate' };
    outbox.push(intent);
    return { status: 'queued', id: outbox.length };
  }
}

/** The HaloPSA write-back queue in memory. */
export class FakeGateWritebacks implements GateWritebacks {
  constructor(private readonly world: GateWorld) {}

  async enqueue(intents: readonly GateWritebackIntent[], now: string): Promise<void> {
    const queue = this.world.state.writebacks;
    for (const intent of intents) {
      if (!queue.some((w) => w.intent.dedupeKey === intent.dedupeKey)) queue.push({ intent, now });
    }
  }
}

/** A signal that counts its notifications. */
export class CountingSignal implements Signal {
  count = 0;
  notify(): void {
    this.count += 1;
  }
}

/** A fixed clock the tests move by hand. */
export class ManualClock {
  constructor(private ms = Date.parse('2025-03-14T09:00:00Z')) {}
  now(): Date {
    return new Date(this.ms);
  }
  advanceHours(hours: number): void {
    this.ms += hours * 3_600_000;
  }
}

/** An evidence store that keeps files in memory; write-once like the real ones. */
export class FakeEvidenceStore implements EvidenceStore {
  readonly kind = 'local' as const;
  readonly files: { location: EvidenceLocation; file: StoredEvidenceFile }[] = [];
  /** The bytes at each path, as a store would hold them now. */
  readonly bytes = new Map<string, Buffer>();

  constructor(private readonly clock: ManualClock) {}

  async put(
    location: EvidenceLocation,
    fileName: string,
    content: Buffer,
    contentType: string,
  ): Promise<StoredEvidenceFile> {
    const path = `evidence/${location.clientId}/${location.projectId}/gate-${location.gateKey}/${fileName}`;
    if (this.bytes.has(path)) {
      throw new EvidenceError('EVIDENCE_EXISTS', `${path} exists already`);
    }
    const file: StoredEvidenceFile = {
      path,
      name: fileName,
      size: content.length,
      sha256: createHash('sha256').update(content).digest('hex'),
      contentType,
      webUrl: null,
      storedAt: this.clock.now().toISOString(),
    };
    this.files.push({ location, file });
    this.bytes.set(path, content);
    return file;
  }

  async get(): Promise<Buffer | null> {
    return null;
  }

  async list(): Promise<StoredEvidenceFile[]> {
    return this.files.map((f) => f.file);
  }

  async sha256Of(path: string): Promise<string | null> {
    const content = this.bytes.get(path);
    return content === undefined ? null : createHash('sha256').update(content).digest('hex');
  }

  /** Someone replaced the bytes behind the store's back (by hand in SharePoint, on disk). */
  tamper(path: string, content: Buffer): void {
    this.bytes.set(path, content);
  }
}

/**
 * One tenant's gate world in memory: the fakes of every gate port over one state, and a unit of work
 * that restores the state when its work throws (as a rolled-back transaction would).
 */
export class GateWorld {
  state: GateState = {
    gates: [],
    packs: [],
    decisions: [],
    files: [],
    slaNotices: [],
    audit: [],
    outbox: [],
    writebacks: [],
  };
  readonly clock = new ManualClock();
  readonly gates = new FakeGateRepository(this);
  readonly projects = new FakeGateProjects();
  readonly audit = new FakeAuditTrail(this);
  readonly evidence = new FakeEvidenceStore(this.clock);
  readonly outboxChanged = new CountingSignal();
  readonly writebackQueued = new CountingSignal();
  /** The tenant's pilot verdict for gate cards (tests switch it to off, shadow, out-of-scope). */
  pilotVerdict: PilotVerdict = 'post';
  readonly ports: GateTxPorts = {
    gates: this.gates,
    projects: this.projects,
    audit: this.audit,
    outbox: new FakeOutbox(this),
    writebacks: new FakeGateWritebacks(this),
    pilot: { verdict: async () => this.pilotVerdict },
  };
  /** Transactions that committed and that rolled back. */
  readonly transactions = { committed: 0, rolledBack: 0 };
  readonly tx: Transactional<GateTxPorts> = {
    transaction: async (work) => {
      const before = structuredClone(this.state);
      try {
        const result = await work(this.ports);
        this.transactions.committed += 1;
        return result;
      } catch (error) {
        this.state = before;
        this.transactions.rolledBack += 1;
        throw error;
      }
    },
  };

  projectManagerOf(projectId: number): number | null {
    return this.projects.contexts.get(projectId)?.projectManager.agentId ?? null;
  }

  /** Adds a project with a build milestone and a gate milestone (with one completed task). */
  addProject(
    p: { projectId: number; milestoneId: number; budget?: number | null } = {
      projectId: 10,
      milestoneId: 11,
    },
  ): GateProjectContext {
    const ctx: GateProjectContext = {
      project: { id: p.projectId, name: `Intranet rollout ${p.projectId}` },
      client: { id: 7, name: 'Contoso Ltd' },
      moneyBudget: p.budget ?? 15_000,
      projectManager: { agentId: 5, email: 'megan@msp.example' },
      ticketTypeId: 3,
      milestones: [
        {
          id: p.milestoneId - 1,
          name: 'Build',
          targetDate: '2025-03-01',
          complete: true,
          completedTasks: [],
        },
        {
          id: p.milestoneId,
          name: 'Gate: UAT sign-off',
          targetDate: '2025-03-20',
          complete: false,
          completedTasks: [{ id: 101, summary: 'UAT test scripts run' }],
        },
      ],
    };
    this.projects.contexts.set(p.projectId, ctx);
    return ctx;
  }
}

/** The people of the unit tests. */
export const ACTORS = {
  megan: {
    aadObjectId: 'aad-megan',
    name: 'Megan Bowen',
    email: 'megan@msp.example',
    roles: ['pm', 'pmo_lead'],
    haloAgentId: 5,
  },
  adele: {
    aadObjectId: 'aad-adele',
    name: 'Adele Vance',
    email: 'adele@msp.example',
    roles: ['pmo_lead'],
    haloAgentId: 6,
  },
  lynne: {
    aadObjectId: 'aad-lynne',
    name: 'Lynne Robbins',
    email: 'lynne@msp.example',
    roles: ['pmo_lead'],
    haloAgentId: null,
  },
  patti: {
    aadObjectId: 'aad-patti',
    name: 'Patti Fernandez',
    email: 'patti@msp.example',
    roles: ['cs_lead'],
    haloAgentId: null,
  },
} satisfies Record<string, Actor>;

/** Stores a pending gate on the project's gate milestone, requested by Megan at `requestedAt`. */
export async function seedPendingGate(
  world: GateWorld,
  p: { projectId: number; milestoneId: number },
  requestedAt = world.clock.now().toISOString(),
): Promise<string> {
  const id = `g-${p.projectId}-${p.milestoneId}`;
  await world.gates.saveRequest(
    {
      id,
      projectId: p.projectId,
      milestoneId: p.milestoneId,
      milestoneName: 'Gate: UAT sign-off',
      packVersion: 1,
      packHash: 'ab'.repeat(32),
      requiredApprovals: 1,
      requestedBy: { aadObjectId: 'aad-megan', name: 'Megan Bowen', email: 'megan@msp.example' },
      requestedAt,
    },
    {
      deliverables: [{ kind: 'link', title: 'UAT report', url: 'https://sp.example/uat.pdf' }],
      qaOutcomes: [],
      customerAcceptanceNotes: 'Accepted',
      openRisks: [],
      noOpenRisks: true,
    },
    '{}',
    requestedAt,
  );
  return id;
}
