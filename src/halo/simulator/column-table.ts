/** Growable columnar storage (one typed array per column) for the big simulated collections. */
export type ColumnKind = 'i32' | 'u8' | 'u16' | 'f32' | 'f64';

type TypedColumn = Int32Array | Uint8Array | Uint16Array | Float32Array | Float64Array;

const CTORS = {
  i32: Int32Array,
  u8: Uint8Array,
  u16: Uint16Array,
  f32: Float32Array,
  f64: Float64Array,
} as const;

/** The plain (structured-clone safe) state of a ColumnTable. */
export interface ColumnState<K extends string> {
  length: number;
  capacity: number;
  kinds: Record<K, ColumnKind>;
  cols: Record<K, TypedColumn>;
}

export function columnState<K extends string>(
  spec: Record<K, ColumnKind>,
  capacity = 1024,
): ColumnState<K> {
  const cap = Math.max(16, capacity);
  const cols = {} as Record<K, TypedColumn>;
  for (const name of Object.keys(spec) as K[]) cols[name] = new CTORS[spec[name]](cap);
  return { length: 0, capacity: cap, kinds: spec, cols };
}

/** A table of numeric columns addressed by row index; rows are appended, never removed. */
export class ColumnTable<K extends string> {
  constructor(readonly state: ColumnState<K>) {}

  get length(): number {
    return this.state.length;
  }

  /** Appends a zeroed row and returns its index. */
  push(): number {
    if (this.state.length === this.state.capacity) this.grow(this.state.capacity * 2);
    return this.state.length++;
  }

  get(col: K, row: number): number {
    return this.state.cols[col][row] ?? 0;
  }

  set(col: K, row: number, value: number): void {
    this.state.cols[col][row] = value;
  }

  /** Releases unused capacity once generation is finished. */
  compact(): void {
    if (this.state.capacity > this.state.length) this.grow(Math.max(16, this.state.length));
  }

  private grow(capacity: number): void {
    const s = this.state;
    for (const name of Object.keys(s.kinds) as K[]) {
      const next = new CTORS[s.kinds[name]](capacity);
      next.set(s.cols[name].subarray(0, Math.min(s.length, capacity)));
      s.cols[name] = next;
    }
    s.capacity = capacity;
  }
}

/** Interns strings so columns can store a small index instead of the text; state is `items`. */
export class StringPool {
  private index: Map<string, number> | undefined;

  /** `items[0]` is always the empty string. */
  constructor(readonly items: string[] = ['']) {}

  /** The index of a string, adding it if new. */
  intern(text: string): number {
    if (!this.index) this.index = new Map(this.items.map((s, i) => [s, i]));
    const found = this.index.get(text);
    if (found !== undefined) return found;
    this.items.push(text);
    this.index.set(text, this.items.length - 1);
    return this.items.length - 1;
  }

  at(i: number): string {
    return this.items[i] ?? '';
  }
}
