/**
 * The benchmark's evaluation figures: the full evaluation (every project's health, every live
 * contract's readiness) from the database against one plain SQL aggregation over the same tables,
 * with the resident memory the process reached meanwhile; and how the evaluation's cost grows with
 * the portfolio (time per project at 500, 2,000 and 8,000 projects, each a fresh database loaded
 * with the large profile scaled to that size by the app's sync, in a child process: `scaled-load.ts`).
 */
import { assessAllContracts } from '../app/renewals/evaluate-renewals';
import { deliveryHistoryByScope } from '../app/delivery/delivery-history-scopes';
import { buildProjectFacts } from '../domain/delivery/build-project-facts';
import { assessProject } from '../domain/delivery/health-score';
import { DEFAULT_DELIVERY_POLICY } from '../domain/delivery/policy';
import { DEFAULT_RENEWAL_POLICY } from '../domain/renewals/renewal-policy';
import type { Db } from '../store/db';
import type { DatabaseTarget } from '../store/open-db';
import { SqlDeliveryHistoryReader } from '../store/delivery-history.repository';
import { SqlRenewalHistoryReader } from '../store/renewal-history.repository';
import path from 'node:path';
import {
  snapshotAtHeap,
  type HeapSnapshotRequest,
  type HeapSummary,
  type SnapshotTaken,
} from './heap-snapshot';
import { ioPacer } from '../shared/io-pace';
import { APP_HEAP_FLAG } from './app-heap';
import { runJsonLineProcess } from './json-line-process';
import { floorOf, plainAggregation, type FloorSource } from './plain-floor';
import { median } from './rounds';
import { LARGE_PROJECTS, type ScaledLoad } from './scaled-load';

/** Evaluations per portfolio size (the point is their median). */
const ROUNDS = 3;
/** The portfolio sizes of the growth figure. */
export const GROWTH_PROJECTS = [500, 2000, 8000] as const;

/** One full evaluation against its SQL floor. */
export interface EvaluationMeasure {
  projects: number;
  contracts: number;
  evaluationMs: number;
  /** The delivery half of `evaluationMs` (the rest is renewal readiness). */
  deliveryMs: number;
  referenceMs: number;
  /** Highest resident memory sampled while the evaluation ran (MB). */
  evaluationPeakRssMb: number;
  /** Highest V8 heap in use sampled meanwhile (MB; garbage not yet collected included). */
  evaluationPeakHeapUsedMb: number;
}

/**
 * Peak RSS and heap in use over a stretch of work, sampled every 20 ms (maxRSS cannot be reset per
 * phase).
 */
export async function withPeakMemory<T>(
  fn: () => Promise<T>,
): Promise<{ result: T; peakRssMb: number; peakHeapUsedMb: number }> {
  let rss = 0;
  let heap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  };
  sample();
  const timer = setInterval(sample, 20);
  try {
    const result = await fn();
    sample();
    return { result, peakRssMb: rss / 1048576, peakHeapUsedMb: heap / 1048576 };
  } finally {
    clearInterval(timer);
  }
}

async function timed<T>(fn: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = process.hrtime.bigint();
  const result = await fn();
  return { result, ms: Number(process.hrtime.bigint() - started) / 1e6 };
}

/**
 * The plain SQL floor (timesheets per ticket, tickets per client; on PostgreSQL in a child process,
 * see `plain-floor.ts`), then the full evaluation the daily jobs run: delivery health of every
 * project and readiness of every live contract (the delivery history one project scope and the
 * renewal history one client scope at a time, as the daily jobs load them).
 */
export async function measureEvaluation(
  db: Db,
  tenantId: string,
  asOf: string,
  floor: FloorSource = { db },
): Promise<EvaluationMeasure> {
  const reference = await plainAggregation(floor, tenantId);
  const evaluation = await withPeakMemory(() =>
    timed(() => evaluateEverything(db, tenantId, asOf)),
  );
  return {
    ...evaluation.result.result,
    evaluationMs: evaluation.result.ms,
    referenceMs: reference.ms,
    evaluationPeakRssMb: evaluation.peakRssMb,
    evaluationPeakHeapUsedMb: evaluation.peakHeapUsedMb,
  };
}

