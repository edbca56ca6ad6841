/**
 * Production mode end to end, as separate processes configured only by environment (SPEC §6): the
 * HaloPSA simulator runs from its CLI in its own process with the realistic profile; the app runs from `src/main.ts` in another,
 * with production settings only — PostgreSQL, Bot Framework OpenID metadata and Entra OpenID metadata
 * from a JWKS double, the App Service managed-identity endpoint double for its outbound tokens, the
 * Bot Connector double (the activities' serviceUrl) and the Graph double (https, trusted through
 * NODE_EXTRA_CA_CERTS). Every bot call carries a signed channel token; every tab call a signed SSO token.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from 'pg';
import { executeInvoke, messageActivity, post } from '../bot/bot-harness';
import { cardProblems } from '../bot/card-validation';
import { ConnectorDouble } from '../support/connector-double';
import { eventually } from '../support/eventually';
import { GraphDouble } from '../support/graph-double';
import { JwksDouble } from '../support/jwks-double';
import { ManagedIdentityDouble } from '../support/managed-identity-double';

const pgUrl = process.env.TEST_DATABASE_URL;
const ROOT = path.resolve(__dirname, '../..');
const BOT_ID = '7a1f3c55-0b6e-4d0f-9c1a-3d2b8e4f6a01';
const ENTRA_TENANT = 'entra-tenant';
const TAB_CLIENT_ID = '5d9e2b11-7c44-4f3e-a2b0-6e1d9c8f4b02';
const SITE = 'contoso.sharepoint.com,site-1,web-1';
const DRIVE = 'drive-evidence';
const GRAPH_TOKEN = 'graph-token-from-managed-identity';
const DIRECTOR = { aadObjectId: 'aad-director', name: 'Dee Director' };
const PMO = { aadObjectId: 'aad-pmo', name: 'Paula PMO' };
const ADMIN = { aadObjectId: 'aad-admin', name: 'Alex Admin' };
const today = new Date().toISOString().slice(0, 10);

/** A free loopback port (the app is told its port by environment, like App Service does). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts a process and resolves with the first stdout line that matches (or rejects on exit). */
function startProcess(
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
  output: string[],
): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, env });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stderr! }).on('line', (line) => output.push(line));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output.push(line);
      if (ready.test(line)) resolve({ child, line });
    });
    child.once('exit', (code) =>
      reject(new Error(`${args.join(' ')} exited ${code}:\n${output.slice(-30).join('\n')}`)),
    );
  });
}

async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

