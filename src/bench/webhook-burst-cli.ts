/**
 * The bench's webhook-burst phase in a process of its own (the demo app and its simulator are not
 * the large-dataset benchmark's memory): runs `webhook-burst.ts` and prints its result as one JSON
 * line. `--deliveries N` (default 2000) and `--send-over-seconds S` (default 60) set the scale.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { postgresSchema } from './bench-schema';
import { runWebhookBurst } from './webhook-burst';

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} takes a number`);
  return value;
}

async function main(): Promise<void> {
  const deliveries = Math.max(40, Math.round(option('deliveries', 2000)));
  const sendOverMs = option('send-over-seconds', 60) * 1000;
  const postgres = await postgresSchema();
  const dir = postgres ? null : await mkdtemp(path.join(os.tmpdir(), 'ct-bench-burst-'));
  try {
    const result = await runWebhookBurst({
      database: postgres ? { url: postgres.url } : { dataDir: dir! },
      deliveries,
      identicalConcurrent: 20,
      // Most objects named several times, as a burst of edits on a few hundred tickets would.
      objects: Math.max(10, Math.round(deliveries * 0.3)),
      sendOverMs,
      virtualSpreadMs: 60_000,
      concurrency: 20,
      haloLatencyMs: 40,
      log,
    });
    process.stdout.write(
      `${JSON.stringify({ database: postgres ? 'postgres' : 'pglite', ...result, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
    );
  } finally {
    await postgres?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `webhook burst failed: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
