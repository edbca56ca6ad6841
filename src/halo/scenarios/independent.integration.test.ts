/**
 * The independent library's labels are true of its records: read back as a HaloPSA client reads
 * them (over HTTP from the unchanged simulator for one seed, through the served collections for
 * all five), every troubled project shows its trouble first on `visibleOn`, untroubled ones never
 * do, churned contracts end without a successor and renewed ones have one.
 */
import { createHash } from 'node:crypto';
import { dayOf } from '../simulator/calendar';
import { datasetCollections } from '../simulator/collections';
import type { HaloDataset, HaloResource } from '../simulator/dataset';
import { collectionRows, type HaloRecord } from '../simulator/record-collection';
import { startSimulator, type HaloSimulator } from '../simulator/server';
import { CONTRACT_MIX } from './account-archetypes';
import { generateIndependentDataset } from './independent';
import { PROJECT_MIX, TROUBLED } from './project-archetypes';
import { recordVisibility, renewalRecords, type ProjectRecords } from './record-checks';

const AS_OF = '2026-11-23';
const ASOF_DAY = dayOf(AS_OF);
const LAST_DAY = ASOF_DAY - 1;
const SEEDS = [1, 2, 3, 4, 5];

const datasets = new Map<number, HaloDataset>();

beforeAll(() => {
  for (const seed of SEEDS) datasets.set(seed, generateIndependentDataset({ seed, asOf: AS_OF }));
}, 120_000);

function dataset(seed: number): HaloDataset {
  const ds = datasets.get(seed);
  if (!ds) throw new Error(`seed ${seed} not generated`);
  return ds;
}

/** Project records read through the served collections (list rows and full records). */
function projectsFromCollections(ds: HaloDataset): Map<number, ProjectRecords> {
  const c = datasetCollections(ds);
  const tasksBy = groupBy(collectionRows(c.Tickets), 'parent_id');
  const eventsBy = groupBy(collectionRows(c.TimesheetEvent), 'ticket_id');
  const out = new Map<number, ProjectRecords>();
  for (let i = 0; i < c.Projects.length; i++) {
    const full = c.Projects.full(i);
    const tasks = tasksBy.get(Number(full.id)) ?? [];
    const events = tasks.flatMap((t) => eventsBy.get(Number(t.id)) ?? []);
    out.set(Number(full.id), { full, tasks, events });
  }
  return out;
}

function groupBy(rows: HaloRecord[], field: string): Map<number, HaloRecord[]> {
  const out = new Map<number, HaloRecord[]>();
  for (const r of rows) {
    const k = Number(r[field]);
    const list = out.get(k) ?? [];
    list.push(r);
    out.set(k, list);
  }
  return out;
}

function checkProjects(ds: HaloDataset, projects: Map<number, ProjectRecords>): void {
  for (const intent of ds.intent.projects) {
    const records = projects.get(intent.projectId);
    expect(records).toBeDefined();
    const vis = recordVisibility(records!, LAST_DAY);
    const shown = [vis.slipOn, vis.overrunOn].filter((d): d is number => d !== undefined);
    const first = shown.length > 0 ? Math.min(...shown) : undefined;
    const label = `${intent.archetype} ${intent.projectId}`;
    expect({
      label,
      slipped: vis.slipOn !== undefined,
      overran: vis.overrunOn !== undefined,
    }).toEqual({ label, slipped: intent.slipped, overran: intent.overran });
    if (TROUBLED.has(intent.archetype as never)) {
      expect({ label, visibleOn: first !== undefined ? isoDay(first) : undefined }).toEqual({
        label,
        visibleOn: intent.visibleOn,
      });
      expect(intent.troubleStartsOn! < intent.visibleOn!).toBe(true);
      expect(intent.expectedDriver).not.toBeNull();
    } else {
      expect({ label, first }).toEqual({ label, first: undefined });
      expect(intent.visibleOn).toBeUndefined();
      expect(intent.expectedDriver).toBeNull();
    }
  }
}

