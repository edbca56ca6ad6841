import type { Request, Response, Server } from 'restify';
import type { ConnectorPort, ActivityRenderer } from '../src/app/ports/notifications.port';
import { ControlTowerAdapter } from './bot-adapter';
import { createBotApplication } from './bot-app';
import { createBotAuthentication, type BotAuthOptions } from './bot-auth';
import type { BotHandlerDeps } from './bot-handlers';
import { CardActivityRenderer } from './card-activity-renderer';
import { HttpBotConnector } from './http-bot-connector';

/** Everything `mountBot` needs: the handler dependencies plus how to authenticate. */
export interface MountBotDeps extends BotHandlerDeps {
  auth: BotAuthOptions;
}

/** What mounting returns: the ports the outbox dispatcher needs, built on the same credentials. */
export interface MountedBot {
  connector: ConnectorPort;
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
      now: () => deps.clock.now(),
    }),
    renderer: new CardActivityRenderer(deps.links),
    authEnabled: auth.enabled,
  };
}
