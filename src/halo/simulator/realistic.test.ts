import {
  DEFAULT_HABITS,
  honoursFilter,
  LooseIds,
  RandomRateLimit,
  REALISTIC_HABITS,
  servingHabits,
} from './realistic';

describe('servingHabits', () => {
  test('off by default, every habit on with true, one habit changed with an object', () => {
    expect(servingHabits(undefined)).toEqual(DEFAULT_HABITS);
    expect(servingHabits(false)).toEqual(DEFAULT_HABITS);
    expect(servingHabits(true)).toEqual(REALISTIC_HABITS);
    expect(servingHabits({ tokenLifetimeSeconds: 5, pageCap: false })).toEqual({
      ...REALISTIC_HABITS,
      tokenLifetimeSeconds: 5,
      pageCap: false,
    });
  });

  test('bad options are refused, every problem listed at once', () => {
    expect(() =>
      servingHabits({
        pageCap: 0,
        authPath: '/api/x',
        rateLimitChance: 2,
        tokenLifetimeSeconds: 0,
      }),
    ).toThrow(/pageCap.*authPath.*tokenLifetimeSeconds.*rateLimitChance/);
  });
});

describe('honoursFilter', () => {
  test('the default profile applies every filter; the realistic one only documented ones', () => {
    expect(honoursFilter(DEFAULT_HABITS, 'Actions', 'lastupdatefromdate')).toBe(true);
    expect(honoursFilter(REALISTIC_HABITS, 'Actions', 'lastupdatefromdate')).toBe(false);
    expect(honoursFilter(REALISTIC_HABITS, 'Tickets', 'lastupdatefromdate')).toBe(true);
    expect(honoursFilter(REALISTIC_HABITS, 'Actions', 'ticket_id')).toBe(true);
    expect(honoursFilter(REALISTIC_HABITS, 'TimesheetEvent', 'ticket_id')).toBe(false);
  });
});

describe('LooseIds', () => {
  const ids = new LooseIds({ ...REALISTIC_HABITS, looseIdShare: 1 });
  const row = { id: 21, client_id: 4, agent_id: null, sla_id: 0, summary: 'x', parent_id: 0 };

  test('a loose record spells ids "21" or 21.0 and empty references -1, other fields untouched', () => {
    const spellings = new Set<string>();
    for (let id = 1; id <= 40; id++) {
      const text = ids.serialise('Tickets', { ...row, id });
      spellings.add(/"id":"\d+"/.test(text) ? 'string' : /"id":\d+\.0,/.test(text) ? 'float' : '?');
      const parsed = JSON.parse(text) as Record<string, unknown>;
      expect(parsed).toEqual(ids.parsed('Tickets', { ...row, id }));
      expect(parsed).toMatchObject({ agent_id: -1, sla_id: -1, parent_id: -1, summary: 'x' });
      expect(Number(parsed.id)).toBe(id);
    }
    expect([...spellings].sort()).toEqual(['float', 'string']);
  });

  test('the same records are loose on every read; share 0 leaves them as they are', () => {
    const some = new LooseIds({ ...REALISTIC_HABITS, looseIdShare: 0.25 });
    const first = Array.from({ length: 200 }, (_, i) =>
      some.serialise('Actions', { ...row, id: i + 1 }),
    );
    const again = Array.from({ length: 200 }, (_, i) =>
      some.serialise('Actions', { ...row, id: i + 1 }),
    );
    expect(again).toEqual(first);
    const loose = first.filter((t) => t.includes('-1')).length;
    expect(loose).toBeGreaterThan(20);
    expect(loose).toBeLessThan(80);
    const none = new LooseIds(DEFAULT_HABITS);
    expect(none.serialise('Actions', row)).toBe(JSON.stringify(row));
  });
});

describe('RandomRateLimit', () => {
  test('seeded: the same sequence of refusals, with and without Retry-After, near the chance', () => {
    const draws = (seed: number) => {
      const limit = new RandomRateLimit({ ...REALISTIC_HABITS, rateLimitChance: 0.1, seed });
      return Array.from({ length: 2000 }, () => limit.draw());
    };
    const a = draws(4);
    expect(draws(4)).toEqual(a);
    const refused = a.filter((d) => d !== undefined);
    expect(refused.length).toBeGreaterThan(120);
    expect(refused.length).toBeLessThan(280);
    expect(refused.some((d) => d?.retryAfterSeconds === undefined)).toBe(true);
    expect(refused.some((d) => d?.retryAfterSeconds === 1 || d?.retryAfterSeconds === 2)).toBe(
      true,
    );
    expect(new RandomRateLimit(DEFAULT_HABITS).draw()).toBeUndefined();
  });
});