function isoDay(d: number): string {
  return new Date(d * 86_400_000).toISOString().slice(0, 10);
}

describe('independent scenario library', () => {
  test.each(SEEDS)('seed %i holds every project and contract archetype', (seed) => {
    const ds = dataset(seed);
    expect(ds.intent.projects).toHaveLength(60);
    expect(ds.intent.contracts).toHaveLength(80);
    const projectKinds = new Set(ds.intent.projects.map((p) => p.archetype));
    for (const [a] of PROJECT_MIX) expect(projectKinds).toContain(a);
    const contractKinds = new Set(ds.intent.contracts.map((c) => c.archetype));
    for (const [a] of CONTRACT_MIX) expect(contractKinds).toContain(a);
    const troubled = ds.intent.projects.filter((p) => p.visibleOn !== undefined).length;
    expect(troubled).toBeGreaterThanOrEqual(15);
    expect(troubled).toBeLessThanOrEqual(25);
  });

  test.each(SEEDS)('seed %i: project labels match what the records show', (seed) => {
    const ds = dataset(seed);
    checkProjects(ds, projectsFromCollections(ds));
  });

  test.each(SEEDS)(
    'seed %i: churned contracts ended with no successor; renewed ones have one',
    (seed) => {
      const ds = dataset(seed);
      const c = datasetCollections(ds);
      const contracts = [];
      for (let i = 0; i < c.ClientContract.length; i++) contracts.push(c.ClientContract.full(i));
      const invoices = collectionRows(c.Invoice);
      for (const intent of ds.intent.contracts) {
        const r = renewalRecords(intent.contractId, contracts, ASOF_DAY);
        const label = `${intent.archetype} ${intent.contractId}`;
        expect({ label, ended: r.ended }).toEqual({ label, ended: true });
        if (intent.churns) {
          expect({ label, later: r.laterContracts }).toEqual({ label, later: 0 });
          const after = invoices.filter(
            (inv) =>
              Number(inv.client_id) === intent.clientId &&
              dayOf(String(inv.invoice_date)) > dayOf(intent.endDate),
          );
          expect({ label, invoicesAfterEnd: after.length }).toEqual({ label, invoicesAfterEnd: 0 });
        } else {
          expect({ label, renewed: r.successor !== undefined }).toEqual({ label, renewed: true });
          const signed = Date.parse(String(r.successor!.last_update));
          expect(signed).toBeLessThan(Date.parse(`${intent.endDate}T00:00:00Z`));
          const focus = contracts.find((x) => Number(x.id) === intent.contractId)!;
          if (intent.expands) {
            expect(Number(r.successor!.periodchargeamount)).toBeGreaterThan(
              Number(focus.periodchargeamount),
            );
          }
        }
      }
    },
  );

  test.each(SEEDS)(
    'seed %i: the warning signals lead churn only where the archetype says',
    (seed) => {
      for (const intent of dataset(seed).intent.contracts) {
        const lead = dayOf(intent.endDate) - dayOf(intent.signalsStartOn ?? intent.endDate);
        if (intent.archetype === 'churn-with-warning') expect(lead).toBeGreaterThanOrEqual(90);
        if (intent.archetype === 'churn-without-warning') expect(lead).toBeLessThan(60);
      }
    },
  );

  test.each(SEEDS)('seed %i: warned churns complain months ahead; saved clients stop', (seed) => {
    const ds = dataset(seed);
    const tickets = collectionRows(datasetCollections(ds).Tickets);
    const complaints = (clientId: number, from: number, to: number): number =>
      tickets.filter((t) => {
        if (Number(t.client_id) !== clientId || !String(t.summary).startsWith('Complaint:')) {
          return false;
        }
        const d = dayOf(String(t.dateoccurred));
        return d >= from && d <= to;
      }).length;
    for (const intent of ds.intent.contracts) {
      const end = dayOf(intent.endDate);
      const label = `${intent.archetype} ${intent.contractId}`;
      if (intent.archetype === 'churn-with-warning') {
        const n = complaints(intent.clientId, dayOf(intent.signalsStartOn!), end - 60);
        expect({ label, enough: n >= 3 }).toEqual({ label, enough: true });
      }
      if (intent.archetype === 'at-risk-saved') {
        const early = complaints(intent.clientId, 0, end - 120);
        expect({ label, early: early > 0 }).toEqual({ label, early: true });
        expect({ label, late: complaints(intent.clientId, end - 90, end) }).toEqual({
          label,
          late: 0,
        });
      }
      if (intent.archetype === 'renews-quietly') {
        expect({ label, any: complaints(intent.clientId, 0, end) }).toEqual({ label, any: 0 });
      }
    }
  });

  test.each(SEEDS)(
    'seed %i: under-billed clients have more users than they are billed for',
    (seed) => {
      const ds = dataset(seed);
      const c = datasetCollections(ds);
      const clients = collectionRows(c.Client);
      const recurring = [];
      for (let i = 0; i < c.RecurringInvoice.length; i++)
        recurring.push(c.RecurringInvoice.full(i));
      for (const intent of ds.intent.contracts.filter((x) => x.archetype === 'under-billed')) {
        const client = clients.find((x) => Number(x.id) === intent.clientId)!;
        const users = Number(
          (client.customfields as HaloRecord[]).find((f) => f.name === 'CFUserCount')?.value,
        );
        const ri = recurring.find((r) => Number(r.contract_id) === intent.contractId)!;
        const billed = Number((ri.lines as HaloRecord[])[0]?.qty_order);
        expect(users).toBeGreaterThan(billed * 1.2);
      }
    },
  );

  test.each(SEEDS)('seed %i: overrunning clients book beyond their entitlement', (seed) => {
    const ds = dataset(seed);
    const c = datasetCollections(ds);
    const events = collectionRows(c.TimesheetEvent);
    for (const intent of ds.intent.contracts.filter((x) => x.archetype === 'overrun-expands')) {
      const focus = c.ClientContract.full(c.ClientContract.indexOf(intent.contractId));
      const entitlement = Number(focus.chargehoursperperiod);
      const byMonth = new Map<string, number>();
      for (const e of events) {
        const start = String(e.start_date);
        if (Number(e.contract_id) !== intent.contractId || start < intent.signalsStartOn!) continue;
        byMonth.set(start.slice(0, 7), (byMonth.get(start.slice(0, 7)) ?? 0) + Number(e.timetaken));
      }
      // Whole months only: the first and last are partial.
      const ratios = [...byMonth.entries()]
        .sort()
        .slice(1, -1)
        .map(([, h]) => h / entitlement);
      let run = 0;
      let longest = 0;
      for (const r of ratios) {
        run = r > 1 ? run + 1 : 0;
        longest = Math.max(longest, run);
      }
      const mean = ratios.reduce((a, b) => a + b, 0) / ratios.length;
      expect({ id: intent.contractId, overrun: mean > 1.2 && longest >= 2 }).toEqual({
        id: intent.contractId,
        overrun: true,
      });
    }
  });

  test.each(SEEDS)('seed %i: every record is dated before asOf', (seed) => {
    const c = datasetCollections(dataset(seed));
    const limit = Date.parse(`${AS_OF}T00:00:00Z`);
    const fields: Array<[HaloResource, string[]]> = [
      ['Tickets', ['dateoccurred', 'dateclosed', 'lastactiondate', 'last_update']],
      ['Projects', ['dateoccurred', 'dateclosed', 'last_update']],
      ['Actions', ['datetime']],
      ['TimesheetEvent', ['end_date']],
      ['Invoice', ['invoice_date', 'datepaid', 'last_update']],
      ['ClientContract', ['last_update']],
      ['Client', ['last_update']],
    ];
    for (const [res, names] of fields) {
      let latest = 0;
      for (const row of collectionRows(c[res])) {
        for (const f of names) {
          const v = row[f];
          if (typeof v !== 'string') continue;
          latest = Math.max(latest, Date.parse(v.endsWith('Z') ? v : `${v}Z`));
        }
      }
      expect({ res, before: latest < limit }).toEqual({ res, before: true });
    }
  });

  test('generation is deterministic per seed and differs between seeds', () => {
    const digest = (ds: HaloDataset): string => {
      const h = createHash('sha256');
      const c = datasetCollections(ds);
      for (const res of Object.keys(c) as HaloResource[]) {
        for (const row of collectionRows(c[res])) h.update(JSON.stringify(row));
      }
      h.update(JSON.stringify(ds.intent));
      return h.digest('hex');
    };
    const again = generateIndependentDataset({ seed: 1, asOf: AS_OF });
    expect(digest(again)).toBe(digest(dataset(1)));
    expect(JSON.stringify(dataset(2).intent)).not.toBe(JSON.stringify(dataset(1).intent));
  }, 60_000);

  test('a portfolio of 60 projects and 80 contracts generates in under five seconds', () => {
    const started = performance.now();
    generateIndependentDataset({ seed: 11, asOf: AS_OF, projects: 60, contracts: 80 });
    expect(performance.now() - started).toBeLessThan(5_000);
  }, 30_000);
});

