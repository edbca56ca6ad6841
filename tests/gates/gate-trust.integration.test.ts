/**
 * One identity resolver for the tab and the bot: a PM who is also a PMO lead, with roles stored by
 * Entra object id only, is refused approving their own project's gate from the card as from the
 * tab, and nothing is written back to HaloPSA; a PM changes gates only on projects they manage.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ApiError, type ApiActor, type ApiRoute } from '../../src/api/api-types';
import { gateRoutes } from '../../src/api/gate-routes';
import { TabAuthenticator } from '../../src/api/tab-auth';
import { ReadAccess } from '../../src/app/identity/read-access';
import type { GateUseCases } from '../../src/app/gates/gate-use-cases';
import { LocalEvidenceStore } from '../../src/evidence/local-evidence-store';
import type { Db } from '../../src/store/db';
import { SqlOwnership } from '../../src/store/ownership.repository';
import { SqlRoleDirectory } from '../../src/store/role-directory.repository';
import { executeInvoke, post } from '../bot/bot-harness';
import { testDatabases, type TestDatabaseHandle } from '../support/databases';
import { JwksDouble } from '../support/jwks-double';
import {
  actorOf,
  completeRequest,
  gateService,
  PEOPLE,
  seedGateWorld,
  SMALL,
} from './gate-fixtures';
import { startGateBot, type GateBotHarness } from './gate-harness';

const TENANT = 'tenant-gate-trust';
const ENTRA_TID = '11111111-2222-3333-4444-555555555555';
const CLIENT_ID = 'tab-client-id';
const OTTO = { aadObjectId: 'aad-otto', name: 'Otto Other', email: 'otto@msp.example' };

type InvokeBody = { statusCode: number; type: string; value: Record<string, unknown> };

describe.each(testDatabases())(
  'ownership judged the same on the tab and the bot ($name)',
  (database) => {
    let handle: TestDatabaseHandle;
    let db: Db;
    let bot: GateBotHarness;
    let jwks: JwksDouble;
    let evidenceDir: string;
    let gates: GateUseCases;
    let routes: ApiRoute[];
    const gateId = `g-${SMALL.projectId}-${SMALL.milestoneId}`;

    beforeAll(async () => {
      handle = await database.open();
      db = handle.db;
      await seedGateWorld(db, TENANT, [SMALL]);
      // Megan (pm + pmo_lead, the project's PM) holds her roles by Entra object id only, as Settings allows.
      await db.query(
        `UPDATE role_assignments SET email = NULL WHERE tenant_id = $1 AND aad_object_id = $2`,
        [TENANT, PEOPLE.megan.aadObjectId],
      );
      // Otto is another PM: a HaloPSA agent who manages nothing here.
      await db.query(
        `INSERT INTO halo_agents (tenant_id, id, name, email, raw, hash, synced_at)
       VALUES ($1, 9, $2, $3, '{}', 'h', now())`,
        [TENANT, OTTO.name, OTTO.email],
      );
      await new SqlRoleDirectory(db, TENANT).grant([
        { aadObjectId: OTTO.aadObjectId, email: OTTO.email, role: 'pm' },
      ]);
      bot = await startGateBot(db, TENANT);
      jwks = await new JwksDouble().start();
      evidenceDir = await mkdtemp(path.join(os.tmpdir(), 'ct-gate-trust-'));
      gates = bot.gates;
      const evidence = new LocalEvidenceStore(evidenceDir, bot.clock);
      const withEvidence = {
        ...gates,
        upload: gateService(db, TENANT, bot.clock, evidence).upload,
      };
      routes = gateRoutes({
        gates: (tenant) => (tenant === TENANT ? withEvidence : null),
        access: new ReadAccess(new SqlOwnership(db, TENANT)),
      });
      // What the bot alone knows of Megan: her roles, but no e-mail and so no HaloPSA agent.
      const megan = await actorOf(db, TENANT, 'megan');
      expect(megan).toMatchObject({ email: null, haloAgentId: null, roles: ['pm', 'pmo_lead'] });
    });
    afterAll(async () => {
      await bot.close();
      await jwks.stop();
      await rm(evidenceDir, { recursive: true, force: true });
      await handle.dispose();
    });

    const click = async (verb: string, data: Record<string, unknown>, who: keyof typeof PEOPLE) => {
      const { aadObjectId, name } = PEOPLE[who];
      const response = await post(
        bot.botUrl,
        executeInvoke(bot.connector.url, verb, data, { aadObjectId, name }),
      );
      expect(response.status).toBe(200);
      return response.body as InvokeBody;
    };
    const writebacks = async () =>
      (
        await db.query<{ n: number | string }>(
          'SELECT count(*) AS n FROM halo_writebacks WHERE tenant_id = $1',
          [TENANT],
        )
      ).map((r) => Number(r.n))[0];
    const decisions = async () =>
      (
        await db.query<{ n: number | string }>(
          'SELECT count(*) AS n FROM gate_decisions WHERE tenant_id = $1 AND gate_id = $2',
          [TENANT, gateId],
        )
      ).map((r) => Number(r.n))[0];
    const call = async (
      method: ApiRoute['method'],
      routePath: string,
      actor: ApiActor,
      init: { params?: Record<string, string>; body?: unknown } = {},
    ) => {
      const route = routes.find((r) => r.method === method && r.path === routePath)!;
      try {
        return await route.handler({
          actor,
          params: init.params ?? {},
          query: {},
          body: init.body ?? null,
        });
      } catch (error) {
        if (error instanceof ApiError) return { status: error.status, body: { code: error.code } };
        throw error;
      }
    };
    const tabSignIn = async (oid: string, name: string, email: string): Promise<ApiActor> => {
      const auth = new TabAuthenticator({
        mode: 'production',
        tenantId: TENANT,
        roles: new SqlRoleDirectory(db, TENANT),
        sso: {
          clientId: CLIENT_ID,
          appIdUri: null,
          allowedTenantIds: [ENTRA_TID],
          openIdMetadataUrl: jwks.metadataUrl,
        },
        clock: { now: () => new Date() },
      });
      const token = jwks.token(CLIENT_ID, 'unused', {
        iss: `https://login.microsoftonline.com/${ENTRA_TID}/v2.0`,
        tid: ENTRA_TID,
        oid,
        name,
        preferred_username: email,
      });
      return auth.authenticate({ authorization: `Bearer ${token}` });
    };

    test('another PM may not request, supersede or upload evidence on a project they do not manage', async () => {
      const otto = { tenantId: TENANT, ...(await new SqlRoleDirectory(db, TENANT).resolve(OTTO)) };
      expect(otto.haloAgentId).toBe(9);
      const upload = await call('post', '/gates/evidence', otto, {
        body: {
          projectId: SMALL.projectId,
          milestoneId: SMALL.milestoneId,
          fileName: 'uat.pdf',
          contentBase64: Buffer.from('%PDF otto').toString('base64'),
        },
      });
      expect(upload).toMatchObject({ status: 403, body: { code: 'NOT_AUTHORISED' } });
      const request = await call('post', '/gates', otto, { body: completeRequest(SMALL) });
      expect(request).toMatchObject({ status: 403, body: { code: 'NOT_AUTHORISED' } });
      expect(await gates.queries.view(gateId)).toBeNull();

      // Megan's tab sign-in finds her agent by the token's e-mail: she may request on her project.
      const megan = await tabSignIn(
        PEOPLE.megan.aadObjectId,
        PEOPLE.megan.name,
        PEOPLE.megan.email,
      );
      expect(megan.haloAgentId).toBe(5);
      const mine = await call('post', '/gates', megan, { body: completeRequest(SMALL) });
      expect(mine.status).toBe(201);
      // Otto cannot supersede Megan's pending pack either.
      const supersede = await call('post', '/gates', otto, { body: completeRequest(SMALL) });
      expect(supersede).toMatchObject({ status: 403, body: { code: 'NOT_AUTHORISED' } });
      expect((await gates.queries.view(gateId))!.packVersion).toBe(1);
      const files = await db.query('SELECT id FROM gate_evidence_files WHERE tenant_id = $1', [
        TENANT,
      ]);
      expect(files).toHaveLength(0);
    });

    test("the PM (also a PMO lead) is refused approving their own project's gate from the card as from the tab", async () => {
      expect((await gates.queries.view(gateId))!.status).toBe('pending');
      const tab = await call(
        'post',
        '/gates/:gateId/decisions',
        await tabSignIn(PEOPLE.megan.aadObjectId, PEOPLE.megan.name, PEOPLE.megan.email),
        { params: { gateId }, body: { packVersion: 1, outcome: 'approve' } },
      );
      expect(tab).toMatchObject({ status: 403, body: { code: 'OWN_PROJECT' } });

      const card = await click('gate.approve', { gateId, packVersion: 1 }, 'megan');
      expect(JSON.stringify(card.value)).toContain('segregation of duties');
      expect((await gates.queries.view(gateId))!.status).toBe('pending');
      expect(await decisions()).toBe(0);
      expect(await writebacks()).toBe(0);
    });

    test('someone whose e-mail is unknown (never signed in to the tab, no e-mail on their role) cannot approve from the card', async () => {
      // Forget what the tab sign-in taught the resolver: the bot alone knows only the object id.
      await db.query('DELETE FROM people WHERE tenant_id = $1', [TENANT]);
      const card = await click('gate.approve', { gateId, packVersion: 1 }, 'megan');
      expect(JSON.stringify(card.value)).toContain('cannot tell whether you manage this project');
      expect((await gates.queries.view(gateId))!.status).toBe('pending');
      expect(await decisions()).toBe(0);
      expect(await writebacks()).toBe(0);
    });

    test('a PMO lead who does not manage the project approves from the card, and it is written back once', async () => {
      const card = await click('gate.approve', { gateId, packVersion: 1 }, 'adele');
      expect(JSON.stringify(card.value)).toContain('Approved by Adele Vance');
      expect(await decisions()).toBe(1);
      // The decision note and the milestone completion.
      expect(await writebacks()).toBe(2);
    });
  },
);
