import { isTimeZone } from './domain/notifications/digest-schedule';
import { z } from 'zod';
import { ROLES } from './domain/shared/roles';

/** Where the configuration came from: demo runs everything embedded, production talks to real systems. */
export type Mode = 'demo' | 'production';

const port = z.coerce.number().int().min(0).max(65535);
const roleAssignmentSchema = z
  .object({
    aadObjectId: z.string().min(1).nullable().default(null),
    email: z.string().email().nullable().default(null),
    roles: z.array(z.enum(ROLES)).min(1),
  })
  .refine((a) => a.aadObjectId !== null || a.email !== null, 'needs aadObjectId or email');

/** A person's roles as configured (matched to Teams users by Entra object id, to HaloPSA agents by e-mail). */
export type RoleAssignment = z.infer<typeof roleAssignmentSchema>;
const optionalUrl = z.string().url().optional();
const cron = z.string().regex(/^(\S+\s+){4,5}\S+$/, 'must be a cron expression with 5 or 6 fields');

/**
 * Every environment variable the app reads, with a one-line doc each. Nothing else reads process.env.
 * Production mode is chosen by the presence of any HaloPSA setting; it then requires its variables.
 */
const envSchema = z.object({
  /** HTTP port of the one restify server (bot, webhook, tab, API, health). */
  PORT: port.default(3978),
  /** Log level for pino (fatal, error, warn, info, debug, trace, silent). */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Tenant id stamped on every row; one deployment serves one MSP tenant by default. */
  TENANT_ID: z.string().min(1).default('demo'),
  /** The MSP's name as reports and PDFs print it on every page (defaults to TENANT_ID). */
  TENANT_NAME: z.string().trim().min(1).max(200).optional(),
  /** The MSP's IANA time zone: each person's 08:00 digest uses it unless they chose their own. */
  TENANT_TIME_ZONE: z
    .string()
    .trim()
    .refine(isTimeZone, 'must be an IANA time zone name, e.g. Europe/London')
    .default('UTC'),
  /** HaloPSA base URL, e.g. https://msp.halopsa.com (its presence selects production mode). */
  HALO_URL: optionalUrl,
  /** HaloPSA API application client id (client credentials). */
  HALO_CLIENT_ID: z.string().min(1).optional(),
  /** HaloPSA API application client secret. */
  HALO_CLIENT_SECRET: z.string().min(1).optional(),
  /** HaloPSA tenant name for Halo-hosted instances (sent as ?tenant=). */
  HALO_TENANT: z.string().optional(),
  /** Page size for HaloPSA list reads. */
  HALO_PAGE_SIZE: z.coerce.number().int().min(1).max(1000).default(100),
  /** Client-side request budget: requests per rolling window. */
  HALO_BUDGET_REQUESTS: z.coerce.number().int().min(1).default(300),
  /** Client-side request budget: the rolling window in seconds. */
  HALO_BUDGET_WINDOW_SECONDS: z.coerce.number().int().min(1).default(300),
  /** Port of the embedded HaloPSA simulator in demo mode. */
  HALO_SIM_PORT: port.default(3980),
  /** Basic-auth user name HaloPSA webhooks must present. */
  HALO_WEBHOOK_USER: z.string().min(1).optional(),
  /** Basic-auth password HaloPSA webhooks must present. */
  HALO_WEBHOOK_PASSWORD: z.string().min(1).optional(),
  /** PostgreSQL connection string; unset → embedded PGlite under DATA_DIR. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  /** Folder for the embedded database and local evidence in demo mode. */
  DATA_DIR: z.string().min(1).default('.data'),
  /** Cron expression for the incremental HaloPSA sync. */
  SYNC_CRON: cron.default('*/15 * * * *'),
  /** Cron expression for the daily evaluation. */
  EVALUATE_CRON: cron.default('0 6 * * *'),
  /** Cron expression for the daily renewal evaluation (readiness, 90/60/30 stages, uplift). */
  RENEWAL_EVALUATE_CRON: cron.default('30 6 * * *'),
  /** Cron expression for the daily KPI snapshots (after both evaluations). */
  KPI_SNAPSHOT_CRON: cron.default('0 7 * * *'),
  /** Bot (Entra app) id; required in production. */
  BOT_ID: z.string().min(1).optional(),
  /** Bot client secret; production needs it unless BOT_MANAGED_IDENTITY is set. */
  BOT_PASSWORD: z.string().min(1).optional(),
  /** Use the App Service managed identity for the bot instead of a secret. */
  BOT_MANAGED_IDENTITY: z.enum(['true', 'false']).optional(),
  /** Entra tenant of the single-tenant bot; required in production. */
  BOT_TENANT_ID: z.string().min(1).optional(),
  /**
   * The app's id in the tenant's Teams app catalog (after it is published there); with it, people are
   * messaged 1:1 and in their activity feed (Graph: TeamsAppInstallation.ReadWriteSelfForUser.All,
   * TeamsActivity.Send). Unset → notifications go to channels only.
   */
  TEAMS_APP_CATALOG_ID: z.string().min(1).optional(),
  /** The Bot Connector that creates 1:1 conversations (the tenant's region). */
  BOT_SERVICE_URL: z.string().url().default('https://smba.trafficmanager.net/teams/'),
  /** SharePoint site id that holds evidence packs; required in production. */
  SHAREPOINT_SITE_ID: z.string().min(1).optional(),
  /** Document library (drive) id for evidence; unset → the site's default library. */
  SHAREPOINT_DRIVE_ID: z.string().min(1).optional(),
  /** Entra tenant of the Graph app registration used for evidence; defaults to BOT_TENANT_ID. */
  GRAPH_TENANT_ID: z.string().min(1).optional(),
  /** Entra app (client) id used for Graph with a client secret (Sites.Selected on the evidence site). */
  GRAPH_CLIENT_ID: z.string().min(1).optional(),
  /** Client secret of GRAPH_CLIENT_ID; production needs it unless a managed identity is used for Graph. */
  GRAPH_CLIENT_SECRET: z.string().min(1).optional(),
  /** Client id of the user-assigned managed identity used for Graph instead of a secret. */
  GRAPH_MANAGED_IDENTITY_CLIENT_ID: z.string().min(1).optional(),
  /** Role seeding: JSON array of {"aadObjectId", "email", "roles": [...]} (SPEC §1 roles). */
  ROLE_ASSIGNMENTS: z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be a JSON array' });
        return z.NEVER;
      }
    })
    .pipe(z.array(roleAssignmentSchema))
    .optional(),
  // ── Database sign-in (issue 13): a managed identity's Entra token instead of a password ──
  /** How the app signs in to PostgreSQL: the password in DATABASE_URL, or an Entra access token. */
  DATABASE_AUTH: z.enum(['password', 'entra']).default('password'),
  /** Client id of the user-assigned managed identity whose token signs in when DATABASE_AUTH=entra. */
  DATABASE_MANAGED_IDENTITY_CLIENT_ID: z.string().min(1).optional(),
  // ──
  /** Cron expression for the nightly re-read of every project's and contract's full record. */
  DETAIL_REFRESH_CRON: cron.default('30 2 * * *'),
  /** Cron expression for posting the weekly control report. */
  WEEKLY_REPORT_CRON: cron.default('0 7 * * 1'),
  /** Cron expression for the stage-gate SLA check (reminders, then escalations). */
  GATE_SLA_CRON: cron.default('*/5 * * * *'),
  /** Cron expression for the escalation SLA timer (re-escalation to the delivery director). */
  SLA_TIMER_CRON: cron.default('*/5 * * * *'),
  /** Projects with a money budget at or above this need two distinct gate approvers (0 = never). */
  GATE_TWO_APPROVERS_FROM_BUDGET: z.coerce.number().min(0).default(100_000),
  /** Hours a gate may wait for a decision before the approvers get a reminder. */
  GATE_REMINDER_HOURS: z.coerce.number().positive().default(24),
  /** Hours a gate may wait before the delivery director is told. */
  GATE_ESCALATE_HOURS: z.coerce.number().positive().default(48),
  /** Entra app (client) id of the tab's SSO app: an accepted audience of tab API tokens; required in production. */
  TAB_SSO_CLIENT_ID: z.string().min(1).optional(),
  /** Application ID URI of the tab's SSO app (api://host/<client id>): the other accepted audience. */
  TAB_SSO_APP_ID_URI: z.string().min(1).optional(),
  /** Comma-separated Entra tenant ids whose users may call the tab API; required in production. */
  ALLOWED_TENANT_IDS: z
    .string()
    .transform((text) =>
      text
        .split(',')
        .map((t) => t.trim())
        .filter((t) => t.length > 0),
    )
    .pipe(z.array(z.string()).min(1, 'must list at least one tenant id'))
    .optional(),
  /** /readyz fails when the last completed HaloPSA sync is older than this. */
  READY_MAX_SYNC_AGE_MINUTES: z.coerce.number().positive().default(45),
  /** /readyz fails when HaloPSA has not answered for this long. */
  READY_HALO_DOWN_MINUTES: z.coerce.number().positive().default(5),
  /** /readyz fails when a stored webhook delivery has waited this long. */
  READY_MAX_WEBHOOK_AGE_MINUTES: z.coerce.number().positive().default(15),
  /** /readyz fails when more notifications than this failed for good in the last 24 hours. */
  READY_MAX_OUTBOX_FAILED: z.coerce.number().int().min(0).default(50),
  /** Bot Framework OpenID metadata that signs inbound channel tokens; unset → the public cloud's. */
  BOT_OPENID_METADATA_URL: z.string().url().optional(),
  /** Microsoft Graph root for evidence (national clouds: https://graph.microsoft.us, …). */
  GRAPH_URL: z.string().url().default('https://graph.microsoft.com'),
  /** Tenant-independent Entra OpenID metadata (its jwks_uri signs tab SSO tokens). */
  ENTRA_OPENID_METADATA_URL: z
    .string()
    .url()
    .default('https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration'),
});

