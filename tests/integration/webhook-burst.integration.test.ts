/**
 * Issue 16, finding 5, at reduced scale (the full 2,000 in 60 s runs in `npm run bench`): a webhook
 * burst against the demo app on a virtual clock, with the real request budget and a simulator that
 * refuses anything past 300 requests per rolling 5 minutes. Every delivery is answered 202 without
 * waiting for its processing (the worker is still mid-backlog when the last answer comes), each
 * delivery id is processed once, a restart mid-backlog loses none, the scheduled sync completes
 * while the backlog is worked off, and all of it within 10 virtual minutes. How fast the answers
 * come is a figure of `npm run bench` (SPEC §8), not a wall-clock bound here: this test shares a
 * loaded machine and a long-lived jest worker.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { runWebhookBurst, type WebhookBurstOptions } from '../../src/bench/webhook-burst';

type Target = {
  name: string;
  open: () => Promise<{ database: WebhookBurstOptions['database']; dispose: () => Promise<void> }>;
};

const postgresUrl = process.env.TEST_DATABASE_URL;
/** PostgreSQL when the machine has it (production's database; CI sets it), else PGlite on disk. */
const target: Target = postgresUrl
  ? {
      name: 'postgres',
      open: async () => {
        const schema = `burst_${randomBytes(6).toString('hex')}`;
        const admin = new Client({ connectionString: postgresUrl });
        await admin.connect();
        await admin.query(`CREATE SCHEMA ${schema}`);
        const url = new URL(postgresUrl);
        url.searchParams.set('options', `-c search_path=${schema}`);
        return {
          database: { url: url.toString() },
          dispose: async () => {
            await admin.query(`DROP SCHEMA ${schema} CASCADE`);
            await admin.end();
          },
        };
      },
    }
  : {
      name: 'pglite',
      open: async () => {
        const dir = await mkdtemp(path.join(os.tmpdir(), 'ct-burst-'));
        return {
          database: { dataDir: dir },
          dispose: () => rm(dir, { recursive: true, force: true }),
        };
      },
    };
describe(`a webhook burst on ${target.name}`, () => {
  test('200 deliveries: answered 202 before they are processed, each id processed once, none lost over a restart, the sync completes meanwhile', async () => {
    const { database, dispose } = await target.open();
    try {
      const result = await runWebhookBurst({
        database,
        deliveries: 200,
        identicalConcurrent: 20,
        objects: 120,
        sendOverMs: 0,
        virtualSpreadMs: 60_000,
        concurrency: 10,
        haloLatencyMs: 40,
      });
      console.log(`webhook burst (${target.name}): ${JSON.stringify(result)}`);

      expect(result.sent).toBe(200);
      expect(result.statuses).toEqual({ 202: 200 });
      // 20 identical deliveries at once: stored once, the rest told they are duplicates.
      expect(result.identical).toEqual({ accepted: 1, duplicate: 19 });
      expect(result.distinctIds).toBe(181);
      expect(result.stored).toBe(181);

      // The first process was stopped right after the last answer, with work done and work left:
      // the answers did not wait for the processing.
      expect(result.processedBeforeRestart).toBeGreaterThan(0);
      expect(result.leftAtRestart).toBeGreaterThan(0);
      // The second found the rest, ran the scheduled sync while it was still there, and finished.
      expect(result.syncDuringBacklog.backlogAtStart).toBeGreaterThan(0);
      expect(result.syncDuringBacklog).toMatchObject({ completed: true, error: null });
      expect(result.lost).toBe(0);
      expect(result.processedTwice).toBe(0);
      // Repeated objects collapse: fewer HaloPSA re-reads and catch-ups than deliveries.
      expect(result.rereads + result.catchUps).toBeLessThan(result.stored);
      expect(result.virtualMsToAllProcessed).toBeLessThanOrEqual(10 * 60_000);
      // The budget held HaloPSA's 300 per 5 minutes before the restart and after it (the second
      // process read what the first had spent): the simulator refused nothing.
      expect(result.haloRequests).toBeGreaterThan(0);
      expect(result.haloRateLimitedBeforeRestart).toBe(0);
      expect(result.haloRateLimited - result.haloRateLimitedBeforeRestart).toBe(0);
    } finally {
      await dispose();
    }
  }, 120_000);

  test('a burst and a restart with the budget spent: HaloPSA refuses nothing before or after the restart', async () => {
    const { database, dispose } = await target.open();
    try {
      const result = await runWebhookBurst({
        database,
        deliveries: 200,
        identicalConcurrent: 20,
        objects: 120,
        sendOverMs: 0,
        virtualSpreadMs: 60_000,
        concurrency: 10,
        haloLatencyMs: 40,
        // HaloPSA allows 140 per 5 minutes here, and the start-up sync's requests are still in
        // its window when the burst and the restart come.
        haloRequestLimit: 140,
        quietBeforeBurstMs: 0,
      });
      console.log(`webhook burst, budget spent (${target.name}): ${JSON.stringify(result)}`);

      // More requests than one window allows: the budget had to wait, across the restart.
      expect(result.haloRequests).toBeGreaterThan(140);
      expect(result.leftAtRestart).toBeGreaterThan(0);
      expect(result.haloRateLimitedBeforeRestart).toBe(0);
      expect(result.haloRateLimited - result.haloRateLimitedBeforeRestart).toBe(0);
      expect(result.lost).toBe(0);
      expect(result.processedTwice).toBe(0);
      expect(result.syncDuringBacklog).toMatchObject({ completed: true, error: null });
      // The second process started from what the first had spent: its sync waited for the window.
      expect(result.syncDuringBacklog.virtualMs).toBeGreaterThan(0);
    } finally {
      await dispose();
    }
  }, 120_000);
});
