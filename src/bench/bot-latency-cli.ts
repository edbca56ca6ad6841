/**
 * The bench's bot-latency phase in a process of its own: the demo app, syncing from the demo
 * HaloPSA simulator in a child process (as the large-dataset bench does), so this process's peak
 * memory is the app's. Prints one JSON line. With `--webhook-only`, only the webhook → card
 * figures (`npm run bench -- --only webhook`).
 */
import { Writable } from 'node:stream';
import { loadConfig } from '../config';
import type { Actor } from '../app/delivery-views';
import { startApp, type RunningApp } from '../main';
import type { Role } from '../domain/shared/roles';
import { SqlRoleDirectory } from '../store/role-directory.repository';
import { postgresSchema } from './bench-schema';
import { SimulatorProcess } from './simulator-process';
import { measureBotLatency, type ApproveLoad, type BenchPerson } from './bot-latency';
import { LATENCY_ROUNDS } from './rounds';
import { measureWebhookToCard } from './webhook-latency';

/**
 * Requests `count` gates on open demo projects (as the delivery director, with a complete pack) and
 * grants `approvers` bench users the PMO lead role, for the Approve figure.
 */
async function pendingGates(
  app: RunningApp,
  count: number,
  approvers: number,
): Promise<ApproveLoad> {
  const milestones = await app.db.query<{ project_id: number; milestone_id: number }>(
    `SELECT m.project_id, m.id AS milestone_id
       FROM halo_milestones m JOIN halo_projects p ON p.tenant_id = m.tenant_id AND p.id = m.project_id
      WHERE m.tenant_id = $1 AND p.date_closed IS NULL AND m.name LIKE 'Gate:%'
        AND NOT coalesce(m.complete, false)
      ORDER BY m.project_id, m.sequence`,
    [app.config.tenantId],
  );
  const director: Actor = {
    aadObjectId: '00000000-0000-0000-0000-0000000000020',
    name: 'Alex Wilber',
    email: null,
    roles: ['delivery_director', 'admin'],
    haloAgentId: null,
  };
  const gates: ApproveLoad['gates'] = [];
  for (const m of milestones) {
    if (gates.length >= count) break;
    const result = await app.gates.request.run(director, {
      projectId: Number(m.project_id),
      milestoneId: Number(m.milestone_id),
      links: [{ title: 'Acceptance report', url: 'https://contoso.sharepoint.com/acceptance.pdf' }],
      fileIds: null,
      qaOutcomes: [{ name: 'UAT', outcome: 'pass', notes: 'All scripts passed' }],
      customerAcceptanceNotes: 'Accepted by the customer on the review call',
      openRisks: [],
      noOpenRisks: true,
    });
    if (result.ok) gates.push({ gateId: result.gate.id, packVersion: result.gate.packVersion });
  }
  return { gates, approvers: await benchPeople(app, 'pmo_lead', 'bench-approver', approvers) };
}

/**
 * `count` bench users granted `role` (ids `<prefix>-<i>`), each with an e-mail of their own: gate
 * rules judge segregation of duties by e-mail, and refuse someone with none on file before anything
 * else (without one, every Approve click would measure that refusal, never a decision).
 */
async function benchPeople(
  app: RunningApp,
  role: Role,
  prefix: string,
  count: number,
): Promise<BenchPerson[]> {
  const people = Array.from({ length: count }, (_, i) => ({
    aadObjectId: `${prefix}-${i}`,
    name: `${prefix.replace(/^bench-/, 'Bench ')} ${i}`,
  }));
  await new SqlRoleDirectory(app.db, app.config.tenantId).grant(
    people.map((p) => ({
      aadObjectId: p.aadObjectId,
      email: `${p.aadObjectId}@bench.example`,
      role,
    })),
  );
  return people;
}

/**
 * The Approve figure is of clicks where one approver decides and the others get the decided card:
 * a run where a gate was left undecided (every click refused) measured something else.
 */
