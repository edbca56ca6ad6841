import { createHash } from 'node:crypto';
import { dayOf } from './calendar';
import { HALO_RESOURCES, type HaloDataset } from './dataset';
import { collectionRows, type HaloRecord } from './record-collection';
import { datasetCollections } from './collections';
import { generateDataset } from './generator';

const AS_OF = '2026-11-23';

function checksum(ds: HaloDataset): string {
  const h = createHash('sha256');
  const c = datasetCollections(ds);
  for (const r of HALO_RESOURCES) {
    for (let i = 0; i < c[r].length; i++) h.update(JSON.stringify(c[r].full(i)));
  }
  h.update(JSON.stringify(ds.intent));
  return h.digest('hex');
}

const demo = generateDataset({ profile: 'demo', seed: 7, asOf: AS_OF });
const cols = datasetCollections(demo);
const projects = collectionRows(cols.Projects);
const tasks = collectionRows(cols.Tickets).filter((t) => Number(t.parent_id) > 0);
const byId = new Map(projects.map((p) => [Number(p.id), p]));

/** The day a project's milestone completed (max task dateclosed), or undefined while incomplete. */
function milestoneDone(m: HaloRecord): number | undefined {
  const ids = (m.tickets as Array<{ ticket_id: number }>).map((t) => t.ticket_id);
  const closes = tasks.filter((t) => ids.includes(Number(t.id))).map((t) => t.dateclosed);
  if (closes.some((c) => c === null)) return undefined;
  return Math.max(...closes.map((c) => dayOf(String(c))));
}

