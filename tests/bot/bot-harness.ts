import type { Server } from 'restify';
import { escalationWritesOn } from '../support/escalation-writes';
import { mountBot, type MountedBot } from '../../bot/mount-bot';
import type { BotAuthOptions } from '../../bot/bot-auth';
import type { BotLogger } from '../../bot/bot-adapter';
import type { BotFeature } from '../../bot/bot-feature';
import { createDeliveryBotFeature } from '../../bot/delivery-handlers';
import { GateBotHandlers, gateBotFeature, renderGatePayload } from '../../bot/gate-handlers';
import { GATE_NOTIFICATION_KIND } from '../../src/app/gates/gate-payloads';
import { TabLinks } from '../../bot/tab-links';
import type { DeliveryQueries, EscalationActions } from '../../src/app/delivery-views';
import type { GateUseCases } from '../../src/app/gates/gate-use-cases';
import { ActOnEscalation } from '../../src/app/notifications/act-on-escalation';
import { SubscribeChannel } from '../../src/app/notifications/subscribe-channel';
import { createRenewalsModule, type RenewalsModule } from '../../src/modules/renewals.module';
import type { Clock } from '../../src/shared/clock';
import { ChangeSignal } from '../../src/shared/signal';
import { botActionLogOn } from '../../src/store/action-log.repository';
import { channelRoutesOn } from '../../src/store/conversation-routes.repository';
import { SqlRoleDirectory } from '../../src/store/role-directory.repository';
import { SqlOwnership } from '../../src/store/ownership.repository';
import { ReadAccess } from '../../src/app/identity/read-access';
import { createLogger } from '../../src/observability/logger';
import { createMetrics } from '../../src/observability/metrics';
import { createHttpServer, listen } from '../../src/server/http-server';
import type { Db } from '../../src/store/db';
import { ConnectorDouble } from '../support/connector-double';
import { FakeClock, FakeDeliveryQueries, FakeEscalationActions } from './fakes';

/** Tenant id the bot tests use. */
export const TENANT = 'tenant-a';

/** A running server with the bot mounted, fake ports and a connector double. */
export interface BotHarness {
  botUrl: string;
  connector: ConnectorDouble;
  queries: FakeDeliveryQueries;
  escalations: FakeEscalationActions;
  clock: FakeClock;
  mounted: MountedBot;
  links: TabLinks;
  /** The renewals feature the bot is mounted with (its use cases, at the harness clock). */
  renewals: RenewalsModule;
  /** Escalation clicks: `idle()` resolves once their log entries (written after answering) are. */
  escalationClicks: ActOnEscalation;
  close(): Promise<void>;
}

/** Starts restify on port 0 with the bot at /api/messages. */
export async function startBotHarness(
  db: Db,
  auth: BotAuthOptions = demoAuth,
  allowedTenantIds: readonly string[] | null = null,
): Promise<BotHarness> {
  const clock = new FakeClock();
  const logger = createLogger('silent', {});
  const connector = await new ConnectorDouble(clock).start();
  const server: Server = createHttpServer({
    logger,
    metrics: createMetrics(false),
    readiness: async () => ({ ready: true, checks: {} }),
    routes: [],
  });
  const ownership = new SqlOwnership(db, TENANT);
  const queries = new FakeDeliveryQueries((id) => ownership.project(id));
  const escalations = new FakeEscalationActions(clock, escalationWritesOn(db, TENANT, clock));
  const links = new TabLinks({
    teamsAppId: 'teams-app-id',
    entityId: 'portfolio',
    webBaseUrl: 'http://localhost:3978',
  });
  const renewals = testRenewals({ tenantId: TENANT, db, links, logger, clock });
  const escalationClicks = new ActOnEscalation({
    tenantId: TENANT,
    escalations,
    actions: botActionLogOn(db, TENANT),
    outboxSignal: new ChangeSignal(),
    clock,
  });
  const mounted = mountTestBot(server, {
    tenantId: TENANT,
    db,
    queries,
    escalations,
    links,
    logger,
    clock,
    renewals,
    auth,
    allowedTenantIds,
    escalationClicks,
  });
  const port = await listen(server, 0);
  return {
    botUrl: `http://127.0.0.1:${port}/api/messages`,
    connector,
    queries,
    escalations,
    clock,
    mounted,
    links,
    renewals,
    escalationClicks,
    close: async () => {
      // What clicks left for after their answers is written before the test's database goes.
      await Promise.all([escalationClicks.idle(), renewals.idle()]);
      server.server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await connector.stop();
    },
  };
}

/** What the test bot is built from: real adapters on `db`, fakes where given. */
export interface TestBotDeps {
  tenantId: string;
  db: Db;
  queries: DeliveryQueries;
  escalations: EscalationActions;
  links: TabLinks;
  logger: BotLogger;
  clock: Clock;
  /** Stage gates; absent: no gate feature (gate buttons are unknown actions). */
  gates?: GateUseCases;
  /** The renewals module (default: one built over `db` at the test clock). */
  renewals?: RenewalsModule;
  /** Notified when something was queued in the outbox (default: a signal nothing listens to). */
  outboxSignal?: ChangeSignal;
  /** Escalation clicks (default: one over `escalations`, logging to `db`). */
  escalationClicks?: ActOnEscalation;
}

