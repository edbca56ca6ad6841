import { addDays } from '../shared/dates';
import { DEFAULT_RENEWAL_POLICY as P } from './renewal-policy';
import {
  daysToEnd,
  evaluateCheckpoint,
  logCheckpoint,
  missedCheckpoints,
  missingStakeholders,
  renewalStage,
  stageTasks,
  type OwnerCall,
  type RenewalStage,
} from './renewal-window';
import { type ReadinessBand } from './renewal-policy';

const END = '2025-12-31';
const contract = { contractId: 'C1', endDate: END, accountManagerAgentId: 'am-1' };

describe('renewalStage boundaries (whole UTC days to the last day of the term)', () => {
  test.each<[number, RenewalStage]>([
    [365, 'none'],
    [91, 'none'],
    [90, '90'],
    [89, '90'],
    [61, '90'],
    [60, '60'],
    [59, '60'],
    [31, '60'],
    [30, '30'],
    [29, '30'],
    [1, '30'],
    [0, '30'],
    [-1, 'expired'],
  ])('%p days before the end → stage %s', (days, stage) => {
    const asOf = addDays(END, -days);
    expect(daysToEnd(END, asOf)).toBe(days);
    expect(renewalStage(END, asOf)).toBe(stage);
  });

  test('boundaries hold across a leap day and a month end', () => {
    expect(renewalStage('2024-05-29', '2024-02-29')).toBe('90'); // 90 days
    expect(renewalStage('2024-05-30', '2024-02-29')).toBe('none'); // 91 days
  });

  test('a rolling contract without an end date is in no stage', () => {
    expect(renewalStage(null, '2025-06-01')).toBe('none');
  });
});

describe('stageTasks', () => {
  test('the 90-day stage opens owner, stakeholder map and a mandatory checkpoint for the account manager', () => {
    const tasks = stageTasks('90', contract, P);
    expect(tasks.map((t) => t.kind)).toEqual([
      'owner-assignment',
      'stakeholder-map',
      'customer-checkpoint',
    ]);
    for (const t of tasks) {
      expect(t.ownerAgentId).toBe('am-1');
      expect(t.openedOn).toBe('2025-10-02');
      expect(t.mandatory).toBe(true);
    }
    expect(tasks[1]?.requiredRoles).toEqual(['decision-maker', 'champion', 'billing-contact']);
    expect(tasks[2]?.dueDate).toBe(addDays(END, -61));
    expect(tasks[2]?.id).toBe('C1:90:customer-checkpoint');
  });

  test.each<['60' | '30', string[]]>([
    ['60', ['stakeholder-map', 'customer-checkpoint', 'renewal-proposal']],
    ['30', ['customer-checkpoint', 'renewal-close']],
  ])('stage %s opens %p', (stage, kinds) => {
    const tasks = stageTasks(stage, contract, P);
    expect(tasks.map((t) => t.kind)).toEqual(kinds);
    const cp = tasks.find((t) => t.kind === 'customer-checkpoint');
    expect(cp?.dueDate).toBe(addDays(END, -P.window.checkpointDueDaysBeforeEnd[stage]));
  });

  test('no tasks outside the windows; without an account manager the cs lead picks them up', () => {
    expect(stageTasks('none', contract, P)).toEqual([]);
    expect(stageTasks('expired', contract, P)).toEqual([]);
    const tasks = stageTasks('90', { ...contract, accountManagerAgentId: null }, P);
    expect(tasks.every((t) => t.ownerAgentId === null && t.fallbackRole === 'cs_lead')).toBe(true);
  });

  test('a stakeholder map must name a decision maker, a champion and a billing contact', () => {
    expect(missingStakeholders([{ role: 'champion', name: 'Ann' }])).toEqual([
      'decision-maker',
      'billing-contact',
    ]);
  });
});

describe('evaluateCheckpoint', () => {
  test.each<[OwnerCall, ReadinessBand, boolean, string | null]>([
    ['renew', 'ready', true, null],
    ['monitor', 'ready', true, null],
    ['at-risk', 'ready', false, 'owner-more-pessimistic'],
    ['churn', 'ready', false, 'owner-more-pessimistic'],
    ['renew', 'watch', true, null],
    ['at-risk', 'watch', true, null],
    ['churn', 'watch', false, 'owner-more-pessimistic'],
    ['renew', 'at-risk', false, 'owner-more-optimistic'],
    ['monitor', 'at-risk', false, 'owner-more-optimistic'],
    ['churn', 'at-risk', true, null],
    ['renew', 'unknown', true, null],
  ])('call %s against band %s: agrees=%p (%s)', (ownerCall, band, agrees, direction) => {
    const r = evaluateCheckpoint({ ownerCall, band, stage: '60' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.agrees).toBe(agrees);
    expect(r.direction).toBe(direction);
    expect(r.routeTo).toBe(agrees ? null : 'cs_lead');
  });

  test('monitor is not an allowed call inside 30 days', () => {
    expect(evaluateCheckpoint({ ownerCall: 'monitor', band: 'ready', stage: '30' })).toEqual({
      ok: false,
      problem: 'monitor-not-allowed-inside-30-days',
    });
    expect(evaluateCheckpoint({ ownerCall: 'monitor', band: 'ready', stage: '60' }).ok).toBe(true);
  });

  test('logging a checkpoint needs notes and completes the task', () => {
    const cp = stageTasks('30', contract, P).find((t) => t.kind === 'customer-checkpoint');
    if (!cp) throw new Error('no checkpoint');
    const log = { heldOn: '2025-12-10', notes: '', ownerCall: 'renew' as const, loggedBy: 'am-1' };
    expect(logCheckpoint(cp, log)).toEqual({ ok: false, problem: 'notes-required' });
    expect(logCheckpoint(cp, { ...log, notes: 'ok', ownerCall: 'monitor' })).toEqual({
      ok: false,
      problem: 'monitor-not-allowed-inside-30-days',
    });
    const r = logCheckpoint(cp, { ...log, notes: 'Met the CFO; renewing' });
    expect(r.ok && r.task.completedOn).toBe('2025-12-10');
  });
});

describe('missedCheckpoints', () => {
  const tasks = stageTasks('90', contract, P);
  const due = addDays(END, -61);

  test.each<[number, number, 'cs_lead' | 'msp_owner' | null]>([
    [0, 0, null],
    [1, 1, 'cs_lead'],
    [7, 7, 'cs_lead'],
    [8, 8, 'msp_owner'],
  ])('%p days after the due date → %p days overdue, escalated to %s', (after, overdue, to) => {
    const esc = missedCheckpoints(tasks, addDays(due, after), P).filter(
      (e) => e.kind === 'customer-checkpoint',
    );
    if (to === null) expect(esc).toEqual([]);
    else expect(esc[0]).toMatchObject({ daysOverdue: overdue, escalateTo: to, contractId: 'C1' });
  });

  test('completed tasks do not escalate; 30-day checkpoints go straight to the msp owner', () => {
    const done = tasks.map((t) => ({ ...t, completedOn: '2025-10-20' }));
    expect(missedCheckpoints(done, '2026-01-01', P)).toEqual([]);
    const t30 = stageTasks('30', contract, P);
    const esc = missedCheckpoints(t30, addDays(END, -6), P);
    expect(esc[0]).toMatchObject({ stage: '30', escalateTo: 'msp_owner', severity: 'high' });
  });
});
