import { testDatabases, type TestDatabaseHandle } from '../../tests/support/databases';
import { syncDemo } from '../../tests/renewals/renewal-portfolio';
import type { Db } from './db';
import { HaloMirrorRepository } from './halo-mirror.repository';
import { serviceFactsUpToDate } from './service-facts';

const T = 't';
const SYNCED = '2026-11-23T00:00:00Z';
/** A ticket and a timesheet event the demo does not have. */
const TICKET = 990_001;
const EVENT = 990_001;

/** Everything derived for the tenant, in a fixed order. */
async function derived(db: Db): Promise<unknown> {
  return {
    tickets: await db.query(
      `SELECT ticket_id, client_id, occurred_at, priority_id, category, fix_by, fix_by_at, first_closed_at
         FROM service_ticket_facts WHERE tenant_id = $1 ORDER BY ticket_id`,
      [T],
    ),
    signals: await db.query(
      `SELECT action_id, kind, ticket_id, client_id, at, score, scale, note
         FROM service_signals WHERE tenant_id = $1 ORDER BY action_id, kind`,
      [T],
    ),
    hours: await db.query(
      `SELECT contract_id, to_char(day, 'YYYY-MM-DD') AS day, hours
         FROM contract_day_hours WHERE tenant_id = $1 ORDER BY contract_id, day`,
      [T],
    ),
    monthTotals: await db.query(
      `SELECT client_id, to_char(month, 'YYYY-MM-DD') AS month, kind, key, n, p1, met, scores, scales
         FROM service_month_totals WHERE tenant_id = $1 ORDER BY client_id, month, kind, key`,
      [T],
    ),
  };
}

/** The same, derived again from the mirror for the whole tenant. */
async function derivedFromScratch(db: Db): Promise<unknown> {
  await db.query(`UPDATE service_facts_basis SET basis = '' WHERE tenant_id = $1`, [T]);
  expect((await serviceFactsUpToDate(db, T)).derived).toBe('all');
  return derived(db);
}

function action(id: number, fields: Record<string, unknown>) {
  const raw = { id, ticket_id: TICKET, hiddenfromuser: false, note: '', ...fields };
  return { id, data: raw, raw };
}

async function hoursOf(db: Db, contractId: number, day: string): Promise<number> {
  const [row] = await db.query(
    `SELECT hours FROM contract_day_hours WHERE tenant_id = $1 AND contract_id = $2 AND day = $3`,
    [T, contractId, day],
  );
  return row ? Number(row.hours) : 0;
}

