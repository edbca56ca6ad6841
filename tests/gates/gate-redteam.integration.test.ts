/**
 * Hostile and racing gate decisions over the bot and the use case, on PGlite and PostgreSQL: forged
 * card payloads are answered with a refusal (never INTERNAL) and change nothing; decisions racing
 * each other or a new pack version leave exactly one outcome, written back once, with a chain that
 * verifies.
 */
import { randomBytes } from 'node:crypto';
import type { Actor } from '../../src/app/delivery-views';
import type { DecideGateDeps } from '../../src/app/gates/decide-gate';
import { verifyAuditChain } from '../../src/audit/audit-log';
import type { Db } from '../../src/store/db';
import { executeInvoke, post } from '../bot/bot-harness';
import { testDatabases, type TestDatabaseHandle } from '../support/databases';
import { actorOf, BIG, completeRequest, PEOPLE, seedGateWorld, SMALL } from './gate-fixtures';
import { startGateBot, type GateBotHarness } from './gate-harness';

const TENANT = 'tenant-gate-redteam';
const SMALL_GATE = `g-${SMALL.projectId}-${SMALL.milestoneId}`;
const BIG_GATE = `g-${BIG.projectId}-${BIG.milestoneId}`;

type InvokeBody = { statusCode: number; type: string; value: unknown };

