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

/** `name: 'X'` / `value: …` pairs in a block of Bicep. */
function settingsIn(block: string): Map<string, string> {
  const settings = new Map<string, string>();
  for (const match of block.matchAll(/name: '([A-Za-z_]+)'\s+value: (.+)/g)) {
    settings.set(match[1]!, match[2]!.trim());
  }
  return settings;
}

/** The array a `var <name> = [ … ]` declares. */
function varArray(name: string): string {
  return new RegExp(`^var ${name} = \\[([\\s\\S]*?)\\n\\]`, 'm').exec(bicep)?.[1] ?? '';
}

/** The web app's settings: its own list plus the bot's, for one way of running the bot. */
function appSettings(bot: 'ManagedIdentity' | 'AppRegistration'): Map<string, string> {
  const own =
    /appSettings: concat\(\[([\s\S]*?)\n {6}\], botAppSettings, monitoringAppSettings\)/.exec(
      bicep,
    )?.[1];
  expect(own).toBeDefined();
  const botVar =
    bot === 'ManagedIdentity' ? 'botManagedIdentitySettings' : 'botAppRegistrationSettings';
  return new Map([...settingsIn(own ?? ''), ...settingsIn(varArray(botVar))]);
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
  test.each(['ManagedIdentity', 'AppRegistration'] as const)(
    'the App Service settings make a complete production configuration (bot: %s)',
    (bot) => {
      const settings = appSettings(bot);
      // A plausible value per variable, as Key Vault would resolve it; quoted literals as written.
      const sample: Record<string, string> = {
        HALO_URL: 'https://msp.halopsa.com',
        DATABASE_URL: 'postgres://ct-id@ct-pg.postgres.database.azure.com:5432/controltower',
        ROLE_ASSIGNMENTS: '[]',
        ALLOWED_TENANT_IDS: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      };
      const env = Object.fromEntries(
        [...settings]
          .filter(([name]) => name !== 'SCM_DO_BUILD_DURING_DEPLOYMENT')
          .map(([name, value]) => [
            name,
            sample[name] ?? /^'([^'$]*)'$/.exec(value)?.[1] ?? `value-of-${name.toLowerCase()}`,
          ]),
      );

      const config = loadConfig(env);

      expect(config.mode).toBe('production');
      expect(config.evidence.graph.managedIdentityClientId).not.toBeNull();
      expect(config.database.entraClientId).not.toBeNull();
      expect(config.bot.managedIdentity).toBe(bot === 'ManagedIdentity');
    },
  );

  test('secrets reach the app only as Key Vault references; PostgreSQL and the bot need none', () => {
    const managed = appSettings('ManagedIdentity');
    for (const name of ['HALO_CLIENT_SECRET', 'HALO_WEBHOOK_PASSWORD']) {
      expect([name, managed.get(name)]).toEqual([name, expect.stringMatching(/^kvRef\./)]);
    }
    expect(managed.has('BOT_PASSWORD')).toBe(false);
    expect(managed.get('BOT_MANAGED_IDENTITY')).toBe("'true'");
    expect(appSettings('AppRegistration').get('BOT_PASSWORD')).toMatch(
      /^'@Microsoft\.KeyVault\(SecretUri=\$\{botPasswordValue\.properties\.secretUri\}\)'$/,
    );
    expect(managed.get('DATABASE_AUTH')).toBe("'entra'");
    expect(bicep).toMatch(/^var databaseUrl = 'postgres:\/\/\$\{uriComponent\(identityName\)\}@/m);
    expect(bicep).toMatch(/passwordAuth: 'Disabled'/);
    expect(bicep).not.toMatch(/administratorLoginPassword/);
    expect(bicep).toMatch(/enableRbacAuthorization: true/);
    expect(bicep).toMatch(/keyVaultReferenceIdentity: identity\.id/);
  });

  test('the hosting is as the design asks: ≥ 2 Linux instances, Node 22 running dist/, Always On, HTTPS only, the managed-identity bot', () => {
    expect(bicep).toMatch(/@minValue\(2\)\nparam webAppInstanceCount int = 2/);
    expect(bicep).toMatch(/capacity: webAppInstanceCount/);
    expect(bicep).toMatch(/linuxFxVersion: 'NODE\|22-lts'/);
    expect(bicep).toMatch(/appCommandLine: 'node --max-old-space-size=\d+ dist\/main\.js'/);
    expect(bicep).toMatch(/alwaysOn: true/);
    expect(bicep).toMatch(/httpsOnly: true/);
    expect(bicep).toMatch(
      /msaAppType: botUsesManagedIdentity \? 'UserAssignedMSI' : 'SingleTenant'/,
    );
    expect(bicep).toMatch(/msaAppMSIResourceId: botUsesManagedIdentity \? identity\.id : null/);
    expect(bicep).toMatch(/param botIdentity string = 'ManagedIdentity'/);
    expect(bicep).toMatch(/channelName: 'MsTeamsChannel'/);
    expect(bicep).toMatch(/version: '16'/);
    expect(bicep).toMatch(/var databaseName = 'controltower'/);
  });

  test('the Microsoft 365 tenant is a parameter; only Azure-side resources use the subscription tenant', () => {
    const file = JSON.parse(read('infra/azure.parameters.json')) as {
      parameters: Record<string, { value: string }>;
    };
    expect(file.parameters.m365TenantId?.value).toBe('${{AAD_APP_TENANT_ID}}');
    expect(appSettings('ManagedIdentity').get('ALLOWED_TENANT_IDS')).toBe('m365TenantId');
    expect(appSettings('AppRegistration').get('BOT_TENANT_ID')).toBe('m365TenantId');
    expect(bicep).toMatch(
      /msaAppTenantId: botUsesManagedIdentity \? tenant\(\)\.tenantId : m365TenantId/,
    );
  });

  test('PostgreSQL has no allow-all-Azure rule, the identity is its Entra administrator, Key Vault is uniquely named', () => {
    const allowAllAzure = /IpAddress: '0\.0\.0\.0'/;
    expect(bicep).not.toMatch(allowAllAzure);
    expect(bicep).toMatch(/activeDirectoryAuth: 'Enabled'/);
    expect(bicep).toMatch(/module postgresEntraAdmin 'modules\/postgres-entra-admin\.bicep'/);
    expect(bicep).toMatch(/outboundIpAddresses: webApp\.properties\.possibleOutboundIpAddresses/);
    expect(read('infra/modules/postgres-entra-admin.bicep')).toMatch(
      /principalType: 'ServicePrincipal'/,
    );
    const firewall = read('infra/modules/postgres-firewall.bicep');
    expect(firewall).not.toMatch(allowAllAzure);
    expect(firewall).toMatch(/startIpAddress: trim\(address\)/);
    expect(bicep).toMatch(/^var keyVaultName = 'kv\$\{uniqueString\(/m);
    expect(bicep).toMatch(/^param enableApplicationInsights bool = false$/m);
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
    expect([...params.values()].filter((p) => p.secure)).toHaveLength(3);
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
    expect(teamsapp).toMatch(/args: run build:artifact -- build\/artifact/);
    expect(teamsapp).toMatch(/artifactFolder: build\/artifact/);
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
