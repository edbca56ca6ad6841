/** The pilot start in the pilot settings (the KPI baseline's day): saved, kept, cleared, validated. */
import { settingsRoutes } from '../../src/api/settings-routes';
import type { ApiActor } from '../../src/api/api-types';
import type { SaveDeliveryPolicy } from '../../src/app/settings/save-delivery-policy';
import { SavePilotSettings } from '../../src/app/settings/save-pilot-settings';
import type { SaveRoles } from '../../src/app/settings/save-roles';
import type { SaveRouting } from '../../src/app/settings/save-routing';
import { defaultPilot } from '../../src/app/settings/settings-views';
import { SqlTabSettings } from '../../src/store/tab-settings.repository';
import { testDatabases, type TestDatabaseHandle } from '../support/databases';

const TENANT = 'pilot-start';
const admin: ApiActor = {
  tenantId: TENANT,
  aadObjectId: 'aad-admin',
  name: 'Ada Admin',
  email: 'ada@example.com',
  roles: ['admin'],
  haloAgentId: null,
};

describe.each(testDatabases())('the pilot start on $name', (database) => {
  let handle: TestDatabaseHandle;
  let settings: SqlTabSettings;
  let put: (body: unknown) => Promise<unknown>;

  beforeAll(async () => {
    handle = await database.open();
    settings = new SqlTabSettings(handle.db, { now: () => new Date('2026-03-01T09:00:00Z') });
    const route = settingsRoutes({
      settings,
      savePilot: new SavePilotSettings(settings),
      // Only the pilot route is called here.
      savePolicy: {} as SaveDeliveryPolicy,
      saveRouting: {} as SaveRouting,
      saveRoles: {} as SaveRoles,
    }).find((r) => r.method === 'put' && r.path === '/settings/pilot')!;
    put = async (body) => (await route.handler({ actor: admin, params: {}, query: {}, body })).body;
  });
  afterAll(async () => {
    await handle?.dispose();
  });

  const { scopeEnabled, clientIds, projectIds, shadowMode, automations } = defaultPilot();
  const scope = { scopeEnabled, clientIds, projectIds, shadowMode, automations };

  test('is saved, kept by a save that does not mention it, and cleared with null', async () => {
    expect(await put({ ...scope, startsOn: '2026-03-02' })).toMatchObject({
      startsOn: '2026-03-02',
      version: 1,
    });
    expect(await put({ ...scope, shadowMode: true })).toMatchObject({
      startsOn: '2026-03-02',
      shadowMode: true,
      version: 2,
    });
    expect((await settings.pilot(TENANT)).startsOn).toBe('2026-03-02');
    expect(await put({ ...scope, startsOn: null })).toMatchObject({ startsOn: null, version: 3 });
  });

  test.each([['2026-02-30'], ['next monday'], [20260302]])(
    'refuses %p as a pilot start and changes nothing',
    async (startsOn) => {
      const before = await settings.pilot(TENANT);
      await expect(put({ ...scope, startsOn })).rejects.toMatchObject({ name: 'ZodError' });
      expect(await settings.pilot(TENANT)).toEqual(before);
    },
  );
});