type Env = z.infer<typeof envSchema>;

/** The parsed, validated configuration the composition root hands to every adapter. */
export interface AppConfig {
  mode: Mode;
  port: number;
  logLevel: Env['LOG_LEVEL'];
  tenantId: string;
  /** The MSP's name on reports and PDFs. */
  tenantName: string;
  /** The MSP's IANA time zone (the default of each person's digest time). */
  tenantTimeZone: string;
  halo: {
    baseUrl: string | null;
    clientId: string;
    clientSecret: string;
    tenant: string | undefined;
    pageSize: number;
    budget: { requests: number; windowMs: number };
    simulatorPort: number;
  };
  webhook: { username: string; password: string };
  /** `entraClientId`: sign in to PostgreSQL with this managed identity's Entra token (null: password). */
  database: { url: string | null; dataDir: string; entraClientId: string | null };
  schedules: {
    sync: string;
    evaluate: string;
    weeklyReport: string;
    detailRefresh: string;
    renewalEvaluate: string;
    kpiSnapshots: string;
    slaTimer: string;
  };
  roleAssignments: RoleAssignment[];
  bot: {
    appId: string | null;
    password: string | null;
    managedIdentity: boolean;
    tenantId: string | null;
    /** Bot Framework OpenID metadata URL; null → the public cloud's (the SDK's default). */
    openIdMetadataUrl: string | null;
    /** The app's Teams catalog id; null → no personal delivery (channels only). */
    catalogAppId: string | null;
    /** Bot Connector base URL for new 1:1 conversations. */
    serviceUrl: string;
  };
  sharepointSiteId: string | null;
  /** Evidence store (SharePoint through Graph in production, a folder under DATA_DIR in demo mode). */
  evidence: {
    driveId: string | null;
    /** Graph root without version, e.g. https://graph.microsoft.com. */
    graphUrl: string;
    graph: {
      tenantId: string | null;
      clientId: string | null;
      clientSecret: string | null;
      managedIdentityClientId: string | null;
    };
  };
  /** Stage gates: the SLA job's schedule and the gate policy values. */
  gates: {
    slaCron: string;
    twoApproversFromBudget: number | null;
    reminderAfterHours: number;
    escalateAfterHours: number;
  };
  /** Limits past which /readyz answers 503. */
  readiness: {
    maxSyncAgeMinutes: number;
    haloDownMinutes: number;
    maxWebhookAgeMinutes: number;
    maxOutboxFailed: number;
  };
  /** Tab API sign-in: Teams SSO tokens (production) are checked against these. */
  tabAuth: {
    clientId: string | null;
    appIdUri: string | null;
    allowedTenantIds: string[];
    openIdMetadataUrl: string;
  };
}

