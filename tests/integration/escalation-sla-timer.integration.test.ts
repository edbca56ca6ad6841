/**
 * The escalation SLA ladder keeps time (issue 17, item 3): the delivery module's 5-minute
 * `escalation-sla` job, run through the job scheduler with an injected clock, re-escalates a
 * high-severity escalation nobody acknowledged to the delivery director 4 h + 4 h after it opened,
 * not at the next daily evaluation; a second run in the same five minutes adds nothing.
 */
import { Writable } from 'node:stream';
import { TabLinks } from '../../bot/tab-links';
import { EscalationActionsService } from '../../src/app/delivery/escalation-actions';
import type { ConversationRef } from '../../src/app/ports/notifications.port';
import { evaluateEscalations } from '../../src/domain/delivery/escalation';
import { assessProject, type ProjectAssessment } from '../../src/domain/delivery/health-score';
import { toSnapshot } from '../../src/domain/delivery/health-snapshot';
import { DEFAULT_DELIVERY_POLICY } from '../../src/domain/delivery/policy';
import { referenceFacts } from '../../src/domain/delivery/testing/facts-builder';
import { JobScheduler, type JobDefinition } from '../../src/jobs/job-scheduler';
import { createDeliveryModule } from '../../src/modules/delivery.module';
import { escalationNotifier } from '../../src/notifications/escalation-notifier';
import { createLogger } from '../../src/observability/logger';
import { ChangeSignal } from '../../src/shared/signal';
import { ConversationRoutesRepository } from '../../src/store/conversation-routes.repository';
import type { Db } from '../../src/store/db';
import { SqlDeliveryStore } from '../../src/store/delivery.repository';
import { SqlEscalationRecords } from '../../src/store/escalation-records.repository';
import { SqlRoleDirectory } from '../../src/store/role-directory.repository';
import { testDatabases, type TestDatabaseHandle } from '../support/databases';

