import {
  buildAllContractFacts,
  indexRenewalHistory,
  liveContractFactsByScope,
} from '../app/renewals/build-contract-facts';
import type { ContractFacts } from '../domain/renewals';
import { testDatabases, type TestDatabaseHandle } from '../../tests/support/databases';
import { DEMO_AS_OF, syncDemo } from '../../tests/renewals/renewal-portfolio';
import { SqlRenewalHistoryReader } from './renewal-history.repository';

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
        expect(await scopedFacts(reader, asOf, 3)).toEqual(whole);
        expect(await scopedFacts(reader, asOf, 1000)).toEqual(whole);
      },
    );
  },
);
