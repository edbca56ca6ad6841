import type { DeliveryChanges } from '../app/delivery/delivery-changes.port';
import type { Db } from './db';
import { clearChanges } from './mirror-changes';

/** The `delivery` entries of `mirror_changes`, read as projects. */
export class SqlDeliveryChanges implements DeliveryChanges {
  constructor(private readonly db: Db) {}

  async pending(tenantId: string): Promise<{ upto: string | null; projectIds: number[] }> {
    // One statement, so the position and the projects are read from the same queue.
    const [row] = await this.db.query<{ upto: string | null; project_ids: Array<number | string> }>(
      `WITH q AS (SELECT id, seq FROM mirror_changes WHERE tenant_id = $1 AND subject = 'delivery')
       SELECT (SELECT max(seq) FROM q) AS upto,
              ARRAY(SELECT p.id FROM halo_projects p WHERE p.tenant_id = $1 AND p.id IN (SELECT id FROM q)
                    UNION
                    SELECT t.project_id FROM halo_tasks t
                     WHERE t.tenant_id = $1 AND t.project_id IS NOT NULL AND t.id IN (SELECT id FROM q)
                    ORDER BY 1) AS project_ids`,
      [tenantId],
    );
    return { upto: row?.upto ?? null, projectIds: (row?.project_ids ?? []).map(Number) };
  }

  async position(tenantId: string): Promise<string | null> {
    const [row] = await this.db.query<{ upto: string | null }>(
      `SELECT max(seq) AS upto FROM mirror_changes WHERE tenant_id = $1 AND subject = 'delivery'`,
      [tenantId],
    );
    return row?.upto ?? null;
  }

  async clear(tenantId: string, upto: string): Promise<void> {
    await clearChanges(this.db, tenantId, ['delivery'], upto);
  }
}
