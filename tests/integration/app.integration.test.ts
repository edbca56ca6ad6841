import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config';
import { startApp, type RunningApp } from '../../src/main';
import { cardProblems } from '../bot/card-validation';
import { messageActivity, post } from '../bot/bot-harness';
import { ConnectorDouble } from '../support/connector-double';

const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
const creds = { username: 'halo', password: 'demo-webhook' };

describe('the demo app end to end', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startApp(loadConfig({ PORT: '0', HALO_SIM_PORT: '0', LOG_LEVEL: 'warn' }), {
      database: { memory: true },
      schedule: false,
      logDestination: quiet,
      demo: { seed: 11, asOf: '2026-11-23' },
    });
  });
  afterAll(async () => {
    await app.close();
  });

  test('serves /healthz, and /readyz once the first sync completed', async () => {
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${app.url}/readyz`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { lastSyncAt: string | null };
    expect(body.lastSyncAt).not.toBeNull();
  });

  test('exports Prometheus metrics for sync, HaloPSA requests, budget and data quality', async () => {
    const text = await (await fetch(`${app.url}/metrics`)).text();
    expect(text).toMatch(/ct_sync_duration_seconds_count\{mode="full",outcome="ok"\} 1/);
    expect(text).toMatch(/ct_halo_requests_total\{status="200"\} \d+/);
    expect(text).toMatch(/ct_halo_budget_remaining \d+/);
    expect(text).toMatch(/ct_data_quality_exceptions \d+/);
  });

  test('a webhook with wrong Basic credentials is refused with 401', async () => {
    const sim = app.simulator!;
    const taskId = firstTaskId(app);
    const status = await sim.sendWebhook(
      `${app.url}/api/halo/webhook`,
      { username: 'halo', password: 'wrong' },
      sim.webhookPayload(taskId, 'Ticket Status Changed'),
    );
    expect(status).toBe(401);
    expect(
      await sim.sendWebhook(`${app.url}/api/halo/webhook`, undefined, sim.webhookPayload(taskId)),
    ).toBe(401);
  });

  test('a webhook is answered 202 at once; the worker mirrors the change; a repeated delivery id is processed once', async () => {
    const sim = app.simulator!;
    const taskId = firstTaskId(app);
    sim.setTicketStatus(taskId, 4);
    const payload = sim.webhookPayload(taskId, 'Ticket Status Changed');

    expect(await sim.sendWebhook(`${app.url}/api/halo/webhook`, creds, payload)).toBe(202);
    await app.webhooks.drain();
    const rows = await app.db.query<{ status_id: number }>(
      'SELECT status_id FROM halo_tasks WHERE tenant_id = $1 AND id = $2',
      ['demo', taskId],
    );
    expect(rows[0]?.status_id).toBe(4);

    sim.resetRequestLog();
    expect(await sim.sendWebhook(`${app.url}/api/halo/webhook`, creds, payload)).toBe(202);
    await app.webhooks.drain();
    expect(sim.requests.filter((r) => r.path.toLowerCase().includes(`/tickets/${taskId}`))).toEqual(
      [],
    );
    const deliveries = await app.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM webhook_deliveries WHERE tenant_id = $1 AND processed_at IS NOT NULL',
      ['demo'],
    );
    expect(deliveries[0]!.n).toBe(1);
  });

  test('the scheduled sync mirrors a change no webhook announced and evaluates only the changed projects', async () => {
    const sim = app.simulator!;
    const task = sim
      .records('tickets')
      .filter((t) => Number(t.parent_id) > 0 && Number(t.status_id) !== 9)
      .at(-1)!;
    sim.setTicketStatus(Number(task.id), 4);
    const job = app.jobs.find((j) => j.name === 'halo-sync')!;
    await job.run(new Date());
    const [mirrored] = await app.db.query<{ status_id: number }>(
      'SELECT status_id FROM halo_tasks WHERE tenant_id = $1 AND id = $2',
      ['demo', Number(task.id)],
    );
    expect(Number(mirrored!.status_id)).toBe(4);
    // What the sync changed was evaluated after it (and the queue of changed projects settled).
    const [pending] = await app.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM mirror_changes WHERE tenant_id = $1 AND subject = 'delivery'`,
      ['demo'],
    );
    expect(pending!.n).toBe(0);
  });

  test('the daily evaluation stored a snapshot for every running project', async () => {
    const rows = await app.db.query<{ n: number }>(
      'SELECT count(DISTINCT project_id)::int AS n FROM health_snapshots WHERE tenant_id = $1',
      ['demo'],
    );
    const running = app.simulator!.dataset.intent.projects.filter((p) => !p.closed).length;
    expect(rows[0]!.n).toBeGreaterThanOrEqual(running);
  });
});

