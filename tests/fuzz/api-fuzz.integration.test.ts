/**
 * Hostile inputs never hurt: fast-check throws hostile values at every tab API route (enumerated
 * from src/api/*-routes.ts), the HaloPSA webhook, every card verb and plain bot messages of the demo
 * app (PGlite in memory, signed in with `X-Demo-User` as personas holding the routes' roles), and
 * asserts: never a 5xx (nor an invoke answered `INTERNAL`), the process keeps answering, and a
 * refused (4xx) request changes no row of any table.
 */
import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { DemoUsersDto } from '../../src/api/dto';
import { CARD_VERBS } from '../../bot/cards/card-verbs';
import { CONCESSION_INPUTS } from '../../bot/cards/concession.card';
import { ESCALATION_INPUTS } from '../../bot/cards/escalation.card';
import { GATE_APPROVAL_INPUTS } from '../../bot/cards/gate-approval.card';
import { GATE_FORM_INPUTS } from '../../bot/cards/gate-form.card';
import { loadConfig } from '../../src/config';
import { startApp, type RunningApp } from '../../src/main';
import { ConnectorDouble } from '../support/connector-double';
import {
  type DeclaredRoute,
  declaredFieldNames,
  declaredRoutes,
  HOSTILE_NUMBERS,
  HOSTILE_STRINGS,
  hostileBody,
  hostileValue,
} from './hostile-values';

const ROOT = join(__dirname, '../..');
const SEED = 16_016;
/**
 * Cases per route, verb and surface: 200 (issue 16's floor), or FUZZ_RUNS for a deeper local run
 * (`FUZZ_RUNS=2000 npm run jest -- tests/fuzz/api-fuzz`). A case costs a request (3-60 ms by route on
 * the loaded 2-core machine); the app is started once for the file.
 */
const RUNS = fuzzRuns(process.env.FUZZ_RUNS);

function fuzzRuns(value: string | undefined): number {
  if (value === undefined || value === '') return 200;
  const runs = Number(value);
  if (!Number.isSafeInteger(runs) || runs < 1)
    throw new Error(`FUZZ_RUNS=${value}: a whole number ≥ 1`);
  return runs;
}
/** Each fuzz test's time limit, grown with the runs. */
const FUZZ_TIMEOUT = 120_000 * Math.max(1, RUNS / 200);

const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
const NOW = new Date('2026-11-23T12:00:00Z');

/** Every query parameter a route reads (`query.x`) or validates (`z.object` keys). */
function queryNames(): string[] {
  const names = new Set<string>();
  const dir = join(ROOT, 'src/api');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const source = readFileSync(join(dir, file), 'utf8');
    for (const m of source.matchAll(/query\.([a-zA-Z]+)/g)) names.add(m[1]!);
  }
  return [...names].sort();
}

/** A path segment of a hostile value (percent-encoded, so it reaches the router). */
const hostileSegment: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS.filter((s) => s.length < 300 && s !== '')),
  fc.constantFrom(...HOSTILE_NUMBERS.map(String)),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }),
  fc.constantFrom('1', '2', '42', '100', '1001'),
);

/** Whether a route takes anything to fuzz besides who asks. */
function hasInput(route: DeclaredRoute): boolean {
  return route.method !== 'get' || route.path.includes(':') || route.readsQuery;
}

function stringify(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? '';
}

