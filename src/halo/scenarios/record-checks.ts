/**
 * Reads what HaloPSA records show, the way a client sees them, to check the library's labels:
 * when a project's slip or overrun first becomes visible, and whether a contract was renewed.
 * Works on served records only (list rows and full records), never on the generator's plans.
 */
import { dayOf } from '../simulator/calendar';
import type { HaloRecord } from '../simulator/record-collection';

/** The records of one project as a client reads them. */
export interface ProjectRecords {
  /** `GET /api/Tickets/{id}` of the project (with `milestones[]`). */
  full: HaloRecord;
  /** `GET /api/Tickets?parent_id={id}`. */
  tasks: HaloRecord[];
  /** Timesheet events booked against the project's tasks. */
  events: HaloRecord[];
}

/** First days (day numbers) a slip and an overrun show in the records, up to `lastDay`. */
export interface RecordVisibility {
  slipOn?: number;
  overrunOn?: number;
}

const day = (v: unknown): number => dayOf(String(v));

/**
 * A slip shows the day after a milestone's target date when, by the end of that target day, not
 * all of its tasks were closed. An overrun shows on the day of the time entry that takes the hours
 * booked on the project's tasks above `projecttimebudget` (never when no budget is set).
 */
export function recordVisibility(p: ProjectRecords, lastDay: number): RecordVisibility {
  let slipOn: number | undefined;
  const milestones = (p.full.milestones as HaloRecord[] | undefined) ?? [];
  for (const m of milestones) {
    if (!m.target_date) continue;
    const target = day(m.target_date);
    if (target + 1 > lastDay) continue;
    const members = p.tasks.filter((t) => Number(t.milestone_id) === Number(m.id));
    const late = members.some((t) => !t.dateclosed || day(t.dateclosed) > target);
    if (late) slipOn = Math.min(slipOn ?? Infinity, target + 1);
  }
  let overrunOn: number | undefined;
  const budget = Number(p.full.projecttimebudget ?? 0);
  if (budget > 0) {
    const sorted = [...p.events].sort(
      (a, b) => Date.parse(String(a.start_date)) - Date.parse(String(b.start_date)),
    );
    let sum = 0;
    for (const e of sorted) {
      sum += Number(e.timetaken);
      if (sum > budget + 1e-9) {
        overrunOn = day(e.start_date);
        break;
      }
    }
  }
  return {
    ...(slipOn !== undefined ? { slipOn } : {}),
    ...(overrunOn !== undefined ? { overrunOn } : {}),
  };
}

/** What the contract records say about a contract's renewal. */
export interface RenewalRecords {
  ended: boolean;
  /** A managed-services contract of the same client starting the day after this one ends. */
  successor?: HaloRecord;
  /** Any managed-services contract of the same client starting after this one ends. */
  laterContracts: number;
}

/** Reads a contract's renewal from the client's contracts as served. */
export function renewalRecords(
  contractId: number,
  contracts: readonly HaloRecord[],
  asOfDay: number,
): RenewalRecords {
  const focus = contracts.find((c) => Number(c.id) === contractId);
  if (!focus) throw new Error(`Contract ${contractId} is not served`);
  const end = day(focus.end_date);
  const same = contracts.filter(
    (c) =>
      Number(c.client_id) === Number(focus.client_id) &&
      c.contracttype_name === focus.contracttype_name &&
      Number(c.id) !== contractId,
  );
  const later = same.filter((c) => day(c.start_date) > end);
  const successor = later.find((c) => day(c.start_date) === end + 1);
  return {
    ended: end < asOfDay,
    laterContracts: later.length,
    ...(successor ? { successor } : {}),
  };
}
