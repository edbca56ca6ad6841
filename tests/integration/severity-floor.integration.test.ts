/**
 * The noise budget's severity floor (issue 17, item 4): a channel routed with a floor gets no card
 * whose severity is below it; the card is stored held back (the item stays in the tab) until an
 * update of it reaches the floor, when the card is posted with that update's content. Notifications
 * without a severity (gates, renewal stages, reports) are not affected.
 */
import type { ConversationRef, NotificationIntent } from '../../src/app/ports/notifications.port';
import { enqueue } from '../../src/notifications/outbox';
import { ConversationRoutesRepository } from '../../src/store/conversation-routes.repository';
import type { Db } from '../../src/store/db';
import { SqlExceptionQueries } from '../../src/store/tab-exceptions.repository';
import { SqlTabSettings } from '../../src/store/tab-settings.repository';
import { testDatabases, type TestDatabaseHandle } from '../support/databases';

const TENANT = 'floor-tenant';
const NOW = new Date('2026-11-23T09:00:00Z');
const channel: ConversationRef = {
  serviceUrl: 'https://smba.example/emea/',
  conversationId: '19:escalations@thread.tacv2',
  channelId: 'msteams',
  tenantId: 'entra-1',
  botId: '28:bot',
  conversationType: 'channel',
  label: 'Escalations',
};

const opened = (id: string, severity: 'low' | 'medium' | 'high'): NotificationIntent => ({
  dedupeKey: `escalation:${id}:opened`,
  kind: 'escalation',
  payload: { severity, version: 1 },
  target: { streams: ['escalations'], clientId: 7 },
  severity,
});
const updated = (
  id: string,
  version: number,
  severity: 'low' | 'medium' | 'high',
): NotificationIntent => ({
  dedupeKey: `escalation:${id}:v${version}`,
  kind: 'escalation',
  payload: { severity, version },
  updateOf: `escalation:${id}:opened`,
  severity,
});

describe.each(testDatabases())('a channel severity floor ($name)', (database) => {
  let handle: TestDatabaseHandle;
  let db: Db;

  // One database per engine for the file, emptied before each test (as a fresh one, far cheaper).
  beforeAll(async () => {
    handle = await database.open();
  });
  afterAll(async () => {
    await handle?.dispose();
  });
  beforeEach(async () => {
    await handle.reset();
    db = handle.db;
    await new ConversationRoutesRepository(TENANT).upsert(
      db,
      { stream: 'escalations', clientId: null, conversation: channel, severityFloor: 'high' },
      'admin',
      NOW,
    );
    await new ConversationRoutesRepository(TENANT).upsert(
      db,
      { stream: 'gates', clientId: null, conversation: channel },
      'admin',
      NOW,
    );
  });

  const put = (intent: NotificationIntent) =>
    db.transaction((tx) => enqueue(tx, TENANT, intent, NOW));
  const row = async (key: string) =>
    (
      await db.query<{ status: string; version: number | null; update_of: string | null }>(
        `SELECT status, (payload->>'version')::int AS version, update_of FROM outbox
          WHERE tenant_id = $1 AND dedupe_key = $2`,
        [TENANT, key],
      )
    )[0];

  test('a card below the floor is held back, stays out of the exceptions, and is posted when an update reaches the floor', async () => {
    expect(await put(opened('e1', 'medium'))).toEqual({
      status: 'below-floor',
      id: expect.any(Number),
      floor: 'high',
    });
    expect(await row('escalation:e1:opened')).toEqual({
      status: 'superseded',
      version: 1,
      update_of: null,
    });
    expect((await put(updated('e1', 2, 'medium'))).status).toBe('below-floor');
    // A person acting on the card (no severity) never posts a held card.
    const action = { ...updated('e1', 3, 'medium'), dedupeKey: 'escalation:e1:ack' };
    delete action.severity;
    expect((await put(action)).status).toBe('below-floor');
    expect(await new SqlExceptionQueries(db).deliveryFailures(TENANT)).toEqual([]);

    // Raised to high: the card itself is posted, with the raised content.
    const raised = await put(updated('e1', 4, 'high'));
    expect(raised.status).toBe('queued');
    expect(await row('escalation:e1:opened')).toEqual({
      status: 'pending',
      version: 4,
      update_of: null,
    });
    // Later changes edit the posted card, whatever their severity: state changes reach it.
    expect((await put(updated('e1', 5, 'medium'))).status).toBe('queued');
    expect(await row('escalation:e1:v5')).toEqual({
      status: 'pending',
      version: 5,
      update_of: 'escalation:e1:opened',
    });
    // The same update twice is stored once.
    expect(await put(updated('e1', 5, 'medium'))).toEqual({ status: 'duplicate' });
  });

  test('cards at or above the floor, and notifications without a severity, are posted as before', async () => {
    expect((await put(opened('e2', 'high'))).status).toBe('queued');
    const gate: NotificationIntent = {
      dedupeKey: 'gate:g1:v1',
      kind: 'gate',
      payload: {},
      target: { streams: ['gates'], clientId: 7 },
    };
    expect((await put(gate)).status).toBe('queued');
  });

  test('re-subscribing the channel keeps its floor; the settings list it and clearing it posts everything', async () => {
    await new ConversationRoutesRepository(TENANT).upsert(
      db,
      { stream: 'escalations', clientId: null, conversation: channel },
      'admin',
      NOW,
    );
    const settings = new SqlTabSettings(db, { now: () => NOW });
    const route = (await settings.routes(TENANT)).find((r) => r.stream === 'escalations')!;
    expect(route.severityFloor).toBe('high');
    expect((await put(opened('e3', 'low'))).status).toBe('below-floor');

    expect(
      await settings.setSeverityFloors(TENANT, [{ id: route.id, severityFloor: null }]),
    ).toEqual([route.id]);
    expect(
      await settings.setSeverityFloors(TENANT, [{ id: route.id, severityFloor: null }]),
    ).toEqual([]);
    expect((await put(opened('e4', 'low'))).status).toBe('queued');
  });
});
