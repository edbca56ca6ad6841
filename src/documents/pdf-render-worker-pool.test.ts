import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { DocumentSpec } from '../app/exports/document-renderer.port';
import { PdfDocumentRenderer } from './pdf-document-renderer';
import { PdfRenderWorker } from './pdf-render-worker-pool';

function spec(title: string): DocumentSpec {
  return {
    title,
    tenantName: 'Contoso MSP',
    date: '2026-11-23',
    blocks: [
      { kind: 'heading', level: 1, text: 'Red and amber' },
      { kind: 'paragraph', text: `Two projects are red in ${title}.` },
      { kind: 'table', columns: ['Project', 'RAG'], rows: [['Intranet', 'red']] },
    ],
  };
}

describe('PdfRenderWorker', () => {
  let worker: PdfRenderWorker;
  beforeEach(() => {
    worker = new PdfRenderWorker();
  });
  afterEach(async () => {
    await worker.close();
  });

  test('renders on its thread the same bytes as the renderer in this one, each document its own', async () => {
    const titles = ['Weekly control report', 'Evidence pack: Intranet', 'Pilot proof brief'];
    const here = new PdfDocumentRenderer();
    const rendered = await Promise.all(titles.map((t) => worker.render(spec(t))));
    for (const [i, title] of titles.entries()) {
      expect(rendered[i]!.equals(await here.render(spec(title)))).toBe(true);
    }
    expect(rendered[0]!.equals(rendered[1]!)).toBe(false);
  });

  test('a document that cannot be rendered fails with the reason; the next one is rendered', async () => {
    const broken = { ...spec('x'), title: null } as unknown as DocumentSpec;
    await expect(worker.render(broken)).rejects.toThrow(/not iterable/);
    const bytes = await worker.render(spec('after'));
    expect(bytes.subarray(0, 8).toString('latin1')).toBe('%PDF-1.7');
  });

  test('documents held by a worker that dies fail; the next document starts another', async () => {
    const held = worker.render(spec('held'));
    // The worker ends under it (as a crash would), without the renderer closing.
    const internals = worker as unknown as { worker: { terminate(): Promise<number> } };
    await internals.worker.terminate();
    await expect(held).rejects.toThrow(/stopped/);
    const bytes = await worker.render(spec('again'));
    expect(bytes.equals(await new PdfDocumentRenderer().render(spec('again')))).toBe(true);
  });

  test('closing fails the documents in the worker and any asked for afterwards', async () => {
    const held = expect(worker.render(spec('held'))).rejects.toThrow(/closed/);
    await worker.close();
    await held;
    await expect(worker.render(spec('late'))).rejects.toThrow(/closed/);
  });

  test('a document that cannot be sent to the worker fails at once, and nothing waits for it', async () => {
    const unsendable = { ...spec('x'), blocks: [{ kind: 'paragraph', text: () => 'x' }] };
    await expect(worker.render(unsendable as unknown as DocumentSpec)).rejects.toThrow(/clone/);
    expect((worker as unknown as { pending: Map<number, unknown> }).pending.size).toBe(0);
  });

  test('an idle worker does not keep the process alive (no close needed to exit)', () => {
    const script = `
      const { PdfRenderWorker } = require(${JSON.stringify(path.join(__dirname, 'pdf-render-worker-pool.ts'))});
      new PdfRenderWorker()
        .render({ title: 't', tenantName: 'c', date: '2026-11-23', blocks: [] })
        .then((bytes) => console.log('rendered', bytes.length));
    `;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^rendered \d+/);
    expect(run.status).toBe(0);
  });
});
