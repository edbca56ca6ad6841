/** In-memory fakes of the renewal ports, for the use-case unit tests. */
import type { AuditEntry, AuditEntryInput, AuditTrail } from '../../src/app/ports/audit.port';
import type {
  EnqueueResult,
  NotificationIntent,
  Outbox,
} from '../../src/app/ports/notifications.port';
import type { Transactional } from '../../src/app/ports/transaction.port';
import type { ActionLogEntry, BotActionLog } from '../../src/app/notifications/bot-action-log.port';
import type {
  ConcessionApprovers,
  ConcessionRequests,
  ConcessionRow,
} from '../../src/app/renewals/concession-requests.port';
import type {
  ContractCatalog,
  ContractLabel,
  ContractMoney,
  ContractTerm,
} from '../../src/app/renewals/contract-catalog.port';
import type {
  ReadinessSnapshots,
  RenewalSnapshotRow,
} from '../../src/app/renewals/readiness-snapshots.port';
import type {
  CheckpointRow,
  RenewalCheckpoints,
} from '../../src/app/renewals/renewal-checkpoints.port';
import type { RenewalEventRow, RenewalEvents } from '../../src/app/renewals/renewal-events.port';
import type { RenewalKpiSnapshots } from '../../src/app/renewals/renewal-kpi-snapshots.port';
import type {
  RenewalOutcomeRow,
  RenewalOutcomes,
} from '../../src/app/renewals/renewal-outcomes.port';
import type { RenewalStages, StageTaskRow } from '../../src/app/renewals/renewal-stages.port';
import type { RenewalUnitOfWork } from '../../src/app/renewals/renewal-store.port';
import type { UpliftOpportunities } from '../../src/app/renewals/uplift-opportunities.port';
import type { UpliftOpportunity } from '../../src/domain/renewals';
import type { Signal } from '../../src/shared/signal';

export class FakeSnapshots implements ReadinessSnapshots {
  rows: RenewalSnapshotRow[] = [];
  async previousSnapshots(date: string) {
    const out = new Map<number, RenewalSnapshotRow>();
    for (const r of [...this.rows].sort((a, b) => a.date.localeCompare(b.date))) {
      if (r.date < date) out.set(r.contractId, r);
    }
    return out;
  }
  async latestSnapshots(date?: string) {
    const out = new Map<number, RenewalSnapshotRow>();
    for (const r of [...this.rows].sort((a, b) => a.date.localeCompare(b.date))) {
      if (date === undefined || r.date <= date) out.set(r.contractId, r);
    }
    return [...out.values()];
  }
  async snapshots(contractId: number) {
    return this.rows.filter((r) => r.contractId === contractId);
  }
  async saveSnapshot(s: RenewalSnapshotRow) {
    this.rows = this.rows.filter((r) => !(r.contractId === s.contractId && r.date === s.date));
    this.rows.push(s);
  }
}

export class FakeStages implements RenewalStages {
  rows: StageTaskRow[] = [];
  async openStage(s: Omit<StageTaskRow, 'version'>) {
    if (this.rows.some((r) => r.contractId === s.contractId && r.stage === s.stage)) return false;
    this.rows.push({ ...s, version: 1 });
    return true;
  }
  async stageTasks(filter: { contractId?: number; status?: StageTaskRow['status'] } = {}) {
    return this.rows
      .filter((r) => filter.contractId === undefined || r.contractId === filter.contractId)
      .filter((r) => filter.status === undefined || r.status === filter.status)
      .map((r) => ({ ...r }));
  }
  async updateStage(
    contractId: number,
    stage: string,
    version: number,
    change: Parameters<RenewalStages['updateStage']>[3],
  ) {
    const row = this.rows.find(
      (r) => r.contractId === contractId && r.stage === stage && r.version === version,
    );
    if (!row) return false;
    row.status = change.status;
    if (change.tasks) row.tasks = change.tasks;
    if (change.stakeholders) row.stakeholders = change.stakeholders;
    if (change.ownerAgentId !== undefined) row.ownerAgentId = change.ownerAgentId;
    row.version += 1;
    return true;
  }
}

export class FakeCheckpoints implements RenewalCheckpoints {
  rows: CheckpointRow[] = [];
  async addCheckpoint(c: Omit<CheckpointRow, 'id'>) {
    const id = this.rows.length + 1;
    this.rows.push({ ...c, id });
    return id;
  }
  async checkpoints(contractId: number | null) {
    return this.rows.filter((r) => contractId === null || r.contractId === contractId);
  }
}

