import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  AuditLog,
  auditSeqSince,
  GENESIS_HASH,
  sharedAuditChainChecks,
  verifyAuditChain,
} from '../../src/audit/audit-log';
import { auditVerify } from '../../src/audit-verify';
import type { Db } from '../../src/store/db';
import { openDatabase } from '../../src/store/open-db';
import { CountingDb } from '../support/counting-db';
import { testDatabases, type TestDatabaseHandle } from '../support/databases';

const root = path.resolve(__dirname, '../..');
const start = Date.parse('2026-11-02T09:00:00Z');

/** A clock that moves one second per reading, so every entry has its own time. */
function steppingClock() {
  let tick = 0;
  return { now: () => new Date(start + 1000 * tick++) };
}

/** `db`, running `hook` before each of its statements, on the pool and in its transactions. */
function beforeEachQuery(db: Db, hook: (sql: string) => Promise<void> | void): Db {
  const hooked = (on: Db): Db => ({
    engine: on.engine,
    inTransaction: on.inTransaction,
    exec: (sql) => on.exec(sql),
    close: () => on.close(),
    transaction: (fn) => on.transaction((tx) => fn(hooked(tx))),
    query: async (sql, params) => {
      await hook(sql);
      return on.query(sql, params);
    },
  });
  return hooked(db);
}

const adele = { aadObjectId: 'aad-adele', email: 'adele@contoso.example', name: 'Adele Vance' };

