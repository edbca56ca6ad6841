import { execFile } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import JSZip from 'jszip';
import { ACTIVITY_TYPES } from './domain/notifications/personal-notices';
import {
  activityTypeProblems,
  buildAppPackage,
  checkIcons,
  officialSchemaPath,
  PackagingError,
} from './app-package/app-package';
import { makeIcons } from './app-package/make-icons';
import { encodePng, readPng } from './app-package/png';
import { ConfigError, loadPackagingConfig } from './config';

const root = path.resolve(__dirname, '..');
const manifestDir = path.join(root, 'manifest');

const realValues = {
  TEAMS_APP_ID: '6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f',
  BOT_ID: '0b1c2d3e-4f50-4a6b-9c7d-8e9f0a1b2c3d',
  TAB_DOMAIN: 'tower.example.com',
  AAD_APP_CLIENT_ID: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
};

/** The official schema, compiled here independently of the code under test. */
function officialValidator(version: string) {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(officialSchemaPath(version), 'utf8')));
}

async function tempDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'app-package-'));
}

async function openZip(zipPath: string) {
  const zip = await JSZip.loadAsync(await fs.readFile(zipPath));
  const manifest = JSON.parse(await zip.file('manifest.json')!.async('string')) as Record<
    string,
    any // eslint-disable-line @typescript-eslint/no-explicit-any -- test reads arbitrary manifest JSON
  >;
  return { zip, manifest };
}

