import ExcelJS from 'exceljs';
import type {
  ColumnFormat,
  SheetCell,
  WorkbookRenderer,
  WorkbookSpec,
} from '../app/exports/document-renderer.port';

/** Excel number formats per column format. */
const NUMBER_FORMATS: Record<ColumnFormat, string | undefined> = {
  text: '@',
  integer: '0',
  decimal: '0.00',
  percent: '0.0%',
  money: '#,##0.00',
  date: 'yyyy-mm-dd',
  datetime: 'yyyy-mm-dd hh:mm',
};

const WIDTHS: Record<ColumnFormat, number> = {
  text: 28,
  integer: 10,
  decimal: 12,
  percent: 12,
  money: 14,
  date: 12,
  datetime: 17,
};

/** The `.xlsx` adapter (exceljs): each sheet one Excel table with filters and a frozen header. */
export class ExcelWorkbookRenderer implements WorkbookRenderer {
  async render(book: WorkbookSpec): Promise<Buffer> {
    const workbook = new ExcelJS.Workbook();
    workbook.creator = 'Control Tower';
    workbook.company = book.tenantName;
    workbook.title = book.title;
    workbook.created = new Date(book.createdAt);
    workbook.modified = new Date(book.createdAt);
    for (const spec of book.sheets) {
      const sheet = workbook.addWorksheet(spec.name, {
        views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }],
      });
      spec.columns.forEach((column, i) => {
        const col = sheet.getColumn(i + 1);
        col.width = Math.max(WIDTHS[column.format], Math.min(40, column.header.length + 4));
        const numFmt = NUMBER_FORMATS[column.format];
        if (numFmt !== undefined) col.numFmt = numFmt;
      });
      // An empty table is not valid Excel: keep one blank row so the table (and its filter) exists.
      const rows = spec.rows.length > 0 ? spec.rows : [spec.columns.map(() => null)];
      sheet.addTable({
        name: spec.table,
        ref: 'A1',
        headerRow: true,
        totalsRow: false,
        style: { theme: 'TableStyleMedium2', showRowStripes: true },
        columns: spec.columns.map((c) => ({ name: c.header, filterButton: true })),
        rows: rows.map((row) => row.map((cell, i) => cellValue(cell, spec.columns[i]?.format))),
      });
    }
    return Buffer.from(await workbook.xlsx.writeBuffer());
  }
}

function cellValue(cell: SheetCell, format: ColumnFormat | undefined): ExcelJS.CellValue {
  if (cell === null) return null;
  if ((format === 'date' || format === 'datetime') && typeof cell === 'string') {
    const at = new Date(format === 'date' ? `${cell.slice(0, 10)}T00:00:00Z` : cell);
    return Number.isNaN(at.getTime()) ? cell : at;
  }
  return cell;
}
