/**
 * Uplift opportunities found in a contract's own data: recurring issue themes (a ticket category
 * above a threshold month after month), service overruns (hours beyond the entitlement in most of
 * the last months, still going) and under-scoped entitlements (billed quantity below what is
 * observed in use). Each carries an estimated monthly uplift and the evidence behind it in plain
 * numbers, and a status (proposed → accepted / declined) so conversion can be measured.
 *
 * An uplift is never pitched to a client that is leaving: while the contract is in the churn band
 * ({@link churnBand}) nothing is proposed, and what was proposed is withdrawn.
 */
import { type IsoDate } from '../shared/dates';
import { round } from '../shared/numbers';
import {
  addMonths,
  hoursByMonth,
  intakeExceptions,
  monthOf,
  ticketsByMonth,
  type ContractFacts,
  type MonthKey,
} from './contract-facts';
import { type ChurnBand } from './churn-flagging';
import { type RenewalPolicy } from './renewal-policy';

/** Kinds of uplift. */
export type UpliftKind = 'recurring-theme' | 'service-overrun' | 'under-scoped';

/**
 * Lifecycle of an opportunity: `withdrawn` when the contract entered the churn band before the
 * customer answered (proposed again if the evidence still holds once it has left the band).
 */
export type UpliftStatus = 'proposed' | 'accepted' | 'declined' | 'withdrawn';

/** One uplift opportunity on one contract. */
export interface UpliftOpportunity {
  /** Stable id: `<contractId>:<kind>:<subject>` so re-detection does not duplicate it. */
  id: string;
  kind: UpliftKind;
  contractId: string;
  clientId: string;
  /** The category, item or `hours` the opportunity is about. */
  subject: string;
  /** Estimated extra recurring revenue per month, rounded to cents. */
  estimatedMonthlyUplift: number;
  /** Human-readable lines with the numbers behind the estimate. */
  evidence: string[];
  status: UpliftStatus;
  detectedOn: IsoDate;
  decidedOn: IsoDate | null;
  decidedBy: string | null;
  /** Why the customer accepted or declined, as the account manager recorded it. */
  decisionReason?: string | null;
}

function opportunity(
  facts: ContractFacts,
  asOf: IsoDate,
  kind: UpliftKind,
  subject: string,
  uplift: number,
  evidence: string[],
): UpliftOpportunity {
  return {
    id: `${facts.contractId}:${kind}:${subject.toLowerCase()}`,
    kind,
    contractId: facts.contractId,
    clientId: facts.clientId,
    subject,
    estimatedMonthlyUplift: round(uplift, 2),
    evidence,
    status: 'proposed',
    detectedOn: asOf,
    decidedOn: null,
    decidedBy: null,
  };
}

/** Last `n` complete months before the month of `asOf`, oldest first. */
function completeMonths(asOf: IsoDate, n: number): MonthKey[] {
  const current = monthOf(asOf);
  const out: MonthKey[] = [];
  for (let i = n; i >= 1; i -= 1) out.push(addMonths(current, -i));
  return out;
}

/**
 * True when all of month `m` falls in the contract's own term. An uplift changes this contract's
 * terms, so its evidence is what happened under them: a renewal that has just taken an uplift (or a
 * new contract) shows nothing of its own until months of its term have passed.
 */
function withinTerm(facts: ContractFacts, m: MonthKey): boolean {
  return `${m}-01` >= facts.startDate;
}

/** The `n` complete months before the month the contract's term began, oldest first. */
function termMonthsBefore(facts: ContractFacts, n: number): MonthKey[] {
  const start = monthOf(facts.startDate);
  const out: MonthKey[] = [];
  for (let i = n; i >= 1; i -= 1) out.push(addMonths(start, -i));
  return out;
}

/**
 * Recurring issue themes: a category with at least `minTicketsPerMonth` tickets in at least
 * `minMonths` of the last `windowMonths` complete months of the contract's term, raised on the
 * client's main contract only (the tickets are the client's, whichever contract they fall under). Estimate: average tickets per month in
 * the category × `valuePerTicket` (the monthly value of a managed fix or service for that theme).
 */
