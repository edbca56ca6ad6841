import { addDays } from '../../src/domain/shared/dates';
import { renewalStoreOn } from '../../src/modules/renewals.module';
import { testDatabases, type TestDatabaseHandle } from '../support/databases';
import { seedContracts } from './renewal-fixtures';
import { renewalsOn } from './renewal-module';

const AS_OF = '2026-03-01';
/** Days from AS_OF to the end date → the stage the daily evaluation opens (none = no stage). */
const BOUNDARIES: ReadonlyArray<[number, '90' | '60' | '30' | null]> = [
  [91, null],
  [90, '90'],
  [89, '90'],
  [61, '90'],
  [60, '60'],
  [59, '60'],
  [31, '60'],
  [30, '30'],
  [29, '30'],
  [0, '30'],
  [-1, null],
];

describe.each(testDatabases())('renewal windows in the daily evaluation on $name', (database) => {
  let handle: TestDatabaseHandle;
  let opened: Map<number, string[]>;

  beforeAll(async () => {
    handle = await database.open();
    // One contract per boundary (its id is the row index + 1), plus one whose client has no
    // account manager: a data-quality exception, never staged.
    await seedContracts(
      handle.db,
      't',
      BOUNDARIES.map(([days], i) => ({
        id: i + 1,
        clientId: i + 1,
        type: 'Managed Services',
        start: '2025-03-01',
        end: addDays(AS_OF, days),
        monthly: 1000,
      })),
    );
    await seedContracts(handle.db, 't', [
      {
        id: 99,
        clientId: 99,
        type: 'Managed Services',
        start: '2025-03-01',
        end: addDays(AS_OF, 45),
        monthly: 1000,
      },
    ]);
    await handle.db.query('UPDATE halo_clients SET account_manager_id = NULL WHERE id = 99');
    const report = await renewalsOn(handle.db, {
      now: () => new Date(`${AS_OF}T06:00:00Z`),
    }).evaluate({ asOf: AS_OF });
    expect(report.dataQuality).toBe(1);
    opened = new Map();
    for (const s of await renewalStoreOn(handle.db, 't').stages.stageTasks()) {
      opened.set(s.contractId, [...(opened.get(s.contractId) ?? []), s.stage]);
    }
  });
  afterAll(async () => {
    await handle.dispose();
  });

  test.each(BOUNDARIES.map(([days, stage], i) => [days, stage, i + 1] as const))(
    'a contract ending in %i days gets stage %s',
    (_days, stage, contractId) => {
      expect(opened.get(contractId) ?? []).toEqual(stage === null ? [] : [stage]);
    },
  );

  test('a contract whose client has no account manager is never staged', () => {
    expect(opened.get(99)).toBeUndefined();
  });
});
