import { AnswerConcessionCard } from '../../src/app/renewals/answer-concession-card';
import { DecideConcession } from '../../src/app/renewals/decide-concession';
import { ExpireConcessions } from '../../src/app/renewals/expire-concessions';
import { GetConcession } from '../../src/app/renewals/get-concession';
import { ListConcessions } from '../../src/app/renewals/list-concessions';
import { RequestConcession } from '../../src/app/renewals/request-concession';
import { DEFAULT_RENEWAL_POLICY } from '../../src/domain/renewals';
import { FakeClock } from '../bot/fakes';
import { person } from './renewal-fixtures';
import { CountingSignal, FakeActionLog, FakeAudit, fakeRenewalPorts } from './renewal-fakes';

function setup() {
  const { ports, uow } = fakeRenewalPorts();
  ports.contracts.add(5, 4000, 2400).add(6, 0);
  ports.approvers.byRole.cs_lead = ['aad-lead'];
  ports.approvers.byRole.msp_owner = ['aad-owner', 'aad-am'];
  const clock = new FakeClock('2026-02-01T10:00:00Z');
  const signal = new CountingSignal();
  const refusals = new FakeAudit();
  const request = new RequestConcession({
    store: ports,
    audit: refusals,
    uow,
    clock,
    policy: DEFAULT_RENEWAL_POLICY,
    outboxChanged: signal,
  });
  const decide = new DecideConcession({
    store: ports,
    audit: refusals,
    uow,
    clock,
    outboxChanged: signal,
  });
  return { ports, uow, clock, signal, refusals, request, decide };
}

/**
 * Holds the first decision's transaction until the other approvers have read the request as pending
 * and judged it (their in-memory reads settle before the next macrotask): without the wait for the
 * decision in flight, each of them would open a transaction that loses the swap. With `fail`, that
 * transaction then fails as a lost connection would. Counts the reads of the request.
 */
function holdFirstDecision(
  world: Pick<ReturnType<typeof setup>, 'ports' | 'uow'>,
  fail = false,
): { reads: number } {
  const counted = { reads: 0 };
  let secondRead!: () => void;
  const othersRead = new Promise<void>((resolve) => (secondRead = resolve));
  const read = world.ports.concessions.concession.bind(world.ports.concessions);
  world.ports.concessions.concession = async (id) => {
    const row = await read(id);
    counted.reads += 1;
    if (counted.reads === 2) secondRead();
    return row;
  };
  const transaction = world.uow.transaction.bind(world.uow);
  let first = true;
  world.uow.transaction = async (work) => {
    if (!first) return transaction(work);
    first = false;
    await othersRead;
    await new Promise((resolve) => setImmediate(resolve));
    if (fail) throw new Error('connection lost');
    return transaction(work);
  };
  return counted;
}

const am = { ...person('Alex Account', ['account_manager']), aadObjectId: 'aad-am' };
const lead = { ...person('Casey Lead', ['cs_lead']), aadObjectId: 'aad-lead' };
const owner = { ...person('Morgan Owner', ['msp_owner']), aadObjectId: 'aad-owner' };

