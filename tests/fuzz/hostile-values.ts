/**
 * Hostile values for the fuzz suites: NUL and bidi overrides, huge / negative / float / 1e20 / 1e308
 * numbers, integers beyond bigint, wrong types, objects for strings, deep nesting, broken dates and
 * months, unsafe link schemes, long strings. Everything is JSON-serialisable.
 */
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Strings an attacker or a careless client would send. */
export const HOSTILE_STRINGS: readonly string[] = [
  '',
  ' ',
  'a\u0000b',
  '\u0000',
  'evil\u202Etxt.exe',
  '\u2066x\u2069',
  'x'.repeat(5000),
  'y'.repeat(70_000),
  '9999-12',
  '0000-00',
  '2026-13',
  '2026-02-30',
  '2026-02-31T25:61:00Z',
  '99999-01-01',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'file:///etc/passwd',
  'ms-word:ofe|u|https://evil.example/x.docx',
  'https://ok.example/evidence',
  'http://insecure.example/x',
  '../../etc/passwd',
  '/etc/passwd',
  '99999999999999999999999',
  '9223372036854775808',
  '-1',
  '0',
  '1.5',
  '1e20',
  '1e308',
  'NaN',
  'Infinity',
  '%00',
  '%',
  '\r\nSet-Cookie: x=1',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '😀'.repeat(100),
  'approve',
  'reject',
  'red',
  'admin',
];

/** Numbers outside every sane range, plus a few ordinary ones. */
export const HOSTILE_NUMBERS: readonly number[] = [
  0,
  -0,
  -1,
  1,
  2,
  1.5,
  -2.5,
  1e20,
  -1e20,
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 2,
  2 ** 63,
  Number.MIN_VALUE,
];

/** Any hostile scalar. */
export const hostileScalar: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_NUMBERS) },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 1, arbitrary: fc.integer() },
);

/** JSON nested `depth` levels deep. */
export function deeplyNested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i += 1) value = i % 2 === 0 ? { a: value } : [value];
  return value;
}

/** Any hostile value: a scalar, an object or array in a string's place, or deep nesting. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: hostileScalar },
  { weight: 1, arbitrary: fc.array(hostileScalar, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('a', 'url', 'id'), hostileScalar) },
  { weight: 1, arbitrary: fc.constantFrom(deeplyNested(200), deeplyNested(2000), {}, []) },
);

/** Values for an array field: arrays of hostile objects, or not an array at all. */
function hostileFor(keys: readonly string[]): fc.Arbitrary<unknown> {
  const obj = fc.dictionary(fc.constantFrom(...keys), hostileValue, { maxKeys: 6 });
  return fc.oneof(
    { weight: 3, arbitrary: hostileValue },
    { weight: 2, arbitrary: fc.array(obj, { maxLength: 3 }) },
    { weight: 1, arbitrary: obj },
  );
}

/** A JSON body built from the given field names with hostile values, or a hostile value outright. */
export function hostileBody(keys: readonly string[]): fc.Arbitrary<unknown> {
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc.dictionary(fc.constantFrom(...keys), hostileFor(keys), { maxKeys: 8 }),
    },
    { weight: 1, arbitrary: hostileValue },
  );
}

/** One route as its source declares it. */
export interface DeclaredRoute {
  method: 'get' | 'post' | 'put' | 'del';
  path: string;
  file: string;
  /** Whether the route's handler reads its query string (its source mentions `query`). */
  readsQuery: boolean;
}

/**
 * Every tab API route, read from the route modules' source (`src/api/*-routes.ts`), so a route
 * added later is fuzzed without anyone listing it here.
 */
export function declaredRoutes(root: string): DeclaredRoute[] {
  const dir = join(root, 'src/api');
  const routes: DeclaredRoute[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('-routes.ts'))) {
    const source = readFileSync(join(dir, file), 'utf8');
    const pattern = /method: '(get|post|put|del)',\s*path: '([^']+)'/g;
    const matches = [...source.matchAll(pattern)];
    matches.forEach((match, i) => {
      // The route's declaration runs up to the next one's.
      const declaration = source.slice(match.index, matches[i + 1]?.index ?? source.length);
      routes.push({
        method: match[1] as DeclaredRoute['method'],
        path: match[2]!,
        file,
        readsQuery: /\bquery\b/.test(declaration),
      });
    });
  }
  return routes;
}

/**
 * Field names of the request bodies and queries: every key of every `z.object({...})` in the route
 * modules (so the generated bodies reach the handlers' checks, not just the type check).
 */
export function declaredFieldNames(root: string): string[] {
  const dir = join(root, 'src/api');
  const names = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('-routes.ts'))) {
    const source = readFileSync(join(dir, file), 'utf8');
    for (const match of source.matchAll(
      /\b([a-zA-Z]+): (?:z\.|id\b|text\(|safeText\(|httpsUrl\b|record[a-zA-Z]*\b|calendarDay\b|yearMonth\b)/g,
    )) {
      names.add(match[1]!);
    }
  }
  return [...names].sort();
}
