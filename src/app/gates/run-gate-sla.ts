import { postGateNotice } from './post-gate-notice';
import type { GatePolicy } from '../../domain/gates/gate-policy';
import { gateSlaState, slaNoticesDue } from '../../domain/gates/gate-sla';
import type { Clock } from '../../shared/clock';
import type { Signal } from '../../shared/signal';
import type { Transactional } from '../ports/transaction.port';
import { GATE_NOTIFICATION_KIND, type GatePayload } from './gate-payloads';
import type { GateRepository } from './gate-repository.port';
import type { GateTxPorts } from './gate-transaction.port';
import { gateViewOf } from './gate-view-of';

export interface RunGateSlaDeps {
  gates: GateRepository;
  tx: Transactional<GateTxPorts>;
  policy: GatePolicy;
  clock: Clock;
  /** Notified after the run queued at least one notice. */
  outboxChanged: Signal;
}

/** How many notices one run sent (a notice the pilot settings held back is not counted). */
export interface GateSlaRun {
  reminders: number;
  escalations: number;
}

const HOUR_MS = 3_600_000;

/**
 * The SLA job: for each pending gate past its reminder time, one reminder card to the gates
 * channel (for the approvers); past the escalation time, one escalation to the delivery director
 * (escalations channel, else gates). Each notice once per pack version.
 */
export class RunGateSla {
  constructor(private readonly deps: RunGateSlaDeps) {}

  async run(): Promise<GateSlaRun> {
    const { policy } = this.deps;
    const now = this.deps.clock.now();
    let reminders = 0;
    let escalations = 0;
    for (const gate of await this.deps.gates.list({ statuses: ['pending'] })) {
      const state = gateSlaState(gate.requestedAt, now, policy);
      const due = slaNoticesDue(
        state,
        await this.deps.gates.slaNoticesSent(gate.id, gate.packVersion),
      );
      for (const kind of due) {
        const sent = await this.deps.tx.transaction(async (tx) => {
          if (!(await tx.gates.markSlaNotice(gate.id, gate.packVersion, kind, now.toISOString()))) {
            return false;
          }
          const ctx = await tx.projects.projectContext(gate.projectId);
          const view = await gateViewOf(tx, policy, gate, ctx);
          const waited = Math.floor((now.getTime() - Date.parse(gate.requestedAt)) / HOUR_MS);
          const text =
            kind === 'reminder'
              ? `Reminder: this gate has waited ${waited} h for a decision (SLA ${policy.reminderAfterHours} h).`
              : `Escalated to the delivery director: no decision after ${waited} h (limit ${policy.escalateAfterHours} h).`;
          await tx.audit.append({
            subjectType: 'gate',
            subjectId: gate.id,
            action: kind === 'reminder' ? 'gate.sla.reminder' : 'gate.sla.escalated',
            actor: null,
            detail: { packVersion: gate.packVersion, waitedHours: waited },
          });
          const verdict = await postGateNotice(
            tx,
            { id: gate.id, projectId: gate.projectId, clientId: view.client.id },
            {
              dedupeKey: `gate:${gate.id}:v${gate.packVersion}:sla:${kind}`,
              kind: GATE_NOTIFICATION_KIND,
              payload: { gate: view, notice: { tone: 'refused', text } } satisfies GatePayload,
              target: {
                streams: kind === 'reminder' ? ['gates'] : ['escalations', 'gates'],
                clientId: view.client.id,
              },
            },
          );
          // Held back by the pilot settings: recorded on the gate's trail, not sent.
          return verdict === 'post';
        });
        if (sent && kind === 'reminder') reminders += 1;
        if (sent && kind === 'escalation') escalations += 1;
      }
    }
    if (reminders + escalations > 0) this.deps.outboxChanged.notify();
    return { reminders, escalations };
  }
}
