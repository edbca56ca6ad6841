/** Deterministic, seeded HaloPSA dataset generator (profiles `demo` and `large`). */
import { actionData, ActionStore } from './action-store';
import { clientContacts } from './contact-records';
import {
  accountSituations,
  generateAccount,
  type AccountSizing,
  type GeneratedAccount,
} from './account-generator';
import { dayMs, dayOf, DAY_MS, isoZ } from './calendar';
import type { HaloDataset } from './dataset';
import type { HaloRecord } from './record-collection';
import type { GeneratorContext } from './generator-context';
import { priorityRecords, statusRecords, ticketTypeRecords } from './lookups';
import { NameBook } from './names';
import { generatePortfolio } from './portfolio-generator';
import { Rng } from './prng';
import { ticketData, TicketStore } from './ticket-store';
import { timesheetData, TimesheetStore } from './timesheet-store';

export interface GenerateOptions {
  profile: 'demo' | 'large';
  seed: number;
  /** The dataset's "today" (YYYY-MM-DD). */
  asOf: string;
  /** Scales the large profile down (1 = full size); for tests. */
  scale?: number;
}

interface ProfileSize {
  clients: number;
  projects: number;
  pms: number;
  engineers: number;
  accountManagers: number;
  tickets: number;
  timesheets: number;
  addOns: (rng: Rng) => number;
  users: [number, number];
}

function sizeOf(opts: GenerateOptions): ProfileSize {
  if (opts.profile === 'demo') {
    return {
      clients: 25,
      projects: 30,
      pms: 3,
      engineers: 6,
      accountManagers: 3,
      tickets: 2000,
      timesheets: 0,
      addOns: (rng) => (rng.chance(0.4) ? 1 : 0),
      users: [10, 150],
    };
  }
  const s = opts.scale ?? 1;
  return {
    clients: Math.max(10, Math.round(300 * s)),
    projects: Math.max(10, Math.round(2000 * s)),
    pms: 10,
    engineers: 40,
    accountManagers: 10,
    tickets: Math.round(300_000 * s),
    timesheets: Math.round(1_000_000 * s),
    addOns: () => 8,
    users: [10, 250],
  };
}

const FIRST = [
  'Priya',
  'Tom',
  'Mei',
  'Sam',
  'Alex',
  'Jordan',
  'Chris',
  'Dana',
  'Lee',
  'Rosa',
  'Omar',
  'Nina',
  'Ken',
  'Ava',
  'Raj',
  'Zoe',
];
const LAST = [
  'Shah',
  'Hughes',
  'Lin',
  'Patel',
  'Okafor',
  'Novak',
  'Reid',
  'Silva',
  'Kim',
  'Evans',
  'Haddad',
  'Berg',
  'Moreau',
  'Walsh',
  'Tan',
  'Costa',
];
const CLIENT_A = [
  'Contoso',
  'Northwind',
  'Fabrikam',
  'Tailspin',
  'Litware',
  'Proseware',
  'Woodgrove',
  'Alpine',
  'Blue Yonder',
  'Coho',
  'Fourth Coffee',
  'Lucerne',
  'Relecloud',
  'Trey',
  'Wingtip',
  'Humongous',
  'VanArsdel',
  'Adatum',
  'Bellows',
  'Datum',
  'Margie',
  'Nod',
  'Southridge',
  'Wide World',
  'Graphic Arts',
];
const CLIENT_B = [
  'Ltd',
  'Group',
  'Legal',
  'Dental',
  'Logistics',
  'Partners',
  'Architects',
  'Foods',
  'Insurance',
  'Clinics',
  'Engineering',
  'Retail',
];

