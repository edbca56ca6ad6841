/**
 * The exports of the demo app over real HTTP: the KPI and risk register workbook opens in exceljs
 * again with its sheets, tables and values and converts in LibreOffice; the weekly report and pilot
 * proof brief PDFs parse and render with poppler; every file holds only what the role reads.
 */
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { DemoUsersDto, ProjectsPageDto, WeeklyReportDto } from '../../src/api/dto';
import { loadConfig } from '../../src/config';
import { startApp, type RunningApp } from '../../src/main';
import { hasCommand, libreOfficeConvert, pdfPageImages, pdfText } from './document-tools';

const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
const NOW = new Date('2026-11-23T12:00:00Z');
const TENANT_NAME = 'Contoso Managed Services';
/** pdftotext breaks table cells over lines: compare text with whitespace collapsed. */
const flat = (text: string) => text.replace(/\s+/g, ' ');

describe('exports of the demo app', () => {
  let app: RunningApp;
  let pm: string;
  let lead: string;
  let owner: string;
  const tools = { poppler: false, soffice: false };

  beforeAll(async () => {
    tools.poppler = (await hasCommand('pdftotext')) && (await hasCommand('pdftoppm'));
    tools.soffice = await hasCommand('soffice');
    app = await startApp(
      loadConfig({ PORT: '0', HALO_SIM_PORT: '0', LOG_LEVEL: 'warn', TENANT_NAME }),
      {
        database: { memory: true },
        schedule: false,
        logDestination: quiet,
        clock: { now: () => NOW },
        demo: { seed: 11, asOf: '2026-11-23' },
      },
    );
    const users = ((await (await fetch(`${app.url}/api/v1/demo/users`)).json()) as DemoUsersDto)
      .items;
    pm = users.find((u) => u.roles.length === 1 && u.roles[0] === 'pm')!.signInEmail;
    lead = users.find((u) => u.roles.includes('pmo_lead'))!.signInEmail;
    owner = users.find((u) => u.roles.includes('msp_owner'))!.signInEmail;
  }, 240_000);
  afterAll(async () => {
    await app.close();
  });

  const download = async (path: string, user: string) => {
    const response = await fetch(`${app.url}/api/v1${path}`, { headers: { 'X-Demo-User': user } });
    return {
      status: response.status,
      type: response.headers.get('content-type') ?? '',
      disposition: response.headers.get('content-disposition') ?? '',
      bytes: Buffer.from(await response.arrayBuffer()),
    };
  };
  const json = async <T>(path: string, user: string): Promise<T> =>
    (await (
      await fetch(`${app.url}/api/v1${path}`, { headers: { 'X-Demo-User': user } })
    ).json()) as T;
  const workbook = async (bytes: Buffer) => {
    const book = new ExcelJS.Workbook();
    // exceljs types its input as an ArrayBuffer-like Buffer: hand it the bytes' own ArrayBuffer.
    await book.xlsx.load(new Uint8Array(bytes).buffer);
    return book;
  };
  /** The data rows of a sheet's one table (header row left out), as plain values. */
  const tableRows = (sheet: ExcelJS.Worksheet) => {
    const rows: unknown[][] = [];
    sheet.eachRow((row, n) => {
      if (n > 1) rows.push((row.values as unknown[]).slice(1));
    });
    return rows.filter((r) => r.some((v) => v !== null && v !== undefined));
  };

  test("the msp owner's register has every sheet as an Excel table, frozen header, typed cells", async () => {
    const file = await download('/exports/register.xlsx', owner);
    expect(file.status).toBe(200);
    expect(file.type).toContain('spreadsheetml');
    expect(file.disposition).toContain('kpi-risk-register-2026-11-23.xlsx');
    const book = await workbook(file.bytes);
    expect(book.worksheets.map((s) => s.name)).toEqual([
      'KPIs',
      'Risk register',
      'Project portfolio',
      'Renewal pipeline',
      'Concessions',
      'Gate decisions',
    ]);
    for (const sheet of book.worksheets) {
      expect(Object.keys((sheet as unknown as { tables: object }).tables)).toHaveLength(1);
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    }
    const kpis = tableRows(book.getWorksheet('KPIs')!);
    expect(kpis.map((r) => r[1])).toEqual([
      'On-time milestone rate',
      'Budget variance',
      'Gross-margin accuracy',
      'Gross retention rate',
      'Uplift conversion rate',
      'Average concession depth',
    ]);
    expect(book.getWorksheet('KPIs')!.getColumn(4).numFmt).toBe('0.0%');

    const all = await json<ProjectsPageDto>('/projects?pageSize=200', owner);
    const portfolio = tableRows(book.getWorksheet('Project portfolio')!);
    expect(portfolio).toHaveLength(all.total);
    expect(new Set(portfolio.map((r) => r[0]))).toEqual(new Set(all.items.map((p) => p.id)));
    const asOf = book.getWorksheet('Project portfolio')!.getCell('J2').value;
    expect(asOf).toBeInstanceOf(Date);

    const renewals = await json<{ total: number }>('/renewals?days=365', owner);
    expect(tableRows(book.getWorksheet('Renewal pipeline')!)).toHaveLength(renewals.total);
    const risks = tableRows(book.getWorksheet('Risk register')!);
    expect(risks.some((r) => r[0] === 'Delivery escalation')).toBe(true);
    expect(risks.every((r) => typeof r[1] === 'string' && r[6] !== undefined)).toBe(true);
  });

  test("a PM's workbook holds only their projects and no commercial sheet", async () => {
    const file = await download('/exports/register.xlsx', pm);
    expect(file.status).toBe(200);
    const book = await workbook(file.bytes);
    expect(book.worksheets.map((s) => s.name)).toEqual([
      'Risk register',
      'Project portfolio',
      'Gate decisions',
    ]);
    const mine = await json<ProjectsPageDto>('/projects?pageSize=200', pm);
    const all = await json<ProjectsPageDto>('/projects?pageSize=200', owner);
    expect(mine.total).toBeLessThan(all.total);
    const portfolio = tableRows(book.getWorksheet('Project portfolio')!);
    expect(new Set(portfolio.map((r) => r[0]))).toEqual(new Set(mine.items.map((p) => p.id)));
    const names = new Set(mine.items.map((p) => p.name));
    const risks = tableRows(book.getWorksheet('Risk register')!);
    expect(risks.every((r) => names.has(r[2] as string))).toBe(true);

    expect((await download('/exports/renewals.xlsx', pm)).status).toBe(403);
    expect((await download('/exports/concessions.xlsx', pm)).status).toBe(403);
    expect((await download('/exports/kpis.xlsx', pm)).status).toBe(403);
    expect((await download('/exports/pilot-proof-brief.pdf', pm)).status).toBe(403);
    const one = await workbook((await download('/exports/projects.xlsx', pm)).bytes);
    expect(one.worksheets.map((s) => s.name)).toEqual(['Project portfolio']);
  });

  test('an unknown or hostile export name is a 404, and no sign-in is refused', async () => {
    for (const name of ['nope.xlsx', 'register.csv', '..%2Fregister.xlsx', 'register.xlsx.pdf']) {
      expect((await download(`/exports/${name}`, lead)).status).toBe(404);
    }
    const anonymous = await fetch(`${app.url}/api/v1/exports/register.xlsx`);
    expect(anonymous.status).toBeGreaterThanOrEqual(401);
    expect(anonymous.status).toBeLessThan(404);
  });

  test('LibreOffice converts the workbook headless, every sheet, without a repair', async () => {
    if (!tools.soffice) {
      console.warn(
        'skipped: soffice (Debian libreoffice-calc) is not installed; .ci/run installs it',
      );
      return;
    }
    const file = await download('/exports/register.xlsx', owner);
    const csv = await libreOfficeConvert(file.bytes, 'csv');
    expect(csv.output).not.toMatch(/repair|corrupt|error/i);
    const lines = csv.file.toString('utf8').trim().split(/\r?\n/);
    expect(lines[0]).toContain('Baseline');
    expect(lines[1]).toContain('On-time milestone rate');
    if (!tools.poppler) return;
    // Every sheet loads: the PDF of the whole workbook holds each table's header.
    const pdf = await libreOfficeConvert(file.bytes, 'pdf');
    expect(pdf.output).not.toMatch(/repair|corrupt|error/i);
    const text = flat(await pdfText(pdf.file));
    for (const header of [
      'Better when',
      'Mitigation owner',
      'Open escalations',
      'Days to end',
      'Approver tier',
      'Pack SHA-256',
    ]) {
      expect(text).toContain(header);
    }
  }, 180_000);

  test('the weekly report PDF has real text, the tenant and date on every page, and renders', async () => {
    if (!tools.poppler) {
      console.warn(
        'skipped: pdftotext/pdftoppm (Debian poppler-utils) are not installed; .ci/run installs them',
      );
      return;
    }
    const file = await download('/exports/weekly-report.pdf', lead);
    expect(file.status).toBe(200);
    expect(file.type).toBe('application/pdf');
    const report = await json<WeeklyReportDto>('/report/weekly', lead);
    const text = flat(await pdfText(file.bytes));
    expect(text).toContain('Weekly control report, week of 2026-11-23');
    expect(report.lines.length).toBeGreaterThan(0);
    // A cell's line break can swallow a " - " separator: look for the name's first part and the client.
    for (const line of report.lines) {
      expect(text).toContain(flat(line.projectName.split(' - ')[0]!));
      expect(text).toContain(line.clientName);
    }
    const pages = await pdfPageImages(file.bytes);
    expect(pages.length).toBeGreaterThan(0);
    expect(pages.every((size) => size > 1000)).toBe(true);
    const stamps = text.match(
      new RegExp(`${TENANT_NAME} · 2026-11-23 · page \\d+ of ${pages.length}`, 'g'),
    );
    expect(stamps).toHaveLength(pages.length);
    expect(file.bytes.toString('latin1')).toContain('/StructTreeRoot');
  });

  test('the pilot proof brief shows KPI movement, escalations, gates and concessions', async () => {
    if (!tools.poppler) {
      console.warn(
        'skipped: pdftotext (Debian poppler-utils) is not installed; .ci/run installs it',
      );
      return;
    }
    const file = await download('/exports/pilot-proof-brief.pdf', owner);
    expect(file.status).toBe(200);
    const text = flat(await pdfText(file.bytes));
    for (const words of [
      'Pilot proof brief',
      'frozen week-1 baseline',
      'On-time milestone rate',
      'Confirmed by a person',
      'decided gates were decided within',
      'Average concession depth',
      TENANT_NAME,
    ]) {
      expect(text).toContain(words);
    }
    expect((await pdfPageImages(file.bytes)).length).toBeGreaterThan(0);
    const leadBrief = await pdfText((await download('/exports/pilot-proof-brief.pdf', lead)).bytes);
    expect(leadBrief).not.toContain('Average concession depth');
  });

  test('the post-project review of a closed project renders its review; a PM reads only theirs', async () => {
    const open = await json<ProjectsPageDto>('/projects?pageSize=200', lead);
    const all = await json<ProjectsPageDto>('/projects?pageSize=200&status=all', lead);
    const openIds = new Set(open.items.map((p) => p.id));
    const closed = all.items.find((p) => !openIds.has(p.id));
    expect(closed).toBeDefined();
    const file = await download(`/exports/projects/${closed!.id}/post-project-review.pdf`, lead);
    expect(file.status).toBe(200);
    expect(file.type).toBe('application/pdf');
    expect(file.disposition).toContain(`post-project-review-${closed!.id}-2026-11-23.pdf`);

    const mine = await json<ProjectsPageDto>('/projects?pageSize=200', pm);
    const notMine = open.items.find((p) => !mine.items.some((m) => m.id === p.id))!;
    expect(
      (await download(`/exports/projects/${notMine.id}/post-project-review.pdf`, pm)).status,
    ).toBe(403);
    expect((await download('/exports/projects/abc/post-project-review.pdf', lead)).status).toBe(
      400,
    );
    expect(
      (await download('/exports/projects/99999999/post-project-review.pdf', lead)).status,
    ).toBe(404);

    if (!tools.poppler) {
      console.warn(
        'skipped the PDF text checks: poppler-utils is not installed; .ci/run installs it',
      );
      return;
    }
    const text = flat(await pdfText(file.bytes));
    for (const words of [
      `Post-project review: ${flat(closed!.name)}`,
      'Estimate accuracy by task type',
      'Risk misses',
      'Corrective actions',
      'Suggested policy adjustments',
      `${TENANT_NAME} · 2026-11-23 · page 1 of`,
    ]) {
      expect(text).toContain(words);
    }
    expect(text).not.toContain('interim review');
    expect((await pdfPageImages(file.bytes)).length).toBeGreaterThan(0);
  });
});
