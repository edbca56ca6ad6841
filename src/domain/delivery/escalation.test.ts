import {
  evaluateEscalations,
  isActive,
  reescalateIfOverdue,
  reescalationDueAt,
  type Escalation,
  type EscalationDecision,
} from './escalation';
import {
  acknowledge,
  assignMitigationOwner,
  markFalsePositive,
  snooze,
} from './escalation-human-actions';
import type { CauseSignal, EscalationCause, ProjectAssessment } from './health-score';
import { DEFAULT_DELIVERY_POLICY, type DeliveryPolicy, type Level, type Severity } from './policy';

const policy = DEFAULT_DELIVERY_POLICY;
const owners = { deliveryDirectorAgentId: 'dd1', incidentCommanderAgentId: 'ic1' };

function signal(cause: EscalationCause, values: (number | null)[], t = policy[cause]): CauseSignal {
  const level = (v: number | null): Level | null =>
    v === null ? null : v >= t.red ? 'red' : v >= t.amber ? 'amber' : 'green';
  const levels = values.map(level);
  const rank = { green: 0, amber: 1, red: 2 } as const;
  const persistent = levels.includes(null)
    ? null
    : levels.reduce<Level>((a, l) => (rank[l as Level] < rank[a] ? (l as Level) : a), 'red');
  const peak = levels.reduce<Level | null>(
    (a, l) => (l === null ? a : a === null || rank[l] > rank[a] ? l : a),
    null,
  );
  return {
    cause,
    driver: cause,
    evidenceDays: persistent === 'amber' || persistent === 'red' ? values.length : 0,
    confirmedBy: null,
    value: values[0] ?? null,
    level: levels[0] ?? null,
    persistentLevel: persistent,
    peakLevel: peak,
    recovered: values.every((v) => v !== null && v <= t.backToGreen),
    history: values.map((v, i) => ({
      date: `2025-02-0${5 - i}`,
      value: v,
      level: level(v),
      evidence: true,
    })),
    ownerHintAgentId: cause === 'schedule' ? 'owner2' : null,
    recoverBy: null,
  };
}

/** An assessment whose burn signal has the given values over the persistence window (latest first). */
function assessment(
  burn: (number | null)[],
  patch: Partial<ProjectAssessment> = {},
  schedule: (number | null)[] = [0, 0, 0],
): ProjectAssessment {
  return {
    projectId: 'p1',
    name: 'Firewall refresh',
    clientId: 'c1',
    pmAgentId: 'pm1',
    status: 'active',
    asOf: '2025-02-05',
    policyVersion: 1,
    modelVersion: 'r2.p1',
    baselineVersion: 1,
    score: 60,
    rag: 'amber',
    confidence: 0.9,
    confidenceFactors: [],
    drivers: [],
    riskTags: [],
    evm: {
      asOf: '2025-02-05',
      percentComplete: 0.5,
      plannedPercent: 0.5,
      scheduleSlipDays: 0,
      hoursBurnRatio: 0.5,
      hours: null,
      money: null,
    },
    signals: {
      burn: signal('burn', burn),
      schedule: signal('schedule', schedule),
      dependency: signal('dependency', [0]),
    },
    reading: { date: '2025-02-05', burn: burn[0] ?? null, schedule: 0, dependency: 0 },
    dataQualityIssues: [],
    ...patch,
  };
}

/** Run the engine and apply its decisions to a store. */
function step(
  store: Escalation[],
  now: string,
  a: ProjectAssessment,
  p: DeliveryPolicy = policy,
): { store: Escalation[]; decisions: EscalationDecision[] } {
  const decisions = evaluateEscalations({
    now,
    assessment: a,
    openEscalations: store,
    policy: p,
    owners,
  });
  let next = store;
  for (const d of decisions) next = [...next.filter((e) => e.id !== d.escalation.id), d.escalation];
  return { store: next.filter((e) => isActive(e) || e.status === 'false-positive'), decisions };
}

const T0 = '2025-02-05T08:00:00.000Z';

