/**
 * Builds the Teams tab (`tab/src`) into `dist/tab`: one minified JavaScript file with a content hash in
 * its name (Fluent UI styles are CSS-in-JS, injected at run time) and an `index.html` that loads it.
 * `npm run build:tab` runs this file; tests and the benchmark call `buildTab()`.
 */
import { build } from 'esbuild';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

/** Where the tab's sources and built files live. */
export const TAB_SOURCE_DIR = path.resolve(__dirname, 'src');
/**
 * The default output folder the server serves (`src/server/static-tab.ts`): inside `dist/`, beside the
 * compiled server, so the deploy artefact (`dist/`) carries it and `npm start` serves the same place.
 */
export const TAB_DIST_DIR = path.resolve(__dirname, '..', 'dist', 'tab');

/** What a build produced. */
export interface TabBuild {
  outDir: string;
  /** Path of the JavaScript file relative to `outDir` (e.g. `assets/app-5KD3S7QX.js`). */
  script: string;
  /** Its size in bytes, raw and gzipped (level 9, as a CDN or the server would send it). */
  scriptBytes: number;
  scriptGzipBytes: number;
  ms: number;
}

/** Options for `buildTab`. */
export interface TabBuildOptions {
  outDir?: string;
  /** Minify (default true; false only to debug). */
  minify?: boolean;
}

/** Bundles the tab with esbuild and writes `index.html` plus one hashed script. */
export async function buildTab(options: TabBuildOptions = {}): Promise<TabBuild> {
  const started = Date.now();
  const outDir = options.outDir ?? TAB_DIST_DIR;
  const result = await build({
    entryPoints: { app: path.join(TAB_SOURCE_DIR, 'main.tsx') },
    bundle: true,
    minify: options.minify ?? true,
    format: 'iife',
    platform: 'browser',
    target: ['chrome110', 'edge110', 'firefox115', 'safari16'],
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    entryNames: 'assets/[name]-[hash]',
    legalComments: 'none',
    logLevel: 'silent',
    write: false,
    outdir: outDir,
    metafile: false,
  });
  const scriptFile = result.outputFiles.find((f) => f.path.endsWith('.js'));
  if (!scriptFile) throw new Error('esbuild produced no JavaScript for the tab');
  const script = path.relative(outDir, scriptFile.path).split(path.sep).join('/');

  // Write into a fresh folder, then swap it in, so a server reading the old build never sees half of one.
  const staging = `${outDir}.tmp-${process.pid}-${Date.now()}`;
  await mkdir(path.join(staging, 'assets'), { recursive: true });
  for (const file of result.outputFiles) {
    await writeFile(path.join(staging, path.relative(outDir, file.path)), file.contents);
  }
  await writeFile(path.join(staging, 'index.html'), indexHtml(script));
  await rm(outDir, { recursive: true, force: true });
  await rename(staging, outDir);

  return {
    outDir,
    script,
    scriptBytes: scriptFile.contents.byteLength,
    scriptGzipBytes: gzipSync(scriptFile.contents, { level: 9 }).byteLength,
    ms: Date.now() - started,
  };
}

function indexHtml(script: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="color-scheme" content="light dark" />
    <title>Control Tower</title>
    <style>
      html, body { margin: 0; padding: 0; }
      body { font-family: 'Segoe UI', system-ui, -apple-system, sans-serif; }
      #boot { padding: 16px; }
    </style>
  </head>
  <body>
    <div id="root"><p id="boot">Loading Control Tower…</p></div>
    <noscript>Control Tower needs JavaScript.</noscript>
    <script src="/${script}" defer></script>
  </body>
</html>
`;
}

if (require.main === module) {
  buildTab().then(
    (built) => {
      process.stdout.write(
        `tab built in ${built.ms} ms: ${path.relative(process.cwd(), built.outDir)}/${built.script} ` +
          `(${(built.scriptBytes / 1024).toFixed(1)} KB, ${(built.scriptGzipBytes / 1024).toFixed(1)} KB gzipped)\n`,
      );
    },
    (error: unknown) => {
      process.stderr.write(
        `tab build failed: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
