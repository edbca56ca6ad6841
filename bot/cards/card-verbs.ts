/**
 * Action verbs shared by the card builders and the handlers that answer them (Action.Execute `verb`,
 * and the `verb` field of the Action.Submit fallback's data).
 */
export const CARD_VERBS = [
  'project.health',
  'escalation.acknowledge',
  'escalation.assign',
  'escalation.snooze',
  'escalation.falsePositive',
  'escalation.refresh',
  'subscribe.client',
  'gate.form',
  'gate.request',
  'gate.approve',
  'gate.reject',
  'gate.requestChanges',
  'gate.refresh',
  'gate.open',
  'concession.approve',
  'concession.reject',
  'concession.refresh',
  'renewal.open',
  'renewal.refresh',
  'renewal.checkpointForm',
  'renewal.checkpoint',
  'renewal.concessionForm',
  'renewal.concession',
  'uplift.accept',
  'uplift.decline',
  'governance.accept',
  'governance.reject',
  'governance.signOff',
  'governance.refresh',
  'review.acceptTuning',
  'rebaseline.approve',
  'rebaseline.reject',
] as const;

/** One of the verbs our cards send. */
export type CardVerb = (typeof CARD_VERBS)[number];

/** True when `value` is one of our verbs. */
export function isCardVerb(value: unknown): value is CardVerb {
  return typeof value === 'string' && (CARD_VERBS as readonly string[]).includes(value);
}
