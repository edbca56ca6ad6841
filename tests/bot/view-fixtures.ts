import type {
  EscalationView,
  PortfolioSummaryView,
  ProjectHealthView,
  WeeklyReportView,
} from '../../src/app/delivery-views';
import type { ConcessionFormView, RenewalStageView } from '../../src/app/renewals/renewal-views';
import { TabLinks } from '../../bot/tab-links';

/** Deep links as a Teams app with a public tab builds them, for card tests. */
export const testLinks = new TabLinks({
  teamsAppId: 'app-1',
  entityId: 'portfolio',
  webBaseUrl: 'https://tower.example.com',
});

const long = (n: number) => `Ünïcødé ${'x'.repeat(n)} «quoted» *stars* [link](x) 🚀`;

/** A realistic project health view. */
export function projectHealthView(overrides: Partial<ProjectHealthView> = {}): ProjectHealthView {
  return {
    id: 1042,
    name: 'Contoso M365 migration',
    client: { id: 7, name: 'Contoso Ltd' },
    score: 48,
    rag: 'red',
    confidence: 0.82,
    riskTags: ['burn', 'schedule'],
    drivers: [
      { label: 'Hours burn vs % complete', value: '1.32', threshold: '≤ 1.10', contribution: 22 },
      { label: 'Schedule slip (SPI)', value: '0.81', threshold: '≥ 0.90', contribution: 15 },
      { label: 'Blocked tasks', value: '1', threshold: '0', contribution: 5 },
    ],
    changes: ['Burn ratio 1.18 → 1.32', 'Milestone "Pilot" slipped 6 days'],
    trend: Array.from({ length: 14 }, (_, i) => ({
      date: `2025-03-${String(i + 1).padStart(2, '0')}`,
      score: i === 3 ? null : 80 - i * 2,
    })),
    nextMilestone: { name: 'Pilot sign-off', dueDate: '2025-03-28', isGate: true },
    openEscalations: [
      {
        id: 'esc-1',
        cause: 'burn',
        severity: 'high',
        state: 'open',
        openedAt: '2025-03-10T08:00:00Z',
      },
    ],
    evaluatedAt: '2025-03-14T06:00:00Z',
    ...overrides,
  };
}

/** A project health view with absurdly long lists and strings. */
export function hugeProjectHealthView(): ProjectHealthView {
  return projectHealthView({
    name: long(5_000),
    client: { id: 7, name: long(5_000) },
    riskTags: ['burn', 'schedule', 'dependency', 'scope', 'resourcing', 'data-quality'],
    drivers: Array.from({ length: 2_000 }, (_, i) => ({
      label: long(500) + i,
      value: long(300),
      threshold: long(300),
      contribution: i,
    })),
    changes: Array.from({ length: 5_000 }, () => long(1_000)),
    trend: Array.from({ length: 5_000 }, (_, i) => ({ date: '2025-01-01', score: i % 100 })),
    nextMilestone: { name: long(5_000), dueDate: '2025-03-28', isGate: true },
    openEscalations: Array.from({ length: 3_000 }, (_, i) => ({
      id: `e${i}`,
      cause: long(500),
      severity: 'high' as const,
      state: 'open' as const,
      openedAt: '2025-03-10T08:00:00Z',
    })),
  });
}

/** A realistic portfolio. */
export function portfolioView(worstCount = 4, nameLength = 0): PortfolioSummaryView {
  return {
    counts: { green: 31, amber: 6, red: 3, unknown: 2 },
    worst: Array.from({ length: worstCount }, (_, i) => ({
      id: 1000 + i,
      name: nameLength > 0 ? long(nameLength) : `Project ${i}`,
      clientName: nameLength > 0 ? long(nameLength) : `Client ${i}`,
      score: i % 5 === 4 ? null : 30 + i,
      rag: i % 5 === 4 ? ('unknown' as const) : i < 3 ? ('red' as const) : ('amber' as const),
      topDriver:
        i % 2 === 0
          ? {
              label: nameLength > 0 ? long(nameLength) : 'Burn',
              value: '1.4',
              threshold: '≤ 1.1',
              contribution: 20,
            }
          : null,
    })),
    evaluatedAt: '2025-03-14T06:00:00Z',
  };
}

/** A realistic escalation. */
export function escalationView(overrides: Partial<EscalationView> = {}): EscalationView {
  return {
    id: 'esc-1',
    project: { id: 1042, name: 'Contoso M365 migration' },
    client: { id: 7, name: 'Contoso Ltd' },
    cause: 'Burn variance',
    severity: 'medium',
    state: 'open',
    details: ['Hours burn 1.32 vs ≤ 1.10', '62 % of budget used at 41 % complete'],
    score: 48,
    rag: 'red',
    ownerName: 'Pat Manager',
    mitigationOwnerName: null,
    acknowledgeBy: '2025-03-15T08:00:00Z',
    snoozedUntil: null,
    assignableAgents: [
      { id: 11, name: 'Alex Engineer' },
      { id: 12, name: 'Sam Consultant' },
    ],
    history: [
      { at: '2025-03-14T08:00:00Z', actorName: 'Control Tower', action: 'opened the escalation' },
    ],
    openedAt: '2025-03-14T08:00:00Z',
    ...overrides,
  };
}

