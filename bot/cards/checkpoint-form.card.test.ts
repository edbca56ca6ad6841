import { cardProblems } from '../../tests/bot/card-validation';
import { renewalStageView } from '../../tests/bot/view-fixtures';
import { TabLinks } from '../tab-links';
import { buildCheckpointFormCard, CHECKPOINT_FORM_INPUTS } from './checkpoint-form.card';
import type { InputChoiceSet } from './card-types';

const links = new TabLinks({
  teamsAppId: 'app-1',
  entityId: 'portfolio',
  webBaseUrl: 'https://tower.example.com',
});

describe('the checkpoint form card', () => {
  test('asks for the meeting date, notes and the call, and shows the score the call is judged against', () => {
    const card = buildCheckpointFormCard(renewalStageView(), '2026-02-11', links);
    expect(cardProblems(card)).toEqual([]);
    expect(card.body.filter((e) => e.type.startsWith('Input.'))).toEqual([
      expect.objectContaining({
        type: 'Input.Date',
        id: CHECKPOINT_FORM_INPUTS.meetingOn,
        value: '2026-02-11',
        max: '2026-02-11',
        isRequired: true,
      }),
      expect.objectContaining({
        type: 'Input.Text',
        id: CHECKPOINT_FORM_INPUTS.notes,
        isRequired: true,
      }),
      expect.objectContaining({ type: 'Input.ChoiceSet', id: CHECKPOINT_FORM_INPUTS.ownerCall }),
    ]);
    expect(JSON.stringify(card)).toContain('Readiness 61 (watch)');
    expect(card.actions?.[0]).toMatchObject({
      type: 'Action.Execute',
      verb: 'renewal.checkpoint',
      data: { contractId: 4 },
      fallback: { type: 'Action.Submit', data: { verb: 'renewal.checkpoint', contractId: 4 } },
    });
  });

  test.each([
    ['90', ['renew', 'at-risk', 'churn', 'monitor']],
    ['30', ['renew', 'at-risk', 'churn']],
  ] as const)('in the %s-day stage the calls are %p', (stage, calls) => {
    const card = buildCheckpointFormCard(renewalStageView({ stage }), '2026-02-11', links);
    const choice = card.body.find((e): e is InputChoiceSet => e.type === 'Input.ChoiceSet');
    expect(choice?.choices.map((c) => c.value)).toEqual(calls);
  });
});
