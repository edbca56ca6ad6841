import type { ConcessionApprovers } from '../app/renewals/concession-requests.port';
import type { Db } from './db';

/** Who may approve concessions, from the role assignments. */
export class ConcessionApproverRepository implements ConcessionApprovers {
  constructor(
    private readonly db: Db,
    readonly tenantId: string,
  ) {}

  /** Entra object ids of everyone holding one of `roles` (approvers for a card's refresh). */
  async aadObjectIdsWithRoles(roles: readonly string[]): Promise<string[]> {
    const rows = await this.db.query(
      `SELECT DISTINCT aad_object_id FROM role_assignments
        WHERE tenant_id = $1 AND role = ANY($2::text[]) AND aad_object_id IS NOT NULL ORDER BY aad_object_id`,
      [this.tenantId, [...roles]],
    );
    return rows.map((r) => String(r.aad_object_id));
  }

  /** Entra object ids of the people with one of `roles` whose role or sign-in e-mail is `email`. */
  async aadObjectIdsWithEmail(email: string, roles: readonly string[]): Promise<string[]> {
    const rows = await this.db.query(
      `SELECT DISTINCT r.aad_object_id FROM role_assignments r
         LEFT JOIN people p ON p.tenant_id = r.tenant_id AND p.aad_object_id = r.aad_object_id
        WHERE r.tenant_id = $1 AND r.role = ANY($2::text[]) AND r.aad_object_id IS NOT NULL
          AND lower(coalesce(r.email, p.email)) = lower($3)
        ORDER BY r.aad_object_id`,
      [this.tenantId, [...roles], email],
    );
    return rows.map((r) => String(r.aad_object_id));
  }
}
