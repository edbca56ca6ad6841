import {
  explainDeliveryFailure,
  orderDeliveryFailures,
  type DeliveryFailureCount,
} from './delivery-failures';

const group = (patch: Partial<DeliveryFailureCount>): DeliveryFailureCount => ({
  stream: 'renewals',
  cause: 'no-channel',
  count: 24,
  clients: 24,
  firstAt: '2026-11-23T06:30:00.000Z',
  lastAt: '2026-11-23T06:31:00.000Z',
  example: 'no channel subscribed to renewals for client 12',
  ...patch,
});

describe('undelivered notifications, explained', () => {
  test('no channel for a per-client stream names the clients and the /subscribe command', () => {
    const g = explainDeliveryFailure(group({}));
    expect(g.problem).toBe(
      'no channel subscribed to renewals for 24 clients (24 notifications waiting)',
    );
    expect(g.fix).toContain('"@Control Tower /subscribe renewals"');
    expect(g.fix).toContain('the cards still live are posted there at once');
  });

  test('no channel for the portfolio-wide reports stream says no clients and promises no live cards', () => {
    const g = explainDeliveryFailure(group({ stream: 'reports', count: 1, clients: 0 }));
    expect(g.problem).toBe('no channel subscribed to reports (1 notification waiting)');
    expect(g.fix).toContain('/subscribe reports');
    expect(g.fix).not.toContain('live');
  });

  test('high-severity escalations waiting for an incidents channel can also go to escalations', () => {
    const g = explainDeliveryFailure(group({ stream: 'incidents', count: 8, clients: 7 }));
    expect(g.problem).toBe(
      'no channel subscribed to incidents for 7 clients (8 notifications waiting)',
    );
    expect(g.fix).toContain('"/subscribe escalations" also fixes it');
  });

  test.each([
    ['not-allowed', /BOT_ID/],
    ['conversation-gone', /subscribe another channel/],
    ['teams-unavailable', /transient/],
    ['cannot-render', /bug/],
    ['original-not-posted', /nothing of their own/],
    ['before-subscription', /nothing to do/],
    ['other', /error shown/],
  ] as const)('%s has a fix', (cause, fix) => {
    expect(explainDeliveryFailure(group({ cause })).fix).toMatch(fix);
  });

  test('groups come most actionable first, then the largest', () => {
    const ordered = orderDeliveryFailures([
      group({ cause: 'original-not-posted', count: 40 }),
      group({ stream: 'escalations', cause: 'no-channel', count: 5 }),
      group({ cause: 'before-subscription', count: 90 }),
      group({ stream: 'renewals', cause: 'no-channel', count: 24 }),
      group({ stream: 'gates', cause: 'not-allowed', count: 1 }),
    ]);
    expect(ordered.map((g) => [g.stream, g.cause, g.count])).toEqual([
      ['renewals', 'no-channel', 24],
      ['escalations', 'no-channel', 5],
      ['gates', 'not-allowed', 1],
      ['renewals', 'original-not-posted', 40],
      ['renewals', 'before-subscription', 90],
    ]);
  });
});
