import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from 'pg';
import { UnsignedCredentialsFactory } from '../../bot/bot-auth';
import { CardActivityRenderer } from '../../bot/card-activity-renderer';
import { HttpBotConnector } from '../../bot/http-bot-connector';
import { TabLinks } from '../../bot/tab-links';
import { OutboxRepository } from '../../src/notifications/outbox';
import { OutboxDispatcher } from '../../src/notifications/outbox-dispatcher';
import type { Db } from '../../src/store/db';
import { openPglite } from '../../src/store/pglite-db';
import { openPostgres } from '../../src/store/pg-db';
import { ConnectorDouble } from '../support/connector-double';
import { FakeClock } from './fakes';

const TENANT = 'tenant-kill';
const root = path.resolve(__dirname, '../..');

type Target = {
  name: string;
  make: () => Promise<{ arg: string; open: () => Promise<Db>; dispose: () => Promise<void> }>;
};
const targets: Target[] = [
  {
    name: 'pglite on disk',
    make: async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'ct-outbox-kill-'));
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
    make: async () => {
      const schema = `okill_${randomBytes(5).toString('hex')}`;
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

describe.each(targets)('the outbox when its process is killed ($name)', (target) => {
  test('killed between "decided" and "posted", the card is posted exactly once after restart', async () => {
    const connector = await new ConnectorDouble().start();
    const location = await target.make();
    try {
      const child = spawn(
        process.execPath,
        [
          path.join(root, 'node_modules/tsx/dist/cli.mjs'),
          path.join(root, 'tests/support/outbox-worker.ts'),
          location.arg,
          connector.url,
        ],
        {
          cwd: root,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout! }).once('line', resolve);
        child.once('exit', (code) => reject(new Error(`worker exited ${code}: ${stderr}`)));
      });
      expect(line).toBe('claimed');
      const exited = new Promise<string | null>((resolve) =>
        child.once('exit', (_code, signal) => resolve(signal)),
      );
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      expect(connector.requests).toHaveLength(0);

      // The restarted process: a new instance that finds the dead one's claim and lease expired.
      const db = await location.open();
      try {
        expect((await new OutboxRepository(TENANT).list(db))[0]?.status).toBe('sending');
        const clock = new FakeClock();
        clock.advance(10 * 60_000);
        const restarted = new OutboxDispatcher({
          db,
          tenantId: TENANT,
          instanceId: 'after-restart',
          connector: new HttpBotConnector({
            appId: null,
            credentialsFactory: new UnsignedCredentialsFactory(null),
            now: () => clock.now(),
          }),
          renderer: new CardActivityRenderer(
            new TabLinks({
              teamsAppId: null,
              entityId: 'portfolio',
              webBaseUrl: 'http://localhost:3978',
            }),
          ),
          logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
          clock,
          sleep: clock.sleep,
        });
        await restarted.drain();
        await restarted.drain();
        expect(connector.delivered()).toHaveLength(1);
        expect((await new OutboxRepository(TENANT).list(db))[0]?.status).toBe('sent');
      } finally {
        await db.close();
      }
    } finally {
      await connector.stop();
      await location.dispose();
    }
  });
});
