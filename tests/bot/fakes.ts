import type {
  Actor,
  ClientMatch,
  DeliveryQueries,
  EscalationActionResult,
  EscalationActions,
  EscalationDecisionEffects,
  EscalationDecisionPorts,
  EscalationView,
  PortfolioSummaryView,
  ProjectCandidate,
  ProjectHealthView,
  ProjectSearch,
  Rag,
  WeeklyReportView,
} from '../../src/app/delivery-views';
import type { ContractOwners, ProjectOwners } from '../../src/app/identity/access-policy';
import type { OwnedProject, Ownership } from '../../src/app/identity/ownership.port';
import type { ActionLogEntry, BotActionLog } from '../../src/app/notifications/bot-action-log.port';
import type {
  ChannelRoutes,
  ConversationRoute,
} from '../../src/app/notifications/channel-routes.port';
import type { LiveCardRouter } from '../../src/app/notifications/live-card-router.port';
import type {
  ConversationRef,
  NotificationIntent,
  Outbox,
} from '../../src/app/ports/notifications.port';
import type { Transactional } from '../../src/app/ports/transaction.port';
import type { Role } from '../../src/domain/shared/roles';
import type { Clock, Sleep } from '../../src/shared/clock';
import type { Signal } from '../../src/shared/signal';
import {
  escalationView,
  portfolioView,
  projectHealthView,
  weeklyReportView,
} from './view-fixtures';

/** A clock that moves only when told (or when something sleeps on it). */
export class FakeClock implements Clock {
  private ms: number;
  constructor(start = '2025-03-14T09:00:00Z') {
    this.ms = Date.parse(start);
  }
  now(): Date {
    return new Date(this.ms);
  }
  advance(ms: number): void {
    this.ms += ms;
  }
  /** A sleep that advances this clock instead of waiting. */
  readonly sleep: Sleep = async (ms) => {
    this.ms += Math.max(0, ms);
  };
}

/** In-memory delivery read side: a few projects and clients. */
export class FakeDeliveryQueries implements DeliveryQueries {
  /** `owners`: who owns a project (e.g. the test database's SqlOwnership); none by default. */
  constructor(
    private readonly owners: (projectId: number) => Promise<ProjectOwners | null> = async () =>
      null,
  ) {}

  readonly projects: ProjectHealthView[] = [
    projectHealthView(),
    projectHealthView({
      id: 2001,
      name: 'Fabrikam migration wave 1',
      client: { id: 8, name: 'Fabrikam' },
    }),
    projectHealthView({
      id: 2002,
      name: 'Fabrikam migration wave 2',
      client: { id: 8, name: 'Fabrikam' },
    }),
  ];
  readonly clients = [
    { id: 7, name: 'Contoso Ltd' },
    { id: 8, name: 'Fabrikam' },
    { id: 9, name: 'Fabrikam Residences' },
  ];

  async portfolioSummary(): Promise<PortfolioSummaryView> {
    return portfolioView(4);
  }
  async searchProjects(_tenantId: string, text: string): Promise<ProjectSearch> {
    const needle = text.toLowerCase();
    const found = this.projects.filter(
      (p) => String(p.id) === text || p.name.toLowerCase().includes(needle),
    );
    const matches: ProjectCandidate[] = [];
    for (const p of found) {
      matches.push({
        id: p.id,
        name: p.name,
        clientName: p.client.name,
        rag: p.rag,
        exact: String(p.id) === text || p.name.toLowerCase() === needle,
        owners: await this.owners(p.id),
      });
    }
    return { matches, firstView: found[0] ?? null };
  }
  async projectHealth(_tenantId: string, projectId: number): Promise<ProjectHealthView | null> {
    return this.projects.find((p) => p.id === projectId) ?? null;
  }
  async weeklyReport(): Promise<WeeklyReportView> {
    return weeklyReportView(3);
  }
  async findClients(_tenantId: string, text: string): Promise<ClientMatch[]> {
    const needle = text.toLowerCase();
    return this.clients
      .filter((c) => String(c.id) === text || c.name.toLowerCase().includes(needle))
      .map((c) => ({ ...c, exact: String(c.id) === text || c.name.toLowerCase() === needle }));
  }
}

