import { deepFreeze, jsonOf } from './deep-freeze';

describe('deepFreeze', () => {
  test('freezes everything a value holds, a value that holds itself included', () => {
    const view: { list: { name: string }[]; self?: unknown } = { list: [{ name: 'a' }] };
    view.self = view;
    expect(deepFreeze(view)).toBe(view);
    expect(Object.isFrozen(view)).toBe(true);
    expect(Object.isFrozen(view.list)).toBe(true);
    expect(Object.isFrozen(view.list[0])).toBe(true);
    expect(() => view.list.push({ name: 'b' })).toThrow(TypeError);
  });

  test('a value frozen only at the top is frozen all the way down', () => {
    const inner = { name: 'a' };
    const outer = Object.freeze({ inner });
    deepFreeze(outer);
    expect(Object.isFrozen(inner)).toBe(true);
  });
});

describe('jsonOf', () => {
  const cases: [string, unknown][] = [
    ['a string', 'text'],
    ['null', null],
    ['a number', 4.5],
    ['an object', { a: 1, b: [1, 'x', null], c: { d: true } }],
    ['an array with holes JSON writes as null', [1, undefined, () => 1, Symbol('s'), 'x']],
    ['an object with undefined fields', { a: undefined, b: 1 }],
    ['a date', { at: new Date('2025-03-14T09:00:00Z') }],
    ['an object with no prototype', Object.assign(Object.create(null), { a: 1, 'b"c': 'd' })],
    ['an object with toJSON', { toJSON: () => ({ replaced: true }), a: 1 }],
    ['nested objects and arrays', { a: { b: [{ c: [1, { d: undefined, e: 'é\n' }] }] } }],
  ];

  test.each(cases)(
    'is JSON.stringify for %s, frozen or not, alone or in an array',
    (_name, value) => {
      expect(jsonOf(value)).toBe(JSON.stringify(value) ?? 'null');
      expect(jsonOf([value, { links: 'x' }])).toBe(JSON.stringify([value, { links: 'x' }]));
      const frozen = deepFreeze(structuredCloneable(value));
      expect(jsonOf(frozen)).toBe(JSON.stringify(frozen) ?? 'null');
      expect(jsonOf([frozen, 'mode'])).toBe(JSON.stringify([frozen, 'mode']));
    },
  );

  test("a frozen value's JSON is worked out once; an unfrozen one's every time", () => {
    let reads = 0;
    const counted = () => ({
      get name() {
        reads += 1;
        return 'n';
      },
    });
    const frozen = deepFreeze({ item: counted() });
    reads = 0; // freezing read it once
    expect(jsonOf([frozen, 1])).toBe('[{"item":{"name":"n"}},1]');
    expect(jsonOf([frozen, 2])).toBe('[{"item":{"name":"n"}},2]');
    expect(reads).toBe(1);
    const open = { item: counted() };
    jsonOf([open]);
    jsonOf([open]);
    expect(reads).toBe(3);
    // An object holding a frozen value (a shared card with a notice on top) costs its own fields'.
    reads = 0;
    expect(jsonOf({ notice: 'n', card: frozen })).toBe(
      '{"notice":"n","card":{"item":{"name":"n"}}}',
    );
    expect(jsonOf({ notice: 'm', card: frozen })).toBe(
      '{"notice":"m","card":{"item":{"name":"n"}}}',
    );
    expect(reads).toBe(0);
  });
});

/** `value` again, as a fresh object where it is one (so freezing it leaves the case table alone). */
function structuredCloneable(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  return Array.isArray(value) ? [...value] : { ...value };
}
