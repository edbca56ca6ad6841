/**
 * The bench's bot-latency phase in a process of its own (the demo app embeds PGlite and the
 * simulator, whose memory is not the large-dataset benchmark's): prints one JSON line.
 */
import { Writable } from 'node:stream';
import { loadConfig } from '../config';
import { startApp } from '../main';
import { postgresSchema } from './bench-schema';
import { measureBotLatency } from './bot-latency';

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
