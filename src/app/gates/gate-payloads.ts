import type { GateView } from './gate-views';

/** Outbox payload of a `gate` row: the approval card, with a banner after a decision or a reminder. */
export interface GatePayload {
  gate: GateView;
  notice?: { tone: 'success' | 'refused'; text: string } | null;
}

/** Outbox kind of the gate approval card. */
export const GATE_NOTIFICATION_KIND = 'gate';

/** The dedupe key of a pack version's approval card (updates refer to it). */
export function gateCardKey(gateId: string, version: number): string {
  return `gate:${gateId}:v${version}:card`;
}
