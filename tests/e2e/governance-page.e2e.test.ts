/**
 * The governance page in headless Chromium against the demo app: the cs lead reads the month's
 * review in sections and tables, accepts one tuning suggestion (it becomes the renewal policy
 * version in force), rejects the other and signs the review off; an account manager is refused.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import type { DemoUsersDto, RenewalPolicyVersionsDto } from '../../src/api/dto';
import {
  DEFAULT_RENEWAL_POLICY,
  governanceReview,
  type OverrideLog,
} from '../../src/domain/renewals';
import type { RunningApp } from '../../src/main';
import { GovernanceReviewRepository } from '../../src/store/governance-review.repository';
import {
  ARTEFACTS,
  buildTabOnce,
  chromiumAvailable,
  launchLoopbackBrowser,
  startDemoApp,
  tabTestDatabases,
} from './tab-browser';

const available = chromiumAvailable('the governance page browser tests');
const BROWSER_TEST_MS = 180_000;
const MONTH = '2026-10';

const override = (
  direction: OverrideLog['direction'],
  outcome: OverrideLog['outcome'],
  score: number,
): OverrideLog => ({
  contractId: `${score}`,
  loggedOn: '2026-10-15',
  computedBand: direction === 'owner-more-pessimistic' ? 'ready' : 'at-risk',
  computedScore: score,
  ownerCall: direction === 'owner-more-pessimistic' ? 'churn' : 'renew',
  direction,
  outcome,
});

describe.each(tabTestDatabases())(
  'the governance page in a browser ($name)',
  ({ name, url: dbUrl }) => {
    let app: RunningApp;
    let dispose: () => Promise<void>;
    let context: BrowserContext;
    let closeBrowser: () => Promise<void>;
    let page: Page;
    const as = { am: '', cs: '' };

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
        path: path.join(ARTEFACTS, `governance-${name}-${file}.png`),
        fullPage: true,
      });

    beforeAll(async () => {
      mkdirSync(ARTEFACTS, { recursive: true });
      await buildTabOnce();
      ({ app, dispose } = await startDemoApp(dbUrl));
      const users = (await (await fetch(`${app.url}/api/v1/demo/users`)).json()) as DemoUsersDto;
      const pick = (persona: string) => users.items.find((u) => u.name === persona)!.signInEmail;
      as.am = pick('Isaiah Langer');
      as.cs = pick('Patti Fernandez');
      // October's review, as the job stores it on the first working day of November: three ready
      // contracts were lost (tighten the ready band) and three optimistic calls were wrong (advice).
      const review = governanceReview({
        month: MONTH,
        policy: DEFAULT_RENEWAL_POLICY,
        standings: [],
        opportunities: [],
        concessions: [],
        overrides: [
          ...[78, 80, 82].map((s) => override('owner-more-pessimistic', 'churned', s)),
          ...[40, 42, 44].map((s) => override('owner-more-optimistic', 'churned', s)),
        ],
      });
      await new GovernanceReviewRepository(app.db, 'demo').create(
        MONTH,
        review,
        new Date('2026-11-02T07:00:00Z'),
      );
      if (!available) return;
      ({ context, close: closeBrowser } = await launchLoopbackBrowser());
      await context.addInitScript((email) => {
        window.localStorage.setItem('controlTower.demoUser', email);
      }, as.cs);
      page = context.pages()[0] ?? (await context.newPage());
    }, 300_000);

    afterAll(async () => {
      await closeBrowser?.();
      await dispose?.();
    });

    (available ? test : test.skip)(
      'the cs lead accepts a suggestion (the next policy version), rejects the other and signs off',
      async () => {
        await page.goto(`${app.url}/governance?month=${MONTH}`);
        const review = page.getByTestId('governance-review');
        await review.waitFor();
        for (const heading of [
          'Retention risk',
          'Uplift conversion',
          'Discount pressure',
          'Owner overrides',
          'Tuning suggestions',
        ]) {
          expect(await page.getByRole('heading', { name: heading }).count()).toBe(1);
        }
        const table = page.getByTestId('governance-suggestions');
        expect(await table.locator('thead th').allInnerTexts()).toEqual([
          'Area',
          'Suggestion',
          'Evidence',
          'Policy change',
          'Decision',
        ]);
        expect(await page.getByTestId('governance-overrides').innerText()).toMatch(
          /6 checkpoint calls disagreed with the score; 6 have an outcome/,
        );
        const bands = table.locator('tr[data-suggestion-id="readiness-bands"]');
        expect(await bands.innerText()).toContain('readiness.bands.readyMinScore: 75 → 81');
        await shot('open');
        await bands.getByRole('button', { name: 'Accept' }).click();
        await table
          .locator('tr[data-suggestion-id="readiness-bands"][data-status="accepted"]')
          .waitFor();
        const version = DEFAULT_RENEWAL_POLICY.version + 1;
        expect(
          await table.locator('tr[data-suggestion-id="readiness-bands"]').innerText(),
        ).toContain(`Accepted by Patti Fernandez: policy version ${version}`);
        const advice = table.locator('tr[data-suggestion-id="owner-calibration-optimistic"]');
        await advice.getByRole('button', { name: 'Reject' }).click();
        await table
          .locator('tr[data-suggestion-id="owner-calibration-optimistic"][data-status="rejected"]')
          .waitFor();
        await page.getByRole('button', { name: 'Sign off the review' }).click();
        await review.getByText(/Signed off by Patti Fernandez/).waitFor();
        expect(await page.getByRole('button', { name: 'Accept' }).count()).toBe(0);
        await page.reload();
        await page
          .getByTestId('renewal-policy-versions')
          .locator(`tr[data-current="true"]`)
          .waitFor();
        expect(
          await page
            .getByTestId('renewal-policy-versions')
            .locator('tr[data-current="true"] th')
            .innerText(),
        ).toBe(`${version} (in force)`);
        await shot('signed-off');

        const versions = (await (
          await api(as.cs, 'GET', '/renewals/policy/versions')
        ).json()) as RenewalPolicyVersionsDto;
        expect(versions.items[0]).toMatchObject({ version, current: true });
        expect(versions.items[0]!.policy.readiness.bands.readyMinScore).toBe(81);
        // Not the account manager's review: refused on the page's API and its actions.
        expect((await api(as.am, 'GET', `/governance/reviews/${MONTH}`)).status).toBe(403);
        expect(
          (
            await api(
              as.am,
              'POST',
              `/governance/reviews/${MONTH}/suggestions/readiness-bands/decision`,
              {
                decision: 'reject',
              },
            )
          ).status,
        ).toBe(403);
      },
      BROWSER_TEST_MS,
    );
  },
);
