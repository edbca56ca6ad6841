/**
 * The governance review card in Teams over HTTP: the posted card renders and refreshes to the cs
 * leads' own view; a cs lead accepts a suggestion (the next renewal policy version), answers are
 * taken once, the review is signed off; an account manager's click changes nothing.
 */
import {
  DEFAULT_RENEWAL_POLICY,
  governanceReview,
  type OverrideLog,
} from '../../src/domain/renewals';
import { GovernanceReviewRepository } from '../../src/store/governance-review.repository';
import { RenewalPolicyRepository } from '../../src/store/renewal-policy.repository';
import { SqlRoleDirectory } from '../../src/store/role-directory.repository';
import { testDatabases, type TestDatabaseHandle } from '../support/databases';
import { executeInvoke, post, startBotHarness, TENANT, type BotHarness } from './bot-harness';
import { cardProblems } from './card-validation';

const MONTH = '2026-10';
const lost = (score: number): OverrideLog => ({
  contractId: String(score),
  loggedOn: '2026-10-15',
  computedBand: 'ready',
  computedScore: score,
  ownerCall: 'churn',
  direction: 'owner-more-pessimistic',
  outcome: 'churned',
});

describe.each(testDatabases())('the governance card in Teams over HTTP ($name)', (database) => {
  let handle: TestDatabaseHandle;
  let bot: BotHarness;

  beforeAll(async () => {
    handle = await database.open();
    await new SqlRoleDirectory(handle.db, TENANT).grant([
      { aadObjectId: 'aad-am', email: 'am@example.com', role: 'account_manager' },
      { aadObjectId: 'aad-lead', email: 'lead@example.com', role: 'cs_lead' },
    ]);
    bot = await startBotHarness(handle.db);
    const review = governanceReview({
      month: MONTH,
      policy: DEFAULT_RENEWAL_POLICY,
      standings: [],
      opportunities: [],
      concessions: [],
      overrides: [78, 80, 82].map(lost),
    });
    await new GovernanceReviewRepository(handle.db, TENANT).create(MONTH, review, new Date());
  }, 300_000);
  afterAll(async () => {
    await bot?.close();
    await handle?.dispose();
  });

  const click = async (verb: string, data: Record<string, unknown>, who: 'aad-am' | 'aad-lead') => {
    const response = await post(
      bot.botUrl,
      executeInvoke(bot.connector.url, verb, data, {
        aadObjectId: who,
        name: who === 'aad-lead' ? 'Casey Lead' : 'Alex Account',
      }),
    );
    expect(response.status).toBe(200);
    const card = (response.body as { value: Record<string, unknown> }).value;
    expect(cardProblems(card)).toEqual([]);
    return JSON.stringify(card);
  };
  const versions = () => new RenewalPolicyRepository(handle.db, TENANT).versions();

  test('the posted card refreshes to the cs leads; their view answers, the account manager’s click is refused', async () => {
    const stored = await bot.renewals.useCases.governance.review(MONTH, {
      aadObjectId: null,
      email: null,
      name: 'system',
      roles: [],
      haloAgentId: null,
    });
    const posted = bot.mounted.renderer.render('governance-review', {
      review: stored,
      deciderAadObjectIds: ['aad-lead'],
    });
    if (!posted.ok) throw new Error(posted.reason);
    const postedCard = posted.activity.attachments?.[0]?.content as Record<string, unknown>;
    expect(cardProblems(postedCard)).toEqual([]);
    expect(postedCard.refresh).toMatchObject({ userIds: ['8:orgid:aad-lead'] });
    expect(JSON.stringify(postedCard)).not.toContain('governance.accept');

    const refused = await click(
      'governance.accept',
      { month: MONTH, suggestionId: 'readiness-bands' },
      'aad-am',
    );
    expect(refused).toContain('Not available to you');
    expect(await versions()).toEqual([]);

    expect(await click('governance.refresh', { month: MONTH }, 'aad-lead')).toContain(
      'governance.accept',
    );
    const accepted = await click(
      'governance.accept',
      { month: MONTH, suggestionId: 'readiness-bands' },
      'aad-lead',
    );
    expect(accepted).toContain('Answer recorded.');
    expect(accepted).toContain(`policy version ${DEFAULT_RENEWAL_POLICY.version + 1}`);
    expect((await versions()).map((v) => v.version)).toEqual([DEFAULT_RENEWAL_POLICY.version + 1]);
    const again = await click(
      'governance.reject',
      { month: MONTH, suggestionId: 'readiness-bands' },
      'aad-lead',
    );
    expect(again).toContain('already answered');
    const signed = await click('governance.signOff', { month: MONTH }, 'aad-lead');
    expect(signed).toContain('Review signed off.');
    expect(signed).not.toContain('governance.signOff');
    expect(await click('governance.accept', { month: 'soon' }, 'aad-lead')).toContain(
      'names no review month',
    );
  });
});
