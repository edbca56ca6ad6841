import type { RenewalStageView } from '../../src/app/renewals/renewal-views';
import type { TabLinks } from '../tab-links';
import { card, clip, compact, executeAction, heading, line, openInTab, plain } from './card-kit';
import type { AdaptiveCard } from './card-types';
import { readinessLabel } from './renewal-stage.card';

/** Input ids of the checkpoint form (read back by the `renewal.checkpoint` handler). */
export const CHECKPOINT_FORM_INPUTS = {
  meetingOn: 'checkpointMeetingOn',
  notes: 'checkpointNotes',
  ownerCall: 'checkpointOwnerCall',
} as const;

/**
 * **Log checkpoint**: the customer meeting of the contract's current stage — its date, notes and
 * the owner's own call. The readiness score is on the form: a call that disagrees with it goes to
 * the cs lead. "Monitor" is offered only outside the 30-day stage (the engine refuses it there).
 */
export function buildCheckpointFormCard(
  view: RenewalStageView,
  today: string,
  links: TabLinks,
): AdaptiveCard {
  const calls = [
    { title: 'Renew', value: 'renew' },
    { title: 'At risk', value: 'at-risk' },
    { title: 'Churn', value: 'churn' },
    ...(view.stage === '30' ? [] : [{ title: 'Monitor (not yet clear)', value: 'monitor' }]),
  ];
  return card(
    compact([
      line(`RENEWAL · ${view.stage}-DAY CHECKPOINT`, {
        size: 'small',
        weight: 'bolder',
        color: 'accent',
      }),
      heading(
        `Log the checkpoint: ${plain(clip(view.clientName, 60))} · ${plain(clip(view.ref, 50))}`,
      ),
      line(
        `Readiness ${readinessLabel(view.score, view.band)} · checkpoint due ${view.checkpointDueOn}. A call that disagrees with the score goes to the cs lead for review.`,
        { size: 'small', isSubtle: true },
      ),
      {
        type: 'Input.Date',
        id: CHECKPOINT_FORM_INPUTS.meetingOn,
        label: 'Meeting date',
        value: today,
        max: today,
        isRequired: true,
        errorMessage: 'When was the meeting?',
      },
      {
        type: 'Input.Text',
        id: CHECKPOINT_FORM_INPUTS.notes,
        label: 'Meeting notes (who attended, what the customer said)',
        isMultiline: true,
        maxLength: 5000,
        isRequired: true,
        errorMessage: 'Meeting notes are required',
      },
      {
        type: 'Input.ChoiceSet',
        id: CHECKPOINT_FORM_INPUTS.ownerCall,
        label: 'Your call',
        style: 'expanded',
        isRequired: true,
        errorMessage: 'Make a call',
        choices: calls,
      },
    ]),
    [
      executeAction(
        'Log the checkpoint',
        'renewal.checkpoint',
        { contractId: view.contractId },
        'positive',
      ),
      openInTab(links.contract(view.contractId), 'Open the contract'),
    ],
    `Log the ${view.stage}-day checkpoint for ${view.clientName} ${view.ref}`,
  );
}
