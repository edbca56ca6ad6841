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
