import type { PersonalNotice } from '../../domain/notifications/personal-notices';
import type { NotificationIntent } from '../ports/notifications.port';
import type { TextPayload } from './notification-payloads';

/** The dedupe key of the personal notices of the item whose channel post has key `cardKey`. */
export const peopleKey = (cardKey: string): string => `${cardKey}:people`;

/**
 * A personal notice as an outbox intent: the people it names get `kind`/`payload` 1:1 (the same card
 * the channel gets, or the notice's text) and an activity-feed entry.
 */
export function personalIntent(
  dedupeKey: string,
  notice: PersonalNotice,
  card?: { kind: string; payload: unknown },
): NotificationIntent {
  return {
    dedupeKey,
    kind: card?.kind ?? 'text',
    payload: card?.payload ?? ({ text: notice.previewText } satisfies TextPayload),
    target: { people: notice },
  };
}
