/**
 * The renewals' 5-minute timer (issue 17, item 3): the `renewal-timers` job, run through the job
 * scheduler with an injected clock, escalates a missed customer checkpoint minutes after its due day
 * ends rather than at the next 06:00 evaluation, and neither a second tick nor the daily evaluation
 * escalates it again; it expires a concession nobody decided within the policy's expiry (audited, on
 * the timeline, its card updated, its requester told), once, and never one decided in time.
 */
import { addDays } from '../../src/domain/shared/dates';
import { JobScheduler, type JobDefinition } from '../../src/jobs/job-scheduler';
import { renewalStoreOn, type RenewalsModule } from '../../src/modules/renewals.module';
import type { ConversationRef } from '../../src/app/ports/notifications.port';
import { ConversationRoutesRepository } from '../../src/store/conversation-routes.repository';
import type { Db } from '../../src/store/db';
import { SqlRoleDirectory } from '../../src/store/role-directory.repository';
import { testDatabases, type TestDatabaseHandle } from '../support/databases';
import { person, seedContracts } from './renewal-fixtures';
import { renewalsOn } from './renewal-module';

const T = 't';
const AS_OF = '2026-03-01';
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const renewalsChannel: ConversationRef = {
  serviceUrl: 'https://smba.example/emea/',
  conversationId: '19:renewals@thread.tacv2',
  channelId: 'msteams',
  tenantId: 'entra-1',
  botId: '28:bot',
  conversationType: 'channel',
  label: 'Renewals',
};

describe.each(testDatabases())('renewal timers on $name', (database) => {
  let handle: TestDatabaseHandle;
  let now = new Date(`${AS_OF}T06:00:00Z`);
  const clock = { now: () => now };

  // One database per engine for the file, emptied before each test (as a fresh one, far cheaper).
  beforeAll(async () => {
    handle = await database.open();
  });
  afterAll(async () => {
    await handle?.dispose();
  });
  beforeEach(async () => {
    await handle.reset();
    now = new Date(`${AS_OF}T06:00:00Z`);
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

  /** A 15 % concession on contract 5, requested now by Alex (routed card in the renewals channel). */
  async function requestConcession(db: Db) {
    await seedContracts(db, T, [
      {
        id: 5,
        clientId: 2,
        type: 'Managed Services',
        start: '2025-03-01',
        end: '2026-06-30',
        monthly: 4000,
        cost: 2400,
      },
    ]);
    await new ConversationRoutesRepository(T).upsert(
      db,
      { stream: 'renewals', clientId: null, conversation: renewalsChannel },
      'admin',
      now,
    );
    const am = person('Alex Account', ['account_manager']);
    await new SqlRoleDirectory(db, T).grant([
      { aadObjectId: am.aadObjectId!, email: am.email, role: 'account_manager' },
    ]);
    const renewals = renewalsOn(db, clock, T);
    const requested = await renewals.useCases.requestConcession.run(am, {
      contractId: 5,
      discountPct: 15,
      reason: 'Competitor offer',
    });
    expect(requested.ok).toBe(true);
    return { renewals, id: requested.ok ? requested.concession.id : -1 };
  }

  test('a concession nobody decides within 14 days expires on the next tick: audited, on the timeline, card updated, requester told, once', async () => {
    const { db } = handle;
    const requestedAt = now;
    const { renewals, id } = await requestConcession(db);
    const job = timerJob(renewals);

    now = new Date(requestedAt.getTime() + 14 * DAY - 5 * MINUTE);
    await job.run(now);
    expect((await renewals.useCases.getConcession.run(id))?.status).toBe('pending');

    now = new Date(requestedAt.getTime() + 14 * DAY);
    await job.run(now);
    now = new Date(now.getTime() + 5 * MINUTE);
    await job.run(now);

    expect((await renewals.useCases.getConcession.run(id))?.status).toBe('expired');
    const audit = await db.query(
      `SELECT action, actor->>'name' AS actor_name FROM audit_log WHERE tenant_id = $1 AND subject_type = 'concession'
        ORDER BY seq`,
      [T],
    );
    expect(audit).toEqual([
      { action: 'concession.requested', actor_name: 'Alex Account' },
      { action: 'concession.expired', actor_name: 'Control Tower (renewal timer)' },
    ]);
    const timeline = await renewals.useCases.insights.timeline(5);
    expect(timeline.filter((e) => e.kind === 'concession.expired')).toEqual([
      expect.objectContaining({
        summary:
          'The 15 % concession requested by Alex Account expired: nobody decided within 14 days',
      }),
    ]);
    const rows = await db.query<{ dedupe_key: string; update_of: string | null; status: string }>(
      `SELECT dedupe_key, update_of, status FROM outbox WHERE tenant_id = $1
          AND dedupe_key LIKE '%:expired%' ORDER BY dedupe_key`,
      [T],
    );
    expect(rows).toEqual([
      { dedupe_key: `concession:${id}:expired`, update_of: `concession:${id}`, status: 'pending' },
      {
        dedupe_key: `concession:${id}:expired:people@aad-alex.account`,
        update_of: null,
        status: 'pending',
      },
      {
        dedupe_key: `concession:${id}:expired:people@aad-alex.account:feed`,
        update_of: null,
        status: 'pending',
      },
    ]);
  });

  test('a concession decided in time never expires', async () => {
    const { db } = handle;
    const requestedAt = now;
    const { renewals, id } = await requestConcession(db);
    const job = timerJob(renewals);

    now = new Date(requestedAt.getTime() + 13 * DAY);
    const approved = await renewals.useCases.decideConcession.run(
      person('Morgan Owner', ['msp_owner']),
      { concessionId: id, decision: 'approve' },
    );
    expect(approved.ok).toBe(true);
    now = new Date(requestedAt.getTime() + 15 * DAY);
    await job.run(now);

    expect((await renewals.useCases.getConcession.run(id))?.status).toBe('approved');
    expect(await db.query("SELECT 1 FROM outbox WHERE dedupe_key LIKE '%:expired%'")).toEqual([]);
  });

  test('an expired concession can no longer be decided', async () => {
    const { db } = handle;
    const requestedAt = now;
    const { renewals, id } = await requestConcession(db);
    now = new Date(requestedAt.getTime() + 15 * DAY);
    await timerJob(renewals).run(now);

    const late = await renewals.useCases.decideConcession.run(
      person('Morgan Owner', ['msp_owner']),
      { concessionId: id, decision: 'approve' },
    );

    expect(late).toMatchObject({ ok: false, reason: 'already-decided' });
    expect((await renewals.useCases.getConcession.run(id))?.status).toBe('expired');
  });
});