/** Escalation decisions with the real rule's shape: the owner (by HaloPSA agent) or a delivery director. */
export class FakeEscalationActions implements EscalationActions {
  readonly calls: { action: string; escalationId: string; actor: Actor }[] = [];
  readonly escalations = new Map<string, EscalationView & { ownerAgentId: number }>([
    ['esc-1', { ...escalationView(), ownerAgentId: 11 }],
  ]);

  /**
   * `writes` runs a decision's effects in one transaction (the test's outbox and action log);
   * without it, a decision with effects fails loudly rather than dropping them.
   */
  constructor(
    private readonly clock: Clock,
    private readonly writes?: (
      run: (ports: EscalationDecisionPorts) => Promise<void>,
    ) => Promise<void>,
  ) {}

  acknowledge(_t: string, id: string, actor: Actor, effects?: EscalationDecisionEffects) {
    return this.act(
      'acknowledge',
      id,
      actor,
      (e) => ({ ...e, state: 'acknowledged' }),
      'acknowledged',
      effects,
    );
  }
  assign(
    _t: string,
    id: string,
    actor: Actor,
    agentId: number,
    effects?: EscalationDecisionEffects,
  ) {
    return this.act(
      'assign',
      id,
      actor,
      (e) => ({ ...e, state: 'assigned', mitigationOwnerName: `agent ${agentId}` }),
      'assigned a mitigation owner',
      effects,
    );
  }
  snooze(
    _t: string,
    id: string,
    actor: Actor,
    until: string,
    reason: string,
    effects?: EscalationDecisionEffects,
  ) {
    return this.act(
      'snooze',
      id,
      actor,
      (e) => ({ ...e, state: 'snoozed', snoozedUntil: `${until}T00:00:00Z` }),
      `snoozed: ${reason}`,
      effects,
    );
  }
  markFalsePositive(
    _t: string,
    id: string,
    actor: Actor,
    reason: string,
    effects?: EscalationDecisionEffects,
  ) {
    return this.act(
      'markFalsePositive',
      id,
      actor,
      (e) => ({ ...e, state: 'false-positive' }),
      `marked not a real issue: ${reason}`,
      effects,
    );
  }

  private async act(
    action: string,
    id: string,
    actor: Actor,
    change: (
      e: EscalationView & { ownerAgentId: number },
    ) => EscalationView & { ownerAgentId: number },
    words: string,
    effects?: EscalationDecisionEffects,
  ): Promise<EscalationActionResult> {
    this.calls.push({ action, escalationId: id, actor });
    const current = this.escalations.get(id);
    if (!current)
      return {
        ok: false,
        reason: 'not-found',
        message: 'That escalation no longer exists.',
        escalation: null,
      };
    const allowed =
      actor.roles.includes('delivery_director') ||
      (actor.haloAgentId !== null && actor.haloAgentId === current.ownerAgentId);
    if (!allowed) {
      return {
        ok: false,
        reason: 'not-authorised',
        message: `Only the project's PM (${current.ownerName}) or a delivery director can do this.`,
        escalation: strip(current),
      };
    }
    const next = change(current);
    next.history = [
      ...next.history,
      { at: this.clock.now().toISOString(), actorName: actor.name, action: words },
    ];
    if (effects) {
      if (!this.writes) throw new Error('FakeEscalationActions: effects given but no writes');
      await this.writes((ports) => effects(strip(next), ports));
    }
    this.escalations.set(id, next);
    return { ok: true, escalation: strip(next), changed: true };
  }
}

function strip(view: EscalationView & { ownerAgentId: number }): EscalationView {
  const copy: EscalationView & { ownerAgentId?: number } = { ...view };
  delete copy.ownerAgentId;
  return copy;
}

