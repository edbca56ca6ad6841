/**
 * Generates the managed-services side of each client: contracts, recurring invoices, invoices and
 * 12 months of service tickets with their actions and timesheet events. The client's account
 * situation shapes the signals (ticket volume, SLA, reopens, feedback, note language, payments,
 * hours against entitlement, billed vs actual quantities).
 */
import { dayMs, DAY_MS, HOUR_MS, isoDate, isoLocal, isoZ, isWeekend, monthStart } from './calendar';
import type { ContractIntent } from './dataset';
import type { HaloRecord } from './record-collection';
import type { GeneratorContext } from './generator-context';
import { CATEGORIES, PRIORITIES, STATUS, TICKET_SUMMARIES, TICKET_TYPE } from './lookups';
import type { Rng } from './prng';
import { round2, TICKET_KIND } from './ticket-store';

/** A contract/account situation. */
export type AccountSituation = ContractIntent['situation'];

/** Custom field ids on a Client: the actual user and device counts the MSP manages. */
export const CF_USER_COUNT_ID = 101;
/** See CF_USER_COUNT_ID. */
export const CF_DEVICE_COUNT_ID = 102;

/** Sizing knobs for the account generator. */
export interface AccountSizing {
  /** Expected service tickets per managed user per month. */
  ticketsPerUserMonth: number;
  /** Mean timesheet events per service ticket. */
  eventsPerTicket: number;
  /** Add-on contracts per client (beyond the current and previous managed-services contracts). */
  addOnsPerClient: () => number;
  /** User count range. */
  users: [number, number];
}

/** One generated client and its account records. */
export interface GeneratedAccount {
  client: HaloRecord;
  site: HaloRecord;
  contracts: HaloRecord[];
  recurringInvoices: HaloRecord[];
  invoices: HaloRecord[];
  intents: ContractIntent[];
}

const SITUATION_SHARE: ReadonlyArray<[AccountSituation, number]> = [
  ['healthy', 0.34],
  ['at-risk', 0.14],
  ['churn', 0.14],
  ['expanding', 0.13],
  ['overrunning', 0.12],
  ['under-billed', 0.13],
];

/** Situations for n clients in realistic proportions (each present at least once), shuffled. */
export function accountSituations(rng: Rng, n: number): AccountSituation[] {
  const out: AccountSituation[] = [];
  for (const [s, share] of SITUATION_SHARE) {
    const k = Math.max(2, Math.round(share * n * rng.float(0.85, 1.15)));
    for (let i = 0; i < k; i++) out.push(s);
  }
  rng.shuffle(out);
  out.length = Math.min(out.length, n);
  while (out.length < n) out.push('healthy');
  return rng.shuffle(out);
}

const NEGATIVE = [
  'This is the third time this has happened, very disappointed.',
  'Still not fixed. This is unacceptable for what we pay.',
  'We have been waiting days for a response, frustrated.',
  'Honestly considering other providers at this point.',
  'Poor service again, nobody called us back.',
  'The same issue keeps coming back, this is not good enough.',
];
const NEUTRAL = [
  'Thanks, any update on this?',
  'User is available after 2pm.',
  'Please see the attached screenshot.',
  'Can you call the user directly?',
];
const POSITIVE = [
  'Thanks for the quick fix, much appreciated.',
  'Great service as always.',
  'We are opening a new office next quarter and will need more seats.',
  'We are hiring another ten people, please plan the onboarding.',
];

