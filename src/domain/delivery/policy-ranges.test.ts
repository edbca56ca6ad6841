import { DEFAULT_DELIVERY_POLICY, validatePolicy } from './policy';
import { validateRenewalPolicy } from '../renewals/renewal-policy-validation';
import { DEFAULT_RENEWAL_POLICY } from '../renewals/renewal-policy';

describe('policy numbers stay within their ranges', () => {
  test('a delivery threshold like red: 1e308 is refused, naming the field', () => {
    const result = validatePolicy({
      ...DEFAULT_DELIVERY_POLICY,
      burn: { ...DEFAULT_DELIVERY_POLICY.burn, red: 1e308 },
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.join('\n')).toMatch(/burn\.red/);
    expect(validatePolicy(DEFAULT_DELIVERY_POLICY).ok).toBe(true);
  });

  test('huge hours and versions are refused', () => {
    for (const policy of [
      { ...DEFAULT_DELIVERY_POLICY, reescalateAfterHours: 1e308 },
      { ...DEFAULT_DELIVERY_POLICY, version: 1e20 },
      {
        ...DEFAULT_DELIVERY_POLICY,
        acknowledgeSlaHours: { ...DEFAULT_DELIVERY_POLICY.acknowledgeSlaHours, high: 1e12 },
      },
    ]) {
      expect(validatePolicy(policy).ok).toBe(false);
    }
  });

  test('a renewal policy number of 1e308 is refused; the default passes', () => {
    expect(validateRenewalPolicy(DEFAULT_RENEWAL_POLICY).ok).toBe(true);
    const huge = structuredClone(DEFAULT_RENEWAL_POLICY) as unknown as {
      readiness: { drivers: { sla: { risk: number } } };
    };
    huge.readiness.drivers.sla.risk = 1e308;
    expect(validateRenewalPolicy(huge).ok).toBe(false);
  });
});
