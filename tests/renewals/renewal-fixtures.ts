/** A small fixed renewal dataset written straight into the mirror tables (no simulator). */
import type { Actor, Role } from '../../src/app/delivery-views';
import type { Db } from '../../src/store/db';

/** Fixed contracts: id, client, type, term, monthly charge and cost. */
export interface FixtureContract {
  id: number;
  clientId: number;
  type: string;
  start: string;
  end: string;
  monthly: number;
  cost?: number;
}

/** Writes clients (each with account manager agent 7) and contracts into the mirror of `tenantId`. */
export async function seedContracts(
  db: Db,
  tenantId: string,
  contracts: readonly FixtureContract[],
): Promise<void> {
  const now = new Date('2026-01-01T00:00:00Z');
  await db.query(
    `INSERT INTO halo_agents (tenant_id, id, name, email, inactive, raw, hash, synced_at)
     VALUES ($1, 7, 'Alex Account', 'alex@example.com', false, '{}', 'h', $2) ON CONFLICT DO NOTHING`,
    [tenantId, now],
  );
  for (const clientId of new Set(contracts.map((c) => c.clientId))) {
    await db.query(
      `INSERT INTO halo_clients (tenant_id, id, name, inactive, account_manager_id, raw, hash, synced_at)
       VALUES ($1, $2, $3, false, 7, '{}', 'h', $4)`,
      [tenantId, clientId, `Client ${clientId}`, now],
    );
  }
  for (const c of contracts) {
    await db.query(
      `INSERT INTO halo_contracts (tenant_id, id, client_id, ref, start_date, end_date, period_charge,
          cost_per_period, billing_period, active, raw, hash, synced_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'Monthly', true, $9, 'h', $10)`,
      [
        tenantId,
        c.id,
        c.clientId,
        `MS-${c.id}`,
        `${c.start}T00:00:00Z`,
        `${c.end}T00:00:00Z`,
        c.monthly,
        c.cost ?? null,
        JSON.stringify({ contracttype_name: c.type }),
        now,
      ],
    );
  }
}

/** A Teams user with roles, as the role directory would resolve them. */
export function person(name: string, roles: Role[]): Actor {
  const key = name.toLowerCase().replace(/\s+/g, '.');
  return { aadObjectId: `aad-${key}`, name, email: `${key}@example.com`, roles, haloAgentId: null };
}
