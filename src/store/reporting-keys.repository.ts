import { createHash, randomBytes } from 'node:crypto';
import type { ReportingKeyView, ReportingKeys } from '../app/reporting/reporting-keys.port';
import type { Clock } from '../shared/clock';
import type { Db } from './db';

/** Reporting keys start with this, so a leaked one is recognisable in logs and secret scanners. */
const KEY_PREFIX = 'ctrk_';

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

type KeyRow = { hint: string; created_at: Date | string; created_by: string };

/** The reporting keys (`reporting_keys`): a SHA-256 per tenant, never the key. */
export class SqlReportingKeys implements ReportingKeys {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async describe(tenantId: string): Promise<ReportingKeyView | null> {
    const [row] = await this.db.query<KeyRow>(
      'SELECT hint, created_at, created_by FROM reporting_keys WHERE tenant_id = $1',
      [tenantId],
    );
    return row ? toView(row) : null;
  }

  async issue(tenantId: string, by: string): Promise<{ key: string; view: ReportingKeyView }> {
    // 256 random bits: a key is not guessable, so one SHA-256 (no slow KDF) is enough to store it.
    const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
    const [row] = await this.db.query<KeyRow>(
      `INSERT INTO reporting_keys (tenant_id, key_hash, hint, created_at, created_by)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (tenant_id) DO UPDATE SET key_hash = EXCLUDED.key_hash, hint = EXCLUDED.hint,
         created_at = EXCLUDED.created_at, created_by = EXCLUDED.created_by
       RETURNING hint, created_at, created_by`,
      [tenantId, sha256(key), key.slice(-4), this.clock.now().toISOString(), by],
    );
    return { key, view: toView(row!) };
  }

  async verify(tenantId: string, key: string): Promise<boolean> {
    if (!key.startsWith(KEY_PREFIX) || key.length > 200) return false;
    const rows = await this.db.query(
      'SELECT 1 FROM reporting_keys WHERE tenant_id = $1 AND key_hash = $2',
      [tenantId, sha256(key)],
    );
    return rows.length === 1;
  }
}

function toView(row: KeyRow): ReportingKeyView {
  return {
    hint: row.hint,
    createdAt: new Date(row.created_at).toISOString(),
    createdBy: row.created_by,
  };
}
