import type { EscalationDecisionPorts } from '../../src/app/delivery-views';
import { outboxOn } from '../../src/notifications/outbox';
import type { Clock } from '../../src/shared/clock';
import { botActionLogOn } from '../../src/store/action-log.repository';
import type { Db } from '../../src/store/db';

/**
 * What a fake escalation decision writes alongside, as the real one does: the action log and the
 * outbox, in one transaction on `db`.
 */
export function escalationWritesOn(
  db: Db,
  tenantId: string,
  clock: Clock,
): (run: (ports: EscalationDecisionPorts) => Promise<void>) => Promise<void> {
  return (run) =>
    db.transaction((tx) =>
      run({ outbox: outboxOn(tx, tenantId, clock), actions: botActionLogOn(tx, tenantId) }),
    );
}
