import { CardFactory } from 'botbuilder';
import type {
  EscalationPayload,
  NotificationKind,
  TextPayload,
  WeeklyReportPayload,
} from '../src/notifications/notification-payloads';
import type {
  ActivityRenderer,
  OutboundActivity,
  RenderResult,
} from '../src/app/ports/notifications.port';
import type { AdaptiveCard } from './cards/card-types';
import { buildEscalationCard } from './cards/escalation.card';
import { buildWeeklyReportCard } from './cards/weekly-report.card';
import type { TabLinks } from './tab-links';
import { renderRenewalNotification } from './renewal-handlers';
import { GATE_NOTIFICATION_KIND } from '../src/app/gates/gate-payloads';
import { renderGatePayload } from './gate-handlers';

export type { EscalationPayload, NotificationKind, TextPayload, WeeklyReportPayload };

/** A message activity carrying one Adaptive Card. */
export function cardActivity(card: AdaptiveCard, summary: string): OutboundActivity {
  const attachment = CardFactory.adaptiveCard(card);
  return {
    type: 'message',
    summary,
    attachments: [{ contentType: attachment.contentType, content: attachment.content }],
  };
}

/** Renders outbox rows into card activities with the bot's card builders. */
export class CardActivityRenderer implements ActivityRenderer {
  constructor(private readonly links: TabLinks) {}

  /** Renders one payload by kind. */
  render(kind: string, payload: unknown): RenderResult {
    if (typeof payload !== 'object' || payload === null)
      return { ok: false, reason: 'payload is not an object' };
    if (kind === GATE_NOTIFICATION_KIND) return renderGatePayload(payload, this.links);
    const renewal = renderRenewalNotification(kind, payload, this.links);
    if (renewal !== null) return renewal;
    switch (kind as NotificationKind) {
      case 'escalation': {
        const { escalation, notice } = payload as EscalationPayload;
        if (!escalation?.id) return { ok: false, reason: 'escalation payload without escalation' };
        return {
          ok: true,
          activity: cardActivity(
            buildEscalationCard(escalation, this.links, notice ?? null),
            `Escalation: ${escalation.project.name} — ${escalation.cause}`,
          ),
        };
      }
      case 'weekly-report': {
        const { report } = payload as WeeklyReportPayload;
        if (!report?.weekOf) return { ok: false, reason: 'weekly-report payload without report' };
        return {
          ok: true,
          activity: cardActivity(
            buildWeeklyReportCard(report, this.links),
            `Weekly control report, week of ${report.weekOf}`,
          ),
        };
      }
      case 'text': {
        const { text } = payload as TextPayload;
        if (typeof text !== 'string') return { ok: false, reason: 'text payload without text' };
        return { ok: true, activity: { type: 'message', text } };
      }
      default:
        return { ok: false, reason: `unknown kind ${kind}` };
    }
  }
}
