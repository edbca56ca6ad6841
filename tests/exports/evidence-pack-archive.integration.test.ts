/**
 * The evidence pack PDF of a decided gate: on approval it is archived through the evidence store
 * port into the gate's client/project folder in SharePoint (the Graph double over HTTPS), next to its
 * evidence, with its SHA-256 recorded and audited; it parses with the pack, file hashes, decisions,
 * audit entries and the chain check; only those who read the project may export it.
 */
import { createHash } from 'node:crypto';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { ApiError, type ApiActor } from '../../src/api/api-types';
import { exportRoutes, type ExportUseCases } from '../../src/api/export-routes';
import type { Actor } from '../../src/app/delivery-views';
import type { GateUseCases } from '../../src/app/gates/gate-use-cases';
import { PdfDocumentRenderer } from '../../src/documents/pdf-document-renderer';
import { SharePointEvidenceStore } from '../../src/evidence/sharepoint-evidence-store';
import { createGateUseCases } from '../../src/modules/gates.module';
import { DEFAULT_GATE_POLICY } from '../../src/domain/gates/gate-policy';
import { ChangeSignal } from '../../src/shared/signal';
import type { Db } from '../../src/store/db';
import { FakeClock } from '../bot/fakes';
import { testDatabases, type TestDatabaseHandle } from '../support/databases';
import { GraphDouble } from '../support/graph-double';
import {
  actorOf,
  BIG,
  CLIENT,
  completeRequest,
  seedGateWorld,
  SMALL,
} from '../gates/gate-fixtures';
import { hasCommand, pdfPageImages, pdfText } from './document-tools';

const TENANT = 'tenant-pack-archive';
const TENANT_NAME = 'Fabrikam Managed IT';
const TOKEN = 'graph-token-for-pack-archive';
const SITE = 'fabrikam.sharepoint.com,1111,2222';
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

class FixedTokenCredential implements TokenCredential {
  async getToken(): Promise<AccessToken> {
    return { token: TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 };
  }
}

