/** How the simulator stores and reads records: one interface over columnar and plain collections. */

/** A HaloPSA record as JSON (HaloPSA field names). */
export type HaloRecord = Record<string, unknown>;

/**
 * Read access to one base collection. Rows are materialised on demand so large collections can be
 * columnar. Rows are ordered by ascending id.
 */
export interface RecordCollection {
  /** Records with the same `table` share ids and data overrides (Tickets and Projects share "ticket"). */
  readonly table: string;
  readonly length: number;
  id(index: number): number;
  /** The index of an id, or -1. */
  indexOf(id: number): number;
  /** `last_update` of the record at an index, epoch ms. */
  lastUpdate(index: number): number;
  /** One field of the list row (fast path for filters; may materialise). */
  field(index: number, name: string): unknown;
  /** The list row as served by `GET /api/<Resource>`. */
  row(index: number): HaloRecord;
  /** The full record as served by `GET /api/<Resource>/{id}`. */
  full(index: number): HaloRecord;
}

/** A collection over plain objects (used for the small resources). */
export class ObjectCollection implements RecordCollection {
  private readonly byId = new Map<number, number>();

  constructor(
    readonly table: string,
    private readonly rows: HaloRecord[],
    private readonly fullOf: (row: HaloRecord) => HaloRecord = (r) => r,
    private readonly listOf: (row: HaloRecord) => HaloRecord = (r) => r,
  ) {
    rows.forEach((r, i) => this.byId.set(Number(r.id), i));
  }

  get length(): number {
    return this.rows.length;
  }

  id(index: number): number {
    return Number(this.at(index).id);
  }

  indexOf(id: number): number {
    return this.byId.get(id) ?? -1;
  }

  lastUpdate(index: number): number {
    return Date.parse(String(this.at(index).last_update));
  }

  field(index: number, name: string): unknown {
    return this.at(index)[name];
  }

  row(index: number): HaloRecord {
    return this.listOf(this.at(index));
  }

  full(index: number): HaloRecord {
    return this.fullOf(this.at(index));
  }

  private at(index: number): HaloRecord {
    const r = this.rows[index];
    if (!r) throw new RangeError(`No record at ${index} in ${this.table}`);
    return r;
  }
}

/** All records of a base collection as list rows (tests and checksums). */
export function collectionRows(c: RecordCollection): HaloRecord[] {
  const out: HaloRecord[] = [];
  for (let i = 0; i < c.length; i++) out.push(c.row(i));
  return out;
}

/** A shallow copy of a record without some fields. */
export function omit(record: HaloRecord, fields: readonly string[]): HaloRecord {
  const out = { ...record };
  for (const f of fields) delete out[f];
  return out;
}
