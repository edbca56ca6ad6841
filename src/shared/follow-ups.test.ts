import { FollowUps } from './follow-ups';

describe('follow-ups', () => {
  test('work starts at once, is not waited for, and idle() resolves once it has all run', async () => {
    const failures: unknown[] = [];
    const followUps = new FollowUps((error) => failures.push(error));
    const done: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    followUps.add(async () => {
      done.push('started');
      await gate;
      done.push('first');
      // Work started by work is waited for too.
      followUps.add(async () => void done.push('second'));
    });
    expect(done).toEqual(['started']);
    let idle = false;
    const waiting = followUps.idle().then(() => (idle = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(idle).toBe(false);
    release();
    await waiting;
    expect(done).toEqual(['started', 'first', 'second']);
    expect(failures).toEqual([]);
  });

  test('a failure goes to the handler, not to an unhandled rejection, and others still run', async () => {
    const failures: unknown[] = [];
    const followUps = new FollowUps((error) => failures.push(error));
    const done: string[] = [];
    followUps.add(async () => {
      throw new Error('database gone');
    });
    followUps.add(() => {
      throw new Error('thrown before any await');
    });
    followUps.add(async () => void done.push('ok'));
    await followUps.idle();
    expect(failures.map((e) => (e as Error).message).sort()).toEqual([
      'database gone',
      'thrown before any await',
    ]);
    expect(done).toEqual(['ok']);
    await expect(followUps.idle()).resolves.toBeUndefined();
  });
});
