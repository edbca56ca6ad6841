/**
 * PDF documents rendered on a worker thread, so the event loop answering clicks is not held by
 * pdfkit (an evidence pack takes some ten milliseconds of CPU, archived after every approval; a
 * weekly report over a large portfolio far more). One worker, started on the first document and
 * kept; documents wait their turn in it. A worker that dies fails the documents it held, and the
 * next document starts a new one.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DocumentRenderer, DocumentSpec } from '../app/exports/document-renderer.port';
import type { RenderAnswer, RenderRequest } from './pdf-render-worker';

interface Pending {
  worker: Worker;
  resolve: (bytes: Buffer) => void;
  reject: (error: Error) => void;
}

/**
 * The worker's script beside this one: compiled JavaScript in a build; from source (`npm start`,
 * tests), TypeScript loaded through tsx's require hook, which works in a worker on Node 20 and 22.
 */
function startWorker(): Worker {
  if (path.extname(__filename) !== '.ts') {
    return new Worker(path.join(__dirname, 'pdf-render-worker.js'));
  }
  const script = path.join(__dirname, 'pdf-render-worker.ts');
  // Resolved here: the evaluated script would resolve from the working directory.
  const tsx = require.resolve('tsx/cjs/api');
  return new Worker(
    `require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(script)});`,
    { eval: true },
  );
}

export class PdfRenderWorker implements DocumentRenderer {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  render(spec: DocumentSpec): Promise<Buffer> {
    if (this.closed) return Promise.reject(new Error('the PDF renderer was closed'));
    const id = this.nextId++;
    return new Promise<Buffer>((resolve, reject) => {
      const worker = this.started();
      this.pending.set(id, { worker, resolve, reject });
      // Held open while it renders: the answer must be able to arrive.
      worker.ref();
      try {
        worker.postMessage({ id, spec } satisfies RenderRequest);
      } catch (error) {
        // A document that cannot be sent (a value that cannot be cloned) is not waited for.
        this.settled(worker, id);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  /** Stops the worker; documents still in it fail, and so does any asked for afterwards. */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = null;
    if (worker === null) return;
    this.failAll(worker, new Error('the PDF renderer was closed'));
    await worker.terminate();
  }

  private started(): Worker {
    if (this.worker !== null) return this.worker;
    const worker = startWorker();
    worker.on('message', (answer: RenderAnswer) => {
      const waiting = this.pending.get(answer.id);
      if (waiting === undefined) return;
      this.settled(worker, answer.id);
      if ('error' in answer) waiting.reject(new Error(answer.error));
      else
        waiting.resolve(
          Buffer.from(answer.bytes.buffer, answer.bytes.byteOffset, answer.bytes.byteLength),
        );
    });
    const lost = (error: Error) => {
      if (this.worker === worker) this.worker = null;
      this.failAll(worker, error);
    };
    worker.on('error', (error) => lost(error));
    worker.on('messageerror', (error) => lost(error));
    worker.on('exit', (code) => lost(new Error(`the PDF renderer stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }

  /**
   * Forgets document `id`; an idle worker no longer keeps the process alive (listening for
   * messages would, so it is unreferenced whenever nothing is waiting on it).
   */
  private settled(worker: Worker, id: number): void {
    this.pending.delete(id);
    for (const waiting of this.pending.values()) if (waiting.worker === worker) return;
    worker.unref();
  }

  /** Fails the documents `worker` held. */
  private failAll(worker: Worker, error: Error): void {
    for (const [id, waiting] of this.pending) {
      if (waiting.worker !== worker) continue;
      this.pending.delete(id);
      waiting.reject(error);
    }
  }
}
