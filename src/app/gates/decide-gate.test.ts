import { ACTORS, GateWorld, sha256 } from '../../../tests/gates/fakes';
import { DEFAULT_GATE_POLICY } from '../../domain/gates/gate-policy';
import { DecideGate } from './decide-gate';
import { RequestGate } from './request-gate';

const P = { projectId: 10, milestoneId: 11 };
const GATE = 'g-10-11';

async function setup(budget = 15_000, afterApproval?: (gateId: string) => Promise<void>) {
  const world = new GateWorld();
  world.addProject({ ...P, budget });
  world.projects.approverList = [
    { aadObjectId: 'aad-adele', email: 'adele@msp.example' },
    { aadObjectId: 'aad-lynne', email: 'lynne@msp.example' },
  ];
  const deps = {
    audit: world.audit,
    reads: { gates: world.gates, projects: world.projects },
    tx: world.tx,
    pilot: world.ports.pilot,
    policy: DEFAULT_GATE_POLICY,
    clock: world.clock,
    outboxChanged: world.outboxChanged,
    writebackQueued: world.writebackQueued,
  };
  const requested = await new RequestGate({
    ...deps,
    projects: world.projects,
    gates: world.gates,
    sha256,
  }).run(ACTORS.megan, {
    ...P,
    links: [{ title: 'UAT report', url: 'https://sharepoint.example/uat.pdf' }],
    fileIds: null,
    qaOutcomes: [],
    customerAcceptanceNotes: 'Accepted',
    openRisks: [],
    noOpenRisks: true,
  });
  if (!requested.ok) throw new Error(requested.message);
  world.state.audit = [];
  world.state.outbox = [];
  world.outboxChanged.count = 0;
  return {
    world,
    decide: new DecideGate(afterApproval ? { ...deps, afterApproval } : deps),
    hash: requested.gate.packHash,
  };
}

/** `count` approvers, Adele and Lynne in turn, pressing Approve on the gate's first pack at once. */
function approveAtOnce(decide: DecideGate, count: number) {
  return Array.from({ length: count }, (_, i) =>
    decide.run(i % 2 === 0 ? ACTORS.adele : ACTORS.lynne, {
      gateId: GATE,
      packVersion: 1,
      outcome: 'approve',
      comment: '',
    }),
  );
}

/** Counts the world's transactions; the first `failing` of them fail as a lost connection would. */
function countTransactions(
  world: Awaited<ReturnType<typeof setup>>['world'],
  failing = 0,
): { count: number } {
  const counted = { count: 0 };
  const transaction = world.tx.transaction.bind(world.tx);
  world.tx.transaction = (work) => {
    counted.count += 1;
    return counted.count <= failing
      ? Promise.reject(new Error('connection lost'))
      : transaction(work);
  };
  return counted;
}

