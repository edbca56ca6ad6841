/**
 * `npm run build`: the production build in `dist/`, run with `node dist/main.js`:
 *   dist/src, dist/bot         the server compiled by tsc (tsconfig.build.json; dev-only tools left out)
 *   dist/src/store/migrations  the SQL migrations, where the compiled `migrate.js` looks for them
 *   dist/tab                   the built tab (tab/build.ts), where the server looks for it
 *   dist/main.js               the entry point
 * The deploy artefact is this folder plus package.json, package-lock.json and production
 * node_modules (infra/build-artifact.sh).
 */
import { spawn } from 'node:child_process';
import { cp, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildTab } from '../tab/build';

/** The repository root (this file is src/build-dist.ts, run by tsx). */
const ROOT = path.resolve(__dirname, '..');

/** What a build produced. */
export interface DistBuild {
  outDir: string;
  migrations: string[];
  tabScript: string;
  ms: number;
}

/** Builds the server, its migrations and the tab into `outDir` (default `dist/`), replacing it. */
export async function buildDist(outDir = path.join(ROOT, 'dist')): Promise<DistBuild> {
  const started = Date.now();
  await rm(outDir, { recursive: true, force: true });
  await run(process.execPath, [
    require.resolve('typescript/bin/tsc'),
    ...['-p', path.join(ROOT, 'tsconfig.build.json'), '--outDir', outDir],
  ]);
  const migrationsFrom = path.join(ROOT, 'src', 'store', 'migrations');
  await cp(migrationsFrom, path.join(outDir, 'src', 'store', 'migrations'), { recursive: true });
  const tab = await buildTab({ outDir: path.join(outDir, 'tab') });
  await writeFile(
    path.join(outDir, 'main.js'),
    "'use strict';\n// Entry point of the compiled server (written by `npm run build`).\n" +
      "require('./src/main.js').runServer();\n",
  );
  return {
    outDir,
    migrations: (await readdir(migrationsFrom)).filter((f) => f.endsWith('.sql')).sort(),
    tabScript: tab.script,
    ms: Date.now() - started,
  };
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0
        ? resolve()
        : reject(new Error(`${path.basename(args[0] ?? command)} failed (${signal ?? code})`)),
    );
  });
}

if (require.main === module) {
  buildDist().then(
    (built) => {
      process.stdout.write(
        `built ${path.relative(process.cwd(), built.outDir)}/ in ${(built.ms / 1000).toFixed(1)} s: ` +
          `server, ${built.migrations.length} migrations, tab (${built.tabScript}); run: node dist/main.js\n`,
      );
    },
    (error: unknown) => {
      process.stderr.write(
        `build failed: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
