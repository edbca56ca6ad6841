/**
 * The data a running simulator serves: the dataset's collections plus this server's own changes
 * (overrides from writes, touches and injected data faults, and added records). The dataset itself is
 * never modified, so several simulators can share one dataset.
 */
import { datasetCollections } from './collections';
import type { HaloDataset, HaloResource } from './dataset';
import { omit, type HaloRecord, type RecordCollection } from './record-collection';

interface Override {
  set: HaloRecord;
  drop: Set<string>;
}

/** Served records with overrides and additions applied. */
export class ServedData {
  readonly collections: Record<HaloResource, RecordCollection>;
  /** Bumped on every change; query caches key on it. */
  version = 0;
  private readonly overrides = new Map<string, Map<number, Override>>();
  /** Fields only the full record carries (a project's `milestones[]`), changed by writes. */
  private readonly fullOverrides = new Map<string, Map<number, HaloRecord>>();
  private readonly extras = new Map<HaloResource, HaloRecord[]>();
  private readonly nextIds = new Map<string, number>();

  constructor(readonly dataset: HaloDataset) {
    this.collections = datasetCollections(dataset);
  }

  count(res: HaloResource): number {
    return this.collections[res].length + this.extra(res).length;
  }

  /** The original id of the record at an index (unaffected by a corrupted `id`). */
  id(res: HaloResource, i: number): number {
    const c = this.collections[res];
    if (i < c.length) return c.id(i);
    return Number(this.extra(res)[i - c.length]?.__id ?? this.extra(res)[i - c.length]?.id);
  }

  /** Index of an id in a resource, or -1. */
  indexOf(res: HaloResource, id: number): number {
    const c = this.collections[res];
    const i = c.indexOf(id);
    if (i >= 0) return i;
    const k = this.extra(res).findIndex((r) => Number(r.__id ?? r.id) === id);
    return k >= 0 ? c.length + k : -1;
  }

  /** The served list row at an index. */
  row(res: HaloResource, i: number): HaloRecord {
    const c = this.collections[res];
    if (i >= c.length) return this.extraRow(res, i - c.length);
    return this.apply(c.table, c.id(i), c.row(i));
  }

  /** The served full record at an index. */
  full(res: HaloResource, i: number): HaloRecord {
    const c = this.collections[res];
    if (i >= c.length) return this.extraRow(res, i - c.length);
    const full = this.apply(c.table, c.id(i), c.full(i));
    const only = this.fullOverrides.get(c.table)?.get(c.id(i));
    return only ? { ...full, ...only } : full;
  }

  /** Sets fields of the full record only (by original id); false if the record does not exist. */
  patchFull(res: HaloResource, id: number, set: HaloRecord): boolean {
    const i = this.indexOf(res, id);
    if (i < 0) return false;
    const c = this.collections[res];
    if (i >= c.length) return this.patch(res, id, set);
    this.version++;
    let byId = this.fullOverrides.get(c.table);
    if (!byId) this.fullOverrides.set(c.table, (byId = new Map()));
    byId.set(id, { ...(byId.get(id) ?? {}), ...set });
    return true;
  }

  /** `last_update` of the record at an index, epoch ms. */
  lastUpdate(res: HaloResource, i: number): number {
    const c = this.collections[res];
    if (i >= c.length) return Date.parse(String(this.extra(res)[i - c.length]?.last_update));
    const o = this.overrides.get(c.table)?.get(c.id(i));
    if (o && 'last_update' in o.set) return Date.parse(String(o.set.last_update));
    return c.lastUpdate(i);
  }

  /** One field of the served row (fast path where the collection has one). */
  value(res: HaloResource, i: number, field: string): unknown {
    const c = this.collections[res];
    if (i >= c.length) return this.extra(res)[i - c.length]?.[field];
    const o = this.overrides.get(c.table)?.get(c.id(i));
    if (o) {
      if (o.drop.has(field)) return undefined;
      if (field in o.set) return o.set[field];
    }
    return c.field(i, field);
  }

  /** Every served list row of a resource. */
  records(res: HaloResource): HaloRecord[] {
    const n = this.count(res);
    const out: HaloRecord[] = [];
    for (let i = 0; i < n; i++) out.push(this.row(res, i));
    return out;
  }

  /** Sets and/or drops fields of a record (by original id); false if the record does not exist. */
  patch(res: HaloResource, id: number, set: HaloRecord, drop: readonly string[] = []): boolean {
    const i = this.indexOf(res, id);
    if (i < 0) return false;
    const c = this.collections[res];
    this.version++;
    if (i >= c.length) {
      const r = this.extra(res)[i - c.length];
      if (!r) return false;
      if ('id' in set && r.__id === undefined) r.__id = r.id;
      Object.assign(r, set);
      for (const f of drop) delete r[f];
      return true;
    }
    let byId = this.overrides.get(c.table);
    if (!byId) this.overrides.set(c.table, (byId = new Map()));
    const o = byId.get(id) ?? { set: {}, drop: new Set<string>() };
    Object.assign(o.set, set);
    for (const f of Object.keys(set)) o.drop.delete(f);
    for (const f of drop) {
      o.drop.add(f);
      delete o.set[f];
    }
    byId.set(id, o);
    return true;
  }

  /** Adds a record (an id is assigned when missing); returns it. */
  add(res: HaloResource, record: HaloRecord): HaloRecord {
    const c = this.collections[res];
    const table = c.table;
    let next = this.nextIds.get(table);
    if (next === undefined) {
      next = 0;
      for (const r of [res, ...this.sameTable(res)]) {
        const col = this.collections[r];
        if (col.length > 0) next = Math.max(next, col.id(col.length - 1));
        for (const e of this.extra(r)) next = Math.max(next, Number(e.__id ?? e.id) || 0);
      }
      next++;
    }
    const id = typeof record.id === 'number' ? record.id : next;
    this.nextIds.set(table, Math.max(next, id + 1));
    const out = { ...record, id };
    this.extra(res).push(out);
    this.version++;
    return out;
  }

  private sameTable(res: HaloResource): HaloResource[] {
    const t = this.collections[res].table;
    return (Object.keys(this.collections) as HaloResource[]).filter(
      (r) => r !== res && this.collections[r].table === t,
    );
  }

  private extra(res: HaloResource): HaloRecord[] {
    let e = this.extras.get(res);
    if (!e) this.extras.set(res, (e = []));
    return e;
  }

  private extraRow(res: HaloResource, k: number): HaloRecord {
    const r = this.extra(res)[k];
    if (!r) throw new RangeError(`No record ${k} in ${res}`);
    return omit(r, ['__id']);
  }

  private apply(table: string, id: number, row: HaloRecord): HaloRecord {
    const o = this.overrides.get(table)?.get(id);
    if (!o) return row;
    const out = { ...row, ...o.set };
    for (const f of o.drop) delete out[f];
    return out;
  }
}
