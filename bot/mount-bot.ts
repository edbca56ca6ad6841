import type { Request, Response, Server } from 'restify';
import type { RoleDirectory } from '../src/app/identity/identity.port';
import type { ActivityRenderer } from '../src/app/ports/notifications.port';
import type { Clock } from '../src/shared/clock';
import { ControlTowerAdapter, type BotLogger } from './bot-adapter';
import { createBotApplication, type BotApplicationDeps } from './bot-app';
import { createBotAuthentication, type BotAuthOptions } from './bot-auth';
import type { BotFeature } from './bot-feature';
import { CardActivityRenderer } from './card-activity-renderer';
import { HttpBotConnector } from './http-bot-connector';
import type { TabLinks } from './tab-links';

/** Everything `mountBot` needs: the features to route to, who is acting, and how to authenticate. */
export interface MountBotDeps {
  features: readonly BotFeature[];
  identity: RoleDirectory;
  links: TabLinks;
  logger: BotLogger;
  clock: Clock;
  auth: BotAuthOptions;
  /** `ALLOWED_TENANT_IDS` in production (activities from other tenants are refused); null in demo mode. */
  allowedTenantIds: readonly string[] | null;
  /** Refused card actions per user, on the app's clock (shared with the tab API). */
  refusals?: BotApplicationDeps['refusals'];
  /** Told of people met in a personal chat (their 1:1 conversation is kept). */
  personalChats?: BotApplicationDeps['personalChats'];
}

/** What mounting returns: the ports the outbox dispatcher needs, built on the same credentials. */
export interface MountedBot {
  /** Also creates 1:1 conversations (personal delivery). */
  connector: HttpBotConnector;
  renderer: ActivityRenderer;
  /** False in demo mode (inbound activities are not authenticated). */
  authEnabled: boolean;
}

/** Mounts the Teams bot at `POST /api/messages` on the one restify server. */
export function mountBot(server: Server, deps: MountBotDeps): MountedBot {
  const auth = createBotAuthentication(deps.auth);
  if (auth.enabled) {
    deps.logger.info({ appId: deps.auth.appId }, 'bot: Bot Framework JWT authentication on');
  } else {
    deps.logger.warn(
      {},
      'bot: authentication OFF (demo mode): /api/messages accepts unsigned activities',
    );
  }
  const adapter = new ControlTowerAdapter(auth.authentication, deps.logger);
  const bot = createBotApplication(deps);
  server.post('/api/messages', async (req: Request, res: Response) => {
    await adapter.handle(req, res, (context) => bot.run(context));
  });
  return {
    connector: new HttpBotConnector({
      appId: auth.enabled ? deps.auth.appId : null,
      credentialsFactory: auth.credentialsFactory,
      clock: deps.clock,
    }),
    renderer: new CardActivityRenderer(deps.features),
    authEnabled: auth.enabled,
  };
}
