import type { Server } from 'restify';
import { escalationWritesOn } from '../support/escalation-writes';
import { TabLinks } from '../../bot/tab-links';
import type { EvidenceStore } from '../../src/app/gates/evidence-store.port';
import type { GateUseCases } from '../../src/app/gates/gate-use-cases';
import { createLogger } from '../../src/observability/logger';
import { createMetrics } from '../../src/observability/metrics';
import { createHttpServer, listen } from '../../src/server/http-server';
import type { Db } from '../../src/store/db';
import { demoAuth, mountTestBot } from '../bot/bot-harness';
import { SqlOwnership } from '../../src/store/ownership.repository';
import { FakeClock, FakeDeliveryQueries, FakeEscalationActions } from '../bot/fakes';
import { ConnectorDouble } from '../support/connector-double';
import { gateService } from './gate-fixtures';

/** The bot over HTTP with the real gate service on a real database, and a connector double. */
export interface GateBotHarness {
  botUrl: string;
  connector: ConnectorDouble;
  clock: FakeClock;
  gates: GateUseCases;
  links: TabLinks;
  close(): Promise<void>;
}

/** Starts restify on port 0 with the bot (gates wired) at /api/messages. */
export async function startGateBot(
  db: Db,
  tenantId: string,
  evidence: EvidenceStore | null = null,
): Promise<GateBotHarness> {
  const clock = new FakeClock();
  const logger = createLogger('silent', {});
  const connector = await new ConnectorDouble(clock).start();
  const server: Server = createHttpServer({
    logger,
    metrics: createMetrics(false),
    readiness: async () => ({ ready: true, checks: {} }),
    routes: [],
  });
  const links = new TabLinks({
    teamsAppId: null,
    entityId: 'portfolio',
    webBaseUrl: 'http://localhost:3978',
  });
  const gates = gateService(db, tenantId, clock, evidence);
  mountTestBot(server, {
    tenantId,
    db,
    queries: new FakeDeliveryQueries((id) => new SqlOwnership(db, tenantId).project(id)),
    escalations: new FakeEscalationActions(clock, escalationWritesOn(db, tenantId, clock)),
    gates,
    links,
    logger,
    clock,
    auth: demoAuth,
  });
  const port = await listen(server, 0);
  return {
    botUrl: `http://127.0.0.1:${port}/api/messages`,
    connector,
    clock,
    gates,
    links,
    close: async () => {
      server.server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await connector.stop();
    },
  };
}
