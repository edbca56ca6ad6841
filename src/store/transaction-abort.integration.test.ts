import { testDatabases, type TestDatabaseHandle } from '../../tests/support/databases';

describe.each(testDatabases())('a transaction on %s', (engine) => {
  let handle: TestDatabaseHandle;

  beforeAll(async () => {
    handle = await engine.open();
    await handle.db.exec('CREATE TABLE tx_abort_probe (id int PRIMARY KEY)');
  });
  afterAll(async () => handle.dispose());

  test('whose failed statement the caller caught does not report a commit, and keeps nothing', async () => {
    const outcome = await handle.db
      .transaction(async (tx) => {
        await tx.query('INSERT INTO tx_abort_probe (id) VALUES (1)');
        await tx.query('INSERT INTO tx_abort_probe (id) VALUES (1)').catch(() => undefined);
        return 'committed';
      })
      .catch((error: Error) => error.message);
    expect(outcome).not.toBe('committed');
    expect(await handle.db.query('SELECT id FROM tx_abort_probe')).toEqual([]);
    // The connection is fine for the next one.
    await handle.db.transaction((tx) => tx.query('INSERT INTO tx_abort_probe (id) VALUES (2)'));
    expect(await handle.db.query('SELECT id FROM tx_abort_probe')).toEqual([{ id: 2 }]);
  });
});