describe('the Teams bot on the demo data', () => {
  let app: RunningApp;
  let connector: ConnectorDouble;

  beforeAll(async () => {
    connector = await new ConnectorDouble().start();
    app = await startApp(loadConfig({ PORT: '0', HALO_SIM_PORT: '0', LOG_LEVEL: 'warn' }), {
      database: { memory: true },
      schedule: false,
      logDestination: quiet,
      demo: { seed: 7, asOf: new Date().toISOString().slice(0, 10) },
    });
  });
  afterAll(async () => {
    await app.close();
    await connector.stop();
  });

  /** The Playground's default user: a demo admin and delivery director, who reads every project. */
  const alex = { aadObjectId: '00000000-0000-0000-0000-0000000000020', name: 'Alex Wilber' };
  const cardsSent = () =>
    connector.requests
      .flatMap((r) =>
        ((r.body as { attachments?: Array<{ content: unknown }> })?.attachments ?? []).map(
          (a) => a.content,
        ),
      )
      .filter((c): c is Record<string, unknown> => typeof c === 'object' && c !== null);

  test('someone with no role asking /health is told to ask their admin, and sees no project', async () => {
    const before = connector.requests.length;
    const response = await post(
      `${app.url}/api/messages`,
      messageActivity(connector.url, '/health', { aadObjectId: 'aad-guest', name: 'A Guest' }),
    );
    expect(response.status).toBe(200);
    const replies = connector.requests.slice(before);
    expect(replies).toHaveLength(1);
    expect((replies[0]!.body as { text?: string }).text).toMatch(/Ask your Control Tower admin/);
    expect((replies[0]!.body as { attachments?: unknown[] }).attachments ?? []).toEqual([]);
  });

  test('/health answers with the portfolio card built from the stored evaluation', async () => {
    const response = await post(
      `${app.url}/api/messages`,
      messageActivity(connector.url, '/health', alex),
    );
    expect(response.status).toBe(200);
    const card = cardsSent().at(-1)!;
    expect(cardProblems(card)).toEqual([]);
    const text = JSON.stringify(card);
    const attention = await app.db.query<{ project_id: number }>(
      `SELECT project_id FROM health_snapshots WHERE tenant_id = 'demo' AND rag IN ('red', 'amber')
        ORDER BY rag DESC, score LIMIT 3`,
    );
    expect(attention.length).toBeGreaterThan(0);
    for (const row of attention) expect(text).toContain(`"projectId":${row.project_id}`);
  });

  test('an admin subscribing a channel to escalations receives the escalations that are open', async () => {
    const open = await app.db.query<{ id: string }>(
      `SELECT id FROM escalations WHERE tenant_id = 'demo' AND status IN ('open', 'acknowledged', 'snoozed')`,
    );
    expect(open.length).toBeGreaterThan(0);
    const response = await post(
      `${app.url}/api/messages`,
      messageActivity(connector.url, '<at>Control Tower</at> /subscribe escalations', {
        ...alex,
        conversationType: 'channel',
      }),
    );
    expect(response.status).toBe(200);
    await app.dispatcher.drain();
    const escalationCards = cardsSent().filter((c) =>
      JSON.stringify(c).includes('escalation.acknowledge'),
    );
    expect(escalationCards.length).toBe(open.length);
    for (const card of escalationCards) expect(cardProblems(card)).toEqual([]);
  });

  test("/health <project> answers with that project's drivers against their thresholds", async () => {
    const [project] = await app.db.query<{ id: number; summary: string }>(
      `SELECT p.id, p.summary FROM health_snapshots s JOIN halo_projects p ON p.tenant_id = s.tenant_id AND p.id = s.project_id
        WHERE s.tenant_id = 'demo' AND s.rag IN ('red', 'amber') ORDER BY s.score LIMIT 1`,
    );
    const response = await post(
      `${app.url}/api/messages`,
      messageActivity(connector.url, `/health ${project!.id}`, alex),
    );
    expect(response.status).toBe(200);
    const card = cardsSent().at(-1)!;
    expect(cardProblems(card)).toEqual([]);
    const text = JSON.stringify(card);
    expect(text).toContain(project!.summary.replace(/-/g, '\\\\-'));
    expect(text).toMatch(/amber ≥ .*red ≥/);
  });
});

function firstTaskId(app: RunningApp): number {
  const task = app
    .simulator!.records('tickets')
    .find((t) => Number(t.parent_id) > 0 && Number(t.status_id) !== 9);
  return Number(task!.id);
}