interface Profile {
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

/** Generates one client and everything on its account. */
export function generateAccount(
  ctx: GeneratorContext,
  rng: Rng,
  clientId: number,
  name: string,
  situation: AccountSituation,
  sizing: AccountSizing,
  ids: { contract: () => number; invoice: () => number; line: () => number },
): GeneratedAccount {
  const asOf = ctx.asOfDay;
  const users = rng.int(sizing.users[0], sizing.users[1]);
  const devices = Math.round(users * rng.float(1.2, 1.6));
  const billedUsers =
    situation === 'under-billed'
      ? Math.round(users * rng.float(0.62, 0.8))
      : situation === 'expanding'
        ? Math.round(users / rng.float(1.05, 1.12))
        : users + rng.int(0, 2);
  const billedDevices =
    situation === 'under-billed'
      ? Math.round(devices * rng.float(0.65, 0.82))
      : devices + rng.int(0, 3);
  const am = rng.pick(ctx.accountManagers);
  ctx.names.setClient(clientId, name);

  // Current managed-services contract.
  const term = rng.pick([12, 12, 24, 36]);
  const endDay =
    situation === 'churn'
      ? asOf + rng.int(-40, 140)
      : rng.chance(0.45)
        ? asOf + rng.int(5, 90)
        : asOf + rng.int(91, 420);
  const startDay = monthStart(endDay + 1, -term) + ((endDay + 1 - monthStart(endDay + 1)) | 0);
  const signalsDay =
    situation === 'churn'
      ? endDay - rng.int(150, 220)
      : situation === 'healthy' || situation === 'under-billed'
        ? undefined
        : asOf - rng.int(90, 170);
  const unitUser = rng.pick([45, 50, 55, 60, 65]);
  const unitDevice = rng.pick([8, 10, 12, 15]);
  const current = makeContract(
    ctx,
    ids.contract(),
    clientId,
    name,
    'Managed Services',
    startDay,
    endDay,
    term,
  );
  current.periodchargeamount = round2(billedUsers * unitUser + billedDevices * unitDevice);
  current.costperperiod = round2(Number(current.periodchargeamount) * rng.float(0.55, 0.7));
  const prevEnd = startDay - 1;
  const prevStart = monthStart(prevEnd + 1, -12);
  const previous = makeContract(
    ctx,
    ids.contract(),
    clientId,
    name,
    'Managed Services',
    prevStart,
    prevEnd,
    12,
  );
  previous.periodchargeamount = round2(Number(current.periodchargeamount) * rng.float(0.85, 0.98));
  previous.costperperiod = round2(Number(previous.periodchargeamount) * 0.62);
  const contracts = [previous, current];
  const intents: ContractIntent[] = [];
  const churns = situation === 'churn';
  intents.push(
    {
      contractId: Number(previous.id),
      clientId,
      situation: 'healthy',
      churns: false,
      expands: false,
      endDate: isoDate(prevEnd),
    },
    {
      contractId: Number(current.id),
      clientId,
      situation,
      churns,
      expands: situation === 'expanding',
      endDate: isoDate(endDay),
      ...(signalsDay !== undefined ? { signalsStartOn: isoDate(signalsDay) } : {}),
    },
  );
  const addOns = sizing.addOnsPerClient();
  for (let a = 0; a < addOns; a++) {
    const kind = rng.pick(ADD_ONS);
    const past = rng.chance(0.4) && !churns;
    const aTerm = rng.pick([12, 24]);
    const aEnd = churns ? endDay : past ? asOf - rng.int(20, 500) : asOf + rng.int(10, 500);
    const aStart = monthStart(aEnd + 1, -aTerm);
    const c = makeContract(ctx, ids.contract(), clientId, name, kind, aStart, aEnd, aTerm);
    c.periodchargeamount = round2(rng.int(4, 40) * 25);
    c.costperperiod = round2(Number(c.periodchargeamount) * rng.float(0.5, 0.75));
    if (kind === 'Block Hours') {
      c.chargehoursperperiod = rng.pick([10, 20, 40]);
      c.contract_prepaybalance = round2(rng.float(0, 30) * 120);
    }
    contracts.push(c);
    intents.push({
      contractId: Number(c.id),
      clientId,
      situation: churns ? 'churn' : 'healthy',
      churns,
      expands: false,
      endDate: isoDate(aEnd),
    });
  }

  // Service tickets over the last 12 months.
  const profileAt = (day: number): Profile => accountProfile(situation, day, signalsDay, endDay);
  const from = asOf - 365;
  const monthHours = new Map<string, number>();
  const lambdaDay = (users * sizing.ticketsPerUserMonth) / 21;
  for (let d = from; d <= asOf; d++) {
    if (isWeekend(d)) continue;
    const prof = profileAt(d);
    const churnedAway = churns && d > endDay;
    const n = rng.poisson(lambdaDay * prof.volume * (churnedAway ? 0.1 : 1));
    for (let k = 0; k < n; k++) {
      const occurred = dayMs(d) + (8 + rng.next() * 9) * HOUR_MS;
      const contract = occurred >= dayMs(startDay) ? current : previous;
      generateTicket(
        ctx,
        rng,
        clientId,
        name,
        situation,
        prof,
        occurred,
        Number(contract.id),
        sizing,
        monthHours,
      );
    }
  }

  // Entitlement: overrunning clients log more than their included hours in consecutive months.
  for (const c of [previous, current]) {
    const months = [...monthHours.entries()]
      .filter(([k]) => k.startsWith(`${String(c.id)}:`))
      .map(([k, h]) => [Number(k.split(':')[1]), h] as const)
      .filter(([m]) => m < monthStart(asOf))
      .sort((a, b) => a[0] - b[0]);
    const hours = months.map(([, h]) => h);
    const max = Math.max(5, ...hours);
    let ent = Math.ceil((max * rng.float(1.2, 1.5)) / 5) * 5;
    if (c === current && situation === 'overrunning') {
      const recent = hours.slice(-3);
      const early = hours.slice(0, Math.max(1, hours.length - 4));
      const minRecent = Math.min(...recent);
      const earlyAvg = early.reduce((s, h) => s + h, 0) / Math.max(1, early.length);
      ent = Math.max(5, Math.floor(Math.min(earlyAvg * 1.15, minRecent * 0.85)));
    }
    c.chargehoursperperiod = ent;
  }

  // Recurring invoice (billed quantities) for the current contract.
  const recurringInvoices: HaloRecord[] = [
    {
      id: ids.invoice(),
      client_id: clientId,
      client_name: name,
      invoicenumber: `RI-${clientId}`,
      contract_id: current.id,
      is_recurring_invoice: true,
      period: 'Monthly',
      nextcreationdate: isoLocal(dayMs(monthStart(asOf, 1))),
      invoice_date: isoLocal(dayMs(startDay)),
      total: current.periodchargeamount,
      posted: false,
      lines: [
        line(ids.line(), 'Managed User (per user per month)', billedUsers, unitUser),
        line(ids.line(), 'Managed Device (per device per month)', billedDevices, unitDevice),
      ],
      last_update: isoZ(dayMs(startDay) + 10 * HOUR_MS),
    },
  ];

  // Monthly invoices.
  const invoices: HaloRecord[] = [];
  for (const c of contracts) {
    const cStart = Number(c.start_day);
    const cEnd = Number(c.end_day);
    for (
      let m = monthStart(Math.max(cStart, from));
      m <= Math.min(cEnd, asOf);
      m = monthStart(m, 1)
    ) {
      if (m < cStart) continue;
      const prof = profileAt(m);
      const delay = rng.int(prof.payDelay[0], prof.payDelay[1]);
      const total = Number(c.periodchargeamount);
      const paidDay = m + delay;
      const paid = paidDay <= asOf;
      invoices.push({
        id: ids.invoice(),
        client_id: clientId,
        client_name: name,
        invoicenumber: `INV-${String(invoices.length + 1).padStart(3, '0')}-${clientId}`,
        invoice_date: isoLocal(dayMs(m)),
        duedate: isoLocal(dayMs(m + 30)),
        contract_id: c.id,
        total,
        amountpaid: paid ? total : 0,
        amountdue: paid ? 0 : total,
        paymentstatus: paid ? 2 : 0,
        datepaid: paid ? isoLocal(dayMs(paidDay) + 11 * HOUR_MS) : null,
        posted: true,
        is_recurring_invoice: false,
        lines: [line(ids.line(), `${String(c.contracttype_name)} - monthly charge`, 1, total)],
        last_update: isoZ(paid ? dayMs(paidDay) + 11 * HOUR_MS : dayMs(m) + 7 * HOUR_MS),
      });
    }
  }
  for (const c of contracts) {
    delete c.start_day;
    delete c.end_day;
  }

  const client: HaloRecord = {
    id: clientId,
    name,
    inactive: false,
    toplevel_id: 1,
    toplevel_name: 'Managed Clients',
    accountmanagertech: am,
    accountmanagertech_name: ctx.names.agent(am),
    website: `https://www.${name.toLowerCase().replace(/[^a-z0-9]+/g, '')}.example`,
    is_vip: rng.chance(0.15),
    customfields: [
      { id: CF_USER_COUNT_ID, name: 'CFUserCount', value: String(users) },
      { id: CF_DEVICE_COUNT_ID, name: 'CFDeviceCount', value: String(devices) },
    ],
    last_update: isoZ(dayMs(asOf - rng.int(20, 400)) + 10 * HOUR_MS),
  };
  const site: HaloRecord = {
    id: 100000 + clientId,
    name: 'Head Office',
    client_id: clientId,
    client_name: name,
    last_update: client.last_update,
  };
  return { client, site, contracts, recurringInvoices, invoices, intents };
}

const ADD_ONS = [
  'Backup as a Service',
  'Security Operations',
  'Microsoft 365 Licensing',
  'Telephony',
  'Block Hours',
  'Firewall Managed Service',
  'Cloud Hosting',
] as const;

function line(id: number, desc: string, qty: number, unit: number): HaloRecord {
  return {
    id,
    item_shortdescription: desc,
    qty_order: qty,
    unit_price: unit,
    net_amount: round2(qty * unit),
  };
}

function makeContract(
  ctx: GeneratorContext,
  id: number,
  clientId: number,
  clientName: string,
  type: string,
  startDay: number,
  endDay: number,
  term: number,
): HaloRecord {
  const active = endDay >= ctx.asOfDay && startDay <= ctx.asOfDay;
  const expired = endDay < ctx.asOfDay;
  return {
    id,
    client_id: clientId,
    client_name: clientName,
    ref: `${type.replace(/[^A-Z]/g, '')}-${clientId}-${id}`,
    start_date: isoLocal(dayMs(startDay)),
    end_date: isoLocal(dayMs(endDay)),
    expired,
    billingperiod: 'Monthly',
    status: expired ? 'Expired' : active ? 'Active' : 'Pending',
    contract_status: expired ? 2 : 1,
    periodchargeamount: 0,
    next_invoice_date: expired ? null : isoLocal(dayMs(monthStart(ctx.asOfDay, 1))),
    contracttype_name: type,
    active,
    last_modified: isoZ(dayMs(startDay) - 14 * DAY_MS + 10 * HOUR_MS),
    customfields: [],
    termmonths: term,
    rollingcontract: false,
    costperperiod: 0,
    chargehoursperperiod: 0,
    contract_prepaybalance: 0,
    last_update: isoZ(Math.min(dayMs(startDay) - 14 * DAY_MS + 10 * HOUR_MS, ctx.asOfEndMs)),
    start_day: startDay,
    end_day: endDay,
  };
}

function accountProfile(
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

function generateTicket(
  ctx: GeneratorContext,
  rng: Rng,
  clientId: number,
  clientName: string,
  situation: AccountSituation,
  prof: Profile,
  occurred: number,
  contractId: number,
  sizing: AccountSizing,
  monthHours: Map<string, number>,
): void {
  const { tickets, actions, timesheets } = ctx;
  const asOfMs = ctx.asOfEndMs;
  const r = rng.next();
  const priority = r < 0.03 * prof.volume ? 1 : r < 0.15 ? 2 : r < 0.62 ? 3 : 4;
  const category =
    situation === 'expanding' && rng.chance(0.35) ? 6 : rng.int(0, CATEGORIES.length - 1);
  const summary = rng.pick(TICKET_SUMMARIES[category] ?? ['Support request']);
  const type =
    category === 6
      ? TICKET_TYPE.serviceRequest
      : rng.chance(0.9)
        ? TICKET_TYPE.incident
        : TICKET_TYPE.problem;
  const p = PRIORITIES[priority - 1] ?? { response: 4, fix: 24 };
  const agent = rng.pick(ctx.engineers);
  const breachResp = rng.chance(prof.breach);
  const breachFix = rng.chance(prof.breach);
  const response =
    occurred + p.response * (breachResp ? rng.float(1.2, 3) : rng.float(0.1, 0.9)) * HOUR_MS;
  const fixHours = p.fix * (breachFix ? rng.float(1.1, 3) : rng.float(0.1, 0.95));
  let closed = occurred + fixHours * HOUR_MS;
  const id = tickets.add({
    kind: TICKET_KIND.service,
    client: clientId,
    agent,
    type,
    priority,
    category,
    summary: tickets.text.intern(summary),
    details: tickets.text.intern(`${summary}. Reported by a user at ${clientName}.`),
    occurred,
    contract: contractId,
  });
  let last = occurred;
  const add = (
    at: number,
    outcome: Parameters<typeof actions.add>[0]['outcome'],
    note: string,
    by: number,
    status?: number,
  ): boolean => {
    if (at > asOfMs) return false;
    actions.add({ ticketId: id, at, outcome, note, agentId: by, newStatus: status, clientId });
    last = Math.max(last, at);
    return true;
  };
  add(occurred, 'Note', `Logged by user: ${summary}.`, 0, STATUS.new);
  const responded = add(
    response,
    'Agent Response',
    'Investigating, will update shortly.',
    agent,
    STATUS.inProgress,
  );
  if (rng.chance(0.35)) {
    const pool = rng.chance(prof.negative)
      ? NEGATIVE
      : situation === 'expanding' && rng.chance(0.3)
        ? POSITIVE
        : NEUTRAL;
    add(
      occurred + (response - occurred) + rng.float(0.2, 0.9) * (closed - response),
      'Customer Reply',
      rng.pick(pool),
      0,
    );
  }
  let status: number = responded ? STATUS.inProgress : STATUS.new;
  let closedAt = 0;
  let reopened = 0;
  if (add(closed, 'Closed', 'Resolved and confirmed with the user.', agent, STATUS.closed)) {
    status = STATUS.closed;
    closedAt = closed;
    if (rng.chance(prof.reopen)) {
      const reopenAt = closed + rng.float(1, 5) * DAY_MS;
      if (
        add(
          reopenAt,
          'Reopened',
          rng.chance(prof.negative + 0.2) ? rng.pick(NEGATIVE) : 'The issue has come back.',
          0,
          STATUS.inProgress,
        )
      ) {
        reopened = 1;
        status = STATUS.inProgress;
        closedAt = 0;
        closed = reopenAt + rng.float(4, 48) * HOUR_MS;
        if (
          add(
            closed,
            'Closed',
            'Fixed properly this time, root cause addressed.',
            agent,
            STATUS.closed,
          )
        ) {
          status = STATUS.closed;
          closedAt = closed;
        }
      }
    }
  }
  let feedback = 0;
  if (closedAt > 0 && rng.chance(0.3)) {
    const score = rng.pick(prof.feedback);
    const at = closedAt + rng.float(2, 48) * HOUR_MS;
    const comment =
      score <= 2 ? rng.pick(NEGATIVE) : score >= 4 ? rng.pick(POSITIVE.slice(0, 2)) : 'OK.';
    if (add(at, 'Customer Feedback', `Customer rated ${score}/5: ${comment}`, 0)) feedback = score;
  }

  // Time worked.
  const n = Math.max(
    1,
    Math.floor(sizing.eventsPerTicket) + (rng.chance(sizing.eventsPerTicket % 1) ? 1 : 0),
  );
  const end = closedAt > 0 ? closedAt : Math.min(asOfMs, occurred + fixHours * HOUR_MS);
  let hours = 0;
  for (let e = 0; e < n; e++) {
    const start = response + ((end - response) * e) / n;
    const h = Math.max(
      0.25,
      Math.round(rng.float(0.25, 1.25) * prof.hoursFactor * (priority === 1 ? 2 : 1) * 4) / 4,
    );
    if (start + h * HOUR_MS > asOfMs) continue;
    timesheets.add(id, agent, start, h, 110, contractId);
    hours += h;
    last = Math.max(last, start + h * HOUR_MS);
    const key = `${contractId}:${monthStart(Math.floor(start / DAY_MS))}`;
    monthHours.set(key, (monthHours.get(key) ?? 0) + h);
  }

  const elapsed = (closedAt > 0 ? closedAt : asOfMs) - occurred;
  tickets.set('status', id, status);
  tickets.set('closed', id, closedAt);
  tickets.set('response', id, responded ? response : 0);
  tickets.set('sla', id, breachResp && responded ? 2 : responded || response > asOfMs ? 1 : 2);
  tickets.set('slapct', id, Math.min(999, (elapsed / HOUR_MS / p.fix) * 100));
  tickets.set('timetaken', id, hours);
  tickets.set('feedback', id, feedback);
  tickets.set('reopened', id, reopened);
  tickets.set('lastUpdate', id, last);
  tickets.set('lastAction', id, last);
}