describe('RequestConcession', () => {
  test('stores the request, its timeline event, audit entry and card in one transaction, then signals', async () => {
    const { ports, uow, signal, request } = setup();
    const result = await request.run(am, { contractId: 5, discountPct: 5, reason: ' Loyalty ' });
    if (!result.ok) throw new Error(result.message);
    expect(result.concession).toMatchObject({
      contractId: 5,
      ref: 'C-5',
      discountPct: 5,
      reason: 'Loyalty',
      status: 'pending',
      approverTier: 'cs_lead',
      requestedBy: 'Alex Account',
    });
    expect(uow.count).toBe(1);
    expect(ports.events.rows.map((e) => e.kind)).toEqual(['concession.requested']);
    expect(ports.audit.entries.map((e) => e.action)).toEqual(['concession.requested']);
    expect(ports.outbox.intents).toEqual([
      expect.objectContaining({
        dedupeKey: `concession:${result.concession.id}`,
        kind: 'concession',
        target: { streams: ['renewals'], clientId: 1 },
      }),
      expect.objectContaining({
        dedupeKey: `concession:${result.concession.id}:people`,
        kind: 'concession',
        target: {
          people: expect.objectContaining({
            activityType: 'concessionApproval',
            audience: expect.objectContaining({ aadObjectIds: ['aad-lead', 'aad-owner'] }),
          }),
        },
      }),
    ]);
    expect(await ports.concessions.concessionCard(result.concession.id)).toBe(
      `concession:${result.concession.id}`,
    );
    expect(signal.count).toBe(1);
  });

  test('the requester is left out of the approvers who see the buttons', async () => {
    const { request } = setup();
    const result = await request.run(am, { contractId: 5, discountPct: 18, reason: 'Budget' });
    if (!result.ok) throw new Error(result.message);
    expect(result.concession.approverTier).toBe('msp_owner');
    expect(result.concession.approverAadObjectIds).toEqual(['aad-owner']);
  });

  test.each([
    ['a project manager', person('Pat Manager', ['pm']), 5, 'not-authorised'],
    ['an unknown contract', am, 99, 'not-found'],
    ['a contract with no recurring value', am, 6, 'invalid-input'],
  ] as const)('refuses %s, audited outside any transaction', async (_, who, contractId, reason) => {
    const { uow, refusals, signal, request } = setup();
    const result = await request.run(who, { contractId, discountPct: 5, reason: 'x' });
    expect(result).toMatchObject({ ok: false, reason, concession: null });
    expect(refusals.entries.map((e) => e.action)).toEqual(['concession.request.refused']);
    expect(uow.count).toBe(0);
    expect(signal.count).toBe(0);
  });

  test('refuses a second pending request on the same contract', async () => {
    const { request, ports } = setup();
    await request.run(am, { contractId: 5, discountPct: 5, reason: 'a' });
    const second = await request.run(am, { contractId: 5, discountPct: 4, reason: 'b' });
    expect(second).toMatchObject({ ok: false, reason: 'already-pending' });
    expect(ports.outbox.intents.map((i) => i.dedupeKey)).toEqual([
      'concession:1',
      'concession:1:people',
    ]);
  });
});

