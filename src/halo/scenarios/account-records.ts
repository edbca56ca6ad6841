/**
 * Writes one managed-services account as HaloPSA records: the client and its site, its contracts
 * (previous, the one up for renewal, a successor when it renews, add-ons), monthly invoices with
 * paid dates, recurring invoices, and service tickets with actions, feedback and time entries.
 */
import { DAY_MS, dayMs, HOUR_MS, isoLocal, isoZ, monthStart } from '../simulator/calendar';
import { CATEGORIES, PRIORITIES, STATUS, TICKET_TYPE } from '../simulator/lookups';
import { siteIdOf } from '../simulator/names';
import type { Rng } from '../simulator/prng';
import type { HaloRecord } from '../simulator/record-collection';
import { round2, TICKET_KIND } from '../simulator/ticket-store';
import { CHURNS, serviceOn, type AccountTimeline, type ServiceState } from './account-archetypes';
import type { ScenarioBook } from './scenario-book';

/** Custom field ids of the actual user and device counts on a client. */
export const CF_USER_COUNT_ID = 101;
export const CF_DEVICE_COUNT_ID = 102;

/** Records of one account for the small collections. */
export interface AccountRecords {
  client: HaloRecord;
  site: HaloRecord;
  contracts: HaloRecord[];
  recurringInvoices: HaloRecord[];
  invoices: HaloRecord[];
  /** The contract whose renewal is the question. */
  focusContractId: number;
  /** The contract that succeeded it, when it renewed. */
  successorId?: number;
}

/** Id counters shared by all accounts. */
export interface AccountIds {
  contract: () => number;
  invoice: () => number;
  line: () => number;
}

const SUMMARIES: ReadonlyArray<readonly string[]> = [
  ['Mailbox full warning', 'Calendar delegate access', 'External emails delayed'],
  ['Wi-Fi drops in meeting room', 'Branch VPN tunnel down', 'Slow network at reception'],
  ['Nightly backup failed', 'Restore a deleted spreadsheet', 'Backup agent offline'],
  ['Suspicious login alert', 'Reset MFA for user', 'Phishing email reported'],
  ['Laptop battery failing', 'Replace broken keyboard', 'Monitor flickering'],
  ['Install Visio', 'Office keeps asking to activate', 'Teams will not start'],
  ['Password reset', 'Add user to shared drive', 'Leaver: disable account'],
  ['Printer jam on 2nd floor', 'Scan to folder not working', 'Add printer for new PC'],
  ['Accounts system slow', 'CRM sync errors', 'Practice management app crashing'],
  ['Cannot connect to RDS', 'Home worker VPN failing', 'Remote desktop freezes'],
];

const NEUTRAL_REPLIES = [
  'Thanks, any update on this?',
  'Thanks, that works now.',
  'Can you call me back this afternoon?',
];
const NEGATIVE_REPLIES = [
  'This is the third time this has happened this month.',
  'Still not working - very frustrating for the team.',
  'We are not happy with how long this is taking.',
  'This keeps happening and nobody has found the root cause.',
  'Honestly we expected better from a managed service.',
];
const GOOD_FEEDBACK = [
  'Quick and friendly, thanks.',
  'Sorted first time, great.',
  'Very helpful engineer.',
];
const POOR_FEEDBACK = [
  'Took far too long.',
  'Had to chase several times.',
  'Problem came back the next day.',
];

export interface AccountPlan {
  clientId: number;
  clientName: string;
  accountManager: number;
  timeline: AccountTimeline;
  users: number;
  devices: number;
  /** Category index of the client's recurring theme (overruns). */
  themeCategory: number;
}

/** Calendar months added to a day (day of month clamped). */
export function addMonths(day: number, months: number): number {
  const d = new Date(dayMs(day));
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return Math.floor(Date.UTC(y, m, Math.min(d.getUTCDate(), last)) / DAY_MS);
}

interface ContractTerms {
  id: number;
  start: number;
  end: number;
  termMonths: number;
  users: number;
  devices: number;
  userPrice: number;
  devicePrice: number;
  entitlementHours: number;
  signedOn: number;
  type: string;
  charge?: number;
}

