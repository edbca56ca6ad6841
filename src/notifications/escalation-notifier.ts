import type { EscalationDecision } from '../domain/delivery/escalation';
import type { DecisionNotifier } from '../store/delivery.repository';
import type { Db } from '../store/db';
import type { SqlEscalationRecords } from '../store/escalation-records';
import type { EscalationPayload } from '../app/notifications/notification-payloads';
import { enqueue } from './outbox';
import { pilotVerdict, SqlTabSettings } from '../store/tab-settings.repository';

const NOTICE: Record<Exclude<EscalationDecision['kind'], 'open'>, string> = {
  update: 'Updated',
  resolve: 'Resolved: back below the back-to-green level',
  're-escalate': 'Re-escalated to the delivery director: not acknowledged within the SLA',
};

/**
 * Turns escalation decisions into outbox rows in the deciding transaction: an opening is a new post
 * to the routed escalations channel (high severity to the incident commander's channel first); every
 * later state change updates that post in place. Shadow-mode decisions are computed and logged, never posted.
 * The caller pokes the dispatcher after the transaction commits.
 */
export function escalationNotifier(deps: {
  tenantId: string;
  records: SqlEscalationRecords;
  now: () => Date;
  logger: { info(obj: object, msg?: string): void };
}): DecisionNotifier {
  return async (tx: Db, decision: EscalationDecision) => {
    const e = decision.escalation;
    if (decision.shadow) {
      deps.logger.info(
        {
          tenantId: deps.tenantId,
          escalationId: e.id,
          kind: decision.kind,
          reason: decision.reason,
        },
        'shadow mode: escalation not posted',
      );
      return;
    }
    // Tenant pilot settings (tab → Settings → Pilot): off, shadow or outside the allow-list → not posted.
    const pilot = await new SqlTabSettings(tx, deps.now).pilot(deps.tenantId);
    const verdict = pilotVerdict(pilot, 'escalations', {
      clientId: Number(e.clientId) || null,
      projectId: Number(e.projectId) || null,
    });
    if (verdict !== 'post') {
      deps.logger.info(
        { tenantId: deps.tenantId, escalationId: e.id, kind: decision.kind, verdict },
        'pilot settings: escalation not posted',
      );
      return;
    }
    const view = await deps.records.view(deps.tenantId, e, tx);
    const opened = `escalation:${e.id}:opened`;
    if (decision.kind === 'open') {
      const payload: EscalationPayload = { escalation: view };
      await enqueue(
        tx,
        deps.tenantId,
        {
          dedupeKey: opened,
          kind: 'escalation',
          payload,
          target: {
            streams: e.incidentCommander ? ['incidents', 'escalations'] : ['escalations'],
            clientId: Number(e.clientId) || null,
          },
        },
        deps.now(),
      );
    } else {
      const payload: EscalationPayload = {
        escalation: view,
        notice: { tone: 'success', text: NOTICE[decision.kind] },
      };
      await enqueue(
        tx,
        deps.tenantId,
        {
          dedupeKey: `escalation:${e.id}:v${e.events.length}`,
          kind: 'escalation',
          payload,
          updateOf: opened,
        },
        deps.now(),
      );
    }
  };
}
