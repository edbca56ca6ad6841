/**
 * The layer rules are a tool's check (`npm run lint:deps`), so this proves the tool fails where it
 * must: small trees of probe files that break one rule each are cruised with the repository's own
 * configuration, in a separate process, as `npm test` runs it.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ESLint } from 'eslint';

const run = promisify(execFile);
const repo = resolve(__dirname, '../..');
const cruiser = join(repo, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

/** The parts of a tree every probe needs, so only the probe's own import can break a rule. */
const BASE: Record<string, string> = {
  'tsconfig.json': JSON.stringify({
    compilerOptions: { module: 'commonjs', moduleResolution: 'node', strict: true },
  }),
  'src/store/db.ts': 'export interface Db { query(sql: string): Promise<unknown[]> }\n',
  'src/api/dto.ts': 'export interface ProjectDto { id: number }\n',
  'src/app/ports/clock.port.ts': 'export interface Clock { now(): Date }\n',
  'src/domain/score.ts': 'export const score = (x: number): number => x * 2;\n',
  'bot/ok.ts': "import { score } from '../src/domain/score';\nexport const s = score(1);\n",
};

async function cruise(files: Record<string, string>): Promise<{ ok: boolean; output: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'layer-probe-'));
  try {
    for (const [path, text] of Object.entries({ ...BASE, ...files })) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), text);
    }
    const args = [cruiser, 'src', 'bot', '--config', join(repo, '.dependency-cruiser.cjs')];
    args.push('--output-type', 'err');
    try {
      const { stdout } = await run(process.execPath, args, { cwd: dir });
      return { ok: true, output: stdout };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      if (typeof failed.code !== 'number') throw error;
      return { ok: false, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('dependency-cruiser layer rules', () => {
  test('a tree that keeps the rules passes', async () => {
    const result = await cruise({});
    expect(result).toEqual({
      ok: true,
      output: expect.stringContaining('no dependency violations'),
    });
  });

  test('fails when bot/ imports src/store', async () => {
    const result = await cruise({
      'bot/probe.ts': "import type { Db } from '../src/store/db';\nexport type X = Db;\n",
    });
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/faces-call-use-cases-only: bot\/probe\.ts → src\/store\/db\.ts/);
  });

  test('fails when src/store imports src/api', async () => {
    const result = await cruise({
      'src/store/probe.ts':
        "import type { ProjectDto } from '../api/dto';\nexport type X = ProjectDto;\n",
    });
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(
      /adapters-implement-ports: src\/store\/probe\.ts → src\/api\/dto\.ts/,
    );
  });

  test('fails on an import cycle', async () => {
    const result = await cruise({
      'src/app/a.ts': "import { b } from './b';\nexport const a = (): number => b() + 1;\n",
      'src/app/b.ts': "import { a } from './a';\nexport const b = (): number => (a ? 1 : 0);\n",
    });
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/no-circular: src\/app\/a\.ts → /);
  });

  test('fails when the domain imports node:crypto or a use case', async () => {
    const result = await cruise({
      'src/domain/hash.ts':
        "import { createHash } from 'node:crypto';\nimport type { Clock } from '../app/ports/clock.port';\n" +
        "export const h = (c: Clock): string => createHash('sha256').update(String(c.now())).digest('hex');\n",
    });
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/domain-is-pure: src\/domain\/hash\.ts → crypto/);
    expect(result.output).toMatch(
      /domain-types-are-pure: src\/domain\/hash\.ts → src\/app\/ports\/clock\.port\.ts/,
    );
  });

  test('fails when a use case imports an adapter', async () => {
    const result = await cruise({
      'src/app/probe.ts': "import type { Db } from '../store/db';\nexport type X = Db;\n",
    });
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(
      /app-depends-on-domain-and-its-ports: src\/app\/probe\.ts → src\/store\/db\.ts/,
    );
  });
});

describe('ESLint rules of the domain and the use cases', () => {
  const eslint = new ESLint({ cwd: repo });

  test.each([
    [
      'reads the wall clock',
      'export const t = (): number => Date.now();\n',
      'no-restricted-syntax',
    ],
    ['makes a date of now', 'export const t = (): Date => new Date();\n', 'no-restricted-syntax'],
    [
      'draws a random number',
      'export const r = (): number => Math.random();\n',
      'no-restricted-syntax',
    ],
    [
      'calls fetch',
      "export const f = (): Promise<unknown> => fetch('http://x');\n",
      'no-restricted-globals',
    ],
    [
      'uses Web Crypto',
      'export const u = (): string => crypto.randomUUID();\n',
      'no-restricted-globals',
    ],
  ])('a domain file that %s is refused', async (_what, code, rule) => {
    const [result] = await eslint.lintText(code, { filePath: join(repo, 'src/domain/probe.ts') });
    expect(result?.messages.map((m) => m.ruleId)).toContain(rule);
  });

  test('a use case that reads the wall clock is refused', async () => {
    const [result] = await eslint.lintText('export const t = (): number => Date.now();\n', {
      filePath: join(repo, 'src/app/probe.ts'),
    });
    expect(result?.messages.map((m) => m.ruleId)).toContain('no-restricted-syntax');
  });

  test('a pure domain file passes', async () => {
    const [result] = await eslint.lintText('export const f = (x: number): number => x + 1;\n', {
      filePath: join(repo, 'src/domain/probe.ts'),
    });
    expect(result?.messages).toEqual([]);
  });
});
