/**
 * Generates the managed-services side of each client: contracts, recurring invoices, invoices and
 * 12 months of service tickets with their actions and timesheet events. The client's account
 * situation shapes the signals (ticket volume, SLA, reopens, feedback, note language, payments,
 * hours against entitlement, billed vs actual quantities).
 */
import { accountProfile, type AccountSituation, type Profile } from './account-profile';
import { dayMs, HOUR_MS, isoDate, isoLocal, isoZ, isWeekend, monthStart } from './calendar';
import { ADD_ONS, line, makeContract } from './contract-records';
import type { ContractIntent } from './dataset';
import type { GeneratorContext } from './generator-context';
import type { Rng } from './prng';
import type { HaloRecord } from './record-collection';
import { generateTicket } from './service-ticket-generator';
import { round2 } from './ticket-store';

/** Custom field ids on a Client: the actual user and device counts the MSP manages. */
export const CF_USER_COUNT_ID = 101;
/** Custom field id of the device count (see CF_USER_COUNT_ID). */
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
      // An uplift is warranted where the client uses more than it pays for and stays (SPEC §3).
      expands:
        situation === 'expanding' || situation === 'overrunning' || situation === 'under-billed',
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
        sizing.eventsPerTicket,
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
