/**
 * The weekly control report honours the tenant's pilot settings (issue 17, item 6) on a real
 * database: switched off or in shadow mode it is not posted; with the allow-list on, the posted
 * report covers only the listed clients and projects.
 */
import { PostWeeklyReport } from '../../src/app/notifications/post-weekly-report';
import { defaultPilot } from '../../src/app/settings/settings-views';
import { assessProject } from '../../src/domain/delivery/health-score';
import { toSnapshot } from '../../src/domain/delivery/health-snapshot';
import { DEFAULT_DELIVERY_POLICY } from '../../src/domain/delivery/policy';
import { referenceFacts } from '../../src/domain/delivery/testing/facts-builder';
import type { PilotScope } from '../../src/domain/shared/pilot';
import { outboxOn } from '../../src/notifications/outbox';
import { ChangeSignal } from '../../src/shared/signal';
import type { Db } from '../../src/store/db';
import { SqlDeliveryQueries } from '../../src/store/delivery-queries.repository';
import { SqlDeliveryStore } from '../../src/store/delivery.repository';
import { SqlTabSettings } from '../../src/store/tab-settings.repository';
import { transactional } from '../../src/store/transactional';
import { testDatabases, type TestDatabaseHandle } from '../support/databases';

const TENANT = 'report-pilot';
const NOW = new Date('2026-11-23T07:00:00Z');
const clock = { now: () => NOW };

/** Three red projects: 601 and 602 of client 5, 701 of client 7. */
async function seedRedProjects(db: Db): Promise<void> {
  const store = new SqlDeliveryStore(db, TENANT, clock);
  for (const [projectId, clientId] of [
    [601, 5],
    [602, 5],
    [701, 7],
  ] as const) {
    await db.query(
      `INSERT INTO halo_projects (tenant_id, id, client_id, summary, raw, hash, synced_at)
       VALUES ($1, $2, $3, $4, '{}', 'h', $5)`,
      [TENANT, projectId, clientId, `Project ${projectId}`, NOW.toISOString()],
    );
    const assessment = {
      ...assessProject(
        referenceFacts({ projectId: String(projectId), clientId: String(clientId) }),
        DEFAULT_DELIVERY_POLICY,
      ),
      rag: 'red' as const,
    };
    await store.inTransaction((uow) =>
      uow.saveSnapshot(projectId, '2026-11-23', {
        snapshot: toSnapshot(assessment),
        assessment,
        changes: [],
      }),
    );
  }
}

describe.each(testDatabases())('the weekly report under the pilot settings ($name)', (database) => {
  let handle: TestDatabaseHandle;

  // One database per engine for the file, emptied before each test (as a fresh one, far cheaper).
  beforeAll(async () => {
    handle = await database.open();
  });
  afterAll(async () => {
    await handle?.dispose();
  });
  beforeEach(async () => {
    await handle.reset();
    await seedRedProjects(handle.db);
  });

  async function postWith(patch: Partial<PilotScope>) {
    const { db } = handle;
    const settings = new SqlTabSettings(db, clock);
    const next = { ...defaultPilot(), ...patch };
    const scope: PilotScope = {
      scopeEnabled: next.scopeEnabled,
      clientIds: next.clientIds,
      projectIds: next.projectIds,
      shadowMode: next.shadowMode,
      automations: next.automations,
    };
    expect((await settings.savePilot(TENANT, scope, null, 'admin')).ok).toBe(true);
    const posting = await new PostWeeklyReport({
      tenantId: TENANT,
      reports: new SqlDeliveryQueries(db, clock),
      outbox: transactional(db, (tx) => ({ outbox: outboxOn(tx, TENANT, clock) })),
      outboxSignal: new ChangeSignal(),
      pilot: settings,
    }).run();
    const rows = await db.query<{ project_ids: number[] | null }>(
      `SELECT (SELECT json_agg((l->>'projectId')::int ORDER BY (l->>'projectId')::int)
                 FROM json_array_elements((payload::json)->'report'->'lines') l) AS project_ids
         FROM outbox WHERE tenant_id = $1 AND kind = 'weekly-report'`,
      [TENANT],
    );
    return { posting, posted: rows.map((r) => r.project_ids ?? []) };
  }

  test('with everything on the report lists every red project', async () => {
    const { posted } = await postWith({});
    expect(posted).toEqual([[601, 602, 701]]);
  });

  test('with the allow-list on it lists only the listed client and project', async () => {
    const { posted } = await postWith({ scopeEnabled: true, clientIds: [7], projectIds: [602] });
    expect(posted).toEqual([[602, 701]]);
  });

  test('switched off it is neither computed nor posted', async () => {
    const { posting, posted } = await postWith({
      automations: { ...defaultPilot().automations, weeklyReport: false },
    });
    expect(posting).toEqual({ status: 'held', verdict: 'off', weekOf: null, lines: 0 });
    expect(posted).toEqual([]);
  });

  test('in shadow mode it is computed, held back for the log, and not posted', async () => {
    const { posting, posted } = await postWith({ shadowMode: true });
    expect(posting).toEqual({ status: 'held', verdict: 'shadow', weekOf: '2026-11-23', lines: 3 });
    expect(posted).toEqual([]);
  });
});