/** Thrown when the environment is unusable; `problems` lists every one of them. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  readonly kind = 'user';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const productionRequired = [
  'HALO_URL',
  'HALO_CLIENT_ID',
  'HALO_CLIENT_SECRET',
  'DATABASE_URL',
  'BOT_ID',
  'BOT_TENANT_ID',
  'SHAREPOINT_SITE_ID',
  'HALO_WEBHOOK_USER',
  'HALO_WEBHOOK_PASSWORD',
  'TAB_SSO_CLIENT_ID',
  'ALLOWED_TENANT_IDS',
] as const;

/**
 * Settings only a production deployment has. The presence of any one of them (even blank) selects
 * production mode, so a half-configured production environment is refused rather than quietly
 * started as the demo against production systems.
 */
const productionOnly: readonly (keyof Env)[] = [
  ...productionRequired,
  'HALO_TENANT',
  'BOT_PASSWORD',
  'BOT_MANAGED_IDENTITY',
  'SHAREPOINT_DRIVE_ID',
  'GRAPH_TENANT_ID',
  'GRAPH_CLIENT_ID',
  'GRAPH_CLIENT_SECRET',
  'GRAPH_MANAGED_IDENTITY_CLIENT_ID',
  'TAB_SSO_APP_ID_URI',
  'BOT_OPENID_METADATA_URL',
  'TEAMS_APP_CATALOG_ID',
  'BOT_SERVICE_URL',
  'DATABASE_AUTH',
  'DATABASE_MANAGED_IDENTITY_CLIENT_ID',
];

