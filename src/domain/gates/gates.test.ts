import { createHash } from 'node:crypto';
import {
  freezePack,
  missingEvidence,
  withCompletedTasks,
  type EvidencePack,
  type EvidenceItem,
} from './evidence-pack';
import {
  decideGate,
  type GateDecider,
  type GateDecisionInput,
  type GateDecisionState,
} from './gate-decision';
import { DEFAULT_GATE_POLICY, requiredApprovals } from './gate-policy';
import { gateSlaState, slaNoticesDue } from './gate-sla';

const ALL: EvidenceItem[] = ['deliverables', 'qa-outcomes', 'customer-acceptance', 'open-risks'];

function pack(overrides: Partial<EvidencePack> = {}): EvidencePack {
  return {
    deliverables: [{ kind: 'link', title: 'Design', url: 'https://sp.example/design.docx' }],
    qaOutcomes: [{ name: 'UAT', outcome: 'pass', notes: 'all scripts', source: 'manual' }],
    customerAcceptanceNotes: 'Accepted by J. Doe on 2025-03-10',
    openRisks: [{ description: 'Licences late', owner: 'Pat', mitigation: 'Order now' }],
    noOpenRisks: false,
    ...overrides,
  };
}

describe('evidence pack validation', () => {
  test.each<[string, Partial<EvidencePack>, EvidenceItem[], string[]]>([
    ['a complete pack', {}, ALL, []],
    ['no deliverables', { deliverables: [] }, ALL, ['deliverables']],
    ['no QA outcomes', { qaOutcomes: [] }, ALL, ['qa-outcomes']],
    [
      'a failed QA without notes',
      { qaOutcomes: [{ name: 'Pen test', outcome: 'fail', notes: ' ', source: 'manual' }] },
      ALL,
      ['qa-outcomes'],
    ],
    ['no acceptance notes', { customerAcceptanceNotes: '  ' }, ALL, ['customer-acceptance']],
    ['risks neither listed nor declared none', { openRisks: [] }, ALL, ['open-risks']],
    ['no risks, declared', { openRisks: [], noOpenRisks: true }, ALL, []],
    [
      'a risk without owner and mitigation',
      { openRisks: [{ description: 'X', owner: '', mitigation: '' }] },
      ALL,
      ['open-risks', 'open-risks'],
    ],
    [
      'everything missing',
      {
        deliverables: [],
        qaOutcomes: [],
        customerAcceptanceNotes: '',
        openRisks: [],
      },
      ALL,
      ['deliverables', 'qa-outcomes', 'customer-acceptance', 'open-risks'],
    ],
    [
      'only deliverables mandatory',
      { qaOutcomes: [], customerAcceptanceNotes: '', openRisks: [] },
      ['deliverables'],
      [],
    ],
  ])('%s', (_name, overrides, required, expected) => {
    expect(missingEvidence(pack(overrides), required).map((m) => m.item)).toEqual(expected);
  });

  test('completed HaloPSA tasks of the milestone count as passed QA, once each', () => {
    const outcomes = withCompletedTasks(
      [{ name: 'Task 7', outcome: 'pass', notes: '', source: 'halo-task', taskId: 7 }],
      [
        { id: 7, summary: 'Task 7' },
        { id: 8, summary: 'Configure backups' },
      ],
    );
    expect(outcomes.map((o) => o.taskId)).toEqual([7, 8]);
    expect(
      missingEvidence(pack({ qaOutcomes: withCompletedTasks([], [{ id: 8, summary: 'B' }]) }), ALL),
    ).toEqual([]);
  });
});

describe('freezing a pack', () => {
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
  const binding = { gateId: 'g-1-2', version: 1, projectId: 1, milestoneId: 2 };

  test('equal packs hash equally regardless of key order and surrounding whitespace', () => {
    const a = freezePack(pack(), binding, sha256);
    const b = freezePack(
      { ...pack(), customerAcceptanceNotes: '  Accepted by J. Doe on 2025-03-10 ' },
      binding,
      sha256,
    );
    expect(a.hash).toBe(b.hash);
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.shortHash).toBe(a.hash.slice(0, 12));
  });

  test('the hash is the SHA-256 of the canonical text, as before the hash was injected', () => {
    const frozen = freezePack(pack(), binding, sha256);
    expect(frozen.hash).toBe('789e55a471e7cc5ea76aa60672129c95ce7ccb0b665112e7bded349b8521115c');
    expect(frozen.hash).toBe(sha256(frozen.canonical));
  });

  test.each<[string, EvidencePack, typeof binding]>([
    ['a changed note', pack({ customerAcceptanceNotes: 'Accepted by someone else' }), binding],
    [
      'a file with other bytes',
      pack({
        deliverables: [
          { kind: 'file', fileId: 'f', name: 'a.pdf', sha256: 'ab'.repeat(32), size: 1 },
        ],
      }),
      binding,
    ],
    ['another version', pack(), { ...binding, version: 2 }],
    ['another gate', pack(), { ...binding, gateId: 'g-1-3', milestoneId: 3 }],
  ])('%s gives another hash', (_name, other, otherBinding) => {
    expect(freezePack(other, otherBinding, sha256).hash).not.toBe(
      freezePack(pack(), binding, sha256).hash,
    );
  });
});

