/**
 * One focused test per hostile input the fuzz suite (and issue 16, findings 7–8) found answering 500
 * or `INTERNAL`, or accepted when it should be refused, against the demo app over real HTTP.
 */
import { Writable } from 'node:stream';
import type { DemoUsersDto } from '../../src/api/dto';
import { loadConfig } from '../../src/config';
import { DEFAULT_DELIVERY_POLICY } from '../../src/domain/delivery/policy';
import { startApp, type RunningApp } from '../../src/main';
import { ConnectorDouble } from '../support/connector-double';

const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
const NOW = new Date('2026-11-23T12:00:00Z');

describe('hostile inputs found by the fuzz suite', () => {
  let app: RunningApp;
  let connector: ConnectorDouble;
  let users: DemoUsersDto['items'];
  const withRole = (role: string) => users.find((u) => u.roles.includes(role as never))!;

  beforeAll(async () => {
    connector = await new ConnectorDouble().start();
    app = await startApp(loadConfig({ PORT: '0', HALO_SIM_PORT: '0', LOG_LEVEL: 'fatal' }), {
      database: { memory: true },
      schedule: false,
      logDestination: quiet,
      clock: { now: () => NOW },
      demo: { seed: 11, asOf: '2026-11-23' },
    });
    users = ((await (await fetch(`${app.url}/api/v1/demo/users`)).json()) as DemoUsersDto).items;
  }, 240_000);
  afterAll(async () => {
    await app.close();
    await connector.stop();
  });

  const call = async (path: string, user: string, method = 'GET', body?: unknown) => {
    const response = await fetch(`${app.url}/api/v1${path}`, {
      method,
      headers: {
        'X-Demo-User': user,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, text: await response.text() };
  };

  let sequence = 0;
  const bot = async (activity: Record<string, unknown>) => {
    sequence += 1;
    const sent = connector.requests.length;
    const response = await fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        id: `hostile-${sequence}`,
        timestamp: NOW.toISOString(),
        channelId: 'msteams',
        serviceUrl: connector.url,
        recipient: { id: '28:bot', name: 'Control Tower' },
        conversation: { id: 'a:personal-hostile', conversationType: 'personal', tenantId: 'demo' },
        channelData: { tenant: { id: 'demo' } },
        ...activity,
      }),
    });
    return {
      status: response.status,
      text: await response.text(),
      replies: connector.requests.slice(sent).map((r) => JSON.stringify(r.body)),
    };
  };
  const from = (aadObjectId: string) => ({ id: `29:${aadObjectId}`, name: 'Someone', aadObjectId });
  const click = (aadObjectId: string, verb: string, data: Record<string, unknown>) =>
    bot({
      type: 'invoke',
      name: 'adaptiveCard/action',
      from: from(aadObjectId),
      value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
    });
  const count = async (table: string) =>
    Number((await app.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n);

  test('a project id beyond bigint is a 400, not a 500 (gate form, project, projects filter)', async () => {
    const lead = withRole('pmo_lead').signInEmail;
    for (const path of [
      '/projects/9223372036854775808/gate-form',
      '/projects/99999999999999999999999',
      '/projects?clientId=99999999999999999999999',
      '/contracts/9223372036854775808',
    ]) {
      const r = await call(path, lead);
      expect({ path, status: r.status }).toEqual({ path, status: 400 });
    }
  });

  test('month=9999-12 is a 400', async () => {
    const owner = withRole('msp_owner').signInEmail;
    const r = await call('/renewals/governance?month=9999-12', owner);
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/month/);
  });

  test('evidence links through the API are https only', async () => {
    const pm = withRole('pm').signInEmail;
    for (const url of [
      'javascript:alert(1)',
      'data:text/html,<b>x</b>',
      'file:///etc/passwd',
      'ms-word:ofe|u|https://evil.example/x.docx',
    ]) {
      const before = await count('gates');
      const r = await call('/gates', pm, 'POST', {
        projectId: 1,
        milestoneId: 1,
        links: [{ title: 'x', url }],
      });
      expect({ url, status: r.status }).toEqual({ url, status: 400 });
      expect(r.text).toMatch(/https/);
      expect(await count('gates')).toBe(before);
    }
  });

  test('a policy value like red: 1e308 is refused with 400 and not saved', async () => {
    const admin = withRole('admin').signInEmail;
    const current = JSON.parse((await call('/settings/policy', admin)).text) as {
      version: number | null;
    };
    const r = await call('/settings/policy', admin, 'PUT', {
      config: {
        default: {
          ...DEFAULT_DELIVERY_POLICY,
          burn: { ...DEFAULT_DELIVERY_POLICY.burn, red: 1e308 },
        },
      },
      baseVersion: current.version ?? null,
    });
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/burn\.red/);
    const valid = await call('/settings/policy', admin, 'PUT', {
      config: { default: DEFAULT_DELIVERY_POLICY },
      baseVersion: current.version ?? null,
    });
    expect(valid.status).toBe(200);
  });

  test('text with NUL or a bidi override in a body is a 400', async () => {
    const owner = withRole('msp_owner').signInEmail;
    const r = await call('/concessions/1/decision', owner, 'POST', {
      decision: 'reject',
      comment: 'looks fine \u202Eexe.txt',
    });
    expect(r.status).toBe(400);
  });

  test('a concession card click with concessionId beyond bigint is answered, not INTERNAL', async () => {
    const owner = withRole('msp_owner').aadObjectId;
    for (const verb of ['concession.approve', 'concession.reject', 'concession.refresh']) {
      const r = await click(owner, verb, { concessionId: 9223372036854776000 });
      expect(r.status).toBe(200);
      expect(r.text).not.toMatch(/INTERNAL|"statusCode":500/);
    }
  });

  test('a bot message with text as an object, or without from, is answered without a crash', async () => {
    const pm = withRole('pm').aadObjectId;
    const objectText = await bot({ type: 'message', from: from(pm), text: { a: 1 } });
    expect(objectText.status).toBeLessThan(500);
    expect(objectText.replies.join('\n')).not.toMatch(/Sorry, that did not work/);
    const noFrom = await bot({ type: 'message', text: '/health' });
    expect(noFrom.status).toBeLessThan(500);
    expect(noFrom.replies).toEqual([]);
    const invokeNoFrom = await bot({
      type: 'invoke',
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', verb: 'gate.refresh', data: {} } },
    });
    expect(invokeNoFrom.status).toBe(200);
    expect(invokeNoFrom.text).toMatch(/"statusCode":400/);
  });

  test('refused card clicks past 20 a minute are answered 429 and write nothing more', async () => {
    // A real pending concession, requested by an account manager, who may not approve it.
    const am = withRole('account_manager');
    const pipeline = await call('/renewals?days=365', am.signInEmail);
    expect(pipeline.status).toBe(200);
    const items = (JSON.parse(pipeline.text) as { items: Array<{ contractId: number }> }).items;
    let concessionId: number | null = null;
    for (const item of items) {
      const r = await call(`/contracts/${item.contractId}/concessions`, am.signInEmail, 'POST', {
        discountPct: 5,
        reason: 'Multi-year commitment',
      });
      if (r.status === 201) {
        concessionId = (JSON.parse(r.text) as { id: number }).id;
        break;
      }
    }
    expect(concessionId).not.toBeNull();
    const concession = async () =>
      (
        await app.db.query<{ status: string; version: number; decided_at: unknown }>(
          `SELECT status, version, decided_at FROM concession_requests WHERE id = $1`,
          [concessionId],
        )
      )[0];
    const pending = await concession();
    expect(pending).toMatchObject({ status: 'pending', decided_at: null });

    const refused = async () =>
      click(am.aadObjectId, 'concession.approve', { concessionId, version: pending!.version });
    for (let i = 0; i < 20; i += 1) {
      const r = await refused();
      expect(r.text).not.toMatch(/"statusCode":429/);
    }
    // Refusals are recorded after their answers: counted once written.
    await app.idle();
    const audit = await count('audit_log');
    const actions = await count('action_log');
    const timeline = await count('renewal_events');
    for (let i = 0; i < 5; i += 1) {
      const r = await refused();
      expect(r.text).toMatch(/"statusCode":429/);
    }
    await app.idle();
    expect(await count('audit_log')).toBe(audit);
    expect(await count('action_log')).toBe(actions);
    expect(await count('renewal_events')).toBe(timeline);
    expect(await concession()).toEqual(pending);
    // Another person is not held back by it: a CS lead decides the same concession.
    const lead = users.find(
      (u) => u.roles.includes('cs_lead') && u.aadObjectId !== am.aadObjectId,
    )!;
    const r = await click(lead.aadObjectId, 'concession.approve', {
      concessionId,
      version: pending!.version,
    });
    expect(r.text).not.toMatch(/"statusCode":429/);
    expect((await concession())!.status).toBe('approved');
  });

  test('refused API actions past 20 a minute are answered 429 with Retry-After', async () => {
    const lead = users.find((u) => u.roles.includes('cs_lead'))!.signInEmail;
    for (let i = 0; i < 20; i += 1) {
      const r = await call('/concessions/987654/decision', lead, 'POST', { decision: 'approve' });
      expect(r.status).toBe(404);
    }
    const response = await fetch(`${app.url}/api/v1/concessions/987654/decision`, {
      method: 'POST',
      headers: { 'X-Demo-User': lead, 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'approve' }),
    });
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    // Reads are not limited.
    expect((await call('/renewals', lead)).status).toBe(200);
  });
});