describe('independent scenario library served over HTTP', () => {
  let sim: HaloSimulator;
  let token = '';

  beforeAll(async () => {
    sim = await startSimulator({ dataset: dataset(3) });
    const res = await fetch(`${sim.url}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=demo&client_secret=demo&scope=all',
    });
    token = ((await res.json()) as { access_token: string }).access_token;
  }, 120_000);

  afterAll(async () => {
    await sim.close();
  });

  async function get(path: string): Promise<unknown> {
    const res = await fetch(`${sim.url}/api/${path}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    return res.json();
  }

  /** Every row of a list resource, paging as a client does until a short page. */
  async function all(resource: string): Promise<HaloRecord[]> {
    const out: HaloRecord[] = [];
    for (let page = 1; ; page++) {
      const body = await get(`${resource}?pageinate=true&page_size=1000&page_no=${page}`);
      const rows = Array.isArray(body)
        ? (body as HaloRecord[])
        : ((Object.values(body as object).find(Array.isArray) as HaloRecord[] | undefined) ?? []);
      out.push(...rows);
      if (rows.length < 1000) return out;
    }
  }

  test('project and contract labels hold on the records a client reads', async () => {
    const ds = dataset(3);
    const [projects, tickets, events, contracts] = await Promise.all([
      all('Projects'),
      all('Tickets'),
      all('TimesheetEvent'),
      all('ClientContract'),
    ]);
    expect(projects).toHaveLength(60);
    const tasksBy = groupBy(tickets, 'parent_id');
    const eventsBy = groupBy(events, 'ticket_id');
    const records = new Map<number, ProjectRecords>();
    for (const p of projects) {
      const full = (await get(`Tickets/${Number(p.id)}?includedetails=true`)) as HaloRecord;
      const tasks = tasksBy.get(Number(p.id)) ?? [];
      records.set(Number(p.id), {
        full,
        tasks,
        events: tasks.flatMap((t) => eventsBy.get(Number(t.id)) ?? []),
      });
    }
    checkProjects(ds, records);

    for (const intent of ds.intent.contracts) {
      const r = renewalRecords(intent.contractId, contracts, ASOF_DAY);
      expect({ id: intent.contractId, renewed: r.successor !== undefined }).toEqual({
        id: intent.contractId,
        renewed: !intent.churns,
      });
    }
  }, 120_000);
});
