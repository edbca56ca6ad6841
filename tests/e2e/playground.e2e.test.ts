import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
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

/**
 * Waits for the bot's welcome, its answer to the Playground opening the conversation: until then a
 * typed message races the conversation's start (on a loaded CI machine one went unanswered).
 */
async function welcomed(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      Array.from(document.querySelectorAll<HTMLElement>('.ac-adaptiveCard')).some((card) =>
        card.innerText.includes('Control Tower'),
      ),
    undefined,
    { timeout: 60_000 },
  );
}

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
    await welcomed(page);
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

/** The Playground started the way a newcomer starts it: `npm run playground -- --as <persona>`. */
interface PersonaPlayground {
  page: Page;
  close(): Promise<void>;
}

/**
 * Runs `src/demo/playground-cli.ts --as <persona>` (what `npm run playground -- --as` runs) in a
 * fresh directory, waits for the Playground to listen and opens it in Chromium.
 */
async function playgroundAs(persona: string, endpoint: string): Promise<PersonaPlayground> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ct-playground-'));
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      require.resolve('tsx/cli'),
      path.resolve(__dirname, '../../src/demo/playground-cli.ts'),
      '--as',
      persona,
      '--port',
      String(port),
      '--endpoint',
      endpoint,
    ],
    // As `npm run playground` runs it: no browser of its own (Chromium is driven below).
    {
      cwd: dir,
      env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const stopChild = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  let output = '';
  let context: BrowserContext | null = null;
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        // The Playground's own line, not the CLI's hint that quotes it.
        if (new RegExp(`^Listening on ${port}$`, 'm').test(output)) resolve();
      });
      child.once('exit', (code) =>
        reject(new Error(`playground --as ${persona} exited with ${code}: ${output}`)),
      );
    });
    expect(readFileSync(path.join(dir, '.m365agentsplayground.yml'), 'utf8')).toContain(
      'currentUser:',
    );
    context = await chromium.launchPersistentContext(
      mkdtempSync(path.join(os.tmpdir(), 'ct-pw-')),
      {
        executablePath: CHROMIUM,
        headless: true,
        viewport: { width: 1280, height: 1400 },
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
      },
    );
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`http://localhost:${port}`, { waitUntil: 'networkidle' });
    await welcomed(page);
    const opened = context;
    return {
      page,
      close: async () => {
        await opened.close();
        await stopChild();
      },
    };
  } catch (error) {
    await context?.close();
    await stopChild();
    throw error;
  }
}

/** Waits until some card on the page shows `text`; returns that card's text. */
async function cardShowing(page: Page, text: string): Promise<string> {
  const found = await page.waitForFunction(
    (expected) =>
      Array.from(document.querySelectorAll<HTMLElement>('.ac-adaptiveCard'))
        .map((card) => card.innerText)
        .reverse()
        .find((cardText) => cardText.includes(expected)) ?? null,
    text,
    { timeout: 20_000 },
  );
  return (await found.jsonValue()) as string;
}

