import type { EscalationView, WeeklyReportView } from '../delivery-views';

/** Outbox kinds the Teams renderer understands. */
export type NotificationKind = 'escalation' | 'weekly-report' | 'text';

/** Payload of an `escalation` outbox row (a new post, or an update via `updateOf`). */
export interface EscalationPayload {
  escalation: EscalationView;
  /** A banner on top of the card ("Acknowledged by Pat at 09:12 UTC"). */
  notice?: { tone: 'success' | 'refused'; text: string } | null;
}

/** Payload of a `weekly-report` outbox row. */
export interface WeeklyReportPayload {
  report: WeeklyReportView;
}

/** Payload of a `text` outbox row. */
export interface TextPayload {
  text: string;
}
