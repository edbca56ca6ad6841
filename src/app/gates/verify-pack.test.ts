import { ACTORS, GateWorld, seedPendingGate } from '../../../tests/gates/fakes';
import { UploadEvidence } from './upload-evidence';
import { EVIDENCE_MISMATCH, VerifyPack } from './verify-pack';

const P = { projectId: 10, milestoneId: 11 };

/** A pending gate whose frozen pack lists one uploaded file. */
async function setup() {
  const world = new GateWorld();
  world.addProject(P);
  const upload = new UploadEvidence({
    projects: world.projects,
    gates: world.gates,
    evidence: world.evidence,
    tx: world.tx,
    newId: () => 'file-1',
  });
  const uploaded = await upload.run(ACTORS.megan, {
    ...P,
    fileName: 'uat.pdf',
    contentType: 'application/pdf',
    content: Buffer.from('signed by the customer'),
  });
  if (!uploaded.ok) throw new Error(uploaded.message);
  const gateId = await seedPendingGate(world, P);
  world.state.packs[0]!.pack.deliverables.push({
    kind: 'file',
    fileId: 'file-1',
    name: 'uat.pdf',
    sha256: uploaded.file.sha256,
    size: uploaded.file.size,
  });
  const verify = new VerifyPack({
    gates: world.gates,
    evidence: world.evidence,
    audit: world.audit,
    clock: world.clock,
  });
  return { world, verify, gateId, file: uploaded.file };
}

describe('re-verifying a frozen pack when it is opened', () => {
  test('unchanged files verify, and nothing is audited', async () => {
    const { world, verify, gateId } = await setup();

    const integrity = await verify.run(gateId);

    expect(integrity).toMatchObject({
      status: 'verified',
      files: [{ fileId: 'file-1', name: 'uat.pdf', ok: true }],
    });
    expect(world.state.audit.filter((e) => e.action === EVIDENCE_MISMATCH)).toEqual([]);
  });

  test('a file replaced in the store is a mismatch, audited once however often the pack is opened', async () => {
    const { world, verify, gateId, file } = await setup();
    world.evidence.tamper(file.path, Buffer.from('forged'));

    const first = await verify.run(gateId);
    const again = await verify.run(gateId);

    expect(first).toMatchObject({
      status: 'mismatch',
      files: [{ fileId: 'file-1', ok: false, frozenSha256: file.sha256 }],
    });
    expect(first!.files[0]!.storedSha256).not.toBe(file.sha256);
    expect(again!.status).toBe('mismatch');
    const audited = world.state.audit.filter((e) => e.action === EVIDENCE_MISMATCH);
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({
      subjectId: gateId,
      detail: { fileId: 'file-1', frozenSha256: file.sha256, packVersion: 1 },
    });
  });

  test('a file gone from the store is a mismatch too', async () => {
    const { world, verify, gateId, file } = await setup();
    world.evidence.bytes.delete(file.path);

    const integrity = await verify.run(gateId);

    expect(integrity).toMatchObject({ status: 'mismatch', files: [{ storedSha256: null }] });
  });

  test('a store that cannot be read leaves the pack unverified, not changed', async () => {
    const { world, verify, gateId } = await setup();
    world.evidence.sha256Of = () => Promise.reject(new Error('SharePoint is down'));

    expect(await verify.run(gateId)).toMatchObject({ status: 'unavailable', files: [] });
    expect(world.state.audit.filter((e) => e.action === EVIDENCE_MISMATCH)).toEqual([]);
  });

  test('an unknown gate is null', async () => {
    const { verify } = await setup();

    expect(await verify.run('g-0-0')).toBeNull();
  });
});
