import type { LoggedRequest, RequestLog } from '../halo/request-log.port';
import type { Db } from './db';

/** The HaloPSA request budget's spent requests of one tenant (`halo_request_log`). */
export class HaloRequestLogRepository implements RequestLog {
  constructor(
    private readonly db: Db,
    readonly tenantId: string,
  ) {}

  async since(sinceMs: number): Promise<LoggedRequest[]> {
    const rows = await this.db.query<{ request_id: string; counted_at: Date | string }>(
      `SELECT request_id, counted_at FROM halo_request_log
        WHERE tenant_id = $1 AND counted_at >= $2`,
      [this.tenantId, new Date(sinceMs).toISOString()],
    );
    return rows.map((r) => ({ id: r.request_id, atMs: new Date(r.counted_at).getTime() }));
  }

  async record(request: LoggedRequest, forgetBeforeMs?: number): Promise<void> {
    if (forgetBeforeMs !== undefined) {
      await this.db.query('DELETE FROM halo_request_log WHERE tenant_id = $1 AND counted_at < $2', [
        this.tenantId,
        new Date(forgetBeforeMs).toISOString(),
      ]);
    }
    await this.db.query(
      `INSERT INTO halo_request_log (tenant_id, request_id, counted_at) VALUES ($1, $2, $3)
       ON CONFLICT (tenant_id, request_id) DO UPDATE
         SET counted_at = GREATEST(halo_request_log.counted_at, EXCLUDED.counted_at)`,
      [this.tenantId, request.id, new Date(request.atMs).toISOString()],
    );
  }
}