describe('Teams app package', () => {
  test('packages the real values into a zip whose manifest passes the official schema', async () => {
    const outDir = await tempDir();
    try {
      const values = loadPackagingConfig(realValues);

      const result = await buildAppPackage({ manifestDir, outDir, values });

      expect(result.zipPath).toBe(path.join(outDir, 'control-tower.zip'));
      const { zip, manifest } = await openZip(result.zipPath);
      expect(Object.keys(zip.files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
      const validate = officialValidator(manifest.manifestVersion);
      expect(validate.errors ?? []).toEqual([]);
      expect(validate(manifest)).toBe(true);
      expect(Number(manifest.manifestVersion.split('.')[1])).toBeGreaterThanOrEqual(19);
      expect(JSON.stringify(manifest)).not.toContain('${{');

      expect(manifest.id).toBe(realValues.TEAMS_APP_ID);
      const [bot] = manifest.bots;
      expect(bot.botId).toBe(realValues.BOT_ID);
      expect(bot.scopes).toEqual(['personal', 'team', 'groupChat']);
      expect(bot.supportsFiles).toBe(false);
      const commands = bot.commandLists.flatMap((list: { commands: { title: string }[] }) =>
        list.commands.map((c) => c.title),
      );
      expect(commands).toEqual([
        '/health',
        '/renewals',
        '/gates',
        '/report',
        '/subscribe',
        '/help',
      ]);
      expect(
        bot.commandLists[0].commands.every(
          (c: { description: string }) => c.description.length > 10,
        ),
      ).toBe(true);

      expect(manifest.staticTabs[0]).toMatchObject({
        entityId: 'portfolio',
        contentUrl: 'https://tower.example.com/?inTeams=1',
        scopes: ['personal'],
      });
      expect(manifest.configurableTabs).toEqual([
        {
          configurationUrl: 'https://tower.example.com/config',
          canUpdateConfiguration: true,
          scopes: ['team', 'groupChat'],
        },
      ]);
      expect(manifest.webApplicationInfo).toEqual({
        id: realValues.AAD_APP_CLIENT_ID,
        resource: `api://tower.example.com/${realValues.AAD_APP_CLIENT_ID}`,
      });
      expect(manifest.validDomains).toEqual(['tower.example.com']);
      expect(
        manifest.activities.activityTypes.map((t: { type: string; templateText: string }) => [
          t.type,
          t.templateText,
        ]),
      ).toEqual(Object.entries(ACTIVITY_TYPES).map(([type, t]) => [type, t.templateText]));
      expect(manifest.authorization.permissions.resourceSpecific).toEqual([
        { name: 'TeamsActivity.Send.User', type: 'Application' },
      ]);

      const color = readPng(await zip.file('color.png')!.async('nodebuffer'));
      const outline = readPng(await zip.file('outline.png')!.async('nodebuffer'));
      expect([color.width, color.height, outline.width, outline.height]).toEqual([
        192, 192, 32, 32,
      ]);
      expect(outline.hasAlpha).toBe(true);
    } finally {
      await fs.rm(outDir, { recursive: true, force: true });
    }
  });

  test('a fresh clone with nothing configured packages with clearly fake local values', async () => {
    const outDir = await tempDir();
    try {
      const values = loadPackagingConfig({});
      expect(values.fake).toBe(true);

      const { manifest } = await openZip(
        (await buildAppPackage({ manifestDir, outDir, values })).zipPath,
      );

      expect(manifest.id).toMatch(/^00000000-0000-0000-0000-/);
      expect(manifest.validDomains).toEqual(['localhost:3978']);
      expect(officialValidator(manifest.manifestVersion)(manifest)).toBe(true);
    } finally {
      await fs.rm(outDir, { recursive: true, force: true });
    }
  });

  test('a manifest with placeholders left unfilled is refused with each one listed', async () => {
    const dir = await tempDir();
    try {
      const template = await fs.readFile(path.join(manifestDir, 'manifest.json'), 'utf8');
      await fs.writeFile(
        path.join(dir, 'manifest.json'),
        template
          .replace('"version": "1.0.0"', '"version": "${{APP_VERSION}}"')
          .replace('Control Tower: project', '${{APP_NAME}} ${{APP_VERSION}}: project'),
      );

      const attempt = buildAppPackage({
        manifestDir: dir,
        outDir: path.join(dir, 'out'),
        values: loadPackagingConfig(realValues),
      });

      await expect(attempt).rejects.toBeInstanceOf(PackagingError);
      const error = (await attempt.catch((e: unknown) => e)) as PackagingError;
      expect(error.problems).toEqual([
        expect.stringMatching(/^\$\{\{APP_VERSION\}\} \(line \d+, \d+\) has no value$/),
        expect.stringMatching(/^\$\{\{APP_NAME\}\} \(line \d+\) has no value$/),
      ]);
      await expect(fs.stat(path.join(dir, 'out'))).rejects.toThrow(/ENOENT/);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  test('a manifest the official schema rejects, or bad icons, are refused with every problem', async () => {
    const dir = await tempDir();
    try {
      const template = JSON.parse(
        await fs.readFile(path.join(manifestDir, 'manifest.json'), 'utf8'),
      ) as Record<string, unknown>;
      delete template.developer;
      template.accentColor = 'blue';
      await fs.writeFile(path.join(dir, 'manifest.json'), JSON.stringify(template));
      const red = { width: 32, height: 32, pixels: Buffer.alloc(32 * 32 * 4, 0xff) };
      red.pixels.writeUInt8(0, 1); // one pixel with no green: not white
      await fs.writeFile(path.join(dir, 'outline.png'), encodePng(red));
      await fs.writeFile(path.join(dir, 'color.png'), makeIcons().outline); // 32×32, not 192×192

      const error = (await buildAppPackage({
        manifestDir: dir,
        outDir: path.join(dir, 'out'),
        values: loadPackagingConfig(realValues),
      }).catch((e: unknown) => e)) as PackagingError;

      expect(error).toBeInstanceOf(PackagingError);
      expect(error.problems).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^manifest \(root\): must have required property 'developer'/),
          expect.stringMatching(/^manifest \/accentColor: must match pattern/),
          'color icon: must be 192×192, is 32×32',
          'outline icon: 1 pixels are not white',
          'outline icon: has no transparent pixels',
        ]),
      );
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  test('the manifest must declare exactly the activity types the app sends, with their template texts', () => {
    const declared = Object.entries(ACTIVITY_TYPES).map(([type, t]) => ({
      type,
      description: t.description,
      templateText: t.templateText,
    }));

    expect(activityTypeProblems({ activities: { activityTypes: declared } })).toEqual([]);
    expect(
      activityTypeProblems({
        activities: {
          activityTypes: [
            ...declared.filter((t) => t.type !== 'gateApproval'),
            { type: 'gossip', description: 'x', templateText: 'x' },
          ].map((t) => (t.type === 'dailyDigest' ? { ...t, templateText: '{count} items' } : t)),
        },
      }),
    ).toEqual([
      'manifest activities: activity type gateApproval is not declared',
      "manifest activities: dailyDigest template text differs from the app's",
      'manifest activities: gossip is never sent',
    ]);
  });

  test('an outline icon without an alpha channel is refused', () => {
    const white = { width: 32, height: 32, pixels: Buffer.alloc(32 * 32 * 4, 0xff) };
    const rgb = encodePng(white, { alpha: false });
    expect(readPng(rgb)).toMatchObject({ colorType: 2, hasAlpha: false, width: 32 });
    expect(checkIcons(makeIcons().color, rgb)).toContain(
      'outline icon: must have a transparent background (no alpha channel)',
    );
  });

  test('the committed icons are exactly what the icon script draws', async () => {
    const icons = makeIcons();
    expect((await fs.readFile(path.join(manifestDir, 'color.png'))).equals(icons.color)).toBe(true);
    expect((await fs.readFile(path.join(manifestDir, 'outline.png'))).equals(icons.outline)).toBe(
      true,
    );
    expect(checkIcons(icons.color, icons.outline)).toEqual([]);
  });

  test('packaging values: once one is set every one is required, each problem listed', () => {
    let caught: unknown;
    try {
      loadPackagingConfig({ TEAMS_APP_ID: 'not-a-guid', TAB_DOMAIN: 'https://tower.example.com/' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).problems).toEqual([
      'TEAMS_APP_ID: must be a GUID',
      'TAB_DOMAIN: must be a host name with an optional port, no scheme or path',
      'BOT_ID: required to package the app',
      'AAD_APP_CLIENT_ID: required to package the app',
    ]);
    expect(
      loadPackagingConfig({ ...realValues, TAB_ENDPOINT: 'https://tower.example.com:8443' }),
    ).toMatchObject({ tabEndpoint: 'https://tower.example.com:8443', fake: false });
  });

  test('npm run package exits non-zero and lists the problems when the values are incomplete', async () => {
    const run = promisify(execFile);
    const result = await run(
      process.execPath,
      [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'src/package-app.ts'],
      { cwd: root, env: { PATH: process.env.PATH, TEAMS_APP_ID: realValues.TEAMS_APP_ID } },
    ).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('BOT_ID: required to package the app');
    expect(result.stderr).toContain('TAB_DOMAIN: required to package the app');
    expect(result.stderr).toContain('AAD_APP_CLIENT_ID: required to package the app');
  });
});
