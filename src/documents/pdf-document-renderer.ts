import PDFDocument from 'pdfkit';
import type {
  DocumentBlock,
  DocumentRenderer,
  DocumentSpec,
} from '../app/exports/document-renderer.port';

const MARGIN = 56;
const BODY_SIZE = 10;
/** Room kept at the top and bottom of each page for the tenant and date lines. */
const BAND = 28;

/**
 * The PDF adapter (pdfkit): a tagged PDF (document structure with headings, paragraphs, lists and
 * tables; language and title set) with real text, and the tenant's name, the date and the page
 * number on every page, marked as pagination artifacts so readers skip them.
 */
export class PdfDocumentRenderer implements DocumentRenderer {
  async render(input: DocumentSpec): Promise<Buffer> {
    const spec = printableSpec(input);
    const doc = new PDFDocument({
      size: 'A4',
      margins: { top: MARGIN + BAND, bottom: MARGIN + BAND, left: MARGIN, right: MARGIN },
      bufferPages: true,
      tagged: true,
      lang: 'en-GB',
      displayTitle: true,
      pdfVersion: '1.7',
      info: {
        Title: spec.title,
        Author: spec.tenantName,
        Creator: 'Control Tower',
        CreationDate: new Date(`${spec.date}T00:00:00Z`),
      },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    const done = new Promise<Buffer>((resolve, reject) => {
      doc.on('end', () => resolve(Buffer.concat(chunks)));
      doc.on('error', reject);
    });

    const root = doc.struct('Document');
    doc.addStructure(root);
    root.add(doc.struct('H1', {}, () => doc.font('Helvetica-Bold').fontSize(18).text(spec.title)));
    doc.moveDown(0.5);
    for (const block of spec.blocks) renderBlock(doc, root, block);
    root.end();

    stampPages(doc, spec);
    doc.end();
    return done;
  }
}

/** Characters above U+00FF that the standard fonts' WinAnsi encoding still has. */
const WIN_ANSI_EXTRAS = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
const SPELLED: Record<string, string> = {
  '→': '->',
  '←': '<-',
  '≤': '<=',
  '≥': '>=',
  '−': '-',
  '≈': '~',
};

/**
 * Text the built-in PDF fonts can show: they encode WinAnsi only, so other characters are spelled
 * out (→ as ->), stripped of accents they cannot carry, or shown as "?" rather than as garbage.
 */
export function printable(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code <= 0xff || WIN_ANSI_EXTRAS.has(ch)) out += ch;
    else if (SPELLED[ch] !== undefined) out += SPELLED[ch];
    else {
      const base = ch.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
      out += [...base].every((c) => c.codePointAt(0)! <= 0xff) && base !== '' ? base : '?';
    }
  }
  return out;
}

type Doc = PDFKit.PDFDocument;
type Struct = PDFKit.PDFStructureElement;

function renderBlock(doc: Doc, parent: Struct, block: DocumentBlock): void {
  switch (block.kind) {
    case 'heading':
      doc.moveDown(0.6);
      parent.add(
        doc.struct(block.level === 1 ? 'H2' : 'H3', {}, () =>
          doc
            .font('Helvetica-Bold')
            .fontSize(block.level === 1 ? 14 : 12)
            .text(block.text),
        ),
      );
      doc.moveDown(0.3);
      return;
    case 'paragraph':
      parent.add(doc.struct('P', {}, () => body(doc).text(block.text)));
      doc.moveDown(0.4);
      return;
    case 'facts': {
      const list = doc.struct('L');
      parent.add(list);
      for (const item of block.items) {
        list.add(
          doc.struct('LI', {}, [
            doc.struct('Lbl', {}, () =>
              doc.font('Helvetica-Bold').fontSize(BODY_SIZE).text(`${item.label}: `, {
                continued: true,
              }),
            ),
            doc.struct('LBody', {}, () => body(doc).text(item.value)),
          ]),
        );
      }
      list.end();
      doc.moveDown(0.4);
      return;
    }
    case 'list': {
      const list = doc.struct('L');
      parent.add(list);
      for (const item of block.items) {
        list.add(doc.struct('LI', {}, () => body(doc).text(`• ${item}`, { indent: 8 })));
      }
      list.end();
      doc.moveDown(0.4);
      return;
    }
    case 'table':
      renderTable(doc, parent, block.columns, block.rows);
      doc.moveDown(0.4);
      return;
  }
}

