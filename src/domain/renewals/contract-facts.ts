/**
 * The as-of view of one service contract (HaloPSA `ClientContract`) that the renewal engine consumes.
 *
 * An app-layer loader builds it from the synced HaloPSA mirror: the contract (full record), its
 * client, the client's tickets and their actions (notes, feedback), timesheet events, recurring
 * invoices (billed lines), invoices (due dates and payments) and the health of the client's projects.
 *
 * The contract with the loader: every field describes the contract **as of `asOf`** — no ticket,
 * action, time entry, invoice or payment dated after `asOf` may contribute. "Overdue" is judged with
 * payments dated on or before `asOf`, not HaloPSA's current `paymentstatus`. With that contract the
 * engine never sees future data and a day-by-day replay is honest.
 *
 * Months are calendar months in UTC, keyed `YYYY-MM`. The loader emits one entry for **every** month
 * the client was served within the last 24 months (up to and including the month of `asOf`, which is
 * usually partial), including months with zero tickets or hours; a missing month means "no data"
 * (not yet a client, not synced), never "zero". Identifiers are strings; money is in the tenant's
 * currency; dates are ISO `YYYY-MM-DD`.
 */
import type { Rag } from '../delivery/health-score';
import { addDays, dayNumber, type IsoDate } from '../shared/dates';

export type { IsoDate } from '../shared/dates';

/** A calendar month, `YYYY-MM`. */
export type MonthKey = string;

/** Ticket aggregates for one calendar month (tickets logged by the contract's client). */
export interface TicketMonth {
  month: MonthKey;
  /** Tickets opened (HaloPSA `dateoccurred` in the month; projects and their tasks excluded). */
  opened: number;
  /** Of those, opened at the top priority (P1). */
  p1: number;
  /** Tickets whose SLA was judged in the month (fix-by date in the month, `excludefromsla` false)… */
  slaTotal: number;
  /** …and of them, the ones fixed on time. */
  slaMet: number;
  /** Tickets re-opened in the month (a status-change action from closed back to open). */
  reopened: number;
  /** Opened tickets per category (HaloPSA category / ticket type name). */
  categories: Record<string, number>;
  /** Customer feedback / survey scores received in the month, normalised by the loader to 1–5. */
  feedbackScores: number[];
  /** Negative-language hits in customer-visible notes in the month ({@link negativeHitCount}). */
  negativeNoteHits: number;
}

/** Hours logged against the contract (timesheet events with its `contract_id`) in one month. */
export interface HoursMonth {
  month: MonthKey;
  hours: number;
}

/** A billed line on the contract's recurring invoice. */
export interface BilledQuantity {
  /** Item key shared with {@link ObservedQuantity.item} (e.g. `user`, `device`, `server`). */
  item: string;
  qty: number;
  /** Price per unit per month. */
  unitPrice: number;
}

/** What the data shows is actually in use, e.g. distinct users raising tickets or managed devices. */
export interface ObservedQuantity {
  item: string;
  qty: number;
  /** Where the figure comes from, for the evidence line (e.g. `distinct ticket users, 90 days`). */
  source: string;
}

/** Invoices unpaid past their due date as of `asOf`. */
export interface OverdueInvoices {
  count: number;
  amount: number;
  /** Days the oldest unpaid invoice is past its due date (0 when none). */
  oldestDaysOverdue: number;
}

/**
 * How late the client paid in one month: the most days any of its invoices had been past its due
 * date, unpaid, on any day of the month up to `asOf`. An invoice paid 70 days late shows in every
 * month it was overdue, even after it has been paid; 0 when nothing was overdue in the month.
 */
export interface PaymentLatenessMonth {
  month: MonthKey;
  worstDaysOverdue: number;
}

/** RAG of the client's projects (from the delivery engine), summarised. */
export interface ProjectHealthSummary {
  worstRag: Rag;
  redCount: number;
  amberCount: number;
}

