import type { TurnContext } from 'botbuilder';
import { renewalBotFeature } from '../../bot/renewal-handlers';
import type { Actor } from '../../src/app/delivery-views';
import type { RoleDirectory, TeamsUser } from '../../src/app/identity/identity.port';
import { ReadAccess } from '../../src/app/identity/read-access';
import { AnswerConcessionCard } from '../../src/app/renewals/answer-concession-card';
import { DecideConcession } from '../../src/app/renewals/decide-concession';
import { GetConcession } from '../../src/app/renewals/get-concession';
import { LogCheckpoint } from '../../src/app/renewals/log-checkpoint';
import { RenewalContractCards } from '../../src/app/renewals/renewal-contract-cards';
import { RenewalInsights } from '../../src/app/renewals/renewal-insights';
import { SetUpliftStatus } from '../../src/app/renewals/set-uplift-status';
import { RenewalQueries } from '../../src/app/renewals/renewal-queries';
import { RequestConcession } from '../../src/app/renewals/request-concession';
import { DEFAULT_RENEWAL_POLICY } from '../../src/domain/renewals';
import { createLogger } from '../../src/observability/logger';
import { FakeClock, FakeOwnership } from '../bot/fakes';
import { person } from './renewal-fixtures';
import { CountingSignal, FakeActionLog, FakeAudit, fakeRenewalPorts } from './renewal-fakes';
import { testLinks } from './renewal-module';

class FakeRoles implements RoleDirectory {
  constructor(private readonly people: Actor[]) {}
  async resolve(user: TeamsUser): Promise<Actor> {
    return (
      this.people.find((p) => p.aadObjectId === user.aadObjectId) ?? {
        aadObjectId: user.aadObjectId,
        name: user.name,
        email: null,
        roles: [],
        haloAgentId: null,
      }
    );
  }
  async grant(): Promise<void> {}
}

const am = { ...person('Alex Account', ['account_manager']), aadObjectId: 'aad-am' };
const lead = { ...person('Casey Lead', ['cs_lead']), aadObjectId: 'aad-lead' };

function feature() {
  const { ports, uow } = fakeRenewalPorts();
  ports.contracts.add(5, 4000, 2400);
  ports.approvers.byRole.cs_lead = ['aad-lead'];
  const clock = new FakeClock('2026-02-01T10:00:00Z');
  const signal = new CountingSignal();
  const actions = new FakeActionLog();
  const decide = new DecideConcession({
    store: ports,
    audit: new FakeAudit(),
    uow,
    clock,
    outboxChanged: signal,
  });
  const request = new RequestConcession({
    store: ports,
    audit: new FakeAudit(),
    uow,
    clock,
    policy: DEFAULT_RENEWAL_POLICY,
    outboxChanged: signal,
  });
  const bot = renewalBotFeature({
    contractCards: new RenewalContractCards({ store: ports, policy: DEFAULT_RENEWAL_POLICY }),
    logCheckpoint: new LogCheckpoint({ store: ports, uow, clock, outboxChanged: signal }),
    requestConcession: request,
    setUpliftStatus: new SetUpliftStatus({ store: ports, uow, clock }),
    queries: new RenewalQueries(ports, new RenewalInsights(ports, DEFAULT_RENEWAL_POLICY)),
    getConcession: new GetConcession(ports),
    answerConcessionCard: new AnswerConcessionCard({ decide, actions, clock }),
    roles: new FakeRoles([am, lead]),
    access: new ReadAccess(new FakeOwnership()),
    links: testLinks,
    logger: createLogger('silent', {}),
    clock,
  });
  return { bot, request, actions };
}

const turn = (text: string, aadObjectId = 'aad-lead') => {
  const sent: unknown[] = [];
  const context = {
    activity: { text, from: { id: '29:x', name: 'Casey Lead', aadObjectId } },
    turnState: new Map(),
    sendActivity: async (activity: unknown) => {
      sent.push(activity);
      return { id: 'reply' };
    },
  } as unknown as TurnContext;
  return { context, sent };
};

describe('the renewals bot feature', () => {
  test('answers /renewals, /renewal, the concession and renewal-step verbs, and renders both renewal outbox kinds', () => {
    const { bot } = feature();
    expect(bot.commands.map((c) => c.pattern.test('/renewals 60'))).toEqual([true, false]);
    expect(bot.commands.map((c) => c.pattern.test('/renewal Northwind'))).toEqual([false, true]);
    expect(Object.keys(bot.cardActions).sort()).toEqual([
      'concession.approve',
      'concession.refresh',
      'concession.reject',
      'renewal.checkpoint',
      'renewal.checkpointForm',
      'renewal.concession',
      'renewal.concessionForm',
      'renewal.open',
      'renewal.refresh',
      'uplift.accept',
      'uplift.decline',
    ]);
    expect(Object.keys(bot.renderers).sort()).toEqual(['concession', 'renewal-stage']);
    expect(bot.renderers['renewal-stage']!({})).toEqual({
      ok: false,
      reason: 'renewal-stage payload without stage',
    });
  });

  test('/renewals replies with one card', async () => {
    const { bot } = feature();
    const { context, sent } = turn('/renewals 60');
    await bot.commands[0]!.run(context);
    expect(sent).toHaveLength(1);
    expect(JSON.stringify(sent[0])).toContain('application/vnd.microsoft.card.adaptive');
  });

  test('approve on a concession card decides, logs the click and shows who approved', async () => {
    const { bot, request, actions } = feature();
    const requested = await request.run(am, { contractId: 5, discountPct: 5, reason: 'Loyalty' });
    if (!requested.ok) throw new Error(requested.message);
    const { context } = turn('');
    const card = await bot.cardActions['concession.approve']!(context, {
      concessionId: requested.concession.id,
      version: 1,
    });
    expect(JSON.stringify(card)).toContain('Approved by Casey Lead at 2026-02-01 10:00 UTC');
    expect(actions.entries).toEqual([
      expect.objectContaining({ action: 'concession.approve', outcome: 'done' }),
    ]);
    const rendered = bot.renderers.concession!({ concession: requested.concession });
    expect(rendered.ok).toBe(true);
  });

  test('a button without a concession id answers with a notice and decides nothing', async () => {
    const { bot, actions } = feature();
    const card = await bot.cardActions['concession.reject']!(turn('').context, {});
    expect(JSON.stringify(card)).toContain('Unknown concession');
    expect(actions.entries).toEqual([]);
  });
});
