import { baselineDiff, captureBaseline, rebaseline, type BaselineSource } from './baseline';
import { referenceFacts } from './testing/facts-builder';

const source = (): BaselineSource => {
  const b = referenceFacts().baseline;
  return {
    plannedHours: b.plannedHours,
    plannedMoney: b.plannedMoney,
    blendedRate: b.blendedRate,
    plannedRevenue: b.plannedRevenue,
    milestones: [...b.milestones].reverse(),
    workstreamOwners: b.workstreamOwners,
  };
};

describe('baseline', () => {
  test('captures version 1 with milestones in sequence', () => {
    const r = captureBaseline(source(), '2025-01-06');
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.baseline.version).toBe(1);
      expect(r.baseline.milestones.map((m) => m.id)).toEqual(['m1', 'm2']);
    }
  });

  test('keeps the agreed total estimate, from which scope creep is measured', () => {
    const r = captureBaseline({ ...source(), plannedEstimateHours: 120 }, '2025-01-06');
    expect(r.ok && r.baseline.plannedEstimateHours).toBe(120);
    const without = captureBaseline(source(), '2025-01-06');
    expect(without.ok && 'plannedEstimateHours' in without.baseline).toBe(false);
  });

  test('refuses an invalid plan with every problem', () => {
    const s = source();
    const r = captureBaseline(
      {
        ...s,
        plannedHours: -1,
        milestones: s.milestones.map((m) => ({
          ...m,
          requiredEvidence: [],
          plannedStart: '2025-02-01',
        })),
        burnThresholds: { amber: 0.3, red: 0.2 },
      },
      '2025-01-06',
    );
    expect(r).toEqual({
      ok: false,
      problems: [
        'planned hours must be positive',
        'milestone Cutover ends before it starts',
        'gate Cutover lists no required evidence',
        'milestone Design ends before it starts',
        'burn thresholds need 0 < amber ≤ red',
      ],
    });
  });

  test('re-baselining is explicit and recorded', () => {
    const prev = referenceFacts().baseline;
    const next = {
      ...source(),
      plannedHours: 120,
      milestones: source().milestones.map((m) =>
        m.id === 'm2' ? { ...m, plannedEnd: '2025-02-07' } : m,
      ),
    };
    const r = rebaseline(
      prev,
      next,
      'change request CR-12 approved',
      'pmo1',
      '2025-01-20T10:00:00.000Z',
    );
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.baseline.version).toBe(2);
      expect(r.baseline.capturedOn).toBe('2025-01-20');
      expect(r.change).toEqual({
        fromVersion: 1,
        toVersion: 2,
        reason: 'change request CR-12 approved',
        by: 'pmo1',
        at: '2025-01-20T10:00:00.000Z',
        changes: ['planned hours 100 → 120', 'milestone Cutover end 2025-01-26 → 2025-02-07'],
      });
    }
  });

  test('re-baselining needs a reason, an approver and a change', () => {
    const prev = referenceFacts().baseline;
    expect(rebaseline(prev, source(), '', '', '2025-01-20T10:00:00.000Z')).toEqual({
      ok: false,
      problems: [
        'a re-baseline needs a reason',
        'a re-baseline needs the approver',
        'nothing changed',
      ],
    });
  });

  test('drift is described, not applied', () => {
    const prev = referenceFacts().baseline;
    expect(
      baselineDiff(prev, {
        ...source(),
        milestones: source().milestones.slice(1),
        workstreamOwners: [],
      }),
    ).toEqual(['milestone Cutover removed', 'workstream owners changed']);
  });
});