/** An escalation with absurdly long lists and strings. */
export function hugeEscalationView(): EscalationView {
  return escalationView({
    project: { id: 1042, name: long(5_000) },
    client: { id: 7, name: long(5_000) },
    cause: long(5_000),
    details: Array.from({ length: 3_000 }, () => long(1_000)),
    ownerName: long(3_000),
    mitigationOwnerName: long(3_000),
    assignableAgents: Array.from({ length: 5_000 }, (_, i) => ({ id: i, name: long(200) })),
    history: Array.from({ length: 4_000 }, () => ({
      at: '2025-03-14T08:00:00Z',
      actorName: long(500),
      action: long(1_000),
    })),
  });
}

/** A realistic weekly report. */
export function weeklyReportView(lineCount = 3, textLength = 0): WeeklyReportView {
  const text = (fallback: string) => (textLength > 0 ? long(textLength) : fallback);
  return {
    weekOf: '2025-03-10',
    counts: { green: 31, amber: 6, red: 3, unknown: 2 },
    lines: Array.from({ length: lineCount }, (_, i) => ({
      projectId: 1000 + i,
      projectName: text(`Project ${i}`),
      clientName: text(`Client ${i}`),
      rag: i % 2 === 0 ? ('red' as const) : ('amber' as const),
      score: 40 + i,
      causes: Array.from({ length: textLength > 0 ? 40 : 2 }, () => text('burn 1.32 vs ≤ 1.10')),
      mitigationOwner: i % 3 === 0 ? null : text('Alex Engineer'),
      recoveryDate: i % 3 === 0 ? null : '2025-04-01',
      changeSinceLastWeek: i === 0 ? text('amber → red') : null,
    })),
    changes: Array.from({ length: textLength > 0 ? 5_000 : 2 }, () => text('2 projects went red')),
    generatedAt: '2025-03-14T06:00:00Z',
  };
}

/** A 60-day renewal stage of a watch-band contract with one proposed uplift, owned by `aad-am`. */
export function renewalStageView(overrides: Partial<RenewalStageView> = {}): RenewalStageView {
  return {
    contractId: 4,
    ref: 'NW-MSA-2024',
    clientName: 'Northwind Partners',
    stage: '60',
    endDate: '2026-03-31',
    daysToEnd: 48,
    ownerName: 'Isaiah Langer',
    score: 61,
    band: 'watch',
    confidence: 0.8,
    drivers: [
      {
        label: 'Service quality',
        explanation: 'SLA attainment 88 % against 95 %',
        contribution: 14,
      },
    ],
    flagged: false,
    flagCause: null,
    tasks: [
      { title: 'Customer checkpoint', dueDate: '2026-02-20', mandatory: true, done: false },
      { title: 'Stakeholder map', dueDate: '2026-02-15', mandatory: false, done: true },
    ],
    checkpointDueOn: '2026-02-20',
    status: 'open',
    notice: null,
    ownerAadObjectIds: ['aad-am'],
    uplift: [
      {
        id: '4:service-overrun:hours',
        kind: 'service-overrun',
        subject: 'hours',
        estimatedMonthlyUplift: 1250,
        evidence: '3 of the last 4 months over the 40-hour entitlement',
      },
    ],
    ...overrides,
  };
}

/** The concession form of a 5,000/month contract at 40 % margin, one precedent. */
export function concessionFormView(
  overrides: Partial<ConcessionFormView> = {},
): ConcessionFormView {
  return {
    contractId: 4,
    ref: 'NW-MSA-2024',
    clientName: 'Northwind Partners',
    monthlyValue: 5000,
    marginNowPct: 40,
    precedentAvgDepthPct: 7.5,
    precedentCount: 2,
    csLeadMaxPct: 10,
    maxPct: 50,
    minMarginAfterPct: 15,
    depths: [
      { depthPct: 5, monthlyAfter: 4750, marginAfterPct: 36.84, approverTier: 'cs_lead' },
      { depthPct: 8, monthlyAfter: 4600, marginAfterPct: 34.78, approverTier: 'cs_lead' },
      { depthPct: 15, monthlyAfter: 4250, marginAfterPct: 29.41, approverTier: 'msp_owner' },
    ],
    pending: null,
    ...overrides,
  };
}
