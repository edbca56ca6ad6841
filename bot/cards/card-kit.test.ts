import fc from 'fast-check';
import { clip, commentAction, jsonBytes, plain } from './card-kit';

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

describe('measuring and cleaning card text without building strings', () => {
  /** Any UTF-16 code units: controls, quotes, backslashes, lone and paired surrogates. */
  const codeUnits = fc.string({
    unit: fc.oneof(
      fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
      fc.constantFrom('"', '\\', '\n', '\t', '\u0001', ' ', '\u00a0', '😀', 'é', '*', '-'),
    ),
    maxLength: 20,
  });
  const json = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      codeUnits,
      fc.double(),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
      fc.date({ noInvalidDate: true }),
      fc.array(tie('value'), { maxLength: 5 }),
      fc.dictionary(codeUnits, tie('value'), { maxKeys: 5 }),
    ),
  })).value;

  test('jsonBytes is the UTF-8 length of JSON.stringify', () => {
    fc.assert(
      fc.property(fc.oneof(fc.array(json), fc.dictionary(codeUnits, json)), (value) => {
        expect(jsonBytes(value)).toBe(Buffer.byteLength(JSON.stringify(value), 'utf8'));
      }),
      { numRuns: 3000 },
    );
  });

  test('clip and plain give what the plain replacements give', () => {
    const clipped = (text: string, max: number) => {
      const clean = text.replace(/\s+/g, ' ').trim();
      if (clean.length <= max) return clean;
      return `${clean.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
    };
    fc.assert(
      fc.property(codeUnits, fc.integer({ min: 0, max: 25 }), (text, max) => {
        expect(clip(text, max)).toBe(clipped(text, max));
        expect(plain(text)).toBe(text.replace(/([\\*_[\]()#`>~-])/g, '\\$1'));
      }),
      { numRuns: 5000 },
    );
  });
});
