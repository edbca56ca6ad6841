import fc from 'fast-check';
import { canonicalJson } from './canonical-json';

/** The definition, written plainly: what audit hashes were computed over before. */
function reference(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${reference(v)}`).join(',')}}`;
}

describe('canonicalJson', () => {
  test('sorts keys at every level, drops undefined fields, keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { y: 2, x: 1 }], c: undefined }, é: 'ü' })).toBe(
      '{"a":{"d":[3,{"x":1,"y":2}]},"b":1,"é":"ü"}',
    );
    expect(canonicalJson([undefined, null, 'x'])).toBe('[null,null,"x"]');
    expect(canonicalJson([1, , 2])).toBe('[1,,2]');
    expect(canonicalJson(new Date('2026-01-01T00:00:00Z'))).toBe('{}');
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson({})).toBe('{}');
    expect(canonicalJson({ a: undefined })).toBe('{}');
  });

  test('gives the same text as the definition for any JSON-like value (hashes stay the same)', () => {
    const values = fc.oneof(
      fc.jsonValue(),
      fc.anything({
        withSparseArray: true,
        withNullPrototype: true,
        withDate: true,
        withUnicodeString: true,
      }),
    );
    fc.assert(
      fc.property(values, (value) => {
        expect(canonicalJson(value)).toBe(reference(value));
      }),
      { numRuns: 2000 },
    );
  });
});