describe.each(testDatabases())('the evidence pack PDF of a decided gate ($name)', (database) => {
  let handle: TestDatabaseHandle;
  let db: Db;
  let double: GraphDouble;
  let gates: GateUseCases;
  const clock = new FakeClock('2026-11-23T09:00:00Z');
  const gateId = `g-${SMALL.projectId}-${SMALL.milestoneId}`;
  let poppler = false;

  beforeAll(async () => {
    poppler = (await hasCommand('pdftotext')) && (await hasCommand('pdftoppm'));
    handle = await database.open();
    db = handle.db;
    await seedGateWorld(db, TENANT);
    double = await new GraphDouble(SITE, 'drive-1', TOKEN, clock).start();
    const evidence = new SharePointEvidenceStore({
      siteId: SITE,
      driveId: null,
      credential: new FixedTokenCredential(),
      graphBaseUrl: double.baseUrl,
      ca: double.certificate.cert,
      retry: { maxAttempts: 2, sleep: async () => undefined },
      clock,
      maxBytes: 10 * 1024 * 1024,
    });
    gates = createGateUseCases({
      db,
      tenantId: TENANT,
      clock,
      policy: DEFAULT_GATE_POLICY,
      evidence,
      outboxChanged: new ChangeSignal(),
      writebackQueued: new ChangeSignal(),
      packDocuments: { renderer: new PdfDocumentRenderer(), tenantName: TENANT_NAME },
    });
  });
  afterAll(async () => {
    await double.stop();
    await handle.dispose();
  });

  test('approval archives the pack next to its evidence, with its hash recorded and audited', async () => {
    const megan = await actorOf(db, TENANT, 'megan');
    const signOff = Buffer.from('%PDF-1.4 customer sign-off');
    const uploaded = await gates.upload.run(megan, {
      projectId: SMALL.projectId,
      milestoneId: SMALL.milestoneId,
      fileName: 'sign-off.pdf',
      contentType: 'application/pdf',
      content: signOff,
    });
    expect(uploaded.ok).toBe(true);
    const requested = await gates.request.run(megan, completeRequest(SMALL));
    expect(requested.ok).toBe(true);
    expect(double.paths().filter((p) => p.includes('evidence-pack'))).toEqual([]);

    clock.advance(3 * 3_600_000);
    const decided = await gates.decide.run(await actorOf(db, TENANT, 'adele'), {
      gateId,
      packVersion: 1,
      outcome: 'approve',
      comment: 'Meets the exit criteria',
    });
    expect(decided).toMatchObject({ ok: true, gate: { status: 'approved' } });
    // The archive runs after the decider was answered.
    await gates.decide.idle();

    const packPath = double.paths().find((p) => p.includes('evidence-pack'))!;
    const [evidenceFile] = double.paths().filter((p) => p !== packPath);
    expect(packPath).toBeDefined();
    // Same client / project / gate folder as the evidence it describes.
    const folder = (p: string) => p.slice(0, p.lastIndexOf('/'));
    expect(folder(packPath)).toBe(folder(evidenceFile!));
    expect(sha256(double.files.get(evidenceFile!)!.content)).toBe(sha256(signOff));
    expect(packPath).toContain(`${CLIENT.id} `);
    expect(packPath).toContain(`${SMALL.projectId} `);
    expect(packPath.endsWith(`/evidence-pack-${gateId}-v1.pdf`)).toBe(true);

    const stored = double.files.get(packPath)!.content;
    const [archive] = await db.query<{ sha256: string; path: string; size: string | number }>(
      `SELECT sha256, path, size FROM gate_pack_archives WHERE tenant_id = $1 AND gate_id = $2`,
      [TENANT, gateId],
    );
    expect(archive!.sha256).toBe(sha256(stored));
    expect(Number(archive!.size)).toBe(stored.length);
    expect(archive!.path.endsWith(packPath)).toBe(true);
    const audited = await db.query<{ detail: { sha256: string } }>(
      `SELECT detail FROM audit_log WHERE tenant_id = $1 AND subject_id = $2 AND action = 'gate.pack.archived'`,
      [TENANT, gateId],
    );
    expect(audited.map((a) => a.detail.sha256)).toEqual([sha256(stored)]);

    // Archiving again (a retried hook) neither uploads nor records a second copy.
    const again = await gates.evidencePack!.archive(gateId);
    expect(again).toMatchObject({ ok: true, created: false });
    expect(double.paths().filter((p) => p.includes('evidence-pack'))).toHaveLength(1);

    if (!poppler) {
      console.warn(
        'skipped the PDF text checks: poppler-utils is not installed; .ci/run installs it',
      );
      return;
    }
    const text = (await pdfText(stored)).replace(/\s+/g, ' ');
    const pack = (await gates.queries.detail(gateId))!;
    for (const words of [
      'Evidence pack',
      TENANT_NAME,
      '2026-11-23',
      pack.gate.packHash,
      sha256(signOff),
      'Meets the exit criteria',
      'gate.requested by Megan Bowen',
      'gate.approved by Adele Vance',
      'Audit chain intact',
      'Licences arrive late',
      'stored bytes verified',
      ...(
        await db.query<{ hash: string }>(
          // Every entry up to the decision (the archive's own entry comes after the PDF).
          `SELECT hash FROM audit_log WHERE tenant_id = $1 AND subject_id = $2
            AND action <> 'gate.pack.archived'`,
          [TENANT, gateId],
        )
      ).map((e) => e.hash),
    ]) {
      expect(text).toContain(words);
    }
    expect((await pdfPageImages(stored)).length).toBeGreaterThan(0);
  });

  test('an archive the store refused at approval is audited, then stored by the retry job', async () => {
    const bigGate = `g-${BIG.projectId}-${BIG.milestoneId}`;
    const packPut = (method: string, p: string) => method === 'PUT' && p.includes('evidence-pack');
    const packs = () => double.paths().filter((p) => p.includes('evidence-pack'));
    const requested = await gates.request.run(
      await actorOf(db, TENANT, 'megan'),
      completeRequest(BIG),
    );
    expect(requested.ok).toBe(true);
    double.failNext(2, 503, null, packPut);
    for (const approver of ['adele', 'lynne'] as const) {
      const decided = await gates.decide.run(await actorOf(db, TENANT, approver), {
        gateId: bigGate,
        packVersion: 1,
        outcome: 'approve',
        comment: '',
      });
      expect(decided.ok).toBe(true);
    }
    await gates.decide.idle();
    expect((await gates.queries.view(bigGate))!.status).toBe('approved');
    const failures = await db.query(
      `SELECT 1 FROM audit_log WHERE tenant_id = $1 AND subject_id = $2 AND action = 'gate.pack.archive-failed'`,
      [TENANT, bigGate],
    );
    expect(failures).toHaveLength(1);
    expect(packs().filter((p) => p.includes(`${BIG.projectId} `))).toEqual([]);

    // The retry's upload is stored but its answer lost: what is stored is recorded, not a copy.
    double.loseAnswerNext(1, packPut);
    expect(await gates.evidencePack!.archiveMissing()).toEqual({ archived: 1, failed: 0 });
    // The resent upload found the name taken (409): nothing was replaced.
    expect(double.requests.some((r) => packPut(r.method, r.path) && r.status === 409)).toBe(true);
    const stored = packs().filter((p) => p.includes(`${BIG.projectId} `));
    expect(stored).toHaveLength(1);
    const [archive] = await db.query<{ sha256: string }>(
      `SELECT sha256 FROM gate_pack_archives WHERE tenant_id = $1 AND gate_id = $2`,
      [TENANT, bigGate],
    );
    expect(archive!.sha256).toBe(sha256(double.files.get(stored[0]!)!.content));
    expect(await gates.evidencePack!.archiveMissing()).toEqual({ archived: 0, failed: 0 });
  });

  test('only someone who reads the project exports the pack; no role is a 403', async () => {
    const unused = () => {
      throw new Error('not part of this test');
    };
    const useCases: ExportUseCases = {
      workbook: { run: unused } as unknown as ExportUseCases['workbook'],
      weeklyReport: { run: unused } as unknown as ExportUseCases['weeklyReport'],
      pilotBrief: { run: unused } as unknown as ExportUseCases['pilotBrief'],
      postProjectReview: { run: unused } as unknown as ExportUseCases['postProjectReview'],
      evidencePack: gates.evidencePack!,
    };
    const route = exportRoutes({ tenantId: TENANT, useCases }).find((r) =>
      r.path.includes('evidence-pack'),
    )!;
    const call = async (actor: Actor) => {
      try {
        const result = await route.handler({
          actor: { tenantId: TENANT, ...actor } as ApiActor,
          params: { gateId },
          query: {},
          body: null,
        });
        return { status: result.status, body: result.body };
      } catch (error) {
        if (error instanceof ApiError) return { status: error.status, body: error.code };
        throw error;
      }
    };
    const person = { aadObjectId: 'aad-x', name: 'X', email: 'x@msp.example' };
    const own = await call(await actorOf(db, TENANT, 'megan'));
    expect(own.status).toBe(200);
    expect(Buffer.isBuffer(own.body) && own.body.subarray(0, 5).toString()).toBe('%PDF-');
    expect(await call({ ...person, roles: ['pm'], haloAgentId: 999 })).toEqual({
      status: 403,
      body: 'forbidden',
    });
    expect(await call({ ...person, roles: [], haloAgentId: null })).toEqual({
      status: 403,
      body: 'no-role',
    });
    const missing = await route
      .handler({
        actor: { tenantId: TENANT, ...(await actorOf(db, TENANT, 'adele')) },
        params: { gateId: 'g-nope' },
        query: {},
        body: null,
      })
      .catch((e: unknown) => e);
    expect(missing).toMatchObject({ status: 404 });
  });
});