function body(doc: Doc): Doc {
  return doc.font('Helvetica').fontSize(BODY_SIZE);
}

/** A table as rows of cells at fixed column positions; a row that does not fit starts a new page. */
function renderTable(doc: Doc, parent: Struct, columns: string[], rows: string[][]): void {
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  // Columns share the width by how long their longest cell is (within bounds), so short codes
  // do not take the room long text needs.
  const weights = columns.map((header, i) =>
    Math.min(40, Math.max(8, header.length, ...rows.map((r) => (r[i] ?? '').length))),
  );
  const total = weights.reduce((a, b) => a + b, 0);
  const widths = weights.map((w) => (width * w) / total);
  const lefts = widths.map((_, i) => left + widths.slice(0, i).reduce((a, b) => a + b, 0));
  const table = doc.struct('Table');
  parent.add(table);
  const row = (cells: string[], header: boolean) => {
    doc.font(header ? 'Helvetica-Bold' : 'Helvetica').fontSize(BODY_SIZE - 1);
    const height =
      Math.max(...cells.map((c, i) => doc.heightOfString(c || ' ', { width: widths[i]! - 6 }))) + 4;
    if (doc.y + height > doc.page.height - doc.page.margins.bottom) doc.addPage();
    const top = doc.y;
    const tr = doc.struct('TR');
    table.add(tr);
    cells.forEach((cell, i) => {
      tr.add(
        doc.struct(header ? 'TH' : 'TD', {}, () =>
          doc.text(cell || ' ', lefts[i]!, top, { width: widths[i]! - 6 }),
        ),
      );
    });
    tr.end();
    doc.x = left;
    doc.y = top + height;
  };
  row(columns, true);
  for (const cells of rows)
    row(
      columns.map((_, i) => cells[i] ?? ''),
      false,
    );
  table.end();
}

/** The tenant, the date and "page n of m" on every page, as pagination artifacts. */
function stampPages(doc: Doc, spec: DocumentSpec): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const { margins } = doc.page;
    const bottom = margins.bottom;
    // Text in the bottom margin must not start a new page.
    doc.page.margins.bottom = 0;
    const width = doc.page.width - margins.left - margins.right;
    doc.markContent('Artifact', { type: 'Pagination' });
    doc
      .font('Helvetica')
      .fontSize(8)
      .fillColor('#444444')
      .text(`${spec.tenantName} · ${spec.title}`, margins.left, MARGIN, {
        width,
        lineBreak: false,
      });
    doc.text(
      `${spec.tenantName} · ${spec.date} · page ${i - range.start + 1} of ${range.count}`,
      margins.left,
      doc.page.height - MARGIN,
      { width, lineBreak: false },
    );
    doc.endMarkedContent();
    doc.fillColor('black');
    doc.page.margins.bottom = bottom;
  }
}

function printableSpec(spec: DocumentSpec): DocumentSpec {
  return {
    title: printable(spec.title),
    tenantName: printable(spec.tenantName),
    date: spec.date,
    blocks: spec.blocks.map((block): DocumentBlock => {
      switch (block.kind) {
        case 'heading':
        case 'paragraph':
          return { ...block, text: printable(block.text) };
        case 'facts':
          return {
            kind: 'facts',
            items: block.items.map((i) => ({
              label: printable(i.label),
              value: printable(i.value),
            })),
          };
        case 'list':
          return { kind: 'list', items: block.items.map(printable) };
        case 'table':
          return {
            kind: 'table',
            columns: block.columns.map(printable),
            rows: block.rows.map((r) => r.map(printable)),
          };
      }
    }),
  };
}
