/**
 * `npm run build:artifact -- [out dir]`: the folder the App Service runs, built the way CI builds it
 * (.github/workflows/deploy.yml), on Linux, whatever the admin's machine:
 *   dist/                         `npm run build` (server, migrations, tab, dist/main.js)
 *   package.json                  its scripts reduced to `start: node dist/main.js`
 *   package-lock.json, .npmrc
 *   node_modules/                 `npm ci --omit=dev`: production packages only, this platform's binaries
 * It then checks the result: no devDependency installed, no TypeScript source outside node_modules.
 */
import { spawn } from 'node:child_process';
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildDist } from './build-dist';

const ROOT = path.resolve(__dirname, '..');

/** Builds the artefact into `outDir` (replacing it) and returns what is wrong with it (nothing, normally). */
export async function buildArtifact(outDir: string): Promise<string[]> {
  // npm ci installs this machine's binaries (restify's optional dtrace-provider compiles natively):
  // an artefact built on Windows or macOS would carry the wrong ones to the Linux App Service.
  if (process.platform !== 'linux') {
    throw new Error(
      `the App Service runs Linux, this is ${process.platform}: build the artefact on Linux ` +
        '(the GitHub Actions workflow .github/workflows/deploy.yml, a Linux machine, or WSL)',
    );
  }
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  await buildDist(path.join(outDir, 'dist'));
  const manifest = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  // App Service runs `npm start` unless told otherwise: in the artefact that is the compiled server.
  manifest.scripts = { start: 'node --max-old-space-size=320 dist/main.js' };
  await writeFile(path.join(outDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await copyFile(path.join(ROOT, 'package-lock.json'), path.join(outDir, 'package-lock.json'));
  await copyFile(path.join(ROOT, '.npmrc'), path.join(outDir, '.npmrc'));
  await run('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund'], outDir);
  return artifactProblems(outDir);
}

/**
 * What would make `dir` a wrong deploy artefact: a devDependency (direct or only reachable through
 * one, as the lockfile marks it) in node_modules, a TypeScript file outside node_modules, or a
 * missing part.
 */
export async function artifactProblems(dir: string): Promise<string[]> {
  const problems: string[] = [];
  for (const part of ['dist/main.js', 'dist/src/main.js', 'dist/tab/index.html', 'package.json']) {
    if (!(await exists(path.join(dir, part)))) problems.push(`missing ${part}`);
  }
  const lock = JSON.parse(await readFile(path.join(dir, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean; devOptional?: boolean }>;
  };
  for (const [where, entry] of Object.entries(lock.packages)) {
    if (where === '' || !entry.dev) continue;
    if (await exists(path.join(dir, where))) problems.push(`devDependency installed: ${where}`);
  }
  for (const file of await readdir(dir, { recursive: true })) {
    const relative = file.split(path.sep).join('/');
    if (relative.startsWith('node_modules/')) continue;
    if (/\.(ts|tsx|mts|cts)$/.test(relative))
      problems.push(`TypeScript source shipped: ${relative}`);
  }
  return problems;
}

async function exists(file: string): Promise<boolean> {
  return readFile(file).then(
    () => true,
    (error: NodeJS.ErrnoException) => error.code === 'EISDIR',
  );
}

function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')}: ${signal ?? code}`)),
    );
  });
}

if (require.main === module) {
  const outDir = path.resolve(process.argv[2] ?? path.join(ROOT, 'build', 'artifact'));
  buildArtifact(outDir).then(
    (problems) => {
      if (problems.length > 0) {
        process.stderr.write(
          `deploy artefact ${outDir} is wrong:\n  - ${problems.join('\n  - ')}\n`,
        );
        process.exit(1);
      }
      process.stdout.write(
        `deploy artefact ready: ${outDir} (no devDependency, no TypeScript source); ` +
          `zip its contents for the App Service, which runs npm start (node dist/main.js)\n`,
      );
    },
    (error: unknown) => {
      process.stderr.write(
        `artefact build failed: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
