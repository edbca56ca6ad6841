/**
 * Policy tuning: a governance suggestion names the exact renewal policy settings it would change,
 * so accepting it turns into the tenant's next policy version without a deploy.
 */
import { addDays, isWorkingDay } from '../shared/dates';
import { type RenewalPolicy } from './renewal-policy';
import { validateRenewalPolicy } from './renewal-policy-validation';

/** One numeric setting of the renewal policy, by its dotted path, moved from one value to another. */
export interface PolicyChange {
  /** Dotted path into the policy, e.g. `readiness.bands.readyMinScore`. */
  setting: string;
  from: number;
  to: number;
}

/** Applying changes: the next policy, or every reason it cannot be made. */
export type PolicyTuning = { ok: true; policy: RenewalPolicy } | { ok: false; problems: string[] };

function holderOf(
  root: Record<string, unknown>,
  setting: string,
): { holder: Record<string, unknown>; key: string } | null {
  const parts = setting.split('.');
  const key = parts.pop();
  let node: unknown = root;
  for (const part of parts) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, part)) return null;
    node = (node as Record<string, unknown>)[part];
  }
  if (key === undefined || typeof node !== 'object' || node === null) return null;
  const holder = node as Record<string, unknown>;
  return Object.hasOwn(holder, key) ? { holder, key } : null;
}

/**
 * The policy with `changes` applied, stamped `version`. Refused when a setting does not exist, is
 * not a number, no longer holds the value the suggestion started from (the policy moved since the
 * review), or the result is not a valid policy.
 */
export function applyPolicyChanges(
  policy: RenewalPolicy,
  changes: readonly PolicyChange[],
  version: number,
): PolicyTuning {
  const next = structuredClone(policy) as unknown as Record<string, unknown>;
  const problems: string[] = [];
  for (const change of changes) {
    const at = holderOf(next, change.setting);
    if (at === null || typeof at.holder[at.key] !== 'number') {
      problems.push(`${change.setting}: not a numeric setting of the renewal policy`);
      continue;
    }
    if (at.holder[at.key] !== change.from) {
      problems.push(
        `${change.setting}: is ${String(at.holder[at.key])} now, not ${change.from} as when suggested`,
      );
      continue;
    }
    at.holder[at.key] = change.to;
  }
  if (problems.length > 0) return { ok: false, problems };
  const checked = validateRenewalPolicy({ ...next, version });
  return checked.ok ? { ok: true, policy: checked.policy } : checked;
}

/** `readiness.bands.readyMinScore: 75 → 81`, for cards, the tab and the audit trail. */
export function describePolicyChange(change: PolicyChange): string {
  return `${change.setting}: ${change.from} → ${change.to}`;
}

/** The first Monday-to-Friday day of the month `month` (YYYY-MM). */
export function firstWorkingDayOfMonth(month: string): string {
  let day = `${month}-01`;
  while (!isWorkingDay(day)) day = addDays(day, 1);
  return day;
}