export class FakeUplift implements UpliftOpportunities {
  rows: UpliftOpportunity[] = [];
  async upsertUplift(o: UpliftOpportunity) {
    if (this.rows.some((r) => r.id === o.id)) return false;
    this.rows.push({ ...o });
    return true;
  }
  async uplift(contractId: number | null) {
    return this.rows
      .filter((r) => contractId === null || Number(r.contractId) === contractId)
      .map((r) => ({ ...r }));
  }
  async decideUplift(
    id: string,
    status: 'accepted' | 'declined',
    by: string,
    on: string,
    _now: Date,
    reason: string | null = null,
  ) {
    const row = this.rows.find((r) => r.id === id && r.status === 'proposed');
    if (!row) return false;
    Object.assign(row, { status, decidedBy: by, decidedOn: on, decisionReason: reason });
    return true;
  }
}

export class FakeConcessions implements ConcessionRequests {
  rows: ConcessionRow[] = [];
  cards = new Map<number, string>();
  decisions: Array<{ id: number; status: string }> = [];
  async insertConcession(
    c: Omit<ConcessionRow, 'id' | 'status' | 'version' | 'decidedBy' | 'decidedAt' | 'comment'>,
  ) {
    if (this.rows.some((r) => r.contractId === c.contractId && r.status === 'pending')) return null;
    const id = this.rows.length + 1;
    this.rows.push({
      ...c,
      id,
      status: 'pending',
      version: 1,
      decidedBy: null,
      decidedAt: null,
      comment: null,
    });
    return id;
  }
  async concession(id: number) {
    const row = this.rows.find((r) => r.id === id);
    return row ? { ...row } : null;
  }
  async concessions(contractId: number | null) {
    return this.rows.filter((r) => contractId === null || r.contractId === contractId);
  }
  async decideConcession(
    id: number,
    expectedVersion: number,
    d: Parameters<ConcessionRequests['decideConcession']>[2],
  ) {
    const row = this.rows.find(
      (r) => r.id === id && r.version === expectedVersion && r.status === 'pending',
    );
    if (!row) return false;
    Object.assign(row, {
      status: d.status,
      version: row.version + 1,
      decidedBy: d.decidedBy,
      decidedAt: d.decidedAt,
      comment: d.comment,
    });
    this.decisions.push({ id, status: d.status });
    return true;
  }
  async expireConcession(id: number, expectedVersion: number, at: string) {
    const row = this.rows.find(
      (r) => r.id === id && r.version === expectedVersion && r.status === 'pending',
    );
    if (!row) return false;
    Object.assign(row, { status: 'expired', version: row.version + 1, decidedAt: at });
    return true;
  }
  async setConcessionCard(id: number, dedupeKey: string) {
    if (!this.cards.has(id)) this.cards.set(id, dedupeKey);
  }
  async concessionCard(id: number) {
    return this.cards.get(id) ?? null;
  }
}

export class FakeApprovers implements ConcessionApprovers {
  constructor(
    readonly byRole: Record<string, string[]> = {},
    /** Entra object ids by sign-in e-mail (lower case). */
    readonly byEmail: Record<string, string[]> = {},
  ) {}
  async aadObjectIdsWithRoles(roles: readonly string[]) {
    return [...new Set(roles.flatMap((r) => this.byRole[r] ?? []))].sort();
  }
  async aadObjectIdsWithEmail(email: string, roles: readonly string[]) {
    const withRole = new Set(await this.aadObjectIdsWithRoles(roles));
    return (this.byEmail[email.toLowerCase()] ?? []).filter((id) => withRole.has(id)).sort();
  }
}

