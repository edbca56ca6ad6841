/**
 * The delivery loop's ends on PGlite and PostgreSQL, through their SQL adapters: a re-baseline
 * request decided by a PMO lead becomes the baseline the evaluation uses; a closed project gets one
 * post-project review, whose policy tuning a PMO lead can accept as the next policy version.
 */
import { AcceptPolicyTuning } from '../../src/app/delivery/accept-policy-tuning';
import { DecideRebaseline } from '../../src/app/delivery/decide-rebaseline';
import { EvaluateDelivery } from '../../src/app/delivery/evaluate-delivery';
import { RequestRebaseline } from '../../src/app/delivery/request-rebaseline';
import { ReviewClosedProjects } from '../../src/app/delivery/review-closed-projects';
import type { Actor } from '../../src/app/delivery-views';
import { AuditLog, verifyAuditChain } from '../../src/audit/audit-log';
import { outboxOn } from '../../src/notifications/outbox';
import type { Db } from '../../src/store/db';
import { SqlEscalationHistory } from '../../src/store/delivery-escalation-history.repository';
import { SqlDeliveryHistoryReader } from '../../src/store/delivery-history.repository';
import { SqlDeliveryStore } from '../../src/store/delivery.repository';
import { HaloMirrorRepository, type MirrorRecord } from '../../src/store/halo-mirror.repository';
import { postProjectReviewsOn } from '../../src/store/post-project-reviews.repository';
import { rebaselineRequestsOn } from '../../src/store/rebaseline-requests.repository';
import { transactional } from '../../src/store/transactional';
import { FakeClock } from '../bot/fakes';
import { testDatabases, type TestDatabaseHandle } from '../support/databases';

const TENANT = 'tenant-loop-ends';
const PROJECT = 600;
const SYNCED = '2025-03-14T08:00:00Z';
const signal = { notify: () => undefined };
const person = (name: string, roles: Actor['roles'], haloAgentId: number | null): Actor => ({
  aadObjectId: `aad-${name}`,
  name,
  email: `${name}@msp.example`,
  roles,
  haloAgentId,
});
const MEGAN = person('megan', ['pm'], 5);
const ADELE = person('adele', ['pmo_lead'], 6);
const PATTI = person('patti', ['account_manager'], 7);
const rec = (data: Record<string, unknown>): MirrorRecord => ({
  id: Number(data.id),
  data,
  raw: data,
});

function project(patch: Record<string, unknown> = {}): MirrorRecord {
  return rec({
    id: PROJECT,
    summary: 'Firewall refresh',
    client_id: 7,
    agent_id: 5,
    status_id: 2,
    dateoccurred: '2025-01-02T00:00:00',
    startdate: '2025-01-06T00:00:00',
    targetdate: '2025-04-30T00:00:00',
    projecttimebudget: 100,
    projectmoneybudget: 10_000,
    ...patch,
  });
}

