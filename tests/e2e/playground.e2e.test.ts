import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { loadConfig } from '../../src/config';
import { startApp, type RunningApp } from '../../src/main';

const CHROMIUM = '/usr/bin/chromium';
const ARTEFACTS = path.resolve(__dirname, '../artefacts');
const available = existsSync(CHROMIUM);
if (!available) {
  if (process.env.CI) throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium`);
  console.warn(
    `${CHROMIUM} is not installed: skipping the Agents Playground test (apt-get install -y chromium).`,
  );
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Types a message into the Playground's compose box and waits for the bot's next card. */
/**
 * Types `text` and returns the first card after it that contains `marker`. Waiting for the expected
 * card, not just any new one: the Playground's welcome card (the bot's answer to the conversation
 * starting) can land after the page settles, and would otherwise pass for the reply.
 */
async function say(page: Page, text: string, marker: string): Promise<string> {
  const before = await page.locator('.ac-adaptiveCard').count();
  await page.getByRole('textbox').click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
  const reply = await page.waitForFunction(
    ([n, expected]) =>
      Array.from(document.querySelectorAll<HTMLElement>('.ac-adaptiveCard'))
        .slice(n)
        .map((card) => card.innerText)
        .find((cardText) => cardText.includes(expected)) ?? null,
    [before, marker] as const,
    { timeout: 20_000 },
  );
  return (await reply.jsonValue()) as string;
}

(available ? describe : describe.skip)('a newcomer in the Microsoft 365 Agents Playground', () => {
  let app: RunningApp;
  let playground: ChildProcess;
  let browser: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(ARTEFACTS, { recursive: true });
    app = await startApp(loadConfig({ PORT: '0', HALO_SIM_PORT: '0', LOG_LEVEL: 'warn' }), {
      database: { memory: true },
      schedule: false,
      logDestination: new Writable({ write: (_c, _e, done) => done() }),
    });
    const port = await freePort();
    playground = spawn(
      process.execPath,
      [
        require.resolve('@microsoft/m365agentsplayground/cli.js'),
        '-e',
        `${app.url}/api/messages`,
        '-c',
        'msteams',
        '--dt',
        '-p',
        String(port),
      ],
      {
        env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    await new Promise<void>((resolve, reject) => {
      playground.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes(`Listening on ${port}`)) resolve();
      });
      playground.once('exit', (code) => reject(new Error(`playground exited with ${code}`)));
    });
    browser = await chromium.launchPersistentContext(
      mkdtempSync(path.join(os.tmpdir(), 'ct-pw-')),
      {
        executablePath: CHROMIUM,
        headless: true,
        viewport: { width: 1280, height: 1000 },
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      },
    );
    page = browser.pages()[0] ?? (await browser.newPage());
    await page.goto(`http://localhost:${port}`, { waitUntil: 'networkidle' });
    // Starting the app, the Playground and Chromium: the limit only guards against a hang.
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    playground?.kill('SIGTERM');
    await app?.close();
  });

  test('types /health and sees the portfolio card', async () => {
    const card = await say(page, '/health', 'Portfolio health');
    await page.screenshot({ path: path.join(ARTEFACTS, 'playground-health.png') });
    expect(card).toContain('Portfolio health');
    expect(card).toMatch(/Red/);
  });

  test("types /health <project> and sees that project's health card with its drivers", async () => {
    const [project] = await app.db.query<{ id: number; summary: string }>(
      `SELECT p.id, p.summary FROM health_snapshots s JOIN halo_projects p ON p.tenant_id = s.tenant_id AND p.id = s.project_id
        WHERE s.tenant_id = 'demo' AND s.rag = 'red' ORDER BY s.score, p.id LIMIT 1`,
    );
    const card = await say(page, `/health ${project!.id}`, project!.summary);
    await page.screenshot({ path: path.join(ARTEFACTS, 'playground-project-health.png') });
    expect(card).toContain(project!.summary);
    expect(card).toMatch(/amber ≥/);
  });

  test('types /gate <project> and sees the evidence pack form with its gate milestones', async () => {
    const [gate] = await app.db.query<{ id: number; summary: string; milestone: string }>(
      `SELECT p.id, p.summary, m.name AS milestone FROM halo_projects p
         JOIN halo_milestones m ON m.tenant_id = p.tenant_id AND m.project_id = p.id
        WHERE p.tenant_id = 'demo' AND p.date_closed IS NULL AND m.name LIKE 'Gate:%'
        ORDER BY p.id, m.sequence LIMIT 1`,
    );
    const card = await say(page, `/gate ${gate!.id}`, 'Request a gate');
    await page.screenshot({ path: path.join(ARTEFACTS, 'playground-gate-form.png') });
    expect(card).toContain(`Request a gate: ${gate!.summary}`);
    expect(card).toContain('Submit the evidence pack');
  });
});
