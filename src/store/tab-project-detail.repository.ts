/** One project's whole picture for the tab: health, EVM, trend, milestones, escalations, timeline. */
import type { Rag } from '../app/delivery-views';
import type {
  EscalationLineView,
  ProjectDetailView,
  ProjectMilestoneView,
  TimelineEntryView,
  TrendPointView,
} from '../app/delivery/tab-views';
import type { Escalation } from '../domain/delivery/escalation';
import type { ProjectAssessment } from '../domain/delivery/health-score';
import { isGateMilestone } from '../domain/gates/gate-milestone';
import type { Db } from './db';
import { driverView } from './delivery-queries.repository';
import { driverDto, isoDay, isoTime, RAGS } from './tab-rows';

/** SQL read model of the tab's project page. */
export class SqlProjectDetailQueries {
  constructor(private readonly db: Db) {}

  /** One project's whole picture, or null when the tenant has no such project. */
  async projectDetail(
    tenantId: string,
    projectId: number,
    trendDays = 90,
  ): Promise<ProjectDetailView | null> {
    const [row] = await this.db.query<{
      name: string | null;
      client_id: number | string | null;
      client_name: string | null;
      pm_id: number | string | null;
      pm_name: string | null;
      date_closed: string | Date | null;
      snapshot_date: string | null;
      assessment: { assessment: ProjectAssessment } | null;
      changes: string[] | null;
      created_at: string | Date | null;
      trend: RawTrend[] | null;
      milestones: RawMilestone[] | null;
      escalations: Escalation[] | null;
      agents: { id: number | string; name: string | null }[] | null;
      audit: RawAudit[] | null;
    }>(
      `SELECT p.summary AS name, p.client_id, c.name AS client_name, p.agent_id AS pm_id, a.name AS pm_name,
              p.date_closed, to_char(s.snapshot_date, 'YYYY-MM-DD') AS snapshot_date, s.assessment, s.changes,
              s.created_at,
              (SELECT json_agg(t ORDER BY t.date) FROM (
                 SELECT to_char(h.snapshot_date, 'YYYY-MM-DD') AS date, h.score, h.rag,
                        h.assessment->'assessment'->'evm'->'hours'->'cpi' AS cpi,
                        h.assessment->'assessment'->'evm'->'hours'->'spi' AS spi,
                        h.assessment->'assessment'->'evm'->'hoursBurnRatio' AS burn,
                        h.assessment->'assessment'->'evm'->'plannedPercent' AS planned,
                        h.assessment->'assessment'->'evm'->'percentComplete' AS complete,
                        h.assessment->'snapshot'->>'modelVersion' AS model_version
                   FROM health_snapshots h
                  WHERE h.tenant_id = p.tenant_id AND h.project_id = p.id
                  ORDER BY h.snapshot_date DESC LIMIT $3) t) AS trend,
              (SELECT json_agg(m ORDER BY m.sequence NULLS LAST, m.target_date NULLS LAST, m.id) FROM (
                 SELECT id, name, sequence, start_date, target_date, complete FROM halo_milestones
                  WHERE tenant_id = p.tenant_id AND project_id = p.id) m) AS milestones,
              (SELECT json_agg(e.state ORDER BY e.opened_at DESC) FROM escalations e
                WHERE e.tenant_id = p.tenant_id AND e.project_id = p.id) AS escalations,
              (SELECT json_agg(json_build_object('id', g.id, 'name', g.name)) FROM halo_agents g
                WHERE g.tenant_id = p.tenant_id AND g.id IN (
                  SELECT (x.state->>'ownerAgentId')::bigint FROM escalations x
                   WHERE x.tenant_id = p.tenant_id AND x.project_id = p.id AND x.state->>'ownerAgentId' ~ '^[0-9]+$'
                  UNION
                  SELECT (x.state->>'mitigationOwnerAgentId')::bigint FROM escalations x
                   WHERE x.tenant_id = p.tenant_id AND x.project_id = p.id
                     AND x.state->>'mitigationOwnerAgentId' ~ '^[0-9]+$')) AS agents,
              (SELECT json_agg(l ORDER BY l.seq) FROM (
                 SELECT l.seq, l.at, l.subject_type, l.subject_id, l.action, l.actor, l.detail FROM audit_log l
                  WHERE l.tenant_id = p.tenant_id
                    AND ((l.subject_type = 'project' AND l.subject_id = p.id::text)
                      OR (l.subject_type = 'escalation' AND l.subject_id IN (
                            SELECT x.id FROM escalations x WHERE x.tenant_id = p.tenant_id AND x.project_id = p.id))
                      OR l.detail->>'projectId' = p.id::text)
                  ORDER BY l.seq DESC LIMIT 200) l) AS audit
         FROM halo_projects p
         LEFT JOIN halo_clients c ON c.tenant_id = p.tenant_id AND c.id = p.client_id
         LEFT JOIN halo_agents a ON a.tenant_id = p.tenant_id AND a.id = p.agent_id
         LEFT JOIN LATERAL (
           SELECT * FROM health_snapshots s WHERE s.tenant_id = p.tenant_id AND s.project_id = p.id
            ORDER BY s.snapshot_date DESC LIMIT 1) s ON true
        WHERE p.tenant_id = $1 AND p.id = $2`,
      [tenantId, projectId, trendDays],
    );
    if (!row) return null;
    const a = row.assessment?.assessment ?? null;
    const agentName = new Map(
      (row.agents ?? []).map((g) => [String(g.id), g.name ?? String(g.id)]),
    );
    const nameOf = (id: string | null) => (id === null ? null : (agentName.get(id) ?? id));
    const escalations = row.escalations ?? [];
    const drivers = (a?.drivers ?? []).map(driverDto);
    const rag: Rag = a?.rag ?? 'unknown';
    return {
      id: projectId,
      name: row.name ?? a?.name ?? `Project ${projectId}`,
      client: { id: Number(row.client_id ?? 0), name: row.client_name ?? '' },
      pm: row.pm_id === null ? null : { id: Number(row.pm_id), name: row.pm_name ?? '' },
      status: a?.status ?? (row.date_closed ? 'closed' : 'active'),
      health: {
        score: a && rag !== 'unknown' ? a.score : null,
        rag,
        confidence: a?.confidence ?? 0,
        drivers,
      },
      riskTags: a?.riskTags ?? [],
      changes: row.changes ?? [],
      confidenceFactors: (a?.confidenceFactors ?? []).map((f) => ({
        key: f.key,
        label: f.label,
        factor: f.factor,
      })),
      dataQualityIssues: a?.dataQualityIssues ?? [],
      evm: {
        asOf: a?.evm.asOf ?? row.snapshot_date ?? '',
        percentComplete: a?.evm.percentComplete ?? null,
        plannedPercent: a?.evm.plannedPercent ?? null,
        scheduleSlipDays: a?.evm.scheduleSlipDays ?? null,
        hoursBurnRatio: a?.evm.hoursBurnRatio ?? null,
        hours: a?.evm.hours ?? null,
        money: a?.evm.money ?? null,
      },
      trend: (row.trend ?? []).map(trendPoint),
      milestones: (row.milestones ?? []).map((m): ProjectMilestoneView => ({
        id: Number(m.id),
        name: m.name ?? '',
        sequence: m.sequence,
        startDate: isoDay(m.start_date),
        targetDate: isoDay(m.target_date),
        complete: m.complete === true,
        isGate: isGateMilestone(m.name ?? ''),
        gate: null,
      })),
      escalations: escalations.map((e): EscalationLineView => ({
        id: e.id,
        cause: e.cause,
        severity: e.severity,
        state: e.status === 'acknowledged' && e.mitigationOwnerAgentId ? 'assigned' : e.status,
        details: escalationDetails(e, a),
        ownerName: nameOf(e.ownerAgentId),
        mitigationOwnerName: nameOf(e.mitigationOwnerAgentId),
        openedAt: e.openedAt,
        closedAt: e.closedAt,
      })),
      timeline: timeline(escalations, row.audit ?? [], nameOf),
      asOf: row.snapshot_date ?? '',
      evaluatedAt: isoTime(row.created_at) ?? '',
    };
  }
}

