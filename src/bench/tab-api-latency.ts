/**
 * Bench phase for the tab API: p99 of `GET /api/v1/projects` (default page, signed in with a Teams SSO
 * token checked like production: RS256 against a JWKS, issuer, audience, tenant, roles from SQL)
 * against a static JSON endpoint of the same body served by the same restify server in the same run.
 * The projects' daily snapshots are written first by the real daily evaluation.
 */
import type { Clock } from '../shared/clock';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { deliveryRoutes } from '../api/delivery-routes';
import { mountApi } from '../api/mount-api';
import { TabAuthenticator } from '../api/tab-auth';
import { EvaluateDelivery } from '../app/delivery/evaluate-delivery';
import { SqlRoleDirectory } from '../store/role-directory.repository';
import { SqlOwnership } from '../store/ownership.repository';
import { ReadAccess } from '../app/identity/read-access';
import { createLogger } from '../observability/logger';
import { createMetrics } from '../observability/metrics';
import { createHttpServer, listen } from '../server/http-server';
import type { Db } from '../store/db';
import { SqlDeliveryHistoryReader } from '../store/delivery-history.repository';
import { SqlDeliveryStore } from '../store/delivery.repository';
import { SqlDeliveryQueries } from '../store/delivery-queries.repository';
import { SqlTabQueries } from '../store/tab-queries.repository';
import { percentile } from './percentile';
import { LATENCY_ROUNDS } from './rounds';

/** One round of the tab API phase, in milliseconds. */
export interface TabApiRound {
  apiP99: number;
  staticP99: number;
  apiP50: number;
  staticP50: number;
}

/** What the phase measured. */
export interface TabApiLatency {
  rounds: TabApiRound[];
  /** Requests per endpoint and round. */
  samplesPerRound: number;
  concurrency: number;
  projectsEvaluated: number;
  total: number;
  pageItems: number;
  bodyBytes: number;
}

const ENTRA_TID = '00000000-0000-0000-0000-0000000000aa';
const CLIENT_ID = 'bench-tab';

/**
 * Evaluates the synced portfolio, then measures both endpoints in `latencyRounds` rounds (SPEC §8's
 * three), each alternating bursts of the static endpoint and the API.
 */
export async function measureTabApiProjects(options: {
  db: Db;
  tenantId: string;
  clock: Clock;
  /** Requests per endpoint and round. */
  samples?: number;
  concurrency?: number;
  latencyRounds?: number;
  log: (message: string) => void;
}): Promise<TabApiLatency> {
  const { db, tenantId, clock, log } = options;
  const samples = options.samples ?? 1000;
  const concurrency = options.concurrency ?? 10;
  const latencyRounds = options.latencyRounds ?? LATENCY_ROUNDS;

  const started = Date.now();
  await new EvaluateDelivery({
    history: new SqlDeliveryHistoryReader(db),
    store: new SqlDeliveryStore(db, tenantId, clock),
    tenantId,
    clock,
    owners: { deliveryDirectorAgentId: null, incidentCommanderAgentId: null },
  }).run();
  const [{ n } = { n: 0 }] = await db.query<{ n: number | string }>(
    'SELECT count(*) AS n FROM project_health_latest WHERE tenant_id = $1',
    [tenantId],
  );
  log(`tab API: ${Number(n)} projects evaluated and stored in ${Date.now() - started} ms`);

  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const kid = randomUUID();
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const oid = randomUUID();
  await new SqlRoleDirectory(db, tenantId).grant([
    { aadObjectId: oid, email: 'pmo@bench.example', role: 'pmo_lead' },
  ]);

  let staticBody: unknown = null;
  const logger = createLogger('silent', {});
  const server = createHttpServer({
    logger,
    metrics: createMetrics(false),
    readiness: async () => ({ ready: true, checks: {} }),
    routes: [
      {
        method: 'get',
        path: '/bench/openid',
        handler: async () => ({
          status: 200,
          body: { jwks_uri: `${base}/bench/keys` },
        }),
      },
      {
        method: 'get',
        path: '/bench/keys',
        handler: async () => ({ status: 200, body: { keys: [jwk] } }),
      },
      {
        method: 'get',
        path: '/bench/static-projects',
        handler: async () => ({ status: 200, body: staticBody }),
      },
    ],
  });
  const port = await listen(server, 0);
  const base = `http://127.0.0.1:${port}`;
  mountApi(server, {
    routes: deliveryRoutes({
      mode: 'production',
      tab: new SqlTabQueries(db),
      queries: new SqlDeliveryQueries(db, clock),
      kpis: () => Promise.reject(new Error('not measured')),
      access: new ReadAccess(new SqlOwnership(db, tenantId)),
    }),
    auth: new TabAuthenticator({
      mode: 'production',
      tenantId,
      roles: new SqlRoleDirectory(db, tenantId),
      sso: {
        clientId: CLIENT_ID,
        appIdUri: null,
        allowedTenantIds: [ENTRA_TID],
        openIdMetadataUrl: `${base}/bench/openid`,
      },
      clock: { now: () => new Date() },
    }),
    logger,
  });

  try {
    const token = await new SignJWT({ tid: ENTRA_TID, oid, name: 'Bench PMO' })
      .setProtectedHeader({ alg: 'RS256', kid })
      .setIssuer(`https://login.microsoftonline.com/${ENTRA_TID}/v2.0`)
      .setAudience(CLIENT_ID)
      .setIssuedAt()
      .setExpirationTime('2h')
      .sign(privateKey);
    const headers = { authorization: `Bearer ${token}` };

    const first = await fetch(`${base}/api/v1/projects`, { headers });
    if (first.status !== 200) throw new Error(`/api/v1/projects answered ${first.status}`);
    const text = await first.text();
    const page = JSON.parse(text) as { total: number; items: unknown[] };
    staticBody = page;
    const staticText = await (await fetch(`${base}/bench/static-projects`)).text();
    log(
      `tab API: default page ${page.items.length} of ${page.total} projects, ${text.length} bytes (static copy ${staticText.length} bytes)`,
    );

    const once = async (url: string, init?: RequestInit) => {
      const t0 = process.hrtime.bigint();
      const response = await fetch(url, init);
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
      return Number(process.hrtime.bigint() - t0) / 1e6;
    };
    const burst = async (count: number, url: string, init?: RequestInit) => {
      const out: number[] = [];
      let left = count;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (left > 0) {
            left -= 1;
            out.push(await once(url, init));
          }
        }),
      );
      return out;
    };
    const apiUrl = `${base}/api/v1/projects`;
    const staticUrl = `${base}/bench/static-projects`;
    await burst(100, staticUrl);
    await burst(100, apiUrl, { headers });
    const measured: TabApiRound[] = [];
    const bursts = 5;
    for (let round = 0; round < latencyRounds; round += 1) {
      const api: number[] = [];
      const reference: number[] = [];
      for (let b = 0; b < bursts; b += 1) {
        reference.push(...(await burst(Math.ceil(samples / bursts), staticUrl)));
        api.push(...(await burst(Math.ceil(samples / bursts), apiUrl, { headers })));
      }
      measured.push({
        apiP99: percentile(api, 99),
        staticP99: percentile(reference, 99),
        apiP50: percentile(api, 50),
        staticP50: percentile(reference, 50),
      });
    }
    return {
      rounds: measured,
      samplesPerRound: bursts * Math.ceil(samples / bursts),
      concurrency,
      projectsEvaluated: Number(n),
      total: page.total,
      pageItems: page.items.length,
      bodyBytes: text.length,
    };
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
