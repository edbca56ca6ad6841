import { HALO_READ_SCOPES } from '../halo/halo-scopes';
import { HaloClient } from '../halo/halo-client';
import { HaloSync, type SyncReport } from '../halo/halo-sync';
import { generateDataset } from '../halo/simulator/generator';
import { startSimulator, type HaloSimulator } from '../halo/simulator/server';
import type { Db } from '../store/db';
import { testDatabases, type TestDatabaseHandle } from '../../tests/support/databases';
import { BENCH_PAGE_SIZE, syncInProcess } from './scaled-load';

const TENANT = 'bench';
const AS_OF = '2026-12-04';
const clock = { now: () => new Date('2026-12-04T06:00:00.000Z') };
const silent = { info: () => undefined, warn: () => undefined };

/** Every row of every table of the database (but the migration log), as sorted JSON text per table. */
async function everyRow(db: Db): Promise<Map<string, string[]>> {
  const tables = await db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations'
      ORDER BY table_name`,
  );
  const out = new Map<string, string[]>();
  for (const { table_name: table } of tables) {
    const rows = await db.query<{ row: string }>(`SELECT to_jsonb(t)::text AS row FROM ${table} t`);
    if (rows.length > 0) out.set(table, rows.map((r) => r.row).sort());
  }
  return out;
}

/** What a report says of each listing, without its start time. */
const listings = (report: SyncReport) => report.listings;

describe.each(testDatabases())(
  'a scaled dataset loaded in process lands as an HTTP sync lands it ($name)',
  (database) => {
    const dataset = generateDataset({ profile: 'large', seed: 1, asOf: AS_OF, scale: 0.005 });
    let overHttp: TestDatabaseHandle;
    let inProcess: TestDatabaseHandle;
    let sim: HaloSimulator;
    let httpReport: SyncReport;
    let inProcessReport: SyncReport;

    beforeAll(async () => {
      overHttp = await database.open();
      inProcess = await database.open();
      sim = await startSimulator({ dataset, port: 0 });
      const client = new HaloClient({
        baseUrl: sim.url,
        clientId: 'demo',
        clientSecret: 'demo',
        scopes: [...HALO_READ_SCOPES],
        pageSize: BENCH_PAGE_SIZE,
        budget: { requests: 1_000_000, windowMs: 300_000 },
      });
      httpReport = await new HaloSync({
        db: overHttp.db,
        reader: client,
        tenantId: TENANT,
        clock,
        logger: silent,
      }).run('full');
      inProcessReport = await syncInProcess(inProcess.db, dataset, TENANT, clock);
    }, 180_000);
    afterAll(async () => {
      await sim?.close();
      await overHttp?.dispose();
      await inProcess?.dispose();
    });

    test('the same pages, records and full-record reads per listing', () => {
      expect(listings(inProcessReport)).toEqual(listings(httpReport));
      // Several pages of the big listings, so paging is compared too.
      expect(httpReport.listings.timesheetEvents!.pages).toBeGreaterThan(2);
      expect(httpReport.listings.projects!.detailReads).toBeGreaterThan(0);
    });

    test('every table holds the same rows, row for row', async () => {
      const viaHttp = await everyRow(overHttp.db);
      const viaReader = await everyRow(inProcess.db);
      expect([...viaReader.keys()]).toEqual([...viaHttp.keys()]);
      for (const table of ['halo_projects', 'halo_milestones', 'halo_timesheet_events']) {
        expect(viaHttp.get(table)?.length ?? 0).toBeGreaterThan(0);
      }
      for (const [table, rows] of viaHttp) {
        const other = viaReader.get(table) ?? [];
        expect({ table, rows: other.length }).toEqual({ table, rows: rows.length });
        const differing = rows.findIndex((row, i) => row !== other[i]);
        expect({
          table,
          differing: differing < 0 ? null : [rows[differing], other[differing]],
        }).toEqual({ table, differing: null });
      }
    });
  },
);
