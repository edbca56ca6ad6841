import { ioPacer } from './io-pace';

describe('ioPacer', () => {
  test('lets the event loop turn every nth call, and only then', async () => {
    const pace = ioPacer(3);
    const events: string[] = [];
    setImmediate(() => events.push('io'));
    for (let i = 1; i <= 3; i++) {
      await pace();
      events.push(`item ${i}`);
    }
    // The first two calls resolve without a turn; the third waits for one, so the I/O callback
    // queued before the loop runs before the third item.
    expect(events).toEqual(['item 1', 'item 2', 'io', 'item 3']);
  });

  test('a turn every call when asked for one every call or less', async () => {
    for (const every of [1, 0, -5]) {
      const pace = ioPacer(every);
      const events: string[] = [];
      setImmediate(() => events.push('io'));
      await pace();
      events.push('item');
      expect(events).toEqual(['io', 'item']);
    }
  });
});
