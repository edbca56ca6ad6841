import { ACTORS, FakeEvidenceStore, GateWorld } from '../../../tests/gates/fakes';
import { UploadEvidence, type GateUploadInput } from './upload-evidence';

const P = { projectId: 10, milestoneId: 11 };

function setup(options: { store?: boolean; maxUploadBytes?: number } = {}) {
  const world = new GateWorld();
  world.addProject(P);
  const store = new FakeEvidenceStore(world.clock);
  let ids = 0;
  const upload = new UploadEvidence({
    projects: world.projects,
    gates: world.gates,
    evidence: options.store === false ? null : store,
    tx: world.tx,
    newId: () => `file-${++ids}`,
    ...(options.maxUploadBytes === undefined ? {} : { maxUploadBytes: options.maxUploadBytes }),
  });
  return { world, store, upload };
}

const file = (overrides: Partial<GateUploadInput> = {}): GateUploadInput => ({
  ...P,
  fileName: 'reports/UAT: sign-off?.pdf',
  contentType: 'application/pdf',
  content: Buffer.from('signed'),
  ...overrides,
});

describe('uploading evidence', () => {
  test('stores the file under a safe name in the gate folder, records it and audits it', async () => {
    const { world, store, upload } = setup();

    const result = await upload.run(ACTORS.megan, file());

    expect(result).toEqual({
      ok: true,
      file: expect.objectContaining({
        id: 'file-1',
        gateId: 'g-10-11',
        name: 'UAT- sign-off-.pdf',
        size: 6,
        contentType: 'application/pdf',
        storedAt: '2025-03-14T09:00:00.000Z',
        uploadedBy: { aadObjectId: 'aad-megan', name: 'Megan Bowen', email: 'megan@msp.example' },
      }),
    });
    expect(store.files[0]!.location).toEqual({
      clientId: 7,
      clientName: 'Contoso Ltd',
      projectId: 10,
      projectName: 'Intranet rollout 10',
      gateKey: '11',
    });
    expect(world.state.files.map((f) => f.id)).toEqual(['file-1']);
    expect(world.state.audit).toEqual([
      expect.objectContaining({
        action: 'gate.evidence.uploaded',
        subjectId: 'g-10-11',
        detail: expect.objectContaining({ fileId: 'file-1', size: 6 }),
      }),
    ]);
  });

  test('an empty content type is stored as application/octet-stream', async () => {
    const { store, upload } = setup();

    await upload.run(ACTORS.megan, file({ contentType: '' }));

    expect(store.files[0]!.file.contentType).toBe('application/octet-stream');
  });

  test.each([
    ['someone who is not a PM', { actor: ACTORS.adele }, 'not-authorised'],
    ['no evidence store', { store: false }, 'invalid-input'],
    ['an empty file', { input: { content: Buffer.alloc(0) } }, 'invalid-input'],
    ['a file over the limit', { maxUploadBytes: 3 }, 'invalid-input'],
    ['a milestone that is not a gate', { input: { milestoneId: 10 } }, 'not-found'],
    ['an unknown project', { input: { projectId: 99 } }, 'not-found'],
  ] as const)('refuses %s and stores nothing', async (_name, c, reason) => {
    const options = c as {
      actor?: typeof ACTORS.adele;
      store?: boolean;
      maxUploadBytes?: number;
      input?: Partial<GateUploadInput>;
    };
    const { world, store, upload } = setup(options);

    const result = await upload.run(options.actor ?? ACTORS.megan, file(options.input));

    expect(result).toMatchObject({ ok: false, reason });
    expect(store.files).toEqual([]);
    expect(world.state.files).toEqual([]);
  });
});

describe('evidence is write-once', () => {
  test('the same file name twice is stored twice under names that never repeat; neither is replaced', async () => {
    const { world, store, upload } = setup();

    const first = await upload.run(ACTORS.megan, file({ content: Buffer.from('first') }));
    const second = await upload.run(ACTORS.megan, file({ content: Buffer.from('second') }));

    expect(first.ok && second.ok).toBe(true);
    const [a, b] = world.state.files;
    expect(a!.name).toBe(b!.name);
    expect(a!.path).not.toBe(b!.path);
    expect(a!.path).toBe('evidence/7/10/gate-11/file-1.pdf');
    expect(store.bytes.get(a!.path)?.toString()).toBe('first');
    expect(store.bytes.get(b!.path)?.toString()).toBe('second');
  });

  test('hostile names never collide, never leave the gate folder, and lose their bidi and line breaks', async () => {
    const { world, store, upload } = setup();
    const names = ['../../etc/passwd', '/etc/passwd', 'invoice\u202Efdp.exe', 'a\r\nb.pdf', '..'];

    for (const fileName of names) {
      expect((await upload.run(ACTORS.megan, file({ fileName }))).ok).toBe(true);
    }

    const paths = world.state.files.map((f) => f.path);
    expect(new Set(paths).size).toBe(names.length);
    expect(paths.every((p) => /^evidence\/7\/10\/gate-11\/file-\d+(\.[a-z0-9]+)?$/.test(p))).toBe(
      true,
    );
    expect([...store.bytes.keys()].sort()).toEqual([...paths].sort());
    const shown = world.state.files.map((f) => f.name);
    expect(shown).toEqual(['passwd', 'passwd', 'invoice-fdp.exe', 'a-b.pdf', 'evidence']);
    expect(shown.join('')).not.toMatch(/[\u202a-\u202e\r\n/\\]/);
  });

  test('a content type with parameters or control characters is stored as application/octet-stream', async () => {
    const { store, upload } = setup();

    await upload.run(ACTORS.megan, file({ contentType: 'text/html\r\nX-Evil: 1' }));

    expect(store.files[0]!.file.contentType).toBe('application/octet-stream');
  });

  test('no upload to an approved gate: refused as already decided, nothing stored', async () => {
    const { world, store, upload } = setup();
    await upload.run(ACTORS.megan, file());
    world.state.gates.push({
      id: 'g-10-11',
      projectId: 10,
      milestoneId: 11,
      milestoneName: 'Gate: UAT sign-off',
      status: 'approved',
      packVersion: 1,
      packHash: 'a'.repeat(64),
      requiredApprovals: 1,
      approvals: 1,
      requestedBy: { aadObjectId: 'aad-megan', name: 'Megan Bowen', email: 'megan@msp.example' },
      requestedAt: '2025-03-14T09:00:00.000Z',
      decidedAt: '2025-03-14T10:00:00.000Z',
      updatedAt: '2025-03-14T10:00:00.000Z',
    });

    const result = await upload.run(ACTORS.megan, file({ content: Buffer.from('replaced') }));

    expect(result).toMatchObject({ ok: false, reason: 'already-decided' });
    expect(store.files).toHaveLength(1);
    expect(world.state.files).toHaveLength(1);
  });

  test('a pm refuses to upload on a project they do not manage', async () => {
    const { store, upload } = setup();
    const otherPm = { ...ACTORS.megan, aadObjectId: 'aad-otto', email: 'otto@x', haloAgentId: 9 };

    const result = await upload.run({ ...otherPm, roles: ['pm'] }, file());

    expect(result).toMatchObject({ ok: false, reason: 'not-authorised' });
    expect(store.files).toEqual([]);
  });
});
