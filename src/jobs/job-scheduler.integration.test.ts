import { reusedDatabase, testDatabases } from '../../tests/support/databases';
import { JobScheduler, type JobDefinition } from './job-scheduler';

const silent = { info: () => undefined, error: () => undefined };
const clock = { now: () => new Date('2026-11-23T06:00:00Z') };

describe.each(testDatabases())('job scheduler on $name', (database) => {
  // One database for the block, reset for each test (tests/support/databases.ts).
  const target = reusedDatabase(database);
  test('runs an occurrence once and refuses a second claim for the same scheduled time', async () => {
    const handle = await target.open();
    try {
      const runs: string[] = [];
      const job: JobDefinition = {
        name: 'evaluate',
        cron: '0 6 * * *',
        run: async (at) => void runs.push(at.toISOString()),
      };
      const scheduler = new JobScheduler({
        db: handle.db,
        tenantId: 't1',
        instanceId: 'a',
        clock,
        logger: silent,
      });
      const at = new Date('2026-11-23T06:00:00Z');
      expect(await scheduler.runOccurrence(job, at)).toBe('ran');
      expect(await scheduler.runOccurrence(job, at)).toBe('claimed-elsewhere');
      expect(await scheduler.runOccurrence(job, new Date('2026-11-24T06:00:00Z'))).toBe('ran');
      expect(runs).toEqual(['2026-11-23T06:00:00.000Z', '2026-11-24T06:00:00.000Z']);
    } finally {
      await handle.dispose();
    }
  });

  test('records a failed run with its error', async () => {
    const handle = await target.open();
    try {
      const scheduler = new JobScheduler({
        db: handle.db,
        tenantId: 't1',
        instanceId: 'a',
        clock,
        logger: silent,
      });
      const job: JobDefinition = {
        name: 'sync',
        cron: '*/15 * * * *',
        run: async () => {
          throw new Error('halo down');
        },
      };
      expect(await scheduler.runOccurrence(job, new Date('2026-11-23T06:15:00Z'))).toBe('failed');
      const rows = await handle.db.query<{ status: string; error: string }>(
        'SELECT status, error FROM job_runs',
      );
      expect(rows).toEqual([{ status: 'failed', error: 'halo down' }]);
    } finally {
      await handle.dispose();
    }
  });
});

const postgres = testDatabases().find((d) => d.name === 'postgres');
(postgres ? test : test.skip)(
  'two instances on one PostgreSQL run each scheduled occurrence once',
  async () => {
    const handle = await postgres!.open();
    try {
      const runs: Array<{ instance: string; at: string }> = [];
      const instances = ['a', 'b'].map(
        (instanceId) =>
          new JobScheduler({
            db: handle.connect(),
            tenantId: 't1',
            instanceId,
            clock,
            logger: silent,
          }),
      );
      const jobFor = (instance: string): JobDefinition => ({
        name: 'sync',
        cron: '*/15 * * * *',
        run: async (at) => void runs.push({ instance, at: at.toISOString() }),
      });
      const times = [0, 15, 30, 45].map((m) => new Date(Date.UTC(2026, 10, 23, 6, m)));
      await Promise.all(
        times.flatMap((at) => instances.map((s, i) => s.runOccurrence(jobFor(['a', 'b'][i]!), at))),
      );
      expect(runs.map((r) => r.at).sort()).toEqual(times.map((t) => t.toISOString()));
    } finally {
      await handle.dispose();
    }
  },
);