const TENANT = 'sla-tenant';
/** Opened after the 06:00 daily evaluation: the next daily run is 21 h away. */
const OPENED = new Date('2026-11-23T09:00:00.000Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
const incidents: ConversationRef = {
  serviceUrl: 'https://smba.example/emea/',
  conversationId: '19:incidents@thread.tacv2',
  channelId: 'msteams',
  tenantId: 'entra-1',
  botId: '28:bot',
  conversationType: 'channel',
  label: 'Incidents',
};

/** A red burn signal that persisted: the evaluation opens a high-severity escalation on it. */
function redAssessment(): ProjectAssessment {
  const a = assessProject(
    referenceFacts({ projectId: '501', clientId: '7', name: 'Core switch refresh' }),
    DEFAULT_DELIVERY_POLICY,
  );
  return {
    ...a,
    rag: 'red',
    signals: {
      ...a.signals,
      burn: {
        ...a.signals.burn,
        level: 'red',
        persistentLevel: 'red',
        peakLevel: 'red',
        recovered: false,
      },
    },
  };
}

describe.each(testDatabases())('escalation SLA timer on $name', (database) => {
  let handle: TestDatabaseHandle;
  let now = OPENED;
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
    now = OPENED;
  });

  /** Opens the escalation the way the daily evaluation does, and returns its id. */
  async function openHighEscalation(db: Db): Promise<string> {
    await db.query(
      `INSERT INTO halo_projects (tenant_id, id, client_id, summary, agent_id, raw, hash, synced_at)
       VALUES ($1, 501, 7, 'Core switch refresh', 40, '{}', 'h', $2)`,
      [TENANT, OPENED.toISOString()],
    );
    await new ConversationRoutesRepository(TENANT).upsert(
      db,
      { stream: 'incidents', clientId: null, conversation: incidents },
      'admin',
      OPENED,
    );
    const assessment = redAssessment();
    const [decision] = evaluateEscalations({
      now: OPENED.toISOString(),
      assessment,
      openEscalations: [],
      policy: DEFAULT_DELIVERY_POLICY,
      owners: { deliveryDirectorAgentId: null, incidentCommanderAgentId: null },
    });
    expect(decision?.escalation).toEqual(
      expect.objectContaining({ severity: 'high', incidentCommander: true }),
    );
    const store = new SqlDeliveryStore(
      db,
      TENANT,
      clock,
      escalationNotifier({
        tenantId: TENANT,
        records: new SqlEscalationRecords(db),
        clock,
        logger: { info: () => undefined },
      }),
    );
    await store.inTransaction(async (uow) => {
      await uow.saveSnapshot(501, '2026-11-23', {
        snapshot: toSnapshot(assessment),
        assessment,
        changes: [],
      });
      await uow.applyDecision(decision!);
    });
    return decision!.escalation.id;
  }

  function slaJob(db: Db): JobDefinition {
    const delivery = createDeliveryModule({
      db,
      tenantId: TENANT,
      mode: 'production',
      clock,
      logger: createLogger('silent', {}, quiet),
      roles: new SqlRoleDirectory(db, TENANT),
      sso: {
        clientId: 'tab-client',
        appIdUri: null,
        allowedTenantIds: ['entra-1'],
        openIdMetadataUrl: 'http://127.0.0.1:9/none',
      },
      outbox: new ChangeSignal(),
      schedules: { evaluate: '0 6 * * *', weeklyReport: '0 7 * * 1' },
      links: new TabLinks({ teamsAppId: null, entityId: 'portfolio', webBaseUrl: 'http://x' }),
      liveCards: {},
    });
    const job = delivery.jobs.find((j) => j.name === 'escalation-sla');
    expect(job?.cron).toBe('*/5 * * * *');
    return job!;
  }

  const reescalations = (db: Db, id: string) =>
    db.query<{ dedupe_key: string; status: string; conversation_key: string | null; text: string }>(
      `SELECT dedupe_key, status, conversation_key, payload->'notice'->>'text' AS text FROM outbox
        WHERE tenant_id = $1 AND update_of = $2 ORDER BY id`,
      [TENANT, `escalation:${id}:opened`],
    );

  test('a high-severity escalation nobody acknowledges reaches the delivery director 4 h + 4 h after it opened', async () => {
    const { db } = handle;
    const id = await openHighEscalation(db);
    const job = slaJob(db);
    const scheduler = new JobScheduler({
      db,
      tenantId: TENANT,
      instanceId: 'a',
      clock,
      logger: { info: () => undefined, error: () => undefined },
    });

    let reachedAt: Date | null = null;
    for (
      let t = OPENED.getTime() + 5 * MINUTE;
      t <= OPENED.getTime() + 10 * HOUR;
      t += 5 * MINUTE
    ) {
      now = new Date(t);
      expect(await scheduler.runOccurrence(job, now)).toBe('ran');
      if (reachedAt === null && (await reescalations(db, id)).length > 0) reachedAt = now;
    }

    expect(reachedAt).not.toBeNull();
    const lateBy = reachedAt!.getTime() - (OPENED.getTime() + 8 * HOUR);
    expect(Math.abs(lateBy)).toBeLessThanOrEqual(5 * MINUTE);
    const rows = await reescalations(db, id);
    expect(rows).toEqual([
      {
        dedupe_key: `escalation:${id}:v2`,
        status: 'pending',
        conversation_key: expect.stringContaining('19:incidents@thread.tacv2'),
        text: 'Re-escalated to the delivery director: not acknowledged within the SLA',
      },
    ]);
    const [state] = await db.query<{ at: string }>(
      `SELECT state->>'reescalatedAt' AS at FROM escalations WHERE tenant_id = $1 AND id = $2`,
      [TENANT, id],
    );
    expect(Date.parse(state!.at)).toBe(reachedAt!.getTime());
  });

  test('a second run in the same five minutes, on any instance, re-escalates nothing twice', async () => {
    const { db } = handle;
    const id = await openHighEscalation(db);
    const job = slaJob(db);
    const logger = { info: () => undefined, error: () => undefined };
    const a = new JobScheduler({ db, tenantId: TENANT, instanceId: 'a', clock, logger });
    const b = new JobScheduler({ db, tenantId: TENANT, instanceId: 'b', clock, logger });
    now = new Date(OPENED.getTime() + 8 * HOUR);

    expect(await a.runOccurrence(job, now)).toBe('ran');
    expect(await b.runOccurrence(job, now)).toBe('claimed-elsewhere');
    // A run for another scheduled time inside the same five minutes (a retry, a clock skew).
    now = new Date(now.getTime() + 2 * MINUTE);
    expect(await b.runOccurrence(job, now)).toBe('ran');
    await job.run(now);

    expect(await reescalations(db, id)).toHaveLength(1);
  });

  test('an acknowledged escalation is never re-escalated', async () => {
    const { db } = handle;
    const id = await openHighEscalation(db);
    const job = slaJob(db);
    now = new Date(OPENED.getTime() + 2 * HOUR);
    const acknowledged = await new EscalationActionsService(
      new SqlEscalationRecords(db),
      clock,
    ).acknowledge(TENANT, id, {
      aadObjectId: 'aad-40',
      name: 'Pat PM',
      email: null,
      roles: ['pm'],
      haloAgentId: 40,
    });
    expect(acknowledged.ok).toBe(true);

    for (const hours of [8, 9, 24]) {
      now = new Date(OPENED.getTime() + hours * HOUR);
      await job.run(now);
    }

    expect(await reescalations(db, id)).toEqual([]);
  });
});