describe('deciding a gate', () => {
  test('a final approval updates the gate, audits, updates the card, queues the HaloPSA note and the milestone completion and signals both loops', async () => {
    const { world, decide, hash } = await setup();

    const result = await decide.run(ACTORS.adele, {
      gateId: GATE,
      packVersion: 1,
      outcome: 'approve',
      comment: '',
    });

    expect(result).toMatchObject({
      ok: true,
      gate: { status: 'approved', decidedAt: '2025-03-14T09:00:00.000Z' },
      notice: `Approved by Adele Vance at 2025-03-14 09:00 UTC, pack #${hash.slice(0, 12)}`,
    });
    expect(world.state.audit.map((e) => e.action)).toEqual(['gate.approved']);
    expect(world.state.outbox).toEqual([
      expect.objectContaining({
        dedupeKey: `gate:${GATE}:v1:decision:1`,
        updateOf: `gate:${GATE}:v1:card`,
      }),
    ]);
    expect(world.state.writebacks).toHaveLength(2);
    expect(world.state.writebacks[1]!.intent).toMatchObject({
      dedupeKey: `gate:${GATE}:milestone-complete`,
      kind: 'milestone-complete',
      ticketId: 10,
      payload: { id: 10, milestones: [{ id: 11, _complete: true }] },
    });
    expect(world.state.writebacks[0]!.intent).toMatchObject({
      dedupeKey: `gate:${GATE}:v1:note`,
      kind: 'note',
      ticketId: 10,
      marker: `[Control Tower gate ${GATE} v1 approved]`,
    });
    expect(world.state.writebacks[0]!.intent.payload.note).toBe(
      [
        'Stage gate "Gate: UAT sign-off": approved by Adele Vance at 2025-03-14T09:00:00.000Z.',
        `Evidence pack version 1, SHA-256 ${hash}.`,
        `[Control Tower gate ${GATE} v1 approved]`,
      ].join('\n'),
    );
    expect([world.outboxChanged.count, world.writebackQueued.count]).toEqual([1, 1]);
  });

  test('a big project needs two approvers: the first approval queues no HaloPSA note', async () => {
    const { world, decide } = await setup(120_000);

    const first = await decide.run(ACTORS.adele, {
      gateId: GATE,
      packVersion: 1,
      outcome: 'approve',
      comment: '',
    });

    expect(first).toMatchObject({ ok: true, gate: { status: 'pending' } });
    expect(first.ok && first.notice).toContain('Approval 1 of 2 by Adele Vance');
    expect(world.state.audit.map((e) => e.action)).toEqual(['gate.approval.recorded']);
    expect(world.state.writebacks).toEqual([]);
  });

  test('a rejection with its comment is recorded and noted in HaloPSA', async () => {
    const { world, decide } = await setup();

    const result = await decide.run(ACTORS.adele, {
      gateId: GATE,
      packVersion: 1,
      outcome: 'reject',
      comment: '  Acceptance is not signed  ',
    });

    expect(result).toMatchObject({ ok: true, gate: { status: 'rejected' } });
    expect(world.state.audit[0]).toMatchObject({
      action: 'gate.rejected',
      detail: { comment: 'Acceptance is not signed' },
    });
    expect(String(world.state.writebacks[0]!.intent.payload.note)).toContain(
      'Comment: Acceptance is not signed',
    );
  });

  test('the project manager may not approve their own project: refused, audited, nothing queued', async () => {
    const { world, decide } = await setup();
    world.projects.approverList.push({ aadObjectId: 'aad-megan', email: 'megan@msp.example' });

    const result = await decide.run(ACTORS.megan, {
      gateId: GATE,
      packVersion: 1,
      outcome: 'approve',
      comment: '',
    });

    expect(result).toMatchObject({ ok: false, gate: { status: 'pending' } });
    // Its audit entry is written after the answer.
    await decide.idle();
    expect(world.state.audit).toEqual([
      expect.objectContaining({
        action: 'gate.refused',
        detail: expect.objectContaining({ attempted: 'gate.approve', currentVersion: 1 }),
      }),
    ]);
    expect(world.state.outbox).toEqual([]);
    expect([world.outboxChanged.count, world.writebackQueued.count]).toEqual([0, 0]);
  });

  test('a stale pack version and an unknown gate are refused', async () => {
    const { decide } = await setup();

    expect(
      await decide.run(ACTORS.adele, {
        gateId: GATE,
        packVersion: 9,
        outcome: 'approve',
        comment: '',
      }),
    ).toMatchObject({ ok: false, reason: 'stale-pack' });
    expect(
      await decide.run(ACTORS.adele, {
        gateId: 'g-1-1',
        packVersion: 1,
        outcome: 'approve',
        comment: '',
      }),
    ).toMatchObject({ ok: false, reason: 'not-found', gate: null });
  });

  test('someone without a work account cannot decide', async () => {
    const { decide } = await setup();

    const result = await decide.run(
      { ...ACTORS.adele, aadObjectId: null },
      { gateId: GATE, packVersion: 1, outcome: 'approve', comment: '' },
    );

    expect(result).toMatchObject({ ok: false, reason: 'not-authorised' });
  });

  test('a decision that lost a race is rolled back and decided again on the new state', async () => {
    const { world, decide } = await setup();
    world.gates.conflictsToSimulate = 1;

    const result = await decide.run(ACTORS.adele, {
      gateId: GATE,
      packVersion: 1,
      outcome: 'approve',
      comment: '',
    });

    expect(result).toMatchObject({ ok: true, gate: { status: 'approved' } });
    expect(world.transactions.rolledBack).toBe(1);
    expect(world.state.audit.map((e) => e.action)).toEqual(['gate.approved']);
  });

  test('approvers pressing Approve at once share reads of the gate: one decides, the rest are refused', async () => {
    const { world, decide } = await setup();
    let reads = 0;
    const findCurrent = world.gates.findCurrent.bind(world.gates);
    world.gates.findCurrent = (gateId) => {
      reads += 1;
      return findCurrent(gateId);
    };
    const transactions = countTransactions(world);

    const results = await Promise.all(approveAtOnce(decide, 20));

    expect(results.filter((r) => r.ok)).toHaveLength(1);
    // The others: decided already, or (Adele again) approved by them already.
    for (const r of results)
      if (!r.ok) expect(['already-approved', 'already-decided']).toContain(r.reason);
    expect(world.state.gates[0]!.status).toBe('approved');
    expect(world.state.audit.filter((e) => e.action === 'gate.approved')).toHaveLength(1);
    // The first reads alone and decides; the other nineteen read together, find it deciding, wait
    // for it and judge again on the gate as it left it: two reads, and only the decision opens a
    // transaction.
    expect(reads).toBe(2);
    expect(transactions.count).toBe(1);
  });

  test('when the decision the others wait for fails, they read again and one of them decides', async () => {
    const { world, decide } = await setup();
    const transactions = countTransactions(world, 1);

    const results = await Promise.allSettled(approveAtOnce(decide, 10));

    expect(results[0]).toMatchObject({ status: 'rejected', reason: new Error('connection lost') });
    const answered = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(answered).toHaveLength(9);
    expect(answered.filter((r) => r.ok)).toHaveLength(1);
    expect(world.state.gates[0]!.status).toBe('approved');
    expect(transactions.count).toBe(2);
  });

  test('gives up after five lost races', async () => {
    const { world, decide } = await setup();
    world.gates.conflictsToSimulate = 5;

    await expect(
      decide.run(ACTORS.adele, { gateId: GATE, packVersion: 1, outcome: 'approve', comment: '' }),
    ).rejects.toThrow(`gate ${GATE} kept changing under concurrent decisions`);
    expect(world.state.gates[0]!.status).toBe('pending');
  });

  test('an approval runs the after-approval hook once; a rejection does not', async () => {
    const archived: string[] = [];
    const { decide } = await setup(15_000, async (gateId) => void archived.push(gateId));
    await decide.run(ACTORS.adele, {
      gateId: GATE,
      packVersion: 1,
      outcome: 'approve',
      comment: '',
    });
    expect(archived).toEqual([GATE]);

    const other = await setup(15_000, async (gateId) => void archived.push(`rejected ${gateId}`));
    await other.decide.run(ACTORS.adele, {
      gateId: GATE,
      packVersion: 1,
      outcome: 'reject',
      comment: 'No sign-off',
    });
    expect(archived).toEqual([GATE]);
  });

  test('a failing after-approval hook is audited on the gate and the approval stands', async () => {
    const { world, decide } = await setup(15_000, async () => {
      throw new Error('SharePoint answered 503');
    });
    const result = await decide.run(ACTORS.adele, {
      gateId: GATE,
      packVersion: 1,
      outcome: 'approve',
      comment: '',
    });
    expect(result).toMatchObject({ ok: true, gate: { status: 'approved' } });
    expect(world.state.audit.map((e) => [e.action, e.detail])).toEqual([
      ['gate.approved', expect.anything()],
      ['gate.pack.archive-failed', { error: 'SharePoint answered 503' }],
    ]);
  });
  test('a follow-up whose failure cannot be audited either (the database went too) is left to the archive job: no unhandled rejection', async () => {
    const { world } = await setup();
    const audit = Object.create(world.audit) as typeof world.audit;
    audit.append = async () => {
      throw new Error('database unavailable');
    };
    const decide = new DecideGate({
      audit,
      reads: { gates: world.gates, projects: world.projects },
      tx: world.tx,
      pilot: world.ports.pilot,
      policy: DEFAULT_GATE_POLICY,
      clock: world.clock,
      outboxChanged: world.outboxChanged,
      writebackQueued: world.writebackQueued,
      afterApproval: async () => {
        throw new Error('SharePoint answered 503');
      },
    });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const result = await decide.run(ACTORS.adele, {
        gateId: GATE,
        packVersion: 1,
        outcome: 'approve',
        comment: '',
      });
      expect(result).toMatchObject({ ok: true, gate: { status: 'approved' } });
      await expect(decide.idle()).resolves.toBeUndefined();
      // Unhandled rejections are reported after the microtask queue drains.
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