describe('generateDataset', () => {
  test('the same seed gives an identical dataset and a different seed differs', () => {
    const again = generateDataset({ profile: 'demo', seed: 7, asOf: AS_OF });
    const other = generateDataset({ profile: 'demo', seed: 8, asOf: AS_OF });
    expect(checksum(again)).toBe(checksum(demo));
    expect(checksum(other)).not.toBe(checksum(demo));
  });

  test('survives structuredClone with identical records', () => {
    expect(checksum(structuredClone(demo))).toBe(checksum(demo));
  });

  test('demo profile has the documented sizes', () => {
    expect(cols.Client.length).toBe(25);
    expect(cols.Agent.length).toBe(12);
    expect(cols.Projects.length).toBe(30);
    expect(cols.ClientContract.length).toBeGreaterThanOrEqual(50);
    expect(cols.ClientContract.length).toBeLessThanOrEqual(75);
    expect(cols.Tickets.length).toBeGreaterThan(1000);
    for (const a of collectionRows(cols.Agent)) expect(String(a.email)).toMatch(/@msp\.example$/);
    for (const c of collectionRows(cols.Client))
      expect(Number(c.accountmanagertech)).toBeGreaterThan(0);
  });

  test('every project and contract situation is present', () => {
    const ps = new Set(demo.intent.projects.map((p) => p.situation));
    expect([...ps].sort()).toEqual(['blocked', 'burning', 'healthy', 'missing-data', 'slipping']);
    const cs = new Set(demo.intent.contracts.map((c) => c.situation));
    expect([...cs].sort()).toEqual([
      'at-risk',
      'churn',
      'expanding',
      'healthy',
      'overrunning',
      'under-billed',
    ]);
    const noises = new Set(demo.intent.projects.map((p) => p.noise).filter(Boolean));
    expect(noises.size).toBeGreaterThanOrEqual(2);
    expect(demo.intent.projects.some((p) => p.closed)).toBe(true);
    expect(demo.intent.projects.some((p) => !p.closed)).toBe(true);
  });

  test('troubled projects start weeks before the trouble is visible', () => {
    const troubled = demo.intent.projects.filter((p) => p.expectedDriver !== null);
    expect(troubled.length).toBeGreaterThanOrEqual(6);
    for (const p of troubled) {
      expect(p.troubleStartsOn).toBeDefined();
      expect(p.visibleOn).toBeDefined();
      expect(dayOf(p.visibleOn!) - dayOf(p.troubleStartsOn!)).toBeGreaterThanOrEqual(28);
      expect(dayOf(p.visibleOn!)).toBeLessThan(dayOf(AS_OF));
    }
  });

  test('a slipping project has a milestone past target incomplete on visibleOn and none before troubleStartsOn', () => {
    for (const p of demo.intent.projects.filter((x) => x.slipped)) {
      const full = cols.Projects.full(cols.Projects.indexOf(p.projectId));
      const ms = full.milestones as HaloRecord[];
      const visible = dayOf(p.visibleOn!);
      const lateAtVisible = ms.some((m) => {
        const target = dayOf(String(m.target_date));
        const done = milestoneDone(m);
        return target < visible && (done === undefined || done >= visible);
      });
      expect(lateAtVisible).toBe(true);
      const trouble = dayOf(p.troubleStartsOn!);
      for (const m of ms) {
        const target = dayOf(String(m.target_date));
        if (target < trouble) expect(milestoneDone(m)).toBeLessThanOrEqual(target);
      }
    }
  });

  test('an overrunning project logs more hours than its budget, and only after troubleStartsOn', () => {
    const events = collectionRows(cols.TimesheetEvent);
    for (const p of demo.intent.projects.filter((x) => x.overran)) {
      const project = byId.get(p.projectId)!;
      const taskIds = new Set(
        tasks.filter((t) => t.parent_id === p.projectId).map((t) => Number(t.id)),
      );
      const mine = events.filter((e) => taskIds.has(Number(e.ticket_id)));
      const before = (day: number): number =>
        mine
          .filter((e) => dayOf(String(e.start_date)) < day)
          .reduce((s, e) => s + Number(e.timetaken), 0);
      expect(Number(project.projecttimeactual)).toBeGreaterThan(Number(project.projecttimebudget));
      expect(before(dayOf(p.troubleStartsOn!))).toBeLessThanOrEqual(
        Number(project.projecttimebudget),
      );
      expect(before(dayOf(p.visibleOn!) + 1)).toBeGreaterThan(Number(project.projecttimebudget));
    }
  });

  test('healthy projects never miss a milestone target nor exceed budget', () => {
    for (const p of demo.intent.projects.filter((x) => x.situation === 'healthy')) {
      const full = cols.Projects.full(cols.Projects.indexOf(p.projectId));
      expect(Number(full.projecttimeactual)).toBeLessThanOrEqual(Number(full.projecttimebudget));
      for (const m of full.milestones as HaloRecord[]) {
        const target = dayOf(String(m.target_date));
        const done = milestoneDone(m);
        if (target < dayOf(AS_OF) - 1) expect(done).toBeLessThanOrEqual(target);
      }
    }
  });

  test('missing-data projects really lack budget, owner or timesheets', () => {
    for (const p of demo.intent.projects.filter((x) => x.situation === 'missing-data')) {
      const row = byId.get(p.projectId)!;
      if (p.missing === 'no-budget') expect(row.projecttimebudget).toBe(0);
      if (p.missing === 'no-owner') expect(row.agent_id).toBe(0);
      if (p.missing === 'no-timesheets') expect(row.projecttimeactual).toBe(0);
    }
  });

  test('nothing is dated after the day before asOf', () => {
    const limit = Date.parse(`${AS_OF}T00:00:00Z`);
    for (const r of ['Tickets', 'Projects', 'Actions', 'TimesheetEvent', 'Invoice'] as const) {
      const c = cols[r];
      let latest = 0;
      for (let i = 0; i < c.length; i++) latest = Math.max(latest, c.lastUpdate(i));
      expect(latest).toBeLessThan(limit);
    }
  });

  test('under-billed clients are billed for fewer users than CFUserCount', () => {
    const clients = new Map(collectionRows(cols.Client).map((c) => [Number(c.id), c]));
    const recurring = collectionRows(cols.RecurringInvoice).map((_, i) =>
      cols.RecurringInvoice.full(i),
    );
    for (const c of demo.intent.contracts.filter((x) => x.situation === 'under-billed')) {
      const client = clients.get(c.clientId)!;
      const users = Number(
        (client.customfields as Array<{ name: string; value: string }>).find(
          (f) => f.name === 'CFUserCount',
        )!.value,
      );
      const ri = recurring.find((r) => r.contract_id === c.contractId)!;
      const billed = Number((ri.lines as Array<{ qty_order: number }>)[0]!.qty_order);
      expect(billed).toBeLessThan(users * 0.85);
    }
  });

  test('churning clients have overdue invoices and negative notes before the end date', () => {
    const invoices = collectionRows(cols.Invoice);
    const actions = collectionRows(cols.Actions);
    const ticketClient = new Map(
      collectionRows(cols.Tickets).map((t) => [Number(t.id), Number(t.client_id)]),
    );
    const churn = demo.intent.contracts.filter((c) => c.churns && c.signalsStartOn);
    expect(churn.length).toBeGreaterThan(0);
    for (const c of churn) {
      const end = dayOf(c.endDate);
      expect(end - dayOf(c.signalsStartOn!)).toBeGreaterThanOrEqual(120);
      const late = invoices.filter(
        (i) =>
          i.client_id === c.clientId &&
          (i.datepaid === null || dayOf(String(i.datepaid)) > dayOf(String(i.duedate))),
      );
      expect(late.length).toBeGreaterThan(0);
      const negative = actions.filter(
        (a) =>
          ticketClient.get(Number(a.ticket_id)) === c.clientId &&
          /disappointed|unacceptable|frustrated|other providers|poor service|not good enough/i.test(
            String(a.note),
          ),
      );
      expect(negative.length).toBeGreaterThan(0);
    }
  });

  test('a scaled-down large profile generates quickly with the large shape', () => {
    const t0 = Date.now();
    const large = generateDataset({ profile: 'large', seed: 1, asOf: AS_OF, scale: 0.02 });
    const c = datasetCollections(large);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(c.Projects.length).toBe(40);
    expect(c.Client.length).toBe(10);
    expect(c.ClientContract.length).toBe(100);
    expect(c.Tickets.length).toBeGreaterThan(4000);
    expect(c.TimesheetEvent.length).toBeGreaterThan(12000);
  });
});
