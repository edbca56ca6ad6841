import type { EscalationHistory } from '../app/delivery/escalation-history.port';
import type { Escalation } from '../domain/delivery/escalation';
import type { Db } from './db';

/** A tenant's escalations in any status, oldest first, as stored by the evaluation and the bot. */
export class SqlEscalationHistory implements EscalationHistory {
  constructor(private readonly db: Db) {}

  async all(tenantId: string): Promise<Escalation[]> {
    const rows = await this.db.query<{ state: Escalation }>(
      'SELECT state FROM escalations WHERE tenant_id = $1 ORDER BY opened_at, id',
      [tenantId],
    );
    return rows.map((r) => r.state);
  }
}