describe.each(testDatabases())('the delivery loop ends in SQL ($name)', (database) => {
  let handle: TestDatabaseHandle;
  let db: Db;
  let clock: FakeClock;
  let mirror: HaloMirrorRepository;
  let evaluation: EvaluateDelivery;
  let request: RequestRebaseline;
  let decide: DecideRebaseline;
  let review: ReviewClosedProjects;
  let accept: AcceptPolicyTuning;

  const outboxKinds = async () =>
    (
      await db.query<{ kind: string; dedupe_key: string }>(
        'SELECT kind, dedupe_key FROM outbox WHERE tenant_id = $1 ORDER BY id',
        [TENANT],
      )
    ).map((r) => `${r.kind} ${r.dedupe_key}`);

  beforeAll(async () => {
    handle = await database.open();
    db = handle.db;
    clock = new FakeClock('2025-03-14T09:00:00Z');
    mirror = new HaloMirrorRepository(TENANT);
    await mirror.upsert(
      db,
      'statuses',
      [rec({ id: 2, name: 'In Progress' }), rec({ id: 9, name: 'Closed' })],
      SYNCED,
    );
    await mirror.upsert(db, 'projects', [project()], SYNCED);
    await mirror.upsertDetail(
      db,
      'projects',
      PROJECT,
      {
        milestones: [
          {
            id: 61,
            name: 'Build',
            sequence: 1,
            target_date: '2025-03-31T00:00:00',
            milestone_value: 14_000,
          },
        ],
      },
      SYNCED,
    );
    await mirror.upsert(
      db,
      'tasks',
      [1, 2].map((n) =>
        rec({
          id: 6000 + n,
          parent_id: PROJECT,
          milestone_id: 61,
          summary: `Install ${n}`,
          tickettype_name: 'Install',
          agent_id: 4,
          estimate: 40,
          status_id: 2,
          dateoccurred: '2025-01-02T00:00:00',
        }),
      ),
      SYNCED,
    );
    // 75 hours on each task by March: 150 of 100 budgeted hours, never escalated.
    await mirror.upsert(
      db,
      'timesheetEvents',
      Array.from({ length: 30 }, (_, i) =>
        rec({
          id: 70_000 + i,
          ticket_id: 6001 + (i % 2),
          agent_id: 4,
          start_date: `2025-02-${String(3 + (i % 24)).padStart(2, '0')}T09:00:00`,
          timetaken: 5,
          charge_rate: 100,
        }),
      ),
      SYNCED,
    );
    const history = new SqlDeliveryHistoryReader(db);
    const tx = transactional(db, (t) => ({
      reviews: postProjectReviewsOn(t, TENANT),
      requests: rebaselineRequestsOn(t, TENANT),
      outbox: outboxOn(t, TENANT, clock),
      audit: new AuditLog(TENANT, clock).on(t),
    }));
    evaluation = new EvaluateDelivery({
      history,
      store: new SqlDeliveryStore(db, TENANT, clock),
      tenantId: TENANT,
      clock,
      owners: { deliveryDirectorAgentId: null, incidentCommanderAgentId: null },
    });
    const deps = { tenantId: TENANT, history, tx, clock, outboxSignal: signal };
    request = new RequestRebaseline(deps);
    decide = new DecideRebaseline(deps);
    review = new ReviewClosedProjects({
      ...deps,
      delivery: new SqlDeliveryStore(db, TENANT, clock),
      escalations: new SqlEscalationHistory(db),
    });
    accept = new AcceptPolicyTuning({
      tx,
      policies: new SqlDeliveryStore(db, TENANT, clock),
      clock,
      outboxSignal: signal,
    });
  });
  afterAll(async () => {
    await handle.dispose();
  });

  test('a project without a baseline cannot be re-baselined; the first evaluation captures version 1', async () => {
    expect(await request.run(MEGAN, PROJECT, 'Scope grew')).toMatchObject({
      ok: false,
      reason: 'invalid-state',
    });
    await evaluation.run();
    const rows = await db.query<{ version: number }>(
      'SELECT version FROM project_baselines WHERE tenant_id = $1 AND project_id = $2',
      [TENANT, PROJECT],
    );
    expect(rows.map((r) => Number(r.version))).toEqual([1]);
  });

  test('the PM requests; others are refused; approval needs a changed plan and creates version 2, used by the next evaluation', async () => {
    expect(await request.run(PATTI, PROJECT, 'Scope grew')).toMatchObject({
      ok: false,
      reason: 'not-authorised',
    });
    expect(await request.run(ADELE, PROJECT, 'Scope grew')).toMatchObject({
      ok: false,
      reason: 'not-authorised',
    });
    expect(await request.run(MEGAN, 999_999, 'Scope grew')).toMatchObject({
      ok: false,
      reason: 'not-found',
    });
    const asked = await request.run(MEGAN, PROJECT, 'The customer added a second site');
    expect(asked).toMatchObject({ ok: true, request: { status: 'pending', fromVersion: 1 } });
    const requestId = asked.ok ? asked.request.id : '';

    expect(await decide.run(MEGAN, requestId, 'approve')).toMatchObject({
      ok: false,
      reason: 'not-authorised',
    });
    const unchanged = await decide.run(ADELE, requestId, 'approve');
    expect(unchanged).toMatchObject({ ok: false, reason: 'invalid-state' });
    expect(unchanged.ok ? '' : unchanged.message).toContain('nothing changed');

    await mirror.upsert(
      db,
      'projects',
      [project({ projecttimebudget: 160, projectmoneybudget: 16_000 })],
      SYNCED,
    );
    const approved = await decide.run(ADELE, requestId, 'approve', 'Agreed with the customer');
    expect(approved).toMatchObject({
      ok: true,
      request: {
        status: 'approved',
        toVersion: 2,
        decidedBy: 'adele',
        comment: 'Agreed with the customer',
      },
    });
    expect(approved.ok && approved.request.changes).toEqual(
      expect.arrayContaining(['planned hours 100 → 160', 'planned money 10000 → 16000']),
    );
    expect(await decide.run(ADELE, requestId, 'reject')).toMatchObject({
      ok: false,
      reason: 'invalid-state',
    });
    expect(await decide.run(ADELE, 'rb-nope', 'approve')).toMatchObject({
      ok: false,
      reason: 'not-found',
    });

    clock.advance(86_400_000);
    await evaluation.run();
    const [snapshot] = await db.query<{ version: string; hours: string }>(
      `SELECT assessment->'assessment'->>'baselineVersion' AS version FROM health_snapshots
        WHERE tenant_id = $1 AND project_id = $2 AND snapshot_date = '2025-03-15'`,
      [TENANT, PROJECT],
    );
    expect(Number(snapshot!.version)).toBe(2);
    expect(await outboxKinds()).toEqual(
      expect.arrayContaining([
        `rebaseline-request rebaseline:${requestId}`,
        `rebaseline-request rebaseline:${requestId}:approved`,
      ]),
    );
  });

  test('a rejected request leaves the baseline as it is', async () => {
    const asked = await request.run(MEGAN, PROJECT, 'Another change');
    const requestId = asked.ok ? asked.request.id : '';
    expect(await decide.run(ADELE, requestId, 'reject', 'Not now')).toMatchObject({
      ok: true,
      request: { status: 'rejected', toVersion: null },
    });
    const rows = await db.query<{ version: number }>(
      'SELECT version FROM project_baselines WHERE tenant_id = $1 AND project_id = $2 ORDER BY version',
      [TENANT, PROJECT],
    );
    expect(rows.map((r) => Number(r.version))).toEqual([1, 2]);
  });

  test('closure produces one review; a PMO lead accepts its tuning as the next policy version, once', async () => {
    expect(await review.run()).toEqual({ reviewed: [] });
    await mirror.upsert(
      db,
      'projects',
      [project({ projecttimebudget: 160, status_id: 9, dateclosed: '2025-03-15T10:00:00' })],
      SYNCED,
    );
    expect(await review.run()).toEqual({ reviewed: [PROJECT] });
    expect(await review.run({ projectIds: [PROJECT] })).toEqual({ reviewed: [] });
    expect((await outboxKinds()).filter((k) => k.startsWith('post-project-review'))).toEqual([
      `post-project-review post-project-review:${PROJECT}`,
    ]);
    const stored = await postProjectReviewsOn(db, TENANT).find(PROJECT);
    expect(stored).toMatchObject({ closedOn: '2025-03-15', accepted: null });
    const tuning = stored!.tunings[0]!;
    expect(tuning).toMatchObject({ id: 'schedule.amber' });

    expect(await accept.run(MEGAN, PROJECT, tuning.id)).toMatchObject({
      ok: false,
      reason: 'not-authorised',
    });
    expect(await accept.run(ADELE, PROJECT, 'nope.amber')).toMatchObject({
      ok: false,
      reason: 'not-found',
    });
    const accepted = await accept.run(ADELE, PROJECT, tuning.id);
    expect(accepted).toMatchObject({ ok: true, policyVersion: 1 });
    const policy = await new SqlDeliveryStore(db, TENANT, clock).currentPolicy();
    expect(policy!.default.schedule.amber).toBe(tuning.to);
    expect(policy!.default.version).toBe(1);
    expect(await accept.run(ADELE, PROJECT, tuning.id)).toMatchObject({
      ok: false,
      reason: 'invalid-state',
    });

    const actions = (
      await new AuditLog(TENANT, clock).timeline(db, 'project', String(PROJECT))
    ).map((e) => e.action);
    // Refused requests made nothing and leave no entry; refused decisions on an existing request
    // or review are on the timeline.
    expect(actions).toEqual([
      'project.rebaseline.requested',
      'project.rebaseline.refused',
      'project.rebaseline.refused',
      'project.rebaseline.approved',
      'project.rebaseline.refused',
      'project.rebaseline.requested',
      'project.rebaseline.rejected',
      'project.review.produced',
      'project.review.tuning-refused',
      'project.review.tuning-accepted',
      'project.review.tuning-refused',
    ]);
    expect(await verifyAuditChain(db, TENANT)).toMatchObject({ ok: true });
  });
});
