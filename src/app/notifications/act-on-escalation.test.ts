import {
  actor,
  channelConversation,
  CountingSignal,
  FakeBotActionLog,
  FakeClock,
  FakeEscalationActions,
  FakeOutbox,
} from '../../../tests/bot/fakes';
import { ActOnEscalation, type EscalationClick } from './act-on-escalation';
import type { EscalationActions } from '../delivery-views';
import type { ActionLogEntry, BotActionLog } from './bot-action-log.port';

function setup() {
  const clock = new FakeClock('2025-03-14T09:12:00Z');
  const actions = new FakeBotActionLog();
  const outbox = new FakeOutbox();
  // A decision's log entry and card update commit with it, as in the database.
  const escalations = new FakeEscalationActions(clock, (run) =>
    outbox.transaction(({ outbox: tx }) => run({ outbox: tx, actions })),
  );
  const signal = new CountingSignal();
  const act = new ActOnEscalation({
    tenantId: 'tenant-a',
    escalations,
    actions,
    outboxSignal: signal,
    clock,
  });
  return { escalations, actions, outbox, signal, act };
}

const noInputs = { agentId: '', snoozeUntil: '', snoozeReason: '', falsePositiveReason: '' };
const click = (over: Partial<EscalationClick> = {}): EscalationClick => ({
  actor: actor([], { haloAgentId: 11 }),
  verb: 'escalation.acknowledge',
  escalationId: 'esc-1',
  inputs: noInputs,
  clickedCard: { conversation: channelConversation(), activityId: 'card-1' },
  ...over,
});