(pgUrl ? describe : describe.skip)('production mode, separate processes', () => {
  const output: string[] = [];
  let simulator: ChildProcess | undefined;
  let app: ChildProcess | undefined;
  let simUrl = '';
  let appUrl = '';
  let jwks: JwksDouble;
  let connector: ConnectorDouble;
  let graph: GraphDouble;
  let identity: ManagedIdentityDouble;
  let admin: Client;
  let schema = '';
  let dir = '';
  let agents: Array<{ id: number; email: string }> = [];

  const bot = () => `${appUrl}/api/messages`;
  const signed = (activity: Record<string, unknown>) =>
    post(bot(), activity, jwks.token(BOT_ID, connector.url));
  const sso = (oid: string, name: string) =>
    jwks.token(TAB_CLIENT_ID, 'unused', {
      iss: `https://login.microsoftonline.com/${ENTRA_TENANT}/v2.0`,
      tid: ENTRA_TENANT,
      oid,
      name,
    });
  const db = async <T>(sql: string, params: unknown[] = []): Promise<T[]> =>
    (await admin.query(sql, params)).rows as T[];
  const haloToken = async () => {
    // Hosted HaloPSA names its auth server in /api/authinfo (the realistic profile moves it).
    const info = (await (await fetch(`${simUrl}/api/authinfo`)).json()) as { auth_url: string };
    const response = await fetch(`${info.auth_url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=demo&client_secret=demo&scope=all',
    });
    return ((await response.json()) as { access_token: string }).access_token;
  };
  const halo = async <T>(resource: string): Promise<T> => {
    const response = await fetch(`${simUrl}/api/${resource}`, {
      headers: { authorization: `Bearer ${await haloToken()}` },
    });
    return (await response.json()) as T;
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ct-production-'));
    schema = `prod_${process.pid}_${Date.now().toString(36)}`;
    admin = new Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.query(`SET search_path TO ${schema}`);

    jwks = await new JwksDouble().start();
    connector = await new ConnectorDouble().start();
    graph = await new GraphDouble(SITE, DRIVE, GRAPH_TOKEN).start();
    identity = await new ManagedIdentityDouble((resource) =>
      resource.includes('graph') ? GRAPH_TOKEN : 'connector-token',
    ).start();
    const caFile = path.join(dir, 'graph-double.pem');
    await writeFile(caFile, graph.certificate.cert);

    const simPort = await freePort();
    const sim = await startProcess(
      [
        'src/halo/simulator/cli.ts',
        ...['--profile', 'demo', '--seed', '42', '--as-of', today, '--port', String(simPort)],
        // Hosted HaloPSA's habits: 100-row pages, discovered auth, short-lived tokens, random 429s,
        // loosely spelled ids, undocumented filters ignored.
        ...['--realistic', '--token-lifetime-seconds', '20'],
      ],
      { PATH: process.env.PATH ?? '' },
      /^\{"url"/,
      output,
    );
    simulator = sim.child;
    simUrl = (JSON.parse(sim.line) as { url: string }).url;
    const agentList = await halo<Array<{ id: number | string; email?: string }>>('Agent');
    agents = agentList
      .filter((a) => a.email && Number(a.id) > 0)
      .map((a) => ({ id: Number(a.id), email: a.email! }));

    const databaseUrl = new URL(pgUrl!);
    databaseUrl.searchParams.set('options', `-c search_path=${schema}`);
    const port = await freePort();
    appUrl = `http://127.0.0.1:${port}`;
    const roleAssignments = [
      { aadObjectId: DIRECTOR.aadObjectId, email: null, roles: ['delivery_director'] },
      { aadObjectId: PMO.aadObjectId, email: 'pmo@msp.example', roles: ['pmo_lead'] },
      { aadObjectId: ADMIN.aadObjectId, email: null, roles: ['admin'] },
      // Every HaloPSA agent may sign in as a PM (their projects are theirs by e-mail).
      ...agents.map((a) => ({ aadObjectId: `aad-agent-${a.id}`, email: a.email, roles: ['pm'] })),
    ];
    const started = await startProcess(
      ['src/main.ts'],
      {
        PATH: process.env.PATH ?? '',
        PORT: String(port),
        LOG_LEVEL: 'warn',
        TENANT_ID: 'msp-prod',
        HALO_URL: simUrl,
        HALO_CLIENT_ID: 'demo',
        HALO_CLIENT_SECRET: 'demo',
        HALO_WEBHOOK_USER: 'halo',
        HALO_WEBHOOK_PASSWORD: 'webhook-secret',
        DATABASE_URL: databaseUrl.toString(),
        BOT_ID,
        BOT_MANAGED_IDENTITY: 'true',
        BOT_TENANT_ID: ENTRA_TENANT,
        BOT_OPENID_METADATA_URL: jwks.metadataUrl,
        SHAREPOINT_SITE_ID: SITE,
        SHAREPOINT_DRIVE_ID: DRIVE,
        GRAPH_MANAGED_IDENTITY_CLIENT_ID: BOT_ID,
        GRAPH_URL: graph.baseUrl,
        TAB_SSO_CLIENT_ID: TAB_CLIENT_ID,
        ALLOWED_TENANT_IDS: ENTRA_TENANT,
        ENTRA_OPENID_METADATA_URL: jwks.metadataUrl,
        ROLE_ASSIGNMENTS: JSON.stringify(roleAssignments),
        // What App Service gives the process for its managed identity, and the Graph double's CA.
        IDENTITY_ENDPOINT: identity.url,
        IDENTITY_HEADER: identity.header,
        NODE_EXTRA_CA_CERTS: caFile,
      },
      /Control Tower is ready \(production mode/,
      output,
    );
    app = started.child;
  }, 180_000);

  afterAll(async () => {
    await stopProcess(app);
    await stopProcess(simulator);
    await Promise.all([jwks?.stop(), connector?.stop(), graph?.stop(), identity?.stop()]);
    await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin?.end();
    await rm(dir, { recursive: true, force: true });
  });

  test('demo routes and X-Demo-User are refused', async () => {
    expect((await fetch(`${appUrl}/api/v1/demo/users`)).status).toBe(404);
    const asDemoUser = await fetch(`${appUrl}/api/v1/projects`, {
      headers: { 'x-demo-user': ADMIN.aadObjectId },
    });
    expect(asDemoUser.status).toBe(401);
    const unsigned = await post(bot(), messageActivity(connector.url, '/health', DIRECTOR));
    expect(unsigned.status).toBe(401);
  });

  test('first sync → the escalation card reaches the routed channel → a signed Acknowledge updates it', async () => {
    const open = await db<{ id: string; project_id: string }>(
      `SELECT id, project_id FROM escalations WHERE status = 'open' ORDER BY id`,
    );
    expect(open.length).toBeGreaterThan(0);
    const subscribed = await signed(
      messageActivity(connector.url, '/subscribe escalations', {
        ...ADMIN,
        conversationType: 'channel',
      }),
    );
    expect(subscribed.status).toBe(200);
    const posted = await eventually('the escalation cards', () => {
      const sent = connector
        .delivered()
        .filter(
          (r) =>
            r.operation === 'send' && JSON.stringify(r.body).includes('escalation.acknowledge'),
        );
      return sent.length === open.length ? sent : undefined;
    });
    // Sent with the token the managed identity gave the bot.
    expect(posted[0]!.authorization).toBe('Bearer connector-token');
    expect(identity.requests.some((r) => r.resource.includes('botframework'))).toBe(true);

    const target = open[0]!;
    const card = posted.find((r) => JSON.stringify(r.body).includes(target.id))!;
    const acknowledged = await signed(
      executeInvoke(
        connector.url,
        'escalation.acknowledge',
        { escalationId: target.id },
        { ...DIRECTOR, replyToId: card.body.id as string },
      ),
    );
    expect(acknowledged.status).toBe(200);
    const value = (acknowledged.body as { value: Record<string, unknown> }).value;
    expect(JSON.stringify(value)).toContain('Acknowledged by Dee Director');
    expect(cardProblems(value)).toEqual([]);
    const [stored] = await db<{ status: string }>(`SELECT status FROM escalations WHERE id = $1`, [
      target.id,
    ]);
    expect(stored?.status).toBe('acknowledged');
  });

  test('the tab API with a signed SSO token shows a project', async () => {
    const [project] = await db<{ id: string; summary: string }>(
      `SELECT id, summary FROM halo_projects WHERE date_closed IS NULL ORDER BY id LIMIT 1`,
    );
    const response = await fetch(`${appUrl}/api/v1/projects/${project!.id}`, {
      headers: { authorization: `Bearer ${sso(DIRECTOR.aadObjectId, DIRECTOR.name)}` },
    });
    expect(response.status).toBe(200);
    expect(JSON.stringify(await response.json())).toContain(project!.summary);
    const forged = await fetch(`${appUrl}/api/v1/projects/${project!.id}`, {
      headers: { authorization: `Bearer ${jwks.forgedToken(TAB_CLIENT_ID, 'unused')}` },
    });
    expect(forged.status).toBe(401);
  });

  test('a gate is requested and approved with signed invokes: evidence in SharePoint, the note in HaloPSA', async () => {
    const [target] = await db<{ project_id: string; milestone_id: string; agent_id: string }>(
      `SELECT p.id AS project_id, m.id AS milestone_id, p.agent_id
         FROM halo_projects p JOIN halo_milestones m ON m.tenant_id = p.tenant_id AND m.project_id = p.id
        WHERE p.date_closed IS NULL AND m.name LIKE 'Gate:%' AND NOT coalesce(m.complete, false)
          AND p.agent_id IS NOT NULL
        ORDER BY p.id, m.sequence LIMIT 1`,
    );
    expect(target).toBeDefined();
    const projectId = Number(target!.project_id);
    const milestoneId = Number(target!.milestone_id);
    const pm = { aadObjectId: `aad-agent-${target!.agent_id}`, name: 'Project Manager' };

    await signed(
      messageActivity(connector.url, '/subscribe gates', { ...ADMIN, conversationType: 'channel' }),
    );
    const upload = await fetch(`${appUrl}/api/v1/gates/evidence`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${sso(pm.aadObjectId, pm.name)}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        projectId,
        milestoneId,
        fileName: 'design-review.txt',
        contentType: 'text/plain',
        contentBase64: Buffer.from('Design review minutes').toString('base64'),
      }),
    });
    expect(upload.status).toBe(201);
    expect(
      [...graph.files.values()].some((f) => f.content.toString() === 'Design review minutes'),
    ).toBe(true);

    const requested = await signed(
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
        pm,
      ),
    );
    expect(JSON.stringify((requested.body as { value: unknown }).value)).toContain(
      'is with the PMO leads',
    );

    const gateId = `g-${projectId}-${milestoneId}`;
    const approved = await signed(
      executeInvoke(connector.url, 'gate.approve', { gateId, packVersion: 1 }, PMO),
    );
    expect(JSON.stringify((approved.body as { value: unknown }).value)).toContain(
      'Approved by Paula PMO',
    );

    const note = await eventually('the approval note in HaloPSA', async () => {
      const actions = await halo<{ actions: Array<{ note?: string }> }>(
        `Actions?ticket_id=${projectId}&count=500`,
      );
      return actions.actions.find((a) => /approved/i.test(a.note ?? ''));
    });
    expect(note.note).toMatch(/Paula PMO/);
  });
});
