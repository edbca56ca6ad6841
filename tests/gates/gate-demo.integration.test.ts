/**
 * The Playground walkthrough of stage gates, with the same Bot Framework activities the Agents
 * Playground sends, against the running demo app (simulator, PGlite, demo personas): Alex routes the
 * gates stream to a channel, Megan (PM) requests a gate with `/gate` and the form, Adele (PMO lead)
 * approves on the card; the decision shows on the card, in the timeline and as a note in the simulator.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config';
import { startApp, type RunningApp } from '../../src/main';
import { executeInvoke, messageActivity, post } from '../bot/bot-harness';
import { cardProblems } from '../bot/card-validation';
import { ConnectorDouble } from '../support/connector-double';

// The demo personas' ids as the Agents Playground sends them (see src/demo/demo-personas.ts).
const ALEX = { aadObjectId: '00000000-0000-0000-0000-0000000000020', name: 'Alex Wilber' };
const MEGAN = { aadObjectId: '00000000-0000-0000-0000-0000000000021', name: 'Megan Bowen' };
const ADELE = { aadObjectId: '00000000-0000-0000-0000-0000000000022', name: 'Adele Vance' };

describe('a newcomer requests and approves a stage gate in the demo app', () => {
  let app: RunningApp;
  let connector: ConnectorDouble;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'ct-gate-demo-'));
    connector = await new ConnectorDouble().start();
    app = await startApp(
      loadConfig({ PORT: '0', HALO_SIM_PORT: '0', LOG_LEVEL: 'warn', DATA_DIR: dataDir }),
      {
        database: { memory: true },
        schedule: false,
        logDestination: new Writable({ write: (_c, _e, done) => done() }),
      },
    );
    // The test delivers the outbox and the write-back itself, so it can count what was sent.
    await app.dispatcher.stop();
    await app.writeback.stop();
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await connector?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('Megan requests, Adele approves: card, timeline and HaloPSA note', async () => {
    const bot = `${app.url}/api/messages`;
    const subscribed = await post(
      bot,
      messageActivity(connector.url, '/subscribe gates', { ...ALEX, conversationType: 'channel' }),
    );
    expect(subscribed.status).toBe(200);
    expect(JSON.stringify(connector.cards().at(-1))).toContain('Subscribed');

    // One of Megan's open projects with a gate milestone still to pass.
    const [target] = await app.db.query<{
      project_id: number;
      milestone_id: number;
      summary: string;
    }>(
      `SELECT p.id AS project_id, m.id AS milestone_id, p.summary
         FROM halo_projects p
         JOIN halo_agents a ON a.tenant_id = p.tenant_id AND a.id = p.agent_id
         JOIN role_assignments r ON r.tenant_id = p.tenant_id AND lower(r.email) = lower(a.email)
         JOIN halo_milestones m ON m.tenant_id = p.tenant_id AND m.project_id = p.id
        WHERE p.tenant_id = 'demo' AND r.aad_object_id = $1 AND p.date_closed IS NULL
          AND m.name LIKE 'Gate:%' AND NOT coalesce(m.complete, false)
        ORDER BY p.id, m.sequence LIMIT 1`,
      [MEGAN.aadObjectId],
    );
    expect(target).toBeDefined();
    const { project_id: projectId, milestone_id: milestoneId } = target!;

    await post(bot, messageActivity(connector.url, `/gate ${projectId}`, MEGAN));
    const form = connector.cards().at(-1)!;
    expect(JSON.stringify(form)).toContain(target!.summary);
    expect(cardProblems(form)).toEqual([]);

    const requested = await post(
      bot,
      executeInvoke(
        connector.url,
        'gate.request',
        {
          projectId,
          gateMilestoneId: String(milestoneId),
          gateLinks: 'Design document | https://contoso.sharepoint.com/design.docx',
          gateQaOutcome: 'pass',
          gateQaNotes: 'Peer review done',
          gateAcceptance: 'Signed off by the customer on the design call',
          gateRiskState: 'none',
        },
        MEGAN,
      ),
    );
    expect(JSON.stringify((requested.body as { value: unknown }).value)).toContain(
      'is with the PMO leads',
    );
    connector.clear();
    await app.dispatcher.drain();
    const posted = connector.delivered();
    expect(posted.map((r) => r.operation)).toEqual(['send']);
    const gateId = `g-${projectId}-${milestoneId}`;
    expect(connector.cards()[0]!.refresh).toMatchObject({
      userIds: [`8:orgid:${ADELE.aadObjectId}`],
    });

    // Adele's client refreshes the card (her own view) and she presses Approve.
    const refreshed = await post(
      bot,
      executeInvoke(
        connector.url,
        'gate.refresh',
        { gateId },
        { ...ADELE, replyToId: posted[0]!.body.id as string },
      ),
    );
    expect(JSON.stringify((refreshed.body as { value: unknown }).value)).toContain(
      '"verb":"gate.approve"',
    );
    const approved = await post(
      bot,
      executeInvoke(connector.url, 'gate.approve', { gateId, packVersion: 1 }, ADELE),
    );
    expect(JSON.stringify((approved.body as { value: unknown }).value)).toContain(
      'Approved by Adele Vance',
    );

    // The pack archive runs after Adele was answered; then the card update and the HaloPSA note.
    await app.gates.decide.idle();
    connector.clear();
    await app.dispatcher.drain();
    await app.writeback.drain();
    const [update] = connector.delivered();
    expect(update?.operation).toBe('update');
    expect(JSON.stringify(update!.body)).toMatch(
      /Approved by Adele Vance at .* UTC, pack #[0-9a-f]{12}/,
    );

    const detail = await app.gates.queries.detail(gateId);
    // The approval also archived the evidence pack PDF next to the evidence (local store in demo mode).
    expect(detail!.timeline.map((e) => e.action)).toEqual([
      'gate.requested',
      'gate.approved',
      'gate.pack.archived',
      'gate.writeback.done',
      'gate.writeback.done',
    ]);
    const archived = detail!.timeline.find((e) => e.action === 'gate.pack.archived')!;
    expect(archived.detail).toMatchObject({
      packVersion: 1,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const notes = app
      .simulator!.records('Actions')
      .filter(
        (a) =>
          Number(a.ticket_id) === projectId &&
          String(a.note).includes(`gate ${gateId} v1 approved`),
      );
    expect(notes).toHaveLength(1);
    expect(String(notes[0]!.note)).toContain('approved by Adele Vance');
    // The milestone the gate guards is complete in HaloPSA.
    const milestones = app.simulator!.record('Projects', projectId)!.milestones as {
      id: number;
      _complete: boolean;
    }[];
    expect(milestones.find((m) => Number(m.id) === milestoneId)).toMatchObject({
      _complete: true,
    });
  });
});
