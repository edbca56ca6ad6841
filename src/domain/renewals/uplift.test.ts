import { editHours, editTickets, FIXTURE_AS_OF, healthyFacts } from './contract-facts.fixture';
import type { ContractFacts } from './contract-facts';
import { DEFAULT_RENEWAL_POLICY as P } from './renewal-policy';
import { decideUplift, detectUplift, mergeUplift, serviceOverrun } from './uplift';

const asOf = FIXTURE_AS_OF;

describe('recurring issue themes', () => {
  test.each<[string, number[], boolean]>([
    ['every month at the threshold', [5, 5, 5], true],
    ['one month below', [5, 4, 9], false],
    ['well above', [8, 9, 10], true],
  ])('Backup tickets %s (%p) → proposed=%p', (_label, counts, proposed) => {
    const byMonth: Record<string, number> = {
      '2025-03': counts[0] ?? 0,
      '2025-04': counts[1] ?? 0,
      '2025-05': counts[2] ?? 0,
    };
    const f = editTickets(healthyFacts(), (t) => ({
      categories: { ...t.categories, Backup: byMonth[t.month] ?? 0 },
    }));
    const opps = detectUplift(f, asOf, P).filter((o) => o.kind === 'recurring-theme');
    expect(opps.length).toBe(proposed ? 1 : 0);
  });

  test('estimate = average tickets/month × value per ticket, with the counts as evidence', () => {
    const f = editTickets(
      healthyFacts(),
      (t) => ({ categories: { ...t.categories, Backup: t.month === '2025-05' ? 9 : 6 } }),
      (m) => m >= '2025-03' && m <= '2025-05',
    );
    const [opp] = detectUplift(f, asOf, P);
    expect(opp).toMatchObject({
      kind: 'recurring-theme',
      subject: 'Backup',
      estimatedMonthlyUplift: 280, // (6 + 6 + 9) / 3 × 40
      status: 'proposed',
      id: 'C1:recurring-theme:backup',
    });
    expect(opp?.evidence[0]).toContain('6, 6, 9');
  });

  test('excluded categories are never themes', () => {
    const f = editTickets(healthyFacts(), (t) => ({
      categories: { ...t.categories, General: 20 },
    }));
    expect(detectUplift(f, asOf, P)).toEqual([]);
  });
});

describe('service overrun', () => {
  // Window: the four complete months before the month of asOf (Feb–May at 2025-06-10).
  test.each<[string, number[], boolean]>([
    ['three of four months over, the last among them', [30, 16, 30, 32], true],
    ['every month over', [30, 30, 30, 30], true],
    // 25 h is within a month's noise of 22 (25 − √25 = 20): over on paper, not a pattern of use.
    ["over by less than a month's noise", [25, 25, 25, 25], false],
    ['two consecutive months: not yet a pattern', [16, 16, 25, 26], false],
    ['one spike month', [16, 16, 16, 30], false],
    ['over, then back within tolerance', [25, 30, 26, 16], false],
    ['within the 10 % tolerance', [22, 22, 22, 22], false],
  ])('%s (%p h of 20) → proposed=%p', (_label, hours, proposed) => {
    let f = healthyFacts();
    ['2025-02', '2025-03', '2025-04', '2025-05'].forEach((m, i) => {
      f = editHours(f, hours[i] ?? 0, (month) => month === m);
    });
    // June to date is already over: a partial month is not judged, so only Feb–May decide.
    f = editHours(f, 40, (month) => month === '2025-06');
    expect(serviceOverrun(f, '2025-06-10', P) !== null).toBe(proposed);
  });

  test('estimate = average excess hours × the contract rate (value ÷ included hours)', () => {
    const f = editHours(healthyFacts(), 30, (_m, fromEnd) => fromEnd < 5);
    const opp = serviceOverrun(f, asOf, P);
    expect(opp?.estimatedMonthlyUplift).toBe(1000); // 10 h × (2000 / 20)
    expect(opp?.evidence.join(' ')).toContain('4 of 4 months over entitlement');
  });
});