/** Every project's health and every live contract's readiness, one scope at a time. */
export async function evaluateEverything(
  db: Db,
  tenantId: string,
  asOf: string,
): Promise<{ projects: number; contracts: number; deliveryMs: number }> {
  const started = process.hrtime.bigint();
  // One project scope's history at a time, as the daily job loads it.
  let projects = 0;
  const reader = new SqlDeliveryHistoryReader(db);
  const pace = ioPacer();
  for await (const { history, projects: scope } of deliveryHistoryByScope(reader, tenantId)) {
    for (const project of scope.values()) {
      await pace();
      const facts = buildProjectFacts(project, history, asOf);
      if (facts === null) continue;
      assessProject(facts, DEFAULT_DELIVERY_POLICY);
      projects += 1;
    }
  }
  const deliveryMs = Number(process.hrtime.bigint() - started) / 1e6;
  const contracts = await assessAllContracts(
    new SqlRenewalHistoryReader(db),
    tenantId,
    asOf,
    DEFAULT_RENEWAL_POLICY,
  );
  return { projects, contracts, deliveryMs };
}

/**
 * The heap snapshot check (`--heap-snapshot DIR`): one more full evaluation, untimed, during which
 * V8 heap snapshots are written as the heap in use rises past half the peak an evaluation reached
 * (the last one, nearest the peak, is kept); then its summary, read in a child process.
 *
 * On PostgreSQL (`target` has a URL) the check runs in a child process with the app's heap flag,
 * which first evaluates once untimed to learn its own peak. V8 builds a snapshot in the memory of
 * the process it describes (about 250 MB at 8,000 projects, kept by the allocator afterwards), so
 * written in the bench process it would weigh on the peak memory the bench measures for the app.
 */
export async function evaluationHeapSnapshot(
  db: Db,
  tenantId: string,
  asOf: string,
  request: HeapSnapshotRequest,
  measured: EvaluationMeasure,
  target?: DatabaseTarget,
): Promise<(HeapSummary & { heapUsedAtSnapshotMb: number; snapshots: number }) | null> {
  const taken =
    target !== undefined && 'url' in target
      ? await runJsonLineProcess<SnapshotTaken>(
          path.join(__dirname, 'evaluation-snapshot-cli.ts'),
          [target.url, tenantId, asOf, request.dir, request.label],
          [APP_HEAP_FLAG],
        )
      : await snapshotAtHeap(request, measured.evaluationPeakHeapUsedMb * 0.5 * 1048576, () =>
          evaluateEverything(db, tenantId, asOf),
        );
  if (taken.file === null) return null;
  const summary = await runJsonLineProcess<HeapSummary>(
    path.join(__dirname, 'heap-summary-cli.ts'),
    [taken.file],
  );
  return {
    ...summary,
    heapUsedAtSnapshotMb: Math.round(taken.heapUsedBytes / 1048576),
    snapshots: taken.snapshots,
  };
}

/** A fresh database for one point: where it is (for the loading child), opening it, dropping it. */
export interface ScratchDatabase {
  target: DatabaseTarget;
  open(): Promise<Db>;
  drop(): Promise<void>;
}

/** One point of the growth figure. */
export interface GrowthPoint extends EvaluationMeasure {
  targetProjects: number;
  /** The loading child's sync of the scaled dataset (generation not included). */
  syncMs: number;
  generatedMs: number;
  /** The loading child's peak RSS (not the app's evaluation: a bench helper). */
  loadPeakRssMb: number;
  msPerProject: number;
  /** The heap snapshot check at this size (`--heap-snapshot`, the largest size only). */
  heapSnapshot?: Awaited<ReturnType<typeof evaluationHeapSnapshot>>;
}

/** The growth figure: its points and time per project at the largest size over the smallest. */
export interface EvaluationGrowth {
  points: GrowthPoint[];
  /** The median of `rounds`' ratios. */
  perProjectRatio: number;
  /** Each round's time per project at the largest size and the smallest, and their ratio. */
  rounds: { largest: number; smallest: number; ratio: number }[];
}

/** What one loaded size holds through the rounds. */
interface LoadedSize {
  targetProjects: number;
  scratch: ScratchDatabase;
  load: ScaledLoad | null;
  db: Db | null;
  measures: EvaluationMeasure[];
}

/**
 * Time per project of the full evaluation at each portfolio size: the large profile scaled to
 * `projects / 2,000` (clients, contracts, tickets and timesheets scale alike), loaded into a fresh
 * database by a child process (the app's HaloSync reading the generated pages in process). Every
 * size is loaded first; then three rounds evaluate each size once, the order reversed every other
 * round, so a slower stretch of a shared machine falls on every size alike (before, each size was
 * evaluated right after its load, and the largest, loaded last, was timed half an hour after the
 * smallest). A point is its size's median round; the ratio is the median of the rounds' ratios.
 * The databases are dropped at the end.
 */
