/**
 * KPIs that move (SPEC §2.7, §3.7): the daily `kpi-snapshots` job stores each tenant's delivery and
 * renewal KPIs and freezes the pilot baseline; the progress routes read baseline, week 4, week 8
 * and now. Runs after the daily evaluations, so the renewal KPIs include that day's outcomes.
 */
import { kpiProgressRoutes } from '../api/kpi-progress-routes';
import { DeliveryKpis } from '../app/delivery/delivery-kpis';
import { ReadAccess } from '../app/identity/read-access';
import { CaptureKpiSnapshots, type KpiCaptureReport } from '../app/reporting/capture-kpi-snapshots';
import { ReadKpiProgress } from '../app/reporting/kpi-progress-view';
import type { RenewalKpiView } from '../app/renewals/renewal-insights';
import { addDays } from '../domain/shared/dates';
import type { Clock } from '../shared/clock';
import type { Db } from '../store/db';
import { SqlDeliveryHistoryReader } from '../store/delivery-history.repository';
import { SqlKpiSnapshots } from '../store/kpi-snapshot.repository';
import { SqlOwnership } from '../store/ownership.repository';
import { SqlTabSettings } from '../store/tab-settings.repository';
import type { FeatureModule } from './feature-module';

/**
 * Days of delivery history one daily snapshot measures: milestones due in the last four weeks,
 * projects closed in the last twelve (an MSP closes a few projects a month).
 */
export const DELIVERY_KPI_WINDOWS = { milestoneDays: 28, closureDays: 84 };

export interface KpisModuleDeps {
  db: Db;
  tenantId: string;
  clock: Clock;
  /** The renewal KPIs as of a day (the renewals module's insights). */
  renewalKpis: (asOf: string) => Promise<RenewalKpiView>;
  /** Cron of the daily `kpi-snapshots` job. */
  captureCron: string;
}

export interface KpisModule extends FeatureModule {
  /** One capture, as the job runs it (tests pass the simulated day). */
  capture(options?: { asOf?: string }): Promise<KpiCaptureReport>;
  /**
   * Demo only: with no snapshot stored yet, captures one a week for the `weeks` weeks before today,
   * so a fresh demo shows a baseline, week 4 and week 8 (renewal uplift and concession figures are
   * today's, as nothing older is stored).
   */
  backfillDemo(weeks: number): Promise<number>;
}

export function createKpisModule(deps: KpisModuleDeps): KpisModule {
  const { db, tenantId, clock } = deps;
  const store = new SqlKpiSnapshots(db, tenantId);
  const pilot = new SqlTabSettings(db, clock);
  const delivery = new DeliveryKpis(new SqlDeliveryHistoryReader(db), clock);
  const capture = new CaptureKpiSnapshots({
    tenantId,
    store,
    pilot,
    clock,
    sources: {
      delivery: async (asOf) => {
        const t = await delivery.trailing(tenantId, asOf, DELIVERY_KPI_WINDOWS);
        const { milestonesDue, projectsClosed, ...values } = t.kpis;
        const { milestonesFrom, closuresFrom } = t;
        return { values, detail: { milestonesFrom, closuresFrom, milestonesDue, projectsClosed } };
      },
      renewal: async (asOf) => {
        const view = await deps.renewalKpis(asOf);
        return {
          values: { ...view.kpis },
          detail: {
            period: view.period,
            retention: view.grossRetention,
            uplift: view.uplift,
            depth: view.concessions,
            outcomes: view.outcomes,
          },
        };
      },
    },
  });
  return {
    routes: kpiProgressRoutes({
      tenantId,
      progress: new ReadKpiProgress({ tenantId, store, pilot }),
      access: new ReadAccess(new SqlOwnership(db, tenantId)),
    }),
    bot: { commands: [], cardActions: {}, renderers: {} },
    jobs: [
      {
        name: 'kpi-snapshots',
        cron: deps.captureCron,
        run: async () => void (await capture.run()),
      },
    ],
    capture: (options) => capture.run(options),
    backfillDemo: async (weeks) => {
      if ((await store.snapshots('delivery')).length > 0) return 0;
      const today = clock.now().toISOString().slice(0, 10);
      for (let k = weeks; k >= 1; k--) await capture.run({ asOf: addDays(today, -7 * k) });
      return weeks;
    },
  };
}
