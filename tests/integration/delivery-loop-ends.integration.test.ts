/**
 * The delivery loop's ends against the running demo app (simulator, PGlite, demo personas): Megan
 * (PM) requests a re-baseline, the plan changes in HaloPSA, Adele (PMO lead) approves on the card and
 * the next evaluation measures against the new version; then the project is closed in the simulator
 * and its post-project review card reaches the PMO channel once, with its PDF from the export.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { DemoUsersDto } from '../../src/api/dto';
import { verifyAuditChain } from '../../src/audit/audit-log';
import { loadConfig } from '../../src/config';
import { startApp, type RunningApp } from '../../src/main';
import { executeInvoke, messageActivity, post } from '../bot/bot-harness';
import { cardProblems } from '../bot/card-validation';
import { pdfText } from '../exports/document-tools';
import { ConnectorDouble } from '../support/connector-double';

const ALEX = { aadObjectId: '00000000-0000-0000-0000-0000000000020', name: 'Alex Wilber' };
const MEGAN = { aadObjectId: '00000000-0000-0000-0000-0000000000021', name: 'Megan Bowen' };
const ADELE = { aadObjectId: '00000000-0000-0000-0000-0000000000022', name: 'Adele Vance' };
const creds = { username: 'halo', password: 'demo-webhook' };

describe('the delivery loop closes in the demo app', () => {
  let app: RunningApp;
  let connector: ConnectorDouble;
  let dataDir: string;
  const signIn: Record<string, string> = {};

  const api = async (who: string, method: string, route: string, body?: unknown) => {
    const response = await fetch(`${app.url}/api/v1${route}`, {
      method,
      headers: {
        'X-Demo-User': signIn[who]!,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const type = response.headers.get('content-type') ?? '';
    const raw = Buffer.from(await response.arrayBuffer());
    return {
      status: response.status,
      type,
      raw,
      body: type.includes('json')
        ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>)
        : null,
    };
  };
  const webhook = async (ticketId: number) => {
    const sim = app.simulator!;
    expect(
      await sim.sendWebhook(
        `${app.url}/api/halo/webhook`,
        creds,
        sim.webhookPayload(ticketId, 'Ticket Status Changed'),
      ),
    ).toBe(202);
    await app.webhooks.drain();
  };
  const projectTimeline = async (projectId: number) =>
    (
      await app.db.query<{ action: string }>(
        `SELECT action FROM audit_log WHERE tenant_id = 'demo' AND subject_type = 'project' AND subject_id = $1 ORDER BY seq`,
        [String(projectId)],
      )
    ).map((r) => r.action);

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'ct-loop-ends-'));
    connector = await new ConnectorDouble().start();
    app = await startApp(
      loadConfig({ PORT: '0', HALO_SIM_PORT: '0', LOG_LEVEL: 'warn', DATA_DIR: dataDir }),
      {
        database: { memory: true },
        schedule: false,
        logDestination: new Writable({ write: (_c, _e, done) => done() }),
      },
    );
    await app.dispatcher.stop();
    await app.writeback.stop();
    const users = (await (await fetch(`${app.url}/api/v1/demo/users`)).json()) as DemoUsersDto;
    for (const u of users.items) signIn[u.name] = u.signInEmail;
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await connector?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('a PMO-approved re-baseline is the next evaluation baseline; closing the project posts its review once, with the PDF', async () => {
    const bot = `${app.url}/api/messages`;
    await post(
      bot,
      messageActivity(connector.url, '/subscribe reports', {
        ...ALEX,
        conversationType: 'channel',
      }),
    );
    const [target] = await app.db.query<{ id: number; summary: string; time_budget: number }>(
      `SELECT p.id, p.summary, p.time_budget FROM halo_projects p
         JOIN halo_agents a ON a.tenant_id = p.tenant_id AND a.id = p.agent_id
         JOIN role_assignments r ON r.tenant_id = p.tenant_id AND lower(r.email) = lower(a.email)
         JOIN project_baselines b ON b.tenant_id = p.tenant_id AND b.project_id = p.id
        WHERE p.tenant_id = 'demo' AND r.aad_object_id = $1 AND p.date_closed IS NULL
          AND p.time_budget > 0
        ORDER BY p.id LIMIT 1`,
      [MEGAN.aadObjectId],
    );
    expect(target).toBeDefined();
    const projectId = Number(target!.id);

    // Only the project's PM may ask; a reason is required.
    expect(
      (
        await api('Adele Vance', 'POST', `/projects/${projectId}/rebaseline-requests`, {
          reason: 'x',
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await api('Megan Bowen', 'POST', `/projects/${projectId}/rebaseline-requests`, {
          reason: ' ',
        })
      ).status,
    ).toBe(400);
    const requested = await api(
      'Megan Bowen',
      'POST',
      `/projects/${projectId}/rebaseline-requests`,
      {
        reason: 'The customer added a second site to the scope',
      },
    );
    expect(requested.status).toBe(201);
    const requestId = (requested.body!.request as { id: string }).id;
    expect(requested.body!.request).toMatchObject({ status: 'pending', fromVersion: 1 });
    expect(
      (
        await api('Megan Bowen', 'POST', `/projects/${projectId}/rebaseline-requests`, {
          reason: 'again',
        })
      ).status,
    ).toBe(409);

    connector.clear();
    await app.dispatcher.drain();
    const requestCard = connector
      .cards()
      .find((c) => JSON.stringify(c).includes('Re-baseline request'));
    expect(requestCard).toBeDefined();
    expect(cardProblems(requestCard)).toEqual([]);
    expect(JSON.stringify(requestCard)).toContain('"verb":"rebaseline.approve"');

    // The plan changes in HaloPSA (40 more budgeted hours) and reaches the mirror by webhook.
    const newBudget = Number(target!.time_budget) + 40;
    app.simulator!.corrupt('Projects', projectId, 'projecttimebudget', newBudget);
    await webhook(projectId);

    // The requester cannot decide; Adele approves on the card.
    expect(
      (
        await api('Megan Bowen', 'POST', `/rebaseline-requests/${requestId}/decisions`, {
          outcome: 'approve',
        })
      ).status,
    ).toBe(403);
    const approved = await post(
      bot,
      executeInvoke(connector.url, 'rebaseline.approve', { requestId }, ADELE),
    );
    const approvedCard = (approved.body as { value: unknown }).value;
    expect(JSON.stringify(approvedCard)).toContain('baseline version 2');
    expect(JSON.stringify(approvedCard)).toContain(
      `planned hours ${target!.time_budget} → ${newBudget}`,
    );
    expect(cardProblems(approvedCard)).toEqual([]);
    const again = await post(
      bot,
      executeInvoke(connector.url, 'rebaseline.reject', { requestId }, ADELE),
    );
    expect(JSON.stringify((again.body as { value: unknown }).value)).toContain('approved already');

    await app.evaluation.run({ projectIds: [projectId] });
    const [snapshot] = await app.db.query<{ version: string }>(
      `SELECT assessment->'assessment'->>'baselineVersion' AS version FROM health_snapshots
        WHERE tenant_id = 'demo' AND project_id = $1 ORDER BY snapshot_date DESC LIMIT 1`,
      [projectId],
    );
    expect(Number(snapshot!.version)).toBe(2);

    // The project closes in HaloPSA: the review card goes to the PMO channel once.
    app.simulator!.setTicketStatus(projectId, 9);
    await webhook(projectId);
    await webhook(projectId);
    connector.clear();
    await app.dispatcher.drain();
    const reviews = connector
      .cards()
      .filter((c) => JSON.stringify(c).includes('Post-project review'));
    expect(reviews).toHaveLength(1);
    expect(cardProblems(reviews[0])).toEqual([]);
    expect(JSON.stringify(reviews[0])).toContain(target!.summary.slice(0, 40));
    const stored = await app.db.query(
      `SELECT project_id FROM post_project_reviews WHERE tenant_id = 'demo' AND project_id = $1`,
      [projectId],
    );
    expect(stored).toHaveLength(1);

    const pdf = await api(
      'Adele Vance',
      'GET',
      `/exports/projects/${projectId}/post-project-review.pdf`,
    );
    expect(pdf.status).toBe(200);
    expect(pdf.type).toContain('application/pdf');
    expect(pdf.raw.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = await pdfText(pdf.raw);
    expect(text).toContain('Post-project review');
    expect(text).toContain(String(projectId));

    expect(await projectTimeline(projectId)).toEqual(
      expect.arrayContaining([
        'project.rebaseline.refused',
        'project.rebaseline.requested',
        'project.rebaseline.approved',
        'project.review.produced',
      ]),
    );
    expect(await verifyAuditChain(app.db, 'demo')).toMatchObject({ ok: true });
  });
});