/** Writes one account; `rng` is the account's own stream. */
export function writeAccount(
  book: ScenarioBook,
  plan: AccountPlan,
  rng: Rng,
  ids: AccountIds,
): AccountRecords {
  const t = plan.timeline;
  const { lastDay, asOfDay } = book;
  const churns = CHURNS.has(t.archetype);
  const userPrice = rng.int(52, 66);
  const devicePrice = rng.int(9, 14);
  const baseTicketsPerMonth = plan.users * 0.09;
  const entitlement = Math.max(4, Math.round(baseTicketsPerMonth * 1.1 * rng.float(1.3, 1.5)));
  const focusStart = addMonths(t.end + 1, -t.termMonths);
  const grown =
    t.archetype === 'under-billed' ? Math.round(plan.users * rng.float(1.3, 1.45)) : plan.users;

  const terms: ContractTerms[] = [];
  if (t.archetype !== 'new-client') {
    const prevStart = addMonths(focusStart, -12);
    terms.push({
      id: ids.contract(),
      start: prevStart,
      end: focusStart - 1,
      termMonths: 12,
      users: Math.round(plan.users * 0.95),
      devices: Math.round(plan.devices * 0.95),
      userPrice: userPrice - 2,
      devicePrice,
      entitlementHours: entitlement,
      signedOn: prevStart - rng.int(14, 40),
      type: 'Managed Services',
    });
  }
  const focus: ContractTerms = {
    id: ids.contract(),
    start: focusStart,
    end: t.end,
    termMonths: t.termMonths,
    users: plan.users,
    devices: plan.devices,
    userPrice,
    devicePrice,
    entitlementHours: entitlement,
    signedOn: focusStart - rng.int(14, 40),
    type: 'Managed Services',
  };
  terms.push(focus);
  let successor: ContractTerms | undefined;
  if (!churns) {
    const start = t.end + 1;
    const months = addMonths(start, 12) > lastDay + 150 ? 12 : 24;
    const uplift = t.archetype === 'overrun-expands';
    const concession = t.archetype === 'at-risk-saved' ? 0.95 : 1;
    successor = {
      id: ids.contract(),
      start,
      end: addMonths(start, months) - 1,
      termMonths: months,
      users: grown,
      devices: uplift ? Math.round(plan.devices * 1.1) : plan.devices,
      userPrice: Math.round((uplift ? userPrice * 1.12 : userPrice * 1.03) * concession),
      devicePrice,
      entitlementHours: uplift ? Math.round(entitlement * 1.6) : entitlement,
      signedOn: t.end - rng.int(14, 45),
      type: 'Managed Services',
    };
    terms.push(successor);
    if (rng.chance(0.4)) {
      terms.push({
        id: ids.contract(),
        start: focusStart,
        end: successor.end,
        termMonths: t.termMonths + months,
        users: 0,
        devices: 0,
        userPrice: 0,
        devicePrice: 0,
        entitlementHours: 0,
        signedOn: focusStart - rng.int(14, 40),
        type: 'Backup as a Service',
        charge: rng.int(4, 12) * 50,
      });
    }
  }

  const managedContracts = terms.filter((c) => c.type === 'Managed Services');
  const contractOn = (day: number): ContractTerms | undefined =>
    managedContracts.find((c) => day >= c.start && day <= c.end);
  const charge = (c: ContractTerms): number =>
    c.charge ?? round2(c.users * c.userPrice + c.devices * c.devicePrice);
  const linesOf = (c: ContractTerms): HaloRecord[] =>
    c.type === 'Managed Services'
      ? [
          line(ids.line(), 'Managed User (per user per month)', c.users, c.userPrice),
          line(ids.line(), 'Managed Device (per device per month)', c.devices, c.devicePrice),
        ]
      : [line(ids.line(), `${c.type} (monthly)`, 1, charge(c))];

  const contracts = terms.map((c) => contractRecord(book, plan, c, charge(c)));
  const recurringInvoices = terms.map((c) => ({
    id: ids.invoice(),
    client_id: plan.clientId,
    client_name: plan.clientName,
    invoicenumber: `RI-${c.id}`,
    contract_id: c.id,
    is_recurring_invoice: true,
    period: 'Monthly',
    nextcreationdate:
      c.end >= asOfDay && c.start <= asOfDay + 31 ? isoLocal(dayMs(monthStart(asOfDay, 1))) : null,
    invoice_date: isoLocal(dayMs(c.start)),
    total: charge(c),
    posted: false,
    lines: linesOf(c),
    last_update: isoZ(book.at(Math.min(c.signedOn + 3, lastDay), 10)),
  }));

  // Monthly invoices for managed services, paid per the account's payment habit.
  const invoices: HaloRecord[] = [];
  for (let m = monthStart(t.historyStart, 1); m <= lastDay; m = monthStart(m, 1)) {
    const c = contractOn(m);
    if (!c) continue;
    const due = m + 30;
    const [lo, hi] = serviceOn(t, m).pay;
    const paidOn = due + rng.int(lo, hi);
    const paid = paidOn <= lastDay;
    const total = charge(c);
    const id = ids.invoice();
    invoices.push({
      id,
      client_id: plan.clientId,
      client_name: plan.clientName,
      invoicenumber: `INV-${String(id).padStart(6, '0')}`,
      invoice_date: isoLocal(dayMs(m)),
      duedate: isoLocal(dayMs(due)),
      contract_id: c.id,
      total,
      amountpaid: paid ? total : 0,
      amountdue: paid ? 0 : total,
      paymentstatus: paid ? 2 : 0,
      datepaid: paid ? isoLocal(book.at(paidOn, 11)) : null,
      posted: true,
      is_recurring_invoice: false,
      lines: linesOf(c),
      last_update: isoZ(paid ? book.at(paidOn, 11) : book.at(m, 6)),
    });
  }

  writeServiceTickets(book, plan, rng, grown, contractOn);

  const created = t.archetype === 'new-client' ? focusStart - 21 : t.historyStart - 60;
  const updated =
    t.archetype === 'under-billed'
      ? lastDay - rng.int(3, 30)
      : Math.max(created, t.historyStart + 30);
  const client: HaloRecord = {
    id: plan.clientId,
    name: plan.clientName,
    inactive: false,
    toplevel_id: 1,
    toplevel_name: 'Managed Clients',
    accountmanagertech: plan.accountManager,
    accountmanagertech_name: book.names.agent(plan.accountManager),
    website: `https://www.${plan.clientName.toLowerCase().replace(/[^a-z0-9]+/g, '')}.example`,
    is_vip: plan.users > 110,
    customfields: [
      { id: CF_USER_COUNT_ID, name: 'CFUserCount', value: String(grown) },
      { id: CF_DEVICE_COUNT_ID, name: 'CFDeviceCount', value: String(plan.devices) },
    ],
    last_update: isoZ(book.at(Math.min(updated, lastDay), 10)),
  };
  const site: HaloRecord = {
    id: siteIdOf(plan.clientId),
    name: 'Head Office',
    client_id: plan.clientId,
    client_name: plan.clientName,
    last_update: isoZ(book.at(created, 10)),
  };
  return {
    client,
    site,
    contracts,
    recurringInvoices,
    invoices,
    focusContractId: focus.id,
    ...(successor ? { successorId: successor.id } : {}),
  };
}