describe('DecideConcession', () => {
  test('approves once, updates the posted card, and refuses the second decision', async () => {
    const { ports, signal, request, decide } = setup();
    const requested = await request.run(am, { contractId: 5, discountPct: 5, reason: 'Loyalty' });
    if (!requested.ok) throw new Error(requested.message);
    const id = requested.concession.id;
    const approved = await decide.run(lead, { concessionId: id, decision: 'approve' });
    expect(approved).toMatchObject({ ok: true, concession: { status: 'approved', version: 2 } });
    expect(ports.outbox.intents[2]).toMatchObject({
      dedupeKey: `concession:${id}:decided`,
      updateOf: `concession:${id}`,
      payload: {
        notice: { tone: 'success', text: 'Approved by Casey Lead at 2026-02-01 10:00 UTC' },
      },
    });
    expect(signal.count).toBe(2);
    const again = await decide.run(owner, { concessionId: id, decision: 'reject', comment: 'no' });
    expect(again).toMatchObject({
      ok: false,
      reason: 'already-decided',
      concession: { status: 'approved' },
    });
    expect(ports.concessions.decisions).toEqual([{ id, status: 'approved' }]);
    expect(ports.events.rows.map((e) => e.kind)).toEqual([
      'concession.requested',
      'concession.decided',
      'concession.refused',
    ]);
    expect(signal.count).toBe(2);
  });

  test('the requester may not approve their own concession', async () => {
    const { request, decide, ports, refusals } = setup();
    const self = { ...am, roles: ['account_manager', 'cs_lead'] as typeof am.roles };
    const requested = await request.run(self, { contractId: 5, discountPct: 5, reason: 'x' });
    if (!requested.ok) throw new Error(requested.message);
    const result = await decide.run(self, {
      concessionId: requested.concession.id,
      decision: 'approve',
    });
    expect(result).toMatchObject({ ok: false, reason: 'own-request' });
    expect(refusals.entries.map((e) => e.action)).toEqual(['concession.refused']);
    expect(ports.audit.entries.map((e) => e.action)).not.toContain('concession.refused');
  });

  test('a refusal opens no transaction: judged on what was read, recorded outside', async () => {
    const { ports, uow, request, decide, refusals, signal } = setup();
    const requested = await request.run(am, { contractId: 5, discountPct: 5, reason: 'x' });
    if (!requested.ok) throw new Error(requested.message);
    const before = uow.count;
    const result = await decide.run(lead, {
      concessionId: requested.concession.id,
      decision: 'approve',
      expectedVersion: 0,
    });
    expect(result).toMatchObject({
      ok: false,
      reason: 'stale-version',
      concession: { id: requested.concession.id, status: 'pending', version: 1 },
    });
    expect(uow.count).toBe(before);
    expect(refusals.entries).toEqual([
      expect.objectContaining({
        action: 'concession.refused',
        detail: expect.objectContaining({ reason: 'stale-version' }),
      }),
    ]);
    expect(ports.events.rows.map((e) => e.kind)).toEqual([
      'concession.requested',
      'concession.refused',
    ]);
    expect(signal.count).toBe(1);
  });

  test('a decision lost to a concurrent one writes nothing and answers with the decided card', async () => {
    const { ports, uow, request, decide, refusals } = setup();
    const requested = await request.run(am, { contractId: 5, discountPct: 5, reason: 'x' });
    if (!requested.ok) throw new Error(requested.message);
    const id = requested.concession.id;
    // The other approver's decision commits between this one's read and its compare-and-set.
    const read = ports.concessions.concession.bind(ports.concessions);
    let raced = false;
    ports.concessions.concession = async (cid) => {
      const row = await read(cid);
      if (!raced && row) {
        raced = true;
        await ports.concessions.decideConcession(cid, row.version, {
          status: 'approved',
          decidedBy: { name: 'Morgan Owner', email: null, aadObjectId: 'aad-owner' },
          decidedAt: '2026-02-01T09:59:00.000Z',
          comment: null,
        });
      }
      return row;
    };
    const before = { transactions: uow.count, audit: ports.audit.entries.length };

    const result = await decide.run(lead, { concessionId: id, decision: 'approve' });

    expect(result).toMatchObject({
      ok: false,
      reason: 'already-decided',
      concession: { status: 'approved', decidedBy: 'Morgan Owner' },
    });
    expect(uow.count).toBe(before.transactions + 1);
    expect(ports.audit.entries).toHaveLength(before.audit);
    expect(ports.outbox.intents.map((i) => i.dedupeKey)).not.toContain(`concession:${id}:decided`);
    expect(refusals.entries.map((e) => e.detail)).toEqual([
      expect.objectContaining({ reason: 'already-decided' }),
    ]);
  });

  test('a refusal is answered before it is recorded; idle() waits for the records', async () => {
    const { ports, request, decide, refusals } = setup();
    const requested = await request.run(am, { contractId: 5, discountPct: 5, reason: 'x' });
    if (!requested.ok) throw new Error(requested.message);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const append = refusals.append.bind(refusals);
    refusals.append = async (input) => {
      await held;
      return append(input);
    };

    const result = await decide.run(lead, {
      concessionId: requested.concession.id,
      decision: 'approve',
      expectedVersion: 0,
    });

    expect(result).toMatchObject({ ok: false, reason: 'stale-version' });
    expect(refusals.entries).toEqual([]);
    let idle = false;
    const settled = decide.idle().then(() => (idle = true));
    await Promise.resolve();
    expect(idle).toBe(false);
    release();
    await settled;
    expect(refusals.entries.map((e) => e.action)).toEqual(['concession.refused']);
    expect(ports.events.rows.map((e) => e.kind)).toContain('concession.refused');
  });

  test('a refusal record that fails is reported, and the answer stands', async () => {
    const { ports, uow, clock, signal, request } = setup();
    const failures: unknown[] = [];
    const broken = new FakeAudit();
    broken.append = () => Promise.reject(new Error('audit head unavailable'));
    const decide = new DecideConcession({
      store: ports,
      audit: broken,
      uow,
      clock,
      outboxChanged: signal,
      followUpFailed: (error) => failures.push(error),
    });
    const requested = await request.run(am, { contractId: 5, discountPct: 5, reason: 'x' });
    if (!requested.ok) throw new Error(requested.message);

    const result = await decide.run(am, {
      concessionId: requested.concession.id,
      decision: 'approve',
    });
    await decide.idle();

    expect(result).toMatchObject({ ok: false, reason: 'own-request' });
    expect(failures).toEqual([new Error('audit head unavailable')]);
  });

  test('approvers at once: one transaction decides, the others wait for it and are refused without one', async () => {
    const { ports, uow, request, decide, refusals } = setup();
    const requested = await request.run(am, { contractId: 5, discountPct: 5, reason: 'x' });
    if (!requested.ok) throw new Error(requested.message);
    const id = requested.concession.id;
    const counted = holdFirstDecision({ ports, uow });
    const before = uow.count;

    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        decide.run(
          { ...person(`Lead ${i}`, ['cs_lead']), aadObjectId: `aad-lead-${i}` },
          { concessionId: id, decision: 'approve', expectedVersion: 1 },
        ),
      ),
    );
    await decide.idle();

    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const refused = results.filter((r) => !r.ok);
    expect(refused).toHaveLength(19);
    for (const r of refused) {
      expect(r).toMatchObject({
        reason: 'already-decided',
        concession: { status: 'approved', version: 2 },
      });
    }
    expect(uow.count - before).toBe(1);
    // Two shared reads: the first decider's, and the one all the others shared.
    expect(counted.reads).toBe(2);
    expect(ports.concessions.decisions).toEqual([{ id, status: 'approved' }]);
    expect(refusals.entries).toHaveLength(19);
  });

  test('a decision that fails leaves its waiters to read again: one of them decides', async () => {
    const { ports, uow, request, decide } = setup();
    const requested = await request.run(am, { contractId: 5, discountPct: 5, reason: 'x' });
    if (!requested.ok) throw new Error(requested.message);
    const id = requested.concession.id;
    holdFirstDecision({ ports, uow }, true);

    const results = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) =>
        decide.run(
          { ...person(`Lead ${i}`, ['cs_lead']), aadObjectId: `aad-lead-${i}` },
          { concessionId: id, decision: 'approve', expectedVersion: 1 },
        ),
      ),
    );

    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
    const answered = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(answered.filter((r) => r.ok)).toHaveLength(1);
    expect(answered.filter((r) => !r.ok && r.reason === 'already-decided')).toHaveLength(3);
    expect(ports.concessions.decisions).toEqual([{ id, status: 'approved' }]);
  });

  test('an unknown concession is not found', async () => {
    const { decide } = setup();
    expect(await decide.run(lead, { concessionId: 42, decision: 'approve' })).toMatchObject({
      ok: false,
      reason: 'not-found',
      concession: null,
    });
  });
});

