import { cardProblems } from '../../tests/bot/card-validation';
import { concessionFormView } from '../../tests/bot/view-fixtures';
import { TabLinks } from '../tab-links';
import { buildConcessionFormCard, CONCESSION_FORM_INPUTS } from './concession-form.card';

const links = new TabLinks({
  teamsAppId: 'app-1',
  entityId: 'portfolio',
  webBaseUrl: 'https://tower.example.com',
});

describe('the concession form card', () => {
  test('shows value, margin, precedent and each depth’s margin after and approver before asking', () => {
    const card = buildConcessionFormCard(concessionFormView(), links);
    expect(cardProblems(card)).toEqual([]);
    const json = JSON.stringify(card);
    expect(json).toContain('"title":"Margin now","value":"40 %"');
    expect(json).toContain('7.5 % average over 2 similar');
    expect(json).toContain(
      '"title":"8 %","value":"4,600/month · margin 34.78 % · cs lead approves"',
    );
    expect(json).toContain(
      '"title":"15 %","value":"4,250/month · margin 29.41 % · msp owner approves"',
    );
    expect(card.body.filter((e) => e.type.startsWith('Input.'))).toEqual([
      expect.objectContaining({
        type: 'Input.Number',
        id: CONCESSION_FORM_INPUTS.discountPct,
        max: 50,
        isRequired: true,
      }),
      expect.objectContaining({
        type: 'Input.Text',
        id: CONCESSION_FORM_INPUTS.reason,
        isRequired: true,
      }),
    ]);
    expect(card.actions?.[0]).toMatchObject({
      type: 'Action.Execute',
      verb: 'renewal.concession',
      data: { contractId: 4 },
      fallback: { type: 'Action.Submit', data: { verb: 'renewal.concession' } },
    });
  });

  test('with a request already pending it says so and offers no submit', () => {
    const card = buildConcessionFormCard(
      concessionFormView({ pending: { id: 9, discountPct: 12 } }),
      links,
    );
    expect(cardProblems(card)).toEqual([]);
    expect(JSON.stringify(card)).toContain('A 12 % concession is already waiting');
    expect(card.actions?.map((a) => a.type)).toEqual(['Action.OpenUrl']);
    expect(card.body.some((e) => e.type.startsWith('Input.'))).toBe(false);
  });
});