function line(id: number, desc: string, qty: number, unit: number): HaloRecord {
  return {
    id,
    item_shortdescription: desc,
    qty_order: qty,
    unit_price: unit,
    net_amount: round2(qty * unit),
  };
}

function contractRecord(
  book: ScenarioBook,
  plan: AccountPlan,
  c: ContractTerms,
  charge: number,
): HaloRecord {
  const { asOfDay } = book;
  const expired = c.end < asOfDay;
  const active = !expired && c.start <= asOfDay;
  const signed = isoZ(book.at(c.signedOn, 10));
  const prefix = c.type === 'Managed Services' ? 'MSA' : 'BAK';
  return {
    id: c.id,
    client_id: plan.clientId,
    client_name: plan.clientName,
    ref: `${prefix}-${plan.clientId}-${c.id}`,
    start_date: isoLocal(dayMs(c.start)),
    end_date: isoLocal(dayMs(c.end)),
    expired,
    billingperiod: 'Monthly',
    status: expired ? 'Expired' : active ? 'Active' : 'Pending',
    contract_status: expired ? 2 : 1,
    periodchargeamount: charge,
    next_invoice_date: expired
      ? null
      : isoLocal(dayMs(monthStart(Math.max(asOfDay, c.start - 1), 1))),
    contracttype_name: c.type,
    active,
    last_modified: signed,
    customfields: [],
    termmonths: c.termMonths,
    rollingcontract: false,
    costperperiod: round2(charge * 0.66),
    chargehoursperperiod: c.entitlementHours,
    contract_prepaybalance: 0,
    last_update: signed,
  };
}

