import {
  buildAllContractFacts,
  indexRenewalHistory,
  liveContractFactsByScope,
} from '../app/renewals/build-contract-facts';
import type { ContractFacts } from '../domain/renewals';
import { testDatabases, type TestDatabaseHandle } from '../../tests/support/databases';
import { DEMO_AS_OF, syncDemo } from '../../tests/renewals/renewal-portfolio';
import { SqlRenewalHistoryReader } from './renewal-history.repository';
import { queueChanges } from './mirror-changes';

/** Days across the demo's history: past months (cached aggregates) and the current month to date. */
const DAYS = ['2025-06-15', '2026-02-01', '2026-09-30', DEMO_AS_OF];

async function scopedFacts(
  reader: SqlRenewalHistoryReader,
  asOf: string,
  clientsPerScope: number,
): Promise<ContractFacts[]> {
  const out: ContractFacts[] = [];
  for await (const facts of liveContractFactsByScope(reader, 't', asOf, clientsPerScope)) {
    out.push(...facts);
  }
  return out.sort((a, b) => Number(a.contractId) - Number(b.contractId));
}

describe.each(testDatabases())(
  'the renewal history loaded one client scope at a time ($name)',
  (database) => {
    let handle: TestDatabaseHandle;
    let reader: SqlRenewalHistoryReader;

    beforeAll(async () => {
      handle = await database.open();
      await syncDemo(handle.db, 42);
      // Fix-by times in shapes the database does not read itself: the as-of totals hand them back
      // to be read as the dated rows read them (a rolled-over day, an offset without colon, no 'T',
      // garbage, HaloPSA's "none", blank, a lower-case zone).
      const odd = [
        '2026-02-30T10:00:00',
        '2026-03-05T10:00:00+0100',
        '2026-04-01 09:30:00',
        'soon',
        '1900-01-01T00:00:00',
        ' ',
        '2026-10-07T08:00:00z',
        '2026-11-23T23:30:00-02:00',
      ];
      await handle.db.query(
        `UPDATE halo_tickets t SET raw = jsonb_set(t.raw, '{fixbydate}', to_jsonb(($2::text[])[1 + (t.id % $3)]))
          WHERE t.tenant_id = $1 AND t.id % 7 = 0`,
        ['t', odd, odd.length],
      );
      // Fix-by times on the days compared, met or not yet: judged only once met or past.
      await handle.db.query(
        `UPDATE halo_tickets t SET raw = jsonb_set(t.raw, '{fixbydate}',
                to_jsonb(CASE WHEN t.id % 2 = 0 THEN $2 ELSE $3 END))
          WHERE t.tenant_id = $1 AND t.id % 11 = 0 AND t.id % 7 <> 0`,
        ['t', `${DEMO_AS_OF}T12:00:00`, '2026-09-30T06:00:00'],
      );
      // Written behind the mirror's back: queued as the mirror queues the tickets it writes.
      const changed = await handle.db.query(
        `SELECT id FROM halo_tickets WHERE tenant_id = $1 AND (id % 7 = 0 OR id % 11 = 0)`,
        ['t'],
      );
      await queueChanges(
        handle.db,
        't',
        'ticket',
        changed.map((r) => Number(r.id)),
      );
      reader = new SqlRenewalHistoryReader(handle.db);
    }, 120_000);
    afterAll(() => handle.dispose());

    test('scopes cover every client with a contract once, the contracts without a client in the first', async () => {
      const scopes = await reader.scopes('t', 3);
      const ids = scopes.flatMap((s) => s.clientIds);
      expect(new Set(ids).size).toBe(ids.length);
      const clients = await handle.db.query(
        `SELECT DISTINCT client_id FROM halo_contracts WHERE tenant_id = 't' AND client_id IS NOT NULL`,
      );
      expect(ids.sort((a, b) => a - b)).toEqual(
        clients.map((r) => Number(r.client_id)).sort((a, b) => a - b),
      );
      expect(scopes.map((s) => s.withoutClient)).toEqual(scopes.map((_, i) => i === 0));
      expect(scopes.every((s) => s.clientIds.length <= 3)).toBe(true);
    });

    test.each(DAYS)(
      'facts as of %s are the same as from the whole tenant loaded at once',
      async (asOf) => {
        const whole = buildAllContractFacts(
          indexRenewalHistory(await reader.load('t')),
          asOf,
        ).filter((f) => f.endDate === null || f.endDate >= asOf);
        expect(whole.length).toBeGreaterThan(10);
        // The comparison means something only if every kind of service history is there (the
        // demo's service history starts late in 2025).
        const months = whole.flatMap((f) => f.tickets);
        if (asOf >= '2026-01-01') {
          expect(
            months.filter((m) => m.slaTotal > m.slaMet && m.slaMet > 0).length,
          ).toBeGreaterThan(0);
          expect(months.filter((m) => m.reopened > 0).length).toBeGreaterThan(0);
          expect(months.filter((m) => m.feedbackScores.length > 0).length).toBeGreaterThan(0);
          expect(months.filter((m) => m.p1 > 0).length).toBeGreaterThan(0);
          expect(months.filter((m) => m.negativeNoteHits > 0).length).toBeGreaterThan(0);
        }
        expect(await scopedFacts(reader, asOf, 3)).toEqual(whole);
        expect(await scopedFacts(reader, asOf, 1000)).toEqual(whole);
      },
    );

    test('the odd fix-by shapes reach the service facts the history is read from', async () => {
      const [odd] = await handle.db.query(
        `SELECT count(*) AS n FROM service_ticket_facts
          WHERE tenant_id = 't' AND fix_by_at IS NULL AND btrim(fix_by) <> ''`,
      );
      // 'soon', the rolled-over day, the offset without colon, no 'T', the lower-case zone, 1900.
      expect(Number(odd!.n)).toBeGreaterThan(20);
      await reader.load('t', (await reader.scopes('t', 1000))[0], { serviceAsOf: DEMO_AS_OF });
      const [queued] = await handle.db.query(
        `SELECT count(*) AS n FROM mirror_changes WHERE tenant_id = 't' AND subject IN ('ticket', 'contract')`,
      );
      expect(Number(queued!.n)).toBe(0);
    });

    test('a walk over the scopes brings the derived history up to date once, not once per scope', async () => {
      const checks: string[] = [];
      const db = handle.db;
      // The only transaction a history load takes is the service facts' check.
      const counted = new SqlRenewalHistoryReader({
        engine: db.engine,
        inTransaction: db.inTransaction,
        query: (sql, params) => db.query(sql, params),
        exec: (sql) => db.exec(sql),
        close: () => db.close(),
        transaction: (work) => {
          checks.push('transaction');
          return db.transaction(work);
        },
      });
      const [ticket] = await handle.db.query(
        `SELECT id FROM halo_tickets WHERE tenant_id = 't' LIMIT 1`,
      );
      await queueChanges(handle.db, 't', 'ticket', [Number(ticket!.id)]);
      const facts = await scopedFacts(counted, DEMO_AS_OF, 3);
      expect(facts.length).toBeGreaterThan(3);
      expect(checks).toEqual(['transaction']);
      const [queued] = await handle.db.query(
        `SELECT count(*) AS n FROM mirror_changes WHERE tenant_id = 't' AND subject = 'ticket'`,
      );
      expect(Number(queued!.n)).toBe(0);
    });

    test('a full sync leaves the planner statistics of the mirror tables current', async () => {
      // Never analysed, reltuples is -1 (or 0): the planner would read the tenant's actions once
      // per scope instead of per ticket.
      for (const table of ['halo_actions', 'halo_tickets', 'halo_timesheet_events']) {
        const [rows] = await handle.db.query(`SELECT count(*) AS count FROM ${table}`);
        const [stats] = await handle.db.query(
          `SELECT reltuples FROM pg_class WHERE oid = $1::regclass`,
          [table],
        );
        expect(Number(stats?.reltuples)).toBe(Number(rows?.count));
      }
    });

    test('loaded as of a day, the service history comes totalled per client and month', async () => {
      const [scope] = await reader.scopes('t', 1000);
      const history = await reader.load('t', scope, { serviceAsOf: DEMO_AS_OF });
      expect(history.tickets).toEqual([]);
      expect(history.serviceAsOf?.asOf).toBe(DEMO_AS_OF);
      expect(history.serviceAsOf?.months.length).toBeGreaterThan(10);
      const indexed = indexRenewalHistory(history);
      const contract = [...indexed.contracts.values()].find((c) => c.client !== null)!;
      expect(() => buildAllContractFacts(indexed, '2026-01-01')).toThrow(/totalled as of/);
      expect(contract).toBeDefined();
    });
  },
);
