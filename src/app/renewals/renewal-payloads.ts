/** Outbox payloads of the renewal stream (rendered by the bot's renewal and concession cards). */
import type { ConcessionView, RenewalStageView } from './renewal-views';

/** Kinds of renewal outbox rows. */
export type RenewalNotificationKind = 'renewal-stage' | 'concession';

/** Payload of a `renewal-stage` outbox row (a new post, or an update via `updateOf`). */
export interface RenewalStagePayload {
  stage: RenewalStageView;
}

/** Payload of a `concession` outbox row. */
export interface ConcessionPayload {
  concession: ConcessionView;
  notice?: { tone: 'success' | 'refused'; text: string } | null;
}