/** Records bot actions in memory. */
export class FakeBotActionLog implements BotActionLog {
  readonly entries: ActionLogEntry[] = [];
  async record(entry: ActionLogEntry): Promise<void> {
    this.entries.push(entry);
  }
}

/** Channel routing rules in memory (last rule per stream and client wins). */
export class FakeChannelRoutes implements ChannelRoutes {
  readonly saved: { route: ConversationRoute; createdBy: string | null; now: Date }[] = [];
  async upsert(route: ConversationRoute, createdBy: string | null, now: Date): Promise<void> {
    this.saved.push({ route, createdBy, now });
  }
}

/** Counts calls and answers a fixed number of routed cards. */
export class FakeLiveCardRouter implements LiveCardRouter {
  readonly calls: { clientId: number | null; conversation: ConversationRef }[] = [];
  constructor(private readonly routed: number) {}
  async routeLiveCards(clientId: number | null, conversation: ConversationRef): Promise<number> {
    this.calls.push({ clientId, conversation });
    return this.routed;
  }
}

/** An outbox in memory behind a unit of work: intents become visible when the work returns. */
export class FakeOutbox implements Transactional<{ outbox: Outbox }> {
  readonly committed: NotificationIntent[] = [];
  async transaction<T>(work: (ports: { outbox: Outbox }) => Promise<T>): Promise<T> {
    const pending: NotificationIntent[] = [];
    let id = this.committed.length;
    const result = await work({
      outbox: {
        enqueue: async (intent) => {
          if ([...this.committed, ...pending].some((i) => i.dedupeKey === intent.dedupeKey))
            return { status: 'duplicate' };
          pending.push(intent);
          id += 1;
          return { status: 'queued', id };
        },
      },
    });
    this.committed.push(...pending);
    return result;
  }
}

/** Counts notifications. */
export class CountingSignal implements Signal {
  count = 0;
  notify(): void {
    this.count += 1;
  }
}

/** An actor with the given roles. */
export function actor(roles: Role[] = [], overrides: Partial<Actor> = {}): Actor {
  return {
    aadObjectId: 'aad-pm',
    name: 'Pat Manager',
    email: 'pat@example.com',
    roles,
    haloAgentId: 11,
    ...overrides,
  };
}

/** A Teams channel conversation. */
export function channelConversation(overrides: Partial<ConversationRef> = {}): ConversationRef {
  return {
    serviceUrl: 'https://smba.example.com/emea/',
    conversationId: '19:general@thread.tacv2',
    channelId: 'msteams',
    tenantId: 'entra-tenant',
    botId: '28:bot',
    conversationType: 'channel',
    label: 'General',
    ...overrides,
  };
}

/** Project and contract owners in memory (the SQL adapter is src/store/ownership.repository.ts). */
export class FakeOwnership implements Ownership {
  readonly projects = new Map<number, ProjectOwners & { rag?: Rag }>();
  readonly contracts = new Map<number, ContractOwners>();

  async project(projectId: number): Promise<ProjectOwners | null> {
    return this.projects.get(projectId) ?? null;
  }

  async contract(contractId: number): Promise<ContractOwners | null> {
    return this.contracts.get(contractId) ?? null;
  }

  async ownedProjects(owners: {
    pmAgentId: number | null;
    accountManagerAgentId: number | null;
  }): Promise<OwnedProject[]> {
    return [...this.projects.entries()]
      .filter(
        ([, p]) =>
          (owners.pmAgentId !== null && p.pmAgentId === owners.pmAgentId) ||
          (owners.accountManagerAgentId !== null &&
            p.accountManagerAgentId === owners.accountManagerAgentId),
      )
      .map(([id, p]) => ({ id, clientId: p.clientId, rag: p.rag ?? 'unknown' }));
  }

  async clientsOf(accountManagerAgentId: number): Promise<number[]> {
    const ids = [...this.projects.values(), ...this.contracts.values()]
      .filter((o) => o.accountManagerAgentId === accountManagerAgentId && o.clientId !== null)
      .map((o) => o.clientId as number);
    return [...new Set(ids)].sort((a, b) => a - b);
  }
}
