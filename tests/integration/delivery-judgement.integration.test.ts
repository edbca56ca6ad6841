import {
  buildProjectFacts,
  indexDeliveryHistory,
} from '../../src/app/delivery/build-project-facts';
import type { DeliveryHistory } from '../../src/app/delivery/project-history';
import { daysBetweenInclusive, replayDelivery } from '../../src/app/delivery/replay-delivery';
import { assessProject } from '../../src/domain/delivery/health-score';
import { DEFAULT_DELIVERY_POLICY } from '../../src/domain/delivery/policy';
import { scoreReplay, type ProjectOutcome } from '../../src/domain/delivery/replay-scoring';
import { HaloClient } from '../../src/halo/halo-client';
import { HaloSync } from '../../src/halo/halo-sync';
import type { HaloDataset, ProjectIntent } from '../../src/halo/simulator/dataset';
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
      scopes: [
        'read:projects',
        'read:tickets',
        'read:timesheets',
        'read:contracts',
        'read:customers',
        'read:invoices',
      ],
      pageSize: 1000,
      logger: silent,
    });
    await new HaloSync({
      db,
      reader: client,
      tenantId: 't',
      now: () => new Date(),
      logger: silent,
    }).run('full');
    return { dataset, history: await new SqlDeliveryHistoryReader(db).load('t') };
  } finally {
    await db.close();
    await sim.close();
  }
}

/** The day a project's situation should show: when its trouble becomes visible, else mid-life. */
function dayToJudge(intent: ProjectIntent, start: string, end: string): string {
  if (intent.visibleOn && intent.visibleOn < end) return intent.visibleOn;
  return new Date((Date.parse(start) + Date.parse(end)) / 2).toISOString().slice(0, 10);
}

const SEEDS = [7, 42];
const portfolios = new Map<number, Promise<{ dataset: HaloDataset; history: DeliveryHistory }>>();
const portfolio = (seed: number) => {
  if (!portfolios.has(seed)) portfolios.set(seed, loadPortfolio(seed));
  return portfolios.get(seed)!;
};

describe.each(SEEDS)('delivery judgement on demo portfolio seed %i', (seed) => {
  test('each project comes out as the generator meant it (green, the right driver first, or unknown)', async () => {
    const { dataset, history } = await portfolio(seed);
    const projects = indexDeliveryHistory(history);
    const verdicts = dataset.intent.projects.map((intent) => {
      const project = projects.get(intent.projectId)!;
      const start = (project.row.startDate ?? project.row.createdAt)!.slice(0, 10);
      const end = project.row.closedAt ? project.row.closedAt.slice(0, 10) : AS_OF;
      const facts = buildProjectFacts(project, history, dayToJudge(intent, start, end))!;
      const a = assessProject(facts, DEFAULT_DELIVERY_POLICY);
      return {
        id: intent.projectId,
        situation: intent.situation,
        expected: intent.expectedDriver,
        rag: a.rag,
        top: a.drivers[0]?.key,
      };
    });
    for (const v of verdicts) {
      if (v.situation === 'healthy') expect(v).toEqual(expect.objectContaining({ rag: 'green' }));
      else if (v.situation === 'missing-data')
        expect(v).toEqual(expect.objectContaining({ rag: 'unknown' }));
      else {
        expect(v).toEqual(
          expect.objectContaining({ rag: expect.stringMatching(/^(amber|red)$/), top: v.expected }),
        );
      }
    }
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
