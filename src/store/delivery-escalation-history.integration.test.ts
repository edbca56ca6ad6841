import { testDatabases } from '../../tests/support/databases';
import { anEscalation } from '../../tests/support/escalations';
import type { Escalation } from '../domain/delivery/escalation';
import { SqlEscalationHistory } from './delivery-escalation-history.repository';

function escalation(id: string, openedAt: string, patch: Partial<Escalation> = {}): Escalation {
  return anEscalation({
    id,
    openedAt,
    acknowledgeBy: openedAt,
    lastValue: 0.08,
    lastScore: 70,
    events: [],
    ...patch,
  });
}

describe.each(testDatabases())('escalation history on $name', (target) => {
  test('returns every escalation of the tenant in any status, oldest first, and no other tenant’s', async () => {
    const handle = await target.open();
    try {
      const rows: [string, Escalation][] = [
        [
          't1',
          escalation('b', '2026-03-02T06:00:00.000Z', {
            status: 'false-positive',
            falsePositiveReason: 'busy week',
          }),
        ],
        ['t1', escalation('a', '2026-02-02T06:00:00.000Z', { status: 'resolved' })],
        ['t2', escalation('c', '2026-01-05T06:00:00.000Z')],
      ];
      for (const [tenant, e] of rows) {
        await handle.db.query(
          `INSERT INTO escalations (tenant_id, id, project_id, client_id, cause, status, severity, state, opened_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          [
            tenant,
            e.id,
            Number(e.projectId),
            e.clientId,
            e.cause,
            e.status,
            e.severity,
            JSON.stringify(e),
            e.openedAt,
            e.updatedAt,
          ],
        );
      }
      const all = await new SqlEscalationHistory(handle.db).all('t1');
      expect(all.map((e) => [e.id, e.status, e.falsePositiveReason])).toEqual([
        ['a', 'resolved', null],
        ['b', 'false-positive', 'busy week'],
      ]);
    } finally {
      await handle.dispose();
    }
  });
});