function pickPriority(rng: Rng, s: ServiceState): number {
  const r = rng.next();
  if (r < s.p1) return 1;
  if (r < s.p1 + s.p2) return 2;
  return r < s.p1 + s.p2 + 0.45 ? 3 : 4;
}

function writeServiceTickets(
  book: ScenarioBook,
  plan: AccountPlan,
  rng: Rng,
  grownUsers: number,
  contractOn: (day: number) => ContractTerms | undefined,
): void {
  const t = plan.timeline;
  const churns = CHURNS.has(t.archetype);
  const stop = churns ? t.end : book.lastDay;
  const perDay = (plan.users * 0.09 * 12) / 365;
  const engineers = book.staff.engineers;
  for (let day = t.historyStart; day <= stop; day++) {
    const dow = new Date(dayMs(day)).getUTCDay();
    if (dow === 0 || dow === 6) continue;
    const s = serviceOn(t, day);
    const n = rng.poisson(perDay * s.volume * 1.4);
    for (let k = 0; k < n; k++) {
      const theme = rng.chance(s.theme);
      const category = theme ? plan.themeCategory : rng.int(0, CATEGORIES.length - 1);
      const summary = rng.pick(SUMMARIES[category] ?? ['Support request']);
      logTicket(book, plan, rng, s, day, category, summary, contractOn(day)?.id ?? 0, engineers);
    }
  }
  // An unhappy client also complains directly, whatever its size: about monthly through its rough
  // patch (up to the notice for a churn, up to the service review for a save).
  const roughUntil =
    t.archetype === 'churn-with-warning'
      ? (t.turningPoint ?? t.end) - 5
      : t.archetype === 'at-risk-saved'
        ? (t.turningPoint ?? 0) - 3
        : undefined;
  if (roughUntil !== undefined && t.signalsStart !== undefined) {
    for (
      let d = t.signalsStart + rng.int(7, 20);
      d < Math.min(roughUntil, stop);
      d += rng.int(24, 36)
    ) {
      const day = weekday(d);
      const category = rng.int(0, CATEGORIES.length - 1);
      const issue = rng.pick(SUMMARIES[category] ?? ['Support request']).toLowerCase();
      logTicket(
        book,
        plan,
        rng,
        COMPLAINT,
        day,
        category,
        `Complaint: ${issue} again`,
        contractOn(day)?.id ?? 0,
        engineers,
      );
    }
  }
  // New starters beyond the billed user count (under-billed), spread from the signals onwards.
  if (t.archetype === 'under-billed' && t.signalsStart !== undefined) {
    const extra = grownUsers - plan.users;
    const span = stop - t.signalsStart;
    for (let k = 0; k < extra; k++) {
      const day = weekday(t.signalsStart + Math.floor((span * (k + rng.next())) / extra));
      if (day > stop) continue;
      logTicket(
        book,
        plan,
        rng,
        BASELINE_SERVICE,
        day,
        6,
        'New starter setup: create account, licence and laptop',
        contractOn(day)?.id ?? 0,
        engineers,
        TICKET_TYPE.serviceRequest,
      );
    }
  }
  const note = (day: number, summary: string, body: string, agent: number): void => {
    const at = book.at(day, 10);
    const id = book.tickets.add({
      kind: TICKET_KIND.service,
      client: plan.clientId,
      agent,
      status: STATUS.closed,
      type: TICKET_TYPE.serviceRequest,
      priority: 4,
      category: 6,
      summary: book.tickets.text.intern(summary),
      details: book.tickets.text.intern(body),
      occurred: at,
      closed: at + 2 * HOUR_MS,
      sla: 1,
      slapct: 3,
      response: at + HOUR_MS,
      lastUpdate: at + 2 * HOUR_MS,
      lastAction: at + 2 * HOUR_MS,
      contract: contractOn(day)?.id ?? 0,
    });
    book.actions.add({
      ticketId: id,
      at,
      outcome: 'Note',
      note: body,
      agentId: agent,
      clientId: plan.clientId,
      newStatus: STATUS.new,
    });
    book.actions.add({
      ticketId: id,
      at: at + 2 * HOUR_MS,
      outcome: 'Closed',
      note: 'Logged for the account record.',
      agentId: agent,
      clientId: plan.clientId,
      newStatus: STATUS.closed,
    });
  };
  if (t.turningPoint !== undefined && t.turningPoint <= book.lastDay) {
    const day = weekday(t.turningPoint);
    if (t.archetype === 'at-risk-saved') {
      note(
        day,
        'Service review meeting',
        `Service review with ${plan.clientName}: remediation plan agreed (named lead engineer, weekly check-in, root-cause review of repeat incidents).`,
        plan.accountManager,
      );
    } else if (t.archetype === 'churn-with-warning') {
      note(
        day,
        'Offboarding: hand over to new provider',
        `${plan.clientName} gave notice; please prepare admin credentials and documentation for their new IT provider by the contract end.`,
        0,
      );
    } else {
      note(
        day,
        'Offboarding: hand over to group IT',
        `${plan.clientName} has been acquired; group IT takes over at the contract end. Please prepare the handover pack.`,
        0,
      );
    }
  }
}