describe('opening', () => {
  test.each([
    ['just below amber on every day', [0.0499, 0.0499, 0.0499], null],
    ['at amber on every day', [0.05, 0.05, 0.05], 'medium'],
    ['above amber but one day short', [0.12, 0.12, 0.01], null],
    ['amber then red', [0.2, 0.2, 0.06], 'medium'],
    ['red on every day', [0.15, 0.2, 0.3], 'high'],
    ['no value one day', [0.2, null, 0.2], null],
  ])('%s → %p', (_n, values, severity) => {
    const { decisions } = step([], T0, assessment(values));
    expect(decisions.find((d) => d.kind === 'open')?.escalation.severity ?? null).toBe(severity);
  });

  test('opens once with owner, SLA, notification and incident commander for high severity', () => {
    const { decisions } = step([], T0, assessment([0.3, 0.3, 0.3]));
    expect(decisions).toHaveLength(1);
    const d = decisions[0]!;
    expect(d.kind).toBe('open');
    expect(d.escalation).toMatchObject({
      projectId: 'p1',
      cause: 'burn',
      severity: 'high',
      ownerAgentId: 'pm1',
      acknowledgeBy: '2025-02-05T12:00:00.000Z',
      incidentCommander: true,
      shadow: false,
    });
    expect(d.notification).toMatchObject({
      kind: 'escalation.opened',
      projectId: 'p1',
      cause: 'burn',
      severity: 'high',
      score: 60,
      ownerAgentId: 'pm1',
      recipientAgentId: 'ic1',
      actions: ['acknowledge', 'assign', 'snooze', 'false-positive'],
    });
  });

  test('schedule escalations go to the workstream owner', () => {
    const { decisions } = step([], T0, assessment([0, 0, 0], {}, [3, 3, 3]));
    expect(decisions[0]?.escalation).toMatchObject({
      cause: 'schedule',
      ownerAgentId: 'owner2',
      severity: 'medium',
    });
    expect(decisions[0]?.notification.recipientAgentId).toBe('owner2');
  });

  test('never opens on unknown data or a closed project', () => {
    expect(step([], T0, assessment([0.3, 0.3, 0.3], { rag: 'unknown' })).decisions).toEqual([]);
    expect(step([], T0, assessment([0.3, 0.3, 0.3], { status: 'closed' })).decisions).toEqual([]);
  });

  test('pilot scope: out-of-scope projects are not escalated', () => {
    const scoped = { ...policy, pilot: { clientIds: ['c2'], projectIds: [] } };
    expect(step([], T0, assessment([0.3, 0.3, 0.3]), scoped).decisions).toEqual([]);
    const inScope = { ...policy, pilot: { clientIds: [], projectIds: ['p1'] } };
    expect(step([], T0, assessment([0.3, 0.3, 0.3]), inScope).decisions).toHaveLength(1);
  });

  test('shadow mode: decisions are computed and flagged, not hidden', () => {
    const { decisions } = step([], T0, assessment([0.3, 0.3, 0.3]), {
      ...policy,
      shadowMode: true,
    });
    expect(decisions).toHaveLength(1);
    expect(decisions[0]?.shadow).toBe(true);
    expect(decisions[0]?.notification.shadow).toBe(true);
  });
});

