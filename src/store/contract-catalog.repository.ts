import type {
  ContractCatalog,
  ContractLabel,
  ContractMoney,
  ContractTerm,
} from '../app/renewals/contract-catalog.port';
import type { Db } from './db';
import { isoOf, numOrNull } from './renewal-columns';

/** The mirrored contracts as the renewal loop reads them (`halo_contracts` with client and owner). */
export class ContractCatalogRepository implements ContractCatalog {
  constructor(
    private readonly db: Db,
    readonly tenantId: string,
  ) {}

  /** Display labels of contracts (reference, client, owner) from the mirror, by contract id. */
  async contractLabels(contractIds: readonly number[] | null): Promise<Map<number, ContractLabel>> {
    const rows = await this.db.query(
      `SELECT c.id, c.ref, c.client_id, cl.name AS client_name, c.raw->>'contracttype_name' AS contract_type,
              cl.account_manager_id, a.name AS owner_name, a.email AS owner_email, c.end_date
         FROM halo_contracts c
         LEFT JOIN halo_clients cl ON cl.tenant_id = c.tenant_id AND cl.id = c.client_id
         LEFT JOIN halo_agents a ON a.tenant_id = c.tenant_id AND a.id = cl.account_manager_id
        WHERE c.tenant_id = $1 AND ($2::bigint[] IS NULL OR c.id = ANY($2::bigint[]))`,
      [this.tenantId, contractIds === null ? null : [...contractIds]],
    );
    return new Map(
      rows.map((r) => [
        Number(r.id),
        {
          contractId: Number(r.id),
          ref: (r.ref as string | null) ?? `Contract ${String(r.id)}`,
          clientId: numOrNull(r.client_id),
          clientName: (r.client_name as string | null) ?? 'Unknown client',
          contractType: (r.contract_type as string | null) ?? null,
          ownerAgentId: numOrNull(r.account_manager_id),
          ownerName: (r.owner_name as string | null) ?? null,
          ownerEmail: (r.owner_email as string | null) ?? null,
          endDate: r.end_date === null ? null : isoOf(r.end_date).slice(0, 10),
        },
      ]),
    );
  }

  /** The recurring figures of contracts (per period, as HaloPSA holds them), by id. */
  async contractMoney(contractIds: readonly number[] | null): Promise<Map<number, ContractMoney>> {
    const rows = await this.db.query(
      `SELECT id, period_charge, cost_per_period, billing_period, raw->>'contracttype_name' AS contract_type
         FROM halo_contracts WHERE tenant_id = $1 AND ($2::bigint[] IS NULL OR id = ANY($2::bigint[]))`,
      [this.tenantId, contractIds === null ? null : [...contractIds]],
    );
    return new Map(
      rows.map((r) => [
        Number(r.id),
        {
          periodCharge: numOrNull(r.period_charge),
          costPerPeriod: numOrNull(r.cost_per_period),
          billingPeriod: (r.billing_period as string | null) ?? null,
          contractType: (r.contract_type as string | null) ?? null,
        },
      ]),
    );
  }

  /** Every contract's term and recurring charge (for retention: who renewed, contracted, churned). */
  async contractTerms(): Promise<ContractTerm[]> {
    const rows = await this.db.query(
      `SELECT id, client_id, raw->>'contracttype_name' AS contract_type, start_date, end_date,
              period_charge, billing_period, active
         FROM halo_contracts WHERE tenant_id = $1 ORDER BY id`,
      [this.tenantId],
    );
    return rows.map((r) => ({
      contractId: Number(r.id),
      clientId: numOrNull(r.client_id),
      contractType: (r.contract_type as string | null) ?? null,
      startDate: r.start_date === null ? null : isoOf(r.start_date).slice(0, 10),
      endDate: r.end_date === null ? null : isoOf(r.end_date).slice(0, 10),
      periodCharge: numOrNull(r.period_charge),
      billingPeriod: (r.billing_period as string | null) ?? null,
      active: r.active === null || r.active === undefined ? null : Boolean(r.active),
    }));
  }
}