describe.each(testDatabases())('gate decisions under attack and races ($name)', (database) => {
  let handle: TestDatabaseHandle;
  let db: Db;
  let bot: GateBotHarness;
  let megan: Actor;
  let adele: Actor;
  let lynne: Actor;

  beforeAll(async () => {
    handle = await database.open();
    db = handle.db;
    await seedGateWorld(db, TENANT);
    bot = await startGateBot(db, TENANT);
    megan = await actorOf(db, TENANT, 'megan');
    adele = await actorOf(db, TENANT, 'adele');
    lynne = await actorOf(db, TENANT, 'lynne');
  });
  afterAll(async () => {
    await bot.close();
    await handle.dispose();
  });

  const click = async (verb: string, data: Record<string, unknown>, who: keyof typeof PEOPLE) => {
    const { aadObjectId, name } = PEOPLE[who];
    const response = await post(
      bot.botUrl,
      executeInvoke(bot.connector.url, verb, data, { aadObjectId, name }),
    );
    return { status: response.status, body: response.body as InvokeBody };
  };
  const count = async (sql: string, params: unknown[] = [TENANT]) =>
    Number((await db.query<{ n: string | number }>(sql, params))[0]!.n);
  const written = async () => ({
    decisions: await count('SELECT count(*) AS n FROM gate_decisions WHERE tenant_id = $1'),
    gates: await db.query(
      'SELECT id, status, pack_version, approvals FROM gates WHERE tenant_id = $1 ORDER BY id',
      [TENANT],
    ),
    writebacks: await count('SELECT count(*) AS n FROM halo_writebacks WHERE tenant_id = $1'),
    outbox: await count('SELECT count(*) AS n FROM outbox WHERE tenant_id = $1'),
  });
  /** The clicks answered with a server error (HTTP or invoke), described for the failure message. */
  const serverErrors = async (
    clicks: Array<[string, Record<string, unknown>, keyof typeof PEOPLE]>,
  ): Promise<string[]> => {
    const failed: string[] = [];
    for (const [verb, data, who] of clicks) {
      const r = await click(verb, data, who);
      if (r.status >= 500 || /INTERNAL|"statusCode":5\d\d/.test(JSON.stringify(r.body)))
        failed.push(`${who} ${verb} ${JSON.stringify(data).slice(0, 80)}`);
    }
    return failed;
  };

  test('forged gate clicks (hostile ids, versions, verbs) are refused, never INTERNAL, and change nothing', async () => {
    const requested = await bot.gates.request.run(megan, completeRequest(SMALL));
    expect(requested).toMatchObject({ ok: true });
    const before = await written();
    const incompressible = randomBytes(4500).toString('base64');
    const forged: Array<[string, Record<string, unknown>]> = [
      ['gate.approve', { gateId: 'a\u0000b', packVersion: 1 }],
      ['gate.approve', { gateId: incompressible, packVersion: 1 }],
      ['gate.reject', { gateId: SMALL_GATE, packVersion: 1, gateRejectComment: 'bad\u0000pack' }],
      ['gate.approve', { gateId: SMALL_GATE, packVersion: 9_999_999_999_999 }],
      ['gate.approve', { gateId: SMALL_GATE, packVersion: { $ne: 0 } }],
      ['gate.approve', { gateId: SMALL_GATE, packVersion: '1' }],
      ['gate.approve', { gateId: `${SMALL_GATE}' OR '1'='1`, packVersion: 1 }],
      ['gate.refresh', { gateId: incompressible }],
      ['gate.approve', { gateId: BIG_GATE, packVersion: 1 }],
      // Comments the tab API refuses (400): a disguised file name, more than 2,000 characters.
      [
        'gate.reject',
        { gateId: SMALL_GATE, packVersion: 1, gateRejectComment: 'fine \u202Eexe.txt' },
      ],
      [
        'gate.requestChanges',
        { gateId: SMALL_GATE, packVersion: 1, gateChangesComment: 'x'.repeat(2001) },
      ],
    ];
    // Patti is no PMO lead; Adele is, but every one of these is forged or stale (BIG has no gate).
    expect(
      await serverErrors([
        ...forged.map(
          ([verb, data]) => [verb, data, 'patti'] as [string, Record<string, unknown>, 'patti'],
        ),
        ...forged
          .filter(([, data]) => data.packVersion !== '1')
          .map(
            ([verb, data]) => [verb, data, 'adele'] as [string, Record<string, unknown>, 'adele'],
          ),
      ]),
    ).toEqual([]);
    expect(await written()).toEqual(before);
    expect(await verifyAuditChain(db, TENANT)).toMatchObject({ ok: true });
  });
  test('a new pack version committed between the read and the compare-and-set: the decision is refused as stale, nothing is decided', async () => {
    const reads = (bot.gates.decide as unknown as { deps: DecideGateDeps }).deps.reads.gates;
    const findCurrent = reads.findCurrent;
    // The PM resubmits right after Adele's click read the gate and its decisions.
    reads.findCurrent = async (...args) => {
      reads.findCurrent = findCurrent;
      const read = await findCurrent.apply(reads, args);
      expect(await bot.gates.request.run(megan, completeRequest(SMALL))).toMatchObject({
        ok: true,
        gate: { packVersion: 2 },
      });
      return read;
    };
    const before = await written();
    const result = await bot.gates.decide.run(adele, {
      gateId: SMALL_GATE,
      packVersion: 1,
      outcome: 'approve',
      comment: '',
    });
    expect(reads.findCurrent).toBe(findCurrent);
    expect(result).toMatchObject({
      ok: false,
      reason: 'stale-pack',
      gate: { packVersion: 2, status: 'pending', decisions: [] },
    });
    const after = await written();
    expect(after.decisions).toBe(before.decisions);
    expect(after.writebacks).toBe(before.writebacks);
    expect(after.gates).toContainEqual(
      expect.objectContaining({ id: SMALL_GATE, status: 'pending', pack_version: 2, approvals: 0 }),
    );
  });

  test('approve and reject racing on a one-approval gate: one outcome, one decision, one note', async () => {
    const [approve, reject] = await Promise.all([
      bot.gates.decide.run(adele, {
        gateId: SMALL_GATE,
        packVersion: 2,
        outcome: 'approve',
        comment: '',
      }),
      bot.gates.decide.run(lynne, {
        gateId: SMALL_GATE,
        packVersion: 2,
        outcome: 'reject',
        comment: 'QA notes are thin',
      }),
    ]);
    expect([approve.ok, reject.ok].filter(Boolean)).toHaveLength(1);
    const winner = approve.ok ? approve : reject;
    const loser = approve.ok ? reject : approve;
    expect(loser).toMatchObject({
      ok: false,
      reason: 'already-decided',
      gate: { status: winner.gate!.status },
    });
    const stored = await db.query<{ outcome: string }>(
      'SELECT outcome FROM gate_decisions WHERE tenant_id = $1 AND gate_id = $2 AND pack_version = 2',
      [TENANT, SMALL_GATE],
    );
    expect(stored.map((d) => d.outcome)).toEqual([approve.ok ? 'approve' : 'reject']);
    expect(
      await count(
        `SELECT count(*) AS n FROM halo_writebacks WHERE tenant_id = $1 AND subject_id = $2 AND kind = 'note'`,
        [TENANT, SMALL_GATE],
      ),
    ).toBe(1);
    // The loser's refusal is audited just after its answer.
    await bot.gates.decide.idle();
    expect(await verifyAuditChain(db, TENANT)).toMatchObject({ ok: true });
  });

  test('two approvers racing for the first slot of a two-approval gate: both recorded, approved once', async () => {
    expect(await bot.gates.request.run(megan, completeRequest(BIG))).toMatchObject({
      ok: true,
      gate: { requiredApprovals: 2 },
    });
    const results = await Promise.all(
      [adele, lynne].map((who) =>
        bot.gates.decide.run(who, {
          gateId: BIG_GATE,
          packVersion: 1,
          outcome: 'approve',
          comment: '',
        }),
      ),
    );
    expect(results.map((r) => r.ok)).toEqual([true, true]);
    expect(results.map((r) => r.gate?.status).sort()).toEqual(['approved', 'pending']);
    const stored = await db.query<{ slot: number; approver_aad_object_id: string }>(
      'SELECT slot, approver_aad_object_id FROM gate_decisions WHERE tenant_id = $1 AND gate_id = $2 ORDER BY slot',
      [TENANT, BIG_GATE],
    );
    expect(stored.map((d) => Number(d.slot))).toEqual([1, 2]);
    expect(new Set(stored.map((d) => d.approver_aad_object_id)).size).toBe(2);
    expect(
      await count(
        `SELECT count(*) AS n FROM halo_writebacks WHERE tenant_id = $1 AND subject_id = $2`,
        [TENANT, BIG_GATE],
      ),
    ).toBe(2);
    // A third click on the decided gate is refused with the card as it now is.
    expect(
      await bot.gates.decide.run(adele, {
        gateId: BIG_GATE,
        packVersion: 1,
        outcome: 'approve',
        comment: '',
      }),
    ).toMatchObject({ ok: false, reason: 'already-decided', gate: { status: 'approved' } });
    await bot.gates.decide.idle();
    expect(await verifyAuditChain(db, TENANT)).toMatchObject({ ok: true });
  });
});
