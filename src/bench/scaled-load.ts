/**
 * Loading the large profile, scaled, into a fresh database for the evaluation growth figure: the
 * dataset is generated and synced by `HaloSync` (the app's own upsert code) reading it in process
 * (`InProcessHaloReader`: the simulator's pages without HTTP), in a child process so the generated
 * dataset never weighs on the bench process's memory.
 */
import path from 'node:path';
import type { Clock } from '../shared/clock';
import { HaloSync, type SyncReport } from '../halo/halo-sync';
import type { HaloDataset } from '../halo/simulator/dataset';
import { InProcessHaloReader } from '../halo/simulator/in-process-reader';
import type { Db } from '../store/db';
import type { DatabaseTarget } from '../store/open-db';
import { runJsonLineProcess } from './json-line-process';

/** Projects of the large profile at scale 1. */
export const LARGE_PROJECTS = 2000;
/** Records per page the bench's syncs ask for. */
export const BENCH_PAGE_SIZE = 1000;

const silent = { info: () => undefined, warn: () => undefined };

/** A full sync of `dataset` into `db` by the app's HaloSync, its pages read in process. */
export function syncInProcess(
  db: Db,
  dataset: HaloDataset,
  tenantId: string,
  clock: Clock,
): Promise<SyncReport> {
  const reader = new InProcessHaloReader(dataset, BENCH_PAGE_SIZE);
  return new HaloSync({ db, reader, tenantId, clock, logger: silent }).run('full');
}

/** What `load-scaled-cli.ts` prints. */
export interface ScaledLoad {
  scale: number;
  generatedMs: number;
  syncMs: number;
  /** Records stored per listing, and the pages read. */
  records: Record<string, number>;
  pages: number;
  /** The loading child's peak RSS (MB): generator, reader and sync together. */
  peakRssMb: number;
}

/** The command-line arguments that name a database target. */
export function targetArgs(target: DatabaseTarget): string[] {
  if ('url' in target) return ['--database-url', target.url];
  if ('dataDir' in target) return ['--data-dir', target.dataDir];
  throw new Error('an in-memory database cannot be loaded from another process');
}

/** Generates the large profile at `scale` and syncs it into `target`, in a child process. */
export function loadScaledInChild(options: {
  scale: number;
  seed: number;
  asOf: string;
  tenantId: string;
  target: DatabaseTarget;
}): Promise<ScaledLoad> {
  return runJsonLineProcess<ScaledLoad>(path.join(__dirname, 'load-scaled-cli.ts'), [
    '--scale',
    String(options.scale),
    '--seed',
    String(options.seed),
    '--as-of',
    options.asOf,
    '--tenant',
    options.tenantId,
    ...targetArgs(options.target),
  ]);
}
