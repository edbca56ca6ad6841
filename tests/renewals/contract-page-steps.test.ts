/** The contract page's use cases against in-memory fakes of their ports. */
import { CompleteRenewalTask } from '../../src/app/renewals/complete-renewal-task';
import { EditStakeholderMap } from '../../src/app/renewals/edit-stakeholder-map';
import { ListConcessions } from '../../src/app/renewals/list-concessions';
import { PreviewConcession } from '../../src/app/renewals/preview-concession';
import { ReassignRenewalOwner } from '../../src/app/renewals/reassign-renewal-owner';
import type { ClientContacts } from '../../src/app/renewals/client-contacts.port';
import type { RenewalAgents } from '../../src/app/renewals/renewal-agents.port';
import { DEFAULT_RENEWAL_POLICY, stageTasks } from '../../src/domain/renewals';
import { FakeClock } from '../bot/fakes';
import { person } from './renewal-fixtures';
import { fakeRenewalPorts } from './renewal-fakes';

const am = person('Alex Account', ['account_manager']);
const lead = person('Casey Lead', ['cs_lead']);
const owner = person('Morgan Owner', ['msp_owner']);
const pm = person('Pat Manager', ['pm']);
const clock = new FakeClock('2026-01-05T09:00:00Z');
/** Ends 2026-03-20: on 2026-01-05 it is 74 days out, in its 90-day stage. */
const END = '2026-03-20';

function withNinetyDayStage() {
  const { ports, uow } = fakeRenewalPorts();
  ports.stages.rows.push({
    contractId: 1,
    stage: '90',
    clientId: 3,
    ownerAgentId: 7,
    endDate: END,
    openedOn: '2025-12-20',
    checkpointDueOn: '2026-02-05',
    tasks: stageTasks(
      '90',
      { contractId: '1', endDate: END, accountManagerAgentId: '7' },
      DEFAULT_RENEWAL_POLICY,
    ),
    stakeholders: {},
    status: 'open',
    version: 1,
  });
  return { ports, uow };
}

describe('CompleteRenewalTask', () => {
  test('completes an open task once, on the timeline and the audit trail', async () => {
    const { ports, uow } = withNinetyDayStage();
    const complete = new CompleteRenewalTask({ store: ports, uow, clock });
    const done = await complete.run(am, { contractId: 1, taskId: '1:90:owner-assignment' });
    expect(done).toMatchObject({ ok: true, value: { completedOn: '2026-01-05' } });
    expect(ports.stages.rows[0]!.version).toBe(2);
    expect(ports.events.rows.map((e) => e.kind)).toEqual(['task.completed']);
    expect(ports.audit.entries.map((e) => e.action)).toEqual(['renewal.task.completed']);
    const again = await complete.run(am, { contractId: 1, taskId: '1:90:owner-assignment' });
    expect(again).toMatchObject({ ok: false, reason: 'invalid-state' });
  });

  test.each([
    ['a PM', pm, '1:90:owner-assignment', 'not-authorised'],
    ['the checkpoint', am, '1:90:customer-checkpoint', 'invalid-input'],
    ['the stakeholder map', am, '1:90:stakeholder-map', 'invalid-input'],
    ['an unknown task', am, '1:90:renewal-close', 'not-found'],
  ])('refuses %s', async (_what, actor, taskId, reason) => {
    const { ports, uow } = withNinetyDayStage();
    const result = await new CompleteRenewalTask({ store: ports, uow, clock }).run(actor, {
      contractId: 1,
      taskId,
    });
    expect(result).toMatchObject({ ok: false, reason });
    expect(ports.events.rows).toEqual([]);
  });
});

/** Client 3's people in HaloPSA, and client 4's. */
const contacts: ClientContacts = {
  activeContacts: async (clientId) =>
    [
      { contactId: 31, clientId: 3, name: 'Grace Hale', email: 'grace@c3.example', jobTitle: null },
      { contactId: 32, clientId: 3, name: 'Hugo Lowe', email: null, jobTitle: 'IT Manager' },
      { contactId: 41, clientId: 4, name: 'Isla Price', email: null, jobTitle: null },
    ].filter((c) => c.clientId === clientId),
};

