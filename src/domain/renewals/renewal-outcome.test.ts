import {
  decideRenewalOutcome,
  outcomeSummary,
  readinessAtWindows,
  type ContractTermNow,
} from './renewal-outcome';

const term = (over: Partial<ContractTermNow> = {}): ContractTermNow => ({
  contractId: 1,
  clientId: 10,
  contractType: 'Managed Services',
  startDate: '2025-04-01',
  endDate: '2026-03-31',
  active: true,
  monthlyValue: 1000,
  ...over,
});

describe('decideRenewalOutcome', () => {
  test.each([
    // [case, the contract now, other contracts, asOf, expected outcome/evidence or null]
    ['still running before its end', term(), [], '2026-03-20', null],
    ['end passed, inside the grace period, no successor yet', term(), [], '2026-04-15', null],
    ['end passed, grace period over, no successor', term(), [], '2026-05-02', 'churned/ended'],
    ['made inactive before its end', term({ active: false }), [], '2026-03-01', 'churned/inactive'],
    [
      'end date moved later inside the window',
      term({ endDate: '2027-03-31' }),
      [],
      '2026-02-15',
      'renewed/extended',
    ],
    [
      'successor of the same client and type within the grace period',
      term(),
      [term({ contractId: 2, startDate: '2026-04-10', endDate: '2027-04-09', monthlyValue: 900 })],
      '2026-04-01',
      'renewed/successor',
    ],
    [
      'a contract of another type is no successor',
      term(),
      [term({ contractId: 2, contractType: 'Backup', startDate: '2026-04-01' })],
      '2026-05-02',
      'churned/ended',
    ],
    [
      'a successor starting after the grace period is a new sale, not a renewal',
      term(),
      [term({ contractId: 2, startDate: '2026-06-01', endDate: '2027-05-31' })],
      '2026-06-02',
      'churned/ended',
    ],
  ] as const)('%s', (_case, now, others, asOf, expected) => {
    const o = decideRenewalOutcome(now, '2026-03-31', [now, ...others], asOf);
    expect(o === null ? null : `${o.outcome}/${o.evidence}`).toBe(expected);
  });

  test('an end date moved far ahead of the renewal window is a correction, not a renewal', () => {
    expect(
      decideRenewalOutcome(term({ endDate: '2027-12-31' }), '2026-12-31', [], '2026-03-01'),
    ).toBeNull();
  });

  test('a successor carries its monthly value (a decrease is contraction)', () => {
    const successor = term({ contractId: 2, startDate: '2026-04-01', monthlyValue: 800 });
    expect(decideRenewalOutcome(term(), '2026-03-31', [successor], '2026-04-01')).toMatchObject({
      outcome: 'renewed',
      successorContractId: 2,
      startingMrr: 1000,
      endingMrr: 800,
      decidedOn: '2026-04-01',
    });
  });
});

describe('readinessAtWindows', () => {
  test('takes the latest snapshot on or before each window day, null before tracking began', () => {
    const r = readinessAtWindows('2026-03-31', [
      { date: '2026-01-20', score: 70, band: 'healthy' },
      { date: '2026-01-31', score: 62, band: 'watch' },
      { date: '2026-03-05', score: 40, band: 'at-risk' },
    ]);
    expect(r).toEqual([
      { window: '90', on: '2025-12-31', score: null, band: null },
      { window: '60', on: '2026-01-30', score: 70, band: 'healthy' },
      { window: '30', on: '2026-03-01', score: 62, band: 'watch' },
    ]);
    expect(outcomeSummary(decideRenewalOutcome(term(), '2026-03-31', [], '2026-05-02')!, r)).toBe(
      'Outcome churned: ended 2026-03-31 without renewal. Readiness at 90 days not tracked, 60 days 70 (healthy), 30 days 62 (watch).',
    );
  });
});
