import { CountingSignal, FakeDeliveryQueries, FakeOutbox } from '../../../tests/bot/fakes';
import { PostWeeklyReport } from './post-weekly-report';

describe('PostWeeklyReport', () => {
  test('queues the report for the reports channel once per week and wakes the outbox', async () => {
    const outbox = new FakeOutbox();
    const signal = new CountingSignal();
    const post = new PostWeeklyReport({
      tenantId: 'tenant-a',
      reports: new FakeDeliveryQueries(),
      outbox,
      outboxSignal: signal,
    });

    const first = await post.run();
    const second = await post.run();

    expect(first).toEqual({ status: 'queued', id: 1 });
    expect(second).toEqual({ status: 'duplicate' });
    expect(outbox.committed).toHaveLength(1);
    expect(outbox.committed[0]).toMatchObject({
      dedupeKey: expect.stringMatching(/^weekly-report:\d{4}-\d{2}-\d{2}$/),
      kind: 'weekly-report',
      target: { streams: ['reports'], clientId: null },
    });
    expect(signal.count).toBe(2);
  });
});