export async function evaluationGrowth(deps: {
  /** Generates the scaled dataset and syncs it into `target`, in another process. */
  loadScaled: (scale: number, target: DatabaseTarget) => Promise<ScaledLoad>;
  scratchDatabase: () => Promise<ScratchDatabase>;
  tenantId: string;
  asOf: string;
  log: (message: string) => void;
  sizes?: readonly number[];
  /** Where to write a heap snapshot of the evaluation at the largest size (off when unset). */
  heapSnapshotDir?: string;
}): Promise<EvaluationGrowth> {
  const sizes = deps.sizes ?? GROWTH_PROJECTS;
  const loaded: LoadedSize[] = [];
  try {
    for (const targetProjects of sizes) {
      const size: LoadedSize = {
        targetProjects,
        scratch: await deps.scratchDatabase(),
        load: null,
        db: null,
        measures: [],
      };
      loaded.push(size);
      const load = await deps.loadScaled(targetProjects / LARGE_PROJECTS, size.scratch.target);
      size.load = load;
      deps.log(
        `growth: ${targetProjects} projects generated in ${Math.round(load.generatedMs / 1000)} s and loaded in ${Math.round(load.syncMs / 1000)} s (${load.pages} pages, ${Object.values(load.records).reduce((a, b) => a + b, 0)} records; loader's peak RSS ${load.peakRssMb} MB)`,
      );
      size.db = await size.scratch.open();
    }
    // One untimed evaluation first: the process's first runs before its code is optimised, and
    // timed, it would make the first round's smallest size look slow.
    if (loaded[0]) await evaluateEverything(loaded[0].db!, deps.tenantId, deps.asOf);
    for (let round = 0; round < ROUNDS; round += 1) {
      const order = round % 2 === 0 ? loaded : [...loaded].reverse();
      for (const size of order) {
        const db = size.db!;
        size.measures.push(
          await measureEvaluation(db, deps.tenantId, deps.asOf, floorOf(size.scratch.target, db)),
        );
      }
    }
    const perProject = (m: EvaluationMeasure) => m.evaluationMs / Math.max(1, m.projects);
    const points: GrowthPoint[] = [];
    for (const [at, size] of loaded.entries()) {
      const sorted = [...size.measures].sort((a, b) => a.evaluationMs - b.evaluationMs);
      const measure = sorted[Math.floor(sorted.length / 2)]!;
      const load = size.load!;
      const point: GrowthPoint = {
        targetProjects: size.targetProjects,
        syncMs: load.syncMs,
        generatedMs: load.generatedMs,
        loadPeakRssMb: load.peakRssMb,
        ...measure,
        msPerProject: perProject(measure),
      };
      if (deps.heapSnapshotDir !== undefined && at === loaded.length - 1) {
        point.heapSnapshot = await evaluationHeapSnapshot(
          size.db!,
          deps.tenantId,
          deps.asOf,
          { dir: deps.heapSnapshotDir, label: `evaluation-${size.targetProjects}` },
          measure,
          size.scratch.target,
        );
      }
      deps.log(
        `growth (median of ${ROUNDS}: ${size.measures.map((r) => Math.round(r.evaluationMs)).join('/')} ms, in round order): ${point.projects} projects, ${point.contracts} contracts: evaluation ${Math.round(point.evaluationMs)} ms (${point.msPerProject.toFixed(2)} ms/project; plain SQL ${Math.round(point.referenceMs)} ms; peak RSS ${Math.round(point.evaluationPeakRssMb)} MB)`,
      );
      points.push(point);
    }
    const smallest = loaded[0];
    const largest = loaded[loaded.length - 1];
    const rounds =
      smallest && largest
        ? largest.measures.map((m, i) => {
            const times = { largest: perProject(m), smallest: perProject(smallest.measures[i]!) };
            return { ...times, ratio: times.largest / times.smallest };
          })
        : [];
    return { points, perProjectRatio: median(rounds.map((r) => r.ratio)), rounds };
  } finally {
    // Every scratch database is dropped, whatever failed before (a close included): one left
    // behind holds gigabytes.
    for (const size of loaded) {
      for (const [what, step] of [
        ['close', () => size.db?.close()],
        ['drop', () => size.scratch.drop()],
      ] as const) {
        try {
          await step();
        } catch (error) {
          deps.log(
            `growth: could not ${what} the ${size.targetProjects}-project database: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      }
    }
  }
}
