/**
 * How an account's situation shapes its service signals over time: calm until the signals start,
 * then ramping over 60 days towards the situation's ticket volume, SLA breaches, reopens, negative
 * notes, feedback scores, hours and payment delays.
 */
import type { ContractIntent } from './dataset';

export type AccountSituation = ContractIntent['situation'];

/** The service signals of an account on one day. */
export interface Profile {
  volume: number;
  breach: number;
  reopen: number;
  negative: number;
  feedback: readonly number[];
  hoursFactor: number;
  payDelay: [number, number];
}

const CALM: Profile = {
  volume: 1,
  breach: 0.06,
  reopen: 0.04,
  negative: 0.03,
  feedback: [5, 5, 5, 4, 4, 4, 3],
  hoursFactor: 1,
  payDelay: [3, 28],
};

/** The signals of an account on `day`. */
export function accountProfile(
  situation: AccountSituation,
  day: number,
  signalsDay: number | undefined,
  endDay: number,
): Profile {
  if (signalsDay === undefined || day < signalsDay) return CALM;
  const ramp = Math.min(1, (day - signalsDay) / 60);
  switch (situation) {
    case 'churn':
      return {
        volume: 1 + 1.4 * ramp,
        breach: 0.06 + 0.4 * ramp,
        reopen: 0.04 + 0.22 * ramp,
        negative: 0.03 + 0.45 * ramp,
        feedback: ramp > 0.3 ? [1, 1, 2, 2, 3] : [3, 4, 4],
        hoursFactor: 1.1,
        payDelay: day - signalsDay > 30 && day < endDay + 60 ? [40, 110] : [5, 35],
      };
    case 'at-risk':
      return {
        volume: 1 + 0.45 * ramp,
        breach: 0.06 + 0.16 * ramp,
        reopen: 0.04 + 0.1 * ramp,
        negative: 0.03 + 0.12 * ramp,
        feedback: [2, 3, 3, 4, 4],
        hoursFactor: 1.05,
        payDelay: [5, 50],
      };
    case 'expanding':
      return { ...CALM, volume: 1 + 0.4 * ramp, feedback: [4, 5, 5, 5], negative: 0.01 };
    case 'overrunning':
      return { ...CALM, volume: 1 + 0.8 * ramp, hoursFactor: 1.35 };
    default:
      return CALM;
  }
}
