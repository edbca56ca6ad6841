/**
 * `npm run replay` as an MSP evaluating us would run it first (SPEC §6): only the three HaloPSA
 * settings in the environment, against a HaloPSA in another process (the simulator's CLI with hosted
 * HaloPSA's habits: 100-row pages, discovered auth, 20 s tokens, random 429s, loosely spelled ids).
 * The engine lines equal those of the replay over the embedded simulator (default profile) of the
 * same seed.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { loadReplayConfig } from '../../src/config';
import { runReplay } from '../../src/replay/run-replay';

const ROOT = path.resolve(__dirname, '../..');
const FROM = '2026-10-01';
const TO = '2026-12-02';

function run(
  args: string[],
  env: Record<string, string>,
): {
  lines: Promise<string[]>;
  firstLine: Promise<string>;
  kill: () => void;
  code: Promise<number>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, env });
  const lines: string[] = [];
  const errors: string[] = [];
  let first: (line: string) => void = () => undefined;
  const firstLine = new Promise<string>((resolve) => (first = resolve));
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (lines.length === 0) first(line);
    lines.push(line);
  });
  createInterface({ input: child.stderr }).on('line', (line) => errors.push(line));
  const code = new Promise<number>((resolve) => child.once('exit', (c) => resolve(c ?? -1)));
  return {
    lines: code.then((c) => {
      if (c !== 0) throw new Error(`${args[0]} exited ${c}: ${errors.join('\n')}`);
      return lines;
    }),
    firstLine,
    kill: () => child.kill('SIGTERM'),
    code,
  };
}

describe('npm run replay against a HaloPSA in another process', () => {
  test("with only HALO_URL, HALO_CLIENT_ID and HALO_CLIENT_SECRET it prints the embedded run's engine lines", async () => {
    const simulator = run(
      [
        'src/halo/simulator/cli.ts',
        '--profile',
        'demo',
        '--seed',
        '42',
        '--as-of',
        TO,
        '--port',
        '0',
      ],
      { PATH: process.env.PATH ?? '' },
    );
    try {
      const { url } = JSON.parse(await simulator.firstLine) as { url: string };
      const external = await run(['src/replay/replay-cli.ts', '--from', FROM, '--to', TO], {
        PATH: process.env.PATH ?? '',
        HALO_URL: url,
        HALO_CLIENT_ID: 'demo',
        HALO_CLIENT_SECRET: 'demo',
      }).lines;

      const embedded: string[] = [];
      await runReplay({
        config: loadReplayConfig({}),
        from: FROM,
        to: TO,
        seed: 42,
        datasetAsOf: TO,
        write: (line) => embedded.push(JSON.stringify(line)),
      });
      const engineLines = (lines: string[]) => lines.filter((l) => !l.includes('"kind":"summary"'));
      expect(engineLines(external).length).toBeGreaterThan(5);
      expect(engineLines(external)).toEqual(engineLines(embedded));
      const summary = JSON.parse(external.at(-1)!) as { source: string };
      expect(summary.source).toBe('halopsa');
    } finally {
      simulator.kill();
      await simulator.code;
    }
  }, 180_000);
});
