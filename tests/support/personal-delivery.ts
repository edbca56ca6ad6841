import { readFileSync } from 'node:fs';
import path from 'node:path';
import { UnsignedCredentialsFactory } from '../../bot/bot-auth';
import { HttpBotConnector } from '../../bot/http-bot-connector';
import { TabLinks } from '../../bot/tab-links';
import { TeamsGraphClient } from '../../bot/teams-graph-client';
import { TeamsPersonalDelivery } from '../../bot/teams-personal-delivery';
import type { Clock } from '../../src/shared/clock';
import type { Db } from '../../src/store/db';
import { PersonalNotificationsRepository } from '../../src/store/personal-notifications.repository';
import type { ConnectorDouble } from './connector-double';
import type { GraphDouble } from './graph-double';

/** The Graph token the doubles accept in personal-delivery tests. */
export const TEAMS_GRAPH_TOKEN = 'teams-graph-token';

/** The repository's manifest, whose activity types the Graph double is told are installed. */
export function repositoryManifest(): {
  activities?: {
    activityTypes?: Array<{ type: string; description: string; templateText: string }>;
  };
} {
  return JSON.parse(
    readFileSync(path.resolve(__dirname, '../../manifest/manifest.json'), 'utf8'),
  ) as ReturnType<typeof repositoryManifest>;
}

/** Personal delivery as production wires it, pointed at the connector and Graph doubles. */
export function personalDeliveryAgainst(options: {
  db: Db;
  tenantId: string;
  connector: ConnectorDouble;
  graph: GraphDouble;
  clock: Clock;
}): TeamsPersonalDelivery {
  return new TeamsPersonalDelivery({
    connector: new HttpBotConnector({
      appId: null,
      credentialsFactory: new UnsignedCredentialsFactory(null),
      clock: options.clock,
    }),
    graph: new TeamsGraphClient({
      graphUrl: options.graph.baseUrl,
      token: async () => TEAMS_GRAPH_TOKEN,
      ca: options.graph.certificate.cert,
      clock: options.clock,
    }),
    store: new PersonalNotificationsRepository(options.tenantId).conversations(options.db),
    links: new TabLinks({
      teamsAppId: 'teams-app-id',
      entityId: 'portfolio',
      webBaseUrl: 'https://tower.example.com',
    }),
    serviceUrl: options.connector.url,
    botId: '28:bot-app-id',
    entraTenantId: 'entra-tenant',
    catalogAppId: options.graph.teamsAppCatalogId,
    teamsAppId: 'teams-app-id',
  });
}