export function recurringThemes(
  facts: ContractFacts,
  asOf: IsoDate,
  policy: RenewalPolicy,
): UpliftOpportunity[] {
  const p = policy.uplift.recurringTheme;
  if (!facts.mainForClient) return [];
  const months = completeMonths(asOf, p.windowMonths);
  const byMonth = ticketsByMonth(facts);
  if (!months.every((m) => byMonth.has(m) && withinTerm(facts, m))) return [];
  const excluded = new Set(p.excludedCategories.map((c) => c.toLowerCase()));
  const categories = new Set<string>();
  for (const m of months) {
    for (const c of Object.keys(byMonth.get(m)?.categories ?? {})) categories.add(c);
  }
  const out: UpliftOpportunity[] = [];
  for (const category of [...categories].sort()) {
    if (excluded.has(category.toLowerCase())) continue;
    const counts = months.map((m) => byMonth.get(m)?.categories[category] ?? 0);
    const above = counts.filter((c) => c >= p.minTicketsPerMonth).length;
    if (above < p.minMonths) continue;
    // A theme already recurring in the months before this term began was the renewal's business
    // (priced into the terms the client has just agreed, or declined then): pitched once, not again.
    const before = termMonthsBefore(facts, p.windowMonths).filter((m) => byMonth.has(m));
    const beforeAbove = before.filter(
      (m) => (byMonth.get(m)?.categories[category] ?? 0) >= p.minTicketsPerMonth,
    ).length;
    if (before.length === p.windowMonths && beforeAbove >= p.minMonths) continue;
    const avg = counts.reduce((a, b) => a + b, 0) / counts.length;
    const uplift = avg * p.valuePerTicket;
    out.push(
      opportunity(facts, asOf, 'recurring-theme', category, uplift, [
        `"${category}" tickets per month ${months[0]}…${months[months.length - 1]}: ${counts.join(', ')}`,
        `${above} of ${months.length} months at or above ${p.minTicketsPerMonth} tickets (threshold: ${p.minMonths})`,
        `Estimate: ${round(avg, 1)} tickets/month × ${p.valuePerTicket} per ticket = ${round(uplift, 2)}/month`,
      ]),
    );
  }
  return out;
}

/**
 * Service overrun: hours above the entitlement (beyond `tolerance`) in at least `minMonths` of the
 * last `windowMonths` complete months, the last complete month among them (the pattern is still
 * going; one spike month, or a spike straddling two months, is not a pattern). The month to date is
 * not judged: a partial month cannot show a month's use. Estimate: average excess hours per month
 * over the months above the entitlement × the contract's own hourly rate (monthly value / included
 * hours), or the policy's fallback rate.
 */
export function serviceOverrun(
  facts: ContractFacts,
  asOf: IsoDate,
  policy: RenewalPolicy,
): UpliftOpportunity | null {
  const p = policy.uplift.overrun;
  const ent = facts.entitlementHoursPerMonth;
  if (ent === null || ent <= 0) return null;
  const hours = hoursByMonth(facts);
  const limit = ent * (1 + p.tolerance);
  const months = completeMonths(asOf, p.windowMonths);
  if (!months.every((m) => withinTerm(facts, m))) return null;
  const used = months.map((m) => hours.get(m));
  // Hours counted like events (as the churn judgement does): a month is over only when the least
  // use it is consistent with is, so a small contract's noisy month is not an overrun.
  const z = policy.churn.noiseZ;
  const over = months.filter((_m, i) => {
    const h = used[i] ?? 0;
    return h - z * Math.sqrt(h) > limit;
  });
  const last = months[months.length - 1];
  if (last === undefined || !over.includes(last) || over.length < p.minMonths) return null;
  const excess = over.map((m) => (hours.get(m) ?? 0) - ent);
  const avgExcess = excess.reduce((a, b) => a + b, 0) / excess.length;
  const ownRate = facts.monthlyValue > 0 ? facts.monthlyValue / ent : null;
  const rate = ownRate ?? p.fallbackHourlyRate;
  const uplift = avgExcess * rate;
  const shown = used.map((h) => (h === undefined ? 'no data' : String(round(h, 1))));
  return opportunity(facts, asOf, 'service-overrun', 'hours', uplift, [
    `Hours used ${months[0]}…${last}: ${shown.join(', ')} vs ${ent} included per month`,
    `${over.length} of ${months.length} months over entitlement, ${last} among them (+${Math.round(p.tolerance * 100)} % tolerance; threshold: ${p.minMonths} of ${p.windowMonths})`,
    `Estimate: ${round(avgExcess, 1)} excess hours/month × ${round(rate, 2)}/hour (${
      ownRate === null ? 'policy fallback rate' : 'contract value ÷ included hours'
    }) = ${round(uplift, 2)}/month`,
  ]);
}

/**
 * Under-scoped entitlements: a billed item whose observed quantity exceeds the billed quantity by
 * more than `tolerance` and at least `minShortfall` units. Estimate: shortfall × the billed unit
 * price. Observed items with no billed line cannot be priced and are not proposed.
 */
export function underScoped(
  facts: ContractFacts,
  asOf: IsoDate,
  policy: RenewalPolicy,
): UpliftOpportunity[] {
  const p = policy.uplift.underScoped;
  const billed = new Map<string, { item: string; qty: number; value: number }>();
  for (const b of facts.billedQuantities) {
    const key = b.item.trim().toLowerCase();
    const cur = billed.get(key) ?? { item: b.item, qty: 0, value: 0 };
    cur.qty += b.qty;
    cur.value += b.qty * b.unitPrice;
    billed.set(key, cur);
  }
  const observed = new Map<string, { qty: number; source: string }>();
  for (const o of facts.observedQuantities) {
    const key = o.item.trim().toLowerCase();
    const cur = observed.get(key);
    // Several sources for one item: the largest observation is the evidence of use.
    if (!cur || o.qty > cur.qty) observed.set(key, { qty: o.qty, source: o.source });
  }
  const out: UpliftOpportunity[] = [];
  for (const [key, b] of [...billed.entries()].sort(([a], [c]) => a.localeCompare(c))) {
    const o = observed.get(key);
    if (!o || b.qty <= 0) continue;
    const shortfall = o.qty - b.qty;
    if (shortfall < p.minShortfall || o.qty <= b.qty * (1 + p.tolerance)) continue;
    const unitPrice = b.value / b.qty;
    const uplift = shortfall * unitPrice;
    out.push(
      opportunity(facts, asOf, 'under-scoped', b.item, uplift, [
        `Billed ${b.qty} × ${b.item} at ${round(unitPrice, 2)}; observed ${o.qty} (${o.source})`,
        `Shortfall ${shortfall} (${round((100 * shortfall) / b.qty, 1)} % over billed; tolerance ${Math.round(p.tolerance * 100)} %)`,
        `Estimate: ${shortfall} × ${round(unitPrice, 2)} = ${round(uplift, 2)}/month`,
      ]),
    );
  }
  return out;
}

