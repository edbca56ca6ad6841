import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ApiError, type ApiActor, type ApiRoute } from '../../src/api/api-types';
import { gateRoutes } from '../../src/api/gate-routes';
import { AuditLog } from '../../src/audit/audit-log';
import type { GateUseCases } from '../../src/app/gates/gate-use-cases';
import { LocalEvidenceStore } from '../../src/evidence/local-evidence-store';
import type { HaloSimulator } from '../../src/halo/simulator/server';
import {
  HaloWritebackDispatcher,
  haloWriterOf,
} from '../../src/notifications/halo-writeback-dispatcher';
import { OutboxRepository } from '../../src/store/outbox.repository';
import type { Db } from '../../src/store/db';
import { FakeClock } from '../bot/fakes';
import { testDatabases, type TestDatabaseHandle } from '../support/databases';
import { ReadAccess } from '../../src/app/identity/read-access';
import { SqlOwnership } from '../../src/store/ownership.repository';
import {
  actorOf,
  BIG,
  completeRequest,
  gateService,
  PEOPLE,
  routeGates,
  seedGateWorld,
} from './gate-fixtures';
import {
  gateHaloClient,
  notesWith,
  simulatorMilestone,
  simulatorOpenMilestone,
  simulatorProject,
  startGateSimulator,
} from './gate-halo';

const TENANT = 'tenant-gate-api';

/** The caller as the one identity resolver sees them (roles by object id, agent by e-mail). */
async function apiActor(db: Db, who: keyof typeof PEOPLE): Promise<ApiActor> {
  return { tenantId: TENANT, ...(await actorOf(db, TENANT, who)) };
}