(available ? describe : describe.skip)(
  'the gate walkthrough in the Agents Playground, persona by persona (npm run playground -- --as)',
  () => {
    let app: RunningApp;

    beforeAll(async () => {
      mkdirSync(ARTEFACTS, { recursive: true });
      app = await startApp(loadConfig({ PORT: '0', HALO_SIM_PORT: '0', LOG_LEVEL: 'warn' }), {
        database: { memory: true },
        schedule: false,
        logDestination: new Writable({ write: (_c, _e, done) => done() }),
      });
    }, 180_000);
    afterAll(async () => {
      await app?.close();
    });

    test('Megan requests a gate with /gate and the form; Adele approves it from /gates', async () => {
      const [target] = await app.db.query<{
        project_id: number;
        milestone_id: number;
        milestone: string;
        summary: string;
      }>(
        `SELECT p.id AS project_id, m.id AS milestone_id, m.name AS milestone, p.summary
           FROM halo_projects p
           JOIN halo_agents a ON a.tenant_id = p.tenant_id AND a.id = p.agent_id
           JOIN role_assignments r ON r.tenant_id = p.tenant_id AND lower(r.email) = lower(a.email)
           JOIN halo_milestones m ON m.tenant_id = p.tenant_id AND m.project_id = p.id
          WHERE p.tenant_id = 'demo' AND r.aad_object_id = '00000000-0000-0000-0000-0000000000021'
            AND p.date_closed IS NULL AND m.name LIKE 'Gate:%' AND NOT coalesce(m.complete, false)
          ORDER BY p.id, m.sequence LIMIT 1`,
      );
      expect(target).toBeDefined();
      const endpoint = `${app.url}/api/messages`;

      const megan = await playgroundAs('megan', endpoint);
      try {
        const form = await say(megan.page, `/gate ${target!.project_id}`, 'Request a gate');
        expect(form).toContain(target!.summary);
        const card = megan.page
          .locator('.ac-adaptiveCard')
          .filter({ hasText: 'Request a gate' })
          .last();
        // The Playground renders cards with Fluent UI: a compact choice set is a combobox.
        await card.getByRole('combobox').click();
        await megan.page.getByRole('option', { name: target!.milestone }).first().click();
        await card
          .getByLabel(/Deliverables/)
          .fill('Design document | https://contoso.sharepoint.com/design.docx');
        await card.getByLabel('Pass', { exact: true }).check();
        await card.getByLabel('QA notes').fill('Peer review done');
        await card.getByLabel(/Customer acceptance notes/).fill('Signed off on the design call');
        await card.getByLabel('There are no open risks').check();
        await card.getByRole('button', { name: 'Submit the evidence pack' }).click();
        const requested = await cardShowing(megan.page, 'Requested: pack version');
        await megan.page.screenshot({ path: path.join(ARTEFACTS, 'playground-gate-megan.png') });
        // Megan sees her request read-only: no decision buttons on her own gate.
        expect(requested).toContain(target!.summary);
        const hers = megan.page
          .locator('.ac-adaptiveCard')
          .filter({ hasText: 'Requested: pack version' })
          .last();
        await expect(
          hers.getByRole('button', { name: 'Approve', exact: true }).count(),
        ).resolves.toBe(0);
      } finally {
        await megan.close();
      }

      const adele = await playgroundAs('adele', endpoint);
      try {
        const list = await say(adele.page, '/gates', target!.summary);
        expect(list).toContain(target!.summary);
        await adele.page
          .locator('.ac-adaptiveCard')
          .filter({ hasText: 'Open' })
          .last()
          .getByText(target!.summary)
          .first()
          .click();
        await cardShowing(adele.page, 'Request changes');
        await adele.page.getByRole('button', { name: 'Approve', exact: true }).last().click();
        const approved = await cardShowing(adele.page, 'Approved by Adele Vance');
        await adele.page.screenshot({ path: path.join(ARTEFACTS, 'playground-gate-adele.png') });
        expect(approved).toMatch(/Approved by Adele Vance at .* UTC/);
      } finally {
        await adele.close();
      }
      const [gate] = await app.db.query<{ status: string }>(
        "SELECT status FROM gates WHERE tenant_id = 'demo' AND project_id = $1 AND milestone_id = $2",
        [target!.project_id, target!.milestone_id],
      );
      expect(gate?.status).toBe('approved');
    }, 180_000);

    test('Adele, a PMO lead, gets the pending-gate message in her personal chat when Megan requests a gate', async () => {
      const [target] = await app.db.query<{
        project_id: number;
        milestone: string;
        summary: string;
      }>(
        `SELECT p.id AS project_id, m.name AS milestone, p.summary
           FROM halo_projects p
           JOIN halo_agents a ON a.tenant_id = p.tenant_id AND a.id = p.agent_id
           JOIN role_assignments r ON r.tenant_id = p.tenant_id AND lower(r.email) = lower(a.email)
           JOIN halo_milestones m ON m.tenant_id = p.tenant_id AND m.project_id = p.id
          WHERE p.tenant_id = 'demo' AND r.aad_object_id = '00000000-0000-0000-0000-0000000000021'
            AND p.date_closed IS NULL AND m.name LIKE 'Gate:%' AND NOT coalesce(m.complete, false)
            AND NOT EXISTS (SELECT 1 FROM gates g WHERE g.tenant_id = p.tenant_id AND g.project_id = p.id)
          ORDER BY p.id DESC, m.sequence LIMIT 1`,
      );
      expect(target).toBeDefined();
      const endpoint = `${app.url}/api/messages`;

      // Adele says hi once: the bot keeps her personal chat (demo mode cannot install the app for her).
      const adele = await playgroundAs('adele', endpoint);
      try {
        await say(adele.page, '/help', 'Control Tower');
        const megan = await playgroundAs('megan', endpoint);
        try {
          await say(megan.page, `/gate ${target!.project_id}`, 'Request a gate');
          const form = megan.page
            .locator('.ac-adaptiveCard')
            .filter({ hasText: 'Request a gate' })
            .last();
          await form.getByRole('combobox').click();
          await megan.page.getByRole('option', { name: target!.milestone }).first().click();
          await form
            .getByLabel(/Deliverables/)
            .fill('Runbook | https://contoso.sharepoint.com/runbook.docx');
          await form.getByLabel('Pass', { exact: true }).check();
          await form.getByLabel('QA notes').fill('Dry run done');
          await form.getByLabel(/Customer acceptance notes/).fill('Accepted by email');
          await form.getByLabel('There are no open risks').check();
          await form.getByRole('button', { name: 'Submit the evidence pack' }).click();
          await cardShowing(megan.page, 'Requested: pack version');
        } finally {
          await megan.close();
        }

        // Nobody routed a gates channel: the approver hears of it personally, in her 1:1 chat.
        const personal = await cardShowing(adele.page, target!.summary);
        await adele.page.screenshot({ path: path.join(ARTEFACTS, 'playground-gate-personal.png') });
        expect(personal).toContain(target!.milestone.replace(/^Gate:\s*/, ''));
        expect(personal).toMatch(/Requested by\s+Megan Bowen/);
        // The Playground shows the card's shared view (it has no user-specific views, so the
        // decision buttons of `refresh.userIds` show in Teams only); the tab link is on it.
        expect(personal).toContain('Open the evidence pack');
      } finally {
        await adele.close();
      }
      const rows = await app.db.query<{ kind: string; status: string }>(
        `SELECT kind, status FROM outbox WHERE tenant_id = 'demo'
            AND recipient = '00000000-0000-0000-0000-0000000000022' AND dedupe_key LIKE $1
          ORDER BY id`,
        [`gate:g-${target!.project_id}-%`],
      );
      expect(rows).toEqual([
        { kind: 'gate', status: 'sent' },
        { kind: 'activity-feed', status: 'sent' },
      ]);
    }, 240_000);

    test('Isaiah logs a checkpoint that disagrees and requests 8 % from the stage card; Patti approves it', async () => {
      // One of Isaiah's contracts in an open stage, with a known band and room for 8 % at the cs-lead tier.
      const [target] = await app.db.query<{
        contract_id: number | string;
        band: 'ready' | 'watch' | 'at-risk';
      }>(
        `SELECT s.contract_id, n.band
           FROM renewal_stage_tasks s
           JOIN halo_contracts c ON c.tenant_id = s.tenant_id AND c.id = s.contract_id
           JOIN halo_clients cl ON cl.tenant_id = c.tenant_id AND cl.id = c.client_id
           JOIN halo_agents a ON a.tenant_id = cl.tenant_id AND a.id = cl.account_manager_id
           JOIN role_assignments r ON r.tenant_id = s.tenant_id AND lower(r.email) = lower(a.email)
           JOIN LATERAL (SELECT band FROM renewal_snapshots x WHERE x.tenant_id = s.tenant_id
                          AND x.contract_id = s.contract_id ORDER BY snapshot_date DESC LIMIT 1) n ON true
          WHERE s.tenant_id = 'demo' AND r.aad_object_id = '00000000-0000-0000-0000-0000000000023'
            AND s.status = 'open' AND n.band <> 'unknown' AND c.period_charge > 0
            AND (c.cost_per_period IS NULL OR c.cost_per_period <= c.period_charge * 0.92 * 0.8)
            AND s.stage = (SELECT min(t.stage) FROM renewal_stage_tasks t
                            WHERE t.tenant_id = s.tenant_id AND t.contract_id = s.contract_id)
            AND NOT EXISTS (SELECT 1 FROM concession_requests q WHERE q.tenant_id = s.tenant_id
                             AND q.contract_id = s.contract_id AND q.status = 'pending')
          ORDER BY s.contract_id LIMIT 1`,
      );
      expect(target).toBeDefined();
      const contractId = Number(target!.contract_id);
      const call = { ready: 'Churn', watch: 'Churn', 'at-risk': 'Renew' }[target!.band];
      const endpoint = `${app.url}/api/messages`;

      const isaiah = await playgroundAs('isaiah', endpoint);
      try {
        const { page } = isaiah;
        await say(page, `/renewal ${contractId}`, 'Log checkpoint');
        await page.getByRole('button', { name: 'Log checkpoint', exact: true }).last().click();
        const form = page
          .locator('.ac-adaptiveCard')
          .filter({ hasText: 'Log the checkpoint:' })
          .last();
        await form
          .getByLabel(/Meeting notes/)
          .fill('QBR with the IT director: competitor quote on the table.');
        await form.getByLabel(call, { exact: true }).check();
        await form.getByRole('button', { name: 'Log the checkpoint', exact: true }).click();
        const logged = await cardShowing(page, 'which disagrees with the readiness score');
        expect(logged).toContain('sent to the cs lead for review');
        await page.screenshot({ path: path.join(ARTEFACTS, 'playground-renewal-checkpoint.png') });

        await page.getByRole('button', { name: 'Request concession', exact: true }).last().click();
        const concession = page
          .locator('.ac-adaptiveCard')
          .filter({ hasText: 'Request a concession:' })
          .last();
        expect(await concession.innerText()).toMatch(
          /8 %\s+[\d,.]+\/month · margin .* · cs lead approves/,
        );
        await concession.getByLabel(/Discount/).fill('8');
        await concession
          .getByLabel(/Reason/)
          .fill('Competitor quote 12 % lower; we keep the term.');
        await concession
          .getByRole('button', { name: 'Request the concession', exact: true })
          .click();
        await cardShowing(page, 'Requested: 8 % is with the cs lead');
      } finally {
        await isaiah.close();
      }

      const patti = await playgroundAs('patti', endpoint);
      try {
        const { page } = patti;
        await say(page, `/renewal ${contractId}`, 'Concession 8 % waiting for the cs lead');
        await page.getByRole('button', { name: 'Open the concession', exact: true }).last().click();
        await cardShowing(page, 'CONCESSION · PENDING');
        await page.getByRole('button', { name: 'Approve', exact: true }).last().click();
        const approved = await cardShowing(page, 'Approved by Patti Fernandez');
        await page.screenshot({ path: path.join(ARTEFACTS, 'playground-renewal-concession.png') });
        expect(approved).toContain('CONCESSION · APPROVED');
      } finally {
        await patti.close();
      }
      const [row] = await app.db.query<{ status: string; discount_pct: number }>(
        "SELECT status, discount_pct FROM concession_requests WHERE tenant_id = 'demo' AND contract_id = $1",
        [contractId],
      );
      expect(row).toMatchObject({ status: 'approved' });
      const [checkpoint] = await app.db.query<{ disagrees: boolean }>(
        "SELECT disagrees FROM renewal_checkpoints WHERE tenant_id = 'demo' AND contract_id = $1",
        [contractId],
      );
      expect(checkpoint?.disagrees).toBe(true);
    }, 180_000);
  },
);
