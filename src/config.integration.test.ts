import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { ConfigError, loadConfig, loadDatabaseConfig, loadReplayConfig } from './config';

describe('configuration', () => {
  test('no HaloPSA settings means demo mode with working defaults', () => {
    const config = loadConfig({});
    expect(config.mode).toBe('demo');
    expect(config.port).toBe(3978);
    expect(config.halo.simulatorPort).toBe(3980);
    expect(config.halo.clientId).toBe('demo');
    expect(config.halo.budget).toEqual({ requests: 300, windowMs: 300_000 });
    expect(config.database.url).toBeNull();
  });

  test('production mode lists every missing variable in one error', () => {
    let caught: unknown;
    try {
      loadConfig({ HALO_URL: 'https://msp.halopsa.com', PORT: 'eighty' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems;
    for (const name of [
      'PORT',
      'HALO_CLIENT_ID',
      'HALO_CLIENT_SECRET',
      'DATABASE_URL',
      'BOT_ID',
      'BOT_PASSWORD',
      'BOT_TENANT_ID',
      'SHAREPOINT_SITE_ID',
      'GRAPH_CLIENT_ID',
      'GRAPH_CLIENT_SECRET',
      'TAB_SSO_CLIENT_ID',
      'ALLOWED_TENANT_IDS',
    ]) {
      expect(problems.some((p) => p.startsWith(`${name}:`))).toBe(true);
    }
  });

  test.each([
    ['HALO_URL', 'not a url'],
    ['DATABASE_URL', 'mysql://x'],
    ['SYNC_CRON', 'every day'],
    ['HALO_PAGE_SIZE', '5000'],
    ['LOG_LEVEL', 'loud'],
  ])('rejects an invalid %s', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(name));
  });

  test('a complete production environment parses', () => {
    const config = loadConfig({
      HALO_URL: 'https://msp.halopsa.com',
      HALO_CLIENT_ID: 'id',
      HALO_CLIENT_SECRET: 'secret',
      DATABASE_URL: 'postgres://u@db/ct',
      BOT_ID: 'bot',
      BOT_MANAGED_IDENTITY: 'true',
      BOT_TENANT_ID: 'tid',
      SHAREPOINT_SITE_ID: 'site',
      GRAPH_MANAGED_IDENTITY_CLIENT_ID: 'mi-client',
      HALO_WEBHOOK_USER: 'halo',
      HALO_WEBHOOK_PASSWORD: 'pw',
      TAB_SSO_CLIENT_ID: 'tab-client',
      ALLOWED_TENANT_IDS: 'tid, other-tid',
    });
    expect(config.mode).toBe('production');
    expect(config.bot.managedIdentity).toBe(true);
    expect(config.tabAuth.allowedTenantIds).toEqual(['tid', 'other-tid']);
  });

  test('evidence in production uses a Graph app secret with the bot tenant unless a managed identity is set', () => {
    const base = {
      HALO_URL: 'https://msp.halopsa.com',
      HALO_CLIENT_ID: 'id',
      HALO_CLIENT_SECRET: 'secret',
      DATABASE_URL: 'postgres://u@db/ct',
      BOT_ID: 'bot',
      BOT_MANAGED_IDENTITY: 'true',
      BOT_TENANT_ID: 'tid',
      SHAREPOINT_SITE_ID: 'site',
      HALO_WEBHOOK_USER: 'halo',
      HALO_WEBHOOK_PASSWORD: 'pw',
      TAB_SSO_CLIENT_ID: 'tab-client',
      ALLOWED_TENANT_IDS: 'tid',
    };
    const withSecret = loadConfig({ ...base, GRAPH_CLIENT_ID: 'g', GRAPH_CLIENT_SECRET: 's' });
    expect(withSecret.evidence.graph).toEqual({
      tenantId: 'tid',
      clientId: 'g',
      clientSecret: 's',
      managedIdentityClientId: null,
    });
    expect(() => loadConfig({ ...base, GRAPH_CLIENT_ID: 'g' })).toThrow(/GRAPH_CLIENT_SECRET/);
  });

  const problemsOf = (load: () => unknown): string[] => {
    try {
      load();
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
    return [];
  };

  test('a blank production setting selects production mode and is named, never the demo', () => {
    const problems = problemsOf(() =>
      loadConfig({ HALO_URL: '', DATABASE_URL: 'postgres://u@db/ct', BOT_ID: 'bot' }),
    );
    expect(problems[0]).toMatch(/^production mode, because HALO_URL, DATABASE_URL, BOT_ID are set/);
    expect(problems).toContain('HALO_URL: is set but blank (unset it, or give it a value)');
    expect(problems.some((p) => p.startsWith('HALO_CLIENT_ID: required'))).toBe(true);
  });

  test.each([
    ['DATABASE_URL', 'postgres://u@db/ct'],
    ['BOT_PASSWORD', 'x'],
    ['ALLOWED_TENANT_IDS', ''],
  ])('%s alone is a production setting: no demo mode beside it', (name, value) => {
    const problems = problemsOf(() => loadConfig({ [name]: value }));
    expect(problems[0]).toContain(`because ${name} is set`);
    expect(problems.some((p) => p.startsWith('HALO_URL: required in production mode'))).toBe(true);
  });

  test('blank non-production settings fall back to their defaults in demo mode', () => {
    const config = loadConfig({ PORT: '', LOG_LEVEL: ' ' });
    expect(config.mode).toBe('demo');
    expect(config.port).toBe(3978);
  });

  test('replay needs HaloPSA settings only, all three or none', () => {
    const halo = {
      HALO_URL: 'https://msp.halopsa.com',
      HALO_CLIENT_ID: 'id',
      HALO_CLIENT_SECRET: 's',
    };
    const config = loadReplayConfig({ ...halo, BOT_ID: '', PORT: 'eighty' });
    expect(config.halo).toMatchObject({
      baseUrl: 'https://msp.halopsa.com',
      clientId: 'id',
      pageSize: 100,
    });
    expect(loadReplayConfig({}).halo.baseUrl).toBeNull();
    expect(
      problemsOf(() =>
        loadReplayConfig({ HALO_URL: 'https://msp.halopsa.com', HALO_CLIENT_SECRET: '' }),
      ),
    ).toEqual([
      'HALO_CLIENT_SECRET: is set but blank (unset it, or give it a value)',
      'HALO_CLIENT_ID: required to replay a HaloPSA',
    ]);
  });

  test('audit:verify needs a database only', () => {
    expect(loadDatabaseConfig({ HALO_URL: 'https://msp.halopsa.com' })).toEqual({
      url: null,
      dataDir: '.data',
      entraClientId: null,
    });
    expect(loadDatabaseConfig({ DATABASE_URL: 'postgres://u@db/ct', BOT_ID: '' }).url).toBe(
      'postgres://u@db/ct',
    );
    expect(problemsOf(() => loadDatabaseConfig({ DATABASE_URL: '' }))).toEqual([
      'DATABASE_URL: is set but blank (unset it, or give it a value)',
    ]);
    expect(problemsOf(() => loadDatabaseConfig({ DATABASE_URL: 'mysql://x' }))[0]).toMatch(
      /^DATABASE_URL:/,
    );
  });

  test('the app exits non-zero and prints every problem when production config is invalid', async () => {
    const run = promisify(execFile);
    const root = path.resolve(__dirname, '..');
    const result = await run(
      process.execPath,
      [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'src/main.ts'],
      {
        cwd: root,
        env: { PATH: process.env.PATH, HALO_URL: 'https://msp.halopsa.com' },
      },
    ).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Invalid configuration');
    expect(result.stderr).toContain('HALO_CLIENT_ID');
    expect(result.stderr).toContain('DATABASE_URL');
    expect(result.stderr).toContain('SHAREPOINT_SITE_ID');
  });
});
