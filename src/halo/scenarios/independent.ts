/**
 * An independent scenario library: HaloPSA-shaped portfolios whose outcomes are known, written from
 * the specification and the HaloPSA record shapes alone (see README.md). Served by the unchanged
 * simulator: `startSimulator({ dataset: generateIndependentDataset({ seed: 3, asOf }) })`.
 */
import { dayMs, isoDate, isoZ } from '../simulator/calendar';
import { clientContacts } from '../simulator/contact-records';
import type { ContractIntent, HaloDataset } from '../simulator/dataset';
import { priorityRecords, statusRecords, ticketTypeRecords } from '../simulator/lookups';
import { Rng } from '../simulator/prng';
import type { HaloRecord } from '../simulator/record-collection';
import {
  CHURNS,
  CONTRACT_MIX,
  contractIntent,
  drawTimeline,
  type ContractArchetype,
} from './account-archetypes';
import { writeAccount, type AccountIds } from './account-records';
import { allocate, generateProjects } from './project-portfolio';
import type { ProjectClient } from './project-records';
import { ScenarioBook } from './scenario-book';

export interface IndependentOptions {
  seed: number;
  /** The dataset's "today" (YYYY-MM-DD): every record is dated before it. */
  asOf: string;
  projects?: number;
  /** Contracts whose renewal is in question: one managed-services client each. */
  contracts?: number;
}

const FIRST_WORDS = [
  'Harbour',
  'Kestrel',
  'Oakridge',
  'Meridian',
  'Bramley',
  'Copperfield',
  'Larkspur',
  'Northgate',
  'Riverside',
  'Summit',
  'Thistle',
  'Westbrook',
  'Ashdown',
  'Beacon',
  'Clearwater',
  'Elmstead',
  'Foxglove',
  'Granite',
  'Highfield',
  'Juniper',
];
const SECOND_WORDS = [
  'Accountants',
  'Veterinary Group',
  'Solicitors',
  'Housing Trust',
  'Engineering',
  'Dental Care',
  'Freight',
  'Architects',
  'Academy Trust',
  'Estates',
  'Pharma',
  'Print Works',
];

/** Seeds the library's own stream (not the demo generator's): a fixed salt keeps them apart. */
const LIBRARY_SALT = 0x1d3e_9a75;

/** Generates an independent portfolio; the same options always give the same records. */
export function generateIndependentDataset(opts: IndependentOptions): HaloDataset {
  const projects = opts.projects ?? 60;
  const contracts = opts.contracts ?? 80;
  const rng = new Rng((Math.imul(opts.seed, 0x85eb_ca6b) ^ LIBRARY_SALT) >>> 0);
  const book = new ScenarioBook(opts.asOf);

  // Accounts first: projects go to clients that stay.
  const arng = rng.fork(1);
  const archetypes = arng.shuffle(
    allocate<ContractArchetype>(CONTRACT_MIX, contracts, 'renews-quietly'),
  );
  const names = clientNames(arng, archetypes.length);
  let contractSeq = 0;
  let invoiceSeq = 0;
  let lineSeq = 0;
  const ids: AccountIds = {
    contract: () => ++contractSeq,
    invoice: () => ++invoiceSeq,
    line: () => ++lineSeq,
  };
  const objects = {
    Client: [] as HaloRecord[],
    Site: [] as HaloRecord[],
    Users: [] as HaloRecord[],
    ClientContract: [] as HaloRecord[],
    RecurringInvoice: [] as HaloRecord[],
    Invoice: [] as HaloRecord[],
  };
  const contractIntents: ContractIntent[] = [];
  const stayingClients: ProjectClient[] = [];
  archetypes.forEach((archetype, i) => {
    const clientId = i + 1;
    const name = names[i] ?? `Client ${clientId}`;
    book.names.setClient(clientId, name);
    const crng = arng.fork(clientId);
    const timeline = drawTimeline(archetype, crng, book.lastDay);
    // An overrun has to stand out of month-to-month noise, which swamps the smallest clients.
    const users = crng.int(archetype === 'overrun-expands' ? 45 : 12, 140);
    const account = writeAccount(
      book,
      {
        clientId,
        clientName: name,
        accountManager: crng.pick(book.staff.accountManagers),
        timeline,
        users,
        devices: Math.round(users * crng.float(1.1, 1.5)) + crng.int(0, 8),
        themeCategory: crng.pick([1, 8, 9]),
      },
      crng,
      ids,
    );
    objects.Client.push(account.client);
    objects.Site.push(account.site);
    objects.Users.push(
      ...clientContacts(
        { id: clientId, name },
        { id: Number(account.site.id), name: String(account.site.name) },
        String(account.site.last_update),
      ),
    );
    objects.ClientContract.push(...account.contracts);
    objects.RecurringInvoice.push(...account.recurringInvoices);
    objects.Invoice.push(...account.invoices);
    contractIntents.push(contractIntent(account.focusContractId, clientId, timeline, isoDate));
    if (!CHURNS.has(archetype)) {
      stayingClients.push({ id: clientId, name, since: timeline.historyStart });
    }
  });

  const projectIntents = generateProjects(book, rng.fork(2), projects, stayingClients);
  book.compact();

  const lookupsAt = isoZ(dayMs(book.asOfDay - 700));
  const byId = (a: HaloRecord, b: HaloRecord): number => Number(a.id) - Number(b.id);
  return {
    profile: 'independent',
    seed: opts.seed,
    asOf: opts.asOf,
    data: {
      names: book.names.data,
      tickets: book.tickets.data,
      actions: book.actions.data,
      timesheets: book.timesheets.data,
      objects: {
        Client: objects.Client.sort(byId),
        Site: objects.Site.sort(byId),
        Users: objects.Users.sort(byId),
        ClientContract: objects.ClientContract.sort(byId),
        RecurringInvoice: objects.RecurringInvoice.sort(byId),
        Invoice: objects.Invoice.sort(byId),
        Agent: book.staff.records,
        Status: statusRecords(lookupsAt),
        TicketType: ticketTypeRecords(lookupsAt),
        Priority: priorityRecords(lookupsAt),
      },
    },
    intent: {
      projects: projectIntents,
      contracts: contractIntents.sort((a, b) => a.contractId - b.contractId),
    },
  };
}

function clientNames(rng: Rng, n: number): string[] {
  const used = new Set<string>();
  const out: string[] = [];
  while (out.length < n) {
    let name = `${rng.pick(FIRST_WORDS)} ${rng.pick(SECOND_WORDS)}`;
    for (let k = 2; used.has(name); k++) name = `${name.replace(/ \d+$/, '')} ${k}`;
    used.add(name);
    out.push(name);
  }
  return out;
}
