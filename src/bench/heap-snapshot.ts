/**
 * The bench's heap snapshot check: a V8 heap snapshot (`v8.writeHeapSnapshot`) taken while the
 * evaluation holds the most memory, and a short summary of it read by our own small streaming
 * parser (the `.heapsnapshot` JSON of a few hundred MB is never held as one string): the live heap,
 * the top constructors by self size, and the largest single objects — a whole-table array would be
 * one of those (an array's elements are one object of 8 bytes per element).
 */
import { createReadStream, rmSync } from 'node:fs';
import path from 'node:path';
import { writeHeapSnapshot } from 'node:v8';

/** Where to write a snapshot and what to call it. */
export interface HeapSnapshotRequest {
  dir: string;
  label: string;
}

/** What a heap snapshot check wrote: its last snapshot file (null: none) and when it was taken. */
export interface SnapshotTaken {
  file: string | null;
  heapUsedBytes: number;
  snapshots: number;
}

/**
 * Samples the heap every 20 ms while `fn` runs and writes a snapshot each time the heap in use
 * passes the bar, which starts at `fromHeapUsedBytes` and rises to 15 % above the heap at each
 * snapshot: the last file is the one nearest the run's peak (the earlier ones are deleted), and a
 * few snapshots at most are taken (a bar that starts at half the peak of a previous run of the same
 * work is passed about five times). The snapshot's own collection keeps only what is live.
 * `every` schedules the checks (tests run them by hand) and returns how to stop them.
 */
export async function snapshotAtHeap<T>(
  request: HeapSnapshotRequest,
  fromHeapUsedBytes: number,
  fn: () => Promise<T>,
  every: (check: () => void) => () => void = everyTwentyMs,
): Promise<SnapshotTaken & { result: T }> {
  let file: string | null = null;
  let heapUsedBytes = 0;
  let bar = fromHeapUsedBytes;
  let snapshots = 0;
  const take = () => {
    const used = process.memoryUsage().heapUsed;
    if (used < bar) return;
    const previous = file;
    file = writeHeapSnapshot(
      path.join(request.dir, `${request.label}-${++snapshots}.heapsnapshot`),
    );
    if (previous !== null) rmSync(previous, { force: true });
    heapUsedBytes = used;
    bar = used * 1.15;
  };
  const stop = every(take);
  try {
    const result = await fn();
    return { result, file, heapUsedBytes, snapshots };
  } finally {
    stop();
  }
}

function everyTwentyMs(check: () => void): () => void {
  const timer = setInterval(check, 20);
  return () => clearInterval(timer);
}

/** One line of the summary: a constructor (or a V8 internal kind in parentheses) or one object. */
export interface HeapEntry {
  name: string;
  count: number;
  selfMb: number;
}

/**
 * The single largest objects: their kind, self size, outgoing references (elements) and what holds
 * them (up to four steps up: `Array.elements ← Result.rows ← Query._result ← …`).
 */
export interface HeapObject {
  name: string;
  type: string;
  selfMb: number;
  references: number;
  heldBy: string;
}

/** What the summary prints. */
export interface HeapSummary {
  file: string;
  nodes: number;
  edges: number;
  /** Sum of every object's self size: the live heap the snapshot saw. */
  totalMb: number;
  topConstructors: HeapEntry[];
  largestObjects: HeapObject[];
}

/** How many holders up the chain of each largest object is followed. */
const HOLDER_STEPS = 4;

interface SnapshotMeta {
  node_fields: string[];
  node_types: [string[], ...unknown[]];
  edge_fields: string[];
  edge_types: [string[], ...unknown[]];
}

/**
 * Streams a `.heapsnapshot` file: the header as JSON, the `nodes` and `edges` arrays as numbers into
 * typed arrays, the `strings` array string by string. Returns what the summary needs.
 */
