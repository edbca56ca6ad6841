import { randomBytes } from 'node:crypto';
import { batchedAuditTrail } from '../../src/audit/audit-batch';
import { AuditLog, verifyAuditChain } from '../../src/audit/audit-log';
import type { Db } from '../../src/store/db';
import { reusedDatabase, testDatabases } from '../support/databases';

const TENANT = 'tenant-audit-batch';
const clock = { now: () => new Date('2026-11-23T09:00:00.123Z') };

/** The database, counting the transactions begun on it (each takes the audit head once). */
function counting(db: Db): { db: Db; transactions: () => number } {
  let count = 0;
  const wrapped: Db = Object.create(db) as Db;
  wrapped.transaction = (fn) => {
    count += 1;
    return db.transaction(fn);
  };
  return { db: wrapped, transactions: () => count };
}

describe.each(testDatabases())('refusals audited in batches on $name', (database) => {
  // One database for the block, reset for each test (tests/support/databases.ts).
  const target = reusedDatabase(database);
  test('fifty appends at once: every entry stored once, in a few turns behind the head, and the chain verifies', async () => {
    const handle = await target.open();
    try {
      const log = new AuditLog(TENANT, clock);
      await log.append(handle.db, {
        subjectType: 'gate',
        subjectId: 'g-1',
        action: 'gate.requested',
        actor: null,
      });
      const { db, transactions } = counting(handle.db);
      const trail = batchedAuditTrail(log, db);
      const entries = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          trail.append({
            subjectType: 'gate',
            subjectId: 'g-1',
            action: 'gate.refused',
            actor: { aadObjectId: `aad-${i}`, email: null, name: `Approver ${i}` },
            detail: { i, reason: 'already-decided' },
          }),
        ),
      );
      // The first append goes alone; the 49 that queued behind it go as one batch.
      expect(transactions()).toBe(2);
      expect(entries.map((e) => e.detail.i)).toEqual(Array.from({ length: 50 }, (_, i) => i));
      expect(new Set(entries.map((e) => e.seq)).size).toBe(50);
      const timeline = await log.timeline(handle.db, 'gate', 'g-1');
      expect(timeline).toHaveLength(51);
      expect(timeline.slice(1).map((e) => e.actor?.aadObjectId)).toEqual(
        entries.map((e) => e.actor?.aadObjectId),
      );
      expect(await verifyAuditChain(handle.db, TENANT)).toMatchObject({ ok: true, entries: 51 });
    } finally {
      await handle.dispose();
    }
  });
  test('an entry the database refuses fails only its own append, not the others batched with it', async () => {
    const handle = await target.open();
    try {
      const log = new AuditLog(TENANT, clock);
      const trail = batchedAuditTrail(log, handle.db);
      const refusal = (subjectId: string, i: number) =>
        trail.append({
          subjectType: 'gate',
          subjectId,
          action: 'gate.refused',
          actor: { aadObjectId: `aad-${i}`, email: null, name: `Approver ${i}` },
          detail: { i },
        });
      // Too long for the subject index (incompressible): the insert of any batch holding it fails.
      const hostile = randomBytes(4500).toString('base64');
      const outcomes = await Promise.allSettled([
        refusal('g-1', 0),
        refusal('g-1', 1),
        refusal(hostile, 2),
        refusal('g-1', 3),
        refusal('g-1', 4),
      ]);
      expect(outcomes.map((o) => o.status)).toEqual([
        'fulfilled',
        'fulfilled',
        'rejected',
        'fulfilled',
        'fulfilled',
      ]);
      expect((await log.timeline(handle.db, 'gate', 'g-1')).map((e) => e.detail.i)).toEqual([
        0, 1, 3, 4,
      ]);
      expect(await verifyAuditChain(handle.db, TENANT)).toMatchObject({ ok: true, entries: 4 });
    } finally {
      await handle.dispose();
    }
  });
  test('batches from several processes (pools) and appends inside changes interleave into one chain that verifies', async () => {
    const handle = await target.open();
    try {
      const log = new AuditLog(TENANT, clock);
      // PGlite is one embedded connection: there the three trails share it.
      const another = () => (target.name === 'postgres' ? handle.connect() : handle.db);
      const processes = [handle.db, another(), another()];
      const trails = processes.map((db) => batchedAuditTrail(log, db));
      const appends = processes.flatMap((db, p) => [
        ...Array.from({ length: 20 }, (_, i) =>
          trails[p]!.append({
            subjectType: 'gate',
            subjectId: 'g-1',
            action: 'gate.refused',
            actor: null,
            detail: { p, i },
          }),
        ),
        // A decision's own entry, in its transaction, racing the batches for the head.
        db.transaction((tx) =>
          log.append(tx, {
            subjectType: 'gate',
            subjectId: 'g-1',
            action: 'gate.approved',
            actor: null,
            detail: { p },
          }),
        ),
      ]);
      const entries = await Promise.all(appends);
      expect(new Set(entries.map((e) => e.seq)).size).toBe(63);
      expect(await verifyAuditChain(handle.db, TENANT)).toMatchObject({ ok: true, entries: 63 });
    } finally {
      await handle.dispose();
    }
  });
});
