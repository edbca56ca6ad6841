import type { EscalationRecords } from '../app/delivery/escalation-records.port';
import type { EscalationView } from '../app/delivery-views';
import type { Escalation } from '../domain/delivery/escalation';
import type { ProjectAssessment } from '../domain/delivery/health-score';
import type { Db } from './db';
import { driverView } from './delivery-queries.repository';

const ACTION_WORDS: Record<Escalation['events'][number]['action'], string> = {
  opened: 'opened',
  updated: 'updated',
  resolved: 'resolved',
  're-escalated': 're-escalated to the delivery director',
  acknowledged: 'acknowledged',
  assigned: 'assigned a mitigation owner',
  snoozed: 'snoozed',
  'snooze-ended': 'snooze ended',
  'false-positive': 'marked it not a real issue',
};

/** Escalations as the bot's actions read and write them, with compare-and-set on `updatedAt`. */
export class SqlEscalationRecords implements EscalationRecords {
  constructor(private readonly db: Db) {}

  async find(tenantId: string, escalationId: string) {
    const rows = await this.db.query<{ state: Escalation; agent_id: number | null }>(
      `SELECT e.state, p.agent_id FROM escalations e
         LEFT JOIN halo_projects p ON p.tenant_id = e.tenant_id AND p.id = e.project_id
        WHERE e.tenant_id = $1 AND e.id = $2`,
      [tenantId, escalationId],
    );
    const row = rows[0];
    return row
      ? { escalation: row.state, pmAgentId: row.agent_id === null ? null : Number(row.agent_id) }
      : null;
  }

  async compareAndSet(
    tenantId: string,
    next: Escalation,
    expectedUpdatedAt: string,
  ): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE escalations SET state = $3, status = $4, severity = $5, updated_at = $6, closed_at = $7
        WHERE tenant_id = $1 AND id = $2 AND state->>'updatedAt' = $8 RETURNING id`,
      [
        tenantId,
        next.id,
        JSON.stringify(next),
        next.status,
        next.severity,
        next.updatedAt,
        next.closedAt,
        expectedUpdatedAt,
      ],
    );
    return rows.length === 1;
  }

  /** The card's view; `db` lets a caller build it inside its own transaction. */
  async view(tenantId: string, e: Escalation, db: Db = this.db): Promise<EscalationView> {
    const [project] = await db.query<{
      summary: string | null;
      client_id: number | null;
      client_name: string | null;
    }>(
      `SELECT p.summary, p.client_id, c.name AS client_name FROM halo_projects p
         LEFT JOIN halo_clients c ON c.tenant_id = p.tenant_id AND c.id = p.client_id
        WHERE p.tenant_id = $1 AND p.id = $2`,
      [tenantId, Number(e.projectId)],
    );
    const [snapshot] = await db.query<{ assessment: { assessment: ProjectAssessment } }>(
      `SELECT assessment FROM health_snapshots WHERE tenant_id = $1 AND project_id = $2
        ORDER BY snapshot_date DESC LIMIT 1`,
      [tenantId, Number(e.projectId)],
    );
    const agents = await db.query<{ id: number; name: string }>(
      `SELECT id, name FROM halo_agents WHERE tenant_id = $1 AND NOT inactive ORDER BY name`,
      [tenantId],
    );
    const name = new Map(agents.map((a) => [String(a.id), a.name]));
    const nameOf = (id: string | null) => (id === null ? null : (name.get(id) ?? id));
    const a = snapshot?.assessment.assessment;
    const driver = a?.drivers.find((d) => d.key === e.cause);
    return {
      id: e.id,
      project: { id: Number(e.projectId), name: project?.summary ?? `Project ${e.projectId}` },
      client: { id: Number(project?.client_id ?? 0), name: project?.client_name ?? '' },
      cause: e.cause,
      severity: e.severity,
      state: e.status === 'acknowledged' && e.mitigationOwnerAgentId ? 'assigned' : e.status,
      details: driver
        ? [driver.explanation, `${driverView(driver).value} (${driverView(driver).threshold})`]
        : [],
      score: a && a.rag !== 'unknown' ? a.score : null,
      rag: a?.rag ?? 'unknown',
      ownerName: nameOf(e.ownerAgentId),
      mitigationOwnerName: nameOf(e.mitigationOwnerAgentId),
      acknowledgeBy: e.acknowledgeBy,
      snoozedUntil: e.snoozedUntil,
      assignableAgents: agents.map((ag) => ({ id: Number(ag.id), name: ag.name })),
      history: e.events.map((ev) => ({
        at: ev.at,
        actorName: ev.by === 'engine' ? 'Control Tower' : (nameOf(ev.by) ?? ev.by),
        action: ev.note ? `${ACTION_WORDS[ev.action]}: ${ev.note}` : ACTION_WORDS[ev.action],
      })),
      openedAt: e.openedAt,
    };
  }
}
