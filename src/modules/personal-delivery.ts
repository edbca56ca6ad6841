import type { TokenCredential } from '@azure/identity';
import type { HttpBotConnector } from '../../bot/http-bot-connector';
import type { TabLinks } from '../../bot/tab-links';
import { TeamsGraphClient } from '../../bot/teams-graph-client';
import { TeamsPersonalDelivery } from '../../bot/teams-personal-delivery';
import type { AppConfig } from '../config';
import { graphCredential } from '../evidence/create-evidence-store';
import type { PersonalDeliveryPort } from '../app/ports/personal-delivery.port';
import { ChatOnlyPersonalDelivery } from '../notifications/chat-only-personal-delivery';
import type { Db } from '../store/db';
import { PersonalNotificationsRepository } from '../store/personal-notifications.repository';

/**
 * Personal delivery (1:1 messages and activity-feed entries) when the deployment allows it: a
 * production bot whose app is in the tenant's catalog (`TEAMS_APP_CATALOG_ID`), with the app-only
 * Graph credential of the evidence store; in demo mode, the personal chats the bot met people in.
 * Null otherwise: personal rows then fail with that reason, and channels still get every post.
 */
export function personalDeliveryFor(
  config: AppConfig,
  deps: {
    db: Db;
    connector: HttpBotConnector;
    links: TabLinks;
    logger: { info(obj: object, msg?: string): void };
    credential?: TokenCredential;
  },
): PersonalDeliveryPort | null {
  const { appId, catalogAppId, serviceUrl, tenantId } = config.bot;
  if (config.mode === 'demo') {
    return new ChatOnlyPersonalDelivery({
      store: new PersonalNotificationsRepository(config.tenantId).conversations(deps.db),
      logger: deps.logger,
    });
  }
  if (appId === null || catalogAppId === null) return null;
  const credential = deps.credential ?? graphCredential(config.evidence.graph);
  const scope = `${config.evidence.graphUrl.replace(/\/+$/, '')}/.default`;
  return new TeamsPersonalDelivery({
    connector: deps.connector,
    graph: new TeamsGraphClient({
      graphUrl: config.evidence.graphUrl,
      token: async () => {
        const token = await credential.getToken(scope);
        if (token === null) throw new Error('no Graph token for personal delivery');
        return token.token;
      },
    }),
    store: new PersonalNotificationsRepository(config.tenantId).conversations(deps.db),
    links: deps.links,
    serviceUrl,
    botId: `28:${appId}`,
    entraTenantId: tenantId,
    catalogAppId,
    teamsAppId: appId,
  });
}
