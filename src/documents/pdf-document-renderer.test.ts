import { PdfDocumentRenderer, printable } from './pdf-document-renderer';

describe('printable', () => {
  test.each([
    ['Café Zürich', 'Café Zürich'],
    ['amber → red', 'amber -> red'],
    ['burn ≤ 1.10', 'burn <= 1.10'],
    ['€ 120 – “quoted”', '€ 120 – “quoted”'],
    ['Łódź', '?ódz'],
    ['東京', '??'],
  ])('%j prints as %j', (input, expected) => {
    expect(printable(input)).toBe(expected);
  });
});

describe('PdfDocumentRenderer', () => {
  test('writes a tagged PDF 1.7 with its language, title and structure elements', async () => {
    const bytes = await new PdfDocumentRenderer().render({
      title: 'Weekly control report',
      tenantName: 'Contoso MSP',
      date: '2026-11-23',
      blocks: [
        { kind: 'heading', level: 1, text: 'Red and amber' },
        { kind: 'paragraph', text: 'Two projects are red.' },
        { kind: 'facts', items: [{ label: 'Red', value: '2' }] },
        { kind: 'list', items: ['one', 'two'] },
        { kind: 'table', columns: ['Project', 'RAG'], rows: [['Intranet', 'red']] },
      ],
    });
    const raw = bytes.toString('latin1');
    expect(raw.startsWith('%PDF-1.7')).toBe(true);
    expect(raw).toContain('/StructTreeRoot');
    expect(raw).toContain('/MarkInfo');
    expect(raw).toMatch(/\/Lang \(en-GB\)/);
    for (const tag of ['/H1', '/H2', '/P', '/L', '/LI', '/Table', '/TR', '/TH', '/TD']) {
      expect(raw).toContain(tag);
    }
  });
});
