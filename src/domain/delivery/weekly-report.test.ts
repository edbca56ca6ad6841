import { assessProject } from './health-score';
import { toSnapshot } from './health-snapshot';
import { evaluateEscalations } from './escalation';
import { DEFAULT_DELIVERY_POLICY } from './policy';
import { effort, referenceFacts } from './testing/facts-builder';
import { buildWeeklyControlReport } from './weekly-report';

const policy = DEFAULT_DELIVERY_POLICY;

describe('weekly control report', () => {
  const base = referenceFacts();
  const held = referenceFacts({
    asOf: '2025-01-31',
    dataAsOf: '2025-01-31',
    dailyHours: effort('2025-01-06', '2025-01-31', 4),
    assignedAgents: [{ agentId: 'a1', lastTimesheetDate: '2025-01-31' }],
    tasks: [
      base.tasks[0]!,
      { ...base.tasks[1]!, status: 'on-hold', onHoldSince: '2025-01-13' },
      base.tasks[2]!,
    ],
  });
  const unknown = referenceFacts({
    projectId: 'p3',
    name: 'No data',
    baseline: { ...base.baseline, plannedHours: null, plannedMoney: null },
    tasks: base.tasks.map((t) => ({ ...t, estimateHours: null })),
  });

  test('red/amber rows with causes, owners, recovery dates and changes; unknowns as exceptions', () => {
    const a = assessProject(held, policy);
    const lastWeek = toSnapshot(assessProject(referenceFacts(), policy));
    const decisions = evaluateEscalations({
      now: '2025-01-31T08:00:00.000Z',
      assessment: a,
      openEscalations: [],
      policy,
      owners: { deliveryDirectorAgentId: 'dd1', incidentCommanderAgentId: 'ic1' },
    });
    const report = buildWeeklyControlReport({
      weekOf: '2025-01-27',
      assessments: [a, assessProject(unknown, policy)],
      lastWeek: [lastWeek],
      escalations: decisions.map((d) => d.escalation),
    });
    expect(report.counts.unknown).toBe(1);
    expect(report.exceptions).toEqual([
      {
        projectId: 'p3',
        name: 'No data',
        issues: expect.arrayContaining(['no budget (hours or money)']),
      },
    ]);
    expect(report.rows).toHaveLength(1);
    const row = report.rows[0]!;
    expect(row.rag).toBe('red');
    expect(row.causes).toContain('dependency');
    const worst = [...decisions].sort(
      (x, y) =>
        (x.escalation.severity === 'high' ? -1 : 0) - (y.escalation.severity === 'high' ? -1 : 0),
    )[0];
    expect(row.mitigationOwnerAgentId).toBe(worst?.escalation.ownerAgentId);
    expect(row.openEscalations.map((e) => e.cause)).toContain('dependency');
    expect(row.recoveryDate).not.toBeNull();
    expect(row.changesSinceLastWeek[0]).toMatch(/^RAG moved .* → RED$/);
  });

  test('projects back to green are listed as recovered', () => {
    const red = { ...toSnapshot(assessProject(held, policy)) };
    const report = buildWeeklyControlReport({
      weekOf: '2025-01-27',
      assessments: [assessProject(referenceFacts(), policy)],
      lastWeek: [red],
      escalations: [],
    });
    expect(report.rows).toEqual([]);
    expect(report.recovered).toEqual([{ projectId: 'p1', name: 'Firewall refresh' }]);
  });
});
