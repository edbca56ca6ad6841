import { buildProjectFacts, indexDeliveryHistory } from '../../domain/delivery/build-project-facts';
import { kpiMovement, kpisBetween, weeklyKpis, type PeriodKpis } from '../../domain/delivery/kpis';
import type { ProjectFacts } from '../../domain/delivery/project-facts';
import { addDays } from '../../domain/shared/dates';
import type { Clock } from '../../shared/clock';
import type { DeliveryHistoryReader } from './delivery-history.port';
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

  /** The KPIs of the `days` days ending `asOf` (what the daily KPI snapshot stores). */
  async trailing(
    tenantId: string,
    asOf: string,
    days: number,
  ): Promise<{ from: string; to: string; kpis: PeriodKpis }> {
    const from = addDays(asOf, -(days - 1));
    return { from, to: asOf, kpis: kpisBetween(from, asOf, await this.portfolio(tenantId, asOf)) };
  }

  private async portfolio(tenantId: string, asOf: string): Promise<ProjectFacts[]> {
    const history = await this.history.load(tenantId);
    const facts: ProjectFacts[] = [];
    for (const project of indexDeliveryHistory(history).values()) {
      const f = buildProjectFacts(project, history, asOf);
      if (f !== null) facts.push(f);
    }
    return facts;
  }
}
