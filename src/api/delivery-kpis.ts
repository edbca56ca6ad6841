import { buildProjectFacts, indexDeliveryHistory } from '../app/delivery/build-project-facts';
import type { DeliveryHistoryReader } from '../app/delivery/project-history';
import { kpiMovement, weeklyKpis } from '../domain/delivery/kpis';
import type { ProjectFacts } from '../domain/delivery/project-facts';
import { addDays } from '../domain/shared/dates';
import type { KpisDto } from './dto';

/**
 * Delivery KPIs for the tab: the last `weeks` ISO weeks (oldest first, the first being the week-1
 * baseline) computed from every project's facts as of today, with the week-4 and week-8 movement.
 */
export function deliveryKpis(deps: {
  history: DeliveryHistoryReader;
  now: () => Date;
}): (tenantId: string, weeks: number) => Promise<KpisDto> {
  return async (tenantId, weeks) => {
    const now = deps.now();
    const today = now.toISOString().slice(0, 10);
    const history = await deps.history.load(tenantId);
    const facts: ProjectFacts[] = [];
    for (const project of indexDeliveryHistory(history).values()) {
      const f = buildProjectFacts(project, history, today);
      if (f !== null) facts.push(f);
    }
    const monday = addDays(today, -((new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7));
    const series = Array.from({ length: weeks }, (_, i) =>
      weeklyKpis(addDays(monday, -7 * (weeks - 1 - i)), facts),
    );
    return { weeks: series, movement: kpiMovement(series), generatedAt: now.toISOString() };
  };
}
