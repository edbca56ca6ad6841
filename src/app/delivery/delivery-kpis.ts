import { ioPacer } from '../../shared/io-pace';
import { buildProjectFacts } from '../../domain/delivery/build-project-facts';
import { kpiMovement, kpisBetween, weeklyKpis, type PeriodKpis } from '../../domain/delivery/kpis';
import type { ProjectFacts } from '../../domain/delivery/project-facts';
import { addDays } from '../../domain/shared/dates';
import type { Clock } from '../../shared/clock';
import type { DeliveryHistoryReader } from './delivery-history.port';
import { deliveryHistoryByScope } from './delivery-history-scopes';
import type { KpisView } from './tab-views';

/**
 * Delivery KPIs for the tab: the last `weeks` ISO weeks (oldest first, the first being the week-1
 * baseline) computed from every project's facts as of today, with the week-4 and week-8 movement.
 */
export class DeliveryKpis {
  constructor(
    private readonly history: DeliveryHistoryReader,
    private readonly clock: Clock,
  ) {}

  async run(tenantId: string, weeks: number): Promise<KpisView> {
    const now = this.clock.now();
    const today = now.toISOString().slice(0, 10);
    const facts = await this.portfolio(tenantId, today);
    const monday = addDays(today, -((new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7));
    const series = Array.from({ length: weeks }, (_, i) =>
      weeklyKpis(addDays(monday, -7 * (weeks - 1 - i)), facts),
    );
    return { weeks: series, movement: kpiMovement(series), generatedAt: now.toISOString() };
  }

  /**
   * The KPIs as of `asOf` (what the daily KPI snapshot stores): the on-time rate of milestones due
   * in the `milestoneDays` days ending `asOf`; budget variance and gross-margin accuracy of projects
   * closed in the `closureDays` days ending `asOf` (closures are rarer, so their window is longer).
   */
  async trailing(
    tenantId: string,
    asOf: string,
    windows: { milestoneDays: number; closureDays: number },
  ): Promise<{ kpis: PeriodKpis; milestonesFrom: string; closuresFrom: string }> {
    const facts = await this.portfolio(tenantId, asOf);
    const milestonesFrom = addDays(asOf, -(windows.milestoneDays - 1));
    const closuresFrom = addDays(asOf, -(windows.closureDays - 1));
    const milestones = kpisBetween(milestonesFrom, asOf, facts);
    const closures = kpisBetween(closuresFrom, asOf, facts);
    return {
      kpis: {
        onTimeMilestoneRate: milestones.onTimeMilestoneRate,
        milestonesDue: milestones.milestonesDue,
        budgetVariance: closures.budgetVariance,
        grossMarginAccuracy: closures.grossMarginAccuracy,
        projectsClosed: closures.projectsClosed,
      },
      milestonesFrom,
      closuresFrom,
    };
  }

  private async portfolio(tenantId: string, asOf: string): Promise<ProjectFacts[]> {
    // The portfolio's facts, one project scope's raw history at a time.
    const facts: ProjectFacts[] = [];
    const pace = ioPacer();
    for await (const { history, projects } of deliveryHistoryByScope(this.history, tenantId)) {
      for (const project of projects.values()) {
        await pace();
        const f = buildProjectFacts(project, history, asOf);
        if (f !== null) facts.push(f);
      }
    }
    return facts;
  }
}