describe.each(testDatabases())('audit log on $name', (database) => {
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
  });

  async function seed(count: number, tenant = 't1'): Promise<AuditLog> {
    const log = new AuditLog(tenant, steppingClock());
    for (let i = 1; i <= count; i++) {
      await log.append(handle.db, {
        subjectType: 'gate',
        subjectId: String(100 + (i % 3)),
        action: i % 2 ? 'gate.requested' : 'gate.approved',
        actor: i % 4 === 0 ? null : adele,
        detail: { packHash: `hash-${i}`, amount: i * 1.5, nested: { z: 1, a: [i, 'x'] } },
      });
    }
    return log;
  }

  it('verifies one moment of the chain: an entry appended while it reads is not a break', async () => {
    const log = await seed(3);
    // Another connection appends just before the verification reads the head, after it read the
    // entries (PGlite has one connection, so there nothing can come between: checked on PostgreSQL).
    const concurrent = handle.db.engine === 'postgres';
    let appended = false;
    const db = beforeEachQuery(handle.db, async (sql) => {
      if (concurrent && !appended && sql.includes('FROM audit_heads')) {
        appended = true;
        await log.append(handle.db, {
          subjectType: 'gate',
          subjectId: '200',
          action: 'gate.refused',
          actor: adele,
          detail: {},
        });
      }
    });

    expect(await verifyAuditChain(db, 't1')).toMatchObject({ ok: true, entries: 3 });
    expect(appended).toBe(concurrent);
    expect(await verifyAuditChain(handle.db, 't1')).toMatchObject({
      ok: true,
      entries: concurrent ? 4 : 3,
    });
  });

  it('chains entries per tenant: gap-free sequence, each linking to the one before', async () => {
    await seed(5, 't1');
    await seed(3, 't2');
    const t1 = await verifyAuditChain(handle.db, 't1');
    const t2 = await verifyAuditChain(handle.db, 't2');
    expect(t1).toMatchObject({ ok: true, entries: 5 });
    expect(t2).toMatchObject({ ok: true, entries: 3 });
    const log = new AuditLog('t1', steppingClock());
    const gate = await log.timeline(handle.db, 'gate', '101');
    expect(gate.map((e) => e.seq)).toEqual([1, 4]);
    expect(gate[0]!.prevHash).toBe(GENESIS_HASH);
    expect(gate[0]!.detail).toEqual({
      packHash: 'hash-1',
      amount: 1.5,
      nested: { z: 1, a: [1, 'x'] },
    });
    expect(gate[0]!.actor).toEqual(adele);
    expect(await log.timelineOf(handle.db, 'gate', ['100', '102'])).toHaveLength(3);
  });

  it('queues concurrent appends into one unforked chain', async () => {
    const log = new AuditLog('t1', steppingClock());
    const db = database.name === 'postgres' ? handle.connect() : handle.db;
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        log.append(i % 2 ? db : handle.db, {
          subjectType: 'concession',
          subjectId: 'c-1',
          action: 'concession.refused',
          actor: adele,
          detail: { click: i },
        }),
      ),
    );
    const result = await verifyAuditChain(handle.db, 't1');
    expect(result).toMatchObject({ ok: true, entries: 40 });
    const clicks = (await log.timeline(handle.db, 'concession', 'c-1')).map((e) => e.detail.click);
    expect(new Set(clicks).size).toBe(40);
  });

  it('commits an entry only with the transaction that records the change', async () => {
    const log = await seed(2);
    await expect(
      handle.db.transaction(async (tx) => {
        await log.append(tx, {
          subjectType: 'gate',
          subjectId: '9',
          action: 'gate.approved',
          actor: adele,
        });
        throw new Error('decision failed');
      }),
    ).rejects.toThrow('decision failed');
    expect(await verifyAuditChain(handle.db, 't1')).toMatchObject({ ok: true, entries: 2 });
    await log.append(handle.db, {
      subjectType: 'gate',
      subjectId: '9',
      action: 'gate.approved',
      actor: adele,
    });
    expect(await verifyAuditChain(handle.db, 't1')).toMatchObject({ ok: true, entries: 3 });
  });

  it("appends inside a caller's transaction in two statements of it, without a savepoint", async () => {
    const log = await seed(2);
    const statements: string[] = [];
    await handle.db.transaction(async (tx) => {
      await log.append(new CountingDb(tx, statements), {
        subjectType: 'gate',
        subjectId: '9',
        action: 'gate.approved',
        actor: adele,
      });
    });
    expect(statements).toHaveLength(2);
    expect(statements.join(' ')).not.toMatch(/SAVEPOINT|BEGIN/);
    // On the pool it takes a transaction of its own.
    const pooled: string[] = [];
    await log.append(new CountingDb(handle.db, pooled), {
      subjectType: 'gate',
      subjectId: '9',
      action: 'gate.pack.archived',
      actor: null,
    });
    expect(pooled).toEqual(['BEGIN', expect.stringContaining('audit_heads'), expect.any(String)]);
    expect(await verifyAuditChain(handle.db, 't1')).toMatchObject({ ok: true, entries: 4 });
  });

  it.each([
    [
      'detail',
      `UPDATE audit_log SET detail = '{"packHash":"forged"}' WHERE tenant_id = 't1' AND seq = 4`,
    ],
    [
      'actor',
      `UPDATE audit_log SET actor = '{"aadObjectId":"x","email":null,"name":"Mallory"}' WHERE tenant_id = 't1' AND seq = 4`,
    ],
    ['action', `UPDATE audit_log SET action = 'gate.rejected' WHERE tenant_id = 't1' AND seq = 4`],
    ['time', `UPDATE audit_log SET at = at + interval '1 hour' WHERE tenant_id = 't1' AND seq = 4`],
    ['subject', `UPDATE audit_log SET subject_id = '999' WHERE tenant_id = 't1' AND seq = 4`],
  ])('names the entry whose %s was edited', async (_field, sql) => {
    await seed(7);
    await handle.db.query(sql);
    const result = await verifyAuditChain(handle.db, 't1');
    expect(result).toMatchObject({ ok: false, brokenSeq: 4, entries: 3 });
    if (result.ok) throw new Error('unreachable');
    expect(result.problem).toMatch(/altered after it was written/);
  });

  it('names the entry after a re-hashed edit (the next link breaks)', async () => {
    await seed(7);
    // A forger who recomputes entry 4's own hash still breaks entry 5's link.
    const [row] = await handle.db.query<{ hash: string }>(
      `SELECT hash FROM audit_log WHERE tenant_id = 't1' AND seq = 4`,
    );
    await handle.db.query(`UPDATE audit_log SET hash = $1 WHERE tenant_id = 't1' AND seq = 4`, [
      `${row!.hash.slice(0, 63)}0`,
    ]);
    const result = await verifyAuditChain(handle.db, 't1');
    expect(result).toMatchObject({ ok: false, brokenSeq: 4 });
  });

  it('verifies from a later entry to the head: that part, and the entry before it, must be intact', async () => {
    await seed(8);
    expect(await verifyAuditChain(handle.db, 't1', 5)).toMatchObject({ ok: true, entries: 4 });
    expect(await verifyAuditChain(handle.db, 't1', 1)).toMatchObject({ ok: true, entries: 8 });
    // From past the newest entry there is nothing left to verify; the head still must match.
    expect(await verifyAuditChain(handle.db, 't1', 9)).toMatchObject({ ok: true, entries: 0 });
    expect(await verifyAuditChain(handle.db, 't1', 12)).toMatchObject({ ok: true, entries: 0 });
    const alter = (seq: number) =>
      handle.db.query(
        `UPDATE audit_log SET detail = '{"forged": true}'::jsonb WHERE tenant_id = 't1' AND seq = $1`,
        [seq],
      );
    // An entry before the part checked is the full check's to find, not this one's.
    await alter(2);
    expect(await verifyAuditChain(handle.db, 't1', 5)).toMatchObject({ ok: true, entries: 4 });
    expect(await verifyAuditChain(handle.db, 't1')).toMatchObject({ ok: false, brokenSeq: 2 });
    // The entry before the part is checked against its contents: the links start from it.
    await alter(4);
    expect(await verifyAuditChain(handle.db, 't1', 5)).toMatchObject({ ok: false, brokenSeq: 4 });
    await seed(8, 't2');
    await handle.db.query(
      `UPDATE audit_log SET detail = '{"forged": true}'::jsonb WHERE tenant_id = 't2' AND seq = 7`,
    );
    expect(await verifyAuditChain(handle.db, 't2', 5)).toMatchObject({ ok: false, brokenSeq: 7 });
    await seed(8, 't3');
    await handle.db.query(`DELETE FROM audit_log WHERE tenant_id = 't3' AND seq = 8`);
    expect(await verifyAuditChain(handle.db, 't3', 5)).toMatchObject({
      ok: false,
      brokenSeq: 8,
      entry: null,
    });
  });

  it('shares a check among checks asked at once, each told about its own part as if checked alone', async () => {
    await seed(8);
    let reads = 0;
    const counted = beforeEachQuery(handle.db, (sql) => {
      if (/seq >= \$2 ORDER BY seq/.test(sql)) reads += 1;
    });
    const check = sharedAuditChainChecks(counted, 't1');
    const asked = [1, 3, 6, 12, Number.NaN, 3];
    const alone = async () =>
      Promise.all(asked.map((from) => verifyAuditChain(handle.db, 't1', from)));

    // The first check asked starts at once; the five asked while it runs share the next.
    const shared = await Promise.all(asked.map((from) => check(from)));
    expect(reads).toBe(2);
    expect(shared).toEqual(await alone());
    expect(shared.map((r) => r.entries)).toEqual([8, 6, 3, 0, 8, 6]);

    // Entry 4 altered: the shared check finds the break; the other parts are checked alone.
    await handle.db.query(
      `UPDATE audit_log SET detail = '{"forged": true}'::jsonb WHERE tenant_id = 't1' AND seq = 4`,
    );
    reads = 0;
    const broken = await Promise.all([1, 1, 3, 6].map((from) => check(from)));
    expect(broken).toEqual(
      await Promise.all([1, 1, 3, 6].map((from) => verifyAuditChain(handle.db, 't1', from))),
    );
    expect(broken.map((r) => [r.ok, r.entries])).toEqual([
      [false, 3],
      [false, 3],
      [false, 1],
      [true, 3],
    ]);
    // Two shared checks, and the other parts of the broken one each on its own.
    expect(reads).toBe(4);
  });

  it('starts a check by time: deleting or re-assigning the first entries since then is found', async () => {
    await seed(8);
    const atOf = async (seq: number) =>
      (
        await handle.db.query<{ at: Date | string }>(
          `SELECT at FROM audit_log WHERE tenant_id = 't1' AND seq = $1`,
          [seq],
        )
      )[0]!.at;
    const since = new Date(await atOf(3)).toISOString();
    expect(await auditSeqSince(handle.db, 't1', since)).toBe(3);
    expect(await auditSeqSince(handle.db, 't1', '2099-01-01T00:00:00.000Z')).toBe(1);
    // Entry 3 (say, a gate's request) re-assigned to another subject: its hash breaks.
    await handle.db.query(
      `UPDATE audit_log SET subject_id = 'other' WHERE tenant_id = 't1' AND seq = 3`,
    );
    const from = await auditSeqSince(handle.db, 't1', since);
    expect(await verifyAuditChain(handle.db, 't1', from)).toMatchObject({
      ok: false,
      brokenSeq: 3,
    });
    // Entry 3 deleted: the check starts at 4, and the entry it links from is missing.
    await seed(8, 't2');
    await handle.db.query(`DELETE FROM audit_log WHERE tenant_id = 't2' AND seq = 3`);
    const later = await auditSeqSince(handle.db, 't2', since);
    expect(later).toBe(4);
    expect(await verifyAuditChain(handle.db, 't2', later)).toMatchObject({
      ok: false,
      brokenSeq: 3,
    });
    // Odd starts: past the newest entry, only the head is checked; not a number, everything.
    expect(await verifyAuditChain(handle.db, 't2', 20)).toMatchObject({ ok: true, entries: 0 });
    expect(await verifyAuditChain(handle.db, 't2', Number.NaN)).toMatchObject({
      ok: false,
      brokenSeq: 3,
    });
  });

  it('detects a deleted entry and a cut-off tail', async () => {
    await seed(6);
    await handle.db.query(`DELETE FROM audit_log WHERE tenant_id = 't1' AND seq = 3`);
    expect(await verifyAuditChain(handle.db, 't1')).toMatchObject({ ok: false, brokenSeq: 3 });
    await seed(6, 't2');
    await handle.db.query(`DELETE FROM audit_log WHERE tenant_id = 't2' AND seq = 6`);
    expect(await verifyAuditChain(handle.db, 't2')).toMatchObject({
      ok: false,
      brokenSeq: 6,
      entry: null,
    });
  });

  it('reports every tenant, and one broken chain fails the whole check', async () => {
    await seed(3, 'a');
    await seed(3, 'b');
    expect((await auditVerify(handle.db, null)).ok).toBe(true);
    await handle.db.query(`UPDATE audit_log SET detail = '{}' WHERE tenant_id = 'b' AND seq = 2`);
    const report = await auditVerify(handle.db, null);
    expect(report.ok).toBe(false);
    expect(report.lines[0]).toMatch(/tenant a: 3 entries, chain intact/);
    expect(report.lines[1]).toMatch(/tenant b: BROKEN at entry 2 \(gate\.approved on gate 102/);
  });
});

