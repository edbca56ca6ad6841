import type {
  RenewalPolicyVersion,
  RenewalPolicyVersions,
} from '../app/renewals/renewal-policies.port';
import { upgradeRenewalPolicy, type StoredRenewalPolicy } from '../domain/renewals';
import type { Db } from './db';
import { isoOf, json } from './renewal-columns';

/** The tenant's saved renewal policy versions (`renewal_policies`). */
export class RenewalPolicyRepository implements RenewalPolicyVersions {
  constructor(
    private readonly db: Db,
    readonly tenantId: string,
  ) {}

  async newest(): Promise<RenewalPolicyVersion | null> {
    const rows = await this.db.query(
      'SELECT * FROM renewal_policies WHERE tenant_id = $1 ORDER BY version DESC LIMIT 1',
      [this.tenantId],
    );
    return rows[0] ? versionOf(rows[0]) : null;
  }

  async versions(): Promise<RenewalPolicyVersion[]> {
    const rows = await this.db.query(
      'SELECT * FROM renewal_policies WHERE tenant_id = $1 ORDER BY version DESC',
      [this.tenantId],
    );
    return rows.map(versionOf);
  }

  async save(entry: RenewalPolicyVersion): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO renewal_policies (tenant_id, version, policy, created_at, created_by, reason)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (tenant_id, version) DO NOTHING RETURNING version`,
      [
        this.tenantId,
        entry.version,
        JSON.stringify(entry.policy),
        entry.createdAt,
        entry.createdBy,
        entry.reason,
      ],
    );
    return rows.length === 1;
  }
}

function versionOf(r: Record<string, unknown>): RenewalPolicyVersion {
  return {
    version: Number(r.version),
    policy: upgradeRenewalPolicy(json<StoredRenewalPolicy>(r.policy)),
    createdAt: isoOf(r.created_at),
    createdBy: String(r.created_by),
    reason: String(r.reason),
  };
}
