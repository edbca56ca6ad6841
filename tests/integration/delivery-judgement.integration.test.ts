import { systemClock } from '../../src/shared/clock';
import { HALO_READ_SCOPES } from '../../src/halo/halo-scopes';
import {
  buildProjectFacts,
  indexDeliveryHistory,
} from '../../src/domain/delivery/build-project-facts';
import type { DeliveryHistory } from '../../src/domain/delivery/delivery-history';
import { daysBetweenInclusive, replayDelivery } from '../../src/app/delivery/replay-delivery';
import { assessProject } from '../../src/domain/delivery/health-score';
import { DEFAULT_DELIVERY_POLICY } from '../../src/domain/delivery/policy';
import { scoreReplay, type ProjectOutcome } from '../../src/domain/delivery/replay-scoring';
import { HaloClient } from '../../src/halo/halo-client';
import { HaloSync } from '../../src/halo/halo-sync';
import type { HaloDataset } from '../../src/halo/simulator/dataset';
import { generateDataset } from '../../src/halo/simulator/generator';
import { startSimulator } from '../../src/halo/simulator/server';
import { SqlDeliveryHistoryReader } from '../../src/store/delivery-history.repository';
import { openDatabase } from '../../src/store/open-db';

const AS_OF = '2026-11-23';
const silent = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
};

/** Syncs a generated demo portfolio into a fresh embedded database and loads its delivery history. */
async function loadPortfolio(
  seed: number,
): Promise<{ dataset: HaloDataset; history: DeliveryHistory }> {
  const dataset = generateDataset({ profile: 'demo', seed, asOf: AS_OF });
  const sim = await startSimulator({ dataset, port: 0 });
  const db = await openDatabase({ memory: true });
  try {
    const client = new HaloClient({
      baseUrl: sim.url,
      clientId: 'demo',
      clientSecret: 'demo',
      scopes: [...HALO_READ_SCOPES],
      pageSize: 1000,
      logger: silent,
    });
    await new HaloSync({
      db,
      reader: client,
      tenantId: 't',
      clock: systemClock,
      logger: silent,
    }).run('full');
    return { dataset, history: await new SqlDeliveryHistoryReader(db).load('t') };
  } finally {
    await db.close();
    await sim.close();
  }
}

/** Days from `from` to `to` inclusive, every `step` days. */
function sampleDays(from: string, to: string, step: number): string[] {
  const out: string[] = [];
  for (let t = Date.parse(from); t <= Date.parse(to); t += step * 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

const SEEDS = [7, 42];
const portfolios = new Map<number, Promise<{ dataset: HaloDataset; history: DeliveryHistory }>>();
const portfolio = (seed: number) => {
  if (!portfolios.has(seed)) portfolios.set(seed, loadPortfolio(seed));
  return portfolios.get(seed)!;
};

describe.each(SEEDS)('delivery judgement on demo portfolio seed %i', (seed) => {
  test('each project comes out as the generator meant it: green all along, amber/red naming the right cause, or unknown', async () => {
    const { dataset, history } = await portfolio(seed);
    const projects = indexDeliveryHistory(history);
    const problems: string[] = [];
    for (const intent of dataset.intent.projects) {
      const project = projects.get(intent.projectId)!;
      const start = (project.row.startDate ?? project.row.createdAt)!.slice(0, 10);
      const end = project.row.closedAt ? project.row.closedAt.slice(0, 10) : AS_OF;
      const judge = (day: string) =>
        assessProject(buildProjectFacts(project, history, day)!, DEFAULT_DELIVERY_POLICY);
      const label = `${intent.projectId} ${intent.situation}`;
      if (intent.situation === 'healthy' || intent.situation === 'missing-data') {
        // Judged every week of its life, from its third week (before that nothing is known).
        const expected = intent.situation === 'healthy' ? 'green' : 'unknown';
        for (const day of sampleDays(start, end, 7).slice(3)) {
          const rag = judge(day).rag;
          if (rag !== expected) problems.push(`${label} on ${day}: ${rag}, expected ${expected}`);
        }
      } else {
        // While the trouble builds (from its start to the day it shows), the project turns amber or
        // red, and on at least one of those days the engine names the generator's cause first.
        const flagged = sampleDays(intent.troubleStartsOn!, intent.visibleOn!, 1)
          .map(judge)
          .filter((a) => a.rag === 'amber' || a.rag === 'red');
        if (flagged.length === 0) problems.push(`${label}: never amber or red`);
        else if (!flagged.some((a) => a.drivers[0]?.key === intent.expectedDriver)) {
          problems.push(`${label}: ${intent.expectedDriver} never the top driver`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  test('a 12-month replay escalates trouble early, spares healthy projects and beats both naive rules', async () => {
    const { dataset, history } = await portfolio(seed);
    const days = daysBetweenInclusive('2025-11-23', '2026-11-22');
    const result = replayDelivery(history, days, DEFAULT_DELIVERY_POLICY);
    const outcomes: ProjectOutcome[] = dataset.intent.projects.map((p) => ({
      projectId: String(p.projectId),
      troubled: p.slipped || p.overran,
      visibleOn: p.visibleOn ?? null,
    }));
    const engine = scoreReplay(result.firstEscalation, outcomes);
    const budgetRule = scoreReplay(result.naiveFirstFlag['budget-ahead-of-time'], outcomes);
    const cpiSpiRule = scoreReplay(result.naiveFirstFlag['cpi-spi-below-0.9'], outcomes);
    const row = (name: string, s: typeof engine) =>
      `${name.padEnd(26)} precision ${s.precision?.toFixed(2)}  recall ${s.recall?.toFixed(2)}  F1 ${s.f1?.toFixed(2)}  median lead ${s.medianLeadWorkingDays} working days`;
    console.log(
      [
        `seed ${seed}:`,
        row('engine', engine),
        row('naive: budget > time + 10%', budgetRule),
        row('naive: CPI or SPI < 0.9', cpiSpiRule),
      ].join('\n'),
    );

    expect(engine.precision).toBeGreaterThanOrEqual(0.85);
    expect(engine.recall).toBeGreaterThanOrEqual(0.9);
    expect(engine.medianLeadWorkingDays).toBeGreaterThanOrEqual(10);
    expect(engine.f1!).toBeGreaterThan(budgetRule.f1 ?? 0);
    expect(engine.f1!).toBeGreaterThan(cpiSpiRule.f1 ?? 0);
    // Healthy and data-thin projects are never escalated.
    const quiet = dataset.intent.projects.filter(
      (p) => p.situation === 'healthy' || p.situation === 'missing-data',
    );
    expect(
      quiet
        .filter((p) => result.firstEscalation.has(String(p.projectId)))
        .map((p) => `${p.projectId} ${p.situation}`),
    ).toEqual([]);
    // No escalation is opened twice for the same project and cause while nothing changed: every
    // re-open follows a resolution.
    const open = new Set<string>();
    for (const e of result.events) {
      const key = `${e.projectId}:${e.cause}`;
      if (e.kind === 'escalation.opened') {
        expect(open.has(key)).toBe(false);
        open.add(key);
      } else if (e.kind === 'escalation.resolved') open.delete(key);
    }
  });
});