describe('ActOnEscalation', () => {
  test('acknowledges, logs it, and queues the update of the clicked card', async () => {
    const { act, actions, outbox, signal } = setup();

    const outcome = await act.run(click());

    expect(outcome).toMatchObject({
      ok: true,
      notice: 'Acknowledged by Pat Manager at 2025-03-14 09:12 UTC',
    });
    expect(actions.entries).toEqual([
      expect.objectContaining({ action: 'escalation.acknowledge', outcome: 'done', reason: null }),
    ]);
    expect(outbox.committed).toEqual([
      expect.objectContaining({
        kind: 'escalation',
        dedupeKey: expect.stringMatching(
          /^card-update:19:general@thread\.tacv2:card-1:acknowledged:/,
        ),
        updateActivity: { conversation: channelConversation(), activityId: 'card-1' },
      }),
    ]);
    expect(signal.count).toBe(1);
  });

  test('queues nothing when the clicked card is unknown', async () => {
    const { act, outbox, signal } = setup();

    const outcome = await act.run(click({ clickedCard: null }));

    expect(outcome.ok).toBe(true);
    expect(outbox.committed).toEqual([]);
    expect(signal.count).toBe(0);
  });

  test.each([
    ['escalation.assign', { ...noInputs, agentId: 'x' }, 'Pick the mitigation owner first.'],
    [
      'escalation.snooze',
      { ...noInputs, snoozeUntil: '2025-04-01' },
      'A snooze needs an end date and a reason.',
    ],
    [
      'escalation.falsePositive',
      noInputs,
      'Say why this is not a real issue: the reason tunes the thresholds.',
    ],
  ] as const)(
    'refuses %s with missing input before asking the rules',
    async (verb, inputs, message) => {
      const { act, escalations, actions, outbox } = setup();

      const outcome = await act.run(click({ verb, inputs }));

      expect(outcome).toEqual({ ok: false, reason: 'invalid-input', message, escalation: null });
      expect(escalations.calls).toEqual([]);
      expect(actions.entries).toEqual([
        expect.objectContaining({ action: verb, outcome: 'refused', reason: 'invalid-input' }),
      ]);
      expect(outbox.committed).toEqual([]);
    },
  );

  test('passes on the rules refusal and logs it', async () => {
    const { act, actions, outbox } = setup();

    const outcome = await act.run(click({ actor: actor([], { haloAgentId: 99 }) }));

    expect(outcome).toMatchObject({ ok: false, reason: 'not-authorised' });
    expect(actions.entries[0]).toMatchObject({ outcome: 'refused', reason: 'not-authorised' });
    expect(outbox.committed).toEqual([]);
  });

  test("a refusal's and a repeat click's entries are written after the answer; a decision's before it", async () => {
    const clock = new FakeClock('2025-03-14T09:12:00Z');
    // A log whose writes wait until released: the answer must not wait for it.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const written: ActionLogEntry[] = [];
    const slowLog: BotActionLog = {
      record: async (entry) => {
        await released;
        written.push(entry);
      },
    };
    const decided = new FakeBotActionLog();
    const outbox = new FakeOutbox();
    const failures: unknown[] = [];
    const fake = new FakeEscalationActions(clock, (run) =>
      outbox.transaction(({ outbox: tx }) => run({ outbox: tx, actions: decided })),
    );
    // The first Acknowledge decides; the ones after find it already so.
    let acknowledged = 0;
    const escalations: EscalationActions = {
      acknowledge: async (tenantId, id, by, effects) => {
        acknowledged += 1;
        const result = await fake.acknowledge(
          tenantId,
          id,
          by,
          acknowledged === 1 ? effects : undefined,
        );
        return result.ok && acknowledged > 1 ? { ...result, changed: false } : result;
      },
      assign: (...args) => fake.assign(...args),
      snooze: (...args) => fake.snooze(...args),
      markFalsePositive: (...args) => fake.markFalsePositive(...args),
    };
    const act = new ActOnEscalation({
      tenantId: 'tenant-a',
      escalations,
      actions: slowLog,
      outboxSignal: new CountingSignal(),
      clock,
      followUpFailed: (error) => failures.push(error),
    });

    expect(await act.run(click())).toMatchObject({ ok: true });
    expect(decided.entries).toEqual([expect.objectContaining({ outcome: 'done' })]);
    expect(await act.run(click())).toMatchObject({ ok: true });
    expect(await act.run(click({ actor: actor([], { haloAgentId: 99 }) }))).toMatchObject({
      ok: false,
      reason: 'not-authorised',
    });
    expect(written).toEqual([]);

    release();
    await act.idle();
    expect(written.map((entry) => [entry.outcome, entry.reason])).toEqual([
      ['done', null],
      ['refused', 'not-authorised'],
    ]);
    expect(decided.entries).toHaveLength(1);
    expect(failures).toEqual([]);
  });

  test('a log entry that cannot be written after the answer is reported, not thrown', async () => {
    const failures: unknown[] = [];
    const clock = new FakeClock('2025-03-14T09:12:00Z');
    const act = new ActOnEscalation({
      tenantId: 'tenant-a',
      escalations: new FakeEscalationActions(clock, (run) =>
        new FakeOutbox().transaction(({ outbox }) =>
          run({ outbox, actions: new FakeBotActionLog() }),
        ),
      ),
      actions: { record: async () => Promise.reject(new Error('database gone')) },
      outboxSignal: new CountingSignal(),
      clock,
      followUpFailed: (error) => failures.push(error),
    });

    const outcome = await act.run(click({ actor: actor([], { haloAgentId: 99 }) }));

    expect(outcome).toMatchObject({ ok: false, reason: 'not-authorised' });
    await act.idle();
    expect(failures.map((error) => (error as Error).message)).toEqual(['database gone']);
  });

  test('records what was asked for with the assignment and the snooze', async () => {
    const { act, actions } = setup();

    await act.run(click({ verb: 'escalation.assign', inputs: { ...noInputs, agentId: '12' } }));
    await act.run(
      click({
        verb: 'escalation.snooze',
        inputs: { ...noInputs, snoozeUntil: '2025-04-01', snoozeReason: 'waiting on vendor' },
      }),
    );

    expect(actions.entries.map((entry) => entry.details)).toEqual([
      { agentId: 12 },
      { until: '2025-04-01', reason: 'waiting on vendor' },
    ]);
  });

  test('a button without an escalation id is refused', async () => {
    const { act } = setup();

    const outcome = await act.run(click({ escalationId: '' }));

    expect(outcome).toMatchObject({ ok: false, message: 'That button has no escalation.' });
  });
});
