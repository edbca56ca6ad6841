/** The renewals module as the integration tests build it: real adapters over a test database. */
import { TabLinks } from '../../bot/tab-links';
import { createRenewalsModule, type RenewalsModule } from '../../src/modules/renewals.module';
import { createLogger } from '../../src/observability/logger';
import { systemClock, type Clock } from '../../src/shared/clock';
import { ChangeSignal } from '../../src/shared/signal';
import type { Db } from '../../src/store/db';
import { SqlRoleDirectory } from '../../src/store/role-directory.repository';

export const testLinks = new TabLinks({
  teamsAppId: 'teams-app-id',
  entityId: 'portfolio',
  webBaseUrl: 'http://localhost:3978',
});

/** The renewal loop of `tenantId` over `db`, at `clock`. */
export function renewalsOn(
  db: Db,
  clock: Clock = systemClock,
  tenantId = 't',
  outboxChanged = new ChangeSignal(),
): RenewalsModule {
  return createRenewalsModule({
    db,
    tenantId,
    clock,
    outboxChanged,
    roles: new SqlRoleDirectory(db, tenantId),
    links: testLinks,
    logger: createLogger('silent', {}),
    evaluateCron: '0 6 * * *',
  });
}
