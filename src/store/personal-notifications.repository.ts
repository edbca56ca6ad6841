import { conversationKey, type ConversationRef } from '../app/ports/notifications.port';
import type {
  PersonalConversationRecord,
  PersonalConversationStore,
} from '../app/ports/personal-delivery.port';
import {
  PERSONAL_STREAMS,
  type Audience,
  type DeliveryMode,
  type PersonalStream,
  type TabPage,
} from '../domain/notifications/personal-notices';
import { parseJson } from './conversation-routes.repository';
import type { Db } from './db';

/** A person a notice reaches. */
export interface NoticeRecipient {
  aadObjectId: string;
  name: string;
}

/** One item waiting in a person's digest. */
export interface DigestItem {
  id: number;
  stream: PersonalStream;
  previewText: string;
  link: TabPage;
  createdAt: Date;
}

/**
 * The people side of personal notifications, per tenant: who an audience is (role holders, HaloPSA
 * agents matched by e-mail, named people), each person's delivery choices and time zone, the 1:1
 * conversation with them, and the items held for their digest.
 */
export class PersonalNotificationsRepository {
  constructor(private readonly tenantId: string) {}

  /**
   * The people of an audience, each once, in the order the audience names them (roles, then agents,
   * then named people); agents are matched through the e-mail on role rows or on a sign-in.
   */
  async resolveAudience(db: Db, audience: Audience): Promise<NoticeRecipient[]> {
    const rows = await db.query<{ aad_object_id: string; name: string | null; rank: number }>(
      `WITH named AS (
         SELECT r.aad_object_id, 1 AS rank, min(r.id) AS ord FROM role_assignments r
          WHERE r.tenant_id = $1 AND r.role = ANY($2::text[]) AND r.aad_object_id IS NOT NULL
          GROUP BY r.aad_object_id
         UNION ALL
         SELECT x.aad_object_id, 2, min(a.id) FROM halo_agents a
           JOIN (SELECT aad_object_id, email FROM role_assignments
                  WHERE tenant_id = $1 AND aad_object_id IS NOT NULL AND email IS NOT NULL
                 UNION SELECT aad_object_id, email FROM people WHERE tenant_id = $1) x
             ON lower(x.email) = lower(a.email)
          WHERE a.tenant_id = $1 AND a.id = ANY($3::bigint[])
          GROUP BY x.aad_object_id
         UNION ALL
         SELECT id, 3, ord FROM unnest($4::text[]) WITH ORDINALITY AS u(id, ord)
       ), excluded AS (
         SELECT x.aad_object_id FROM halo_agents a
           JOIN (SELECT aad_object_id, email FROM role_assignments
                  WHERE tenant_id = $1 AND aad_object_id IS NOT NULL AND email IS NOT NULL
                 UNION SELECT aad_object_id, email FROM people WHERE tenant_id = $1) x
             ON lower(x.email) = lower(a.email)
          WHERE a.tenant_id = $1 AND a.id = ANY($5::bigint[])
         UNION SELECT unnest($6::text[])
         UNION SELECT r.aad_object_id FROM role_assignments r
          WHERE r.tenant_id = $1 AND r.role = ANY($7::text[])
       ), chosen AS (
         SELECT aad_object_id, min(rank::bigint * 1000000000 + ord) AS pos FROM named
          WHERE aad_object_id NOT IN (SELECT aad_object_id FROM excluded WHERE aad_object_id IS NOT NULL)
          GROUP BY aad_object_id
       )
       SELECT c.aad_object_id, p.name, c.pos AS rank FROM chosen c
         LEFT JOIN people p ON p.tenant_id = $1 AND p.aad_object_id = c.aad_object_id
        ORDER BY c.pos, c.aad_object_id`,
      [
        this.tenantId,
        [...audience.roles],
        audience.agentIds.map(String),
        [...audience.aadObjectIds],
        audience.exceptAgentIds.map(String),
        [...audience.exceptAadObjectIds],
        [...audience.exceptRoles],
      ],
    );
    return rows.map((row) => ({ aadObjectId: row.aad_object_id, name: row.name ?? '' }));
  }

  /** The person of a HaloPSA agent (by e-mail), for @mentions; null when nobody signed in as them. */
  async personOfAgent(db: Db, agentId: number): Promise<NoticeRecipient | null> {
    const [row] = await this.resolveAudience(db, {
      roles: [],
      agentIds: [agentId],
      aadObjectIds: [],
      exceptAgentIds: [],
      exceptAadObjectIds: [],
      exceptRoles: [],
    });
    if (!row) return null;
    if (row.name !== '') return row;
    const [agent] = await db.query<{ name: string | null }>(
      'SELECT name FROM halo_agents WHERE tenant_id = $1 AND id = $2',
      [this.tenantId, agentId],
    );
    return { aadObjectId: row.aadObjectId, name: agent?.name ?? '' };
  }

