import type { DeliveryQueries } from '../delivery-views';
import type { EnqueueResult, Outbox } from '../ports/notifications.port';
import type { Transactional } from '../ports/transaction.port';
import type { PilotSettings } from '../settings/tab-settings.port';
import { pilotPortfolioVerdict } from '../../domain/shared/pilot';
import type { Signal } from '../../shared/signal';
import type { WeeklyReportPayload } from './notification-payloads';

/** The ports the weekly report works through. */
export interface PostWeeklyReportDeps {
  tenantId: string;
  reports: Pick<DeliveryQueries, 'weeklyReport'>;
  outbox: Transactional<{ outbox: Outbox }>;
  outboxSignal: Signal;
  /** The tenant's pilot settings (the `weeklyReport` switch, shadow mode, the allow-list). */
  pilot: Pick<PilotSettings, 'pilot'>;
}

/**
 * What became of this week's report: queued (or already queued), or held back by the pilot
 * settings — switched off, or shadow mode (computed, with its size, and logged by the caller).
 */
export type WeeklyReportPosting =
  | EnqueueResult
  | { status: 'held'; verdict: 'off' | 'shadow'; weekOf: string | null; lines: number };

/**
 * Posts the weekly control report card to the routed `reports` channel, once per week: the dedupe
 * key is the week, so a second run (another instance, a retry) posts nothing new. The tenant's
 * pilot settings hold: switched off nothing is computed or posted; in shadow mode it is computed
 * but not posted; with the allow-list on it covers only the listed clients and projects.
 */
export class PostWeeklyReport {
  constructor(private readonly deps: PostWeeklyReportDeps) {}

  async run(): Promise<WeeklyReportPosting> {
    const pilot = pilotPortfolioVerdict(
      await this.deps.pilot.pilot(this.deps.tenantId),
      'weeklyReport',
    );
    if (pilot.verdict === 'off') return { status: 'held', verdict: 'off', weekOf: null, lines: 0 };
    const report = await this.deps.reports.weeklyReport(
      this.deps.tenantId,
      pilot.verdict === 'post' ? pilot.allowList : null,
    );
    if (pilot.verdict === 'shadow') {
      return {
        status: 'held',
        verdict: 'shadow',
        weekOf: report.weekOf,
        lines: report.lines.length,
      };
    }
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