describe('npm run audit:verify', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'ct-audit-'));
    const db = await openDatabase({ dataDir });
    const log = new AuditLog('demo', steppingClock());
    for (let i = 0; i < 5; i++)
      await log.append(db, {
        subjectType: 'gate',
        subjectId: 'g-1',
        action: i === 0 ? 'gate.requested' : 'gate.refused',
        actor: adele,
        detail: { i },
      });
    await db.close();
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  const run = () =>
    spawnSync(
      process.execPath,
      [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'src/audit-verify.ts'],
      {
        cwd: root,
        env: { PATH: process.env.PATH, DATA_DIR: dataDir },
        encoding: 'utf8',
      },
    );

  it('exits 0 on an intact chain and 1 naming the edited entry', async () => {
    const intact = run();
    expect(intact.stdout).toMatch(/tenant demo: 5 entries, chain intact/);
    expect(intact.status).toBe(0);

    const db = await openDatabase({ dataDir });
    await db.query(`UPDATE audit_log SET detail = '{"i":99}' WHERE seq = 3`);
    await db.close();
    const broken = run();
    expect(broken.stderr).toMatch(
      /tenant demo: BROKEN at entry 3 \(gate\.refused on gate g-1 at 2026-11-02T09:00:02\.000Z\)/,
    );
    expect(broken.status).toBe(1);
  });
});