describe.each(testDatabases())('service facts derived from the mirror ($name)', (database) => {
  let handle: TestDatabaseHandle;
  let db: Db;
  const mirror = new HaloMirrorRepository(T);
  let clients: number[];
  let contracts: number[];

  beforeAll(async () => {
    handle = await database.open();
    db = handle.db;
    await syncDemo(db, 42);
    clients = (
      await db.query(
        `SELECT DISTINCT client_id FROM halo_contracts WHERE tenant_id = $1 AND client_id IS NOT NULL
          ORDER BY client_id LIMIT 2`,
        [T],
      )
    ).map((r) => Number(r.client_id));
    contracts = (
      await db.query(`SELECT id FROM halo_contracts WHERE tenant_id = $1 ORDER BY id LIMIT 2`, [T])
    ).map((r) => Number(r.id));
  }, 120_000);
  afterAll(() => handle.dispose());

  test('the sync leaves nothing queued, and what it derived is what a derivation from scratch gives', async () => {
    const [queued] = await db.query(
      `SELECT count(*) AS n FROM mirror_changes WHERE tenant_id = $1 AND subject IN ('ticket', 'contract')`,
      [T],
    );
    expect(Number(queued!.n)).toBe(0);
    expect((await serviceFactsUpToDate(db, T)).derived).toBe('none');
    const afterSync = (await derived(db)) as Record<string, unknown[]>;
    for (const rows of Object.values(afterSync)) expect(rows.length).toBeGreaterThan(0);
    for (const kind of ['reopen', 'feedback', 'note']) {
      expect((afterSync.signals as Array<{ kind: string }>).some((s) => s.kind === kind)).toBe(
        true,
      );
    }
    expect(await derivedFromScratch(db)).toEqual(afterSync);
  });

  test('a ticket, its actions and a timesheet event written through the mirror are derived again, as from scratch', async () => {
    const day = '2026-10-05';
    const before = await hoursOf(db, contracts[0]!, day);
    const otherBefore = await hoursOf(db, contracts[1]!, day);
    /** The event: 2.5 hours on the day, booked to a client's contract. */
    const event = (clientId: number, contractId: number) => {
      const raw = {
        id: EVENT,
        ticket_id: TICKET,
        agent_id: 2,
        client_id: clientId,
        contract_id: contractId,
        start_date: `${day}T09:00:00Z`,
        timetaken: 2.5,
      };
      return { id: EVENT, data: raw, raw };
    };
    const ticket = (clientId: number) => {
      const raw = {
        id: TICKET,
        client_id: clientId,
        status_id: 2,
        priority_id: 1,
        category_1: 'Network',
        dateoccurred: '2026-10-01T08:00:00Z',
        fixbydate: '2026-10-02T08:00:00',
      };
      return { id: TICKET, data: raw, raw };
    };
    await db.transaction(async (tx) => {
      await mirror.upsert(tx, 'tickets', [ticket(clients[0]!)], SYNCED);
      await mirror.upsert(
        tx,
        'actions',
        [
          action(990_001, { datetime: '2026-10-01T12:00:00Z', new_status: 9, who_agentid: 2 }),
          action(990_002, { datetime: '2026-10-03T09:00:00Z', new_status: 2, who_agentid: 2 }),
          action(990_003, {
            datetime: '2026-10-04T09:00:00Z',
            outcome: 'Customer Feedback',
            note: 'Rated 2/5',
            who_agentid: 2,
          }),
          action(990_004, {
            datetime: '2026-10-04T10:00:00Z',
            note: 'Still not working and we are frustrated',
          }),
        ],
        SYNCED,
      );
      await mirror.upsert(tx, 'timesheetEvents', [event(clients[0]!, contracts[0]!)], SYNCED);
    });
    expect(await serviceFactsUpToDate(db, T)).toEqual({ derived: 'queued', subjects: 2 });
    const [facts] = await db.query(
      `SELECT client_id, first_closed_at, fix_by_at FROM service_ticket_facts
        WHERE tenant_id = $1 AND ticket_id = $2`,
      [T, TICKET],
    );
    expect(Number(facts!.client_id)).toBe(clients[0]);
    expect(new Date(facts!.first_closed_at as string).toISOString()).toBe(
      '2026-10-01T12:00:00.000Z',
    );
    expect(new Date(facts!.fix_by_at as string).toISOString()).toBe('2026-10-02T08:00:00.000Z');
    const signals = await db.query(
      `SELECT action_id, kind, client_id, score, scale FROM service_signals
        WHERE tenant_id = $1 AND ticket_id = $2 ORDER BY action_id`,
      [T, TICKET],
    );
    expect(signals.map((s) => [Number(s.action_id), s.kind, s.score, s.scale])).toEqual([
      [990_002, 'reopen', null, null],
      [990_003, 'feedback', '2', '5'],
      [990_004, 'note', null, null],
    ]);
    expect(await hoursOf(db, contracts[0]!, day)).toBeCloseTo(before + 2.5, 9);
    expect(await derivedFromScratch(db)).toEqual(await derived(db));

    // The ticket moves to another client and the event to another contract: both follow, and the
    // contract the event left loses its hours.
    await db.transaction(async (tx) => {
      await mirror.upsert(tx, 'tickets', [ticket(clients[1]!)], SYNCED);
      await mirror.upsert(tx, 'timesheetEvents', [event(clients[1]!, contracts[1]!)], SYNCED);
    });
    expect((await serviceFactsUpToDate(db, T)).derived).toBe('queued');
    const moved = await db.query(
      `SELECT DISTINCT client_id FROM service_signals WHERE tenant_id = $1 AND ticket_id = $2`,
      [T, TICKET],
    );
    expect(moved.map((r) => Number(r.client_id))).toEqual([clients[1]]);
    expect(await hoursOf(db, contracts[0]!, day)).toBeCloseTo(before, 9);
    expect(await hoursOf(db, contracts[1]!, day)).toBeCloseTo(otherBefore + 2.5, 9);
    expect(await derivedFromScratch(db)).toEqual(await derived(db));
  });

  test('a status that starts to mean closed has every ticket derived again', async () => {
    const firstClosed = async () =>
      db.query(
        `SELECT first_closed_at FROM service_ticket_facts WHERE tenant_id = $1 AND ticket_id = $2`,
        [T, TICKET],
      );
    const before = await firstClosed();
    // "In Progress" (status 2, the reopen above) renamed "Completed": now a closed status.
    const status = { id: 2, name: 'Completed' };
    await mirror.upsert(db, 'statuses', [{ id: 2, data: status, raw: status }], SYNCED);
    const result = await serviceFactsUpToDate(db, T);
    expect(result.derived).toBe('all');
    expect(await firstClosed()).toEqual(before);
    const reopens = await db.query(
      `SELECT 1 FROM service_signals WHERE tenant_id = $1 AND ticket_id = $2 AND kind = 'reopen'`,
      [T, TICKET],
    );
    expect(reopens).toEqual([]);
    expect((await serviceFactsUpToDate(db, T)).derived).toBe('none');
  });

  test('a ticket queued again while derived keeps its place in the queue', async () => {
    await mirror.upsert(db, 'tickets', [], SYNCED);
    const queue = async () =>
      db.query<{ seq: string }>(
        `SELECT seq FROM mirror_changes WHERE tenant_id = $1 AND subject = 'ticket' AND id = $2`,
        [T, TICKET],
      );
    const raw = { id: TICKET, client_id: clients[1], dateoccurred: '2026-10-01T08:00:00Z' };
    await mirror.upsert(db, 'tickets', [{ id: TICKET, data: raw, raw }], SYNCED);
    const [first] = await queue();
    await mirror.upsert(db, 'tickets', [{ id: TICKET, data: raw, raw }], SYNCED);
    const [second] = await queue();
    // A derivation that read the queue up to `first` clears only entries at or below it.
    expect(BigInt(second!.seq)).toBeGreaterThan(BigInt(first!.seq));
    expect(await serviceFactsUpToDate(db, T)).toEqual({ derived: 'queued', subjects: 1 });
    expect(await queue()).toEqual([]);
  });
});
