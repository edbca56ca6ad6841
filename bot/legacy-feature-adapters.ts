/**
 * Until the gates and renewals features export their own `BotFeature` builders, these wrap their
 * current handler classes into features. The composition root replaces them by those builders.
 */
import type { TurnContext } from 'botbuilder';
import { GATE_NOTIFICATION_KIND } from '../src/app/gates/gate-service';
import type { BotFeature } from './bot-feature';
import { buildNoticeCard } from './cards/notice.card';
import { COMMAND_PATTERNS } from './commands';
import {
  GateBotHandlers,
  renderGatePayload,
  type GateBotDeps,
  type GateVerb,
} from './gate-handlers';
import { reply } from './reply';
import {
  RenewalHandlers,
  renderRenewalNotification,
  type ConcessionVerb,
  type RenewalHandlerDeps,
} from './renewal-handlers';

const GATE_VERBS: readonly GateVerb[] = [
  'gate.form',
  'gate.request',
  'gate.approve',
  'gate.reject',
  'gate.requestChanges',
  'gate.refresh',
  'gate.open',
];

const CONCESSION_VERBS: readonly ConcessionVerb[] = [
  'concession.approve',
  'concession.reject',
  'concession.refresh',
];

/**
 * `/gate`, `/gates`, the gate card actions and the `gate` posts, from `GateBotHandlers`. Without a
 * gate service (deployments without gates) the buttons say so and the commands are not offered.
 */
export function legacyGateFeature(
  deps: Omit<GateBotDeps, 'gates'> & { gates?: GateBotDeps['gates'] },
): BotFeature {
  const gates = deps.gates;
  const handlers = gates ? new GateBotHandlers({ ...deps, gates }) : null;
  const cardActions: BotFeature['cardActions'] = {};
  for (const verb of GATE_VERBS) {
    cardActions[verb] = async (context, data) =>
      handlers
        ? handlers.cardAction(context, verb, data)
        : buildNoticeCard(
            { tone: 'error', title: 'Gates are off', text: 'Stage gates are not configured.' },
            deps.links,
          );
  }
  return {
    commands: handlers
      ? [
          { pattern: COMMAND_PATTERNS.gates, run: (context) => handlers.gatesCommand(context) },
          { pattern: COMMAND_PATTERNS.gate, run: (context) => handlers.gateCommand(context) },
        ]
      : [],
    cardActions,
    renderers: {
      [GATE_NOTIFICATION_KIND]: (payload) => renderGatePayload(payload, deps.links),
    },
  };
}

/** `/renewals`, the concession card actions and the renewal posts, from `RenewalHandlers`. */
export function legacyRenewalFeature(deps: RenewalHandlerDeps): BotFeature {
  const handlers = new RenewalHandlers(deps);
  const cardActions: BotFeature['cardActions'] = {};
  for (const verb of CONCESSION_VERBS) {
    cardActions[verb] = (context, data) => handlers.concessionAction(context, verb, data);
  }
  const render = (kind: string) => (payload: object) =>
    renderRenewalNotification(kind, payload, deps.links) ?? {
      ok: false as const,
      reason: `unknown kind ${kind}`,
    };
  return {
    commands: [
      {
        pattern: COMMAND_PATTERNS.renewals,
        run: async (context: TurnContext) =>
          reply(context, await handlers.renewalsCard(context.activity.text)),
      },
    ],
    cardActions,
    renderers: { 'renewal-stage': render('renewal-stage'), concession: render('concession') },
  };
}
