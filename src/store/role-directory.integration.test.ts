/**
 * People resolved together share one lookup: fifty clicks at once cost two lookups, not fifty,
 * and each person is resolved exactly as when asked alone (roles, e-mail, HaloPSA agent). Counted
 * with a wrapper around a real database.
 */
import { CountingDb } from '../../tests/support/counting-db';
import { testDatabases, type TestDatabaseHandle } from '../../tests/support/databases';
import type { Actor } from '../app/delivery-views';
import type { TeamsUser } from '../app/identity/identity.port';
import { SqlRoleDirectory } from './role-directory.repository';

const TENANT = 'tenant-a';

describe.each(testDatabases())('SqlRoleDirectory lookups ($name)', (database) => {
  let handle: TestDatabaseHandle;

  beforeAll(async () => {
    handle = await database.open();
    const db = handle.db;
    await new SqlRoleDirectory(db, TENANT).grant([
      { aadObjectId: 'aad-pm', email: 'Pat@MSP.example', role: 'pm' },
      { aadObjectId: 'aad-pm', email: null, role: 'delivery_director' },
      { aadObjectId: 'aad-director', email: null, role: 'delivery_director' },
    ]);
    // Another tenant's grant for the same object id is not this tenant's.
    await new SqlRoleDirectory(db, 'tenant-b').grant([
      { aadObjectId: 'aad-director', email: null, role: 'admin' },
    ]);
    await db.query(
      `INSERT INTO people (tenant_id, aad_object_id, email, name) VALUES ($1, 'aad-director', 'dana@msp.example', 'Dana')`,
      [TENANT],
    );
    await db.query(
      `INSERT INTO halo_agents (tenant_id, id, name, email, inactive, raw, hash, synced_at)
       VALUES ($1, 11, 'Pat', 'pat@msp.example', false, '{}', 'h', now()),
              ($1, 12, 'Dana', 'dana@msp.example', false, '{}', 'h', now()),
              ($1, 13, 'Vera', 'vera@msp.example', true, '{}', 'h', now())`,
      [TENANT],
    );
  });
  afterAll(() => handle.dispose());

  const users: TeamsUser[] = [
    { aadObjectId: 'aad-pm', name: 'Pat', verifiedEmail: null },
    { aadObjectId: 'aad-director', name: 'Dana', verifiedEmail: null },
    { aadObjectId: 'aad-stranger', name: 'Sam', verifiedEmail: null },
    { aadObjectId: 'aad-vera', name: 'Vera', verifiedEmail: 'vera@msp.example' },
    { aadObjectId: null, name: 'Nobody', verifiedEmail: null },
  ];

  test('each person as when asked alone, and fifty asked together cost two lookups', async () => {
    const alone: Actor[] = [];
    for (const user of users)
      alone.push(await new SqlRoleDirectory(handle.db, TENANT).resolve(user));
    expect(alone).toEqual([
      {
        aadObjectId: 'aad-pm',
        name: 'Pat',
        email: 'Pat@MSP.example',
        roles: ['delivery_director', 'pm'],
        haloAgentId: 11,
      },
      {
        aadObjectId: 'aad-director',
        name: 'Dana',
        email: 'dana@msp.example',
        roles: ['delivery_director'],
        haloAgentId: 12,
      },
      { aadObjectId: 'aad-stranger', name: 'Sam', email: null, roles: [], haloAgentId: null },
      // Vera's verified e-mail names an inactive agent: no agent.
      {
        aadObjectId: 'aad-vera',
        name: 'Vera',
        email: 'vera@msp.example',
        roles: [],
        haloAgentId: null,
      },
      // No Entra object id (a guest, an anonymous caller): nobody, without a lookup.
      { aadObjectId: null, name: 'Nobody', email: null, roles: [], haloAgentId: null },
    ]);

    const counting = new CountingDb(handle.db);
    const directory = new SqlRoleDirectory(counting, TENANT);
    // Those whose sign-in carried no e-mail: a verified e-mail is first remembered (a write).
    const plain = [0, 1, 2];
    const asked = Array.from({ length: 50 }, (_, i) => plain[i % plain.length]!);
    const together = await Promise.all(asked.map((u) => directory.resolve(users[u]!)));
    expect(together).toEqual(asked.map((u) => alone[u]));
    const lookups = counting.statements.filter((s) => s.startsWith('WITH asked'));
    // The first alone (nothing was being read yet), everyone who asked meanwhile in the second.
    expect(lookups).toHaveLength(2);
  });
});
