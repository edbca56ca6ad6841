/**
 * The production bot, with validly signed Bot Framework tokens: a conversation or user outside
 * `ALLOWED_TENANT_IDS` gets one short refusal and nothing else; a signed-in person with no role gets
 * one line saying who to ask; a pm reads the projects they manage. Nothing refused changes a row.
 */
import { UnsignedCredentialsFactory, type BotAuthOptions } from '../../bot/bot-auth';
import { TENANT_REFUSAL } from '../../bot/bot-app';
import type { Db } from '../../src/store/db';
import { SqlRoleDirectory } from '../../src/store/role-directory.repository';
import { testDatabases, type TestDatabaseHandle } from '../support/databases';
import { CHANNEL_ISSUER, JwksDouble } from '../support/jwks-double';
import {
  executeInvoke,
  messageActivity,
  post,
  startBotHarness,
  TENANT,
  type BotHarness,
} from './bot-harness';

const APP_ID = '11111111-2222-3333-4444-555555555555';
/** The tenant of the harness's activities (`messageActivity`, `executeInvoke`). */
const ALLOWED = 'entra-tenant';
const OTHER = 'other-entra-tenant';

/** Rows of every table a turn could change. */
const STATE_TABLES = [
  'people',
  'role_assignments',
  'conversation_routes',
  'outbox',
  'action_log',
  'audit_log',
  'gates',
  'concession_requests',
  'halo_writebacks',
];

async function stateOf(db: Db): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of STATE_TABLES) {
    const [row] = await db.query<{ n: number | string }>(`SELECT count(*) AS n FROM ${table}`);
    counts[table] = Number(row!.n);
  }
  return counts;
}

/** Another tenant's activity: both places Teams names the tenant say so. */
function fromTenant(activity: Record<string, unknown>, tenantId: string): Record<string, unknown> {
  return {
    ...activity,
    conversation: { ...(activity.conversation as object), tenantId },
    channelData: { ...(activity.channelData as object), tenant: { id: tenantId } },
  };
}

