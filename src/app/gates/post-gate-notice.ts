import type { NotificationIntent } from '../ports/notifications.port';
import type { PilotVerdict } from '../../domain/shared/pilot';
import type { GateTxPorts } from './gate-transaction.port';

/**
 * Queues a gate card, or an update of one, only when the tenant's pilot settings let gate cards
 * post for the project: with the gates switch off, outside the allow-list or in shadow mode the
 * card is held back and the gate's audit trail records that (and why), in the same transaction.
 */
export async function postGateNotice(
  tx: Pick<GateTxPorts, 'pilot' | 'outbox' | 'audit'>,
  gate: { id: string; projectId: number; clientId: number | null },
  intent: NotificationIntent,
): Promise<PilotVerdict> {
  const verdict = await tx.pilot.verdict({ clientId: gate.clientId, projectId: gate.projectId });
  if (verdict === 'post') {
    await tx.outbox.enqueue(intent);
    return verdict;
  }
  await tx.audit.append({
    subjectType: 'gate',
    subjectId: gate.id,
    action: 'gate.card.held',
    actor: null,
    detail: { verdict, dedupeKey: intent.dedupeKey },
  });
  return verdict;
}
