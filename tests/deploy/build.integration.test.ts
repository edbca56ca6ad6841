import { spawn, type ChildProcess } from 'node:child_process';
import { copyFile, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildDist, type DistBuild } from '../../src/build-dist';

const ROOT = path.resolve(__dirname, '..', '..');

/** Every file under `dir`, relative to it, with `/` separators. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * `npm run build && node dist/main.js` from a clean folder laid out like the deploy artefact
 * (package.json, dist/, node_modules), with no setting but a port and a data folder: demo mode.
 */
describe('the production build', () => {
  let root: string;
  let built: DistBuild;
  let child: ChildProcess | null = null;
  let output = '';

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'ct-build-'));
    await copyFile(path.join(ROOT, 'package.json'), path.join(root, 'package.json'));
    await symlink(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
    built = await buildDist(path.join(root, 'dist'));
  }, 240_000);
  afterAll(async () => {
    if (child?.pid !== undefined && child.exitCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await rm(root, { recursive: true, force: true });
  });

  test('emits the compiled server, every migration and the tab, and no TypeScript or dev-only tool', async () => {
    const files = await filesUnder(built.outDir);

    expect(files).toContain('main.js');
    expect(files).toContain('src/main.js');
    expect(files).toContain('src/store/migrate.js');
    const migrations = files.filter((f) => f.startsWith('src/store/migrations/')).sort();
    expect(migrations).toEqual(built.migrations.map((m) => `src/store/migrations/${m}`));
    expect(migrations.length).toBeGreaterThan(0);
    expect(files).toContain('tab/index.html');
    expect(files).toContain(built.tabScript.replace(/^/, 'tab/'));
    expect(files.filter((f) => f.endsWith('.ts') || f.endsWith('.tsx'))).toEqual([]);
    expect(files.filter((f) => /^src\/(bench|app-package)\/|\.test\.js$/.test(f))).toEqual([]);
  });

  test('node dist/main.js starts in demo mode: /healthz is 200 and / serves the built tab', async () => {
    const port = await freePort();
    child = spawn(process.execPath, [path.join(root, 'dist', 'main.js')], {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        PORT: String(port),
        HALO_SIM_PORT: '0',
        DATA_DIR: path.join(root, '.data'),
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const ready = new Promise<void>((resolve, reject) => {
      child?.stdout?.on('data', () => {
        if (output.includes('Control Tower is ready')) resolve();
      });
      child?.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
    });

    await ready;

    expect(output).toContain('Control Tower is ready (demo mode');
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    const tab = await fetch(`http://127.0.0.1:${port}/`);
    expect(tab.status).toBe(200);
    expect(await tab.text()).toContain(`/${built.tabScript}`);
    expect((await fetch(`http://127.0.0.1:${port}/${built.tabScript}`)).status).toBe(200);
  }, 120_000);
});
