/**
 * Undelivered notifications as a person can act on them: grouped by stream and cause, each group
 * says what went wrong and what to do, instead of one exception per outbox row.
 */

/** Why notifications were not delivered (the outbox row's status and last error, classified). */
export type DeliveryFailureCause =
  /** Stored unrouted: no channel subscribed to the stream (for the client, or at all). */
  | 'no-channel'
  /** Decided while nothing was routed, before a channel was subscribed (live ones moved there). */
  | 'before-subscription'
  /** An update of a card that was itself never posted (it goes wherever the card goes). */
  | 'original-not-posted'
  /** Teams refused the bot (401/403): credentials, or the app no longer in the team. */
  | 'not-allowed'
  /** Teams no longer knows the conversation (404): the channel or chat was deleted. */
  | 'conversation-gone'
  /** Teams kept failing or throttling until the retries ran out (408/429/5xx). */
  | 'teams-unavailable'
  /** The card could not be built from its stored data. */
  | 'cannot-render'
  | 'other';

/** Every cause, in the order the exceptions view lists them (most actionable first). */
export const DELIVERY_FAILURE_CAUSES: readonly DeliveryFailureCause[] = [
  'no-channel',
  'not-allowed',
  'conversation-gone',
  'teams-unavailable',
  'cannot-render',
  'original-not-posted',
  'other',
  'before-subscription',
];

/** One group as the store counts it. */
export interface DeliveryFailureCount {
  /** The stream the notifications were for (an update's is its card's), null when unknown. */
  stream: string | null;
  cause: DeliveryFailureCause;
  count: number;
  /** Distinct clients the notifications were for (0 when they are not per client). */
  clients: number;
  /** ISO times of the oldest and newest notification in the group. */
  firstAt: string;
  lastAt: string;
  /** One of the group's stored errors, verbatim. */
  example: string | null;
}

/** One group as the exceptions view shows it. */
export interface DeliveryFailureGroup extends DeliveryFailureCount {
  /** What went wrong, in words ("no channel subscribed to renewals for 24 clients"). */
  problem: string;
  /** What to do about it. */
  fix: string;
}

/** Streams whose live cards a new subscription posts (the others start with the next notification). */
const LIVE_ON_SUBSCRIBE: readonly string[] = ['escalations', 'incidents', 'renewals'];

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** What went wrong and how to fix it, for one counted group. */
export function explainDeliveryFailure(group: DeliveryFailureCount): DeliveryFailureGroup {
  const stream = group.stream ?? 'this stream';
  const cards = plural(group.count, 'notification');
  const forClients = group.clients > 0 ? ` for ${plural(group.clients, 'client')}` : '';
  const text = ((): { problem: string; fix: string } => {
    switch (group.cause) {
      case 'no-channel':
        return {
          problem: `no channel subscribed to ${stream}${forClients} (${cards} waiting)`,
          fix: `subscribe one: in the channel that should get them, send "@Control Tower /subscribe ${stream}" (or "/subscribe ${stream} <client>" for one client)${
            stream === 'incidents'
              ? '; without an incidents channel they go to the escalations channel, so "/subscribe escalations" also fixes it'
              : ''
          }${LIVE_ON_SUBSCRIBE.includes(stream) ? '; the cards still live are posted there at once' : ''}`,
        };
      case 'before-subscription':
        return {
          problem: `${cards} to ${stream} decided before a channel was subscribed to it`,
          fix: LIVE_ON_SUBSCRIBE.includes(stream)
            ? 'nothing to do: the cards still live were posted to the channel when it was subscribed, and new ones go there'
            : 'nothing to do: new ones go to the channel now subscribed; these earlier ones are in the tab',
        };
      case 'original-not-posted':
        return {
          problem: `${cards} updating ${stream} cards that were never posted`,
          fix: `nothing of their own: once the ${stream} cards are routed (see the group above, if any), the cards show their latest state`,
        };
      case 'not-allowed':
        return {
          problem: `Teams refused the bot for ${cards} to ${stream}`,
          fix: 'check the bot credentials (BOT_ID / BOT_PASSWORD or managed identity) and that the app is still installed in the team, then /subscribe again',
        };
      case 'conversation-gone':
        return {
          problem: `the ${stream} channel no longer exists for ${cards}`,
          fix: `subscribe another channel: "@Control Tower /subscribe ${stream}" there`,
        };
      case 'teams-unavailable':
        return {
          problem: `Teams kept failing for ${cards} to ${stream} until the retries ran out`,
          fix: 'transient: check the Microsoft 365 service health; new notifications are sent as usual',
        };
      case 'cannot-render':
        return {
          problem: `${cards} to ${stream} could not be turned into a card`,
          fix: 'a bug in Control Tower: report it with the error shown',
        };
      case 'other':
        return {
          problem: `${cards} to ${stream} were not delivered`,
          fix: 'see the error shown; report it if it persists',
        };
    }
  })();
  return { ...group, ...text };
}

/** Groups in the order a person should work through them: cause order, then the largest first. */
export function orderDeliveryFailures(
  groups: readonly DeliveryFailureCount[],
): DeliveryFailureGroup[] {
  const rank = (c: DeliveryFailureCause) => DELIVERY_FAILURE_CAUSES.indexOf(c);
  return [...groups]
    .sort(
      (a, b) =>
        rank(a.cause) - rank(b.cause) ||
        b.count - a.count ||
        (a.stream ?? '').localeCompare(b.stream ?? ''),
    )
    .map(explainDeliveryFailure);
}