const haloVariables = ['HALO_URL', 'HALO_CLIENT_ID', 'HALO_CLIENT_SECRET'] as const;

type RawEnv = Record<string, string | undefined>;

/** The variables an entry point reads, present (set, even to an empty string) in the environment. */
function present(env: RawEnv, names: readonly string[]): string[] {
  return names.filter((name) => env[name] !== undefined);
}

/**
 * Validates the named variables only (an entry point is not refused for a setting it never reads).
 * Blank values are "unset" for defaults; `blankIsProblem` names the ones where blank is an error.
 */
function parseEnv(
  env: RawEnv,
  names: readonly (keyof Env)[],
  blankIsProblem: readonly string[],
): { env: Partial<Env>; problems: string[] } {
  const problems = blankIsProblem
    .filter((name) => env[name] !== undefined && env[name]!.trim() === '')
    .map((name) => `${name}: is set but blank (unset it, or give it a value)`);
  const cleaned = Object.fromEntries(
    names
      .filter((name) => env[name] !== undefined && env[name]!.trim() !== '')
      .map((name) => [name, env[name]]),
  );
  const mask = Object.fromEntries(names.map((name) => [name, true])) as Partial<
    Record<keyof Env, true>
  >;
  const parsed = envSchema.pick(mask).safeParse(cleaned);
  if (!parsed.success) {
    problems.push(...parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
    return { env: {}, problems };
  }
  return { env: parsed.data as Partial<Env>, problems };
}

const ALL_VARIABLES = Object.keys(envSchema.shape) as (keyof Env)[];

/**
 * The server's configuration (`npm start`, `node dist/main.js`). Demo mode only when no production
 * setting is present at all; otherwise production, which requires its whole set. Throws ConfigError
 * listing every missing or invalid variable.
 */
export function loadConfig(env: RawEnv): AppConfig {
  const productionSet = present(env, productionOnly);
  const mode: Mode = productionSet.length > 0 ? 'production' : 'demo';
  const { env: e, problems } = parseEnv(env, ALL_VARIABLES, productionSet);
  if (mode === 'production') {
    const has = (name: string) => env[name] !== undefined && env[name]!.trim() !== '';
    for (const name of productionRequired) {
      if (env[name] === undefined) problems.push(`${name}: required in production mode`);
    }
    if (!has('BOT_PASSWORD') && env.BOT_MANAGED_IDENTITY !== 'true') {
      problems.push('BOT_PASSWORD: required in production mode unless BOT_MANAGED_IDENTITY=true');
    }
    problems.push(...graphCredentialProblems(env, has));
    if (problems.length > 0) {
      problems.unshift(
        `production mode, because ${productionSet.join(', ')} ${productionSet.length === 1 ? 'is' : 'are'} set (demo mode needs none of them, not even blank)`,
      );
    }
  }
  problems.push(...databaseAuthProblems(env));
  if (problems.length > 0) throw new ConfigError(problems);
  return toAppConfig(e as Env, mode);
}

/** Entra sign-in to PostgreSQL needs the server and the managed identity that signs in. */
function databaseAuthProblems(env: RawEnv): string[] {
  if (env.DATABASE_AUTH?.trim() !== 'entra') return [];
  const problems: string[] = [];
  if (!env.DATABASE_URL?.trim()) problems.push('DATABASE_URL: required when DATABASE_AUTH=entra');
  if (!env.DATABASE_MANAGED_IDENTITY_CLIENT_ID?.trim())
    problems.push('DATABASE_MANAGED_IDENTITY_CLIENT_ID: required when DATABASE_AUTH=entra');
  return problems;
}

/** What `npm run replay` reads: HaloPSA settings only (none → the embedded demo simulator). */
export interface ReplayConfig {
  tenantId: string;
  halo: AppConfig['halo'];
}

const replayVariables = [
  'TENANT_ID',
  'HALO_URL',
  'HALO_CLIENT_ID',
  'HALO_CLIENT_SECRET',
  'HALO_TENANT',
  'HALO_PAGE_SIZE',
  'HALO_BUDGET_REQUESTS',
  'HALO_BUDGET_WINDOW_SECONDS',
] as const;

/** Parses the replay's settings: the three HaloPSA credentials together, or none of them. */
export function loadReplayConfig(env: RawEnv): ReplayConfig {
  const haloSet = present(env, haloVariables);
  const { env: e, problems } = parseEnv(env, replayVariables, haloSet);
  if (haloSet.length > 0) {
    for (const name of haloVariables) {
      if (env[name] === undefined) problems.push(`${name}: required to replay a HaloPSA`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const picked = e as Pick<Env, (typeof replayVariables)[number]>;
  return { tenantId: picked.TENANT_ID, halo: haloConfig({ ...picked, HALO_SIM_PORT: 0 }) };
}

function haloConfig(
  e: Pick<Env, (typeof replayVariables)[number] | 'HALO_SIM_PORT'>,
): AppConfig['halo'] {
  return {
    baseUrl: e.HALO_URL ?? null,
    clientId: e.HALO_CLIENT_ID ?? 'demo',
    clientSecret: e.HALO_CLIENT_SECRET ?? 'demo',
    tenant: e.HALO_TENANT,
    pageSize: e.HALO_PAGE_SIZE,
    budget: { requests: e.HALO_BUDGET_REQUESTS, windowMs: e.HALO_BUDGET_WINDOW_SECONDS * 1000 },
    simulatorPort: e.HALO_SIM_PORT,
  };
}

/** What `npm run audit:verify` reads: the database only. */
export function loadDatabaseConfig(env: RawEnv): AppConfig['database'] {
  const names = [
    'DATABASE_URL',
    'DATA_DIR',
    'DATABASE_AUTH',
    'DATABASE_MANAGED_IDENTITY_CLIENT_ID',
  ] as const;
  const { env: e, problems } = parseEnv(env, names, ['DATABASE_URL']);
  problems.push(...databaseAuthProblems(env));
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    url: e.DATABASE_URL ?? null,
    dataDir: e.DATA_DIR ?? '.data',
    entraClientId:
      e.DATABASE_AUTH === 'entra' ? (e.DATABASE_MANAGED_IDENTITY_CLIENT_ID ?? null) : null,
  };
}

function toAppConfig(e: Env, mode: Mode): AppConfig {
  return {
    mode,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    tenantId: e.TENANT_ID,
    tenantName: e.TENANT_NAME ?? e.TENANT_ID,
    tenantTimeZone: e.TENANT_TIME_ZONE,
    halo: haloConfig(e),
    webhook: {
      username: e.HALO_WEBHOOK_USER ?? 'halo',
      password: e.HALO_WEBHOOK_PASSWORD ?? 'demo-webhook',
    },
    database: {
      url: e.DATABASE_URL ?? null,
      dataDir: e.DATA_DIR,
      entraClientId:
        e.DATABASE_AUTH === 'entra' ? (e.DATABASE_MANAGED_IDENTITY_CLIENT_ID ?? null) : null,
    },
    schedules: {
      sync: e.SYNC_CRON,
      evaluate: e.EVALUATE_CRON,
      renewalEvaluate: e.RENEWAL_EVALUATE_CRON,
      kpiSnapshots: e.KPI_SNAPSHOT_CRON,
      weeklyReport: e.WEEKLY_REPORT_CRON,
      detailRefresh: e.DETAIL_REFRESH_CRON,
      slaTimer: e.SLA_TIMER_CRON,
    },
    roleAssignments: e.ROLE_ASSIGNMENTS ?? [],
    bot: {
      appId: e.BOT_ID ?? null,
      password: e.BOT_PASSWORD ?? null,
      managedIdentity: e.BOT_MANAGED_IDENTITY === 'true',
      tenantId: e.BOT_TENANT_ID ?? null,
      openIdMetadataUrl: e.BOT_OPENID_METADATA_URL ?? null,
      catalogAppId: e.TEAMS_APP_CATALOG_ID ?? null,
      serviceUrl: e.BOT_SERVICE_URL,
    },
    sharepointSiteId: e.SHAREPOINT_SITE_ID ?? null,
    evidence: {
      driveId: e.SHAREPOINT_DRIVE_ID ?? null,
      graphUrl: e.GRAPH_URL,
      graph: {
        tenantId: e.GRAPH_TENANT_ID ?? e.BOT_TENANT_ID ?? null,
        clientId: e.GRAPH_CLIENT_ID ?? null,
        clientSecret: e.GRAPH_CLIENT_SECRET ?? null,
        managedIdentityClientId: e.GRAPH_MANAGED_IDENTITY_CLIENT_ID ?? null,
      },
    },
    gates: {
      slaCron: e.GATE_SLA_CRON,
      twoApproversFromBudget:
        e.GATE_TWO_APPROVERS_FROM_BUDGET > 0 ? e.GATE_TWO_APPROVERS_FROM_BUDGET : null,
      reminderAfterHours: e.GATE_REMINDER_HOURS,
      escalateAfterHours: Math.max(e.GATE_ESCALATE_HOURS, e.GATE_REMINDER_HOURS),
    },
    readiness: {
      maxSyncAgeMinutes: e.READY_MAX_SYNC_AGE_MINUTES,
      haloDownMinutes: e.READY_HALO_DOWN_MINUTES,
      maxWebhookAgeMinutes: e.READY_MAX_WEBHOOK_AGE_MINUTES,
      maxOutboxFailed: e.READY_MAX_OUTBOX_FAILED,
    },
    tabAuth: {
      clientId: e.TAB_SSO_CLIENT_ID ?? null,
      appIdUri: e.TAB_SSO_APP_ID_URI ?? null,
      allowedTenantIds: e.ALLOWED_TENANT_IDS ?? [],
      openIdMetadataUrl: e.ENTRA_OPENID_METADATA_URL,
    },
  };
}

/** Production evidence needs a Graph credential: a managed identity, or an app id with its secret. */
function graphCredentialProblems(env: RawEnv, has: (name: string) => boolean): string[] {
  if (has('GRAPH_MANAGED_IDENTITY_CLIENT_ID')) return [];
  const problems: string[] = [];
  const unless = 'required in production mode unless GRAPH_MANAGED_IDENTITY_CLIENT_ID is set';
  if (env.GRAPH_CLIENT_ID === undefined) problems.push(`GRAPH_CLIENT_ID: ${unless}`);
  if (env.GRAPH_CLIENT_SECRET === undefined) problems.push(`GRAPH_CLIENT_SECRET: ${unless}`);
  if (!has('GRAPH_TENANT_ID') && !has('BOT_TENANT_ID')) {
    problems.push(`GRAPH_TENANT_ID: ${unless} (or BOT_TENANT_ID is set)`);
  }
  return problems;
}

/** Parses this process's environment (the composition root's one call). */
export function loadConfigFromProcess(): AppConfig {
  return loadConfig(process.env);
}

/** The replay's settings from this process's environment (`npm run replay`). */
export function loadReplayConfigFromProcess(): ReplayConfig {
  return loadReplayConfig(process.env);
}

/** The database settings from this process's environment (`npm run audit:verify`). */
export function loadDatabaseConfigFromProcess(): AppConfig['database'] {
  return loadDatabaseConfig(process.env);
}

/** The values `npm run package` fills into manifest/manifest.json's ${{VAR}} placeholders. */
export interface PackagingConfig {
  teamsAppId: string;
  botId: string;
  /** Host (and port, if any) the tab is served from, e.g. tower.example.com. */
  tabDomain: string;
  /** https:// origin of the tab, no trailing slash. */
  tabEndpoint: string;
  /** Entra app (client) id of the tab's SSO app. */
  aadAppClientId: string;
  /** True when nothing was configured and the clearly fake local values were used. */
  fake: boolean;
}

const guid = z
  .string()
  .regex(/^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/, 'must be a GUID');
const packagingSchema = z.object({
  /** Teams app id (GUID), written by the toolkit's teamsApp/create. */
  TEAMS_APP_ID: guid.optional(),
  /** Bot (Entra app) id (GUID) the manifest's bot points at. */
  BOT_ID: guid.optional(),
  /** Host name (and optional port) of the tab, without scheme or path, e.g. tower.example.com. */
  TAB_DOMAIN: z
    .string()
    .regex(
      /^[a-z0-9.-]+(:\d{1,5})?$/i,
      'must be a host name with an optional port, no scheme or path',
    )
    .optional(),
  /** https:// origin of the tab; defaults to https://TAB_DOMAIN. */
  TAB_ENDPOINT: z
    .string()
    .regex(/^https:\/\/[^/?#]+$/, 'must be an https:// origin without a path')
    .optional(),
  /** Entra app (client) id of the tab's SSO app (webApplicationInfo.id). */
  AAD_APP_CLIENT_ID: guid.optional(),
});
const packagingRequired = ['TEAMS_APP_ID', 'BOT_ID', 'TAB_DOMAIN', 'AAD_APP_CLIENT_ID'] as const;

/**
 * Parses the packaging values. With none of them set (and no HaloPSA settings) it returns clearly
 * fake local values so a fresh clone can package; once any is set, every one is required.
 */
export function loadPackagingConfig(env: Record<string, string | undefined>): PackagingConfig {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = packagingSchema.safeParse(cleaned);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  const anySet = packagingRequired.some((name) => cleaned[name] !== undefined);
  const production = haloVariables.some((name) => cleaned[name] !== undefined);
  if (!anySet && !production && parsed.success) {
    return {
      teamsAppId: '00000000-0000-0000-0000-00000000c701',
      botId: '00000000-0000-0000-0000-00000000c702',
      tabDomain: 'localhost:3978',
      tabEndpoint: 'https://localhost:3978',
      aadAppClientId: '00000000-0000-0000-0000-00000000c703',
      fake: true,
    };
  }
  for (const name of packagingRequired) {
    if (cleaned[name] === undefined) problems.push(`${name}: required to package the app`);
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  const e = parsed.data;
  return {
    teamsAppId: e.TEAMS_APP_ID!,
    botId: e.BOT_ID!,
    tabDomain: e.TAB_DOMAIN!,
    tabEndpoint: e.TAB_ENDPOINT ?? `https://${e.TAB_DOMAIN!}`,
    aadAppClientId: e.AAD_APP_CLIENT_ID!,
    fake: false,
  };
}

/** Packaging values from this process's environment (npm run package). */
export function loadPackagingConfigFromProcess(): PackagingConfig {
  return loadPackagingConfig(process.env);
}