describe('GetConcession and AnswerConcessionCard', () => {
  test('a card click decides and is logged with its outcome', async () => {
    const { ports, clock, request, decide } = setup();
    const actions = new FakeActionLog();
    const answer = new AnswerConcessionCard({ decide, actions, clock });
    const requested = await request.run(am, { contractId: 5, discountPct: 5, reason: 'x' });
    if (!requested.ok) throw new Error(requested.message);
    const id = requested.concession.id;
    const first = await answer.run(lead, 'concession.approve', {
      concessionId: id,
      expectedVersion: 1,
    });
    const second = await answer.run(owner, 'concession.reject', {
      concessionId: id,
      comment: 'no',
    });
    expect(first.ok).toBe(true);
    expect(second.ok).toBe(false);
    expect(actions.entries.map((e) => [e.action, e.targetId, e.outcome, e.reason])).toEqual([
      ['concession.approve', String(id), 'done', null],
      ['concession.reject', String(id), 'refused', 'already-decided'],
    ]);
    expect((await new GetConcession(ports).run(id))?.status).toBe('approved');
    expect(await new GetConcession(ports).run(999)).toBeNull();
  });
});

describe('AnswerConcessionCard after the answer', () => {
  test('a refused click is logged after its answer; a deciding click before', async () => {
    const { clock, request, decide } = setup();
    const actions = new FakeActionLog();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const record = actions.record.bind(actions);
    actions.record = async (entry) => {
      if (entry.outcome === 'refused') await held;
      return record(entry);
    };
    const answer = new AnswerConcessionCard({ decide, actions, clock });
    const requested = await request.run(am, { contractId: 5, discountPct: 5, reason: 'x' });
    if (!requested.ok) throw new Error(requested.message);
    const id = requested.concession.id;

    expect((await answer.run(lead, 'concession.approve', { concessionId: id })).ok).toBe(true);
    expect(actions.entries.map((e) => e.outcome)).toEqual(['done']);
    expect((await answer.run(owner, 'concession.reject', { concessionId: id })).ok).toBe(false);
    expect(actions.entries.map((e) => e.outcome)).toEqual(['done']);
    release();
    await answer.idle();
    expect(actions.entries.map((e) => e.outcome)).toEqual(['done', 'refused']);
  });
});

