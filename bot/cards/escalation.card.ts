import type { EscalationView } from '../../src/app/delivery-views';
import type { TabLinks } from '../tab-links';
import {
  card,
  clip,
  compact,
  executeAction,
  fitToBudget,
  heading,
  line,
  moreLine,
  openInTab,
  plain,
  ragColor,
  scoreLabel,
  noticeElement,
  SharedCards,
  sharedWithNotice,
  when,
  type CardNotice,
} from './card-kit';
import type { AdaptiveCard, CardAction, CardElement, FactSet } from './card-types';

/** A line shown at the top after an action: what happened, or why it was refused. */
export type EscalationNotice = CardNotice;

const CLOSED = new Set(['false-positive', 'resolved']);

/** Input ids on the escalation card (read back by the action handlers). */
export const ESCALATION_INPUTS = {
  agentId: 'agentId',
  snoozeUntil: 'snoozeUntil',
  snoozeReason: 'snoozeReason',
  falsePositiveReason: 'falsePositiveReason',
} as const;

/** Escalation cards built lately, shared by everyone shown the same escalation. */
const shared = new SharedCards();

/**
 * The escalation card: what crossed which threshold, who owns it, and the four actions (Acknowledge,
 * Assign mitigation owner, Snooze, Not a real issue). Closed escalations show their history only.
 * Built once per view and shared (`sharedWithNotice`), the clicker's notice on top.
 */
export function buildEscalationCard(
  view: EscalationView,
  links: TabLinks,
  notice: EscalationNotice | null = null,
): AdaptiveCard {
  return sharedWithNotice(shared, [view, links], notice, (noticed) =>
    escalationCard(view, links, noticed),
  );
}

/** The escalation card built afresh (`buildEscalationCard` shares it). */
export function escalationCard(
  view: EscalationView,
  links: TabLinks,
  notice: EscalationNotice | null,
): AdaptiveCard {
  return fitToBudget([50, 20, 8, 3], (max) => {
    const details = view.details.slice(0, Math.min(max, 8));
    const history = view.history.slice(-Math.min(max, 6));
    const agents = view.assignableAgents.slice(0, max);
    const data = { escalationId: view.id };
    const facts: FactSet['facts'] = compact([
      { title: 'Client', value: clip(view.client.name, 80) },
      { title: 'Health', value: scoreLabel(view.score, view.rag) },
      { title: 'Severity', value: view.severity },
      { title: 'State', value: view.state },
      { title: 'Owner', value: clip(view.ownerName ?? 'unassigned', 80) },
      view.mitigationOwnerName === null
        ? null
        : { title: 'Mitigation owner', value: clip(view.mitigationOwnerName, 80) },
      { title: 'Acknowledge by', value: when(view.acknowledgeBy) },
      view.snoozedUntil === null
        ? null
        : { title: 'Snoozed until', value: when(view.snoozedUntil) },
    ]);
    const body: CardElement[] = compact([
      notice === null ? null : noticeElement(notice),
      line(`${view.severity.toUpperCase()} · escalation`, {
        color:
          view.severity === 'high'
            ? 'attention'
            : view.severity === 'medium'
              ? 'warning'
              : 'default',
        size: 'small',
        weight: 'bolder',
      }),
      heading(`${plain(clip(view.project.name, 80))}: ${plain(clip(view.cause, 80))}`),
      ...details.map((detail) =>
        line(`• ${plain(clip(detail, 200))}`, { spacing: 'none', color: ragColor(view.rag) }),
      ),
      moreLine(view.details.length - details.length, 'details in the tab'),
      { type: 'FactSet', facts },
      history.length > 0 ? line('History', { weight: 'bolder', separator: true }) : null,
      moreLine(view.history.length - history.length, 'earlier entries'),
      ...history.map((entry) =>
        line(
          `${when(entry.at)} · ${plain(clip(entry.actorName, 60))} ${plain(clip(entry.action, 160))}`,
          {
            size: 'small',
            spacing: 'none',
          },
        ),
      ),
    ]);

    const actions: CardAction[] = [];
    if (!CLOSED.has(view.state)) {
      if (view.state === 'open') {
        actions.push(executeAction('Acknowledge', 'escalation.acknowledge', data, 'positive'));
      }
      actions.push({
        type: 'Action.ShowCard',
        title: 'Assign mitigation owner',
        card: {
          type: 'AdaptiveCard',
          body: compact([
            agents.length > 0
              ? {
                  type: 'Input.ChoiceSet',
                  id: ESCALATION_INPUTS.agentId,
                  label: 'Mitigation owner',
                  style: 'filtered',
                  isRequired: true,
                  errorMessage: 'Pick who owns the mitigation',
                  choices: agents.map((agent) => ({
                    title: clip(agent.name, 60),
                    value: String(agent.id),
                  })),
                }
              : line('No agents to choose from: assign in the tab.', { isSubtle: true }),
            moreLine(
              view.assignableAgents.length - agents.length,
              'agents: assign them from the tab',
            ),
          ]),
          actions: agents.length > 0 ? [executeAction('Assign', 'escalation.assign', data)] : [],
        },
      });
      actions.push({
        type: 'Action.ShowCard',
        title: 'Snooze',
        card: {
          type: 'AdaptiveCard',
          body: [
            {
              type: 'Input.Date',
              id: ESCALATION_INPUTS.snoozeUntil,
              label: 'Until',
              isRequired: true,
              errorMessage: 'Pick the date the snooze ends',
            },
            {
              type: 'Input.Text',
              id: ESCALATION_INPUTS.snoozeReason,
              label: 'Reason',
              isMultiline: true,
              maxLength: 500,
              isRequired: true,
              errorMessage: 'Say why it can wait',
            },
          ],
          actions: [executeAction('Snooze', 'escalation.snooze', data)],
        },
      });
      actions.push({
        type: 'Action.ShowCard',
        title: 'Not a real issue',
        card: {
          type: 'AdaptiveCard',
          body: [
            {
              type: 'Input.Text',
              id: ESCALATION_INPUTS.falsePositiveReason,
              label: 'Why is this not a real issue?',
              isMultiline: true,
              maxLength: 500,
              isRequired: true,
              errorMessage: 'The reason tunes the thresholds: please give one',
            },
          ],
          actions: [
            executeAction(
              'Mark as not a real issue',
              'escalation.falsePositive',
              data,
              'destructive',
            ),
          ],
        },
      });
    }
    actions.push(openInTab(links.escalation(view.id, view.project.id)));
    return card(
      body,
      actions,
      `${view.severity} escalation on ${view.project.name}: ${view.cause} (${view.state})`,
    );
  });
}