  /** A person's choice per stream (immediate where they chose nothing). */
  async preferences(db: Db, aadObjectId: string): Promise<Record<PersonalStream, DeliveryMode>> {
    const rows = await db.query<{ stream: PersonalStream; mode: DeliveryMode }>(
      'SELECT stream, mode FROM notification_preferences WHERE tenant_id = $1 AND aad_object_id = $2',
      [this.tenantId, aadObjectId],
    );
    const choices = Object.fromEntries(PERSONAL_STREAMS.map((s) => [s, 'immediate'])) as Record<
      PersonalStream,
      DeliveryMode
    >;
    for (const row of rows) choices[row.stream] = row.mode;
    return choices;
  }

  /** Stores a person's choice for one stream; false when it was already so. */
  async setPreference(
    db: Db,
    aadObjectId: string,
    stream: PersonalStream,
    mode: DeliveryMode,
    now: Date,
  ): Promise<boolean> {
    const rows = await db.query(
      `INSERT INTO notification_preferences (tenant_id, aad_object_id, stream, mode, updated_at)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (tenant_id, aad_object_id, stream)
       DO UPDATE SET mode = EXCLUDED.mode, updated_at = EXCLUDED.updated_at
        WHERE notification_preferences.mode <> EXCLUDED.mode
       RETURNING 1`,
      [this.tenantId, aadObjectId, stream, mode, now.toISOString()],
    );
    return rows.length > 0;
  }

  /** A person's IANA time zone, when they set one (or Teams told us). */
  async timeZone(db: Db, aadObjectId: string): Promise<string | null> {
    const [row] = await db.query<{ time_zone: string | null }>(
      'SELECT time_zone FROM people WHERE tenant_id = $1 AND aad_object_id = $2',
      [this.tenantId, aadObjectId],
    );
    return row?.time_zone ?? null;
  }

  /**
   * Sets a person's time zone; a person not met before is recorded with their e-mail. False when
   * they are unknown and have no e-mail.
   */
  async setTimeZone(
    db: Db,
    aadObjectId: string,
    timeZone: string | null,
    person: { email: string | null; name: string },
  ): Promise<boolean> {
    const rows = await db.query(
      'UPDATE people SET time_zone = $3 WHERE tenant_id = $1 AND aad_object_id = $2 RETURNING 1',
      [this.tenantId, aadObjectId, timeZone],
    );
    if (rows.length > 0) return true;
    if (person.email === null) return false;
    await db.query(
      `INSERT INTO people (tenant_id, aad_object_id, email, name, time_zone) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (tenant_id, aad_object_id) DO UPDATE SET time_zone = EXCLUDED.time_zone`,
      [this.tenantId, aadObjectId, person.email, person.name.slice(0, 200), timeZone],
    );
    return true;
  }

  /** True when a digest with this key took items already. */
  async digestTaken(db: Db, aadObjectId: string, digestKey: string): Promise<boolean> {
    const rows = await db.query(
      'SELECT 1 FROM digest_items WHERE tenant_id = $1 AND aad_object_id = $2 AND digest_key = $3 LIMIT 1',
      [this.tenantId, aadObjectId, digestKey],
    );
    return rows.length > 0;
  }

  /** Holds an item for a person's digest (once per dedupe key); true when it was new. */
  async holdForDigest(
    db: Db,
    item: {
      aadObjectId: string;
      dedupeKey: string;
      stream: PersonalStream;
      previewText: string;
      link: TabPage;
    },
    now: Date,
  ): Promise<boolean> {
    const rows = await db.query(
      `INSERT INTO digest_items (tenant_id, aad_object_id, dedupe_key, stream, preview_text, link, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (tenant_id, dedupe_key) DO NOTHING RETURNING 1`,
      [
        this.tenantId,
        item.aadObjectId,
        item.dedupeKey,
        item.stream,
        item.previewText,
        JSON.stringify(item.link),
        now.toISOString(),
      ],
    );
    return rows.length > 0;
  }

  /** People with items waiting for a digest. */
  async peopleWithWaitingItems(db: Db): Promise<string[]> {
    const rows = await db.query<{ aad_object_id: string }>(
      `SELECT DISTINCT aad_object_id FROM digest_items
        WHERE tenant_id = $1 AND digest_key IS NULL ORDER BY aad_object_id`,
      [this.tenantId],
    );
    return rows.map((row) => row.aad_object_id);
  }

  /** Takes a person's waiting items into the digest `digestKey` (in the caller's transaction). */
  async takeForDigest(db: Db, aadObjectId: string, digestKey: string): Promise<DigestItem[]> {
    const rows = await db.query<{
      id: number | string;
      stream: PersonalStream;
      preview_text: string;
      link: unknown;
      created_at: Date | string;
    }>(
      `UPDATE digest_items SET digest_key = $3
        WHERE tenant_id = $1 AND aad_object_id = $2 AND digest_key IS NULL
        RETURNING id, stream, preview_text, link, created_at`,
      [this.tenantId, aadObjectId, digestKey],
    );
    return rows
      .map((row) => ({
        id: Number(row.id),
        stream: row.stream,
        previewText: row.preview_text,
        link: parseJson(row.link) as TabPage,
        createdAt: new Date(row.created_at),
      }))
      .sort((a, b) => a.id - b.id);
  }

