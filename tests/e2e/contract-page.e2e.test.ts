/**
 * The renewal loop from the tab, in headless Chromium against the demo app: the account manager
 * opens a contract from the Renewals list, logs a checkpoint whose call disagrees with the score
 * and requests an 8 % concession after previewing it; the cs lead approves it from Approvals; the
 * contract's timeline shows the checkpoint, the request and the decision. A PM reads the page of
 * their project's client read-only, without commercial terms, and the API refuses their actions.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import type { ContractDetailDto, DemoUsersDto, RenewalPipelineDto } from '../../src/api/dto';
import type { RunningApp } from '../../src/main';
import {
  ARTEFACTS,
  buildTabOnce,
  chromiumAvailable,
  DEMO_AS_OF,
  launchLoopbackBrowser,
  startDemoApp,
  tabTestDatabases,
} from './tab-browser';

const available = chromiumAvailable('the contract page browser tests');
const BROWSER_TEST_MS = 180_000;

describe.each(tabTestDatabases())(
  'the contract page in a browser ($name)',
  ({ name, url: dbUrl }) => {
    let app: RunningApp;
    let dispose: () => Promise<void>;
    let context: BrowserContext;
    let closeBrowser: () => Promise<void>;
    let page: Page;
    const as = { am: '', cs: '', pm: '' };
    let contractId: number;
    let disagreeingCall: 'renew' | 'churn';

    const api = async (who: string, method: string, pathname: string, body?: unknown) =>
      fetch(`${app.url}/api/v1${pathname}`, {
        method,
        headers: {
          'X-Demo-User': who,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const shot = (file: string) =>
      page.screenshot({
        path: path.join(ARTEFACTS, `contract-${name}-${file}.png`),
        fullPage: true,
      });
    const signInAs = async (email: string) => {
      await page.getByTestId('demo-user').selectOption(email);
    };

    beforeAll(async () => {
      mkdirSync(ARTEFACTS, { recursive: true });
      await buildTabOnce();
      ({ app, dispose } = await startDemoApp(dbUrl));
      const users = (await (await fetch(`${app.url}/api/v1/demo/users`)).json()) as DemoUsersDto;
      const pick = (persona: string) => users.items.find((u) => u.name === persona)!.signInEmail;
      as.am = pick('Isaiah Langer');
      as.cs = pick('Patti Fernandez');
      as.pm = pick('Megan Bowen');
      const pipeline = (await (
        await api(as.am, 'GET', '/renewals?days=90&pageSize=50')
      ).json()) as RenewalPipelineDto;
      // The first page of the list, so the row is on screen without paging.
      const target = pipeline.items.find((i) => i.stage !== 'none' && i.band !== 'unknown');
      if (!target) throw new Error('the demo gives the account manager no contract in a stage');
      contractId = target.contractId;
      disagreeingCall = target.band === 'at-risk' ? 'renew' : 'churn';
      if (!available) return;
      ({ context, close: closeBrowser } = await launchLoopbackBrowser());
      await context.addInitScript((email) => {
        window.localStorage.setItem('controlTower.demoUser', email);
      }, as.am);
      page = context.pages()[0] ?? (await context.newPage());
    }, 300_000);

    afterAll(async () => {
      await closeBrowser?.();
      await dispose?.();
    });

    (available ? test : test.skip)(
      'the account manager logs a disagreeing checkpoint and requests 8 %; the cs lead approves it from Approvals',
      async () => {
        await page.goto(`${app.url}/renewals`);
        await page.getByTestId('demo-banner').waitFor();
        const row = page.locator(
          `[data-testid=renewal-list] > li[data-contract-id="${contractId}"]`,
        );
        await row.getByRole('link').click();
        await page.waitForURL(`**/contracts/${contractId}`);
        const contract = page.getByTestId('contract-page');
        await contract.getByTestId('readiness-drivers').waitFor();
        await shot('am-before');

        const checkpoint = page.getByTestId('checkpoint-form');
        await checkpoint.getByLabel('Meeting date').fill(DEMO_AS_OF);
        await checkpoint.getByLabel('Meeting notes').fill('QBR with the IT director: budget cut');
        await checkpoint.getByLabel('Your call').selectOption(disagreeingCall);
        await checkpoint.getByRole('button', { name: 'Log checkpoint' }).click();
        await page
          .getByTestId('checkpoints')
          .getByText(/disagrees with .*: sent to the cs lead/)
          .waitFor();

        // The decision maker is one of the client's people in HaloPSA, chosen from the list.
        const offered = (
          (await (await api(as.am, 'GET', `/contracts/${contractId}`)).json()) as ContractDetailDto
        ).clientContacts;
        const decisionMaker = offered[0]!;
        const stakeholders = page.getByTestId('stakeholders');
        await stakeholders
          .getByLabel('Decision maker from HaloPSA')
          .selectOption(String(decisionMaker.contactId));
        await stakeholders.getByRole('button', { name: 'Save stakeholders' }).click();
        await page
          .getByTestId('renewal-timeline')
          .getByText(`decision maker: ${decisionMaker.name}`, { exact: false })
          .waitFor();

        const request = page.getByTestId('concession-form');
        await request.getByLabel('Discount (%)').fill('8');
        await request.getByLabel('Reason').fill('Three-year commitment against the budget cut');
        const submit = request.getByRole('button', { name: 'Submit request' });
        // Nothing is submitted before its consequences are shown.
        expect(await submit.isDisabled()).toBe(true);
        await request.getByRole('button', { name: 'Preview' }).click();
        const preview = request.getByTestId('concession-preview');
        await preview.waitFor();
        const shown = await preview.innerText();
        expect(shown).toMatch(/Margin after/);
        expect(shown).toMatch(/renewal probability \d+ % → \d+ %/);
        expect(shown).toMatch(/Precedent/);
        expect(shown).toMatch(/cs lead/);
        await shot('am-preview');
        await submit.click();
        const pending = page.locator('[data-testid=concession-list] > li[data-status=pending]');
        await pending.waitFor();
        expect(await pending.innerText()).toContain('8 % off');
        // The requester never sees decision buttons on their own request.
        expect(await pending.getByRole('button', { name: 'Approve' }).count()).toBe(0);

        await page.goto(`${app.url}/approvals`);
        await signInAs(as.cs);
        const waiting = page.locator('[data-testid=concession-approvals] > li').filter({
          hasText: 'Three-year commitment against the budget cut',
        });
        await waiting.waitFor();
        await shot('cs-approvals');
        await waiting.getByRole('button', { name: 'Approve' }).click();
        await page.getByText('No concession waits for your decision.').waitFor();

        await page.goto(`${app.url}/contracts/${contractId}`);
        const timeline = page.getByTestId('renewal-timeline');
        await timeline.locator('li[data-kind="concession.decided"]').waitFor();
        for (const kind of [
          'checkpoint.logged',
          'checkpoint.disagreement',
          'concession.requested',
          'concession.decided',
        ]) {
          expect(await timeline.locator(`li[data-kind="${kind}"]`).count()).toBeGreaterThan(0);
        }
        expect(await timeline.locator('li[data-kind="concession.decided"]').innerText()).toContain(
          'Patti Fernandez approved the 8 % concession',
        );
        await shot('timeline');
      },
      BROWSER_TEST_MS,
    );

    (available ? test : test.skip)(
      "a PM sees the contract page of their project's client read-only, without commercial terms; every action is refused with 403",
      async () => {
        const users = (await (await fetch(`${app.url}/api/v1/demo/users`)).json()) as DemoUsersDto;
        const pmEmail = users.items.find((u) => u.signInEmail === as.pm)!.haloEmail!;
        const contractsOf = (managed: boolean) =>
          app.db.query<{ id: number | string }>(
            `SELECT k.id FROM halo_contracts k
              WHERE k.tenant_id = 'demo' AND k.end_date >= $2::date AND ${managed ? '' : 'NOT'} EXISTS (
                SELECT 1 FROM halo_projects p JOIN halo_agents a ON a.tenant_id = p.tenant_id AND a.id = p.agent_id
                 WHERE p.tenant_id = k.tenant_id AND p.client_id = k.client_id AND p.date_closed IS NULL
                   AND lower(a.email) = lower($1))
              ORDER BY k.end_date, k.id LIMIT 1`,
            [pmEmail, DEMO_AS_OF],
          );
        const [own] = await contractsOf(true);
        const [other] = await contractsOf(false);
        if (!own || !other)
          throw new Error('the demo gives the PM no contract of a managed client');
        await page.goto(`${app.url}/contracts/${own.id}`);
        await signInAs(as.pm);
        const contract = page.getByTestId('contract-page');
        await contract.getByTestId('read-only-note').waitFor();
        await contract.getByTestId('readiness').waitFor();
        await shot('pm');
        for (const button of [
          'Log checkpoint',
          'Preview',
          'Submit request',
          'Approve',
          'Reassign',
          'Mark done',
          'Save stakeholders',
        ]) {
          expect({
            button,
            count: await contract.getByRole('button', { name: button }).count(),
          }).toEqual({ button, count: 0 });
        }
        const page200 = (await (
          await api(as.pm, 'GET', `/contracts/${own.id}`)
        ).json()) as ContractDetailDto;
        expect(page200).toMatchObject({ view: 'redacted', concessions: [], uplift: [] });
        const refused = [
          await api(as.pm, 'GET', `/contracts/${other.id}`),
          await api(as.pm, 'POST', `/contracts/${own.id}/checkpoints`, {
            meetingOn: DEMO_AS_OF,
            notes: 'x',
            ownerCall: 'renew',
          }),
          await api(as.pm, 'POST', `/contracts/${own.id}/concessions`, {
            discountPct: 8,
            reason: 'x',
          }),
          await api(as.pm, 'PUT', `/contracts/${own.id}/stakeholders`, { champion: 'x' }),
          await api(as.pm, 'GET', '/concessions?status=pending&mine=true'),
        ];
        expect(refused.map((r) => r.status)).toEqual([403, 403, 403, 403, 403]);
        // The account manager still sees the decision on their contract (nothing else changed it).
        const detail = (await (
          await api(as.am, 'GET', `/contracts/${contractId}`)
        ).json()) as ContractDetailDto;
        expect(detail.concessions.map((c) => c.status)).toEqual(['approved']);
      },
      BROWSER_TEST_MS,
    );
  },
);