describe('whose evidence an uplift rests on', () => {
  const themed = editTickets(healthyFacts(), (t) => ({
    categories: { ...t.categories, Backup: 8 },
  }));
  const overrunning = editHours(healthyFacts(), 40);

  test.each<[string, Partial<ContractFacts>, boolean]>([
    ['the main contract, three months into its term', {}, true],
    ['an add-on running beside the main contract', { mainForClient: false }, false],
    // A renewal that has just started (e.g. after taking an uplift) has no months of its own yet.
    ['a successor that started last month', { startDate: '2025-05-01' }, false],
    ['a contract that started mid-window', { startDate: '2025-03-15' }, false],
    // The theme was recurring before this term began: the renewal dealt with it (priced or declined).
    ['a renewal whose theme already recurred before its term', { startDate: '2025-03-01' }, false],
  ])('ticket themes on %s → proposed=%p', (_label, patch, proposed) => {
    const opps = detectUplift({ ...themed, ...patch }, asOf, P);
    expect(opps.some((o) => o.kind === 'recurring-theme')).toBe(proposed);
  });

  test('a theme that began within the term of a renewal is proposed', () => {
    const newTheme = editTickets(
      healthyFacts(),
      (t) => ({ categories: { ...t.categories, Backup: 8 } }),
      (month) => month >= '2025-03',
    );
    const opps = detectUplift({ ...newTheme, startDate: '2025-03-01' }, asOf, P);
    expect(opps.map((o) => o.kind)).toContain('recurring-theme');
  });

  test.each<[string, Partial<ContractFacts>, boolean]>([
    ['its own term', {}, true],
    ['hours from before the term started', { startDate: '2025-04-01' }, false],
  ])('service overrun read from %s → proposed=%p', (_label, patch, proposed) => {
    expect(serviceOverrun({ ...overrunning, ...patch }, asOf, P) !== null).toBe(proposed);
  });
});

describe('under-scoped entitlements', () => {
  test.each<[number, boolean, number]>([
    [20, false, 0],
    [21, false, 0], // within 5 % tolerance
    [22, true, 100],
    [30, true, 500],
  ])(
    '%p users observed against 20 billed → proposed=%p, uplift %p',
    (observed, proposed, uplift) => {
      const f = healthyFacts({
        observedQuantities: [{ item: 'User', qty: observed, source: 'distinct ticket users' }],
      });
      const opps = detectUplift(f, asOf, P).filter((o) => o.kind === 'under-scoped');
      expect(opps.length).toBe(proposed ? 1 : 0);
      if (proposed) expect(opps[0]?.estimatedMonthlyUplift).toBe(uplift);
    },
  );
});

describe('lifecycle', () => {
  const f = healthyFacts({ observedQuantities: [{ item: 'user', qty: 25, source: 'AD' }] });

  test('nothing is proposed for a contract with intake exceptions', () => {
    expect(detectUplift({ ...f, endDate: null }, asOf, P)).toEqual([]);
  });

  test('merge keeps decisions and reports only new ids as newly proposed', () => {
    const first = mergeUplift([], detectUplift(f, asOf, P));
    expect(first.newlyProposed).toHaveLength(1);
    const opp = first.opportunities[0];
    if (!opp) throw new Error('no opportunity');
    const decided = decideUplift(opp, { status: 'declined', by: 'am-1', on: '2025-07-01' });
    if (!decided.ok) throw new Error('refused');
    const again = mergeUplift([decided.opportunity], detectUplift(f, '2025-07-31', P));
    expect(again.newlyProposed).toEqual([]);
    expect(again.opportunities[0]?.status).toBe('declined');
    expect(
      decideUplift(decided.opportunity, { status: 'accepted', by: 'x', on: '2025-07-02' }),
    ).toEqual({
      ok: false,
      reason: 'already-decided',
    });
  });
});
