/**
 * Evidence is write-once, end to end with the local store on disk: uploads land under names that
 * never repeat, hostile names cannot collide or escape, nothing is uploaded to an approved gate, and
 * a file changed behind the store's back shows as a mismatch (and is audited) when the pack is
 * opened in the tab or on the card.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiError, type ApiActor, type ApiRoute } from '../../src/api/api-types';
import { gateRoutes } from '../../src/api/gate-routes';
import type { PackIntegrity } from '../../src/app/gates/gate-views';
import { ReadAccess } from '../../src/app/identity/read-access';
import { LocalEvidenceStore } from '../../src/evidence/local-evidence-store';
import type { Db } from '../../src/store/db';
import { SqlOwnership } from '../../src/store/ownership.repository';
import { executeInvoke, post } from '../bot/bot-harness';
import { testDatabases, type TestDatabaseHandle } from '../support/databases';
import { actorOf, completeRequest, PEOPLE, seedGateWorld, SMALL } from './gate-fixtures';
import { startGateBot, type GateBotHarness } from './gate-harness';

const TENANT = 'tenant-gate-evidence';
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe.each(testDatabases())('write-once evidence ($name)', (database) => {
  let handle: TestDatabaseHandle;
  let db: Db;
  let root: string;
  let bot: GateBotHarness;
  let routes: ApiRoute[];
  const gateId = `g-${SMALL.projectId}-${SMALL.milestoneId}`;

  beforeAll(async () => {
    handle = await database.open();
    db = handle.db;
    await seedGateWorld(db, TENANT, [SMALL]);
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'ct-evidence-'));
    bot = await startGateBot(db, TENANT, new LocalEvidenceStore(root, { now: () => new Date() }));
    routes = gateRoutes({
      gates: (tenant) => (tenant === TENANT ? bot.gates : null),
      access: new ReadAccess(new SqlOwnership(db, TENANT)),
    });
  });
  afterAll(async () => {
    await bot.close();
    await fs.rm(root, { recursive: true, force: true });
    await handle.dispose();
  });

  const call = async (
    method: ApiRoute['method'],
    routePath: string,
    who: keyof typeof PEOPLE,
    init: { params?: Record<string, string>; body?: unknown } = {},
  ) => {
    const actor: ApiActor = { tenantId: TENANT, ...(await actorOf(db, TENANT, who)) };
    const route = routes.find((r) => r.method === method && r.path === routePath)!;
    try {
      return await route.handler({
        actor,
        params: init.params ?? {},
        query: {},
        body: init.body ?? null,
      });
    } catch (error) {
      if (error instanceof ApiError) return { status: error.status, body: { code: error.code } };
      throw error;
    }
  };
  const upload = (fileName: string, bytes: Buffer) =>
    call('post', '/gates/evidence', 'megan', {
      body: {
        projectId: SMALL.projectId,
        milestoneId: SMALL.milestoneId,
        fileName,
        contentType: 'application/pdf',
        contentBase64: bytes.toString('base64'),
      },
    });
  const onDisk = (stored: string) => path.join(root, ...stored.split('/'));
  const stored = async () =>
    db.query<{ id: string; name: string; path: string; sha256: string }>(
      'SELECT id, name, path, sha256 FROM gate_evidence_files WHERE tenant_id = $1 ORDER BY stored_at, id',
      [TENANT],
    );

  test('the same name twice, and two hostile names, land in distinct files inside the gate folder', async () => {
    for (const [name, text] of [
      ['uat.pdf', 'first'],
      ['uat.pdf', 'second'],
      ['../../etc/passwd', 'hostile one'],
      ['/etc/passwd', 'hostile two'],
    ] as const) {
      expect((await upload(name, Buffer.from(text))).status).toBe(201);
    }

    const files = await stored();
    expect(new Set(files.map((f) => f.path)).size).toBe(4);
    for (const f of files) {
      expect(path.resolve(onDisk(f.path)).startsWith(path.resolve(root) + path.sep)).toBe(true);
      expect(sha256(await fs.readFile(onDisk(f.path)))).toBe(f.sha256);
      expect(path.basename(f.path)).toMatch(new RegExp(`^${f.id}(\\.pdf)?$`));
    }
    expect(files.map((f) => f.name)).toEqual(['uat.pdf', 'uat.pdf', 'passwd', 'passwd']);
    await expect(fs.access('/etc/passwd.meta.json')).rejects.toThrow();
  });

  test('after approval, an upload is refused (409) and the frozen pack keeps its bytes', async () => {
    const requested = await call('post', '/gates', 'megan', {
      body: completeRequest(SMALL, { fileIds: null }),
    });
    expect(requested.status).toBe(201);
    const approved = await call('post', '/gates/:gateId/decisions', 'adele', {
      params: { gateId },
      body: { packVersion: 1, outcome: 'approve' },
    });
    expect(approved).toMatchObject({ status: 201, body: { gate: { status: 'approved' } } });
    const before = await stored();

    const again = await upload('uat.pdf', Buffer.from('replaced after approval'));

    expect(again).toMatchObject({ status: 409, body: { code: 'ALREADY_DECIDED' } });
    expect(await stored()).toEqual(before);
    for (const f of before) expect(sha256(await fs.readFile(onDisk(f.path)))).toBe(f.sha256);
    const detail = await call('get', '/gates/:gateId', 'adele', { params: { gateId } });
    expect((detail.body as { integrity: PackIntegrity }).integrity).toMatchObject({
      status: 'verified',
    });
  });

  test('a file replaced behind the store shows as a mismatch in the tab and on the card, audited once', async () => {
    const [first] = await stored();
    await fs.writeFile(onDisk(first!.path), 'forged after approval');

    const detail = await call('get', '/gates/:gateId', 'adele', { params: { gateId } });
    const again = await call('get', '/gates/:gateId', 'lynne', { params: { gateId } });

    const body = detail.body as { integrity: PackIntegrity; timeline: { action: string }[] };
    expect(body.integrity.status).toBe('mismatch');
    expect(body.integrity.files.find((f) => f.fileId === first!.id)).toMatchObject({
      ok: false,
      frozenSha256: first!.sha256,
    });
    expect(body.timeline.map((e) => e.action)).toContain('gate.evidence.mismatch');
    expect((again.body as { integrity: PackIntegrity }).integrity.status).toBe('mismatch');

    const response = await post(
      bot.botUrl,
      executeInvoke(
        bot.connector.url,
        'gate.open',
        { gateId },
        {
          aadObjectId: PEOPLE.adele.aadObjectId,
          name: PEOPLE.adele.name,
        },
      ),
    );
    expect(JSON.stringify(response.body)).toContain('Evidence changed since pack #');

    const audited = await db.query(
      `SELECT seq FROM audit_log WHERE tenant_id = $1 AND subject_id = $2 AND action = 'gate.evidence.mismatch'`,
      [TENANT, gateId],
    );
    expect(audited).toHaveLength(1);
  });
});
