import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { classifyTicket } from '../../src/halo/halo-resources';
import { generateDataset } from '../../src/halo/simulator/generator';
import { startSimulator, type HaloSimulator } from '../../src/halo/simulator/server';
import { contentHash } from '../../src/store/canonical-json';
import type { Db } from '../../src/store/db';
import { openPglite } from '../../src/store/pglite-db';
import { openPostgres } from '../../src/store/pg-db';

const root = path.resolve(__dirname, '../..');
const tsx = path.join(root, 'node_modules/tsx/dist/cli.mjs');
const worker = path.join(root, 'tests/support/sync-worker.ts');

/** Runs the worker; resolves with its first stdout line and the child, to kill or await. */
function runWorker(args: string[]) {
  const child = spawn(process.execPath, [tsx, worker, ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const firstLine = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`worker exited ${code}: ${stderr}`)));
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ? 137 : code)),
  );
  return { child, firstLine, exited };
}

type Target = {
  name: string;
  location: () => Promise<{ arg: string; open: () => Promise<Db>; dispose: () => Promise<void> }>;
};

const targets: Target[] = [
  {
    name: 'pglite on disk',
    location: async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'ct-kill-'));
      return {
        arg: dir,
        open: () => openPglite(dir),
        dispose: () => rm(dir, { recursive: true, force: true }),
      };
    },
  },
];
const pgUrl = process.env.TEST_DATABASE_URL;
if (pgUrl) {
  targets.push({
    name: 'postgres',
    location: async () => {
      const schema = `kill_${randomBytes(5).toString('hex')}`;
      const admin = new Client({ connectionString: pgUrl });
      await admin.connect();
      await admin.query(`CREATE SCHEMA ${schema}`);
      const url = new URL(pgUrl);
      url.searchParams.set('options', `-c search_path=${schema}`);
      return {
        arg: url.toString(),
        open: async () => openPostgres(url.toString(), 2),
        dispose: async () => {
          await admin.query(`DROP SCHEMA ${schema} CASCADE`);
          await admin.end();
        },
      };
    },
  });
}

describe.each(targets)('a sync process killed mid-way ($name)', (target) => {
  let sim: HaloSimulator;
  beforeAll(async () => {
    sim = await startSimulator({
      dataset: generateDataset({ profile: 'demo', seed: 5, asOf: '2026-11-23' }),
      port: 0,
    });
  });
  afterAll(async () => {
    await sim.close();
  });

  test('resumes from its checkpoint to the same final state', async () => {
    const location = await target.location();
    try {
      const first = runWorker([sim.url, location.arg, 'tickets', '5']);
      expect(await first.firstLine).toBe('paused tickets 5');
      first.child.kill('SIGKILL');
      expect(await first.exited).toBe(137);

      sim.resetRequestLog();
      const second = runWorker([sim.url, location.arg]);
      expect(JSON.parse(await second.firstLine)).toEqual({ done: true, resumed: true });
      expect(await second.exited).toBe(0);
      // Tickets pages 1-4 were committed before the kill and not read again.
      const ticketPages = sim.requests
        .filter((r) => /\/api\/tickets$/i.test(r.path))
        .map((r) => Number(r.query.page_no));
      expect(Math.min(...ticketPages)).toBe(5);

      const db = await location.open();
      try {
        const projectIds = new Set(sim.records('projects').map((p) => Number(p.id)));
        const expectedTickets = sim.records('tickets').map((t) => ({
          id: Number(t.id),
          hash: contentHash(t),
          kind: classifyTicket(t, projectIds),
        }));
        const stored = await db.query<{ id: number; hash: string }>(
          `SELECT id, hash FROM halo_tasks WHERE tenant_id = 'acme' UNION ALL SELECT id, hash FROM halo_tickets WHERE tenant_id = 'acme' ORDER BY id`,
        );
        expect(stored.map((r) => ({ id: Number(r.id), hash: r.hash }))).toEqual(
          expectedTickets.map(({ id, hash }) => ({ id, hash })).sort((a, b) => a.id - b.id),
        );
        const events = await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM halo_timesheet_events WHERE tenant_id = 'acme'`,
        );
        expect(events[0]!.n).toBe(sim.records('timesheetEvents').length);
      } finally {
        await db.close();
      }
    } finally {
      await location.dispose();
    }
  });
});
