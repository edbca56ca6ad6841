import type { DeliveryQueries } from '../app/delivery-views';
import type { Db } from '../store/db';
import type { WeeklyReportPayload } from './notification-payloads';
import type { EnqueueResult } from '../app/ports/notifications.port';
import { enqueue } from './outbox';

/**
 * Posts the weekly control report card to the routed `reports` channel, once per week: the dedupe
 * key is the week, so a second run (another instance, a retry) posts nothing new.
 */
export async function postWeeklyReport(deps: {
  db: Db;
  tenantId: string;
  queries: DeliveryQueries;
  now: () => Date;
}): Promise<EnqueueResult> {
  const report = await deps.queries.weeklyReport(deps.tenantId);
  const payload: WeeklyReportPayload = { report };
  return deps.db.transaction((tx) =>
    enqueue(
      tx,
      deps.tenantId,
      {
        dedupeKey: `weekly-report:${report.weekOf}`,
        kind: 'weekly-report',
        payload,
        target: { streams: ['reports'], clientId: null },
      },
      deps.now(),
    ),
  );
}