/** The renewals module as main builds it, over the test's database and clock. */
export function testRenewals(
  deps: Pick<TestBotDeps, 'tenantId' | 'db' | 'links' | 'logger' | 'clock' | 'outboxSignal'>,
): RenewalsModule {
  return createRenewalsModule({
    db: deps.db,
    tenantId: deps.tenantId,
    clock: deps.clock,
    outboxChanged: deps.outboxSignal ?? new ChangeSignal(),
    roles: new SqlRoleDirectory(deps.db, deps.tenantId),
    links: deps.links,
    logger: deps.logger,
    evaluateCron: '0 6 * * *',
  });
}

/** The bot's features as main builds them, over the test's database and fakes. */
export function testBotFeatures(deps: TestBotDeps): BotFeature[] {
  const { tenantId, db, clock, links, logger } = deps;
  const outboxSignal = deps.outboxSignal ?? new ChangeSignal();
  const actions = botActionLogOn(db, tenantId);
  const renewals = deps.renewals ?? testRenewals({ ...deps, outboxSignal });
  const access = new ReadAccess(new SqlOwnership(db, tenantId));
  const features: BotFeature[] = [
    createDeliveryBotFeature({
      tenantId,
      queries: deps.queries,
      identity: new SqlRoleDirectory(db, tenantId),
      access,
      subscribe: new SubscribeChannel({
        tenantId,
        clients: deps.queries,
        routes: channelRoutesOn(db, tenantId),
        actions,
        liveCards: { renewals: renewals.routeLiveCards },
        outboxSignal,
        clock,
      }),
      actOnEscalation:
        deps.escalationClicks ??
        new ActOnEscalation({
          tenantId,
          escalations: deps.escalations,
          actions,
          outboxSignal,
          clock,
        }),
      links,
      logger,
    }),
    renewals.bot,
  ];
  if (deps.gates) {
    const roles = new SqlRoleDirectory(db, tenantId);
    const handlers = new GateBotHandlers({ gates: deps.gates, roles, access, links, logger });
    features.push(gateBotFeature(handlers, links));
  } else {
    // Without gate use cases the bot still renders gate cards the outbox holds (dispatcher tests).
    const renderers = { [GATE_NOTIFICATION_KIND]: (p: object) => renderGatePayload(p, links) };
    features.push({ commands: [], cardActions: {}, renderers });
  }
  return features;
}

/** Mounts the bot with `testBotFeatures` on `server`. */
export function mountTestBot(
  server: Server,
  deps: TestBotDeps & { auth: BotAuthOptions; allowedTenantIds?: readonly string[] | null },
): MountedBot {
  return mountBot(server, {
    features: testBotFeatures(deps),
    identity: new SqlRoleDirectory(deps.db, deps.tenantId),
    links: deps.links,
    logger: deps.logger,
    clock: deps.clock,
    auth: deps.auth,
    allowedTenantIds: deps.allowedTenantIds ?? null,
  });
}

/** Demo mode: auth off. */
export const demoAuth: BotAuthOptions = {
  mode: 'demo',
  appId: null,
  password: null,
  managedIdentity: false,
  tenantId: null,
};

let sequence = 0;

/** A Teams message activity as the connector posts it. */
export function messageActivity(
  serviceUrl: string,
  text: string,
  options: { aadObjectId?: string; conversationType?: 'personal' | 'channel'; name?: string } = {},
): Record<string, unknown> {
  sequence += 1;
  const channel = options.conversationType === 'channel';
  return {
    type: 'message',
    id: `in-${sequence}`,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl,
    from: {
      id: `29:${options.aadObjectId ?? 'user'}`,
      name: options.name ?? 'Pat Manager',
      aadObjectId: options.aadObjectId ?? 'aad-pm',
    },
    recipient: { id: '28:bot', name: 'Control Tower' },
    conversation: channel
      ? {
          id: '19:general@thread.tacv2;messageid=1700000000000',
          conversationType: 'channel',
          isGroup: true,
          tenantId: 'entra-tenant',
        }
      : { id: 'a:personal-chat', conversationType: 'personal', tenantId: 'entra-tenant' },
    channelData: channel
      ? {
          channel: { id: '19:general@thread.tacv2', name: 'General' },
          team: { id: '19:team@thread.tacv2' },
          tenant: { id: 'entra-tenant' },
        }
      : { tenant: { id: 'entra-tenant' } },
    text,
    entities: channel
      ? [
          {
            type: 'mention',
            text: '<at>Control Tower</at>',
            mentioned: { id: '28:bot', name: 'Control Tower' },
          },
        ]
      : [],
  };
}

/** An Action.Execute invoke from a card. */
export function executeInvoke(
  serviceUrl: string,
  verb: string,
  data: Record<string, unknown>,
  options: { aadObjectId?: string; name?: string; replyToId?: string } = {},
): Record<string, unknown> {
  sequence += 1;
  return {
    type: 'invoke',
    name: 'adaptiveCard/action',
    id: `in-${sequence}`,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl,
    replyToId: options.replyToId ?? 'card-activity-1',
    from: {
      id: `29:${options.aadObjectId ?? 'user'}`,
      name: options.name ?? 'Pat Manager',
      aadObjectId: options.aadObjectId ?? 'aad-pm',
    },
    recipient: { id: '28:bot', name: 'Control Tower' },
    conversation: {
      id: '19:general@thread.tacv2;messageid=1700000000000',
      conversationType: 'channel',
      tenantId: 'entra-tenant',
    },
    channelData: { channel: { id: '19:general@thread.tacv2' }, tenant: { id: 'entra-tenant' } },
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  };
}

/** Posts an activity to the bot; returns status and parsed body. */
export async function post(
  url: string,
  activity: Record<string, unknown>,
  token?: string,
): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(activity) });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? (JSON.parse(text) as unknown) : null;
  } catch {
    body = text;
  }
  return { status: response.status, body };
}
