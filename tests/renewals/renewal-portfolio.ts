/** Syncs a generated demo portfolio into a fresh embedded database and loads its renewal history. */
import { systemClock } from '../../src/shared/clock';
import type { RenewalHistory } from '../../src/app/renewals/renewal-history.port';
import { HALO_READ_SCOPES } from '../../src/halo/halo-scopes';
import { HaloClient } from '../../src/halo/halo-client';
import { HaloSync } from '../../src/halo/halo-sync';
import type { HaloDataset } from '../../src/halo/simulator/dataset';
import { generateDataset } from '../../src/halo/simulator/generator';
import { startSimulator } from '../../src/halo/simulator/server';
import type { Db } from '../../src/store/db';
import { openDatabase } from '../../src/store/open-db';
import { SqlRenewalHistoryReader } from '../../src/store/renewal-history.repository';

/** The demo dataset's "today" used by the renewal tests. */
export const DEMO_AS_OF = '2026-11-23';

const silent = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
};

/** Syncs the demo simulator (profile demo, `seed`) into `db` as tenant `tenantId`. */
export async function syncDemo(
  db: Db,
  seed: number,
  tenantId = 't',
  asOf = DEMO_AS_OF,
): Promise<HaloDataset> {
  const dataset = generateDataset({ profile: 'demo', seed, asOf });
  const sim = await startSimulator({ dataset, port: 0 });
  try {
    const client = new HaloClient({
      baseUrl: sim.url,
      clientId: 'demo',
      clientSecret: 'demo',
      scopes: [...HALO_READ_SCOPES],
      pageSize: 1000,
      logger: silent,
    });
    await new HaloSync({ db, reader: client, tenantId, clock: systemClock, logger: silent }).run(
      'full',
    );
    return dataset;
  } finally {
    await sim.close();
  }
}

/** A demo portfolio synced into a throw-away database, with its renewal history loaded. */
export async function loadRenewalPortfolio(
  seed: number,
): Promise<{ dataset: HaloDataset; history: RenewalHistory }> {
  const db = await openDatabase({ memory: true });
  try {
    const dataset = await syncDemo(db, seed);
    return { dataset, history: await new SqlRenewalHistoryReader(db).load('t') };
  } finally {
    await db.close();
  }
}
