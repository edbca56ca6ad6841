import type { GateFormView } from '../../src/app/gates/gate-views';
import { evidenceLabel, type EvidenceItem } from '../../src/domain/gates/evidence-pack';
import type { TabLinks } from '../tab-links';
import { card, clip, compact, executeAction, heading, line, openInTab, plain } from './card-kit';
import type { AdaptiveCard, CardElement } from './card-types';

/** Input ids of the gate form (read back by the `gate.request` handler). */
export const GATE_FORM_INPUTS = {
  milestoneId: 'gateMilestoneId',
  links: 'gateLinks',
  qaOutcome: 'gateQaOutcome',
  qaNotes: 'gateQaNotes',
  acceptance: 'gateAcceptance',
  risks: 'gateRisks',
  riskState: 'gateRiskState',
} as const;

/**
 * `/gate <project>`: the evidence pack form. Deliverable links one per line ("title | url" or a
 * URL), one QA outcome with notes (the milestone's completed HaloPSA tasks are added as passed
 * checks), customer acceptance notes, open risks one per line ("risk | owner | mitigation").
 * Files are uploaded in the tab.
 */
export function buildGateFormCard(view: GateFormView, links: TabLinks): AdaptiveCard {
  const open = view.milestones.filter((m) => m.gate?.status !== 'approved');
  const body: CardElement[] = compact([
    line('STAGE GATE · REQUEST', { size: 'small', weight: 'bolder', color: 'accent' }),
    heading(`Request a gate: ${plain(clip(view.project.name, 80))}`),
    line(
      `${plain(clip(view.client.name, 80))} · mandatory: ${view.requiredEvidence
        .map((item) => evidenceLabel(item as EvidenceItem))
        .join(', ')}`,
      { isSubtle: true, size: 'small' },
    ),
    open.length === 0
      ? line('This project has no gate milestone waiting for approval.', { color: 'attention' })
      : null,
  ]);
  if (open.length > 0) {
    body.push(
      {
        type: 'Input.ChoiceSet',
        id: GATE_FORM_INPUTS.milestoneId,
        label: 'Gate milestone',
        isRequired: true,
        errorMessage: 'Pick the gate',
        choices: open.map((m) => ({
          title: clip(
            `${m.name}${m.targetDate ? ` (due ${m.targetDate})` : ''}${m.gate ? ` · ${m.gate.status}, v${m.gate.packVersion}` : ''}` +
              (m.completedTasks.length > 0 ? ` · ${m.completedTasks.length} tasks done` : ''),
            100,
          ),
          value: String(m.id),
        })),
      },
      {
        type: 'Input.Text',
        id: GATE_FORM_INPUTS.links,
        label: 'Deliverables: one link per line ("title | https://…"); upload files in the tab',
        isMultiline: true,
        maxLength: 4000,
      },
      {
        type: 'Input.ChoiceSet',
        id: GATE_FORM_INPUTS.qaOutcome,
        label: 'QA outcome',
        style: 'expanded',
        choices: [
          { title: 'Pass', value: 'pass' },
          { title: 'Fail', value: 'fail' },
          { title: 'Only the completed HaloPSA tasks', value: 'none' },
        ],
      },
      {
        type: 'Input.Text',
        id: GATE_FORM_INPUTS.qaNotes,
        label: 'QA notes',
        isMultiline: true,
        maxLength: 2000,
      },
      {
        type: 'Input.Text',
        id: GATE_FORM_INPUTS.acceptance,
        label: 'Customer acceptance notes (who accepted what, when)',
        isMultiline: true,
        maxLength: 2000,
      },
      {
        type: 'Input.ChoiceSet',
        id: GATE_FORM_INPUTS.riskState,
        label: 'Open risks',
        style: 'expanded',
        choices: [
          { title: 'Listed below', value: 'listed' },
          { title: 'There are no open risks', value: 'none' },
        ],
      },
      {
        type: 'Input.Text',
        id: GATE_FORM_INPUTS.risks,
        label: 'One risk per line: "risk | owner | mitigation"',
        isMultiline: true,
        maxLength: 4000,
      },
    );
  }
  return card(
    body,
    compact([
      open.length > 0
        ? executeAction(
            'Submit the evidence pack',
            'gate.request',
            { projectId: view.project.id },
            'positive',
          )
        : null,
      openInTab(links.project(view.project.id)),
    ]),
    `Request a stage gate for ${view.project.name}`,
  );
}
