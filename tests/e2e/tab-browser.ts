/**
 * Helpers for the tab's browser tests: the demo app on PGlite or a fresh PostgreSQL schema, and
 * headless Chromium that can reach only the app on loopback (teams-js asks a CDN for a file).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Client } from 'pg';
import { chromium, type BrowserContext } from 'playwright-core';
import { loadConfig } from '../../src/config';
import { startApp, type RunningApp } from '../../src/main';
import type { DatabaseTarget } from '../../src/store/open-db';
import { buildTab, type TabBuild } from '../../tab/build';

/** Debian's Chromium (`.ci/run` installs it). */
export const CHROMIUM = '/usr/bin/chromium';
/** Screenshots land here (gitignored). */
export const ARTEFACTS = path.resolve(__dirname, '../artefacts');
/** The fixed "today" of the demo dataset and the app's clock in these tests. */
export const DEMO_AS_OF = '2026-11-23';
/** Days of daily evaluations before the tests look at the tab (the health trend's length). */
export const TREND_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

/** True when Chromium is installed; CI fails loudly instead of skipping. */
export function chromiumAvailable(suite: string): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI) throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium`);
  console.warn(`${CHROMIUM} is not installed: skipping ${suite} (apt-get install -y chromium).`);
  return false;
}

let tabBuild: Promise<TabBuild> | null = null;
/**
 * The tab's production build, made once per test file: a build takes seconds, and each database's
 * run of a file serves the same one (the output is the same for the same sources).
 */
export function buildTabOnce(): Promise<TabBuild> {
  tabBuild ??= buildTab();
  return tabBuild;
}

/** The databases the suite runs on: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. */
export function tabTestDatabases(): { name: 'pglite' | 'postgres'; url: string | null }[] {
  const url = process.env.TEST_DATABASE_URL;
  return [{ name: 'pglite', url: null }, ...(url ? [{ name: 'postgres' as const, url }] : [])];
}

/** The demo app on a free port with a fixed clock, and a way to dispose of it and its database. */
export async function startDemoApp(
  databaseUrl: string | null,
): Promise<{ app: RunningApp; dispose: () => Promise<void> }> {
  let target: DatabaseTarget = { memory: true };
  let dropSchema = async () => undefined;
  if (databaseUrl) {
    const schema = `tab_${randomBytes(6).toString('hex')}`;
    const admin = new Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    const scoped = new URL(databaseUrl);
    scoped.searchParams.set('options', `-c search_path=${schema}`);
    target = { url: scoped.toString() };
    dropSchema = async () => {
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    };
  }
  // The clock starts TREND_DAYS before "today" and a sync plus the daily evaluations run once per day up to
  // it, so projects and contracts have real trends made of daily snapshots, as in production.
  const today = Date.parse(`${DEMO_AS_OF}T10:00:00Z`);
  let now = new Date(today - (TREND_DAYS - 1) * DAY_MS);
  const app = await startApp(loadConfig({ PORT: '0', HALO_SIM_PORT: '0', LOG_LEVEL: 'warn' }), {
    database: target,
    schedule: false,
    clock: { now: () => now },
    logDestination: new Writable({ write: (_chunk, _encoding, done) => done() }),
    demo: { seed: 11, asOf: DEMO_AS_OF },
  });
  while (now.getTime() < today) {
    now = new Date(now.getTime() + DAY_MS);
    await app.sync.run('incremental');
    await app.evaluation.run();
    await app.renewals.evaluate();
  }
  return {
    app,
    dispose: async () => {
      await app.close();
      await dropSchema();
    },
  };
}

/** Headless Chromium whose requests may only reach 127.0.0.1 / localhost; others are aborted and counted. */
export async function launchLoopbackBrowser(): Promise<{
  context: BrowserContext;
  blocked: string[];
  close: () => Promise<void>;
}> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ct-tab-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const blocked: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'data:' || url.protocol === 'blob:') return route.continue();
    if (url.hostname === '127.0.0.1' || url.hostname === 'localhost') return route.continue();
    blocked.push(url.href);
    return route.abort('blockedbyclient');
  });
  return {
    context,
    blocked,
    close: async () => {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
