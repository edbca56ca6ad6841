import type { WeeklyReportView } from '../delivery-views';
import type { KpisView } from '../delivery/tab-views';
import type { Ownership } from '../identity/ownership.port';
import { ReadAccess } from '../identity/read-access';
import type { RenewalKpiView } from '../renewals/renewal-insights';
import type { DocumentRenderer, DocumentSpec } from './document-renderer.port';
import { ExportPilotBrief } from './export-pilot-brief';
import type { ExportRecords, GateDecisionRecord } from './export-records.port';
import { ExportWeeklyReport } from './export-weekly-report';

class CapturingRenderer implements DocumentRenderer {
  docs: DocumentSpec[] = [];
  async render(doc: DocumentSpec): Promise<Buffer> {
    this.docs.push(doc);
    return Buffer.from('%PDF-');
  }
}

/** Agent 5 manages project 1 only. */
const ownership: Ownership = {
  project: async () => null,
  contract: async () => null,
  ownedProjects: async (o) =>
    o.pmAgentId === 5 ? [{ id: 1, clientId: 77, rag: 'red' as const }] : [],
  clientsOf: async () => [],
};
const access = new ReadAccess(ownership);
const clock = { now: () => new Date('2026-11-23T12:00:00Z') };
const actor = (roles: ('pm' | 'pmo_lead' | 'msp_owner')[], haloAgentId: number | null = 5) => ({
  tenantId: 't1',
  aadObjectId: 'aad',
  name: 'Someone',
  email: null,
  roles,
  haloAgentId,
});
const text = (doc: DocumentSpec) => JSON.stringify(doc.blocks);

const REPORT: WeeklyReportView = {
  weekOf: '2026-11-23',
  counts: { red: 2, amber: 0, green: 0, unknown: 0 },
  lines: [1, 2].map((id) => ({
    projectId: id,
    projectName: `Project ${id}`,
    clientName: 'Contoso',
    rag: 'red' as const,
    score: 40,
    causes: ['burn'],
    mitigationOwner: null,
    recoveryDate: null,
    changeSinceLastWeek: null,
  })),
  changes: ['Project 1 amber -> red', 'Project 2 amber -> red'],
  generatedAt: '2026-11-23T06:00:00.000Z',
};

describe('ExportWeeklyReport', () => {
  test("a PM's report PDF holds only the lines and changes of their projects", async () => {
    const renderer = new CapturingRenderer();
    const result = await new ExportWeeklyReport({
      access,
      weeklyReport: async () => REPORT,
      renderer,
      clock,
      tenantName: 'Contoso MSP',
    }).run(actor(['pm']));
    expect(result).toMatchObject({ ok: true, file: { fileName: 'weekly-report-2026-11-23.pdf' } });
    const doc = renderer.docs[0]!;
    expect(doc).toMatchObject({ tenantName: 'Contoso MSP', date: '2026-11-23' });
    expect(text(doc)).toContain('Project 1');
    expect(text(doc)).not.toContain('Project 2');
  });

  test('no role, no report', async () => {
    const renderer = new CapturingRenderer();
    const result = await new ExportWeeklyReport({
      access,
      weeklyReport: async () => REPORT,
      renderer,
      clock,
      tenantName: 'x',
    }).run(actor([], null));
    expect(result).toMatchObject({ ok: false, reason: 'no-role' });
    expect(renderer.docs).toHaveLength(0);
  });
});

const gate = (id: string, requestedAt: string, decidedAt: string | null): GateDecisionRecord => ({
  gateId: id,
  projectId: 1,
  projectName: 'P',
  clientName: 'C',
  milestoneName: 'M',
  status: decidedAt ? 'approved' : 'pending',
  packVersion: 1,
  packHash: 'h',
  requestedAt,
  gateDecidedAt: decidedAt,
  outcome: decidedAt ? 'approve' : null,
  approverName: null,
  comment: null,
  decidedAt,
});

function brief() {
  const renderer = new CapturingRenderer();
  const records: Pick<ExportRecords, 'escalationOutcomes' | 'gateDecisions' | 'concessions'> = {
    escalationOutcomes: async () => ({ opened: 9, confirmed: 6, falsePositives: 2, stillOpen: 1 }),
    gateDecisions: async () => [
      gate('g1', '2026-11-01T09:00:00.000Z', '2026-11-02T09:00:00.000Z'),
      // Two decision rows of one gate count once.
      gate('g2', '2026-11-01T09:00:00.000Z', '2026-11-05T09:00:00.000Z'),
      gate('g2', '2026-11-01T09:00:00.000Z', '2026-11-05T09:00:00.000Z'),
      gate('g3', '2026-11-01T09:00:00.000Z', null),
    ],
    concessions: async () => [],
  };
  const kpis: KpisView = { weeks: [], movement: [], generatedAt: '' };
  const useCase = new ExportPilotBrief({
    access,
    deliveryKpis: async () => kpis,
    renewalKpis: async () =>
      ({ kpis: { grr: 0.97, upliftConversion: null, avgConcessionDepthPct: 8 } }) as RenewalKpiView,
    records,
    gateSlaHours: 48,
    renderer,
    clock,
    tenantName: 'Contoso MSP',
  });
  return { useCase, renderer };
}

describe('ExportPilotBrief', () => {
  test('counts gates decided within the SLA and confirmed escalations; commercials for owners', async () => {
    const { useCase, renderer } = brief();
    expect((await useCase.run(actor(['msp_owner'], null))).ok).toBe(true);
    const doc = text(renderer.docs[0]!);
    expect(doc).toContain('1 of 2 decided gates were decided within 48 hours');
    expect(doc).toContain('"label":"Confirmed by a person","value":"6"');
    expect(doc).toContain('"label":"Average concession depth","value":"8.0 %"');
  });

  test('a PMO lead gets no commercial section; a PM no brief', async () => {
    const { useCase, renderer } = brief();
    expect((await useCase.run(actor(['pmo_lead'], null))).ok).toBe(true);
    expect(text(renderer.docs[0]!)).not.toContain('concession');
    expect(await useCase.run(actor(['pm']))).toMatchObject({ ok: false, reason: 'forbidden' });
  });
});
