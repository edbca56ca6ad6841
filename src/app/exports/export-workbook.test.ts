import type { Actor } from '../delivery-views';
import type { ProjectFilter } from '../delivery/tab-queries.port';
import type { KpisView, ProjectListItemView, ProjectsPageView } from '../delivery/tab-views';
import { ReadAccess } from '../identity/read-access';
import type { Ownership } from '../identity/ownership.port';
import type { RenewalKpiView } from '../renewals/renewal-insights';
import type { RenewalPipelineItem } from '../renewals/renewal-views';
import type { WorkbookRenderer, WorkbookSpec } from './document-renderer.port';
import type { ConcessionRecord, ExportRecords, RiskEscalationRecord } from './export-records.port';
import { ExportWorkbook } from './export-workbook';

/** Contoso (client 77, account manager agent 8): projects 1 (PM agent 5) and 2 (PM agent 6). */
const PROJECTS = [
  { id: 1, clientId: 77, pm: 5, name: 'Intranet' },
  { id: 2, clientId: 77, pm: 6, name: 'Firewall' },
  { id: 3, clientId: 78, pm: 6, name: 'Wi-Fi' },
];

class FakeOwnership implements Ownership {
  async project(id: number) {
    const p = PROJECTS.find((x) => x.id === id);
    return p
      ? {
          clientId: p.clientId,
          pmAgentId: p.pm,
          pmEmail: null,
          accountManagerAgentId: p.clientId === 77 ? 8 : null,
        }
      : null;
  }
  async contract() {
    return null;
  }
  async ownedProjects(o: { pmAgentId: number | null; accountManagerAgentId: number | null }) {
    return PROJECTS.filter(
      (p) => p.pm === o.pmAgentId || (o.accountManagerAgentId === 8 && p.clientId === 77),
    ).map((p) => ({ id: p.id, clientId: p.clientId, rag: 'red' as const }));
  }
  async clientsOf(agent: number) {
    return agent === 8 ? [77] : [];
  }
}

class CapturingRenderer implements WorkbookRenderer {
  books: WorkbookSpec[] = [];
  async render(book: WorkbookSpec): Promise<Buffer> {
    this.books.push(book);
    return Buffer.from('xlsx');
  }
}

const listItem = (p: (typeof PROJECTS)[number]): ProjectListItemView => ({
  id: p.id,
  name: p.name,
  client: { id: p.clientId, name: p.clientId === 77 ? 'Contoso' : 'Fabrikam' },
  pm: { id: p.pm, name: `Agent ${p.pm}` },
  health: { score: 40, rag: 'red', confidence: 0.8, drivers: [] },
  riskTags: [],
  openEscalations: 1,
  asOf: '2026-11-23',
});

const escalation = (projectId: number): RiskEscalationRecord => ({
  escalationId: `e-${projectId}`,
  projectId,
  projectName: PROJECTS.find((p) => p.id === projectId)!.name,
  clientId: 77,
  clientName: 'Contoso',
  cause: 'burn',
  severity: 'high',
  status: 'open',
  ownerName: 'Agent 5',
  mitigationOwnerName: null,
  mitigation: 'Re-plan the build',
  openedAt: '2026-11-20T10:00:00.000Z',
  dueAt: '2026-11-24T10:00:00.000Z',
});

const contract = (clientId: number, flagged: boolean): RenewalPipelineItem => ({
  contractId: clientId * 10,
  ref: `C-${clientId}`,
  clientId,
  clientName: clientId === 77 ? 'Contoso' : 'Fabrikam',
  contractType: 'Managed',
  endDate: '2027-01-31',
  daysToEnd: 69,
  stage: '90',
  score: 42,
  band: flagged ? 'at-risk' : 'ready',
  confidence: 0.9,
  ownerName: 'Alex Account',
  flagged,
  flagCause: flagged ? 'Sentiment fell' : null,
  topDriver: 'sentiment',
  dataQuality: [],
});

const concession = (clientId: number): ConcessionRecord => ({
  id: clientId,
  contractId: clientId * 10,
  contractRef: `C-${clientId}`,
  clientId,
  clientName: 'x',
  discountPct: 12,
  status: 'approved',
  approverTier: 'msp_owner',
  reason: 'Retention',
  requestedByName: 'Alex',
  requestedAt: '2026-11-01T10:00:00.000Z',
  decidedByName: 'Owner',
  decidedAt: '2026-11-02T10:00:00.000Z',
});

const records: ExportRecords = {
  agentNames: async () => new Map(),
  escalationOutcomes: async () => ({ opened: 0, confirmed: 0, falsePositives: 0, stillOpen: 0 }),
  openEscalations: async () => [escalation(1), escalation(2)],
  gateDecisions: async () => [],
  concessions: async () => [concession(77), concession(78)],
};

const KPIS: KpisView = {
  weeks: [],
  movement: [
    {
      kpi: 'onTimeMilestoneRate',
      lowerIsBetter: false,
      baseline: 0.5,
      week4: 0.6,
      week8: 0.7,
      improvementAtWeek4: 0.2,
      improvementAtWeek8: 0.4,
    },
  ],
  generatedAt: '2026-11-23T12:00:00.000Z',
};

