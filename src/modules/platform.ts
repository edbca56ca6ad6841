import { randomUUID } from 'node:crypto';
import type { BotAuthOptions } from '../../bot/bot-auth';
import { mountBot, type MountBotDeps, type MountedBot } from '../../bot/mount-bot';
import { TabLinks } from '../../bot/tab-links';
import { mountApi } from '../api/mount-api';
import type { RoleGrant } from '../app/identity/identity.port';
import type { AppConfig } from '../config';
import { createLogger } from '../observability/logger';
import { createMetrics } from '../observability/metrics';
import { RefusalLimiter } from '../shared/refusal-limiter';
import { createHttpServer, type Readiness, listen, type Route } from '../server/http-server';
import { mountStaticTab } from '../server/static-tab';
import { systemClock, type Clock } from '../shared/clock';
import { ChangeSignal } from '../shared/signal';
import type { Db } from '../store/db';
import { openDatabase, type DatabaseTarget } from '../store/open-db';
import { SqlRoleDirectory } from '../store/role-directory.repository';
import type { DeliveryModule } from './delivery.module';
import type { FeatureModule } from './feature-module';

/** What every feature module is built from: one of each, created before any module. */
export async function openPlatform(
  config: AppConfig,
  options: {
    clock?: Clock | undefined;
    database?: DatabaseTarget | undefined;
    logDestination?: Parameters<typeof createLogger>[2];
  },
) {
  const instanceId = randomUUID();
  const logger = createLogger(
    config.logLevel,
    { app: 'control-tower', tenantId: config.tenantId, instanceId },
    options.logDestination,
  );
  if (config.mode === 'demo')
    logger.warn({}, 'demo mode: embedded HaloPSA simulator, bot auth off');
  const { url, dataDir, entraClientId } = config.database;
  const db: Db = await openDatabase(
    options.database ?? (url ? { url, entraClientId } : { dataDir }),
    logger,
  );
  return {
    clock: options.clock ?? systemClock,
    instanceId,
    logger,
    botLogger: logger.child({ component: 'bot' }),
    metrics: createMetrics(),
    db,
    // Everything that queues work notifies these; the dispatchers subscribe. Nothing is late-bound.
    outboxSignal: new ChangeSignal(),
    writebackSignal: new ChangeSignal(),
    /** The one identity resolver of the bot and the tab API. */
    identity: new SqlRoleDirectory(db, config.tenantId),
    links: new TabLinks({
      teamsAppId: config.bot.appId ?? 'control-tower-demo',
      entityId: 'portfolio',
      webBaseUrl: `http://localhost:${config.port}`,
    }),
  };
}

/** The shared adapters of {@link openPlatform}. */
export type Platform = Awaited<ReturnType<typeof openPlatform>>;

/**
 * Bot Framework endpoint settings when the OpenID metadata is not the public cloud's (a sovereign
 * cloud or a private double): the SDK takes all of them or none, so the rest keep public values.
 */
function botEndpoints(bot: AppConfig['bot']): Pick<BotAuthOptions, 'endpoints'> {
  if (bot.openIdMetadataUrl === null) return {};
  const channel = 'https://api.botframework.com';
  return {
    endpoints: {
      ToBotFromChannelOpenIdMetadataUrl: bot.openIdMetadataUrl,
      ToBotFromEmulatorOpenIdMetadataUrl: bot.openIdMetadataUrl,
      ToBotFromChannelTokenIssuer: channel,
      ToChannelFromBotLoginUrl: `https://login.microsoftonline.com/${bot.tenantId ?? 'botframework.com'}`,
      ToChannelFromBotOAuthScope: channel,
      OAuthUrl: 'https://api.botframework.com',
      CallerId: 'urn:botframework:azure',
      ValidateAuthority: true,
    },
  };
}

/** The one server: health, the HaloPSA webhook, the tab, the tab API and the bot, listening. */
export async function serve(
  config: AppConfig,
  platform: Platform,
  parts: {
    delivery: DeliveryModule;
    features: readonly FeatureModule[];
    routes: Route[];
    /** What /readyz answers (see readiness.ts). */
    readiness: () => Promise<Readiness>;
    /** What a /metrics scrape refreshes first (see readiness.ts). */
    refreshMetrics: () => Promise<void>;
    botAuth?: Pick<BotAuthOptions, 'endpoints' | 'credentialsFactory'> | undefined;
    /** Told of people met in a personal chat (personal delivery keeps their conversation). */
    personalChats?: MountBotDeps['personalChats'];
    /** Services outside `/api/v1` and its sign-in (the Power BI feed). */
    mounts?: ReadonlyArray<(server: ReturnType<typeof createHttpServer>) => void>;
  },
): Promise<{ server: ReturnType<typeof createHttpServer>; bot: MountedBot; port: number }> {
  const { logger, metrics, identity, links, clock } = platform;
  const server = createHttpServer({
    logger,
    metrics,
    readiness: parts.readiness,
    refreshMetrics: parts.refreshMetrics,
    routes: parts.routes,
    mode: config.mode,
  });
  mountStaticTab(server);
  for (const mount of parts.mounts ?? []) mount(server);
  // Refused actions per user and surface, on the app's clock.
  mountApi(server, {
    refusals: new RefusalLimiter(clock),
    routes: parts.features.flatMap((feature) => feature.routes),
    auth: parts.delivery.auth,
    logger: logger.child({ component: 'tab-api' }),
    ...(parts.delivery.demoUsers ? { demoUsers: parts.delivery.demoUsers } : {}),
  });
  const bot = mountBot(server, {
    features: parts.features.map((feature) => feature.bot),
    identity,
    links,
    logger: platform.botLogger,
    clock,
    auth: { mode: config.mode, ...config.bot, ...botEndpoints(config.bot), ...parts.botAuth },
    allowedTenantIds: config.mode === 'production' ? config.tabAuth.allowedTenantIds : null,
    refusals: new RefusalLimiter(clock),
    ...(parts.personalChats ? { personalChats: parts.personalChats } : {}),
  });
  const port = await listen(server, config.port, config.mode === 'demo' ? '127.0.0.1' : '0.0.0.0');
  return { server, bot, port };
}

/** The role grants of `ROLE_ASSIGNMENTS`, seeded at start-up (idempotent). */
export function configuredGrants(config: AppConfig): RoleGrant[] {
  return config.roleAssignments.flatMap((a) =>
    a.roles.map((role) => ({ aadObjectId: a.aadObjectId, email: a.email, role })),
  );
}

/** What `npm start` prints once the app is up. */
export function readyBanner(
  config: AppConfig,
  app: { url: string; simulator: { url: string } | null },
  seconds: number,
): string {
  const lines = [
    `Control Tower is ready (${config.mode} mode, ${seconds.toFixed(1)} s)`,
    `  Tab:            ${app.url}/`,
    `  Bot endpoint:   ${app.url}/api/messages`,
    `  Health:         ${app.url}/healthz   ${app.url}/readyz   ${app.url}/metrics`,
    `  HaloPSA webhook ${app.url}/api/halo/webhook`,
  ];
  if (app.simulator)
    lines.push(`  HaloPSA simulator: ${app.simulator.url} (client id "demo", secret "demo")`);
  return `${lines.join('\n')}\n`;
}