export class FakeContracts implements ContractCatalog {
  labels = new Map<number, ContractLabel>();
  money = new Map<number, ContractMoney>();
  terms: ContractTerm[] = [];
  /** Adds a contract of `monthly` per month (billed monthly) at `cost` per month. */
  add(contractId: number, monthly: number, cost: number | null = null, clientId = 1): this {
    this.labels.set(contractId, {
      contractId,
      ref: `C-${contractId}`,
      clientId,
      clientName: `Client ${clientId}`,
      contractType: 'Managed Services',
      ownerAgentId: 7,
      ownerName: 'Alex Account',
      ownerEmail: 'alex@example.com',
      endDate: '2026-03-31',
    });
    this.money.set(contractId, {
      periodCharge: monthly,
      costPerPeriod: cost,
      billingPeriod: 'Monthly',
      contractType: 'Managed Services',
    });
    return this;
  }
  async contractLabels(ids: readonly number[] | null) {
    return new Map([...this.labels].filter(([id]) => ids === null || ids.includes(id)));
  }
  async contractMoney(ids: readonly number[] | null) {
    return new Map([...this.money].filter(([id]) => ids === null || ids.includes(id)));
  }
  async contractTerms() {
    return this.terms;
  }
}

export class FakeEvents implements RenewalEvents {
  rows: RenewalEventRow[] = [];
  async addEvent(e: Omit<RenewalEventRow, 'id'>) {
    this.rows.push({ ...e, id: this.rows.length + 1 });
  }
  async events(contractId: number) {
    return this.rows.filter((r) => r.contractId === contractId);
  }
}

export class FakeKpis implements RenewalKpiSnapshots {
  rows: Array<{ capturedOn: string; kpis: Record<string, unknown> }> = [];
  async saveKpis(capturedOn: string, kpis: Record<string, unknown>) {
    this.rows.push({ capturedOn, kpis });
  }
  async kpiSnapshots() {
    return this.rows;
  }
}

export class FakeOutcomes implements RenewalOutcomes {
  rows: RenewalOutcomeRow[] = [];
  async recordOutcome(row: RenewalOutcomeRow) {
    if (this.rows.some((r) => r.contractId === row.contractId && r.endDate === row.endDate)) {
      return false;
    }
    this.rows.push(row);
    return true;
  }
  async outcomes() {
    return this.rows;
  }
}

export class FakeAudit implements AuditTrail {
  entries: AuditEntryInput[] = [];
  async append(input: AuditEntryInput): Promise<AuditEntry> {
    this.entries.push(input);
    return {
      tenantId: 't',
      seq: this.entries.length,
      at: '2026-01-01T00:00:00.000Z',
      subjectType: input.subjectType,
      subjectId: input.subjectId,
      action: input.action,
      actor: input.actor,
      detail: input.detail ?? {},
      prevHash: '',
      hash: '',
    };
  }
  async timeline() {
    return [];
  }
  async timelineOf() {
    return [];
  }
}

export class FakeOutbox implements Outbox {
  intents: NotificationIntent[] = [];
  async enqueue(intent: NotificationIntent): Promise<EnqueueResult> {
    this.intents.push(intent);
    return { status: 'queued', id: this.intents.length };
  }
}

export class CountingSignal implements Signal {
  count = 0;
  notify(): void {
    this.count += 1;
  }
}

export class FakeActionLog implements BotActionLog {
  entries: ActionLogEntry[] = [];
  async record(entry: ActionLogEntry) {
    this.entries.push(entry);
  }
}

/** Every renewal port in memory; transactions run on the same fakes (no rollback). */
export function fakeRenewalPorts() {
  const ports: RenewalUnitOfWork = {
    snapshots: new FakeSnapshots(),
    stages: new FakeStages(),
    checkpoints: new FakeCheckpoints(),
    uplift: new FakeUplift(),
    concessions: new FakeConcessions(),
    approvers: new FakeApprovers(),
    contracts: new FakeContracts(),
    events: new FakeEvents(),
    kpis: new FakeKpis(),
    outcomes: new FakeOutcomes(),
    audit: new FakeAudit(),
    outbox: new FakeOutbox(),
  };
  let transactions = 0;
  const uow: Transactional<RenewalUnitOfWork> & { readonly count: number } = {
    transaction: (work) => {
      transactions += 1;
      return work(ports);
    },
    get count() {
      return transactions;
    },
  };
  return {
    ports: ports as RenewalUnitOfWork & {
      snapshots: FakeSnapshots;
      stages: FakeStages;
      checkpoints: FakeCheckpoints;
      uplift: FakeUplift;
      concessions: FakeConcessions;
      approvers: FakeApprovers;
      contracts: FakeContracts;
      events: FakeEvents;
      kpis: FakeKpis;
      outcomes: FakeOutcomes;
      audit: FakeAudit;
      outbox: FakeOutbox;
    },
    uow,
  };
}
