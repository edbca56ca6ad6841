import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { loadConfig } from '../../src/config';
import { createEvidenceStore } from '../../src/evidence/create-evidence-store';
import type { EvidenceLocation, EvidenceStore } from '../../src/app/gates/evidence-store.port';
import { EvidenceError } from '../../src/evidence/evidence-paths';
import { LocalEvidenceStore } from '../../src/evidence/local-evidence-store';
import {
  SharePointEvidenceStore,
  SIMPLE_UPLOAD_LIMIT,
} from '../../src/evidence/sharepoint-evidence-store';
import { GraphDouble } from '../support/graph-double';

const TOKEN = 'graph-token-for-tests';
const SITE = 'contoso.sharepoint.com,1111,2222';
const clock = { now: () => new Date('2026-11-23T10:00:00.000Z') };

/** A credential port fake: the double accepts exactly this token. */
class FixedTokenCredential implements TokenCredential {
  calls = 0;
  constructor(private readonly token: string) {}
  async getToken(): Promise<AccessToken> {
    this.calls += 1;
    return { token: this.token, expiresOnTimestamp: Date.now() + 3_600_000 };
  }
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Deterministic pseudo-random bytes (xorshift), so a failure reproduces. */
function bytesOf(size: number, seed: number): Buffer {
  const out = Buffer.alloc(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out.writeUInt32LE(x >>> 0, Math.min(i, size - 4));
  }
  return out;
}

const contosoUat: EvidenceLocation = {
  clientId: 12,
  clientName: 'Contoso',
  projectId: 345,
  projectName: 'Intranet',
  gateKey: 'uat',
};
const CONTOSO_UAT = 'Control Tower Evidence/12 Contoso/345 Intranet/gate-uat';
/** A limit the tests can cross without allocating the production one (250 MB). */
const MAX_BYTES = 12 * 1024 * 1024;

/** One adapter under test, with a way to look at what its backend really holds. */
interface Harness {
  store: EvidenceStore;
  /** Every stored file's path (as the store's `path`) with its bytes, read from the backend itself. */
  backend(): Promise<Map<string, Buffer>>;
  close(): Promise<void>;
}

async function localHarness(): Promise<Harness> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'evidence-local-'));
  const walk = async (dir: string, prefix: string, into: Map<string, Buffer>) => {
    for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
      const rel = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      if (entry.isDirectory()) await walk(path.join(dir, entry.name), rel, into);
      else if (!entry.name.startsWith('.'))
        into.set(rel, await fs.readFile(path.join(dir, entry.name)));
    }
    return into;
  };
  return {
    store: new LocalEvidenceStore(root, clock, MAX_BYTES),
    backend: () => walk(root, '', new Map()),
    close: () => fs.rm(root, { recursive: true, force: true }),
  };
}

async function sharePointHarness(): Promise<Harness & { double: GraphDouble; delays: number[] }> {
  const double = await new GraphDouble(SITE, 'drive-1', TOKEN, clock).start();
  const delays: number[] = [];
  const store = new SharePointEvidenceStore({
    siteId: SITE,
    driveId: null,
    credential: new FixedTokenCredential(TOKEN),
    graphBaseUrl: double.baseUrl,
    ca: double.certificate.cert,
    retry: {
      maxAttempts: 3,
      sleep: async (ms) => {
        delays.push(ms);
      },
    },
    clock,
    maxBytes: MAX_BYTES,
  });
  return {
    store,
    double,
    delays,
    backend: async () => new Map([...double.files].map(([p, f]) => [p, f.content])),
    close: () => double.stop(),
  };
}

