import type { EnqueueResult, NotificationIntent } from '../app/ports/notifications.port';
import { ACTIVITY_FEED_KIND, type ActivityFeedPayload } from '../app/ports/personal-delivery.port';
import type { PersonalNotice } from '../domain/notifications/personal-notices';
import type { Db } from '../store/db';
import { PersonalNotificationsRepository } from '../store/personal-notifications.repository';

/** The outbox dedupe key of a person's 1:1 message of a notice, and of their feed entry. */
export const personalKey = (dedupeKey: string, aadObjectId: string): string =>
  `${dedupeKey}@${aadObjectId}`;
export const feedKey = (dedupeKey: string, aadObjectId: string): string =>
  `${personalKey(dedupeKey, aadObjectId)}:feed`;

/**
 * Writes a personal notice into the outbox in the caller's transaction: per person of its audience
 * one 1:1 message row (the same card the channel gets) and one activity-feed row, each with its own
 * dedupe key, so nobody gets the same thing twice. What does not need action today, or a stream the
 * person takes as a digest, is held for their 08:00 digest instead.
 */
export async function enqueueForPeople(
  tx: Db,
  tenantId: string,
  intent: NotificationIntent,
  notice: PersonalNotice,
  now: Date,
): Promise<EnqueueResult> {
  const people = new PersonalNotificationsRepository(tenantId);
  const recipients = await people.resolveAudience(tx, notice.audience);
  // Nobody to tell (no role holder, an owner who never signed in): the channel post, queued beside
  // this notice, still carries the item; a row here would only repeat it in the exceptions view.
  if (recipients.length === 0) {
    return { status: 'nobody', reason: `nobody to tell personally (${describe(notice)})` };
  }
  let first: number | null = null;
  for (const person of recipients) {
    const choices = await people.preferences(tx, person.aadObjectId);
    if (notice.isDigest !== true && (!notice.actionToday || choices[notice.stream] === 'digest')) {
      await people.holdForDigest(
        tx,
        {
          aadObjectId: person.aadObjectId,
          dedupeKey: personalKey(intent.dedupeKey, person.aadObjectId),
          stream: notice.stream,
          previewText: notice.previewText,
          link: notice.link,
        },
        now,
      );
      continue;
    }
    const message = await insertRow(tx, tenantId, {
      dedupeKey: personalKey(intent.dedupeKey, person.aadObjectId),
      kind: intent.kind,
      recipient: person.aadObjectId,
      payload: intent.payload,
      status: 'pending',
      error: null,
      now,
    });
    const feed: ActivityFeedPayload = {
      activityType: notice.activityType,
      previewText: notice.previewText,
      templateParameters: notice.templateParameters,
      link: notice.link,
    };
    await insertRow(tx, tenantId, {
      dedupeKey: feedKey(intent.dedupeKey, person.aadObjectId),
      kind: ACTIVITY_FEED_KIND,
      recipient: person.aadObjectId,
      payload: feed,
      status: 'pending',
      error: null,
      now,
    });
    first ??= message;
  }
  return first === null ? { status: 'duplicate' } : { status: 'queued', id: first };
}

function describe(notice: PersonalNotice): string {
  const parts = [
    ...notice.audience.roles.map((role) => `role ${role}`),
    ...notice.audience.agentIds.map((id) => `HaloPSA agent ${id}`),
  ];
  if (notice.audience.aadObjectIds.length > 0) parts.push('no eligible person');
  return parts.length === 0 ? 'no owner known' : `no signed-in person for ${parts.join(', ')}`;
}

async function insertRow(
  tx: Db,
  tenantId: string,
  row: {
    dedupeKey: string;
    kind: string;
    recipient: string;
    payload: unknown;
    status: 'pending';
    error: string | null;
    now: Date;
  },
): Promise<number | null> {
  const rows = await tx.query<{ id: number }>(
    `INSERT INTO outbox (tenant_id, dedupe_key, kind, recipient, conversation_key, payload, status,
                         next_attempt_at, last_error, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $8)
     ON CONFLICT (tenant_id, dedupe_key) DO NOTHING
     RETURNING id`,
    [
      tenantId,
      row.dedupeKey,
      row.kind,
      row.recipient,
      // Each person's messages keep their order and their own rate window; feed entries have theirs.
      `${row.kind === ACTIVITY_FEED_KIND ? 'feed' : 'person'}:${row.recipient}`,
      JSON.stringify(row.payload ?? null),
      row.status,
      row.now.toISOString(),
      row.error,
    ],
  );
  return rows[0] ? Number(rows[0].id) : null;
}