async function readSnapshot(file: string): Promise<{
  meta: SnapshotMeta;
  nodes: Float64Array;
  edges: Uint32Array;
  strings: string[];
}> {
  let header = '';
  let section: 'header' | 'nodes' | 'skip' | 'seek-strings' | 'strings' | 'done' = 'header';
  let meta: SnapshotMeta | null = null;
  let nodes = new Float64Array(0);
  let nodeAt = 0;
  let edges = new Uint32Array(0);
  let edgeAt = 0;
  let inEdges = false;
  let number = -1;
  let seek = '';
  const strings: string[] = [];
  let inString = false;
  let escaped = false;
  let text: string[] = [];

  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  for await (const chunk of stream as AsyncIterable<string>) {
    let i = 0;
    if (section === 'header') {
      header += chunk;
      const at = header.indexOf('"nodes":[');
      if (at < 0) continue;
      const head = JSON.parse(`${header.slice(0, header.lastIndexOf(',', at))}}`) as {
        snapshot: { meta: SnapshotMeta; node_count: number; edge_count: number };
      };
      meta = head.snapshot.meta;
      nodes = new Float64Array(head.snapshot.node_count * meta.node_fields.length);
      edges = new Uint32Array(head.snapshot.edge_count * meta.edge_fields.length);
      // Continue in this chunk right after `"nodes":[`.
      i = chunk.length - (header.length - (at + '"nodes":['.length));
      header = '';
      section = 'nodes';
    }
    for (; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (section === 'nodes' || (section === 'skip' && inEdges)) {
        if (c >= 48 && c <= 57) {
          number = (number < 0 ? 0 : number * 10) + (c - 48);
          continue;
        }
        if (number >= 0) {
          if (section === 'nodes') nodes[nodeAt++] = number;
          else edges[edgeAt++] = number;
          number = -1;
        }
        if (c === 93 /* ] */) {
          if (section === 'nodes') {
            section = 'skip';
            seek = '';
          } else {
            inEdges = false;
            section = 'seek-strings';
            seek = '';
          }
        }
        continue;
      }
      if (section === 'skip' || section === 'seek-strings') {
        seek = (seek + chunk[i]).slice(-12);
        if (section === 'skip' && seek.endsWith('"edges":[')) inEdges = true;
        if (section === 'seek-strings' && seek.endsWith('"strings":[')) section = 'strings';
        continue;
      }
      if (section === 'strings') {
        if (!inString) {
          if (c === 34 /* " */) {
            inString = true;
            text = [];
          } else if (c === 93) section = 'done';
          continue;
        }
        if (escaped) {
          escaped = false;
          text.push(chunk[i]!);
          continue;
        }
        if (c === 92 /* \ */) {
          escaped = true;
          text.push('\\');
          continue;
        }
        if (c === 34) {
          inString = false;
          strings.push(JSON.parse(`"${text.join('')}"`) as string);
          continue;
        }
        // Runs of plain characters in one push.
        let end = i;
        while (end < chunk.length) {
          const d = chunk.charCodeAt(end);
          if (d === 34 || d === 92) break;
          end++;
        }
        text.push(chunk.slice(i, end));
        i = end - 1;
      }
    }
  }
  if (meta === null) throw new Error(`${file} is not a V8 heap snapshot`);
  return { meta, nodes, edges, strings };
}

