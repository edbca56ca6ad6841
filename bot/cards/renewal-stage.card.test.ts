import { cardProblems } from '../../tests/bot/card-validation';
import { renewalStageView } from '../../tests/bot/view-fixtures';
import { TabLinks } from '../tab-links';
import type { ActionSet, Container, ExecuteAction, ShowCardAction } from './card-types';
import { buildRenewalStageCard, upliftReasonInput } from './renewal-stage.card';

const links = new TabLinks({
  teamsAppId: 'app-1',
  entityId: 'portfolio',
  webBaseUrl: 'https://tower.example.com',
});

describe('the renewal stage card', () => {
  test('the posted card is read-only for everyone and refreshes to the owner’s own view', () => {
    const card = buildRenewalStageCard(renewalStageView(), links);
    expect(cardProblems(card)).toEqual([]);
    expect(card.actions?.map((a) => a.type)).toEqual(['Action.OpenUrl']);
    expect(card.refresh).toEqual({
      action: {
        type: 'Action.Execute',
        title: 'Refresh',
        verb: 'renewal.refresh',
        data: { contractId: 4 },
      },
      userIds: ['8:orgid:aad-am'],
    });
    expect(JSON.stringify(card)).toContain('The contract owner logs the checkpoint');
    // No uplift buttons on the read-only view: only the text.
    expect(JSON.stringify(card)).not.toContain('uplift.accept');
    expect(JSON.stringify(card)).toContain('+1,250/month');
  });

  test('the owner’s view opens the checkpoint and concession forms, with Submit fallbacks', () => {
    const card = buildRenewalStageCard(renewalStageView(), links, 'owner', null, {
      refresh: false,
    });
    expect(cardProblems(card)).toEqual([]);
    expect(card.refresh).toBeUndefined();
    const [checkpoint, concession] = card.actions as ExecuteAction[];
    expect(checkpoint).toMatchObject({
      type: 'Action.Execute',
      title: 'Log checkpoint',
      verb: 'renewal.checkpointForm',
      data: { contractId: 4 },
      fallback: {
        type: 'Action.Submit',
        data: { contractId: 4, verb: 'renewal.checkpointForm' },
      },
    });
    expect(concession).toMatchObject({
      title: 'Request concession',
      verb: 'renewal.concessionForm',
      fallback: { data: { verb: 'renewal.concessionForm' } },
    });
  });

  test('each proposed uplift gets Accept and Decline-with-a-reason for the owner', () => {
    const card = buildRenewalStageCard(renewalStageView(), links, 'owner', null, {
      refresh: false,
    });
    const upliftBox = card.body.find(
      (e): e is Container => e.type === 'Container' && JSON.stringify(e).includes('uplift.accept'),
    );
    const set = upliftBox?.items.find((e): e is ActionSet => e.type === 'ActionSet');
    const [accept, decline] = set?.actions ?? [];
    expect(accept).toMatchObject({
      verb: 'uplift.accept',
      data: {
        opportunityId: '4:service-overrun:hours',
        contractId: 4,
        reasonInput: 'upliftDeclineReason0',
      },
    });
    const declineCard = (decline as ShowCardAction).card;
    expect(declineCard.body[0]).toMatchObject({
      type: 'Input.Text',
      id: upliftReasonInput(0),
      isRequired: true,
    });
    expect(declineCard.actions?.[0]).toMatchObject({ verb: 'uplift.decline' });
  });

  test('a pending concession opens its approval card (approvers get their buttons there)', () => {
    const card = buildRenewalStageCard(
      renewalStageView({ pendingConcession: { id: 12, discountPct: 8, approverTier: 'cs_lead' } }),
      links,
    );
    expect(cardProblems(card)).toEqual([]);
    const box = card.body.find(
      (e): e is Container => e.type === 'Container' && JSON.stringify(e).includes('Concession 8 %'),
    );
    expect(JSON.stringify(box)).toContain('Concession 8 % waiting for the cs lead');
    expect(box?.items[1]).toMatchObject({
      type: 'ActionSet',
      actions: [{ verb: 'concession.refresh', data: { concessionId: 12 } }],
    });
  });

  test('a banner says what just happened; a closed stage offers no steps and no refresh', () => {
    const card = buildRenewalStageCard(renewalStageView({ status: 'closed' }), links, 'owner', {
      tone: 'success',
      text: 'Checkpoint logged',
    });
    expect(cardProblems(card)).toEqual([]);
    expect(card.body[0]).toMatchObject({ type: 'Container', style: 'good' });
    expect(card.actions?.map((a) => a.type)).toEqual(['Action.OpenUrl']);
    expect(card.refresh).toBeUndefined();
  });

  test('a card queued before owners were recorded still renders, without refresh', () => {
    const old = renewalStageView();
    delete old.ownerAadObjectIds;
    delete old.uplift;
    const card = buildRenewalStageCard(old, links);
    expect(cardProblems(card)).toEqual([]);
    expect(card.refresh).toBeUndefined();
  });
});
