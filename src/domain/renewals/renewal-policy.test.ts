import {
  DEFAULT_RENEWAL_POLICY,
  sizeBandOf,
  upgradeRenewalPolicy,
  type StoredRenewalPolicy,
} from './renewal-policy';
import { validateRenewalPolicy } from './renewal-policy-validation';

describe('renewal policy', () => {
  test('the default is valid', () => {
    expect(validateRenewalPolicy(DEFAULT_RENEWAL_POLICY)).toEqual({
      ok: true,
      policy: DEFAULT_RENEWAL_POLICY,
    });
  });

  test('lists every problem at once', () => {
    const bad = structuredClone(DEFAULT_RENEWAL_POLICY);
    bad.readiness.drivers.sla = { ...bad.readiness.drivers.sla, watch: 0.7 };
    bad.concession.csLeadMaxPct = 60;
    bad.readiness.bands.watchMinScore = 90;
    const r = validateRenewalPolicy(bad);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('readiness.drivers.sla'),
        expect.stringContaining('csLeadMaxPct'),
        expect.stringContaining('watchMinScore'),
      ]),
    );
  });

  test('churn leaving families and overrun window are checked against each other', () => {
    const bad = structuredClone(DEFAULT_RENEWAL_POLICY);
    bad.churn.leavingFamilies = ['sentiment'];
    bad.churn.minLeavingFamilies = 2;
    bad.uplift.overrun.minMonths = 5;
    const r = validateRenewalPolicy(bad);
    expect(r.ok === false && r.problems).toEqual([
      'uplift.overrun: minMonths must not exceed windowMonths',
      'churn: minLeavingFamilies must not exceed the number of leavingFamilies',
    ]);
    const unknown = structuredClone(DEFAULT_RENEWAL_POLICY) as unknown as {
      churn: { leavingFamilies: string[] };
    };
    unknown.churn.leavingFamilies = ['gut-feeling'];
    const r2 = validateRenewalPolicy(unknown);
    expect(r2.ok === false && r2.problems.join(' ')).toContain('churn.leavingFamilies');
  });

  test('shape errors name their path', () => {
    const r = validateRenewalPolicy({ ...DEFAULT_RENEWAL_POLICY, version: 0 });
    expect(r.ok === false && r.problems[0]).toContain('version');
  });

  test.each<[number, string]>([
    [500, 'small'],
    [2000, 'small'],
    [2000.01, 'medium'],
    [50000, 'large'],
  ])('%p a month is %s', (value, band) => {
    expect(sizeBandOf(value, DEFAULT_RENEWAL_POLICY.concession.sizeBands)).toBe(band);
  });

  test.each([0, -1, 1.5, 366])('refuses a concession expiry of %p days', (days) => {
    const bad = structuredClone(DEFAULT_RENEWAL_POLICY);
    bad.concession.expiryDays = days;
    const r = validateRenewalPolicy(bad);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual([expect.stringContaining('concession.expiryDays')]);
  });

  test('a policy saved before concession expiry existed validates and loads with 14 days', () => {
    const older: StoredRenewalPolicy = structuredClone(DEFAULT_RENEWAL_POLICY);
    delete older.concession.expiryDays;

    const validated = validateRenewalPolicy(older);

    expect(validated.ok && validated.policy.concession.expiryDays).toBe(14);
    expect(upgradeRenewalPolicy(older).concession.expiryDays).toBe(14);
    expect(upgradeRenewalPolicy(DEFAULT_RENEWAL_POLICY)).toEqual(DEFAULT_RENEWAL_POLICY);
  });
});
