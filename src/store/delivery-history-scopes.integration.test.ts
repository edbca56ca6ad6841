import { deliveryHistoryByScope } from '../app/delivery/delivery-history-scopes';
import { EvaluateDelivery } from '../app/delivery/evaluate-delivery';
import { buildProjectFacts, indexDeliveryHistory } from '../domain/delivery/build-project-facts';
import type { ProjectFacts } from '../domain/delivery/project-facts';
import { testDatabases, type TestDatabaseHandle } from '../../tests/support/databases';
import { DEMO_AS_OF, syncDemo } from '../../tests/renewals/renewal-portfolio';
import type { Db } from './db';
import { SqlDeliveryHistoryReader } from './delivery-history.repository';
import { SqlDeliveryStore } from './delivery.repository';
import { HaloMirrorRepository, type MirrorRecord } from './halo-mirror.repository';

/** Days across the demo's projects: early on, midway, and the demo's today. */
const DAYS = ['2026-09-15', '2026-10-20', DEMO_AS_OF];

type Facts = ProjectFacts | null;

async function wholeTenantFacts(reader: SqlDeliveryHistoryReader, asOf: string) {
  const history = await reader.load('t');
  const out = new Map<number, Facts>();
  for (const [id, project] of indexDeliveryHistory(history)) {
    out.set(id, buildProjectFacts(project, history, asOf));
  }
  return out;
}

async function scopedFacts(
  reader: SqlDeliveryHistoryReader,
  asOf: string,
  options: { projectIds?: number[]; projectsPerScope?: number },
) {
  const out = new Map<number, Facts>();
  for await (const { history, projects } of deliveryHistoryByScope(reader, 't', options)) {
    for (const [id, project] of projects) out.set(id, buildProjectFacts(project, history, asOf));
  }
  return out;
}

/**
 * The demo raises no invoice against a project and has no data-quality issue: add some to the
 * first projects, with project ids written the sync's way and other ways HaloPSA may write them.
 */
async function addInvoicesAndIssues(db: Db, tenantId: string): Promise<void> {
  const ids = (
    await db.query(`SELECT id FROM halo_projects WHERE tenant_id = $1 ORDER BY id LIMIT 3`, [
      tenantId,
    ])
  ).map((r) => Number(r.id));
  const [a, b, c] = ids as [number, number, number];
  const invoice = (id: number, ticketId: unknown, date: string, total: number): MirrorRecord => {
    const data = { id, client_id: 1, ticket_id: ticketId, invoice_date: date, total };
    return { id, data, raw: data };
  };
  await new HaloMirrorRepository(tenantId).upsert(
    db,
    'invoices',
    [
      invoice(990_001, a, '2026-09-01T00:00:00', 1000),
      invoice(990_002, String(a), '2026-10-01T00:00:00', 250.5),
      invoice(990_003, `0${b}`, '2026-09-10T00:00:00', 400),
      invoice(990_004, `${c}.0`, '2026-11-01T00:00:00', 75),
      invoice(990_005, 'not-a-ticket', '2026-09-01T00:00:00', 99),
    ],
    '2026-11-23T00:00:00Z',
  );
  for (const [recordId, field] of [
    [String(a), 'targetdate'],
    [String(b), 'startdate'],
    [`0${c}`, 'agent_id'],
  ]) {
    await db.query(
      `INSERT INTO data_quality_exceptions (tenant_id, resource, record_id, field, problem, first_seen, last_seen)
       VALUES ($1, 'projects', $2, $3, 'unreadable', now(), now())`,
      [tenantId, recordId, field],
    );
  }
}

describe.each(testDatabases())(
  'the delivery history loaded one project scope at a time ($name)',
  (database) => {
    let handle: TestDatabaseHandle;
    let reader: SqlDeliveryHistoryReader;

    beforeAll(async () => {
      handle = await database.open();
      await syncDemo(handle.db, 42);
      await addInvoicesAndIssues(handle.db, 't');
      // The same portfolio again as a second tenant, for the evaluations compared below.
      await syncDemo(handle.db, 42, 'u');
      await addInvoicesAndIssues(handle.db, 'u');
      reader = new SqlDeliveryHistoryReader(handle.db);
    }, 120_000);
    afterAll(() => handle.dispose());

    test('scopes cover every project once, in ascending id order, none larger than asked', async () => {
      const scopes = await reader.scopes('t', 4);
      const ids = scopes.flatMap((s) => s.projectIds);
      const projects = await handle.db.query(
        `SELECT id FROM halo_projects WHERE tenant_id = 't' ORDER BY id`,
      );
      expect(ids).toEqual(projects.map((r) => Number(r.id)));
      expect(scopes.every((s) => s.projectIds.length >= 1 && s.projectIds.length <= 4)).toBe(true);
    });

    test.each(DAYS)(
      'every project’s facts as of %s are the same as from the whole tenant loaded at once',
      async (asOf) => {
        const whole = await wholeTenantFacts(reader, asOf);
        const built = [...whole.values()].filter((f) => f !== null);
        expect(built.length).toBeGreaterThan(5);
        // The demo's projects carry what a scope must bring along: tasks, effort, status changes.
        expect(built.some((f) => f.tasks.length > 0 && f.dailyHours.length > 0)).toBe(true);
        expect(built.some((f) => f.tasks.some((t) => t.status !== 'open'))).toBe(true);
        expect(built.some((f) => f.actualRevenue !== null)).toBe(true);
        expect(built.some((f) => f.dataQualityIssues.length > 0)).toBe(true);

        expect(await scopedFacts(reader, asOf, { projectsPerScope: 3 })).toEqual(whole);
        expect(await scopedFacts(reader, asOf, { projectsPerScope: 1000 })).toEqual(whole);
        // A webhook's evaluation: each project loaded alone.
        for (const [id, facts] of whole) {
          const alone = await scopedFacts(reader, asOf, { projectIds: [id] });
          expect([...alone]).toEqual([[id, facts]]);
        }
      },
    );

    test('a scope of unknown projects loads nothing', async () => {
      const scoped = await scopedFacts(reader, DEMO_AS_OF, { projectIds: [987654321] });
      expect(scoped.size).toBe(0);
    });

    test('the daily evaluation in scopes of 3 projects does what one scope of the whole tenant does', async () => {
      const clock = { now: () => new Date(`${DEMO_AS_OF}T09:00:00Z`) };
      const owners = { deliveryDirectorAgentId: null, incidentCommanderAgentId: null };
      const evaluate = (tenantId: string, projectsPerScope: number) =>
        new EvaluateDelivery({
          ...{ history: reader, tenantId, clock, owners, projectsPerScope },
          store: new SqlDeliveryStore(handle.db, tenantId, clock),
        }).run();
      const snapshots = (tenantId: string) =>
        handle.db.query(
          `SELECT project_id, snapshot_date, score, rag, confidence, risk_tags, assessment, changes
             FROM health_snapshots WHERE tenant_id = $1 ORDER BY project_id, snapshot_date`,
          [tenantId],
        );
      const scoped = await evaluate('t', 3);
      const whole = await evaluate('u', 1000);
      expect(scoped.projects).toBeGreaterThan(5);
      expect(scoped.decisions.length).toBeGreaterThan(0);
      expect(scoped).toEqual(whole);
      expect(await snapshots('t')).toEqual(await snapshots('u'));
    });
  },
);