describe.each([
  ['local', localHarness],
  ['sharepoint', sharePointHarness],
] as const)('%s evidence store', (_kind, makeHarness) => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await makeHarness();
  });
  afterEach(async () => {
    await harness.close();
  });

  test('a small file lands in the client/project/gate folder with the same bytes', async () => {
    const content = bytesOf(200_000, 1);

    const stored = await harness.store.put(
      contosoUat,
      'uat-signoff.pdf',
      content,
      'application/pdf',
    );

    expect(stored).toMatchObject({
      path: `${CONTOSO_UAT}/uat-signoff.pdf`,
      name: 'uat-signoff.pdf',
      size: 200_000,
      sha256: sha256(content),
      contentType: 'application/pdf',
    });
    const backend = await harness.backend();
    expect([...backend.keys()]).toEqual([`${CONTOSO_UAT}/uat-signoff.pdf`]);
    expect(sha256(backend.get(`${CONTOSO_UAT}/uat-signoff.pdf`)!)).toBe(sha256(content));
    expect(sha256((await harness.store.get(contosoUat, 'uat-signoff.pdf'))!)).toBe(sha256(content));
    expect(await harness.store.list(contosoUat)).toEqual([
      expect.objectContaining({ name: 'uat-signoff.pdf', size: 200_000, sha256: sha256(content) }),
    ]);
  });

  test('a large file (over 10 MB) lands whole with the same SHA-256', async () => {
    const content = bytesOf(10 * 1024 * 1024 + 12_345, 2);

    const stored = await harness.store.put(contosoUat, 'load-test.zip', content, 'application/zip');

    expect(stored.sha256).toBe(sha256(content));
    expect(stored.size).toBe(content.length);
    const landed = (await harness.backend()).get(`${CONTOSO_UAT}/load-test.zip`);
    expect(landed?.length).toBe(content.length);
    expect(sha256(landed!)).toBe(sha256(content));
    expect(sha256((await harness.store.get(contosoUat, 'load-test.zip'))!)).toBe(sha256(content));
  });

  test('storing the same name again is refused: evidence is never replaced', async () => {
    const first = await harness.store.put(
      contosoUat,
      'plan.txt',
      Buffer.from('first'),
      'text/plain',
    );

    const again = harness.store.put(contosoUat, 'plan.txt', Buffer.from('second'), 'text/plain');

    await expect(again).rejects.toMatchObject({ code: 'EVIDENCE_EXISTS', kind: 'user' });
    expect((await harness.store.get(contosoUat, 'plan.txt'))?.toString()).toBe('first');
    expect((await harness.store.list(contosoUat)).map((f) => f.name)).toEqual(['plan.txt']);
    expect(await harness.store.sha256Of(first.path)).toBe(sha256(Buffer.from('first')));
  });

  test('a large file (an upload session) is not replaced either', async () => {
    const content = bytesOf(SIMPLE_UPLOAD_LIMIT + 1024, 9);
    const first = await harness.store.put(contosoUat, 'big.zip', content, 'application/zip');

    const again = harness.store.put(
      contosoUat,
      'big.zip',
      bytesOf(SIMPLE_UPLOAD_LIMIT + 2048, 10),
      'application/zip',
    );

    await expect(again).rejects.toMatchObject({ code: 'EVIDENCE_EXISTS' });
    expect(await harness.store.sha256Of(first.path)).toBe(sha256(content));
  });

  test('the hash of a stored path is re-read from the backend; a path outside the root is refused', async () => {
    const stored = await harness.store.put(
      contosoUat,
      'a.pdf',
      Buffer.from('a'),
      'application/pdf',
    );

    expect(await harness.store.sha256Of(stored.path)).toBe(sha256(Buffer.from('a')));
    expect(await harness.store.sha256Of(`${CONTOSO_UAT}/missing.pdf`)).toBeNull();
    for (const hostile of ['../etc/passwd', `${CONTOSO_UAT}/../../x`, '/etc/passwd', '']) {
      await expect(harness.store.sha256Of(hostile)).rejects.toMatchObject({
        code: 'EVIDENCE_INVALID_LOCATION',
      });
    }
  });

  test("one client's files never land in another client's folder, even with the same names", async () => {
    const clientA = { ...contosoUat, clientId: 12, clientName: 'Contoso' };
    // Same display name, same project and gate names: only the id tells them apart.
    const clientB = { ...contosoUat, clientId: 13, clientName: 'Contoso' };
    const uploads = Array.from({ length: 6 }, (_, i) => {
      const location = i % 2 === 0 ? clientA : clientB;
      return harness.store.put(
        location,
        `report-${i}.pdf`,
        bytesOf(1000 + i, 10 + i),
        'application/pdf',
      );
    });
    await Promise.all(uploads);

    const backend = await harness.backend();
    for (const [filePath, bytes] of backend) {
      const index = Number(/report-(\d)\.pdf$/.exec(filePath)![1]);
      const expectedClient = index % 2 === 0 ? '12 Contoso' : '13 Contoso';
      expect(filePath.split('/')[1]).toBe(expectedClient);
      expect(sha256(bytes)).toBe(sha256(bytesOf(1000 + index, 10 + index)));
    }
    expect(backend.size).toBe(6);
    expect((await harness.store.list(clientA)).map((f) => f.name)).toEqual([
      'report-0.pdf',
      'report-2.pdf',
      'report-4.pdf',
    ]);
    expect((await harness.store.list(clientB)).map((f) => f.name)).toEqual([
      'report-1.pdf',
      'report-3.pdf',
      'report-5.pdf',
    ]);
  });

  test.each([
    '../13 Fabrikam/x.pdf',
    '..\\13 Fabrikam\\x.pdf',
    'sub/x.pdf',
    'x:y.pdf',
    'what?.pdf',
    '..',
    '.hidden',
    'trailing. ',
    '',
    'CON',
  ])('refuses the file name %j and stores nothing', async (name) => {
    const attempt = harness.store.put(contosoUat, name, Buffer.from('x'), 'application/pdf');

    await expect(attempt).rejects.toMatchObject({ code: 'EVIDENCE_INVALID_NAME' });
    await expect(attempt).rejects.toThrow(/Invalid evidence file name/);
    expect((await harness.backend()).size).toBe(0);
    await expect(harness.store.get(contosoUat, name)).rejects.toBeInstanceOf(EvidenceError);
  });

  test('names that try to climb out of their folder stay inside their own client id', async () => {
    const hostile = {
      clientId: 12,
      clientName: '../13 Fabrikam',
      projectId: 7,
      projectName: '..\\..\\etc',
      gateKey: '../../gate-x',
    };

    const stored = await harness.store.put(hostile, 'a.pdf', Buffer.from('a'), 'application/pdf');

    const segments = stored.path.split('/');
    expect(segments).toHaveLength(5);
    expect(segments[1]).toMatch(/^12 /);
    expect(segments[2]).toMatch(/^7 /);
    expect(segments[3]).toMatch(/^gate-/);
    expect(segments.every((s) => s !== '..' && !s.startsWith('.') && !/[\\:*?"<>|]/.test(s))).toBe(
      true,
    );
    expect([...(await harness.backend()).keys()]).toEqual([stored.path]);
  });

  test('a file over the size limit is refused with a clear message and nothing is stored', async () => {
    const attempt = harness.store.put(
      contosoUat,
      'huge.zip',
      Buffer.alloc(MAX_BYTES + 1),
      'application/zip',
    );

    await expect(attempt).rejects.toMatchObject({ code: 'EVIDENCE_TOO_LARGE', kind: 'user' });
    await expect(attempt).rejects.toThrow(
      `Evidence file "huge.zip" is ${MAX_BYTES + 1} bytes; the limit is ${MAX_BYTES} bytes.`,
    );
    expect((await harness.backend()).size).toBe(0);
  });

  test('a missing file reads as null and a missing folder lists empty', async () => {
    expect(await harness.store.get(contosoUat, 'nothing.pdf')).toBeNull();
    expect(await harness.store.list({ ...contosoUat, gateKey: 'never-used' })).toEqual([]);
  });

  test('a location with a non-positive id is refused', async () => {
    await expect(
      harness.store.put(
        { ...contosoUat, clientId: 0 },
        'a.pdf',
        Buffer.from('a'),
        'application/pdf',
      ),
    ).rejects.toMatchObject({ code: 'EVIDENCE_INVALID_LOCATION' });
  });
});

