import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config';
import { startApp, type RunningApp } from '../../src/main';

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

  test('a status change reaches the store within a second, and a repeated delivery id is processed once', async () => {
    const sim = app.simulator!;
    const taskId = firstTaskId(app);
    sim.setTicketStatus(taskId, 4);
    const payload = sim.webhookPayload(taskId, 'Ticket Status Changed');

    const started = Date.now();
    expect(await sim.sendWebhook(`${app.url}/api/halo/webhook`, creds, payload)).toBe(200);
    const elapsed = Date.now() - started;
    const rows = await app.db.query<{ status_id: number }>(
      'SELECT status_id FROM halo_tasks WHERE tenant_id = $1 AND id = $2',
      ['demo', taskId],
    );
    expect(rows[0]?.status_id).toBe(4);
    expect(elapsed).toBeLessThan(1000);

    sim.resetRequestLog();
    expect(await sim.sendWebhook(`${app.url}/api/halo/webhook`, creds, payload)).toBe(200);
    expect(sim.requests.filter((r) => r.path.toLowerCase().includes(`/tickets/${taskId}`))).toEqual(
      [],
    );
    const deliveries = await app.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM webhook_deliveries WHERE tenant_id = $1 AND processed_at IS NOT NULL',
      ['demo'],
    );
    expect(deliveries[0]!.n).toBe(1);
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

function firstTaskId(app: RunningApp): number {
  const task = app
    .simulator!.records('tickets')
    .find((t) => Number(t.parent_id) > 0 && Number(t.status_id) !== 9);
  return Number(task!.id);
}
