import { LogCheckpoint } from '../../src/app/renewals/log-checkpoint';
import { RouteLiveRenewalCards } from '../../src/app/renewals/route-live-renewal-cards';
import { SetUpliftStatus } from '../../src/app/renewals/set-uplift-status';
import type { LiveRenewalCards } from '../../src/app/renewals/live-renewal-cards.port';
import type { ConversationRef } from '../../src/app/ports/notifications.port';
import type { RenewalSnapshotRow } from '../../src/app/renewals/readiness-snapshots.port';
import { FakeClock } from '../bot/fakes';
import { person } from './renewal-fixtures';
import { CountingSignal, fakeRenewalPorts } from './renewal-fakes';

const am = person('Alex Account', ['account_manager']);

function withStage(band: string) {
  const { ports, uow } = fakeRenewalPorts();
  ports.stages.rows.push({
    contractId: 1,
    stage: '30',
    clientId: 3,
    ownerAgentId: 7,
    endDate: '2026-02-20',
    openedOn: '2026-01-21',
    checkpointDueOn: '2026-02-10',
    tasks: [
      {
        id: '1:30:customer-checkpoint',
        contractId: '1',
        stage: '30',
        kind: 'customer-checkpoint',
        title: 'Customer checkpoint',
        dueDate: '2026-02-10',
        ownerAgentId: '7',
        fallbackRole: 'cs_lead',
        openedOn: '2026-01-21',
        mandatory: true,
        requiredRoles: [],
        completedOn: null,
        checkpoint: null,
      },
    ],
    stakeholders: {},
    status: 'open',
    version: 1,
  });
  ports.snapshots.rows.push({
    contractId: 1,
    date: '2026-01-31',
    score: 85,
    band,
    flagged: false,
    flagCause: null,
    assessment: { score: 85, band, confidence: 0.9, drivers: [] },
  } as unknown as RenewalSnapshotRow);
  const signal = new CountingSignal();
  const log = new LogCheckpoint({
    store: ports,
    uow,
    clock: new FakeClock('2026-02-01T09:00:00Z'),
    outboxChanged: signal,
  });
  return { ports, uow, signal, log };
}

describe('LogCheckpoint', () => {
  test('a call that agrees with the score is logged on the stage, timeline and audit trail', async () => {
    const { ports, signal, log } = withStage('ready');
    const result = await log.run(am, {
      contractId: 1,
      meetingOn: '2026-01-30',
      notes: ' Review ',
      ownerCall: 'renew',
    });
    expect(result).toMatchObject({ ok: true, value: { notes: 'Review', disagrees: false } });
    expect(ports.stages.rows[0]).toMatchObject({ status: 'checkpoint-logged', version: 2 });
    expect(ports.stages.rows[0]!.tasks[0]!.completedOn).not.toBeNull();
    expect(ports.events.rows.map((e) => e.kind)).toEqual(['checkpoint.logged']);
    expect(ports.audit.entries.map((e) => e.action)).toEqual(['renewal.checkpoint.logged']);
    // The posted stage card is updated for everyone with the logged checkpoint.
    expect(ports.outbox.intents).toEqual([
      expect.objectContaining({
        kind: 'renewal-stage',
        updateOf: 'renewal-stage:1:30',
        payload: {
          stage: expect.objectContaining({
            status: 'checkpoint-logged',
            notice: 'Checkpoint logged by Alex Account: "renew"',
            tasks: [expect.objectContaining({ done: true })],
          }),
        },
      }),
    ]);
    expect(signal.count).toBe(1);
  });

  test('a call that disagrees with the score goes to the cs lead through the outbox', async () => {
    const { ports, log } = withStage('ready');
    const result = await log.run(am, {
      contractId: 1,
      meetingOn: '2026-01-30',
      notes: 'They are leaving',
      ownerCall: 'churn',
    });
    expect(result).toMatchObject({ ok: true, value: { disagrees: true } });
    expect(ports.events.rows.map((e) => e.kind)).toEqual([
      'checkpoint.logged',
      'checkpoint.disagreement',
    ]);
    expect(ports.outbox.intents).toEqual([
      expect.objectContaining({ kind: 'text', target: { streams: ['renewals'], clientId: 3 } }),
      expect.objectContaining({ kind: 'renewal-stage', updateOf: 'renewal-stage:1:30' }),
    ]);
  });

  test.each([
    [person('Pat Manager', ['pm']), 'renew', '2026-01-30', 'not-authorised'],
    [am, 'maybe', '2026-01-30', 'invalid-input'],
    [am, 'renew', '30/01/2026', 'invalid-input'],
    [am, 'monitor', '2026-01-30', 'invalid-input'],
  ] as const)('refuses %#: %s calls %s on %s', async (who, ownerCall, meetingOn, reason) => {
    const { uow, log } = withStage('ready');
    const result = await log.run(who, { contractId: 1, meetingOn, notes: 'n', ownerCall });
    expect(result).toMatchObject({ ok: false, reason });
    expect(uow.count).toBe(0);
  });

  test('a contract with no open stage is refused', async () => {
    const { log } = withStage('ready');
    const result = await log.run(am, {
      contractId: 2,
      meetingOn: '2026-01-30',
      notes: 'n',
      ownerCall: 'renew',
    });
    expect(result).toMatchObject({ ok: false, reason: 'invalid-state' });
  });
});

