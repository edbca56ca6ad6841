/**
 * `/health <text>` asked by many at once shares one search: fifty searches for different texts cost
 * two statements, not fifty, and each text is answered exactly as when asked alone (the candidates
 * in order, their owners, exact matches, the first one's view, LIKE characters taken literally,
 * another tenant's projects never). Counted with a wrapper around a real database.
 */
import { CountingDb } from '../../tests/support/counting-db';
import { testDatabases, type TestDatabaseHandle } from '../../tests/support/databases';
import type { ProjectSearch } from '../app/delivery-views';
import { assessProject } from '../domain/delivery/health-score';
import { toSnapshot } from '../domain/delivery/health-snapshot';
import { DEFAULT_DELIVERY_POLICY } from '../domain/delivery/policy';
import { referenceFacts } from '../domain/delivery/testing/facts-builder';
import type { Clock } from '../shared/clock';
import type { Db } from './db';
import { SqlDeliveryQueries } from './delivery-queries.repository';
import { SqlDeliveryStore } from './delivery.repository';

const TENANT = 'tenant-a';
const OTHER = 'tenant-b';
const clock: Clock = { now: () => new Date('2025-03-14T09:00:00Z') };

/** [tenant, id, name, agent, closed, evaluated] */
const PROJECTS: [string, number, string, number | null, boolean, boolean][] = [
  [TENANT, 601, 'Fabrikam migration wave 1', 11, false, true],
  [TENANT, 602, 'Fabrikam migration wave 2', 12, false, true],
  [TENANT, 603, 'Fabrikam migration', null, true, true],
  [TENANT, 604, '100% uptime_review', 11, false, true],
  [TENANT, 605, 'Contoso 100 seats', 12, false, false],
  [TENANT, 606, 'Back\\slash rollout', 11, false, true],
  [OTHER, 701, 'Fabrikam migration wave 3', 21, false, true],
];

async function seed(db: Db): Promise<void> {
  for (const tenant of [TENANT, OTHER]) {
    await db.query(
      `INSERT INTO halo_clients (tenant_id, id, name, account_manager_id, raw, hash, synced_at)
       VALUES ($1, 5, 'Fabrikam', 12, '{}', 'h', now())`,
      [tenant],
    );
    await db.query(
      `INSERT INTO halo_agents (tenant_id, id, name, email, raw, hash, synced_at)
       VALUES ($1, 11, 'Pat', 'pat@msp.example', '{}', 'h', now()),
              ($1, 12, 'Olive', 'olive@msp.example', '{}', 'h', now())`,
      [tenant],
    );
  }
  for (const [tenant, id, name, agent, closed, evaluated] of PROJECTS) {
    await db.query(
      `INSERT INTO halo_projects (tenant_id, id, client_id, summary, agent_id, date_closed, raw, hash, synced_at)
       VALUES ($1, $2, 5, $3, $4, $5, '{}', 'h', now())`,
      [tenant, id, name, agent, closed ? '2025-02-01T00:00:00Z' : null],
    );
    if (!evaluated) continue;
    const assessment = assessProject(
      referenceFacts({ projectId: String(id), clientId: '5' }),
      DEFAULT_DELIVERY_POLICY,
    );
    await new SqlDeliveryStore(db, tenant, clock).inTransaction((uow) =>
      uow.saveSnapshot(id, '2025-03-14', {
        snapshot: toSnapshot(assessment),
        assessment,
        changes: [`change of ${id}`],
      }),
    );
  }
}

describe.each(testDatabases())('SqlDeliveryQueries.searchProjects ($name)', (database) => {
  let handle: TestDatabaseHandle;

  beforeAll(async () => {
    handle = await database.open();
    await seed(handle.db);
  });
  afterAll(() => handle.dispose());

  const texts = [
    '602',
    'fabrikam migration',
    'FABRIKAM MIGRATION WAVE 1',
    '  Fabrikam  ',
    '100%',
    '100',
    '_',
    '%',
    '\\',
    'wave 3',
    '701',
    'nothing like this',
    '605',
    '',
  ];

  test('each text as when asked alone, and fifty asked together cost two statements', async () => {
    const alone: ProjectSearch[] = [];
    for (const text of texts) {
      alone.push(await new SqlDeliveryQueries(handle.db, clock).searchProjects(TENANT, text));
    }
    const ids = (search: ProjectSearch) => search.matches.map((m) => m.id);
    expect(alone.map(ids)).toEqual([
      [602],
      [603, 601, 602],
      [601],
      [601, 602, 603],
      [604],
      [604, 605],
      [604],
      [604],
      [606],
      [],
      [],
      [],
      [605],
      [604, 606, 605, 601, 602, 603],
    ]);
    // Exact: the id or the whole name (any case); the closed project comes last among the rest.
    expect(alone[1]!.matches.map((m) => m.exact)).toEqual([true, false, false]);
    expect(alone[2]!.matches[0]).toMatchObject({ id: 601, exact: true, clientName: 'Fabrikam' });
    expect(alone[2]!.matches[0]!.owners).toEqual({
      clientId: 5,
      pmAgentId: 11,
      pmEmail: 'pat@msp.example',
      accountManagerAgentId: 12,
    });
    // The first candidate's view; none for a project never evaluated.
    expect(alone[0]!.firstView).toMatchObject({
      id: 602,
      name: 'Fabrikam migration wave 2',
      changes: ['change of 602'],
    });
    expect(alone[12]!.firstView).toBeNull();
    expect(alone[12]!.matches[0]!.rag).toBe('unknown');

    const counting = new CountingDb(handle.db);
    const queries = new SqlDeliveryQueries(counting, clock);
    const asked = Array.from({ length: 50 }, (_, i) => texts[i % texts.length]!);
    const together = await Promise.all(asked.map((text) => queries.searchProjects(TENANT, text)));
    expect(together).toEqual(asked.map((_, i) => alone[i % texts.length]));
    // The first asker is read at once; everyone who asked meanwhile shares the second read.
    expect(counting.statements).toHaveLength(2);
  });

  test('tenants asked together each see only their own projects', async () => {
    const queries = new SqlDeliveryQueries(handle.db, clock);
    const [mine, theirs, theirsAgain] = await Promise.all([
      queries.searchProjects(TENANT, 'wave'),
      queries.searchProjects(OTHER, 'wave'),
      queries.searchProjects(OTHER, '602'),
    ]);
    expect(mine.matches.map((m) => m.id)).toEqual([601, 602]);
    expect(theirs.matches.map((m) => m.id)).toEqual([701]);
    expect(theirs.firstView).toMatchObject({ id: 701 });
    expect(theirsAgain.matches).toEqual([]);
  });
});
