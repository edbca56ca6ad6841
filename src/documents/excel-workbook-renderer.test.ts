import ExcelJS from 'exceljs';
import { ExcelWorkbookRenderer } from './excel-workbook-renderer';

async function reopen(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(new Uint8Array(bytes).buffer);
  return book;
}

describe('ExcelWorkbookRenderer', () => {
  test('writes each sheet as a filtered Excel table with typed, formatted cells and a frozen header', async () => {
    const bytes = await new ExcelWorkbookRenderer().render({
      title: 'KPI and risk register',
      tenantName: 'Contoso MSP',
      createdAt: '2026-11-23T12:00:00.000Z',
      sheets: [
        {
          name: 'KPIs',
          table: 'Kpis',
          columns: [
            { header: 'KPI', format: 'text' },
            { header: 'Baseline', format: 'percent' },
            { header: 'Due', format: 'date' },
            { header: 'At', format: 'datetime' },
          ],
          rows: [['Café rate', 0.5, '2026-01-02', '2026-01-02T10:30:00.000Z']],
        },
        { name: 'Empty', table: 'Empty', columns: [{ header: 'A', format: 'text' }], rows: [] },
      ],
    });
    const book = await reopen(bytes);
    expect(book.company).toBe('Contoso MSP');
    const kpis = book.getWorksheet('KPIs')!;
    const table = kpis.getTable('Kpis') as unknown as {
      table: { columns: { name: string; filterButton: boolean }[] };
    };
    expect(table.table.columns.map((c) => [c.name, c.filterButton])).toEqual([
      ['KPI', true],
      ['Baseline', true],
      ['Due', true],
      ['At', true],
    ]);
    expect(kpis.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(kpis.getCell('A2').value).toBe('Café rate');
    expect(kpis.getCell('B2').value).toBe(0.5);
    expect(kpis.getColumn(2).numFmt).toBe('0.0%');
    expect(kpis.getCell('C2').value).toEqual(new Date('2026-01-02T00:00:00.000Z'));
    expect(kpis.getColumn(3).numFmt).toBe('yyyy-mm-dd');
    expect(kpis.getCell('D2').value).toEqual(new Date('2026-01-02T10:30:00.000Z'));
    // An empty list still opens as a table (one blank row), not a repaired file.
    expect(book.getWorksheet('Empty')!.getTable('Empty')).toBeDefined();
  });
});
