import type { EscalationDecision } from '../../domain/delivery/escalation';
import {
  escalationOpenedNotices,
  escalationReEscalatedNotice,
  type EscalationSubject,
} from '../../domain/notifications/personal-notices';
import type { EscalationPayload } from './notification-payloads';
import { personalIntent } from './personal-intent';
import type { EscalationPostingPorts } from './escalation-posting.port';

const NOTICE: Record<Exclude<EscalationDecision['kind'], 'open'>, string> = {
  update: 'Updated',
  resolve: 'Resolved: back below the back-to-green level',
  're-escalate': 'Re-escalated to the delivery director: not acknowledged within the SLA',
};

/** What became of a decision: queued in the outbox, or held back (shadow mode, pilot settings). */
export type EscalationPosting =
  | { posted: true }
  | { posted: false; why: 'shadow' }
  | { posted: false; why: 'pilot'; verdict: string };

/**
 * Turns an escalation decision into an outbox row in the deciding transaction: an opening is a new
 * post to the routed escalations channel (high severity to the incident commander's channel first);
 * every later state change updates that post in place. Shadow-mode decisions are never posted.
 */
export async function postEscalationDecision(
  decision: EscalationDecision,
  ports: EscalationPostingPorts,
): Promise<EscalationPosting> {
  const e = decision.escalation;
  if (decision.shadow) return { posted: false, why: 'shadow' };
  const verdict = await ports.pilotVerdict({
    clientId: Number(e.clientId) || null,
    projectId: Number(e.projectId) || null,
  });
  if (verdict !== 'post') return { posted: false, why: 'pilot', verdict };
  const view = await ports.view(e);
  const opened = `escalation:${e.id}:opened`;
  const ownerAgentId = e.ownerAgentId === null ? null : Number(e.ownerAgentId) || null;
  const subject: EscalationSubject = {
    escalationId: e.id,
    projectId: view.project.id,
    projectName: view.project.name,
    cause: view.cause,
    ownerAgentId,
  };
  if (decision.kind === 'open') {
    const payload: EscalationPayload = { escalation: view };
    await ports.outbox.enqueue({
      dedupeKey: opened,
      kind: 'escalation',
      payload,
      severity: e.severity,
      target: {
        streams: e.incidentCommander ? ['incidents', 'escalations'] : ['escalations'],
        clientId: Number(e.clientId) || null,
      },
      mentionAgentId: ownerAgentId,
    });
    // The incident commander first (high severity), then the owner: one person, one notice.
    const [first, second] = escalationOpenedNotices({
      ...subject,
      incidentCommander: e.incidentCommander,
      incidentCommanderAgentId: null,
    });
    await ports.outbox.enqueue(
      personalIntent(`${opened}:people`, first!, { kind: 'escalation', payload }),
    );
    if (second) {
      await ports.outbox.enqueue(
        personalIntent(`${opened}:owner`, second, { kind: 'escalation', payload }),
      );
    }
  } else {
    const payload: EscalationPayload = {
      escalation: view,
      notice: { tone: 'success', text: NOTICE[decision.kind] },
    };
    await ports.outbox.enqueue({
      dedupeKey: `escalation:${e.id}:v${e.events.length}`,
      kind: 'escalation',
      payload,
      updateOf: opened,
      // A resolution or a re-escalation changes the item's state and goes ahead of refreshes; an
      // update only re-renders new figures.
      decision: decision.kind !== 'update',
      severity: e.severity,
    });
    if (decision.kind === 're-escalate') {
      await ports.outbox.enqueue(
        personalIntent(
          `escalation:${e.id}:v${e.events.length}:people`,
          escalationReEscalatedNotice(subject),
          {
            kind: 'escalation',
            payload,
          },
        ),
      );
    }
  }
  return { posted: true };
}