describe('SharePoint evidence store against the Graph double', () => {
  let harness: Awaited<ReturnType<typeof sharePointHarness>>;
  beforeEach(async () => {
    harness = await sharePointHarness();
  });
  afterEach(async () => {
    await harness.close();
  });

  test('uses a single PUT up to 4 MB and an upload session of 320 KiB multiples above', async () => {
    await harness.store.put(
      contosoUat,
      'small.pdf',
      bytesOf(SIMPLE_UPLOAD_LIMIT, 3),
      'application/pdf',
    );
    expect(harness.double.uploadStats.sessions).toBe(0);

    await harness.store.put(contosoUat, 'big.zip', bytesOf(10 * 1024 * 1024, 4), 'application/zip');

    expect(harness.double.uploadStats.sessions).toBe(1);
    expect(harness.double.uploadStats.chunks).toBeGreaterThan(1);
    expect(harness.double.uploadStats.largestChunk % (320 * 1024)).toBe(0);
    expect(
      harness.double.requests.filter((r) => r.path.startsWith('/v1.0')).every((r) => r.authorized),
    ).toBe(true);
  });

  test('a 429 with Retry-After is waited out and the upload succeeds', async () => {
    harness.double.failNext(1, 429, 1, (method) => method === 'PUT');
    const content = bytesOf(50_000, 5);

    const stored = await harness.store.put(contosoUat, 'minutes.pdf', content, 'application/pdf');

    expect(harness.delays).toEqual([1000]);
    expect(stored.sha256).toBe(sha256(content));
    expect(sha256(harness.double.files.get(`${CONTOSO_UAT}/minutes.pdf`)!.content)).toBe(
      sha256(content),
    );
    expect(harness.double.requests.map((r) => r.status)).toEqual([429, 201]);
  });

  test('a 503 in the middle of a chunked upload is retried and the file completes', async () => {
    let chunkPuts = 0;
    harness.double.failNext(
      1,
      503,
      2,
      (method, p) => method === 'PUT' && p.startsWith('/upload/') && ++chunkPuts === 2,
    );
    const content = bytesOf(11 * 1024 * 1024, 6);

    await harness.store.put(contosoUat, 'big.zip', content, 'application/zip');

    expect(harness.delays).toEqual([2000]);
    expect(sha256(harness.double.files.get(`${CONTOSO_UAT}/big.zip`)!.content)).toBe(
      sha256(content),
    );
  });

  test('a connection dropped before the answer is retried and the file lands once', async () => {
    harness.double.dropNext(1, (method) => method === 'PUT');
    const content = bytesOf(30_000, 7);

    const stored = await harness.store.put(contosoUat, 'notes.pdf', content, 'application/pdf');

    expect(stored.sha256).toBe(sha256(content));
    expect(harness.double.requests.map((r) => r.status)).toEqual([0, 201]);
    expect(sha256(harness.double.files.get(`${CONTOSO_UAT}/notes.pdf`)!.content)).toBe(
      sha256(content),
    );
  });

  test('a slice stored but its answer lost is not stored twice: the upload resumes from the session', async () => {
    let chunkPuts = 0;
    harness.double.loseAnswerNext(
      1,
      (method, p) => method === 'PUT' && p.startsWith('/upload/') && ++chunkPuts === 2,
    );
    const content = bytesOf(10 * 1024 * 1024, 8);

    const stored = await harness.store.put(contosoUat, 'big.zip', content, 'application/zip');

    expect(stored.sha256).toBe(sha256(content));
    expect(sha256(harness.double.files.get(`${CONTOSO_UAT}/big.zip`)!.content)).toBe(
      sha256(content),
    );
    const upload = harness.double.requests.filter((r) => r.path.startsWith('/upload/'));
    // Lost answer, the resend refused as out of range, the session asked where it stands, then on.
    expect(upload.map((r) => `${r.method} ${r.status}`).slice(1, 4)).toEqual([
      'PUT 0',
      'PUT 416',
      'GET 200',
    ]);
    expect(upload.at(-1)).toMatchObject({ method: 'PUT', status: 201 });
  });

  test('throttling that never ends fails with an upstream error after the attempts run out', async () => {
    harness.double.failNext(10, 503, null);

    const attempt = harness.store.put(contosoUat, 'a.pdf', Buffer.from('a'), 'application/pdf');

    await expect(attempt).rejects.toMatchObject({
      code: 'EVIDENCE_UPSTREAM',
      status: 503,
      kind: 'operational',
    });
    await expect(attempt).rejects.toThrow(/SharePoint failed storing .*a\.pdf \(HTTP 503/);
    expect(harness.delays).toHaveLength(2);
    expect(harness.double.files.size).toBe(0);
  });

  test('a token Graph does not accept is an upstream 401, not a crash', async () => {
    const store = new SharePointEvidenceStore({
      siteId: SITE,
      driveId: null,
      credential: new FixedTokenCredential('wrong-token'),
      graphBaseUrl: harness.double.baseUrl,
      ca: harness.double.certificate.cert,
      clock,
    });

    await expect(store.list(contosoUat)).rejects.toMatchObject({
      code: 'EVIDENCE_UPSTREAM',
      status: 401,
    });
  });

  test('a configured drive id addresses /drives/{id} and a listing follows @odata.nextLink', async () => {
    const store = new SharePointEvidenceStore({
      siteId: SITE,
      driveId: 'drive-1',
      credential: new FixedTokenCredential(TOKEN),
      graphBaseUrl: harness.double.baseUrl,
      ca: harness.double.certificate.cert,
      clock,
    });
    harness.double.pageSize = 2;
    for (const name of ['a.pdf', 'b.pdf', 'c.pdf', 'd.pdf', 'e.pdf']) {
      await store.put(contosoUat, name, Buffer.from(name), 'application/pdf');
    }

    const listed = await store.list(contosoUat);

    expect(listed.map((f) => f.name)).toEqual(['a.pdf', 'b.pdf', 'c.pdf', 'd.pdf', 'e.pdf']);
    expect(listed[0]).toMatchObject({
      path: `${CONTOSO_UAT}/a.pdf`,
      sha256: sha256(Buffer.from('a.pdf')),
      webUrl: expect.stringMatching(/^https:\/\/contoso\.sharepoint\.com\//),
      storedAt: '2026-11-23T10:00:00.000Z',
    });
    expect(harness.double.requests.some((r) => r.path.startsWith('/v1.0/drives/drive-1/'))).toBe(
      true,
    );
    expect(harness.double.requests.some((r) => r.path.startsWith('/v1.0/sites/'))).toBe(false);
  });

  test('without a certificate the client trusts, nothing is sent and the error says so', async () => {
    const store = new SharePointEvidenceStore({
      siteId: SITE,
      driveId: null,
      credential: new FixedTokenCredential(TOKEN),
      graphBaseUrl: harness.double.baseUrl,
      clock,
    });

    await expect(store.get(contosoUat, 'a.pdf')).rejects.toMatchObject({
      code: 'EVIDENCE_UPSTREAM',
    });
    expect(harness.double.requests).toHaveLength(0);
  });
});

describe('createEvidenceStore', () => {
  test('demo mode stores evidence in a folder under DATA_DIR', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'evidence-factory-'));
    try {
      const store = createEvidenceStore(loadConfig({ DATA_DIR: dataDir }), { clock });
      expect(store.kind).toBe('local');

      const stored = await store.put(contosoUat, 'a.txt', Buffer.from('hello'), 'text/plain');

      const onDisk = await fs.readFile(path.join(dataDir, 'evidence', ...stored.path.split('/')));
      expect(onDisk.toString()).toBe('hello');
    } finally {
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });

  test('production mode stores evidence in the configured SharePoint site', async () => {
    const double = await new GraphDouble(SITE, 'drive-1', TOKEN, clock).start();
    try {
      const config = loadConfig({
        HALO_URL: 'https://msp.halopsa.com',
        HALO_CLIENT_ID: 'id',
        HALO_CLIENT_SECRET: 'secret',
        DATABASE_URL: 'postgres://u@db/ct',
        BOT_ID: 'bot',
        BOT_MANAGED_IDENTITY: 'true',
        BOT_TENANT_ID: 'tid',
        SHAREPOINT_SITE_ID: SITE,
        GRAPH_MANAGED_IDENTITY_CLIENT_ID: 'mi-client',
        HALO_WEBHOOK_USER: 'halo',
        HALO_WEBHOOK_PASSWORD: 'pw',
        TAB_SSO_CLIENT_ID: 'tab-client',
        ALLOWED_TENANT_IDS: 'tid',
      });
      const store = createEvidenceStore(config, {
        clock,
        graphBaseUrl: double.baseUrl,
        ca: double.certificate.cert,
        credential: new FixedTokenCredential(TOKEN),
      });
      expect(store.kind).toBe('sharepoint');

      await store.put(contosoUat, 'a.txt', Buffer.from('hello'), 'text/plain');

      expect(double.paths()).toEqual([`${CONTOSO_UAT}/a.txt`]);
    } finally {
      await double.stop();
    }
  });
});