describe('gate decisions', () => {
  const approver: GateDecider = {
    aadObjectId: 'aad-adele',
    email: 'adele@msp.example',
    haloAgentId: null,
    roles: ['pmo_lead'],
  };
  const state = (overrides: Partial<GateDecisionState> = {}): GateDecisionState => ({
    status: 'pending',
    packVersion: 2,
    requiredApprovals: 1,
    approvals: [],
    projectManager: { agentId: 5, email: 'megan@msp.example' },
    requestedBy: { aadObjectId: 'aad-megan' },
    ...overrides,
  });
  const input = (overrides: Partial<GateDecisionInput> = {}): GateDecisionInput => ({
    outcome: 'approve',
    packVersion: 2,
    comment: '',
    ...overrides,
  });

  test.each<
    [string, Partial<GateDecisionState>, Partial<GateDecider>, Partial<GateDecisionInput>, string]
  >([
    ['a PMO lead approves', {}, {}, {}, 'approved'],
    ['a PM cannot decide', {}, { roles: ['pm'] }, {}, 'not-authorised'],
    [
      'a delivery director is not an approver',
      {},
      { roles: ['delivery_director', 'admin'] },
      {},
      'not-authorised',
    ],
    ['the project PM by agent id', {}, { haloAgentId: 5 }, {}, 'own-project'],
    ['the project PM by e-mail', {}, { email: 'MEGAN@msp.example ' }, {}, 'own-project'],
    ['the requester', {}, { aadObjectId: 'aad-megan' }, {}, 'own-project'],
    ['an older pack version', {}, {}, { packVersion: 1 }, 'stale-pack'],
    ['a decided gate', { status: 'approved' }, {}, {}, 'already-decided'],
    ['a gate sent back', { status: 'changes-requested' }, {}, {}, 'already-decided'],
    ['reject without comment', {}, {}, { outcome: 'reject' }, 'comment-required'],
    [
      'request changes without comment',
      {},
      {},
      { outcome: 'request-changes', comment: ' ' },
      'comment-required',
    ],
    ['reject with comment', {}, {}, { outcome: 'reject', comment: 'No UAT' }, 'rejected'],
    [
      'request changes with comment',
      {},
      {},
      { outcome: 'request-changes', comment: 'Add risks' },
      'changes-requested',
    ],
    ['first of two approvals', { requiredApprovals: 2 }, {}, {}, 'pending'],
    [
      'second distinct approval',
      { requiredApprovals: 2, approvals: [{ aadObjectId: 'aad-other' }] },
      {},
      {},
      'approved',
    ],
    [
      'the same approver twice',
      { requiredApprovals: 2, approvals: [{ aadObjectId: 'aad-adele' }] },
      {},
      {},
      'already-approved',
    ],
    [
      'reject after one approval ends the round',
      { requiredApprovals: 2, approvals: [{ aadObjectId: 'aad-other' }] },
      {},
      { outcome: 'reject', comment: 'no' },
      'rejected',
    ],
  ])('%s', (_name, s, d, i, expected) => {
    const result = decideGate(state(s), { ...approver, ...d }, input(i));
    expect(result.ok ? result.status : result.reason).toBe(expected);
  });

  test('the refusal says why', () => {
    const result = decideGate(state(), { ...approver, haloAgentId: 5 }, input());
    expect(result).toMatchObject({
      ok: false,
      message: expect.stringContaining('segregation of duties'),
    });
  });

  test.each([
    [null, 1],
    [10_000, 1],
    [99_999.99, 1],
    [100_000, 2],
    [250_000, 2],
  ])('a project with budget %s needs %s approver(s)', (budget, count) => {
    expect(requiredApprovals(DEFAULT_GATE_POLICY, budget)).toBe(count);
  });
});

describe('gate SLA', () => {
  const requestedAt = '2025-03-10T09:00:00.000Z';
  test.each([
    ['2025-03-10T10:00:00Z', 'within-sla', []],
    ['2025-03-11T09:00:00Z', 'reminder-due', ['reminder']],
    ['2025-03-12T08:59:59Z', 'reminder-due', ['reminder']],
    ['2025-03-12T09:00:00Z', 'escalation-due', ['reminder', 'escalation']],
  ])('at %s the gate is %s', (now, expected, notices) => {
    const state = gateSlaState(requestedAt, new Date(now), DEFAULT_GATE_POLICY);
    expect(state).toBe(expected);
    expect(slaNoticesDue(state, new Set())).toEqual(notices);
  });

  test('each notice is sent once', () => {
    expect(slaNoticesDue('escalation-due', new Set(['reminder']))).toEqual(['escalation']);
    expect(slaNoticesDue('escalation-due', new Set(['reminder', 'escalation']))).toEqual([]);
  });
});
