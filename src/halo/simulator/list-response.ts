/** `GET /api/<Resource>`: a list answer in HaloPSA's envelope (or a bare array), streamed. */
import type { ServerResponse } from 'node:http';
import type { HaloResource } from './dataset';
import type { ListQuery, ListSelection, Query } from './list-query';
import type { LooseIds } from './realistic';
import type { HaloRecord } from './record-collection';
import { ENVELOPE_KEY } from './resource-names';
import type { ServedData } from './served-data';

/** Rows serialised per write: bounds memory on unpaged reads of large collections. */
const CHUNK_ROWS = 500;

/** A list answer before it is written: its envelope around the selected rows, each as JSON text. */
export interface ListAnswer {
  selection: ListSelection;
  /** The envelope's opening (`{"record_count":…,"tickets":[` or `[`). */
  head: string;
  /** The envelope's closing (`]}` or `]`). */
  tail: string;
  /** The k-th selected row as it goes on the wire. */
  row(k: number): string;
}

/** What `GET /api/<Resource>?q` answers, row by row (the HTTP server and the in-process reader). */
export function listAnswer(
  data: ServedData,
  lists: ListQuery,
  resource: HaloResource,
  q: Query,
  ids: LooseIds,
): ListAnswer {
  const sel = lists.select(resource, q);
  const includeLines = /^(true|1)$/i.test(q.includelines ?? '') && resource === 'RecurringInvoice';
  const rowAt = (i: number): HaloRecord =>
    includeLines ? data.full(resource, i) : data.row(resource, i);
  const key = ENVELOPE_KEY[resource];
  return {
    selection: sel,
    head: key
      ? `{${sel.paged ? `"page_no":${sel.pageNo},"page_size":${sel.pageSize},` : ''}"record_count":${sel.total},"${key}":[`
      : '[',
    tail: key ? ']}' : ']',
    row: (k) => ids.serialise(resource, rowAt(sel.indices[k] ?? 0)),
  };
}

export function sendList(
  res: ServerResponse,
  data: ServedData,
  lists: ListQuery,
  resource: HaloResource,
  q: Query,
  ids: LooseIds,
): void {
  const answer = listAnswer(data, lists, resource, q, ids);
  const rows = answer.selection.indices.length;
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
  // Stream in chunks so an unpaged read of a large collection never builds one huge string.
  let k = 0;
  res.write(answer.head);
  const pump = (): void => {
    while (k < rows) {
      const end = Math.min(rows, k + CHUNK_ROWS);
      const parts: string[] = [];
      for (; k < end; k++) parts.push(answer.row(k));
      const chunk = (k - parts.length > 0 ? ',' : '') + parts.join(',');
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
    res.end(answer.tail);
  };
  pump();
}
