import { commentAction } from './card-kit';

describe('commentAction', () => {
  test('opens a required comment box whose send button carries the verb and data', () => {
    const action = commentAction({
      title: 'Reject',
      verb: 'concession.reject',
      data: { concessionId: 5, version: 2 },
      inputId: 'concessionRejectComment',
      label: 'Why is the concession rejected?',
      style: 'destructive',
    });

    expect(action).toEqual({
      type: 'Action.ShowCard',
      title: 'Reject',
      card: {
        type: 'AdaptiveCard',
        body: [
          {
            type: 'Input.Text',
            id: 'concessionRejectComment',
            label: 'Why is the concession rejected?',
            isMultiline: true,
            maxLength: 1000,
            isRequired: true,
            errorMessage: 'A comment is required',
          },
        ],
        actions: [
          {
            type: 'Action.Execute',
            title: 'Reject',
            verb: 'concession.reject',
            data: { concessionId: 5, version: 2 },
            style: 'destructive',
            fallback: {
              type: 'Action.Submit',
              title: 'Reject',
              data: { concessionId: 5, version: 2, verb: 'concession.reject' },
              style: 'destructive',
            },
          },
        ],
      },
    });
  });

  test('leaves the send button unstyled when no style is given', () => {
    const action = commentAction({
      title: 'Request changes',
      verb: 'gate.requestChanges',
      data: { gateId: 'g-1', packVersion: 3 },
      inputId: 'gateChangesComment',
      label: 'What must change?',
    });

    expect(action.card.actions).toEqual([
      {
        type: 'Action.Execute',
        title: 'Request changes',
        verb: 'gate.requestChanges',
        data: { gateId: 'g-1', packVersion: 3 },
        fallback: {
          type: 'Action.Submit',
          title: 'Request changes',
          data: { gateId: 'g-1', packVersion: 3, verb: 'gate.requestChanges' },
        },
      },
    ]);
  });
});