const BASELINE_SERVICE: ServiceState = {
  volume: 1,
  p1: 0,
  p2: 0.05,
  slaIn: 0.97,
  poorFeedback: 0.03,
  negative: 0,
  reopen: 0.01,
  hours: 1,
  theme: 0,
  pay: [-20, -1],
};

/** A complaint: logged by the client in strong words, worked late, rated poorly. */
const COMPLAINT: ServiceState = {
  ...BASELINE_SERVICE,
  p1: 0,
  p2: 1,
  slaIn: 0.3,
  poorFeedback: 1,
  negative: 1,
  reopen: 0.2,
};

function weekday(day: number): number {
  const dow = new Date(dayMs(day)).getUTCDay();
  return dow === 6 ? day + 2 : dow === 0 ? day + 1 : day;
}

function logTicket(
  book: ScenarioBook,
  plan: AccountPlan,
  rng: Rng,
  s: ServiceState,
  day: number,
  category: number,
  summary: string,
  contractId: number,
  engineers: readonly number[],
  type: number = category === 6 ? TICKET_TYPE.serviceRequest : TICKET_TYPE.incident,
): void {
  const { tickets, actions, timesheets, lastDay } = book;
  const endOfData = dayMs(lastDay) + DAY_MS - 1;
  const priority = pickPriority(rng, s);
  const p = PRIORITIES[priority - 1]!;
  const occurred = book.at(day, rng.float(8, 17.5)) + rng.int(0, 899) * 1000;
  const agent = rng.pick(engineers);
  const inSla = rng.chance(s.slaIn);
  const slapct = inSla ? rng.float(10, 95) : rng.float(105, 240);
  const response = occurred + p.response * HOUR_MS * rng.float(0.1, inSla ? 0.9 : 1.6);
  let closed = Math.max(occurred + (p.fix * HOUR_MS * slapct) / 100, response + 15 * 60_000);
  const reopened = rng.chance(s.reopen);
  const reopenAt = closed + rng.float(4, 48) * HOUR_MS;
  if (reopened) closed = reopenAt + rng.float(2, 30) * HOUR_MS;
  const isClosed = closed <= endOfData;
  const hasFeedback = isClosed && rng.chance(0.3);
  const poor = rng.chance(s.poorFeedback);
  const score = hasFeedback ? (poor ? rng.int(1, 2) : rng.chance(0.7) ? 5 : 4) : 0;
  const feedbackAt = closed + rng.float(1, 40) * HOUR_MS;
  const feedback = hasFeedback && feedbackAt <= endOfData ? score : 0;
  const hours = Math.max(0.25, Math.round(rng.float(0.25, 2) * s.hours * 4) / 4);

  const events: number[] = [occurred];
  const id = tickets.add({
    kind: TICKET_KIND.service,
    client: plan.clientId,
    agent,
    status: isClosed ? STATUS.closed : STATUS.inProgress,
    type,
    priority,
    category,
    summary: tickets.text.intern(summary),
    details: tickets.text.intern(`${summary}. Reported by a user at ${plan.clientName}.`),
    occurred,
    closed: isClosed ? closed : 0,
    sla: isClosed ? (inSla ? 1 : 2) : 0,
    slapct: isClosed ? slapct : 0,
    response: response <= endOfData ? response : 0,
    feedback,
    contract: contractId,
    reopened: reopened && reopenAt <= endOfData ? 1 : 0,
  });
  const act = (
    at: number,
    outcome: Parameters<typeof actions.add>[0]['outcome'],
    note: string,
    who: number,
    newStatus?: number,
  ): void => {
    if (at > endOfData) return;
    actions.add({
      ticketId: id,
      at,
      outcome,
      note,
      agentId: who,
      clientId: plan.clientId,
      ...(newStatus !== undefined ? { newStatus } : {}),
    });
    events.push(at);
  };
  act(occurred, 'Note', `Logged by user: ${summary}.`, 0, STATUS.new);
  act(response, 'Agent Response', 'Investigating, will update shortly.', agent, STATUS.inProgress);
  const firstClose = reopened ? reopenAt - rng.float(2, 4) * HOUR_MS : closed;
  // A customer writes back while the ticket is being worked.
  const replyAt = response + (firstClose - response) * rng.float(0.2, 0.8);
  if (rng.chance(s.negative)) act(replyAt, 'Customer Reply', rng.pick(NEGATIVE_REPLIES), 0);
  else if (rng.chance(0.15)) act(replyAt, 'Customer Reply', rng.pick(NEUTRAL_REPLIES), 0);
  act(firstClose, 'Closed', 'Resolved and confirmed with the user.', agent, STATUS.closed);
  if (reopened) {
    act(
      reopenAt,
      'Reopened',
      rng.pick(['Issue is back again.', 'Still happening after the fix.']),
      0,
      STATUS.inProgress,
    );
    act(closed, 'Closed', 'Root cause fixed and confirmed with the user.', agent, STATUS.closed);
  }
  if (feedback > 0) {
    const words = feedback <= 2 ? rng.pick(POOR_FEEDBACK) : rng.pick(GOOD_FEEDBACK);
    act(feedbackAt, 'Customer Feedback', `Customer rated ${feedback}/5: ${words}`, 0);
  }
  // Time worked, charged against the contract; split over the ticket's life.
  const workStart = Math.max(response, occurred + 15 * 60_000);
  const pieces = hours > 1 && rng.chance(0.5) ? 2 : 1;
  let booked = 0;
  for (let k = 0; k < pieces; k++) {
    const h =
      pieces === 1
        ? hours
        : k === 0
          ? Math.round(hours * 2) / 4
          : hours - Math.round(hours * 2) / 4;
    const at =
      k === 0
        ? workStart
        : Math.max(workStart + h * HOUR_MS, (reopened ? reopenAt : closed) - h * HOUR_MS);
    if (at + h * HOUR_MS > endOfData || h <= 0) continue;
    timesheets.add(id, agent, Math.floor(at / 60_000) * 60_000, h, 0, contractId);
    booked += h;
    events.push(at + h * HOUR_MS);
  }
  const last = Math.max(...events);
  tickets.set('timetaken', id, booked);
  tickets.set('lastUpdate', id, last);
  tickets.set('lastAction', id, last);
}
