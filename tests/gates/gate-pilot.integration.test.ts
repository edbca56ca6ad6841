/**
 * Every pilot switch holds for gate cards (issue 17, item 6): the tenant's `gates` switch, its
 * allow-list and shadow mode decide whether a gate card, its updates and its SLA reminders are
 * posted; a card held back is recorded on the gate's audit trail with the reason, never posted.
 */
import type { GateUseCases } from '../../src/app/gates/gate-use-cases';
import { defaultPilot } from '../../src/app/settings/settings-views';
import type { PilotScope } from '../../src/domain/shared/pilot';
import type { Db } from '../../src/store/db';
import { SqlTabSettings } from '../../src/store/tab-settings.repository';
import { FakeClock } from '../bot/fakes';
import { testDatabases, type TestDatabaseHandle } from '../support/databases';
import {
  actorOf,
  BIG,
  completeRequest,
  gateService,
  routeGates,
  seedGateWorld,
  SMALL,
} from './gate-fixtures';

const TENANT = 'tenant-gate-pilot';
const HOUR = 3_600_000;

describe.each(testDatabases())('gate cards under the pilot settings ($name)', (database) => {
  let handle: TestDatabaseHandle;
  let db: Db;
  let clock: FakeClock;
  let gates: GateUseCases;

  // One database per engine for the file, emptied before each test (as a fresh one, far cheaper).
  beforeAll(async () => {
    handle = await database.open();
  });
  afterAll(async () => {
    await handle?.dispose();
  });
  beforeEach(async () => {
    await handle.reset();
    db = handle.db;
    clock = new FakeClock();
    await seedGateWorld(db, TENANT);
    await routeGates(db, TENANT, 'http://127.0.0.1:9/connector/', clock.now());
    gates = gateService(db, TENANT, clock);
  });

  async function savePilot(patch: Partial<PilotScope>): Promise<void> {
    const settings = new SqlTabSettings(db, clock);
    const current = await settings.pilot(TENANT);
    const next = { ...defaultPilot(), ...patch };
    const scope: PilotScope = {
      scopeEnabled: next.scopeEnabled,
      clientIds: next.clientIds,
      projectIds: next.projectIds,
      shadowMode: next.shadowMode,
      automations: next.automations,
    };
    const saved = await settings.savePilot(TENANT, scope, current.version, 'admin');
    expect(saved.ok).toBe(true);
  }
  /** Channel gate cards (personal copies to the approvers are counted by `personalCards`). */
  const gateCards = async () =>
    (
      await db.query<{ dedupe_key: string }>(
        `SELECT dedupe_key FROM outbox
          WHERE tenant_id = $1 AND kind = 'gate' AND recipient IS NULL ORDER BY id`,
        [TENANT],
      )
    ).map((r) => r.dedupe_key);
  const personalCards = async () =>
    (
      await db.query<{ dedupe_key: string }>(
        `SELECT dedupe_key FROM outbox
          WHERE tenant_id = $1 AND kind = 'gate' AND recipient IS NOT NULL ORDER BY id`,
        [TENANT],
      )
    ).map((r) => r.dedupe_key);
  const held = async () =>
    db.query<{ subject_id: string; verdict: string; key: string }>(
      `SELECT subject_id, detail->>'verdict' AS verdict, detail->>'dedupeKey' AS key FROM audit_log
        WHERE tenant_id = $1 AND action = 'gate.card.held' ORDER BY seq`,
      [TENANT],
    );
  const request = async (project: typeof BIG) => {
    const result = await gates.request.run(
      await actorOf(db, TENANT, 'megan'),
      completeRequest(project),
    );
    if (!result.ok) throw new Error(`gate request refused: ${result.reason}`);
    return result.gate.id;
  };

  test('with every switch on (the default) the gate card is posted', async () => {
    await request(SMALL);
    expect(await gateCards()).toHaveLength(1);
    expect((await personalCards()).length).toBeGreaterThan(0);
    expect(await held()).toEqual([]);
  });

  test('turning the gates switch off stops gate cards: the gate is still requested, the trail says why', async () => {
    await savePilot({ automations: { ...defaultPilot().automations, gates: false } });

    const id = await request(SMALL);

    expect(await gateCards()).toEqual([]);
    expect(await personalCards()).toEqual([]);
    expect(await held()).toEqual([
      { subject_id: id, verdict: 'off', key: expect.stringContaining(id) },
    ]);
    const [gate] = await db.query<{ status: string }>('SELECT status FROM gates WHERE id = $1', [
      id,
    ]);
    expect(gate?.status).toBe('pending');
  });

  test('with the allow-list on only in-scope projects get gate cards and reminders', async () => {
    await savePilot({ scopeEnabled: true, projectIds: [BIG.projectId] });

    const inScope = await request(BIG);
    const outOfScope = await request(SMALL);
    clock.advance(25 * HOUR);
    const sla = await gates.sla.run();

    const cards = await gateCards();
    expect(cards.length).toBeGreaterThan(0);
    expect(cards.every((key) => key.includes(inScope))).toBe(true);
    expect(cards.some((key) => key.includes(':sla:reminder'))).toBe(true);
    expect(sla.reminders).toBe(1);
    expect((await held()).map((h) => [h.subject_id, h.verdict])).toEqual([
      [outOfScope, 'out-of-scope'],
      [outOfScope, 'out-of-scope'],
    ]);
  });

  test('shadow mode logs the gate card and its reminder on the gate trail and posts neither', async () => {
    await savePilot({ shadowMode: true });

    const id = await request(SMALL);
    clock.advance(25 * HOUR);
    await gates.sla.run();

    expect(await gateCards()).toEqual([]);
    expect(await personalCards()).toEqual([]);
    expect((await held()).map((h) => [h.subject_id, h.verdict, h.key])).toEqual([
      [id, 'shadow', expect.stringMatching(/^gate:/)],
      [id, 'shadow', expect.stringContaining(':sla:reminder')],
    ]);
  });
});