/** Generates a dataset; the same options always give the same records. */
export function generateDataset(opts: GenerateOptions): HaloDataset {
  const size = sizeOf(opts);
  const rng = new Rng(opts.seed);
  // Data runs up to the end of the day before asOf: at any time on the asOf day it is all in the past.
  const asOfDay = dayOf(opts.asOf) - 1;
  const asOfEndMs = dayMs(asOfDay) + DAY_MS - 1;
  const names = new NameBook();
  const tickets = new TicketStore(names, ticketData(size.tickets + size.projects * 22 + 1024));
  const timesheets = new TimesheetStore(tickets, timesheetData(size.timesheets + 1024));
  const actions = new ActionStore(names, actionData(size.tickets * 4 + size.projects * 90));

  // Agents: project managers, engineers, account managers.
  const agents: HaloRecord[] = [];
  const roles: Array<[string, string, number]> = [
    ['Project Management', 'Project Manager', size.pms],
    ['Engineering', 'Engineer', size.engineers],
    ['Account Management', 'Account Manager', size.accountManagers],
  ];
  const groups: number[][] = [[], [], []];
  let agentId = 2;
  roles.forEach(([team, title, n], g) => {
    for (let i = 0; i < n; i++) {
      const k = agentId - 2;
      const first = FIRST[k % FIRST.length] ?? 'Agent';
      const last = LAST[(k * 7 + Math.floor(k / LAST.length)) % LAST.length] ?? 'Smith';
      const suffix = k >= FIRST.length ? String(Math.floor(k / FIRST.length)) : '';
      const name = `${first} ${last}${suffix ? ` ${suffix}` : ''}`;
      agents.push({
        id: agentId,
        name,
        email: `${first}.${last}${suffix}@msp.example`.toLowerCase(),
        team,
        jobtitle: title,
        isdisabled: false,
        last_update: isoZ(dayMs(asOfDay - 400) + 9 * 3_600_000),
      });
      names.setAgent(agentId, name);
      groups[g]?.push(agentId);
      agentId++;
    }
  });
  let milestoneId = 0;
  const ctx: GeneratorContext = {
    asOfDay,
    asOfEndMs,
    names,
    tickets,
    actions,
    timesheets,
    pms: groups[0] ?? [],
    engineers: groups[1] ?? [],
    accountManagers: groups[2] ?? [],
    nextMilestoneId: () => ++milestoneId,
  };

  // Clients (names first: projects reference them).
  const clientNames: string[] = [];
  const used = new Set<string>();
  for (let c = 0; c < size.clients; c++) {
    let name =
      opts.profile === 'demo' && c < CLIENT_A.length
        ? `${CLIENT_A[c] ?? 'Client'} ${rng.pick(CLIENT_B)}`
        : `${rng.pick(CLIENT_A)} ${rng.pick(CLIENT_B)}`;
    let n = 2;
    while (used.has(name)) name = `${name.replace(/ \d+$/, '')} ${n++}`;
    used.add(name);
    clientNames.push(name);
  }
  const clientIds = clientNames.map((_, i) => i + 1);
  clientNames.forEach((n, i) => names.setClient(i + 1, n));

  const projectIntents = generatePortfolio(
    ctx,
    rng.fork(1),
    size.projects,
    clientIds.map((id, i) => ({ id, name: clientNames[i] ?? '' })),
  );
  const projectEvents = timesheets.length;

  // Accounts: sized so the large profile lands near its ticket and timesheet targets.
  const arng = rng.fork(2);
  const situations = accountSituations(arng, size.clients);
  const meanUsers = (size.users[0] + size.users[1]) / 2;
  const sizing: AccountSizing = {
    ticketsPerUserMonth: size.tickets / (size.clients * meanUsers * 12 * 1.12),
    eventsPerTicket:
      size.timesheets > 0 ? Math.max(1, (size.timesheets - projectEvents) / size.tickets) : 1.3,
    addOnsPerClient: () => size.addOns(arng),
    users: size.users,
  };
  let contractId = 0;
  let invoiceId = 0;
  let lineId = 0;
  const ids = { contract: () => ++contractId, invoice: () => ++invoiceId, line: () => ++lineId };
  const accounts: GeneratedAccount[] = clientIds.map((id, i) =>
    generateAccount(
      ctx,
      arng.fork(i),
      id,
      clientNames[i] ?? '',
      situations[i] ?? 'healthy',
      sizing,
      ids,
    ),
  );
  tickets.table.compact();
  actions.compact();
  timesheets.compact();

  const lookupsAt = isoZ(dayMs(asOfDay - 400));
  const byId = (a: HaloRecord, b: HaloRecord): number => Number(a.id) - Number(b.id);
  return {
    profile: opts.profile,
    seed: opts.seed,
    asOf: opts.asOf,
    data: {
      names: names.data,
      tickets: tickets.data,
      actions: actions.data,
      timesheets: timesheets.data,
      objects: {
        Client: accounts.map((a) => a.client),
        Site: accounts.map((a) => a.site),
        Users: accounts.flatMap((a) =>
          clientContacts(
            { id: Number(a.client.id), name: String(a.client.name) },
            { id: Number(a.site.id), name: String(a.site.name) },
            String(a.site.last_update),
          ),
        ),
        ClientContract: accounts.flatMap((a) => a.contracts).sort(byId),
        RecurringInvoice: accounts.flatMap((a) => a.recurringInvoices).sort(byId),
        Invoice: accounts.flatMap((a) => a.invoices).sort(byId),
        Agent: agents,
        Status: statusRecords(lookupsAt),
        TicketType: ticketTypeRecords(lookupsAt),
        Priority: priorityRecords(lookupsAt),
      },
    },
    intent: {
      projects: projectIntents,
      contracts: accounts.flatMap((a) => a.intents).sort((a, b) => a.contractId - b.contractId),
    },
  };
}
