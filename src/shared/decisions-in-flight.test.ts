import { DecisionsInFlight } from './decisions-in-flight';

describe('DecisionsInFlight', () => {
  test('hands waiters what a decision left, until it settles', async () => {
    const inFlight = new DecisionsInFlight<string>();
    expect(inFlight.other('g1', null)).toBeNull();
    let finish!: (value: number) => void;
    const decided = inFlight.record(
      'g1',
      new Promise<number>((resolve) => (finish = resolve)),
      (n) => `left by decision ${n}`,
    );
    const waiting = inFlight.other('g1', null);
    expect(waiting).not.toBeNull();
    expect(inFlight.other('g2', null)).toBeNull();
    // A decider never waits twice for the same decision.
    expect(inFlight.other('g1', waiting)).toBeNull();
    finish(7);
    expect(await decided).toBe(7);
    expect(await waiting).toBe('left by decision 7');
    expect(inFlight.other('g1', null)).toBeNull();
  });

  test('a failed decision leaves its waiters nothing, and its decider the error', async () => {
    const inFlight = new DecisionsInFlight<string>();
    let fail!: (error: Error) => void;
    const decided = inFlight.record(
      'g1',
      new Promise<number>((_, reject) => (fail = reject)),
      () => 'never',
    );
    const waiting = inFlight.other('g1', null);
    fail(new Error('connection lost'));
    await expect(decided).rejects.toThrow('connection lost');
    expect(await waiting).toBeNull();
    expect(inFlight.other('g1', null)).toBeNull();
  });

  test('a later decision on the same subject is not cleared by an earlier one settling', async () => {
    const inFlight = new DecisionsInFlight<string>();
    let finishFirst!: (value: number) => void;
    const first = inFlight.record(
      'g1',
      new Promise<number>((resolve) => (finishFirst = resolve)),
      () => 'first',
    );
    let finishSecond!: (value: number) => void;
    const second = inFlight.record(
      'g1',
      new Promise<number>((resolve) => (finishSecond = resolve)),
      () => 'second',
    );
    finishFirst(1);
    await first;
    const waiting = inFlight.other('g1', null);
    finishSecond(2);
    await second;
    expect(await waiting).toBe('second');
  });
});
