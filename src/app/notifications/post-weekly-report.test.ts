import { CountingSignal, FakeDeliveryQueries, FakeOutbox } from '../../../tests/bot/fakes';
import type { DeliveryQueries } from '../delivery-views';
import type { PilotAllowList } from '../../domain/shared/pilot';
import { defaultPilot, type PilotSettingsView } from '../settings/settings-views';
import { PostWeeklyReport } from './post-weekly-report';

/** The report fake, recording which allow-list each report was asked for. */
class RecordingReports implements Pick<DeliveryQueries, 'weeklyReport'> {
  readonly asked: PilotAllowList[] = [];
  private readonly inner = new FakeDeliveryQueries();
  async weeklyReport(_tenantId: string, allowList: PilotAllowList = null) {
    this.asked.push(allowList);
    return this.inner.weeklyReport();
  }
}

function setUp(pilot: Partial<PilotSettingsView> = {}) {
  const outbox = new FakeOutbox();
  const signal = new CountingSignal();
  const reports = new RecordingReports();
  const post = new PostWeeklyReport({
    tenantId: 'tenant-a',
    reports,
    outbox,
    outboxSignal: signal,
    pilot: { pilot: async () => ({ ...defaultPilot(), ...pilot }) },
  });
  return { post, outbox, signal, reports };
}

describe('PostWeeklyReport', () => {
  test('queues the report for the reports channel once per week and wakes the outbox', async () => {
    const { post, outbox, signal, reports } = setUp();

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
    expect(reports.asked).toEqual([null, null]);
  });

  test('with the weekly report switched off nothing is computed or queued', async () => {
    const { post, outbox, signal, reports } = setUp({
      automations: { ...defaultPilot().automations, weeklyReport: false },
    });

    expect(await post.run()).toEqual({ status: 'held', verdict: 'off', weekOf: null, lines: 0 });
    expect(outbox.committed).toEqual([]);
    expect(reports.asked).toEqual([]);
    expect(signal.count).toBe(0);
  });

  test('in shadow mode the report is computed and reported back for the log, never queued', async () => {
    const { post, outbox } = setUp({ shadowMode: true });

    const posting = await post.run();

    expect(posting).toMatchObject({ status: 'held', verdict: 'shadow', lines: 3 });
    expect(outbox.committed).toEqual([]);
  });

  test('with the allow-list on the report covers only the listed clients and projects', async () => {
    const { post, outbox, reports } = setUp({
      scopeEnabled: true,
      clientIds: [5],
      projectIds: [9],
    });

    expect((await post.run()).status).toBe('queued');
    expect(reports.asked).toEqual([{ clientIds: [5], projectIds: [9] }]);
    expect(outbox.committed).toHaveLength(1);
  });
});
