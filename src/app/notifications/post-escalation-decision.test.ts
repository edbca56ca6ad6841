import type { Escalation, EscalationDecision } from '../../domain/delivery/escalation';
import { escalationView } from '../../../tests/bot/view-fixtures';
import type { NotificationIntent } from '../ports/notifications.port';
import type { EscalationPostingPorts } from './escalation-posting.port';
import { postEscalationDecision } from './post-escalation-decision';

function decision(
  kind: EscalationDecision['kind'],
  over: { shadow?: boolean; incidentCommander?: boolean; events?: number } = {},
): EscalationDecision {
  const escalation = {
    id: 'esc-9',
    clientId: '7',
    projectId: '2000',
    incidentCommander: over.incidentCommander ?? false,
    ownerAgentId: '31',
    events: Array.from({ length: over.events ?? 1 }, () => ({})),
  } as unknown as Escalation;
  return {
    kind,
    escalation,
    shadow: over.shadow ?? false,
    reason: 'score below threshold',
    notification: {} as EscalationDecision['notification'],
  };
}

function ports(verdict = 'post') {
  const queued: NotificationIntent[] = [];
  const asked: { clientId: number | null; projectId: number | null }[] = [];
  const bound: EscalationPostingPorts = {
    pilotVerdict: async (target) => {
      asked.push(target);
      return verdict;
    },
    view: async () => escalationView({ id: 'esc-9' }),
    outbox: {
      enqueue: async (intent) => {
        queued.push(intent);
        return { status: 'queued', id: queued.length };
      },
    },
  };
  return { bound, queued, asked };
}

describe('postEscalationDecision', () => {
  test('posts an opening to the escalations channel of its client', async () => {
    const { bound, queued, asked } = ports();

    const posting = await postEscalationDecision(decision('open'), bound);

    expect(posting).toEqual({ posted: true });
    expect(asked).toEqual([{ clientId: 7, projectId: 2000 }]);
    const payload = { escalation: escalationView({ id: 'esc-9' }) };
    expect(queued).toEqual([
      {
        dedupeKey: 'escalation:esc-9:opened',
        kind: 'escalation',
        payload,
        target: { streams: ['escalations'], clientId: 7 },
        mentionAgentId: 31,
      },
      {
        dedupeKey: 'escalation:esc-9:opened:people',
        kind: 'escalation',
        payload,
        target: {
          people: expect.objectContaining({
            activityType: 'escalationOwner',
            audience: expect.objectContaining({ agentIds: [31], roles: [] }),
            link: { page: 'escalation', escalationId: 'esc-9', projectId: 1042 },
          }),
        },
      },
    ]);
  });

  test('tells the incident commander first, then the owner (unless the owner is the commander)', async () => {
    const { bound, queued } = ports();

    await postEscalationDecision(decision('open', { incidentCommander: true }), bound);

    expect(queued.slice(1).map((i) => [i.dedupeKey, i.target])).toEqual([
      [
        'escalation:esc-9:opened:people',
        {
          people: expect.objectContaining({
            activityType: 'incidentCommand',
            audience: expect.objectContaining({ roles: ['delivery_director'] }),
          }),
        },
      ],
      [
        'escalation:esc-9:opened:owner',
        {
          people: expect.objectContaining({
            activityType: 'escalationOwner',
            audience: expect.objectContaining({
              agentIds: [31],
              exceptRoles: ['delivery_director'],
            }),
          }),
        },
      ],
    ]);
  });

  test('sends a high-severity opening to the incident channel first', async () => {
    const { bound, queued } = ports();

    await postEscalationDecision(decision('open', { incidentCommander: true }), bound);

    expect(queued[0]?.target).toEqual({ streams: ['incidents', 'escalations'], clientId: 7 });
  });

  test.each([
    ['update', 'Updated'],
    ['resolve', 'Resolved: back below the back-to-green level'],
    ['re-escalate', 'Re-escalated to the delivery director: not acknowledged within the SLA'],
  ] as const)('updates the opening post in place on %s', async (kind, text) => {
    const { bound, queued } = ports();

    await postEscalationDecision(decision(kind, { events: 3 }), bound);

    expect(queued[0]).toEqual({
      dedupeKey: 'escalation:esc-9:v3',
      kind: 'escalation',
      payload: { escalation: escalationView({ id: 'esc-9' }), notice: { tone: 'success', text } },
      updateOf: 'escalation:esc-9:opened',
      // A state change goes ahead of card refreshes in the outbox; new figures do not.
      decision: kind !== 'update',
    });
    // Only a re-escalation tells someone new: the delivery director, personally.
    expect(queued.slice(1).map((i) => [i.dedupeKey, i.target])).toEqual(
      kind === 're-escalate'
        ? [
            [
              'escalation:esc-9:v3:people',
              {
                people: expect.objectContaining({
                  activityType: 'reEscalation',
                  audience: expect.objectContaining({ roles: ['delivery_director'] }),
                }),
              },
            ],
          ]
        : [],
    );
  });

  test('holds back shadow-mode decisions without asking the pilot settings', async () => {
    const { bound, queued, asked } = ports();

    const posting = await postEscalationDecision(decision('open', { shadow: true }), bound);

    expect(posting).toEqual({ posted: false, why: 'shadow' });
    expect(asked).toEqual([]);
    expect(queued).toEqual([]);
  });

  test('holds back what the pilot settings do not allow', async () => {
    const { bound, queued } = ports('out-of-scope');

    const posting = await postEscalationDecision(decision('open'), bound);

    expect(posting).toEqual({ posted: false, why: 'pilot', verdict: 'out-of-scope' });
    expect(queued).toEqual([]);
  });
});