describe('ExpireConcessions', () => {
  test('expires a request nobody decided within the policy’s days, once: timeline, audit, card, requester', async () => {
    const { ports, uow, clock, request } = setup();
    const requested = await request.run(am, { contractId: 5, discountPct: 5, reason: 'Loyalty' });
    if (!requested.ok) throw new Error(requested.message);
    const policy = {
      ...DEFAULT_RENEWAL_POLICY,
      concession: { ...DEFAULT_RENEWAL_POLICY.concession, expiryDays: 3 },
    };
    const expire = new ExpireConcessions({ store: ports, uow, clock, policy });
    const id = requested.concession.id;

    clock.advance(3 * 86_400_000 - 1000); // a second short of three days
    expect(await expire.run()).toEqual([]);
    clock.advance(1000);
    expect(await expire.run()).toEqual([id]);
    expect(await expire.run()).toEqual([]);

    expect((await ports.concessions.concession(id))?.status).toBe('expired');
    // The Approvals view's "expired" filter lists it; "pending" no longer does.
    const listed = (status: 'pending' | 'expired') =>
      new ListConcessions(ports)
        .run(am, { status, mine: false, visibleClients: 'all' })
        .then((views) => views.map((v) => v.id));
    expect(await listed('expired')).toEqual([id]);
    expect(await listed('pending')).toEqual([]);
    expect(ports.events.rows.map((e) => e.kind)).toEqual([
      'concession.requested',
      'concession.expired',
    ]);
    expect(ports.audit.entries.map((e) => e.action)).toEqual([
      'concession.requested',
      'concession.expired',
    ]);
    expect(ports.outbox.intents.slice(2)).toEqual([
      expect.objectContaining({
        dedupeKey: `concession:${id}:expired`,
        updateOf: `concession:${id}`,
      }),
      expect.objectContaining({
        dedupeKey: `concession:${id}:expired:people`,
        target: {
          people: expect.objectContaining({
            activityType: 'concessionExpired',
            audience: expect.objectContaining({ aadObjectIds: ['aad-am'] }),
          }),
        },
      }),
    ]);
  });

  test('a request decided before the tick is left alone', async () => {
    const { ports, uow, clock, request, decide } = setup();
    const requested = await request.run(am, { contractId: 5, discountPct: 5, reason: 'Loyalty' });
    if (!requested.ok) throw new Error(requested.message);
    const decided = await decide.run(lead, {
      concessionId: requested.concession.id,
      decision: 'approve',
    });
    expect(decided.ok).toBe(true);
    clock.advance(28 * 86_400_000);

    const expired = await new ExpireConcessions({
      store: ports,
      uow,
      clock,
      policy: DEFAULT_RENEWAL_POLICY,
    }).run();

    expect(expired).toEqual([]);
    expect((await ports.concessions.concession(requested.concession.id))?.status).toBe('approved');
  });
});
