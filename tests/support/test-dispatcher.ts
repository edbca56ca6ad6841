import { UnsignedCredentialsFactory } from '../../bot/bot-auth';
import { escalationWritesOn } from './escalation-writes';
import { CardActivityRenderer } from '../../bot/card-activity-renderer';
import { HttpBotConnector } from '../../bot/http-bot-connector';
import { TabLinks } from '../../bot/tab-links';
import { OutboxDispatcher, type DispatcherHooks } from '../../src/notifications/outbox-dispatcher';
import { createLogger } from '../../src/observability/logger';
import type { PersonalDeliveryPort } from '../../src/app/ports/personal-delivery.port';
import type { Db } from '../../src/store/db';
import { SqlOwnership } from '../../src/store/ownership.repository';
import { FakeDeliveryQueries, FakeEscalationActions, type FakeClock } from '../bot/fakes';
import { testBotFeatures } from '../bot/bot-harness';

/** An outbox dispatcher as tests run it: real HTTP connector without credentials, an injected clock. */
export function testDispatcher(options: {
  db: Db;
  tenantId: string;
  instanceId: string;
  clock: FakeClock;
  hooks?: DispatcherHooks;
  personal?: PersonalDeliveryPort;
}): OutboxDispatcher {
  const { clock } = options;
  return new OutboxDispatcher({
    db: options.db,
    tenantId: options.tenantId,
    instanceId: options.instanceId,
    connector: new HttpBotConnector({
      appId: null,
      credentialsFactory: new UnsignedCredentialsFactory(null),
      clock,
    }),
    renderer: new CardActivityRenderer(
      testBotFeatures({
        tenantId: options.tenantId,
        db: options.db,
        queries: new FakeDeliveryQueries((id) =>
          new SqlOwnership(options.db, options.tenantId).project(id),
        ),
        escalations: new FakeEscalationActions(
          clock,
          escalationWritesOn(options.db, options.tenantId, clock),
        ),
        links: new TabLinks({
          teamsAppId: null,
          entityId: 'portfolio',
          webBaseUrl: 'http://localhost:3978',
        }),
        logger: createLogger('silent', {}),
        clock,
      }),
    ),
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    clock,
    sleep: clock.sleep,
    random: () => 0.5,
    hooks: options.hooks,
    personal: options.personal,
  });
}