describe('SetUpliftStatus', () => {
  function withOpportunity() {
    const { ports, uow } = fakeRenewalPorts();
    ports.uplift.rows.push({
      id: '4:seats:M365',
      kind: 'seats',
      contractId: '4',
      clientId: '2',
      subject: 'M365',
      estimatedMonthlyUplift: 120,
      evidence: [],
      status: 'proposed',
      detectedOn: '2026-01-10',
      decidedOn: null,
      decidedBy: null,
    } as never);
    const set = new SetUpliftStatus({
      store: ports,
      uow,
      clock: new FakeClock('2026-02-01T09:00:00Z'),
    });
    return { ports, set };
  }

  test('records the answer once, on the timeline and the audit trail', async () => {
    const { ports, set } = withOpportunity();
    const result = await set.run(am, { opportunityId: '4:seats:M365', status: 'accepted' });
    expect(result).toMatchObject({
      ok: true,
      value: { status: 'accepted', decidedBy: 'Alex Account', decidedOn: '2026-02-01' },
    });
    expect(ports.events.rows.map((e) => e.kind)).toEqual(['uplift.decided']);
    expect(ports.audit.entries.map((e) => e.action)).toEqual(['uplift.accepted']);
    const again = await set.run(am, { opportunityId: '4:seats:M365', status: 'declined' });
    expect(again).toMatchObject({ ok: false, reason: 'invalid-state' });
  });

  test('a decline carries the customer’s reason to the timeline and the audit trail; a blank one is refused', async () => {
    const { ports, set } = withOpportunity();
    const blank = await set.run(am, {
      opportunityId: '4:seats:M365',
      status: 'declined',
      reason: '  ',
    });
    expect(blank).toMatchObject({ ok: false, reason: 'invalid-input' });
    expect(ports.events.rows).toEqual([]);
    const result = await set.run(am, {
      opportunityId: '4:seats:M365',
      status: 'declined',
      reason: ' Budget frozen until Q3 ',
    });
    expect(result).toMatchObject({ ok: true, value: { status: 'declined' } });
    expect(ports.events.rows[0]).toMatchObject({
      summary: 'Uplift seats (M365) declined by Alex Account: Budget frozen until Q3',
      detail: { reason: 'Budget frozen until Q3' },
    });
    expect(ports.audit.entries[0]).toMatchObject({
      action: 'uplift.declined',
      detail: { reason: 'Budget frozen until Q3' },
    });
  });

  test('refuses an unknown opportunity and a status other than accepted or declined', async () => {
    const { set } = withOpportunity();
    expect(await set.run(am, { opportunityId: '9:x', status: 'accepted' })).toMatchObject({
      ok: false,
      reason: 'not-found',
    });
    expect(await set.run(am, { opportunityId: '4:seats:M365', status: 'maybe' })).toMatchObject({
      ok: false,
      reason: 'invalid-input',
    });
  });
});

describe('RouteLiveRenewalCards', () => {
  const conversation: ConversationRef = {
    serviceUrl: 'https://smba.example/',
    conversationId: '19:general',
    channelId: 'msteams',
    tenantId: null,
    botId: null,
    conversationType: 'channel',
    label: 'General',
  };

  test.each([3, 0])('answers the %i cards the store routed, at the clock time', async (routed) => {
    const calls: Array<[number | null, string]> = [];
    const cards: LiveRenewalCards = {
      routeUnrouted: async (clientId, conv, now) => {
        calls.push([clientId, `${conv.conversationId}@${now.toISOString()}`]);
        return routed;
      },
    };
    const route = new RouteLiveRenewalCards({
      cards,
      clock: new FakeClock('2026-02-01T09:00:00Z'),
    });
    expect(await route.routeLiveCards(12, conversation)).toBe(routed);
    expect(calls).toEqual([[12, '19:general@2026-02-01T09:00:00.000Z']]);
  });
});
