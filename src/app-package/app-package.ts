import { ACTIVITY_TYPES } from '../domain/notifications/personal-notices';
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import JSZip from 'jszip';
import type { PackagingConfig } from '../config';
import { readPng } from './png';

/** Why a package was refused: every problem found, in one list. */
export class PackagingError extends Error {
  readonly code = 'PACKAGE_INVALID';
  readonly kind = 'user';
  constructor(
    summary: string,
    readonly problems: string[],
  ) {
    super(`${summary}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'PackagingError';
  }
}

/** Where the package is built from and to. */
export interface AppPackageOptions {
  /** Folder holding manifest.json and its icons. */
  manifestDir: string;
  /** Folder the zip is written to (created if missing). */
  outDir: string;
  values: PackagingConfig;
}

/** The written package. */
export interface AppPackage {
  zipPath: string;
  manifest: Record<string, unknown>;
}

/** The placeholder names the packager fills, from the packaging configuration. */
export function placeholderValues(values: PackagingConfig): Record<string, string> {
  return {
    TEAMS_APP_ID: values.teamsAppId,
    BOT_ID: values.botId,
    TAB_DOMAIN: values.tabDomain,
    TAB_ENDPOINT: values.tabEndpoint,
    AAD_APP_CLIENT_ID: values.aadAppClientId,
  };
}

/** Replaces every `${{NAME}}`; throws PackagingError naming each placeholder left without a value. */
export function fillPlaceholders(template: string, values: Record<string, string>): string {
  const missing = new Map<string, number[]>();
  const filled = template.replace(
    /\$\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g,
    (match, name: string, offset: number) => {
      const value = values[name];
      if (value !== undefined) return JSON.stringify(value).slice(1, -1);
      const line = template.slice(0, offset).split('\n').length;
      missing.set(name, [...(missing.get(name) ?? []), line]);
      return match;
    },
  );
  if (missing.size > 0) {
    throw new PackagingError(
      'The manifest has placeholders without a value',
      [...missing].map(([name, lines]) => `\${{${name}}} (line ${lines.join(', ')}) has no value`),
    );
  }
  return filled;
}

/** The official Teams manifest schema of a manifest version, from @microsoft/app-manifest. */
export function officialSchemaPath(manifestVersion: string): string {
  const root = path.dirname(require.resolve('@microsoft/app-manifest/package.json'));
  return path.join(
    root,
    'build/json-schemas/teams',
    `v${manifestVersion}`,
    'MicrosoftTeams.schema.json',
  );
}

/** Validates a manifest against the official schema of its `manifestVersion`; returns every problem. */
export function validateManifest(manifest: unknown): string[] {
  const version =
    typeof manifest === 'object' && manifest !== null
      ? (manifest as { manifestVersion?: unknown }).manifestVersion
      : undefined;
  if (typeof version !== 'string') return ['manifestVersion: missing'];
  let schema: Record<string, unknown>;
  try {
    schema = JSON.parse(readFileSync(officialSchemaPath(version), 'utf8')) as Record<
      string,
      unknown
    >;
  } catch {
    return [`manifestVersion: no official schema for ${version} in @microsoft/app-manifest`];
  }
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  if (validate(manifest)) return [];
  return (validate.errors ?? []).map((error) => {
    const where = error.instancePath === '' ? '(root)' : error.instancePath;
    const extra =
      error.keyword === 'additionalProperties'
        ? ` (${String((error.params as { additionalProperty?: unknown }).additionalProperty)})`
        : error.keyword === 'enum'
          ? ` (${JSON.stringify((error.params as { allowedValues?: unknown }).allowedValues)})`
          : '';
    return `${where}: ${error.message ?? error.keyword}${extra}`;
  });
}

/**
 * The manifest's `activities.activityTypes` must be exactly the ones the app sends (ACTIVITY_TYPES),
 * with the same template texts: Graph refuses a notification whose type or parameters the installed
 * manifest does not declare.
 */
export function activityTypeProblems(manifest: Record<string, unknown>): string[] {
  const declared = new Map(
    (
      ((manifest.activities ?? {}) as { activityTypes?: unknown }).activityTypes as
        Array<{ type?: unknown; templateText?: unknown }> | undefined
    )?.map((t) => [String(t.type), String(t.templateText)]) ?? [],
  );
  const problems: string[] = [];
  for (const [type, { templateText }] of Object.entries(ACTIVITY_TYPES)) {
    const text = declared.get(type);
    if (text === undefined)
      problems.push(`manifest activities: activity type ${type} is not declared`);
    else if (text !== templateText)
      problems.push(`manifest activities: ${type} template text differs from the app's`);
  }
  for (const type of declared.keys()) {
    if (!(type in ACTIVITY_TYPES)) problems.push(`manifest activities: ${type} is never sent`);
  }
  return problems;
}

/** Checks the icons Teams requires: color 192×192; outline 32×32, white on transparent. */
export function checkIcons(color: Buffer, outline: Buffer): string[] {
  const problems: string[] = [];
  const read = (name: string, bytes: Buffer) => {
    try {
      return readPng(bytes);
    } catch (error) {
      problems.push(`${name}: ${(error as Error).message}`);
      return null;
    }
  };
  const colorPng = read('color icon', color);
  if (colorPng !== null && (colorPng.width !== 192 || colorPng.height !== 192)) {
    problems.push(`color icon: must be 192×192, is ${colorPng.width}×${colorPng.height}`);
  }
  const outlinePng = read('outline icon', outline);
  if (outlinePng !== null) {
    if (outlinePng.width !== 32 || outlinePng.height !== 32) {
      problems.push(`outline icon: must be 32×32, is ${outlinePng.width}×${outlinePng.height}`);
    }
    if (!outlinePng.hasAlpha) {
      problems.push('outline icon: must have a transparent background (no alpha channel)');
    } else if (outlinePng.rgba !== null) {
      const pixels = outlinePng.rgba;
      let coloured = 0;
      let transparent = 0;
      for (let i = 0; i < pixels.length; i += 4) {
        const [r, g, b, a] = [pixels[i]!, pixels[i + 1]!, pixels[i + 2]!, pixels[i + 3]!];
        if (a === 0) transparent += 1;
        else if (r !== 255 || g !== 255 || b !== 255) coloured += 1;
      }
      if (coloured > 0) problems.push(`outline icon: ${coloured} pixels are not white`);
      if (transparent === 0) problems.push('outline icon: has no transparent pixels');
    }
  }
  return problems;
}

// Fixed file dates make the same inputs give the same zip bytes.
const ZIP_DATE = new Date('2026-01-01T00:00:00Z');

/** Fills, validates and zips the app package; throws PackagingError listing every problem. */
export async function buildAppPackage(options: AppPackageOptions): Promise<AppPackage> {
  const template = await fs.readFile(path.join(options.manifestDir, 'manifest.json'), 'utf8');
  const text = fillPlaceholders(template, placeholderValues(options.values));
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new PackagingError('The manifest is not JSON', [(error as Error).message]);
  }
  const problems = validateManifest(manifest).map((p) => `manifest ${p}`);
  problems.push(...activityTypeProblems(manifest));
  const icons = (manifest.icons ?? {}) as { color?: string; outline?: string };
  const iconBytes = async (name: string | undefined) =>
    name === undefined
      ? Buffer.alloc(0)
      : fs.readFile(path.join(options.manifestDir, name)).catch(() => Buffer.alloc(0));
  const color = await iconBytes(icons.color);
  const outline = await iconBytes(icons.outline);
  problems.push(...checkIcons(color, outline));
  if (problems.length > 0) throw new PackagingError('The app package is not valid', problems);

  const zip = new JSZip();
  zip.file('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`, { date: ZIP_DATE });
  zip.file(icons.color!, color, { date: ZIP_DATE });
  zip.file(icons.outline!, outline, { date: ZIP_DATE });
  const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
  await fs.mkdir(options.outDir, { recursive: true });
  const zipPath = path.join(options.outDir, 'control-tower.zip');
  await fs.writeFile(zipPath, bytes);
  return { zipPath, manifest };
}