/** Everything the renewal engine needs to know about one contract as of one day. */
export interface ContractFacts {
  contractId: string;
  clientId: string;
  clientName: string;
  /** The client's account manager (HaloPSA `accountmanagertech`), owner of the renewal. */
  accountManagerAgentId: string | null;
  /** Contract reference (HaloPSA `ref`). */
  ref: string;
  /** Contract type (HaloPSA `contracttype_name`), used to find similar contracts. */
  contractType: string | null;
  startDate: IsoDate;
  /** Last day of the term; null for rolling / evergreen contracts (a data-quality exception). */
  endDate: IsoDate | null;
  /** Recurring charge normalised to one month ({@link monthlyAmount} of `periodchargeamount`). */
  monthlyValue: number;
  /** Cost to serve per month (`costperperiod` normalised), when known. */
  monthlyCost: number | null;
  /** Included hours per month (`chargehoursperperiod` normalised); null when not hours-based. */
  entitlementHoursPerMonth: number | null;
  /** Unused prepaid balance in money (`contract_prepaybalance`); null when not a prepay contract. */
  prepayBalance: number | null;
  /** Ticket aggregates per month, oldest first (see the month convention above). */
  tickets: TicketMonth[];
  /** Hours used per month, oldest first; empty when the contract does not track hours. */
  hoursUsedByMonth: HoursMonth[];
  billedQuantities: BilledQuantity[];
  observedQuantities: ObservedQuantity[];
  /** Null when no invoice has been issued to the client yet (missing commercial data). */
  overdueInvoices: OverdueInvoices | null;
  /**
   * Payment lateness per month over the ticket months, oldest first; empty when no invoice had been
   * issued to the client.
   */
  paymentLatenessByMonth: PaymentLatenessMonth[];
  /** Null when the client has no projects. */
  projectHealth: ProjectHealthSummary | null;
  /**
   * True when this is the client's main contract on the day (the largest recurring charge among its
   * running contracts): evidence about the client as a whole (ticket themes) is raised on it once,
   * not again on every add-on.
   */
  mainForClient: boolean;
  /** Problems the loader found in the source records (partial records, unparseable dates…). */
  dataQualityIssues: string[];
}

/** The month key of a date. */
export function monthOf(date: IsoDate): MonthKey {
  return date.slice(0, 7);
}

/** `month` shifted by `n` months (negative moves back). */
export function addMonths(month: MonthKey, n: number): MonthKey {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7)) - 1 + n;
  const year = y + Math.floor(m / 12);
  const mm = ((m % 12) + 12) % 12;
  return `${String(year).padStart(4, '0')}-${String(mm + 1).padStart(2, '0')}`;
}

/** Whole months from `from` to `to` (positive when `to` is later). */
export function monthsBetween(from: MonthKey, to: MonthKey): number {
  const a = Number(from.slice(0, 4)) * 12 + Number(from.slice(5, 7));
  const b = Number(to.slice(0, 4)) * 12 + Number(to.slice(5, 7));
  return b - a;
}

/** Number of days in a month. */
export function daysInMonth(month: MonthKey): number {
  const first = `${month}-01`;
  return dayNumber(`${addMonths(month, 1)}-01`) - dayNumber(first);
}

/** The last day of a month. */
export function lastDayOfMonth(month: MonthKey): IsoDate {
  return addDays(`${addMonths(month, 1)}-01`, -1);
}

/**
 * Share of `month` that has elapsed as of `asOf` (days observed / days in month): 1 for past months,
 * `day / days` for the month of `asOf` (the day itself counts), 0 for later months.
 */
export function monthCoverage(month: MonthKey, asOf: IsoDate): number {
  const current = monthOf(asOf);
  if (month < current) return 1;
  if (month > current) return 0;
  return Number(asOf.slice(8, 10)) / daysInMonth(month);
}

/** A period charge expressed per month (e.g. a quarterly charge divided by 3). */
export function monthlyAmount(periodAmount: number, periodMonths: number): number {
  return periodMonths > 0 ? periodAmount / periodMonths : periodAmount;
}

/**
 * Guard for the as-of contract: drops month entries after the month of `asOf`, so a loader bug
 * cannot leak future data into a judgement.
 */
export function factsAsOf(facts: ContractFacts, asOf: IsoDate): ContractFacts {
  const last = monthOf(asOf);
  return {
    ...facts,
    tickets: facts.tickets.filter((t) => t.month <= last),
    hoursUsedByMonth: facts.hoursUsedByMonth.filter((h) => h.month <= last),
  };
}

/**
 * Data-quality exceptions that stop automated actions (SPEC §4: missing mandatory fields are listed,
 * never acted on): no end date, no owner, no value, inconsistent dates, plus the loader's own issues.
 */
export function intakeExceptions(facts: ContractFacts): string[] {
  const out: string[] = [];
  if (facts.endDate === null) out.push('Contract has no end date');
  if (facts.accountManagerAgentId === null)
    out.push('Client has no account manager (renewal owner)');
  if (!(facts.monthlyValue > 0)) out.push('Contract has no recurring value');
  if (facts.endDate !== null && facts.endDate < facts.startDate) {
    out.push('Contract end date is before its start date');
  }
  return [...out, ...facts.dataQualityIssues];
}

/** The month entries of `facts.tickets`, indexed by month. */
export function ticketsByMonth(facts: ContractFacts): Map<MonthKey, TicketMonth> {
  return new Map(facts.tickets.map((t) => [t.month, t]));
}

/** The hours entries of `facts.hoursUsedByMonth`, indexed by month. */
export function hoursByMonth(facts: ContractFacts): Map<MonthKey, number> {
  return new Map(facts.hoursUsedByMonth.map((h) => [h.month, h.hours]));
}
