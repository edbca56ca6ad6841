/**
 * Policy tunings a post-project review proposes: one threshold of the default delivery policy and
 * the value to set it to. The PMO lead accepts one as the tenant's next policy version; nothing
 * changes on its own.
 */
import type { EscalationCause } from './health-score';
import type { DeliveryPolicy, DeliveryPolicyConfig } from './policy';
import type { PostProjectReview } from './post-project-review';

/** A proposed change of one amber threshold of the default policy. */
export interface PolicyTuning {
  /** Stable within a review: `burn.amber`. */
  id: string;
  cause: EscalationCause;
  setting: 'amber';
  from: number;
  to: number;
  /** Why, in words, for the card and the audit entry. */
  reason: string;
}

/** Earlier warning: amber a fifth lower, for a miss of that cause. */
const TIGHTEN = 0.8;
/** Fewer false alarms: amber a quarter higher, for causes marked "not a real issue". */
const LOOSEN = 1.25;

/**
 * The tunings a review supports, against the policy the project was judged by: a missed budget
 * overrun tightens burn, a missed slip tightens schedule, false positives loosen their cause. A
 * value that would leave the band between back-to-green and red is not proposed.
 */
export function suggestPolicyTunings(
  review: Pick<PostProjectReview, 'riskMisses' | 'falsePositives'>,
  policy: DeliveryPolicy,
): PolicyTuning[] {
  const out: PolicyTuning[] = [];
  const propose = (cause: EscalationCause, to: number, reason: string): void => {
    const t = policy[cause];
    const value = cause === 'burn' ? Math.round(to * 1000) / 1000 : Math.round(to);
    if (value === t.amber || value <= t.backToGreen || value > t.red) return;
    if (out.some((o) => o.cause === cause)) return;
    out.push({ id: `${cause}.amber`, cause, setting: 'amber', from: t.amber, to: value, reason });
  };
  if (review.riskMisses.some((m) => m.kind === 'budget-overrun')) {
    propose('burn', policy.burn.amber * TIGHTEN, 'a budget overrun was not escalated in time');
  }
  if (review.riskMisses.some((m) => m.kind === 'milestone-slip')) {
    propose(
      'schedule',
      Math.min(policy.schedule.amber - 1, policy.schedule.amber * TIGHTEN),
      'a milestone slip was not escalated in time',
    );
  }
  for (const cause of new Set(review.falsePositives.map((f) => f.cause))) {
    const n = review.falsePositives.filter((f) => f.cause === cause).length;
    const amber = policy[cause].amber;
    propose(
      cause,
      cause === 'burn' ? amber * LOOSEN : Math.max(amber + 1, amber * LOOSEN),
      `${cause} was marked "not a real issue" ${n} time(s)`,
    );
  }
  return out;
}

/** The policy set with one tuning applied to its default (overrides keep their own values). */
export function applyPolicyTuning(
  config: DeliveryPolicyConfig,
  tuning: PolicyTuning,
): DeliveryPolicyConfig {
  return {
    ...config,
    default: {
      ...config.default,
      [tuning.cause]: { ...config.default[tuning.cause], [tuning.setting]: tuning.to },
    },
  };
}
