import { testDatabases, type TestDatabaseHandle } from '../../tests/support/databases';
import { syncDemo } from '../../tests/renewals/renewal-portfolio';
import { EvaluateChanged } from '../app/delivery/evaluate-changed';
import type { Db } from './db';
import { SqlDeliveryChanges } from './delivery-changes.repository';
import { HaloMirrorRepository } from './halo-mirror.repository';

const T = 't';
const SYNCED = '2026-11-23T00:00:00Z';

function record(raw: Record<string, unknown> & { id: number }) {
  return { id: raw.id, data: raw, raw };
}

describe.each(testDatabases())('projects changed since they were evaluated ($name)', (database) => {
  let handle: TestDatabaseHandle;
  let db: Db;
  const mirror = new HaloMirrorRepository(T);
  const changes = () => new SqlDeliveryChanges(db);
  /** Two projects and a task of each (from the demo). */
  let a: { project: number; task: number };
  let b: { project: number; task: number };
  /** What the scheduled evaluations asked for. */
  const evaluated: Array<readonly number[] | 'all'> = [];
  const scheduled = () =>
    new EvaluateChanged({
      tenantId: T,
      changes: changes(),
      evaluation: {
        run: async (options = {}) => {
          evaluated.push(options.projectIds ?? 'all');
          return {
            asOf: '',
            projects: 0,
            byRag: { green: 0, amber: 0, red: 0, unknown: 0 },
            decisions: [],
          };
        },
      },
      outbox: { notify: () => undefined },
    });

  beforeAll(async () => {
    handle = await database.open();
    db = handle.db;
    await syncDemo(db, 42);
    const tasks = await db.query(
      `SELECT DISTINCT ON (project_id) project_id, id FROM halo_tasks
        WHERE tenant_id = $1 AND project_id IS NOT NULL ORDER BY project_id, id LIMIT 2`,
      [T],
    );
    [a, b] = tasks.map((r) => ({ project: Number(r.project_id), task: Number(r.id) })) as [
      typeof a,
      typeof b,
    ];
  }, 120_000);
  afterAll(() => handle.dispose());

  test('after a full sync every project is pending; the daily evaluation of all settles them', async () => {
    const { upto, projectIds } = await changes().pending(T);
    expect(upto).not.toBeNull();
    const [projects] = await db.query(
      'SELECT count(*) AS n FROM halo_projects WHERE tenant_id = $1',
      [T],
    );
    expect(projectIds.length).toBe(Number(projects!.n));
    expect(await changes().position(T)).toBe(upto);
    await scheduled().all();
    expect(evaluated).toEqual(['all']);
    expect(await changes().pending(T)).toEqual({ upto: null, projectIds: [] });
    expect(await changes().position(T)).toBeNull();
    // Nothing changed since: the scheduled evaluation after a sync evaluates nothing.
    expect(await scheduled().changed()).toEqual({ projectIds: [] });
    expect(evaluated).toEqual(['all']);
  });

  test('a task action, a moved timesheet event and an invoice leave exactly their projects pending', async () => {
    await db.transaction(async (tx) => {
      await mirror.upsert(
        tx,
        'actions',
        [
          record({
            id: 991_001,
            ticket_id: a.task,
            datetime: '2026-11-20T09:00:00Z',
            new_status: 2,
          }),
        ],
        SYNCED,
      );
      await mirror.upsert(
        tx,
        'timesheetEvents',
        [
          record({
            id: 991_001,
            ticket_id: a.task,
            agent_id: 2,
            start_date: '2026-11-20T09:00:00Z',
            timetaken: 1,
          }),
        ],
        SYNCED,
      );
    });
    expect((await changes().pending(T)).projectIds).toEqual([a.project]);
    expect(await scheduled().changed()).toEqual({ projectIds: [a.project] });
    expect(evaluated.at(-1)).toEqual([a.project]);

    // The event moves to the other project's task: both projects' hours change.
    await mirror.upsert(
      db,
      'timesheetEvents',
      [
        record({
          id: 991_001,
          ticket_id: b.task,
          agent_id: 2,
          start_date: '2026-11-20T09:00:00Z',
          timetaken: 1,
        }),
      ],
      SYNCED,
    );
    expect((await changes().pending(T)).projectIds).toEqual(
      [a.project, b.project].sort((x, y) => x - y),
    );
    await scheduled().changed();

    // An invoice raised against a project names it as its ticket.
    await mirror.upsert(
      db,
      'invoices',
      [
        record({
          id: 991_001,
          client_id: 1,
          ticket_id: String(b.project),
          invoice_date: '2026-11-20',
          total: 10,
        }),
      ],
      SYNCED,
    );
    expect((await changes().pending(T)).projectIds).toEqual([b.project]);
    await scheduled().changed();
    expect(await changes().pending(T)).toEqual({ upto: null, projectIds: [] });
  });

  test('a project queued again after the queue was read stays pending when it is cleared', async () => {
    const action = (id: number) =>
      record({ id, ticket_id: a.project, datetime: '2026-11-21T09:00:00Z', new_status: 2 });
    await mirror.upsert(db, 'actions', [action(991_002)], SYNCED);
    const read = await changes().pending(T);
    expect(read.projectIds).toEqual([a.project]);
    // Written again while the evaluation of what was read runs.
    await mirror.upsert(db, 'actions', [action(991_003)], SYNCED);
    await changes().clear(T, read.upto!);
    expect((await changes().pending(T)).projectIds).toEqual([a.project]);
  });
});