describe('EditStakeholderMap', () => {
  test('keeps earlier names and completes the map task once all three roles are named', async () => {
    const { ports, uow } = withNinetyDayStage();
    const edit = new EditStakeholderMap({ store: ports, contacts, uow, clock });
    const first = await edit.run(am, {
      contractId: 1,
      stakeholders: { champion: ' Dana ' },
    });
    expect(first).toMatchObject({
      ok: true,
      value: { stakeholders: { champion: 'Dana' }, missing: ['decision-maker', 'billing-contact'] },
    });
    const mapTask = () => ports.stages.rows[0]!.tasks.find((t) => t.kind === 'stakeholder-map')!;
    expect(mapTask().completedOn).toBeNull();
    const full = await edit.run(am, {
      contractId: 1,
      stakeholders: { 'decision-maker': 'Fox', 'billing-contact': 'Walter' },
    });
    expect(full).toMatchObject({ ok: true, value: { missing: [] } });
    expect(ports.stages.rows[0]!.stakeholders).toEqual({
      'decision-maker': 'Fox',
      champion: 'Dana',
      'billing-contact': 'Walter',
    });
    expect(mapTask().completedOn).toBe('2026-01-05');
    expect(ports.events.rows.map((e) => e.kind)).toEqual([
      'stakeholders.updated',
      'stakeholders.updated',
    ]);
    expect(ports.audit.entries.at(-1)).toMatchObject({
      action: 'renewal.stakeholders.updated',
      detail: { before: { champion: 'Dana' } },
    });
  });

  test("names the client's HaloPSA contacts by id beside a typed-in name, and records which contacts", async () => {
    const { ports, uow } = withNinetyDayStage();
    ports.contracts.add(1, 1000, null, 3);
    const edit = new EditStakeholderMap({ store: ports, contacts, uow, clock });
    const result = await edit.run(am, {
      contractId: 1,
      stakeholders: {
        'decision-maker': { contactId: 31 },
        champion: { contactId: 32 },
        'billing-contact': 'Walter (external accountant)',
      },
    });
    expect(result).toMatchObject({
      ok: true,
      value: {
        stakeholders: {
          'decision-maker': 'Grace Hale',
          champion: 'Hugo Lowe',
          'billing-contact': 'Walter (external accountant)',
        },
        missing: [],
        contacts: { 'decision-maker': { contactId: 31 }, champion: { contactId: 32 } },
      },
    });
    expect(ports.events.rows[0]!.detail).toMatchObject({
      contactIds: { 'decision-maker': 31, champion: 32 },
    });
    expect(ports.audit.entries[0]!.detail).toMatchObject({
      contactIds: { 'decision-maker': 31, champion: 32 },
    });
  });

  test.each([
    ["another client's contact", 41],
    ['an unknown contact', 999],
  ])('refuses %s as bad input and changes nothing', async (_what, contactId) => {
    const { ports, uow } = withNinetyDayStage();
    ports.contracts.add(1, 1000, null, 3);
    const edit = new EditStakeholderMap({ store: ports, contacts, uow, clock });
    const result = await edit.run(am, {
      contractId: 1,
      stakeholders: { champion: 'Dana', 'decision-maker': { contactId } },
    });
    expect(result).toMatchObject({ ok: false, reason: 'invalid-input' });
    expect(ports.stages.rows[0]!.stakeholders).toEqual({});
    expect(ports.stages.rows[0]!.version).toBe(1);
    expect(ports.events.rows).toEqual([]);
    expect(ports.audit.entries).toEqual([]);
  });

  test('refuses a PM and a contract without an open stage', async () => {
    const { ports, uow } = withNinetyDayStage();
    const edit = new EditStakeholderMap({ store: ports, contacts, uow, clock });
    expect(await edit.run(pm, { contractId: 1, stakeholders: { champion: 'x' } })).toMatchObject({
      ok: false,
      reason: 'not-authorised',
    });
    expect(await edit.run(am, { contractId: 2, stakeholders: { champion: 'x' } })).toMatchObject({
      ok: false,
      reason: 'invalid-state',
    });
  });
});

