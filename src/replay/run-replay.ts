import { systemClock } from '../shared/clock';
import { HALO_READ_SCOPES } from '../halo/halo-scopes';
import type { ReplayConfig } from '../config';
import { DEFAULT_DELIVERY_POLICY } from '../domain/delivery/policy';
import {
  scoreReplay,
  type ProjectOutcome,
  type ReplayScore,
} from '../domain/delivery/replay-scoring';
import { daysBetweenInclusive, replayDelivery } from '../app/delivery/replay-delivery';
import { HaloClient } from '../halo/halo-client';
import { HaloSync } from '../halo/halo-sync';
import type { HaloDataset } from '../halo/simulator/dataset';
import { generateIndependentDataset } from '../halo/scenarios/independent';
import { generateDataset } from '../halo/simulator/generator';
import { startSimulator } from '../halo/simulator/server';
import { SqlDeliveryHistoryReader } from '../store/delivery-history.repository';
import { openDatabase } from '../store/open-db';
import { runRenewalReplay, type RenewalReplaySummary } from '../app/renewals/replay-renewals';
import { DEFAULT_RENEWAL_POLICY } from '../domain/renewals/renewal-policy';
import { SqlRenewalHistoryReader } from '../store/renewal-history.repository';

/** Options of one replay run. */
export interface ReplayOptions {
  config: ReplayConfig;
  from: string;
  to: string;
  /** Generator seed (used only when no HaloPSA is configured). */
  seed: number;
  /**
   * Which embedded portfolio to replay when no HaloPSA is configured: the demo generator (which we
   * tune on) or the independent scenario library (written from the spec alone; never tuned on).
   */
  scenarios?: 'demo' | 'independent';
  /** "Today" of the generated demo dataset. */
  datasetAsOf: string;
  write: (line: Record<string, unknown>) => void;
  /** Called with the per-project results behind the score (pooling several seeds). */
  onProjectResults?: (results: ProjectResults) => void;
}

/** What a project score is computed from: first escalation (and naive flag) days, and the outcomes. */
export interface ProjectResults {
  firstEscalation: ReadonlyMap<string, string>;
  naiveFirstFlag: Record<string, ReadonlyMap<string, string>>;
  outcomes: ProjectOutcome[];
}

/** The summary line: counts always; scores when the generator's known outcomes are available. */
export interface ReplaySummary {
  kind: 'summary';
  from: string;
  to: string;
  source: 'demo-simulator' | 'independent-scenarios' | 'halopsa';
  projectsEvaluated: number;
  unknownProjects: number;
  events: Record<string, number>;
  engine?: ReplayScore;
  naive?: Record<string, ReplayScore>;
  renewals?: RenewalReplaySummary;
}

const silent = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
};

/** The archetype a project was generated as: the generator's own label, else situation and noise. */
function projectArchetype(p: HaloDataset['intent']['projects'][number]): string {
  const own = (p as { archetype?: string }).archetype;
  if (own !== undefined) return own;
  const detail = p.noise ?? p.missing;
  return detail === undefined ? p.situation : `${p.situation}:${detail}`;
}

/** Syncs once into a throw-away embedded database and replays the engines day by day. */
export async function runReplay(options: ReplayOptions): Promise<ReplaySummary> {
  const { config } = options;
  let dataset: HaloDataset | null = null;
  let closeSimulator: (() => Promise<void>) | null = null;
  let baseUrl: string;
  if (config.halo.baseUrl !== null) {
    baseUrl = config.halo.baseUrl;
  } else {
    dataset =
      options.scenarios === 'independent'
        ? generateIndependentDataset({ seed: options.seed, asOf: options.datasetAsOf })
        : generateDataset({ profile: 'demo', seed: options.seed, asOf: options.datasetAsOf });
    const simulator = await startSimulator({ dataset, port: 0 });
    baseUrl = simulator.url;
    closeSimulator = () => simulator.close();
  }
  const db = await openDatabase({ memory: true });
  try {
    const client = new HaloClient({
      baseUrl,
      clientId: config.halo.clientId,
      clientSecret: config.halo.clientSecret,
      tenant: config.halo.tenant,
      scopes: [...HALO_READ_SCOPES],
      pageSize: dataset ? 1000 : config.halo.pageSize,
      // The embedded simulator is ours: no request budget to respect (a real HaloPSA's is).
      budget: dataset
        ? { requests: 1_000_000, windowMs: config.halo.budget.windowMs }
        : config.halo.budget,
      logger: silent,
    });
    const tenantId = config.tenantId;
    await new HaloSync({ db, reader: client, tenantId, clock: systemClock, logger: silent }).run(
      'full',
    );
    const history = await new SqlDeliveryHistoryReader(db).load(tenantId);

    const days = daysBetweenInclusive(options.from, options.to);
    const delivery = replayDelivery(history, days, DEFAULT_DELIVERY_POLICY);
    const renewals = await runRenewalReplay({
      reader: new SqlRenewalHistoryReader(db),
      tenantId,
      days,
      policy: DEFAULT_RENEWAL_POLICY,
      outcomes: dataset
        ? dataset.intent.contracts.map((c) => ({
            contractId: String(c.contractId),
            churns: c.churns,
            endDate: c.endDate,
            // Renewal scoring: uplift truth and the archetype the confusion is grouped by.
            expands: c.expands,
            archetype: (c as { archetype?: string }).archetype ?? c.situation,
            signalsStartOn: c.signalsStartOn,
          }))
        : null,
    });
    const counts: Record<string, number> = {};
    // Both engines' state changes in date order (stable: delivery first within a day).
    const lines = [...delivery.events, ...renewals.events].sort((a, b) =>
      a.date < b.date ? -1 : a.date > b.date ? 1 : 0,
    );
    for (const event of lines) {
      options.write({ ...event });
      counts[event.kind] = (counts[event.kind] ?? 0) + 1;
    }

    const summary: ReplaySummary = {
      kind: 'summary',
      from: options.from,
      to: options.to,
      source: !dataset
        ? 'halopsa'
        : options.scenarios === 'independent'
          ? 'independent-scenarios'
          : 'demo-simulator',
      projectsEvaluated: delivery.projectsEvaluated,
      unknownProjects: delivery.unknownProjects.length,
      events: counts,
      renewals: renewals.summary,
    };
    if (dataset) {
      // Every project counts: flagging a healthy or a data-thin project is a false positive.
      const outcomes: ProjectOutcome[] = dataset.intent.projects.map((p) => ({
        projectId: String(p.projectId),
        troubled: p.slipped || p.overran,
        visibleOn: p.visibleOn ?? null,
        archetype: projectArchetype(p),
      }));
      summary.engine = scoreReplay(delivery.firstEscalation, outcomes);
      options.onProjectResults?.({
        firstEscalation: delivery.firstEscalation,
        naiveFirstFlag: delivery.naiveFirstFlag,
        outcomes,
      });
      summary.naive = Object.fromEntries(
        Object.entries(delivery.naiveFirstFlag).map(([rule, flags]) => [
          rule,
          scoreReplay(flags, outcomes),
        ]),
      );
    }
    options.write({ ...summary });
    return summary;
  } finally {
    await db.close();
    await closeSimulator?.();
  }
}