/**
 * Every uplift opportunity on a contract as of `asOf`, largest first. None while the contract has
 * intake exceptions (missing mandatory data never drives an automated proposal).
 */
export function detectUplift(
  facts: ContractFacts,
  asOf: IsoDate,
  policy: RenewalPolicy,
): UpliftOpportunity[] {
  if (intakeExceptions(facts).length > 0) return [];
  const overrun = serviceOverrun(facts, asOf, policy);
  return [
    ...recurringThemes(facts, asOf, policy),
    ...(overrun ? [overrun] : []),
    ...underScoped(facts, asOf, policy),
  ].sort((a, b) => b.estimatedMonthlyUplift - a.estimatedMonthlyUplift || a.id.localeCompare(b.id));
}

/** What to propose on a contract as of `asOf`, or why nothing is. */
export interface UpliftProposals {
  /** Detected opportunities to propose (empty while withheld). */
  opportunities: UpliftOpportunity[];
  /** Why detected opportunities are not proposed (the churn band's reason); null when they are. */
  withheld: string | null;
}

/**
 * The uplift to propose on a contract: every detected opportunity, unless the contract is in the
 * churn band — an uplift is not pitched to a client whose own signals say it is leaving.
 */
export function proposeUplift(
  facts: ContractFacts,
  asOf: IsoDate,
  policy: RenewalPolicy,
  band: ChurnBand,
): UpliftProposals {
  const detected = detectUplift(facts, asOf, policy);
  if (band.inBand && detected.length > 0) {
    return { opportunities: [], withheld: `Uplift withheld: ${band.reason ?? 'churn band'}` };
  }
  return { opportunities: detected, withheld: null };
}

/**
 * Withdraw the still-proposed opportunities of a contract in the churn band (the customer has not
 * answered; the pitch is off while the client may be leaving). Decided ones keep their answer.
 */
export function withdrawUplift(
  known: readonly UpliftOpportunity[],
  band: ChurnBand,
  on: IsoDate,
): { opportunities: UpliftOpportunity[]; withdrawn: UpliftOpportunity[] } {
  if (!band.inBand) return { opportunities: [...known], withdrawn: [] };
  const withdrawn: UpliftOpportunity[] = [];
  const opportunities = known.map((o) => {
    if (o.status !== 'proposed') return o;
    const w: UpliftOpportunity = { ...o, status: 'withdrawn', decidedOn: on, decidedBy: null };
    withdrawn.push(w);
    return w;
  });
  return { opportunities, withdrawn };
}

/**
 * Merge a fresh detection into the known opportunities: known ids keep their status (a declined
 * theme is not re-proposed) and, while still proposed, take the fresh evidence and estimate; new ids,
 * and withdrawn ones whose evidence still holds, are returned as `newlyProposed` (what the replay
 * prints as `uplift.proposed`).
 */
export function mergeUplift(
  known: readonly UpliftOpportunity[],
  detected: readonly UpliftOpportunity[],
): { opportunities: UpliftOpportunity[]; newlyProposed: UpliftOpportunity[] } {
  const byId = new Map(known.map((o) => [o.id, o]));
  const newlyProposed: UpliftOpportunity[] = [];
  for (const d of detected) {
    const k = byId.get(d.id);
    if (!k || k.status === 'withdrawn') {
      byId.set(d.id, d);
      newlyProposed.push(d);
    } else if (k.status === 'proposed') {
      byId.set(d.id, {
        ...k,
        estimatedMonthlyUplift: d.estimatedMonthlyUplift,
        evidence: d.evidence,
      });
    }
  }
  return { opportunities: [...byId.values()], newlyProposed };
}

/** Record the customer's answer on a proposed opportunity; refused once decided. */
export function decideUplift(
  opp: UpliftOpportunity,
  decision: { status: 'accepted' | 'declined'; by: string; on: IsoDate },
): { ok: true; opportunity: UpliftOpportunity } | { ok: false; reason: 'already-decided' } {
  if (opp.status !== 'proposed') return { ok: false, reason: 'already-decided' };
  return {
    ok: true,
    opportunity: {
      ...opp,
      status: decision.status,
      decidedBy: decision.by,
      decidedOn: decision.on,
    },
  };
}