describe('ReassignRenewalOwner', () => {
  const agents: RenewalAgents = {
    activeAgents: async () => [
      { agentId: 7, name: 'Alex Account', email: null },
      { agentId: 9, name: 'Jo Other', email: null },
    ],
  };

  test('the cs lead hands every open stage and its tasks to another agent', async () => {
    const { ports, uow } = withNinetyDayStage();
    const reassign = new ReassignRenewalOwner({ store: ports, agents, uow, clock });
    const moved = await reassign.run(lead, { contractId: 1, agentId: 9 });
    expect(moved).toMatchObject({ ok: true, value: { name: 'Jo Other' } });
    const stage = ports.stages.rows[0]!;
    expect(stage.ownerAgentId).toBe(9);
    expect(stage.tasks.every((t) => t.ownerAgentId === '9')).toBe(true);
    expect(stage.tasks.find((t) => t.kind === 'owner-assignment')!.completedOn).toBe('2026-01-05');
    expect(ports.events.rows.map((e) => e.kind)).toEqual(['owner.reassigned']);
    expect(ports.audit.entries[0]).toMatchObject({
      action: 'renewal.owner.reassigned',
      detail: { fromAgentId: 7, toAgentId: 9 },
    });
  });

  test.each([
    ['an account manager', am, 9, 'not-authorised'],
    ['an unknown agent', lead, 99, 'invalid-input'],
    ['the same owner again', lead, 7, 'invalid-state'],
  ])('refuses %s', async (_what, actor, agentId, reason) => {
    const { ports, uow } = withNinetyDayStage();
    const result = await new ReassignRenewalOwner({ store: ports, agents, uow, clock }).run(actor, {
      contractId: 1,
      agentId,
    });
    expect(result).toMatchObject({ ok: false, reason });
    expect(ports.stages.rows[0]!.version).toBe(1);
  });
});

describe('ListConcessions and PreviewConcession', () => {
  test('"mine" lists only pending requests in my tier that I did not request', async () => {
    const { ports } = fakeRenewalPorts();
    ports.contracts.add(1, 1000).add(2, 1000, null, 2).add(3, 1000);
    const base = {
      clientId: 1,
      reason: 'r',
      assessment: { tierReasons: [], expectedRetentionEffect: {} },
      requestedAt: '2026-01-01T00:00:00Z',
    };
    const by = (a: typeof am) => ({
      requestedBy: { name: a.name, email: a.email, aadObjectId: a.aadObjectId },
      requestedByKey: a.aadObjectId!,
    });
    await ports.concessions.insertConcession({
      ...base,
      ...by(am),
      contractId: 1,
      discountPct: 8,
      approverTier: 'cs_lead',
    });
    await ports.concessions.insertConcession({
      ...base,
      ...by(am),
      contractId: 2,
      clientId: 2,
      discountPct: 15,
      approverTier: 'msp_owner',
    });
    await ports.concessions.insertConcession({
      ...base,
      ...by(lead),
      contractId: 3,
      discountPct: 5,
      approverTier: 'cs_lead',
    });
    const list = new ListConcessions(ports);
    const ids = async (actor: typeof am, visibleClients: 'all' | Set<number> = 'all') =>
      (await list.run(actor, { status: 'pending', mine: true, visibleClients })).map((c) => c.id);
    expect(await ids(lead)).toEqual([1]);
    expect(await ids(owner)).toEqual([1, 2, 3]);
    expect(await ids(owner, new Set([2]))).toEqual([2]);
    expect(await ids(am)).toEqual([]);
  });

  test('a preview shows the tier and consequences and stores nothing', async () => {
    const { ports } = fakeRenewalPorts();
    ports.contracts.add(1, 1000, 600);
    const preview = new PreviewConcession({ store: ports, clock, policy: DEFAULT_RENEWAL_POLICY });
    const shown = await preview.run(am, { contractId: 1, discountPct: 8, reason: 'multi-year' });
    expect(shown).toMatchObject({
      ok: true,
      value: { monthlyRevenueBefore: 1000, monthlyRevenueAfter: 920, approverTier: 'cs_lead' },
    });
    if (shown.ok) expect(shown.value.marginAfterPct).toBeCloseTo((100 * (920 - 600)) / 920, 1);
    expect(ports.concessions.rows).toEqual([]);
    expect(await preview.run(pm, { contractId: 1, discountPct: 8, reason: '' })).toMatchObject({
      ok: false,
      reason: 'not-authorised',
    });
  });
});