describe.each(testDatabases())(
  'the gate API, SLA job and HaloPSA write-back ($name)',
  (database) => {
    let handle: TestDatabaseHandle;
    let db: Db;
    let clock: FakeClock;
    let gates: GateUseCases;
    let routes: ApiRoute[];
    let evidenceDir: string;
    let sim: HaloSimulator;
    let project: ReturnType<typeof simulatorProject>;
    let open: ReturnType<typeof simulatorOpenMilestone>;

    const call = async (
      method: ApiRoute['method'],
      routePath: string,
      who: keyof typeof PEOPLE,
      init: { params?: Record<string, string>; body?: unknown } = {},
    ) => {
      const route = routes.find((r) => r.method === method && r.path === routePath)!;
      try {
        return await route.handler({
          actor: await apiActor(db, who),
          params: init.params ?? {},
          query: {},
          body: init.body ?? null,
        });
      } catch (error) {
        if (error instanceof ApiError)
          return {
            status: error.status,
            body: { code: error.code, message: error.message, details: error.details },
          };
        throw error;
      }
    };

    beforeAll(async () => {
      handle = await database.open();
      db = handle.db;
      clock = new FakeClock();
      sim = await startGateSimulator();
      project = simulatorProject(sim);
      open = simulatorOpenMilestone(sim);
      await seedGateWorld(db, TENANT, [BIG, project, open]);
      await routeGates(db, TENANT, 'http://127.0.0.1:9', clock.now());
      evidenceDir = await mkdtemp(path.join(os.tmpdir(), 'ct-gate-evidence-'));
      gates = gateService(db, TENANT, clock, new LocalEvidenceStore(evidenceDir, clock));
      routes = gateRoutes({
        gates: (tenantId) => (tenantId === TENANT ? gates : null),
        access: new ReadAccess(new SqlOwnership(db, TENANT)),
      });
    });
    afterAll(async () => {
      await sim.close();
      await rm(evidenceDir, { recursive: true, force: true });
      await handle.dispose();
    });

    test('a request with missing mandatory items is refused with the list (422)', async () => {
      const response = await call('post', '/gates', 'megan', {
        body: {
          projectId: BIG.projectId,
          milestoneId: BIG.milestoneId,
          customerAcceptanceNotes: 'ok',
        },
      });
      expect(response.status).toBe(422);
      expect(response.body).toMatchObject({ code: 'MISSING_EVIDENCE' });
      const missing = (response.body as { details: { missing: { item: string }[] } }).details
        .missing;
      expect(missing.map((m) => m.item)).toEqual(['deliverables', 'open-risks']);
    });

    test('malformed input is a clear 400, never a crash', async () => {
      const response = await call('post', '/gates', 'megan', {
        body: { projectId: 'x', links: [{ url: 'not a url' }] },
      });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'INVALID_INPUT' });
      expect(JSON.stringify(response.body)).toContain('links.0.url');
    });

    test('an uploaded file enters the pack with its SHA-256; the gate detail shows pack, files, decisions and timeline', async () => {
      const bytes = Buffer.from('UAT sign-off, signed by J. Doe');
      const upload = await call('post', '/gates/evidence', 'megan', {
        body: {
          projectId: BIG.projectId,
          milestoneId: BIG.milestoneId,
          fileName: 'uat-signoff.pdf',
          contentType: 'application/pdf',
          contentBase64: bytes.toString('base64'),
        },
      });
      expect(upload.status).toBe(201);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      expect(upload.body).toMatchObject({ name: 'uat-signoff.pdf', size: bytes.length, sha256 });
      expect((upload.body as { path: string }).path).toContain(`${BIG.projectId} Intranet rollout`);

      const requested = await call('post', '/gates', 'megan', {
        body: completeRequest(BIG, { fileIds: null }),
      });
      expect(requested.status).toBe(201);
      const gateId = (requested.body as { id: string }).id;
      // The tab's project page shows the gate on its milestone (a file and a link).
      expect((await gates.queries.milestoneGates(BIG.projectId)).get(BIG.milestoneId)).toEqual({
        gateId,
        status: 'pending',
        evidenceCount: 2,
        decidedAt: null,
      });
      const detail = await call('get', '/gates/:gateId', 'adele', { params: { gateId } });
      expect(detail.status).toBe(200);
      const body = detail.body as {
        pack: { deliverables: { kind: string; sha256?: string }[] };
        files: unknown[];
        timeline: { action: string }[];
      };
      expect(body.pack.deliverables).toContainEqual(
        expect.objectContaining({ kind: 'file', sha256 }),
      );
      expect(body.files).toHaveLength(1);
      expect(body.timeline.map((e) => e.action)).toEqual([
        'gate.refused',
        'gate.evidence.uploaded',
        'gate.requested',
      ]);

      // Adele's list shows it to decide; a wrong role is refused with a reason and audited.
      const mine = await call('get', '/gates', 'adele');
      expect((mine.body as { toDecide: { id: string }[] }).toDecide.map((g) => g.id)).toContain(
        gateId,
      );
      const refused = await call('post', '/gates/:gateId/decisions', 'patti', {
        params: { gateId },
        body: { packVersion: 1, outcome: 'approve' },
      });
      expect(refused).toMatchObject({ status: 403, body: { code: 'NOT_AUTHORISED' } });
      const stale = await call('post', '/gates/:gateId/decisions', 'adele', {
        params: { gateId },
        body: { packVersion: 7, outcome: 'approve' },
      });
      expect(stale).toMatchObject({ status: 409, body: { code: 'STALE_PACK' } });
      // Refusals' audit entries are written after the answer.
      await gates.decide.idle();
      const timeline = await new AuditLog(TENANT, clock).timeline(db, 'gate', gateId);
      expect(timeline.slice(-2).map((e) => e.detail.reason)).toEqual([
        'not-authorised',
        'stale-pack',
      ]);
    });

    test('request changes sends the pack back; the resubmitted version is the one decided', async () => {
      const gateId = `g-${BIG.projectId}-${BIG.milestoneId}`;
      const noComment = await call('post', '/gates/:gateId/decisions', 'adele', {
        params: { gateId },
        body: { packVersion: 1, outcome: 'request-changes' },
      });
      expect(noComment).toMatchObject({ status: 400, body: { code: 'COMMENT_REQUIRED' } });
      const changes = await call('post', '/gates/:gateId/decisions', 'adele', {
        params: { gateId },
        body: { packVersion: 1, outcome: 'request-changes', comment: 'Attach the pen test report' },
      });
      expect(changes).toMatchObject({
        status: 201,
        body: { gate: { status: 'changes-requested' } },
      });
      const again = await call('post', '/gates', 'megan', {
        body: completeRequest(BIG, {
          links: [{ title: 'Pen test', url: 'https://sharepoint.example/pentest.pdf' }],
        }),
      });
      expect(again).toMatchObject({ status: 201, body: { packVersion: 2, status: 'pending' } });
      const v1 = await call('post', '/gates/:gateId/decisions', 'lynne', {
        params: { gateId },
        body: { packVersion: 1, outcome: 'approve' },
      });
      expect(v1).toMatchObject({ status: 409, body: { code: 'STALE_PACK' } });
    });

    test('the SLA job reminds the approvers once, then escalates to the delivery director once', async () => {
      const gateId = `g-${BIG.projectId}-${BIG.milestoneId}`;
      expect(await gates.sla.run()).toEqual({ reminders: 0, escalations: 0 });
      clock.advance(25 * 3_600_000);
      expect(await gates.sla.run()).toEqual({ reminders: 1, escalations: 0 });
      expect(await gates.sla.run()).toEqual({ reminders: 0, escalations: 0 });
      clock.advance(24 * 3_600_000);
      expect(await gates.sla.run()).toEqual({ reminders: 0, escalations: 1 });
      expect(await gates.sla.run()).toEqual({ reminders: 0, escalations: 0 });
      const keys = (await new OutboxRepository(TENANT).list(db)).map((r) => r.dedupeKey);
      expect(keys).toEqual(
        expect.arrayContaining([
          `gate:${gateId}:v2:sla:reminder`,
          `gate:${gateId}:v2:sla:escalation`,
        ]),
      );
      const actions = (await new AuditLog(TENANT, clock).timeline(db, 'gate', gateId)).map(
        (e) => e.action,
      );
      expect(actions.filter((a) => a.startsWith('gate.sla'))).toEqual([
        'gate.sla.reminder',
        'gate.sla.escalated',
      ]);
    });

    test('a failing HaloPSA write-back is retried; the decision stays and the note is written once', async () => {
      const megan = {
        aadObjectId: 'aad-megan',
        name: 'Megan Bowen',
        email: 'megan@msp.example',
        roles: ['pm' as const],
        haloAgentId: 5,
      };
      const requested = await gates.request.run(megan, completeRequest(project));
      expect(requested.ok).toBe(true);
      const gateId = `g-${project.projectId}-${project.milestoneId}`;
      const decided = await call('post', '/gates/:gateId/decisions', 'adele', {
        params: { gateId },
        body: { packVersion: 1, outcome: 'reject', comment: 'No customer sign-off document' },
      });
      expect(decided).toMatchObject({ status: 201, body: { gate: { status: 'rejected' } } });

      sim.faults.add({ path: /\/api\/actions$/i, method: 'POST', kind: 'server-error', times: 2 });
      const writeback = new HaloWritebackDispatcher({
        db,
        tenantId: TENANT,
        instanceId: 'test',
        writer: haloWriterOf(gateHaloClient(sim.url)),
        audit: new AuditLog(TENANT, clock),
        logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
        clock,
        sleep: clock.sleep,
      });
      const report = await writeback.drain();
      // This gate's note is done after two server errors. The earlier decision on a project HaloPSA
      // does not know is given up after its attempts, audited, and its decision kept.
      expect(report).toMatchObject({ done: 1, failed: 1 });
      expect(report.retried).toBeGreaterThanOrEqual(2);
      const rows = await writeback.list();
      expect(rows.map((r) => [r.subjectId, r.status])).toEqual([
        [`g-${BIG.projectId}-${BIG.milestoneId}`, 'failed'],
        [gateId, 'done'],
      ]);
      expect(rows[0]!.attempts).toBe(8);
      expect(rows[1]!.attempts).toBeGreaterThan(1);
      const big = await new AuditLog(TENANT, clock).timeline(
        db,
        'gate',
        `g-${BIG.projectId}-${BIG.milestoneId}`,
      );
      expect(big.at(-1)).toMatchObject({ action: 'gate.writeback.failed' });
      const marker = `[Control Tower gate ${gateId} v1 rejected]`;
      expect(notesWith(sim, project.projectId, marker)).toHaveLength(1);
      expect(
        String((notesWith(sim, project.projectId, marker)[0] as { note: string }).note),
      ).toContain('No customer sign-off document');
      expect((await gates.queries.view(gateId))!.status).toBe('rejected');
      const actions = (await new AuditLog(TENANT, clock).timeline(db, 'gate', gateId)).map(
        (e) => e.action,
      );
      expect(actions).toEqual(['gate.requested', 'gate.rejected', 'gate.writeback.done']);
    });

    test('an approved gate completes its milestone in HaloPSA through the write-back queue, retried without undoing the approval', async () => {
      expect(simulatorMilestone(sim, open.projectId, open.milestoneId)).toMatchObject({
        _complete: false,
      });
      const requested = await call('post', '/gates', 'megan', { body: completeRequest(open) });
      expect(requested.status).toBe(201);
      const gateId = (requested.body as { id: string }).id;
      const approved = await call('post', '/gates/:gateId/decisions', 'adele', {
        params: { gateId },
        body: { packVersion: 1, outcome: 'approve' },
      });
      expect(approved).toMatchObject({ status: 201, body: { gate: { status: 'approved' } } });

      sim.faults.add({ path: /\/api\/projects$/i, method: 'POST', kind: 'server-error', times: 2 });
      const writeback = new HaloWritebackDispatcher({
        db,
        tenantId: TENANT,
        instanceId: 'test',
        writer: haloWriterOf(gateHaloClient(sim.url)),
        audit: new AuditLog(TENANT, clock),
        logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
        clock,
        sleep: clock.sleep,
      });
      const report = await writeback.drain();
      expect(report).toMatchObject({ done: 2, failed: 0 });
      expect(report.retried).toBeGreaterThanOrEqual(2);
      const rows = (await writeback.list()).filter((r) => r.subjectId === gateId);
      expect(rows.map((r) => [r.kind, r.status])).toEqual([
        ['note', 'done'],
        ['milestone-complete', 'done'],
      ]);
      expect(rows[1]!.attempts).toBeGreaterThan(1);
      expect(simulatorMilestone(sim, open.projectId, open.milestoneId)).toMatchObject({
        _complete: true,
      });
      expect((await gates.queries.view(gateId))!.status).toBe('approved');
      const actions = (await new AuditLog(TENANT, clock).timeline(db, 'gate', gateId)).map(
        (e) => e.action,
      );
      expect(actions).toEqual([
        'gate.requested',
        'gate.approved',
        'gate.writeback.done',
        'gate.writeback.done',
      ]);
    });
  },
);
