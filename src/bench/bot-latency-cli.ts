/**
 * The bench's bot-latency phase in a process of its own (the demo app embeds PGlite and the
 * simulator, whose memory is not the large-dataset benchmark's): prints one JSON line.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { Client } from 'pg';
import { loadConfig } from '../config';
import { startApp } from '../main';
import { measureBotLatency } from './bot-latency';

/** A fresh PostgreSQL schema like production's database, or null when none is reachable. */
async function postgresSchema(): Promise<{ url: string; drop: () => Promise<void> } | null> {
  const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const admin = new Client({ connectionString: url });
  try {
    await admin.connect();
  } catch {
    return null;
  }
  const schema = `bench_bot_${randomBytes(4).toString('hex')}`;
  await admin.query(`CREATE SCHEMA ${schema}`);
  const scoped = new URL(url);
  scoped.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: scoped.toString(),
    drop: async () => {
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    },
  };
}

async function main(): Promise<void> {
  const postgres = await postgresSchema();
  const app = await startApp(loadConfig({ PORT: '0', HALO_SIM_PORT: '0', LOG_LEVEL: 'error' }), {
    database: postgres ? { url: postgres.url } : { memory: true },
    schedule: false,
    logDestination: new Writable({ write: (_chunk, _encoding, done) => done() }),
  });
  try {
    const projectIds = (
      await app.db.query<{ project_id: number }>('SELECT DISTINCT project_id FROM health_snapshots')
    ).map((r) => Number(r.project_id));
    const escalationIds = (
      await app.db.query<{ id: string }>(
        `SELECT id FROM escalations WHERE status IN ('open', 'acknowledged', 'snoozed')`,
      )
    ).map((r) => r.id);
    const latency = await measureBotLatency({ botUrl: app.url, projectIds, escalationIds });
    const peakRssMb = process.resourceUsage().maxRSS / 1024;
    process.stdout.write(
      `${JSON.stringify({ ...latency, database: postgres ? 'postgres' : 'pglite', projects: projectIds.length, escalations: escalationIds.length, peakRssMb })}\n`,
    );
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bot latency failed: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
