/**
 * The rendering ports of the exports: a workbook and a document described as plain values, turned
 * into bytes by adapters (src/documents: exceljs and pdfkit). Use cases build the values; they never
 * see a library.
 */

/** How a column's cells are typed and shown. Dates are ISO `YYYY-MM-DD`, times ISO timestamps. */
export type ColumnFormat =
  'text' | 'integer' | 'decimal' | 'percent' | 'money' | 'date' | 'datetime';

/** One column of a sheet's table. */
export interface SheetColumn {
  header: string;
  format: ColumnFormat;
}

/** A cell: text, a number (a fraction for `percent`), an ISO date or time string, or empty. */
export type SheetCell = string | number | null;

/** One sheet holding one Excel table (filters, frozen header row). */
export interface SheetSpec {
  /** Tab name (≤ 31 characters, no `[]:*?/\`). */
  name: string;
  /** Excel table name: letters, digits and underscores, unique in the workbook. */
  table: string;
  columns: SheetColumn[];
  rows: SheetCell[][];
}

/** A workbook of one or more sheets. */
export interface WorkbookSpec {
  title: string;
  /** The MSP the data belongs to (document properties). */
  tenantName: string;
  /** ISO timestamp the data was read. */
  createdAt: string;
  sheets: SheetSpec[];
}

/** A block of a document, in reading order. */
export type DocumentBlock =
  | { kind: 'heading'; level: 1 | 2; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'facts'; items: { label: string; value: string }[] }
  | { kind: 'list'; items: string[] }
  | { kind: 'table'; columns: string[]; rows: string[][] };

/** A document (PDF): a title, the tenant and date printed on every page, and its blocks. */
export interface DocumentSpec {
  title: string;
  tenantName: string;
  /** ISO date the document is dated. */
  date: string;
  blocks: DocumentBlock[];
}

/** Turns a workbook into `.xlsx` bytes. */
export interface WorkbookRenderer {
  render(book: WorkbookSpec): Promise<Buffer>;
}

/** Turns a document into accessible (tagged) PDF bytes. */
export interface DocumentRenderer {
  render(doc: DocumentSpec): Promise<Buffer>;
}

/** A rendered export, ready to send or store. */
export interface ExportedFile {
  fileName: string;
  contentType: string;
  bytes: Buffer;
}

export const XLSX_CONTENT_TYPE =
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const PDF_CONTENT_TYPE = 'application/pdf';