interface RawTrend {
  date: string;
  model_version?: string | null;
  score: number;
  rag: string;
  cpi: number | null;
  spi: number | null;
  burn: number | null;
  planned: number | null;
  complete: number | null;
}

interface RawMilestone {
  id: number | string;
  name: string | null;
  sequence: number | null;
  start_date: string | null;
  target_date: string | null;
  complete: boolean | null;
}

interface RawAudit {
  seq: number | string;
  at: string;
  subject_type: string;
  subject_id: string;
  action: string;
  actor: { name?: string } | null;
  detail: Record<string, unknown> | null;
}

const pct = (v: number | null) => (typeof v === 'number' ? Math.round(v * 1000) / 10 : null);
const num = (v: number | null) => (typeof v === 'number' ? v : null);

function trendPoint(t: RawTrend): TrendPointView {
  const rag: Rag = RAGS.includes(t.rag as Rag) ? (t.rag as Rag) : 'unknown';
  return {
    date: t.date,
    score: rag === 'unknown' ? null : t.score,
    rag,
    cpi: num(t.cpi),
    spi: num(t.spi),
    burnPercent: pct(t.burn),
    planPercent: pct(t.planned),
    completePercent: pct(t.complete),
    modelVersion: t.model_version ?? null,
  };
}

function escalationDetails(e: Escalation, a: ProjectAssessment | null): string[] {
  const driver = a?.drivers.find((d) => d.key === e.cause);
  if (!driver) return [];
  const view = driverView(driver);
  return [driver.explanation, `${view.value} (${view.threshold})`];
}

const ESCALATION_WORDS: Record<Escalation['events'][number]['action'], string> = {
  opened: 'opened',
  updated: 'updated',
  resolved: 'resolved',
  're-escalated': 're-escalated to the delivery director',
  acknowledged: 'acknowledged',
  assigned: 'assigned a mitigation owner',
  snoozed: 'snoozed',
  'snooze-ended': 'snooze ended',
  'false-positive': 'marked as a false positive',
};

function timeline(
  escalations: Escalation[],
  audit: RawAudit[],
  nameOf: (id: string | null) => string | null,
): TimelineEntryView[] {
  const entries: TimelineEntryView[] = [];
  for (const e of escalations) {
    for (const ev of e.events) {
      const words = ESCALATION_WORDS[ev.action] ?? ev.action;
      entries.push({
        at: ev.at,
        source: 'escalation',
        action: `escalation.${ev.action}`,
        actorName: ev.by === 'engine' ? 'Control Tower' : nameOf(ev.by),
        summary: `${e.cause} escalation ${words}${ev.note ? `: ${ev.note}` : ''}`,
      });
    }
  }
  for (const l of audit) {
    entries.push({
      at: new Date(l.at).toISOString(),
      source: 'audit',
      action: l.action,
      actorName: l.actor?.name ?? 'Control Tower',
      summary: `${l.action} (${l.subject_type} ${l.subject_id})`,
    });
  }
  return entries.sort((x, y) => x.at.localeCompare(y.at));
}
