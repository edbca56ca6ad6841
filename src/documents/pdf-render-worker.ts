/**
 * The PDF renderer's worker thread (see `PdfRenderWorker`): renders each document it is sent with
 * the pdfkit adapter and sends back its bytes, or the error's message.
 */
import { parentPort } from 'node:worker_threads';
import type { DocumentSpec } from '../app/exports/document-renderer.port';
import { PdfDocumentRenderer } from './pdf-document-renderer';

/** A document to render, and the number its answer carries. */
export interface RenderRequest {
  id: number;
  spec: DocumentSpec;
}

/** The bytes of document `id`, or why it could not be rendered. */
export type RenderAnswer = { id: number; bytes: Uint8Array } | { id: number; error: string };

const port = parentPort;
if (port !== null) {
  const renderer = new PdfDocumentRenderer();
  port.on('message', (request: RenderRequest) => {
    renderer.render(request.spec).then(
      (bytes) => {
        // Its own buffer (a small Buffer may share Node's pool), handed over without a copy.
        const owned = new Uint8Array(bytes);
        port.postMessage({ id: request.id, bytes: owned } satisfies RenderAnswer, [owned.buffer]);
      },
      (error: unknown) => {
        port.postMessage({
          id: request.id,
          error: error instanceof Error ? error.message : String(error),
        } satisfies RenderAnswer);
      },
    );
  });
}
