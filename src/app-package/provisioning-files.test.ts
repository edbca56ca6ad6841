import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config';

// The Bicep cannot be compiled here (no Azure CLI) and the toolkit cannot run: these checks keep
// the provisioning files consistent with each other and with src/config.ts instead.
const root = path.resolve(__dirname, '../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const bicep = read('infra/azure.bicep');
const teamsapp = read('teamsapp.yml');
const teamsappLocal = read('teamsapp.local.yml');

/** `name: 'X'` entries inside the web app's appSettings array, with their value expressions. */
function appSettings(): Map<string, string> {
  const block = /appSettings: \[([\s\S]*?)\n {6}\]/.exec(bicep)?.[1] ?? '';
  const settings = new Map<string, string>();
  for (const match of block.matchAll(/name: '([A-Z_]+)'\s+value: (.+)/g)) {
    settings.set(match[1]!, match[2]!.trim());
  }
  return settings;
}

function bicepParams(): Map<string, { hasDefault: boolean; secure: boolean }> {
  const params = new Map<string, { hasDefault: boolean; secure: boolean }>();
  const lines = bicep.split('\n');
  lines.forEach((line, i) => {
    const match = /^param (\w+) \w+( =)?/.exec(line);
    if (match === null) return;
    params.set(match[1]!, {
      hasDefault: match[2] !== undefined,
      secure: lines[i - 1] === '@secure()',
    });
  });
  return params;
}

function envKeys(file: string): Set<string> {
  return new Set(
    read(file)
      .split('\n')
      .map((line) => /^([A-Z0-9_]+)=/.exec(line)?.[1])
      .filter((key): key is string => key !== undefined),
  );
}

const placeholders = (text: string) =>
  new Set([...text.matchAll(/\$\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g)].map((m) => m[1]!));

describe('provisioning files', () => {
  test('the App Service settings make a complete production configuration', () => {
    const settings = appSettings();
    // A plausible value per variable, as Key Vault would resolve it.
    const sample: Record<string, string> = {
      HALO_URL: 'https://msp.halopsa.com',
      DATABASE_URL: 'postgres://ctadmin:pw@ct-pg.postgres.database.azure.com:5432/controltower',
      ROLE_ASSIGNMENTS: '[]',
      LOG_LEVEL: 'info',
      ALLOWED_TENANT_IDS: '72f988bf-86f1-41af-91ab-2d7cd011db47',
    };
    const env = Object.fromEntries(
      [...settings.keys()]
        .filter((name) => name !== 'SCM_DO_BUILD_DURING_DEPLOYMENT')
        .map((name) => [name, sample[name] ?? `value-of-${name.toLowerCase()}`]),
    );

    const config = loadConfig(env);

    expect(config.mode).toBe('production');
    expect(config.evidence.graph.managedIdentityClientId).not.toBeNull();
  });

  test('secrets reach the app only as Key Vault references', () => {
    const settings = appSettings();
    for (const name of [
      'HALO_CLIENT_SECRET',
      'HALO_WEBHOOK_PASSWORD',
      'BOT_PASSWORD',
      'DATABASE_URL',
    ]) {
      expect([name, settings.get(name)]).toEqual([name, expect.stringMatching(/^kvRef\./)]);
    }
    expect(bicep).toMatch(/enableRbacAuthorization: true/);
    expect(bicep).toMatch(/keyVaultReferenceIdentity: identity\.id/);
  });

  test('the hosting is as the design asks: ≥ 2 Linux instances, Node 20, Always On, HTTPS only, single-tenant bot', () => {
    expect(bicep).toMatch(/@minValue\(2\)\nparam webAppInstanceCount int = 2/);
    expect(bicep).toMatch(/capacity: webAppInstanceCount/);
    expect(bicep).toMatch(/linuxFxVersion: 'NODE\|20-lts'/);
    expect(bicep).toMatch(/alwaysOn: true/);
    expect(bicep).toMatch(/httpsOnly: true/);
    expect(bicep).toMatch(/msaAppType: 'SingleTenant'/);
    expect(bicep).toMatch(/channelName: 'MsTeamsChannel'/);
    expect(bicep).toMatch(/version: '16'/);
    expect(bicep).toMatch(/var databaseName = 'controltower'/);
  });

  test('the parameter file and the Bicep agree: every value declared, every required one given, secrets from SECRET_ variables', () => {
    const params = bicepParams();
    const file = JSON.parse(read('infra/azure.parameters.json')) as {
      parameters: Record<string, { value: string }>;
    };
    for (const [name, { value }] of Object.entries(file.parameters)) {
      expect([name, params.has(name)]).toEqual([name, true]);
      if (params.get(name)!.secure)
        expect([name, value]).toEqual([name, expect.stringMatching(/^\$\{\{SECRET_/)]);
    }
    expect([...params.values()].filter((p) => p.secure)).toHaveLength(4);
    for (const [name, param] of params) {
      if (!param.hasDefault) expect([name, name in file.parameters]).toEqual([name, true]);
    }
  });

  test.each([
    ['teamsapp.yml', teamsapp, 'env/.env.dev'],
    ['teamsapp.local.yml', teamsappLocal, 'env/.env.local'],
  ])('every ${{VAR}} that %s and the files it uses read has a source', (_name, yml, envFile) => {
    const known = envKeys(envFile);
    for (const key of envKeys('env/.env.dev.user.example')) known.add(key);
    for (const match of yml.matchAll(/^\s+\w+: ([A-Z][A-Z0-9_]+)$/gm)) known.add(match[1]!); // writeToEnvironmentFile
    for (const match of yml.matchAll(/set-teamsfx-env ([A-Z_]+)=/g)) known.add(match[1]!);
    for (const match of bicep.matchAll(/^output ([A-Z_]+) /gm)) known.add(match[1]!);
    // Built into the toolkit.
    for (const key of ['TEAMSFX_ENV', 'AZURE_SUBSCRIPTION_ID', 'AZURE_RESOURCE_GROUP_NAME'])
      known.add(key);

    const used = new Set([
      ...placeholders(yml),
      ...placeholders(read('manifest/manifest.json')),
      ...placeholders(read('aad.manifest.json')),
      ...(yml.includes('arm/deploy') ? placeholders(read('infra/azure.parameters.json')) : []),
    ]);
    expect(used.size).toBeGreaterThan(10);
    const missing = [...used].filter((name) => !known.has(name));
    expect(missing).toEqual([]);
  });

  test.each([
    ['teamsapp.yml', teamsapp],
    ['teamsapp.local.yml', teamsappLocal],
  ])('every file %s points at exists', (_name, yml) => {
    const referenced = [
      ...yml.matchAll(/(?:manifestPath|path|parameters|ignoreFile): (\.\/[^\s$]+)/g),
    ].map((m) => m[1]!);
    expect(referenced.length).toBeGreaterThan(2);
    for (const file of referenced)
      expect([file, existsSync(path.join(root, file))]).toEqual([file, true]);
  });

  test('teamsapp.yml has the provision, deploy and publish steps the install relies on', () => {
    const uses = (section: string) =>
      [
        ...(
          new RegExp(`^${section}:\\n([\\s\\S]*?)(?=^\\w|$(?![\\s\\S]))`, 'm').exec(
            teamsapp,
          )?.[1] ?? ''
        ).matchAll(/- uses: (\S+)/g),
      ].map((m) => m[1]);
    expect(uses('provision')).toEqual([
      'teamsApp/create',
      'aadApp/create',
      'aadApp/create',
      'arm/deploy',
      'aadApp/update',
      'teamsApp/validateManifest',
      'teamsApp/zipAppPackage',
      'teamsApp/validateAppPackage',
      'teamsApp/update',
    ]);
    expect(uses('deploy')).toEqual([
      'cli/runNpmCommand',
      'cli/runNpmCommand',
      'azureAppService/zipDeploy',
    ]);
    expect(uses('publish')).toContain('teamsApp/publishAppPackage');
  });

  test('no env file that git keeps holds a secret value', () => {
    for (const file of [
      'env/.env.dev',
      'env/.env.prod',
      'env/.env.local',
      'env/.env.dev.user.example',
    ]) {
      const secrets = read(file)
        .split('\n')
        .filter((line) => /^SECRET_[A-Z_]+=.+/.test(line) || /(PASSWORD|SECRET)=.+/.test(line));
      expect([file, secrets]).toEqual([file, []]);
    }
  });
});
