import { DEFAULT_DELIVERY_POLICY, validatePolicyConfig } from './policy';
import { applyPolicyTuning, suggestPolicyTunings } from './policy-tuning';
import type { RiskMiss } from './post-project-review';

const miss = (kind: RiskMiss['kind']): RiskMiss => ({
  kind,
  subject: kind === 'budget-overrun' ? 'budget' : 'Build',
  visibleOn: '2025-02-03',
  escalatedOn: null,
  verdict: 'never-escalated',
});
const fp = (cause: 'burn' | 'schedule' | 'dependency') => ({
  cause,
  reason: 'known',
  at: '2025-02-03',
});
const policy = DEFAULT_DELIVERY_POLICY;

describe('policy tunings from a post-project review', () => {
  test.each([
    [
      'a missed overrun tightens burn amber by a fifth',
      [miss('budget-overrun')],
      [],
      [['burn', 0.05, 0.04]],
    ],
    [
      'a missed slip lowers schedule amber by a working day',
      [miss('milestone-slip')],
      [],
      [['schedule', 2, 1]],
    ],
    [
      'false positives loosen their cause',
      [],
      [fp('dependency'), fp('dependency')],
      [['dependency', 6, 8]],
    ],
    ['nothing missed, nothing to tune', [], [], []],
  ])('%s', (_name, riskMisses, falsePositives, expected) => {
    const tunings = suggestPolicyTunings({ riskMisses, falsePositives }, policy);
    expect(tunings.map((t) => [t.cause, t.from, t.to])).toEqual(expected);
    for (const t of tunings) expect(t.id).toBe(`${t.cause}.amber`);
  });

  test('a value outside back-to-green..red is not proposed', () => {
    const tight = { ...policy, schedule: { amber: 1, red: 8, backToGreen: 0 } };
    expect(
      suggestPolicyTunings({ riskMisses: [miss('milestone-slip')], falsePositives: [] }, tight),
    ).toEqual([]);
    const atRed = { ...policy, dependency: { ...policy.dependency, amber: 12, red: 12 } };
    expect(
      suggestPolicyTunings({ riskMisses: [], falsePositives: [fp('dependency')] }, atRed),
    ).toEqual([]);
  });

  test('one cause gets one tuning even when a miss and false positives both point at it', () => {
    const tunings = suggestPolicyTunings(
      { riskMisses: [miss('budget-overrun')], falsePositives: [fp('burn')] },
      policy,
    );
    expect(tunings.map((t) => t.id)).toEqual(['burn.amber']);
  });

  test('applying a tuning changes only that threshold of the default, and the set stays valid', () => {
    const config = {
      default: policy,
      byProjectType: { Migration: { burn: { amber: 0.1 } } },
      byClient: {},
    };
    const [tuning] = suggestPolicyTunings(
      { riskMisses: [miss('budget-overrun')], falsePositives: [] },
      policy,
    );
    const next = applyPolicyTuning(config, tuning!);
    expect(next.default.burn).toEqual({ ...policy.burn, amber: 0.04 });
    expect(next.default.schedule).toEqual(policy.schedule);
    expect(next.byProjectType).toEqual(config.byProjectType);
    expect(validatePolicyConfig(next).ok).toBe(true);
  });
});
