import { testDatabases, type TestDatabaseHandle } from '../../tests/support/databases';
import { floorOf, plainAggregation, plainAggregationOn } from './plain-floor';

const row = (tenant: string, id: number, extra: string) =>
  `('${tenant}', ${id}, ${extra}, '{}'::jsonb, 'h', now())`;

describe.each(testDatabases())('the plain SQL floor ($name)', (database) => {
  let handle: TestDatabaseHandle;

  beforeAll(async () => {
    handle = await database.open();
    // Tenant t: timesheets on tickets 1, 1, 2 and 3 (3 groups), tickets of clients 10, 10 and 11
    // (2 groups); tenant u's rows are not the floor's.
    await handle.db.exec(`
      INSERT INTO halo_timesheet_events (tenant_id, id, ticket_id, hours, start_at, raw, hash, synced_at) VALUES
        ${row('t', 1, "1, 1.5, '2026-11-02T09:00:00Z'")}, ${row('t', 2, "1, 2, '2026-11-03T09:00:00Z'")},
        ${row('t', 3, "2, 1, '2026-11-03T09:00:00Z'")}, ${row('t', 4, "3, 0.5, '2026-11-04T09:00:00Z'")},
        ${row('u', 5, "9, 4, '2026-11-04T09:00:00Z'")};
      INSERT INTO halo_tickets (tenant_id, id, client_id, date_occurred, raw, hash, synced_at) VALUES
        ${row('t', 1, "10, '2026-11-01T09:00:00Z'")}, ${row('t', 2, "10, '2026-11-02T09:00:00Z'")},
        ${row('t', 3, "11, '2026-11-02T09:00:00Z'")}, ${row('u', 9, "12, '2026-11-02T09:00:00Z'")};
    `);
  });

  afterAll(() => handle.dispose());

  it('reads every row of both aggregations, the tenant’s only', async () => {
    const run = await plainAggregationOn(handle.db, 't');
    expect(run.rows).toBe(5);
    expect(run.ms).toBeGreaterThan(0);
  });

  it('runs where the database is reachable from another process, with the same rows', async () => {
    const source = floorOf(
      handle.url === undefined ? { memory: true } : { url: handle.url },
      handle.db,
    );
    expect('url' in source).toBe(handle.url !== undefined);
    const run = await plainAggregation(source, 't');
    expect(run.rows).toBe(5);
    expect(run.ms).toBeGreaterThan(0);
  });
});
