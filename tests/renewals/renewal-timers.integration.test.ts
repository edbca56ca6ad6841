/**
 * The renewals' 5-minute timer (issue 17, item 3): the `renewal-timers` job, run through the job
 * scheduler with an injected clock, escalates a missed customer checkpoint minutes after its due day
 * ends rather than at the next 06:00 evaluation, and neither a second tick nor the daily evaluation
 * escalates it again.
 */
import { addDays } from '../../src/domain/shared/dates';
import { JobScheduler, type JobDefinition } from '../../src/jobs/job-scheduler';
import { renewalStoreOn, type RenewalsModule } from '../../src/modules/renewals.module';
import type { Db } from '../../src/store/db';
import { testDatabases, type TestDatabaseHandle } from '../support/databases';
import { seedContracts } from './renewal-fixtures';
import { renewalsOn } from './renewal-module';

const T = 't';
const AS_OF = '2026-03-01';
const MINUTE = 60_000;

describe.each(testDatabases())('renewal timers on $name', (database) => {
  let handle: TestDatabaseHandle;
  let now = new Date(`${AS_OF}T06:00:00Z`);
  const clock = { now: () => now };

  beforeEach(async () => {
    handle = await database.open();
    now = new Date(`${AS_OF}T06:00:00Z`);
  });
  afterEach(async () => {
    await handle.dispose();
  });

  /** One contract 80 days from its end: the daily evaluation opens its 90-day stage. */
  async function openStage(db: Db): Promise<{ renewals: RenewalsModule; dueOn: string }> {
    await seedContracts(db, T, [
      {
        id: 1,
        clientId: 1,
        type: 'Managed Services',
        start: '2025-05-20',
        end: addDays(AS_OF, 80),
        monthly: 1000,
      },
    ]);
    const renewals = renewalsOn(db, clock, T);
    const report = await renewals.evaluate({ asOf: AS_OF });
    expect(report.stagesOpened).toEqual([{ contractId: 1, stage: '90' }]);
    const [stage] = await renewalStoreOn(db, T).stages.stageTasks();
    return { renewals, dueOn: stage!.checkpointDueOn };
  }

  function timerJob(renewals: RenewalsModule): JobDefinition {
    const job = renewals.jobs.find((j) => j.name === 'renewal-timers');
    expect(job?.cron).toBe('*/5 * * * *');
    return job!;
  }

  const escalationRows = (db: Db) =>
    db.query<{ dedupe_key: string; update_of: string | null }>(
      `SELECT dedupe_key, update_of FROM outbox WHERE tenant_id = $1 AND dedupe_key LIKE '%:escalated%'
        ORDER BY dedupe_key`,
      [T],
    );
  const escalationEvents = (db: Db) =>
    db.query(
      "SELECT summary FROM renewal_events WHERE tenant_id = $1 AND kind = 'escalation.opened'",
      [T],
    );

  test('a missed checkpoint escalates within five minutes of its due day ending, not at 06:00', async () => {
    const { db } = handle;
    const { renewals, dueOn } = await openStage(db);
    const job = timerJob(renewals);
    const scheduler = new JobScheduler({
      db,
      tenantId: T,
      instanceId: 'a',
      clock,
      logger: { info: () => undefined, error: () => undefined },
    });

    now = new Date(`${dueOn}T23:55:00Z`);
    expect(await scheduler.runOccurrence(job, now)).toBe('ran');
    expect(await escalationRows(db)).toEqual([]);

    now = new Date(`${addDays(dueOn, 1)}T00:00:00Z`);
    expect(await scheduler.runOccurrence(job, now)).toBe('ran');

    expect(await escalationRows(db)).toEqual([
      { dedupe_key: 'renewal-stage:1:90:escalated', update_of: 'renewal-stage:1:90' },
    ]);
    expect(await escalationEvents(db)).toEqual([
      { summary: `Checkpoint due ${dueOn} was not logged: escalated to the cs lead` },
    ]);
    const [stage] = await renewalStoreOn(db, T).stages.stageTasks();
    expect(stage?.status).toBe('escalated');
  });

  test('neither a second tick nor the daily evaluation escalates the same checkpoint twice', async () => {
    const { db } = handle;
    const { renewals, dueOn } = await openStage(db);
    const job = timerJob(renewals);
    const day = addDays(dueOn, 1);
    now = new Date(`${day}T00:05:00Z`);

    await job.run(now);
    now = new Date(now.getTime() + 5 * MINUTE);
    await job.run(now);
    now = new Date(`${day}T06:00:00Z`);
    const daily = await renewals.evaluate({ asOf: day });

    expect(daily.escalated).toEqual([]);
    expect(await escalationRows(db)).toHaveLength(1);
    expect(await escalationEvents(db)).toHaveLength(1);
  });

  test('a checkpoint logged before its due day passes is never escalated', async () => {
    const { db } = handle;
    const { renewals, dueOn } = await openStage(db);
    const job = timerJob(renewals);
    const [stage] = await renewalStoreOn(db, T).stages.stageTasks();
    const checkpoint = stage!.tasks.find((t) => t.kind === 'customer-checkpoint')!;
    await renewalStoreOn(db, T).stages.updateStage(
      1,
      '90',
      stage!.version,
      {
        status: 'open',
        tasks: stage!.tasks.map((t) =>
          t.id === checkpoint.id ? { ...t, completedOn: addDays(dueOn, -1) } : t,
        ),
      },
      now,
    );

    now = new Date(`${addDays(dueOn, 2)}T00:00:00Z`);
    await job.run(now);

    expect(await escalationRows(db)).toEqual([]);
  });
});
