import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runJsonLineProcess } from './json-line-process';

describe('runJsonLineProcess', () => {
  test('the TypeScript script runs in the child itself, with the Node options it was given', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ct-json-line-'));
    const script = path.join(dir, 'heap-limit.ts');
    writeFileSync(
      script,
      [
        "import { getHeapStatistics } from 'node:v8';",
        'const limitMb: number = getHeapStatistics().heap_size_limit / 1048576;',
        'process.stdout.write(`${JSON.stringify({ limitMb, argv: process.argv.slice(2) })}\\n`);',
      ].join('\n'),
    );
    const { limitMb, argv } = await runJsonLineProcess<{ limitMb: number; argv: string[] }>(
      script,
      ['--flag', 'value'],
      ['--max-old-space-size=96'],
    );
    // The old-space limit plus the young generation: far below the default Node sizes from the host.
    expect(limitMb).toBeGreaterThan(96);
    expect(limitMb).toBeLessThan(200);
    expect(argv).toEqual(['--flag', 'value']);
  }, 60_000);
});
