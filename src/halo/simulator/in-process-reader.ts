/**
 * The simulator's data read without HTTP: a `HaloReader` for `HaloSync` that answers each list page
 * and full-record read with the very text the simulator's server would send (`listAnswer`,
 * `recordText`) and reads it back as `HaloClient` does (`extractPage`, `checkFilters`,
 * `selectKind`): the same records in the same pages, without sockets, tokens or a request budget.
 * The bench loads its scaled datasets this way (an HTTP sync of 8,000 projects takes most of an hour).
 *
 * Served with the default habits (no realistic profile), as the bench's simulator serves.
 */
import { assertKnownParams, checkFilters } from '../halo-filter-check';
import { extractPage, selectKind } from '../halo-paging';
import {
  haloResource,
  type HaloQueryParams,
  type HaloResourceName,
  type HaloResourceSpec,
} from '../halo-resources';
import type { HaloPage, HaloReader } from '../halo-sync';
import { silentLogger } from '../halo-transport';
import type { HaloDataset } from './dataset';
import { ListQuery, type Query } from './list-query';
import { listAnswer } from './list-response';
import { LooseIds, servingHabits } from './realistic';
import { resolveResource } from './resource-names';
import { recordText } from './routes';
import { ServedData } from './served-data';

/** Query parameters as the server receives them from the client's URL (lower-case names, text). */
function asQuery(params: HaloQueryParams): Query {
  const q: Query = {};
  for (const [key, value] of Object.entries(params)) {
    const name = key.toLowerCase();
    if (value !== undefined && !(name in q)) q[name] = String(value);
  }
  return q;
}

/** Reads a generated dataset page by page, as `HaloClient` reads it from the simulator's server. */
export class InProcessHaloReader implements HaloReader {
  private readonly data: ServedData;
  private readonly lists: ListQuery;
  private readonly ids: LooseIds;

  /** `pageSize`: the records per page asked for, as `HaloClient`'s option of that name. */
  constructor(
    dataset: HaloDataset,
    private readonly pageSize = 100,
  ) {
    const habits = servingHabits(false);
    this.data = new ServedData(dataset);
    this.lists = new ListQuery(this.data, habits);
    this.ids = new LooseIds(habits);
  }

  async *listPages(
    resource: HaloResourceName,
    params: HaloQueryParams,
    options: { startPage: number },
  ): AsyncIterable<HaloPage> {
    const spec = haloResource(resource);
    if (spec === undefined) throw new Error(`"${resource}" is not a catalogued resource`);
    assertKnownParams(spec.path, params);
    const query = { ...spec.listParams, ...params };
    if (!spec.pages) {
      if (options.startPage > 1) return;
      yield this.page(spec, query, params, 1).page;
      return;
    }
    for (let pageNo = options.startPage; ; pageNo++) {
      const { page, served, total } = this.page(
        spec,
        { ...query, pageinate: true, page_size: this.pageSize, page_no: pageNo },
        params,
        pageNo,
      );
      if (served === 0 && pageNo > 1) return;
      yield page;
      // HaloClient stops at an empty page or once record_count rows have been read.
      if (served === 0 || pageNo * this.pageSize >= total) return;
    }
  }

  async get(path: string, id: number): Promise<unknown | null> {
    const resource = resolveResource(path);
    const text = resource === undefined ? undefined : recordText(this.data, this.ids, resource, id);
    return text === undefined ? null : (JSON.parse(text) as unknown);
  }

  /** One list answer, parsed and checked as the client does; `served` counts the rows sent. */
  private page(
    spec: HaloResourceSpec,
    query: HaloQueryParams,
    filters: HaloQueryParams,
    pageNo: number,
  ): { page: HaloPage; served: number; total: number } {
    const resource = resolveResource(spec.path);
    if (resource === undefined) throw new Error(`The simulator does not serve ${spec.path}`);
    const answer = listAnswer(this.data, this.lists, resource, asQuery(query), this.ids);
    const rows: string[] = [];
    for (let k = 0; k < answer.selection.indices.length; k++) rows.push(answer.row(k));
    const body = JSON.parse(`${answer.head}${rows.join(',')}${answer.tail}`) as unknown;
    const { records, recordCount } = extractPage(spec, body, pageNo, silentLogger);
    const checked = checkFilters(spec.path, filters, records);
    return {
      page: {
        records: selectKind(spec, checked.records),
        pageNo,
        ...(recordCount === undefined ? {} : { recordCount }),
        outsideWindow: checked.outsideWindow,
      },
      served: records.length,
      total: answer.selection.total,
    };
  }
}
