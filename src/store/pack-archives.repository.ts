import type { PackArchive, PackArchives } from '../app/exports/pack-archives.port';
import type { Db } from './db';

/** Archived evidence pack PDFs of one tenant (`gate_pack_archives`). */
export class SqlPackArchives implements PackArchives {
  constructor(
    private readonly db: Db,
    private readonly tenantId: string,
  ) {}

  async record(a: PackArchive): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO gate_pack_archives
         (tenant_id, gate_id, pack_version, path, web_url, size, sha256, archived_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (tenant_id, gate_id, pack_version) DO NOTHING RETURNING gate_id`,
      [this.tenantId, a.gateId, a.packVersion, a.path, a.webUrl, a.size, a.sha256, a.archivedAt],
    );
    return rows.length === 1;
  }

  async unarchived(limit: number): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(
      `SELECT g.id FROM gates g
         LEFT JOIN gate_pack_archives a
           ON a.tenant_id = g.tenant_id AND a.gate_id = g.id AND a.pack_version = g.pack_version
        WHERE g.tenant_id = $1 AND g.status = 'approved' AND a.gate_id IS NULL
        ORDER BY g.decided_at, g.id LIMIT $2`,
      [this.tenantId, limit],
    );
    return rows.map((r) => r.id);
  }

  async find(gateId: string, packVersion: number): Promise<PackArchive | null> {
    const [row] = await this.db.query<{
      path: string;
      web_url: string | null;
      size: string | number;
      sha256: string;
      archived_at: Date | string;
    }>(
      `SELECT path, web_url, size, sha256, archived_at FROM gate_pack_archives
        WHERE tenant_id = $1 AND gate_id = $2 AND pack_version = $3`,
      [this.tenantId, gateId, packVersion],
    );
    return row
      ? {
          gateId,
          packVersion,
          path: row.path,
          webUrl: row.web_url,
          size: Number(row.size),
          sha256: row.sha256,
          archivedAt: new Date(row.archived_at).toISOString(),
        }
      : null;
  }
}
