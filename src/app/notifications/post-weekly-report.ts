import type { DeliveryQueries } from '../delivery-views';
import type { EnqueueResult, Outbox } from '../ports/notifications.port';
import type { Transactional } from '../ports/transaction.port';
import type { Signal } from '../../shared/signal';
import type { WeeklyReportPayload } from './notification-payloads';

/** The ports the weekly report works through. */
export interface PostWeeklyReportDeps {
  tenantId: string;
  reports: Pick<DeliveryQueries, 'weeklyReport'>;
  outbox: Transactional<{ outbox: Outbox }>;
  outboxSignal: Signal;
}

/**
 * Posts the weekly control report card to the routed `reports` channel, once per week: the dedupe
 * key is the week, so a second run (another instance, a retry) posts nothing new.
 */
export class PostWeeklyReport {
  constructor(private readonly deps: PostWeeklyReportDeps) {}

  async run(): Promise<EnqueueResult> {
    const report = await this.deps.reports.weeklyReport(this.deps.tenantId);
    const payload: WeeklyReportPayload = { report };
    const result = await this.deps.outbox.transaction(({ outbox }) =>
      outbox.enqueue({
        dedupeKey: `weekly-report:${report.weekOf}`,
        kind: 'weekly-report',
        payload,
        target: { streams: ['reports'], clientId: null },
      }),
    );
    this.deps.outboxSignal.notify();
    return result;
  }
}
