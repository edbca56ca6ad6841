import { DecisionsInFlight } from './decisions-in-flight';

/** States as `v<version> <what>`: a later version is newer (one digit is enough here). */
const byVersion = (left: string, found: string) => left.slice(0, 2) > found.slice(0, 2);

describe('DecisionsInFlight', () => {
  test('hands waiters what a decision left, until it settles', async () => {
    const inFlight = new DecisionsInFlight<string>(byVersion);
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
    const inFlight = new DecisionsInFlight<string>(byVersion);
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
    const inFlight = new DecisionsInFlight<string>(byVersion);
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

  /** A read the test finishes by hand, with what it found. */
  function heldRead(inFlight: DecisionsInFlight<string>, key: string) {
    let finish!: (found: string) => void;
    const read = inFlight.read(key, () => new Promise<string>((resolve) => (finish = resolve)));
    return { read, finish: (found: string) => finish(found) };
  }

  test('a read that was in flight while a decision settled gets what the decision left', async () => {
    const inFlight = new DecisionsInFlight<string>(byVersion);
    const before = heldRead(inFlight, 'g1');
    const newerElsewhere = heldRead(inFlight, 'g1');
    const otherSubject = heldRead(inFlight, 'g2');
    await inFlight.record('g1', Promise.resolve(1), () => 'v2 decided');
    // Begun after the decision settled: what it read stands.
    const after = heldRead(inFlight, 'g1');
    before.finish('v1 pending (read before the commit)');
    // Another process changed it again after this decision: the read saw that, and keeps it.
    newerElsewhere.finish('v3 re-requested elsewhere');
    otherSubject.finish('v1 g2 as read');
    after.finish('v2 decided (read after the commit)');
    expect(await before.read).toBe('v2 decided');
    expect(await newerElsewhere.read).toBe('v3 re-requested elsewhere');
    expect(await otherSubject.read).toBe('v1 g2 as read');
    expect(await after.read).toBe('v2 decided (read after the commit)');
  });

  test('a failed decision, or one that left nothing to judge on, leaves reads as read', async () => {
    const inFlight = new DecisionsInFlight<string>(byVersion);
    const reads = [heldRead(inFlight, 'g1'), heldRead(inFlight, 'g2')];
    await expect(
      inFlight.record('g1', Promise.reject(new Error('connection lost')), () => 'never'),
    ).rejects.toThrow('connection lost');
    await inFlight.record('g2', Promise.resolve(0), () => null);
    reads[0]!.finish('v0 g1 as read');
    reads[1]!.finish('v0 g2 as read');
    expect(await reads[0]!.read).toBe('v0 g1 as read');
    expect(await reads[1]!.read).toBe('v0 g2 as read');
  });
});
