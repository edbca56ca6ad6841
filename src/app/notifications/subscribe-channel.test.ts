import {
  actor,
  channelConversation,
  CountingSignal,
  FakeBotActionLog,
  FakeChannelRoutes,
  FakeClock,
  FakeDeliveryQueries,
  FakeLiveCardRouter,
} from '../../../tests/bot/fakes';
import { SubscribeChannel } from './subscribe-channel';

function setup(liveCardsRouted = 0) {
  const clock = new FakeClock();
  const routes = new FakeChannelRoutes();
  const actions = new FakeBotActionLog();
  const signal = new CountingSignal();
  const renewals = new FakeLiveCardRouter(liveCardsRouted);
  const subscribe = new SubscribeChannel({
    tenantId: 'tenant-a',
    clients: new FakeDeliveryQueries(),
    routes,
    actions,
    liveCards: { renewals },
    outboxSignal: signal,
    clock,
  });
  return { clock, routes, actions, signal, renewals, subscribe };
}

const request = (over: Partial<Parameters<SubscribeChannel['run']>[0]> = {}) => ({
  actor: actor(['admin']),
  streamWord: 'escalations',
  clientText: '',
  clientId: null,
  conversation: channelConversation(),
  ...over,
});

describe('SubscribeChannel', () => {
  test('refuses a non-admin and logs the refusal without routing anything', async () => {
    const { subscribe, routes, actions } = setup();

    const outcome = await subscribe.run(request({ actor: actor(['pm']), clientId: 7 }));

    expect(outcome).toEqual({ status: 'refused', reason: 'not-admin' });
    expect(routes.saved).toEqual([]);
    expect(actions.entries).toEqual([
      expect.objectContaining({
        action: 'subscribe',
        targetKind: 'route',
        targetId: 'escalations:7',
        outcome: 'refused',
        reason: 'not-admin',
      }),
    ]);
  });

  test('answers an unknown stream without routing', async () => {
    const { subscribe, routes } = setup();

    const outcome = await subscribe.run(request({ streamWord: 'gossip' }));

    expect(outcome).toEqual({ status: 'unknown-stream' });
    expect(routes.saved).toEqual([]);
  });

  test('routes a stream for every client and logs it', async () => {
    const { subscribe, routes, actions, clock } = setup();
    const conversation = channelConversation();

    const outcome = await subscribe.run(request({ conversation }));

    expect(outcome).toEqual({
      status: 'subscribed',
      stream: 'escalations',
      client: null,
      conversation,
    });
    expect(routes.saved).toEqual([
      {
        route: { stream: 'escalations', clientId: null, conversation },
        createdBy: 'aad-pm',
        now: clock.now(),
      },
    ]);
    expect(actions.entries).toEqual([
      expect.objectContaining({
        targetId: 'escalations',
        outcome: 'done',
        details: { conversationId: conversation.conversationId },
      }),
    ]);
  });

  test('resolves a typed client name to one client', async () => {
    const { subscribe, routes } = setup();

    const outcome = await subscribe.run(request({ clientText: 'contoso' }));

    expect(outcome).toMatchObject({ status: 'subscribed', client: { id: 7, name: 'Contoso Ltd' } });
    expect(routes.saved[0]?.route.clientId).toBe(7);
  });

  test('asks which client when several match, and says when none does', async () => {
    const { subscribe, routes } = setup();

    const several = await subscribe.run(request({ clientText: 'fab' }));
    const none = await subscribe.run(request({ clientText: 'northwind' }));

    expect(several).toMatchObject({ status: 'choose-client', stream: 'escalations' });
    expect(several.status === 'choose-client' && several.matches.map((m) => m.id)).toEqual([8, 9]);
    expect(none).toEqual({ status: 'no-client', clientText: 'northwind' });
    expect(routes.saved).toEqual([]);
  });

  test('a picked client id unknown to the directory is routed under a generic name', async () => {
    const { subscribe } = setup();

    const outcome = await subscribe.run(request({ clientId: 42 }));

    expect(outcome).toMatchObject({ client: { id: 42, name: 'client 42' } });
  });

  test('routes live renewal cards to a new renewals channel and wakes the outbox when some moved', async () => {
    const { subscribe, renewals, signal } = setup(2);

    await subscribe.run(request({ streamWord: 'renewals', clientId: 7 }));

    expect(renewals.calls).toEqual([{ clientId: 7, conversation: channelConversation() }]);
    expect(signal.count).toBe(1);
  });

  test('does not wake the outbox when no live card moved, nor for streams without live cards', async () => {
    const { subscribe, renewals, signal } = setup(0);

    await subscribe.run(request({ streamWord: 'renewals' }));
    await subscribe.run(request({ streamWord: 'reports' }));

    expect(renewals.calls).toHaveLength(1);
    expect(signal.count).toBe(0);
  });
});
