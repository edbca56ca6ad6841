import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { artifactProblems } from '../../src/build-artifact';

/**
 * The artefact check of `npm run build:artifact` (which runs `npm ci --omit=dev` from the registry,
 * ≈ 100 s, so the whole build is a script rather than part of the suite) on folders laid out by hand.
 */
describe('the deploy artefact check', () => {
  let dir: string;
  const lock = {
    name: 'control-tower',
    lockfileVersion: 3,
    packages: {
      '': { dependencies: { pg: '^8' }, devDependencies: { typescript: '5.9' } },
      'node_modules/pg': { version: '8.23.1' },
      'node_modules/typescript': { version: '5.9.3', dev: true },
      'node_modules/@swc/core-linux-x64-gnu': { version: '1.16.18', dev: true, optional: true },
    },
  };

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ct-artifact-'));
    for (const folder of ['dist/src', 'dist/tab', 'node_modules/pg']) {
      await mkdir(path.join(dir, folder), { recursive: true });
    }
    for (const file of [
      'dist/main.js',
      'dist/src/main.js',
      'dist/tab/index.html',
      'package.json',
    ]) {
      await writeFile(path.join(dir, file), '');
    }
    await writeFile(path.join(dir, 'package-lock.json'), JSON.stringify(lock));
    await writeFile(path.join(dir, 'node_modules/pg/index.d.ts'), '');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  test('accepts production packages (their .d.ts included) and compiled JavaScript', async () => {
    expect(await artifactProblems(dir)).toEqual([]);
  });

  test('names a devDependency found in node_modules, however it got there', async () => {
    await mkdir(path.join(dir, 'node_modules/typescript'), { recursive: true });
    await mkdir(path.join(dir, 'node_modules/@swc/core-linux-x64-gnu'), { recursive: true });

    expect(await artifactProblems(dir)).toEqual([
      'devDependency installed: node_modules/typescript',
      'devDependency installed: node_modules/@swc/core-linux-x64-gnu',
    ]);
  });

  test('names TypeScript source outside node_modules and a missing entry point', async () => {
    await writeFile(path.join(dir, 'dist/src/config.ts'), '');
    await rm(path.join(dir, 'dist/main.js'));

    expect(await artifactProblems(dir)).toEqual([
      'missing dist/main.js',
      'TypeScript source shipped: dist/src/config.ts',
    ]);
  });
});
