import fc from 'fast-check';
import { jsonBuffer, jsonBytes } from './json-bytes';

/** Any UTF-16 code units: controls, quotes, backslashes, lone and paired surrogates. */
const codeUnits = fc.string({
  unit: fc.oneof(
    fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
    fc.constantFrom('"', '\\', '\n', '\t', '\u0001', ' ', '\u00a0', '😀', 'é', '•', '≥', '—'),
  ),
  maxLength: 20,
});

/** What a card or a JSON body can hold, and what JSON.stringify skips or turns into null. */
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    codeUnits,
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.constant(() => 1),
    fc.constant(Symbol('s')),
    fc.date({ noInvalidDate: true }),
    fc.constant({ toJSON: () => undefined }),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(codeUnits, tie('value'), { maxKeys: 5 }),
  ),
})).value;

describe('JSON as UTF-8 without the JSON string', () => {
  test('jsonBytes is the UTF-8 length of JSON.stringify', () => {
    fc.assert(
      fc.property(fc.oneof(fc.array(json), fc.dictionary(codeUnits, json)), (value) => {
        expect(jsonBytes(value)).toBe(Buffer.byteLength(JSON.stringify(value), 'utf8'));
      }),
      { numRuns: 3000 },
    );
  });

  test('jsonBuffer holds the UTF-8 bytes of JSON.stringify, or null where it gives none', () => {
    fc.assert(
      fc.property(json, (value) => {
        const text = JSON.stringify(value) as string | undefined;
        const buffer = jsonBuffer(value);
        if (text === undefined) expect(buffer).toBeNull();
        else expect(buffer?.equals(Buffer.from(text, 'utf8'))).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  test('a BigInt is refused, as JSON.stringify refuses it', () => {
    expect(() => JSON.stringify({ a: [1n] })).toThrow(TypeError);
    expect(() => jsonBuffer({ a: [1n] })).toThrow(TypeError);
  });

  test('an adaptive card with text past Latin-1 comes out as JSON.stringify writes it', () => {
    const card = {
      type: 'AdaptiveCard',
      version: '1.5',
      body: [
        { type: 'TextBlock', text: '• Budget ≥ 90 % — "burn" at 1.2×', wrap: true },
        { type: 'FactSet', facts: [{ title: 'Due', value: new Date(Date.UTC(2026, 11, 6)) }] },
      ],
      actions: [{ type: 'Action.Execute', verb: 'gate.approve', data: { gateId: 'g-1', v: 3 } }],
    };
    expect(jsonBuffer(card)!.toString('utf8')).toBe(JSON.stringify(card));
  });
});
