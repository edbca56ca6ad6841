import type {
  Actor,
  ClientMatch,
  DeliveryQueries,
  EscalationActionResult,
  EscalationActions,
  EscalationView,
  PortfolioSummaryView,
  ProjectHealthView,
  ProjectMatch,
  WeeklyReportView,
} from '../../src/app/delivery-views';
import type { Clock, Sleep } from '../../src/shared/clock';
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
  async findProjects(_tenantId: string, text: string): Promise<ProjectMatch[]> {
    const needle = text.toLowerCase();
    return this.projects
      .filter((p) => String(p.id) === text || p.name.toLowerCase().includes(needle))
      .map((p) => ({
        id: p.id,
        name: p.name,
        clientName: p.client.name,
        rag: p.rag,
        exact: String(p.id) === text || p.name.toLowerCase() === needle,
      }));
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

  constructor(private readonly clock: Clock) {}

  acknowledge(_t: string, id: string, actor: Actor) {
    return this.act(
      'acknowledge',
      id,
      actor,
      (e) => ({ ...e, state: 'acknowledged' }),
      'acknowledged',
    );
  }
  assign(_t: string, id: string, actor: Actor, agentId: number) {
    return this.act(
      'assign',
      id,
      actor,
      (e) => ({ ...e, state: 'assigned', mitigationOwnerName: `agent ${agentId}` }),
      'assigned a mitigation owner',
    );
  }
  snooze(_t: string, id: string, actor: Actor, until: string, reason: string) {
    return this.act(
      'snooze',
      id,
      actor,
      (e) => ({ ...e, state: 'snoozed', snoozedUntil: `${until}T00:00:00Z` }),
      `snoozed: ${reason}`,
    );
  }
  markFalsePositive(_t: string, id: string, actor: Actor, reason: string) {
    return this.act(
      'markFalsePositive',
      id,
      actor,
      (e) => ({ ...e, state: 'false-positive' }),
      `marked not a real issue: ${reason}`,
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
    this.escalations.set(id, next);
    return { ok: true, escalation: strip(next) };
  }
}

function strip(view: EscalationView & { ownerAgentId: number }): EscalationView {
  const copy: EscalationView & { ownerAgentId?: number } = { ...view };
  delete copy.ownerAgentId;
  return copy;
}