async function everyGateDecided(app: RunningApp, load: ApproveLoad): Promise<void> {
  const ids = load.gates.map((g) => g.gateId);
  const [row] = await app.db.query<{ n: number | string }>(
    `SELECT count(*) AS n FROM gates WHERE tenant_id = $1 AND id = ANY($2::text[]) AND status = 'approved'`,
    [app.config.tenantId, ids],
  );
  if (Number(row?.n ?? 0) !== ids.length) {
    throw new Error(
      `the Approve figure decided ${Number(row?.n ?? 0)} of its ${ids.length} gates: its clicks were refused`,
    );
  }
}

/** This process's peak resident memory so far, in MB (the demo app; the simulator is a child). */
function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

async function main(): Promise<void> {
  const postgres = await postgresSchema();
  // The demo app's own dataset (startApp's default seed and "today"), served from another process.
  const simulator = await SimulatorProcess.start('demo', 42, new Date().toISOString().slice(0, 10));
  let app: RunningApp | null = null;
  let closeSink: () => Promise<void> = () => Promise.resolve();
  try {
    // Pages of 1000, as the demo app asks of its own simulator: the sync leaves the HaloPSA
    // request budget to the webhook re-reads this phase measures.
    const config = loadConfig({ PORT: '0', LOG_LEVEL: 'error', HALO_PAGE_SIZE: '1000' });
    app = await startApp(config, {
      database: postgres ? { url: postgres.url } : { memory: true },
      haloUrl: simulator.url,
      schedule: false,
      logDestination: new Writable({ write: (_chunk, _encoding, done) => done() }),
    });
    // First, while the outbox holds nothing else (later phases leave card updates for their
    // conversations that the dispatcher keeps retrying): webhook → escalation card.
    const started = Date.now();
    const { latency: webhook, close } = await measureWebhookToCard(app, simulator, {
      queuedRefreshes: 500,
    });
    closeSink = close;
    const samples = (rounds: ReadonlyArray<{ webhookSamples: number }>) =>
      rounds.map((r) => r.webhookSamples).join('+');
    process.stderr.write(
      `[bench] webhook → card: ${samples(webhook.rounds)} webhooks in ${webhook.rounds.length} rounds, then ${samples(webhook.behindRefreshes?.rounds ?? [])} behind ${webhook.behindRefreshes?.queued ?? 0} queued refreshes, in ${Date.now() - started} ms\n`,
    );
    if (process.argv.includes('--webhook-only')) {
      process.stdout.write(
        `${JSON.stringify({ webhook, database: postgres ? 'postgres' : 'pglite', peakRssMb: peakRssMb() })}\n`,
      );
      return;
    }
    const projectIds = (
      await app.db.query<{ project_id: number }>('SELECT DISTINCT project_id FROM health_snapshots')
    ).map((r) => Number(r.project_id));
    const escalationIds = (
      await app.db.query<{ id: string }>(
        `SELECT id FROM escalations WHERE status IN ('open', 'acknowledged', 'snoozed')`,
      )
    ).map((r) => r.id);
    // Five gates per round: 250 Approve clicks per round at 50 approvers a gate.
    const approve = await pendingGates(app, 5 * LATENCY_ROUNDS, 50);
    const latency = await measureBotLatency({
      botUrl: app.url,
      projectIds,
      escalationIds,
      people: await benchPeople(app, 'delivery_director', 'bench-director', 50),
      approve,
      settle: () => app!.idle(),
    });
    await everyGateDecided(app, approve);
    process.stdout.write(
      `${JSON.stringify({ bot: latency, webhook, database: postgres ? 'postgres' : 'pglite', projects: projectIds.length, escalations: escalationIds.length, peakRssMb: peakRssMb() })}\n`,
    );
  } finally {
    await app?.close();
    await closeSink();
    simulator.stop();
    await postgres?.drop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bot latency failed: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