const RENEWAL_KPIS = {
  asOf: '2026-11-23',
  kpis: { grr: 0.97, upliftConversion: 0.25, avgConcessionDepthPct: 12 },
  report: { baseline: null, week4: null, week8: null, latest: null },
} as unknown as RenewalKpiView;

function setup() {
  const renderer = new CapturingRenderer();
  const asked: ProjectFilter[] = [];
  const workbook = new ExportWorkbook({
    access: new ReadAccess(new FakeOwnership()),
    tab: {
      projectsPage: async (_tenant, filter): Promise<ProjectsPageView> => {
        asked.push(filter);
        const items = PROJECTS.filter(
          (p) =>
            !filter.owners ||
            p.pm === filter.owners.pmAgentId ||
            (filter.owners.accountManagerAgentId === 8 && p.clientId === 77),
        ).map(listItem);
        return {
          items,
          page: 1,
          pageSize: items.length,
          total: items.length,
          counts: { red: items.length, amber: 0, green: 0, unknown: 0 },
        };
      },
    },
    deliveryKpis: async () => KPIS,
    renewalKpis: async () => RENEWAL_KPIS,
    pipeline: async () => [contract(77, true), contract(78, false)],
    records,
    renderer,
    clock: { now: () => new Date('2026-11-23T12:00:00Z') },
    tenantName: 'Contoso MSP',
  });
  return { workbook, renderer, asked };
}

const person = (roles: Actor['roles'], haloAgentId: number | null) => ({
  tenantId: 't1',
  aadObjectId: 'aad',
  name: 'Someone',
  email: 's@msp.example',
  roles,
  haloAgentId,
});
const sheet = (book: WorkbookSpec, name: string) => book.sheets.find((s) => s.name === name)!;

describe('ExportWorkbook', () => {
  test("an msp owner's register has every sheet, KPIs with concession depth as a fraction", async () => {
    const { workbook, renderer } = setup();
    const result = await workbook.run(person(['msp_owner'], null), 'register');
    expect(result).toMatchObject({
      ok: true,
      file: { fileName: 'kpi-risk-register-2026-11-23.xlsx' },
    });
    const book = renderer.books[0]!;
    expect(book.tenantName).toBe('Contoso MSP');
    expect(book.sheets.map((s) => s.name)).toEqual([
      'KPIs',
      'Risk register',
      'Project portfolio',
      'Renewal pipeline',
      'Concessions',
      'Gate decisions',
    ]);
    const kpis = sheet(book, 'KPIs').rows;
    expect(kpis[0]).toEqual([
      'Delivery',
      'On-time milestone rate',
      'higher',
      0.5,
      0.6,
      0.7,
      null,
      0.4,
      null,
    ]);
    expect(kpis.find((r) => r[1] === 'Average concession depth')![6]).toBeCloseTo(0.12);
    // Open escalations of both projects, and the flagged renewal (not the ready one).
    expect(sheet(book, 'Risk register').rows.map((r) => [r[0], r[2]])).toEqual([
      ['Delivery escalation', 'Intranet'],
      ['Delivery escalation', 'Firewall'],
      ['Renewal risk', 'C-77'],
    ]);
    expect(sheet(book, 'Concessions').rows.map((r) => r[3])).toEqual([0.12, 0.12]);
  });

  test("a PM's register holds only their projects and no commercial or KPI sheet", async () => {
    const { workbook, renderer, asked } = setup();
    const result = await workbook.run(person(['pm'], 5), 'register');
    expect(result.ok).toBe(true);
    const book = renderer.books[0]!;
    expect(book.sheets.map((s) => s.name)).toEqual([
      'Risk register',
      'Project portfolio',
      'Gate decisions',
    ]);
    expect(asked[0]!.owners).toEqual({ pmAgentId: 5, accountManagerAgentId: null });
    expect(sheet(book, 'Project portfolio').rows.map((r) => r[0])).toEqual([1]);
    expect(sheet(book, 'Risk register').rows.map((r) => r[2])).toEqual(['Intranet']);
  });

  test.each([
    ['renewals', ['pm'], 5],
    ['concessions', ['pm'], 5],
    ['kpis', ['pm'], 5],
    ['kpis', ['account_manager'], 8],
  ] as const)('refuses the %s list to %j', async (list, roles, agent) => {
    const { workbook, renderer } = setup();
    const result = await workbook.run(person([...roles], agent), list);
    expect(result).toMatchObject({ ok: false, reason: 'forbidden' });
    expect(renderer.books).toHaveLength(0);
  });

  test("an account manager's renewal lists hold only their clients' contracts", async () => {
    const { workbook, renderer } = setup();
    expect((await workbook.run(person(['account_manager'], 8), 'renewals')).ok).toBe(true);
    expect((await workbook.run(person(['account_manager'], 8), 'concessions')).ok).toBe(true);
    expect(renderer.books[0]!.sheets[0]!.rows.map((r) => r[0])).toEqual(['C-77']);
    expect(renderer.books[1]!.sheets[0]!.rows.map((r) => r[0])).toEqual([77]);
  });

  test('someone with no role gets nothing', async () => {
    const { workbook, renderer } = setup();
    expect(await workbook.run(person([], null), 'register')).toMatchObject({
      ok: false,
      reason: 'no-role',
    });
    expect(renderer.books).toHaveLength(0);
  });
});