  /** Items of a person's digest not yet sent, oldest first (for the tab). */
  async waitingItems(db: Db, aadObjectId: string): Promise<DigestItem[]> {
    const rows = await db.query<{
      id: number | string;
      stream: PersonalStream;
      preview_text: string;
      link: unknown;
      created_at: Date | string;
    }>(
      `SELECT id, stream, preview_text, link, created_at FROM digest_items
        WHERE tenant_id = $1 AND aad_object_id = $2 AND digest_key IS NULL ORDER BY id`,
      [this.tenantId, aadObjectId],
    );
    return rows.map((row) => ({
      id: Number(row.id),
      stream: row.stream,
      previewText: row.preview_text,
      link: parseJson(row.link) as TabPage,
      createdAt: new Date(row.created_at),
    }));
  }

  /** The per-person conversation store bound to a connection. */
  conversations(db: Db): PersonalConversationStore {
    const tenantId = this.tenantId;
    return {
      async find(aadObjectId: string): Promise<PersonalConversationRecord | null> {
        const [row] = await db.query<{
          conversation: unknown;
          install_state: 'installed' | 'refused';
          say_hi_link: string | null;
        }>(
          `SELECT conversation, install_state, say_hi_link FROM personal_conversations
            WHERE tenant_id = $1 AND aad_object_id = $2`,
          [tenantId, aadObjectId],
        );
        if (!row) return null;
        return {
          aadObjectId,
          conversation:
            row.conversation === null ? null : (parseJson(row.conversation) as ConversationRef),
          installState: row.install_state,
          sayHiLink: row.say_hi_link,
        };
      },
      async saveConversation(aadObjectId: string, conversation: ConversationRef): Promise<void> {
        await db.query(
          `INSERT INTO personal_conversations (tenant_id, aad_object_id, conversation, install_state)
           VALUES ($1, $2, $3, 'installed')
           ON CONFLICT (tenant_id, aad_object_id)
           DO UPDATE SET conversation = EXCLUDED.conversation, install_state = 'installed', updated_at = now()`,
          [tenantId, aadObjectId, JSON.stringify(conversation)],
        );
      },
      async recordRefused(aadObjectId: string, sayHiLink: string): Promise<void> {
        await db.query(
          `INSERT INTO personal_conversations (tenant_id, aad_object_id, install_state, say_hi_link)
           VALUES ($1, $2, 'refused', $3) ON CONFLICT (tenant_id, aad_object_id) DO NOTHING`,
          [tenantId, aadObjectId, sayHiLink],
        );
      },
    };
  }

  /** The say-hi link recorded for a person whose proactive install was refused, if any. */
  async sayHiLink(db: Db, aadObjectId: string): Promise<string | null> {
    const record = await this.conversations(db).find(aadObjectId);
    return record?.installState === 'refused' ? record.sayHiLink : null;
  }

  /**
   * A person met in a personal chat, in one statement: the chat is kept as theirs unless the one
   * on file has the same key (`conversationKey`: service URL without trailing slashes, and
   * conversation id); when it was kept, their personal rows that waited `unrouted` for them are
   * queued again. Returns how many were.
   */
  async keepConversation(
    db: Db,
    aadObjectId: string,
    conversation: ConversationRef,
    now: Date,
  ): Promise<number> {
    const [row] = await db.query<{ requeued: number | string }>(
      `WITH known AS (
         SELECT 1 FROM personal_conversations
          WHERE tenant_id = $1 AND aad_object_id = $2 AND conversation IS NOT NULL
            AND rtrim(conversation->>'serviceUrl', '/') || '|' || (conversation->>'conversationId') = $4),
       kept AS (
         INSERT INTO personal_conversations (tenant_id, aad_object_id, conversation, install_state)
         SELECT $1, $2, $3, 'installed' WHERE NOT EXISTS (SELECT 1 FROM known)
         ON CONFLICT (tenant_id, aad_object_id)
         DO UPDATE SET conversation = EXCLUDED.conversation, install_state = 'installed', updated_at = now()
         RETURNING 1),
       requeued AS (
         UPDATE outbox SET status = 'pending', next_attempt_at = $5, last_error = NULL
          WHERE tenant_id = $1 AND recipient = $2 AND status = 'unrouted' AND EXISTS (SELECT 1 FROM kept)
         RETURNING 1)
       SELECT count(*) AS requeued FROM requeued`,
      [
        this.tenantId,
        aadObjectId,
        JSON.stringify(conversation),
        conversationKey(conversation),
        now.toISOString(),
      ],
    );
    return Number(row?.requeued ?? 0);
  }
}
