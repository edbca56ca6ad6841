/**
 * The Power BI feed's composition (issue 19): the read-only OData service at `/odata` and the
 * admin's reporting key in Settings. Its rows come straight from the store, scoped to the tenant.
 */
import type { Server } from 'restify';
import type { ApiAuthenticator } from '../api/mount-api';
import { mountReportingFeed } from '../api/odata-feed';
import { reportingKeyRoutes } from '../api/reporting-key-routes';
import { ReadReportingFeed } from '../app/reporting/read-reporting-feed';
import { RotateReportingKey } from '../app/reporting/rotate-reporting-key';
import { AuditLog } from '../audit/audit-log';
import type { AppLogger } from '../observability/logger';
import type { Clock } from '../shared/clock';
import type { Db } from '../store/db';
import { SqlReportingFeedRows } from '../store/reporting-feed.repository';
import { SqlReportingKeys } from '../store/reporting-keys.repository';
import type { FeatureModule } from './feature-module';

export interface ReportingModuleDeps {
  db: Db;
  tenantId: string;
  clock: Clock;
  /** The tab API's authenticator (validates Entra bearer tokens for the feed too). */
  auth: ApiAuthenticator;
  /** The organisation's Entra tenant, named in the feed's Bearer challenge (null: none configured). */
  entraTenantId: string | null;
  logger: AppLogger;
  /** Rows per feed page before `@odata.nextLink` (tests use a small one). */
  pageSize?: number;
}

/** The feature module plus the feed, which lives outside `/api/v1` and its sign-in. */
export interface ReportingModule extends FeatureModule {
  mountFeed(server: Server): void;
}

export function createReportingModule(deps: ReportingModuleDeps): ReportingModule {
  const { db, tenantId, clock } = deps;
  const keys = new SqlReportingKeys(db, clock);
  const feed = new ReadReportingFeed(new SqlReportingFeedRows(db), deps.pageSize);
  const rotate = new RotateReportingKey(keys, new AuditLog(tenantId, clock).on(db));
  return {
    routes: reportingKeyRoutes({ keys, rotate }),
    bot: { commands: [], cardActions: {}, renderers: {} },
    jobs: [],
    mountFeed: (server) =>
      mountReportingFeed(server, {
        ...{ tenantId, feed, keys, auth: deps.auth, entraTenantId: deps.entraTenantId },
        logger: deps.logger.child({ component: 'reporting-feed' }),
      }),
  };
}
