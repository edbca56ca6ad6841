/** `GET /api/<Resource>`: a list answer in HaloPSA's envelope (or a bare array), streamed. */
import type { ServerResponse } from 'node:http';
import type { HaloResource } from './dataset';
import type { ListQuery, Query } from './list-query';
import type { LooseIds } from './realistic';
import type { HaloRecord } from './record-collection';
import { ENVELOPE_KEY } from './resource-names';
import type { ServedData } from './served-data';

/** Rows serialised per write: bounds memory on unpaged reads of large collections. */
const CHUNK_ROWS = 500;

export function sendList(
  res: ServerResponse,
  data: ServedData,
  lists: ListQuery,
  resource: HaloResource,
  q: Query,
  ids: LooseIds,
): void {
  const sel = lists.select(resource, q);
  const includeLines = /^(true|1)$/i.test(q.includelines ?? '') && resource === 'RecurringInvoice';
  const rowAt = (i: number): HaloRecord =>
    includeLines ? data.full(resource, i) : data.row(resource, i);
  const key = ENVELOPE_KEY[resource];
  const head = key
    ? `{${sel.paged ? `"page_no":${sel.pageNo},"page_size":${sel.pageSize},` : ''}"record_count":${sel.total},"${key}":[`
    : '[';
  const tail = key ? ']}' : ']';
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
  // Stream in chunks so an unpaged read of a large collection never builds one huge string.
  let k = 0;
  res.write(head);
  const pump = (): void => {
    while (k < sel.indices.length) {
      const end = Math.min(sel.indices.length, k + CHUNK_ROWS);
      const parts: string[] = [];
      for (; k < end; k++) parts.push(ids.serialise(resource, rowAt(sel.indices[k] ?? 0)));
      const chunk = (k - parts.length > 0 ? ',' : '') + parts.join(',');
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
    res.end(tail);
  };
  pump();
}