/** The summary of a snapshot file: live heap, top 10 constructors by self size, largest objects. */
export async function summariseHeapSnapshot(file: string, top = 10): Promise<HeapSummary> {
  const { meta, nodes, edges, strings } = await readSnapshot(file);
  const fields = meta.node_fields.length;
  const typeAt = meta.node_fields.indexOf('type');
  const nameAt = meta.node_fields.indexOf('name');
  const sizeAt = meta.node_fields.indexOf('self_size');
  const edgesAt = meta.node_fields.indexOf('edge_count');
  const types = meta.node_types[0];
  const byName = new Map<string, { count: number; self: number }>();
  const largest: Array<{ index: number; self: number }> = [];
  let total = 0;
  const nameOf = (n: number): { name: string; type: string } => {
    const type = types[nodes[n + typeAt]!] ?? 'unknown';
    const own = strings[nodes[n + nameAt]!] ?? '';
    // Objects, closures and native objects are grouped by constructor, V8's internals by kind.
    const name = type === 'object' || type === 'closure' || type === 'native' ? own : `(${type})`;
    return { name, type };
  };
  for (let n = 0; n < nodes.length; n += fields) {
    const self = nodes[n + sizeAt]!;
    total += self;
    const { name } = nameOf(n);
    const entry = byName.get(name) ?? { count: 0, self: 0 };
    entry.count += 1;
    entry.self += self;
    byName.set(name, entry);
    if (largest.length < top || self > largest[largest.length - 1]!.self) {
      largest.push({ index: n, self });
      largest.sort((a, b) => b.self - a.self);
      if (largest.length > top) largest.pop();
    }
  }
  // What holds each of the largest objects, and what holds that: one strong reference each.
  const holders = new Map<number, { from: number; edge: string }>();
  const edgeFields = meta.edge_fields.length;
  const edgeTypeAt = meta.edge_fields.indexOf('type');
  const edgeNameAt = meta.edge_fields.indexOf('name_or_index');
  const toAt = meta.edge_fields.indexOf('to_node');
  const edgeTypes = meta.edge_types[0];
  let targets = new Set(largest.map((l) => l.index));
  const isRoot = (n: number) => types[nodes[n + typeAt]!] === 'synthetic';
  for (let step = 0; step < HOLDER_STEPS; step++) {
    for (let n = 0, e = 0; n < nodes.length; n += fields) {
      const end = e + nodes[n + edgesAt]! * edgeFields;
      for (; e < end; e += edgeFields) {
        const to = edges[e + toAt]!;
        if (!targets.has(to)) continue;
        // A GC root (the stack, handles) only when no object holds it.
        const known = holders.get(to);
        if (known !== undefined && (!isRoot(known.from) || isRoot(n))) continue;
        const kind = edgeTypes[edges[e + edgeTypeAt]!] ?? '';
        if (kind === 'weak' || kind === 'shortcut') continue;
        const nameOrIndex = edges[e + edgeNameAt]!;
        const edge =
          kind === 'element' || kind === 'hidden'
            ? `[${nameOrIndex}]`
            : (strings[nameOrIndex] ?? '?');
        holders.set(to, { from: n, edge });
      }
    }
    targets = new Set(
      [...targets].flatMap((t) => {
        const from = holders.get(t)?.from;
        return from === undefined || isRoot(from) ? [] : [from];
      }),
    );
  }
  const short = (text: string) => (text.length > 60 ? `${text.slice(0, 57)}...` : text);
  const mb = (bytes: number) => Math.round((bytes / 1048576) * 100) / 100;
  return {
    file,
    nodes: nodes.length / fields,
    edges: edges.length / meta.edge_fields.length,
    totalMb: mb(total),
    topConstructors: [...byName]
      .sort((a, b) => b[1].self - a[1].self)
      .slice(0, top)
      .map(([name, e]) => ({ name, count: e.count, selfMb: mb(e.self) })),
    largestObjects: largest.map(({ index, self }) => {
      const { type } = nameOf(index);
      const own = strings[nodes[index + nameAt]!] ?? '';
      const chain: Array<{ from: number; edge: string }> = [];
      for (let at = holders.get(index); at !== undefined && chain.length < HOLDER_STEPS;) {
        chain.push(at);
        at = isRoot(at.from) ? undefined : holders.get(at.from);
      }
      return {
        name: short(own),
        type,
        selfMb: mb(self),
        references: nodes[index + edgesAt]!,
        heldBy: chain.map((h) => `${short(nameOf(h.from).name)}.${h.edge}`).join(' ← '),
      };
    }),
  };
}