describe('lifecycle', () => {
  const opened = (): Escalation[] => step([], T0, assessment([0.06, 0.06, 0.06])).store;

  test('no re-post on unchanged data', () => {
    let store = opened();
    for (const hour of ['09', '10', '11']) {
      const r = step(store, `2025-02-05T${hour}:00:00.000Z`, assessment([0.07, 0.06, 0.08]));
      expect(r.decisions).toEqual([]);
      store = r.store;
    }
  });

  test('update on severity change, both ways with hysteresis', () => {
    let r = step(opened(), '2025-02-05T09:00:00.000Z', assessment([0.2, 0.2, 0.2]));
    expect(r.decisions.map((d) => [d.kind, d.escalation.severity, d.notification.kind])).toEqual([
      ['update', 'high', 'escalation.updated'],
    ]);
    // Dropping below red for one day is not enough to lower it.
    r = step(r.store, '2025-02-05T10:00:00.000Z', assessment([0.1, 0.2, 0.2]));
    expect(r.decisions).toEqual([]);
    r = step(r.store, '2025-02-05T11:00:00.000Z', assessment([0.1, 0.1, 0.1]));
    expect(r.decisions.map((d) => [d.kind, d.escalation.severity])).toEqual([['update', 'medium']]);
  });

  test.each([
    ['still amber', [0.06, 0.06, 0.06], false],
    ['below amber but above back-to-green', [0.01, 0.01, 0.01], false],
    ['at back-to-green today only', [0, 0.01, 0.01], false],
    ['at back-to-green every day', [0, 0, 0], true],
    ['below back-to-green every day', [-0.1, -0.05, -0.01], true],
  ])('resolve only when back to green: %s → %p', (_n, values, resolves) => {
    const r = step(opened(), '2025-02-06T09:00:00.000Z', assessment(values));
    expect(r.decisions.some((d) => d.kind === 'resolve')).toBe(resolves);
    if (resolves) expect(r.decisions[0]?.notification.kind).toBe('escalation.resolved');
  });

  test('re-escalates to the delivery director once, after acknowledge-by + delay', () => {
    const store = opened(); // medium: acknowledge within 24 h, re-escalate 4 h later
    const a = assessment([0.06, 0.06, 0.06]);
    expect(step(store, '2025-02-06T11:59:00.000Z', a).decisions).toEqual([]);
    const r = step(store, '2025-02-06T12:00:00.000Z', a);
    expect(
      r.decisions.map((d) => [d.kind, d.notification.kind, d.notification.recipientAgentId]),
    ).toEqual([['re-escalate', 'escalation.reescalated', 'dd1']]);
    expect(step(r.store, '2025-02-07T12:00:00.000Z', a).decisions).toEqual([]);
  });

  test.each([
    ['one minute before acknowledge-by + delay', '2025-02-09T07:59:00.000Z', false],
    ['exactly at acknowledge-by + delay', '2025-02-09T08:00:00.000Z', true],
    ['a day later', '2025-02-10T08:00:00.000Z', true],
  ])('the SLA timer step on a high escalation (4 h + 4 h): %s → %p', (_n, now, fires) => {
    const high = step([], T0, assessment([0.3, 0.3, 0.3])).store[0]!;
    // A high escalation acknowledged by T0 + 4 h, with the due time moved to test a later clock.
    const e = { ...high, acknowledgeBy: '2025-02-09T04:00:00.000Z' };
    expect(reescalationDueAt(high, policy)).toBe('2025-02-05T16:00:00.000Z');
    const d = reescalateIfOverdue(now, e, assessment([0.3, 0.3, 0.3]), policy, owners);
    expect(
      d === null ? null : [d.kind, d.notification.recipientAgentId, d.escalation.reescalatedAt],
    ).toEqual(fires ? ['re-escalate', 'dd1', now] : null);
    if (d)
      expect(reescalateIfOverdue(now, d.escalation, assessment([0.3]), policy, owners)).toBeNull();
  });

  test.each<[Severity, number, string]>([
    ['high', 4, '2025-02-05T16:00:00.000Z'],
    ['high', 1, '2025-02-05T13:00:00.000Z'],
    ['medium', 8, '2025-02-06T16:00:00.000Z'],
  ])(
    'a %s escalation re-escalates its own severity’s %i h after acknowledge-by',
    (sev, hours, due) => {
      const high = step([], T0, assessment([0.3, 0.3, 0.3])).store[0]!;
      const e = {
        ...high,
        severity: sev,
        acknowledgeBy: sev === 'high' ? '2025-02-05T12:00:00.000Z' : '2025-02-06T08:00:00.000Z',
      };
      const perSeverity = {
        ...policy,
        reescalateAfterHours: {
          low: 48,
          medium: sev === 'medium' ? hours : 2,
          high: sev === 'high' ? hours : 2,
        },
      };
      expect(reescalationDueAt(e, perSeverity)).toBe(due);
    },
  );

  test('acknowledged escalations do not re-escalate', () => {
    const ack = acknowledge(opened()[0]!, 'pm1', '2025-02-05T10:00:00.000Z');
    expect(ack.ok).toBe(true);
    if (!ack.ok) return;
    expect(ack.escalation.events.at(-1)).toMatchObject({ action: 'acknowledged', by: 'pm1' });
    const r = step([ack.escalation], '2025-02-08T12:00:00.000Z', assessment([0.06, 0.06, 0.06]));
    expect(r.decisions).toEqual([]);
  });

  test('assigning a mitigation owner records it and counts as acknowledgement', () => {
    const r = assignMitigationOwner(opened()[0]!, 'eng7', 'pm1', '2025-02-05T10:00:00.000Z');
    expect(r.ok && r.escalation).toMatchObject({
      mitigationOwnerAgentId: 'eng7',
      status: 'acknowledged',
      acknowledgedBy: 'pm1',
    });
  });

  test('snooze: needs a reason; no re-escalation until it ends; then back to open', () => {
    const e = opened()[0]!;
    expect(snooze(e, ' ', '2025-02-10T00:00:00.000Z', 'pm1', T0)).toEqual({
      ok: false,
      problem: 'a snooze needs a reason',
    });
    const s = snooze(e, 'customer change freeze', '2025-02-10T00:00:00.000Z', 'pm1', T0);
    expect(s.ok).toBe(true);
    if (!s.ok) return;
    const a = assessment([0.2, 0.2, 0.2]);
    expect(step([s.escalation], '2025-02-08T12:00:00.000Z', a).decisions).toEqual([]);
    const after = step([s.escalation], '2025-02-10T09:00:00.000Z', a);
    expect(
      after.decisions.map((d) => [d.kind, d.escalation.status, d.escalation.severity]),
    ).toEqual([['update', 'open', 'high']]);
  });

  test('false positive: needs a reason, closes, is recorded, suppresses re-opening at that severity', () => {
    const e = opened()[0]!;
    expect(markFalsePositive(e, '', 'pm1', T0).ok).toBe(false);
    const fp = markFalsePositive(e, 'budget top-up agreed', 'pm1', '2025-02-05T10:00:00.000Z');
    expect(fp.ok).toBe(true);
    if (!fp.ok) return;
    expect(fp.escalation).toMatchObject({
      status: 'false-positive',
      falsePositiveReason: 'budget top-up agreed',
    });
    expect(fp.escalation.events.at(-1)).toMatchObject({
      action: 'false-positive',
      note: 'budget top-up agreed',
    });
    const store = [fp.escalation];
    expect(
      step(store, '2025-02-06T09:00:00.000Z', assessment([0.06, 0.06, 0.06])).decisions,
    ).toEqual([]);
    // Worse than when it was dismissed: it opens again.
    expect(
      step(store, '2025-02-06T09:00:00.000Z', assessment([0.3, 0.3, 0.3])).decisions[0]?.kind,
    ).toBe('open');
    // After the suppression window: opens again at the same severity.
    expect(
      step(store, '2025-02-20T09:00:00.000Z', assessment([0.06, 0.06, 0.06])).decisions[0]?.kind,
    ).toBe('open');
    expect(acknowledge(fp.escalation, 'pm1', T0)).toEqual({
      ok: false,
      problem: 'escalation is false-positive',
    });
  });

  test('unknown data holds the state; a closed project resolves', () => {
    const store = opened();
    expect(
      step(store, '2025-02-06T09:00:00.000Z', assessment([0, 0, 0], { rag: 'unknown' })).decisions,
    ).toEqual([]);
    const r = step(
      store,
      '2025-02-06T09:00:00.000Z',
      assessment([0.3, 0.3, 0.3], { status: 'closed' }),
    );
    expect(r.decisions.map((d) => [d.kind, d.reason])).toEqual([['resolve', 'project closed']]);
  });
});