describe.each(testDatabases())('the production bot refuses strangers ($name)', (database) => {
  let handle: TestDatabaseHandle;
  let jwks: JwksDouble;
  let bot: BotHarness;

  // The SDK's JWT extractor reports every rejected token with console.error: keep the run quiet.
  let consoleError: jest.SpyInstance;
  beforeAll(async () => {
    consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    handle = await database.open();
    const { db } = handle;
    await new SqlRoleDirectory(db, TENANT).grant([
      { aadObjectId: 'aad-pm', email: 'pat@msp.example', role: 'pm' },
      { aadObjectId: 'aad-director', email: 'dana@msp.example', role: 'delivery_director' },
      { aadObjectId: 'aad-owner', email: 'owner@msp.example', role: 'msp_owner' },
    ]);
    await db.query(
      `INSERT INTO halo_agents (tenant_id, id, name, email, raw, hash, synced_at)
       VALUES ($1, 11, 'Pat', 'pat@msp.example', '{}', 'h', now()),
              ($1, 12, 'Olive', 'olive@msp.example', '{}', 'h', now())`,
      [TENANT],
    );
    // The fake read side's projects: 1000 is Pat's; 1001, 1002 and 1042 are Olive's.
    for (const [id, agent] of [
      [1000, 11],
      [1001, 12],
      [1002, 12],
      [1042, 12],
    ] as const) {
      await db.query(
        `INSERT INTO halo_projects (tenant_id, id, client_id, summary, agent_id, raw, hash, synced_at)
         VALUES ($1, $2, 7, $3, $4, '{}', 'h', now())`,
        [TENANT, id, `Project ${id}`, agent],
      );
    }
    jwks = await new JwksDouble().start();
    const auth: BotAuthOptions = {
      mode: 'production',
      appId: APP_ID,
      password: 'not-used',
      managedIdentity: false,
      tenantId: ALLOWED,
      endpoints: {
        ToBotFromChannelOpenIdMetadataUrl: jwks.metadataUrl,
        ToBotFromEmulatorOpenIdMetadataUrl: jwks.metadataUrl,
        ToBotFromChannelTokenIssuer: CHANNEL_ISSUER,
        ToChannelFromBotLoginUrl: `${jwks.url}/login`,
        ToChannelFromBotOAuthScope: CHANNEL_ISSUER,
        OAuthUrl: `${jwks.url}/oauth`,
        CallerId: 'urn:botframework:azure',
        ValidateAuthority: true,
      },
      credentialsFactory: new UnsignedCredentialsFactory(APP_ID),
    };
    bot = await startBotHarness(db, auth, [ALLOWED]);
  });
  afterAll(async () => {
    consoleError.mockRestore();
    await bot.close();
    await jwks.stop();
    await handle.dispose();
  });
  beforeEach(() => bot.connector.clear());

  const send = (activity: Record<string, unknown>) =>
    post(bot.botUrl, activity, jwks.token(APP_ID, bot.connector.url));
  const texts = () => bot.connector.delivered().map((r) => (r.body as { text?: string }).text);

  test.each(['/health', '/renewals 90', '/report', '/gates', 'hello'])(
    'a validly signed %j from another tenant gets one refusal, no data, no change',
    async (text) => {
      const before = await stateOf(handle.db);
      const activity = fromTenant(
        messageActivity(bot.connector.url, text, { aadObjectId: 'aad-director' }),
        OTHER,
      );
      const response = await send(activity);
      expect(response.status).toBe(200);
      expect(texts()).toEqual([TENANT_REFUSAL]);
      expect(bot.connector.cards()).toHaveLength(0);
      expect(await stateOf(handle.db)).toEqual(before);
    },
  );

  test('a conversation naming an allowed tenant in one place and another in the other is refused', async () => {
    const activity = messageActivity(bot.connector.url, '/health', { aadObjectId: 'aad-director' });
    const mixed = {
      ...activity,
      channelData: { tenant: { id: OTHER } },
    };
    await send(mixed);
    expect(texts()).toEqual(['Control Tower is not available to your organisation.']);
    expect(bot.connector.cards()).toHaveLength(0);
  });

  test('a card action from another tenant is refused and changes nothing', async () => {
    const before = await stateOf(handle.db);
    const response = await send(
      fromTenant(
        executeInvoke(
          bot.connector.url,
          'escalation.acknowledge',
          { escalationId: 'esc-1' },
          {
            aadObjectId: 'aad-director',
          },
        ),
        OTHER,
      ),
    );
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      statusCode: 403,
      value: { code: 'TENANT_NOT_ALLOWED', message: TENANT_REFUSAL },
    });
    expect(bot.escalations.calls).toHaveLength(0);
    expect(await stateOf(handle.db)).toEqual(before);
  });

  test.each(['/health', '/renewals 90', '/report', '/gates', '/help', 'hello'])(
    'a signed-in person of the tenant with no role asking %j is told to ask their admin, nothing else',
    async (text) => {
      const before = await stateOf(handle.db);
      await send(messageActivity(bot.connector.url, text, { aadObjectId: 'aad-guest' }));
      const [reply, ...rest] = texts();
      expect(rest).toEqual([]);
      expect(reply).toMatch(/no Control Tower role.*Ask your Control Tower admin/);
      expect(bot.connector.cards()).toHaveLength(0);
      expect(await stateOf(handle.db)).toEqual(before);
    },
  );

  test('a pm reads the projects they manage, and is refused another pm’s project', async () => {
    await send(messageActivity(bot.connector.url, '/health', { aadObjectId: 'aad-pm' }));
    const portfolio = JSON.stringify(bot.connector.cards().at(-1));
    expect(portfolio).toContain('Project 0');
    expect(portfolio).not.toContain('Project 1');
    expect(portfolio).not.toContain('Project 2');

    bot.connector.clear();
    await send(messageActivity(bot.connector.url, '/health 1042', { aadObjectId: 'aad-pm' }));
    const refused = JSON.stringify(bot.connector.cards().at(-1));
    expect(refused).toContain('not one of yours');
    expect(refused).not.toContain('Top drivers');

    bot.connector.clear();
    await send(messageActivity(bot.connector.url, '/report', { aadObjectId: 'aad-pm' }));
    const report = JSON.stringify(bot.connector.cards().at(-1));
    expect(report).toContain('Project 0');
    expect(report).not.toContain('Project 1');

    bot.connector.clear();
    await send(messageActivity(bot.connector.url, '/renewals 90', { aadObjectId: 'aad-pm' }));
    expect(JSON.stringify(bot.connector.cards().at(-1))).toContain('Not available to you');
  });

  test('a delivery director reads every project', async () => {
    await send(messageActivity(bot.connector.url, '/health 1042', { aadObjectId: 'aad-director' }));
    expect(JSON.stringify(bot.connector.cards().at(-1))).toContain('Top drivers');
  });
});
