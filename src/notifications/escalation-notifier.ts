import type { EscalationDecision } from '../domain/delivery/escalation';
import { postEscalationDecision } from '../app/notifications/post-escalation-decision';
import type { Clock } from '../shared/clock';
import type { DecisionNotifier } from '../store/delivery.repository';
import type { Db } from '../store/db';
import type { SqlEscalationRecords } from '../store/escalation-records.repository';
import { outboxOn } from './outbox';
import { pilotVerdict } from '../domain/shared/pilot';
import { SqlTabSettings } from '../store/tab-settings.repository';

/**
 * The delivery store's notifier: posts each escalation decision through the outbox of the deciding
 * transaction and logs the ones held back. The caller notifies the outbox signal after the commit.
 */
export function escalationNotifier(deps: {
  tenantId: string;
  records: SqlEscalationRecords;
  clock: Clock;
  logger: { info(obj: object, msg?: string): void };
}): DecisionNotifier {
  const { tenantId, records, clock, logger } = deps;
  return async (tx: Db, decision: EscalationDecision) => {
    const posting = await postEscalationDecision(decision, {
      pilotVerdict: async (target) =>
        pilotVerdict(await new SqlTabSettings(tx, clock).pilot(tenantId), 'escalations', target),
      view: (escalation) => records.view(tenantId, escalation, tx),
      outbox: outboxOn(tx, tenantId, clock),
    });
    if (posting.posted) return;
    const e = decision.escalation;
    if (posting.why === 'shadow') {
      logger.info(
        { tenantId, escalationId: e.id, kind: decision.kind, reason: decision.reason },
        'shadow mode: escalation not posted',
      );
    } else {
      logger.info(
        { tenantId, escalationId: e.id, kind: decision.kind, verdict: posting.verdict },
        'pilot settings: escalation not posted',
      );
    }
  };
}
