/**
 * The suite's order of test files (tests/support/slow-first-sequencer.js): failed files first, then
 * slowest first — by jest's cached time where it has one, else by the known slow files' seconds, else
 * by file size — so a fresh clone does not start its longest file last.
 */
import type { Test } from '@jest/test-result';
import SlowFirstSequencer from '../support/slow-first-sequencer';

const ROOT = '/repo';
const sizes: Record<string, number> = {
  'tests/unit/big.test.ts': 40_000,
  'tests/unit/small.test.ts': 2_000,
  'tests/e2e/tab.e2e.test.ts': 27_000,
  'tests/fuzz/api-fuzz.integration.test.ts': 14_000,
  'tests/unit/timed.test.ts': 1_000,
};
const context = {
  config: { rootDir: ROOT, cache: false },
  hasteFS: { getSize: (file: string) => sizes[file.slice(ROOT.length + 1)] ?? null },
} as unknown as Test['context'];
const testOf = (file: string): Test => ({ path: `${ROOT}/${file}`, context, duration: undefined });

/** A sequencer whose timing cache holds `cached` ([0 failed | 1 passed, milliseconds] by file). */
function sequencer(cached: Record<string, [number, number]> = {}): SlowFirstSequencer {
  const s = new SlowFirstSequencer({ contexts: [context], globalConfig: {} } as never);
  const cache: Record<string, [number, number]> = {};
  for (const [file, entry] of Object.entries(cached)) cache[`${ROOT}/${file}`] = entry;
  (s as unknown as { _cache: Map<unknown, unknown> })._cache.set(context, cache);
  return s;
}
const order = async (s: SlowFirstSequencer) =>
  (await s.sort(Object.keys(sizes).map(testOf))).map((t) => t.path.slice(ROOT.length + 1));

test('without a timing cache: the known slow files first, then by size', async () => {
  expect(await order(sequencer())).toEqual([
    'tests/e2e/tab.e2e.test.ts',
    'tests/fuzz/api-fuzz.integration.test.ts',
    'tests/unit/big.test.ts',
    'tests/unit/small.test.ts',
    'tests/unit/timed.test.ts',
  ]);
});

test("jest's cached times win over the list, and a failed file runs first", async () => {
  const s = sequencer({
    'tests/unit/timed.test.ts': [1, 500_000],
    'tests/unit/small.test.ts': [0, 10],
    'tests/e2e/tab.e2e.test.ts': [1, 1_000],
  });
  const sorted = await s.sort(Object.keys(sizes).map(testOf));
  expect(sorted.map((t) => t.path.slice(ROOT.length + 1))).toEqual([
    'tests/unit/small.test.ts',
    'tests/unit/timed.test.ts',
    'tests/fuzz/api-fuzz.integration.test.ts',
    'tests/unit/big.test.ts',
    'tests/e2e/tab.e2e.test.ts',
  ]);
  expect(sorted.find((t) => t.path.endsWith('timed.test.ts'))?.duration).toBe(500_000);
});
