import { ACTORS, GateWorld, sha256 } from '../../../tests/gates/fakes';
import { DEFAULT_GATE_POLICY } from '../../domain/gates/gate-policy';
import type { GateRequestInput } from './gate-views';
import { RequestGate } from './request-gate';

const P = { projectId: 10, milestoneId: 11 };

function completeRequest(overrides: Partial<GateRequestInput> = {}): GateRequestInput {
  return {
    ...P,
    links: [{ title: 'UAT report', url: 'https://sharepoint.example/uat.pdf' }],
    fileIds: null,
    qaOutcomes: [{ name: 'UAT', outcome: 'pass', notes: 'All scripts passed' }],
    customerAcceptanceNotes: 'Accepted by J. Doe on 2025-03-12',
    openRisks: [],
    noOpenRisks: true,
    ...overrides,
  };
}

function setup() {
  const world = new GateWorld();
  world.addProject(P);
  world.projects.approverList = [
    { aadObjectId: 'aad-megan', email: 'megan@msp.example' },
    { aadObjectId: 'aad-adele', email: 'adele@msp.example' },
  ];
  const request = new RequestGate({
    projects: world.projects,
    gates: world.gates,
    audit: world.audit,
    tx: world.tx,
    policy: DEFAULT_GATE_POLICY,
    clock: world.clock,
    sha256,
    outboxChanged: world.outboxChanged,
  });
  return { world, request };
}

describe('requesting a gate', () => {
  test('freezes the pack as version 1, audits it, queues the card for the gates channel and signals', async () => {
    const { world, request } = setup();

    const result = await request.run(ACTORS.megan, completeRequest());

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.gate).toMatchObject({
      id: 'g-10-11',
      status: 'pending',
      packVersion: 1,
      requiredApprovals: 1,
      requestedBy: { aadObjectId: 'aad-megan', name: 'Megan Bowen' },
    });
    // The PM is not an approver of their own project's gate.
    expect(result.gate.approverAadObjectIds).toEqual(['aad-adele']);
    const stored = world.state.packs[0]!;
    expect(result.gate.packHash).toBe(sha256(stored.canonical));
    expect(world.state.audit.map((e) => e.action)).toEqual(['gate.requested']);
    expect(world.state.outbox).toEqual([
      expect.objectContaining({
        dedupeKey: 'gate:g-10-11:v1:card',
        kind: 'gate',
        target: { streams: ['gates'], clientId: 7 },
      }),
      // Personally: the eligible approvers (not the PM), the same card 1:1 and a feed entry.
      expect.objectContaining({
        dedupeKey: 'gate:g-10-11:v1:card:people',
        kind: 'gate',
        target: {
          people: expect.objectContaining({
            activityType: 'gateApproval',
            audience: expect.objectContaining({ aadObjectIds: ['aad-adele'] }),
            actionToday: true,
          }),
        },
      }),
    ]);
    expect(world.outboxChanged.count).toBe(1);
  });

  test('a completed task of the milestone counts as a passed QA outcome', async () => {
    const { world, request } = setup();

    await request.run(ACTORS.megan, completeRequest({ qaOutcomes: [] }));

    expect(world.state.packs[0]!.pack.qaOutcomes).toEqual([
      expect.objectContaining({ name: 'UAT test scripts run', source: 'halo-task', taskId: 101 }),
    ]);
  });

  test('a second request replaces the pending version and marks the old card replaced', async () => {
    const { world, request } = setup();
    await request.run(ACTORS.megan, completeRequest());

    const again = await request.run(
      ACTORS.megan,
      completeRequest({ customerAcceptanceNotes: 'Signed' }),
    );

    expect(again.ok && again.gate.packVersion).toBe(2);
    expect(world.state.audit.map((e) => e.action)).toEqual(['gate.requested', 'gate.resubmitted']);
    expect(world.state.outbox.map((i) => [i.dedupeKey, i.updateOf])).toEqual([
      ['gate:g-10-11:v1:card', undefined],
      ['gate:g-10-11:v1:card:people', undefined],
      ['gate:g-10-11:v2:card', undefined],
      ['gate:g-10-11:v2:card:people', undefined],
      ['gate:g-10-11:v1:superseded', 'gate:g-10-11:v1:card'],
    ]);
  });

  test('refuses an incomplete pack with what is missing, audits the refusal, queues nothing', async () => {
    const { world, request } = setup();

    const result = await request.run(
      ACTORS.megan,
      completeRequest({ links: [], customerAcceptanceNotes: '' }),
    );

    expect(result).toMatchObject({ ok: false, reason: 'missing-evidence' });
    expect(
      !result.ok && result.reason === 'missing-evidence' && result.missing.map((m) => m.item),
    ).toEqual(['deliverables', 'customer-acceptance']);
    expect(world.state.gates).toEqual([]);
    expect(world.state.outbox).toEqual([]);
    expect(world.state.audit).toEqual([
      expect.objectContaining({
        action: 'gate.refused',
        detail: expect.objectContaining({ attempted: 'gate.request', reason: 'missing-evidence' }),
      }),
    ]);
    expect(world.outboxChanged.count).toBe(0);
  });

  test('refuses someone who is not a project manager', async () => {
    const { world, request } = setup();

    const result = await request.run(ACTORS.patti, completeRequest());

    expect(result).toMatchObject({ ok: false, reason: 'not-authorised' });
    expect(world.state.audit.map((e) => e.detail.reason)).toEqual(['not-authorised']);
  });

  test('refuses a milestone that is not a gate, and unknown evidence files', async () => {
    const { request } = setup();

    expect(await request.run(ACTORS.megan, completeRequest({ milestoneId: 10 }))).toMatchObject({
      ok: false,
      reason: 'not-found',
    });
    expect(await request.run(ACTORS.megan, completeRequest({ fileIds: ['nope'] }))).toMatchObject({
      ok: false,
      reason: 'invalid-input',
      message: 'Unknown evidence files for this gate: nope.',
    });
  });

  test('refuses a new version of an approved gate and audits it', async () => {
    const { world, request } = setup();
    await request.run(ACTORS.megan, completeRequest());
    world.state.gates[0]!.status = 'approved';

    const result = await request.run(ACTORS.megan, completeRequest());

    expect(result).toMatchObject({ ok: false, reason: 'already-approved' });
    expect(world.state.audit.at(-1)).toMatchObject({
      action: 'gate.refused',
      detail: { reason: 'already-approved' },
    });
    expect(world.outboxChanged.count).toBe(1);
  });
});