describe('hostile inputs never hurt (fuzz)', () => {
  let app: RunningApp;
  let connector: ConnectorDouble;
  let users: DemoUsersDto['items'];
  const fivexx: string[] = [];

  beforeAll(async () => {
    connector = await new ConnectorDouble().start();
    app = await startApp(loadConfig({ PORT: '0', HALO_SIM_PORT: '0', LOG_LEVEL: 'fatal' }), {
      database: { memory: true },
      schedule: false,
      logDestination: quiet,
      clock: { now: () => NOW },
      demo: { seed: 11, asOf: '2026-11-23' },
    });
    const response = await fetch(`${app.url}/api/v1/demo/users`);
    users = ((await response.json()) as DemoUsersDto).items;
    // Each persona's first sign-in records who they are (the people table): do it before fuzzing.
    for (const user of users) {
      await fetch(`${app.url}/api/v1/me`, { headers: { 'X-Demo-User': user.signInEmail } });
    }
  }, 240_000);
  afterAll(async () => {
    if (fivexx.length > 0) console.log(`5xx found:\n${[...new Set(fivexx)].join('\n')}`);
    await app.close();
    await connector.stop();
  });

  /** Row counts of every table, as one string: a refused request must leave it as it was. */
  let countsSql: string | null = null;
  const snapshot = async (): Promise<string> => {
    if (countsSql === null) {
      const tables = await app.db.query<{ name: string }>(
        `SELECT table_name AS name FROM information_schema.tables
          WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
      );
      countsSql = tables
        .map((t) => `SELECT '${t.name}' AS t, count(*)::int AS n FROM "${t.name}"`)
        .join(' UNION ALL ');
    }
    const rows = await app.db.query<{ t: string; n: number }>(countsSql);
    return rows
      .map((r) => `${r.t}=${r.n}`)
      .sort()
      .join(',');
  };
  /**
   * What a refused request must leave as it was: the database's next transaction id (it moves when
   * any transaction writes anything, an update included) and, when it did move, the row counts of
   * every table (so a write rolled back is not mistaken for a change). Nothing runs between two
   * requests (no schedule), so the state after one request is the state before the next.
   */
  let state: { xid: string; counts: string } | null = null;
  const nextXid = async () =>
    (
      await app.db.query<{ x: string }>('SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS x')
    )[0]!.x;
  const before = async () => (state ??= { xid: await nextXid(), counts: await snapshot() });
  /** The state after a request, and whether it differs from `previous` in any row count. */
  const after = async (previous: { xid: string; counts: string }) => {
    const xid = await nextXid();
    if (xid === previous.xid) return { changed: false, rows: '' };
    state = { xid, counts: await snapshot() };
    return {
      changed: state.counts !== previous.counts,
      rows: `${previous.counts}\n→ ${state.counts}`,
    };
  };

  const alive = async () => {
    const r = await fetch(`${app.url}/healthz`).catch(() => null);
    expect(r?.status ?? 0).toBeLessThan(500);
  };

  const routes = declaredRoutes(ROOT);
  const fields = declaredFieldNames(ROOT);
  const queries = queryNames();

  test('the route list is read from every route module', () => {
    expect(new Set(routes.map((r) => r.file)).size).toBeGreaterThanOrEqual(4);
    expect(routes.length).toBeGreaterThanOrEqual(25);
    expect(fields).toEqual(expect.arrayContaining(['projectId', 'url', 'discountPct', 'config']));
    expect(queries).toEqual(expect.arrayContaining(['page', 'month', 'days']));
  });

  test('routes with input get the full runs: path parameters, a body or a query', () => {
    const withInput = routes.filter(hasInput).map((r) => `${r.method} ${r.path}`);
    expect(withInput).toEqual(
      expect.arrayContaining([
        'get /projects',
        'get /kpis',
        'get /renewals/governance',
        'get /contracts/:contractId',
        'put /settings/policy',
        'post /gates/evidence',
      ]),
    );
    expect(withInput).not.toContain('get /renewals/kpis');
    expect(withInput.length).toBeGreaterThanOrEqual(20);
  });

  test.each(routes.map((r) => [`${r.method.toUpperCase()} ${r.path}`, r] as const))(
    '%s: never 5xx, refused requests change nothing',
    async (_name, route) => {
      const params = [...route.path.matchAll(/:([a-zA-Z]+)/g)].map((m) => m[1]!);
      const arbitrary = fc.record({
        user: fc.constantFrom(...users.map((u) => u.signInEmail)),
        segments: fc.tuple(...params.map(() => hostileSegment), fc.constant('')),
        query: fc.dictionary(
          fc.constantFrom(...queries),
          fc.oneof(hostileSegment, fc.constant('')),
          {
            maxKeys: 4,
          },
        ),
        body: hostileBody(fields),
      });
      await fc.assert(
        fc.asyncProperty(arbitrary, async ({ user, segments, query, body }) => {
          let path = route.path;
          params.forEach((name, i) => {
            path = path.replace(`:${name}`, encodeURIComponent(segments[i]!));
          });
          const search = new URLSearchParams(query).toString();
          const url = `${app.url}/api/v1${path}${search ? `?${search}` : ''}`;
          const rowsBefore = await before();
          const method = route.method === 'del' ? 'DELETE' : route.method.toUpperCase();
          const withBody = method === 'POST' || method === 'PUT';
          const response = await fetch(url, {
            method,
            headers: {
              'X-Demo-User': user,
              ...(withBody ? { 'content-type': 'application/json' } : {}),
            },
            body: withBody ? JSON.stringify(body) : undefined,
          });
          const text = await response.text();
          if (response.status >= 500) {
            fivexx.push(
              `${method} ${route.path} ${response.status} ${url.slice(0, 200)} ${stringify(body).slice(0, 200)}`,
            );
          }
          expect(response.status).toBeLessThan(500);
          const moved = await after(rowsBefore);
          if (response.status >= 400)
            expect(moved).toEqual({ changed: false, rows: expect.any(String) });
          return text.length >= 0;
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
      await alive();
    },
    FUZZ_TIMEOUT,
  );

  const basic = `Basic ${Buffer.from('halo:demo-webhook').toString('base64')}`;
  test(
    'POST /api/halo/webhook: never 5xx, refused deliveries store nothing',
    async () => {
      const delivery = fc.oneof(
        hostileBody(['id', 'event', 'object_id', 'ticket']),
        fc.record({ id: hostileValue, event: hostileValue, object_id: hostileValue }),
        fc.record({ id: hostileValue, ticket: fc.record({ id: hostileValue }) }),
      );
      await fc.assert(
        fc.asyncProperty(fc.oneof(delivery, fc.array(delivery, { maxLength: 3 })), async (body) => {
          const rowsBefore = await before();
          const response = await fetch(`${app.url}/api/halo/webhook`, {
            method: 'POST',
            headers: { authorization: basic, 'content-type': 'application/json' },
            body: JSON.stringify(body),
          });
          await response.text();
          if (response.status >= 500)
            fivexx.push(`webhook ${response.status} ${stringify(body).slice(0, 200)}`);
          expect(response.status).toBeLessThan(500);
          // An accepted delivery is processed in the background (the ticket re-read, what it
          // changed queued for evaluation): done before the state is taken for the next request.
          if (response.status < 400) await app.webhooks.drain();
          const moved = await after(rowsBefore);
          if (response.status >= 400)
            expect(moved).toEqual({ changed: false, rows: expect.any(String) });
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
      await alive();
    },
    FUZZ_TIMEOUT,
  );

  const dataKeys = [
    'gateId',
    'projectId',
    'milestoneId',
    'escalationId',
    'concessionId',
    'clientId',
    'packVersion',
    'stream',
    'version',
    'verb',
    ...Object.values(ESCALATION_INPUTS),
    ...Object.values(GATE_FORM_INPUTS),
    ...Object.values(GATE_APPROVAL_INPUTS),
    ...Object.values(CONCESSION_INPUTS),
  ];

  let sequence = 0;
  const activity = (aadObjectId: string, extra: Record<string, unknown>) => ({
    id: `fuzz-${(sequence += 1)}`,
    timestamp: NOW.toISOString(),
    channelId: 'msteams',
    serviceUrl: connector.url,
    from: { id: `29:${aadObjectId}`, name: 'Fuzz', aadObjectId },
    recipient: { id: '28:bot', name: 'Control Tower' },
    conversation: { id: 'a:personal-fuzz', conversationType: 'personal', tenantId: 'demo' },
    channelData: { tenant: { id: 'demo' } },
    ...extra,
  });

  const postBot = async (body: unknown) => {
    const response = await fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, text };
  };

  /** The bot's catch-all answers: a 500 by another name. */
  const internal = (text: string) => /"INTERNAL"|"statusCode":500/.test(text);

  test.each(CARD_VERBS.map((v) => [v]))(
    'card verb %s: never 5xx or INTERNAL, refused clicks change nothing',
    async (verb) => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...users.map((u) => u.aadObjectId)),
          fc.dictionary(fc.constantFrom(...dataKeys), hostileValue, { maxKeys: 6 }),
          fc.boolean(),
          async (aad, data, execute) => {
            const rowsBefore = await before();
            const sent = connector.requests.length;
            const value = execute
              ? { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' }
              : { ...data, verb };
            const r = await postBot(
              activity(
                aad,
                execute
                  ? { type: 'invoke', name: 'adaptiveCard/action', value }
                  : { type: 'message', value },
              ),
            );
            const replies = connector.requests.slice(sent).map((q) => JSON.stringify(q.body));
            const failed =
              r.status >= 500 ||
              internal(r.text) ||
              replies.some((t) => internal(t) || t.includes('Sorry, that did not work'));
            if (failed)
              fivexx.push(
                `verb ${verb} ${r.status} ${r.text.slice(0, 120)} ${stringify(data).slice(0, 200)}`,
              );
            expect(failed).toBe(false);
            const moved = await after(rowsBefore);
            if (/"statusCode":4\d\d/.test(r.text))
              expect(moved).toEqual({ changed: false, rows: expect.any(String) });
          },
        ),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
      await alive();
    },
    FUZZ_TIMEOUT,
  );

  test(
    'message activities: no from, text as an object, hostile commands — never 5xx',
    async () => {
      const commands = ['/health', '/renewals', '/report', '/gates', '/subscribe', '/help', ''];
      const text = fc.oneof(
        hostileValue,
        fc.tuple(fc.constantFrom(...commands), hostileSegment).map(([c, a]) => `${c} ${a}`),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...users.map((u) => u.aadObjectId)),
          text,
          fc.constantFrom('keep', 'no-from', 'from-null', 'from-string', 'no-conversation'),
          async (aad, messageText, shape) => {
            const base: Record<string, unknown> = activity(aad, {
              type: 'message',
              text: messageText,
            });
            if (shape === 'no-from') delete base.from;
            if (shape === 'from-null') base.from = null;
            if (shape === 'from-string') base.from = 'someone';
            if (shape === 'no-conversation') delete base.conversation;
            const sent = connector.requests.length;
            const r = await postBot(base);
            const replies = connector.requests.slice(sent).map((q) => JSON.stringify(q.body));
            const failed =
              r.status >= 500 || replies.some((t) => t.includes('Sorry, that did not work'));
            if (failed)
              fivexx.push(`message ${shape} ${r.status} ${stringify(messageText).slice(0, 200)}`);
            expect(failed).toBe(false);
          },
        ),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
      await alive();
    },
    FUZZ_TIMEOUT,
  );
});
