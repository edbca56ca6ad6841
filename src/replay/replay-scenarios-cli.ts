/**
 * `npm run replay:scenarios -- [--scenarios independent|demo] [--seeds 1,2,3,4,5] [--from D] [--to D]`
 * (SPEC §9, issue 14): replays several seeds of an embedded portfolio and prints one summary line per
 * seed, then the pooled figures (every seed's projects and contracts counted together).
 */
import { scoreReplay, type ProjectOutcome } from '../domain/delivery/replay-scoring';
import { loadReplayConfig } from '../config';
import { runReplay, type ProjectResults, type ReplaySummary } from './run-replay';

function argument(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

/** Pools per-seed project results: ids are prefixed with their seed so they never collide. */
export function poolProjects(runs: Array<{ seed: number; results: ProjectResults }>) {
  const first = new Map<string, string>();
  const naive: Record<string, Map<string, string>> = {};
  const outcomes: ProjectOutcome[] = [];
  for (const { seed, results } of runs) {
    for (const [id, day] of results.firstEscalation) first.set(`${seed}:${id}`, day);
    for (const [rule, flags] of Object.entries(results.naiveFirstFlag)) {
      naive[rule] ??= new Map();
      for (const [id, day] of flags) naive[rule].set(`${seed}:${id}`, day);
    }
    for (const o of results.outcomes) outcomes.push({ ...o, projectId: `${seed}:${o.projectId}` });
  }
  const { missed, falsePositives, ...engine } = scoreReplay(first, outcomes);
  return {
    engine: { ...engine, missed: missed.length, falsePositives: falsePositives.length },
    naiveF1: Object.fromEntries(
      Object.entries(naive).map(([rule, flags]) => [rule, scoreReplay(flags, outcomes).f1]),
    ),
  };
}

/** Sums every numeric field of the per-seed renewal scores and recomputes the ratios. */
export function poolRenewals(summaries: ReplaySummary[]): Record<string, unknown> {
  const totals: Record<string, Record<string, number>> = {};
  for (const summary of summaries) {
    for (const [name, score] of Object.entries(summary.renewals ?? {})) {
      if (score === null || typeof score !== 'object') continue;
      const sums = (totals[name] ??= {});
      for (const [field, value] of Object.entries(score as Record<string, unknown>)) {
        if (typeof value === 'number') sums[field] = (sums[field] ?? 0) + value;
      }
    }
  }
  const ratio = (a: number | undefined, b: number | undefined) =>
    a === undefined || !b ? null : Math.round((a / b) * 1000) / 1000;
  const churn = totals.churn ?? {};
  const uplift = totals.uplift ?? {};
  return {
    churn: {
      flagged: churn.flagged,
      truePositives: churn.truePositives,
      precision: ratio(churn.truePositives, churn.flagged),
      churnsJudgeable: churn.churnsJudgeable,
      churnsFlaggedInTime: churn.churnsFlaggedInTime,
      recallInTime: ratio(churn.churnsFlaggedInTime, churn.churnsJudgeable),
    },
    ...(totals.uplift
      ? {
          uplift: {
            proposed: uplift.proposed,
            truePositives: uplift.truePositives,
            precision: ratio(uplift.truePositives, uplift.proposed),
          },
        }
      : {}),
  };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const scenarios = argument(args, 'scenarios') ?? 'independent';
  if (scenarios !== 'independent' && scenarios !== 'demo') {
    process.stderr.write('replay:scenarios: --scenarios must be independent or demo\n');
    process.exit(2);
  }
  const seeds = (argument(args, 'seeds') ?? '1,2,3,4,5').split(',').map(Number);
  if (seeds.some((s) => !Number.isInteger(s))) {
    process.stderr.write('replay:scenarios: --seeds must be integers, e.g. 1,2,3\n');
    process.exit(2);
  }
  const to = argument(args, 'to') ?? '2026-12-02';
  const from = argument(args, 'from') ?? `${Number(to.slice(0, 4)) - 1}${to.slice(4)}`;
  const runs: Array<{ seed: number; results: ProjectResults }> = [];
  const summaries: ReplaySummary[] = [];
  for (const seed of seeds) {
    const summary = await runReplay({
      config: loadReplayConfig({}),
      from,
      to,
      seed,
      scenarios,
      datasetAsOf: to,
      write: () => undefined,
      onProjectResults: (results) => runs.push({ seed, results }),
    });
    summaries.push(summary);
    const { missed, falsePositives, ...engine } = summary.engine!;
    process.stdout.write(
      `${JSON.stringify({ kind: 'seed', scenarios, seed, engine: { ...engine, missed, falsePositives }, renewals: summary.renewals })}\n`,
    );
  }
  process.stdout.write(
    `${JSON.stringify({ kind: 'pooled', scenarios, seeds, from, to, ...poolProjects(runs), renewals: poolRenewals(summaries) })}\n`,
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `replay:scenarios failed: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
    process.exit(1);
  });
}
