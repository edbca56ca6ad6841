/**
 * The contract archetypes of the independent library: the managed-services account of one client
 * whose renewal is the question, and how its service, usage and payment behaviour evolve.
 */
import type { ContractIntent } from '../simulator/dataset';
import type { Rng } from '../simulator/prng';

export type ContractArchetype =
  | 'renews-quietly'
  | 'renews-after-bad-month'
  | 'churn-with-warning'
  | 'churn-without-warning'
  | 'overrun-expands'
  | 'under-billed'
  | 'pays-late-renews'
  | 'new-client'
  | 'at-risk-saved';

/** Mix of a portfolio (weights per 80 contracts); every archetype appears at least once. */
export const CONTRACT_MIX: ReadonlyArray<[ContractArchetype, number]> = [
  ['renews-quietly', 30],
  ['renews-after-bad-month', 6],
  ['churn-with-warning', 9],
  ['churn-without-warning', 4],
  ['overrun-expands', 8],
  ['under-billed', 7],
  ['pays-late-renews', 6],
  ['new-client', 5],
  ['at-risk-saved', 5],
];

export const CHURNS: ReadonlySet<ContractArchetype> = new Set([
  'churn-with-warning',
  'churn-without-warning',
]);

/** Archetypes where an uplift is warranted and the client stays. */
export const EXPANDS: ReadonlySet<ContractArchetype> = new Set(['overrun-expands', 'under-billed']);

/** How the service looks in one period: multipliers and probabilities for the tickets logged. */
export interface ServiceState {
  volume: number;
  /** Share of P1 and of P2 tickets. */
  p1: number;
  p2: number;
  /** Probability a ticket is fixed within its SLA. */
  slaIn: number;
  /** Probability a feedback score is poor (1-2 of 5). */
  poorFeedback: number;
  /** Probability of a customer reply with negative language. */
  negative: number;
  reopen: number;
  /** Hours per ticket multiplier. */
  hours: number;
  /** Share of tickets in the client's recurring theme category. */
  theme: number;
  /** Days late invoices are paid (after the due date); negative = early. */
  pay: [number, number];
}

export const BASELINE: ServiceState = {
  volume: 1,
  p1: 0.02,
  p2: 0.1,
  slaIn: 0.95,
  poorFeedback: 0.05,
  negative: 0.03,
  reopen: 0.03,
  hours: 1,
  theme: 0,
  pay: [-22, -1],
};

const TROUBLED_SERVICE: Partial<ServiceState> = {
  volume: 1.35,
  p1: 0.08,
  p2: 0.18,
  slaIn: 0.74,
  poorFeedback: 0.55,
  negative: 0.32,
  reopen: 0.12,
};

/** The timeline of one account: contract days and when its signals start. */
export interface AccountTimeline {
  archetype: ContractArchetype;
  /** Last day of the contract whose renewal is in question. */
  end: number;
  /** Term of that contract in months. */
  termMonths: number;
  /** First day of service history generated. */
  historyStart: number;
  signalsStart?: number;
  /** Day the client's rough patch is addressed (at-risk saved) or its notice is given (churn). */
  turningPoint?: number;
  /** One bad month (noise): its first day. */
  badMonth?: number;
}

/** Draws the timeline of an account of an archetype. */
export function drawTimeline(
  archetype: ContractArchetype,
  rng: Rng,
  lastDay: number,
): AccountTimeline {
  const end = lastDay - rng.int(12, 285);
  const termMonths = archetype === 'new-client' ? 6 : rng.pick([12, 12, 12, 24]);
  const historyStart = archetype === 'new-client' ? end - 182 : end - rng.int(520, 580);
  const t: AccountTimeline = { archetype, end, termMonths, historyStart };
  switch (archetype) {
    case 'churn-with-warning':
      t.signalsStart = end - rng.int(150, 240);
      t.turningPoint = end - rng.int(28, 45);
      break;
    case 'churn-without-warning':
      t.turningPoint = end - rng.int(28, 45);
      t.signalsStart = t.turningPoint;
      break;
    case 'overrun-expands':
    case 'under-billed':
      t.signalsStart = end - rng.int(150, 300);
      break;
    case 'at-risk-saved':
      t.signalsStart = end - rng.int(210, 270);
      t.turningPoint = t.signalsStart + rng.int(60, 80);
      break;
    case 'renews-after-bad-month':
      t.badMonth = end - rng.int(130, 330);
      t.signalsStart = t.badMonth;
      break;
    case 'pays-late-renews':
      t.signalsStart = historyStart;
      break;
    default:
      break;
  }
  return t;
}

/** The service state of an account on a day. */
export function serviceOn(t: AccountTimeline, day: number): ServiceState {
  const s = t.signalsStart;
  switch (t.archetype) {
    case 'churn-with-warning':
      if (s === undefined || day < s) return BASELINE;
      if (day < t.end - 90) return { ...BASELINE, ...TROUBLED_SERVICE, pay: [-5, 15] };
      // The last quarter: the client disengages (fewer tickets, still unhappy, paying slowly).
      return { ...BASELINE, ...TROUBLED_SERVICE, volume: 0.55, slaIn: 0.8, pay: [8, 40] };
    case 'at-risk-saved':
      if (s === undefined || day < s) return BASELINE;
      if (day < (t.turningPoint ?? s)) return { ...BASELINE, ...TROUBLED_SERVICE, pay: [-10, 12] };
      if (day < (t.turningPoint ?? s) + 45) return { ...BASELINE, poorFeedback: 0.15, slaIn: 0.9 };
      return BASELINE;
    case 'renews-after-bad-month':
      if (t.badMonth !== undefined && day >= t.badMonth && day < t.badMonth + 30) {
        return { ...BASELINE, volume: 1.5, p1: 0.1, slaIn: 0.8, poorFeedback: 0.45, negative: 0.2 };
      }
      return BASELINE;
    case 'overrun-expands':
      return s !== undefined && day >= s
        ? { ...BASELINE, volume: 1.4, hours: 1.6, theme: 0.45 }
        : BASELINE;
    case 'pays-late-renews':
      return { ...BASELINE, pay: [18, 70] };
    case 'new-client':
      return day < t.historyStart + 30 ? { ...BASELINE, volume: 2.4 } : BASELINE;
    default:
      return BASELINE;
  }
}

/** The truth label of an account's contract. */
export function contractIntent(
  contractId: number,
  clientId: number,
  t: AccountTimeline,
  isoDate: (day: number) => string,
): ContractIntent {
  const churns = CHURNS.has(t.archetype);
  const expands = EXPANDS.has(t.archetype);
  const situation: ContractIntent['situation'] = churns
    ? 'churn'
    : t.archetype === 'overrun-expands'
      ? 'expanding'
      : t.archetype === 'under-billed'
        ? 'under-billed'
        : t.archetype === 'at-risk-saved'
          ? 'at-risk'
          : 'healthy';
  return {
    contractId,
    clientId,
    archetype: t.archetype,
    situation,
    churns,
    expands,
    endDate: isoDate(t.end),
    ...(t.signalsStart !== undefined ? { signalsStartOn: isoDate(t.signalsStart) } : {}),
  };
}
