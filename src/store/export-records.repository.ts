import type {
  ConcessionRecord,
  EscalationOutcomes,
  ExportRecords,
  GateDecisionRecord,
  RiskEscalationRecord,
} from '../app/exports/export-records.port';
import type { Escalation } from '../domain/delivery/escalation';
import type { Db } from './db';

const iso = (value: Date | string | null): string | null =>
  value === null ? null : new Date(value).toISOString();

/** The exports' whole-tenant lists, read from the mirror, escalations, gates and concessions. */
export class SqlExportRecords implements ExportRecords {
  constructor(
    private readonly db: Db,
    private readonly tenantId: string,
  ) {}

  async agentNames(): Promise<Map<string, string>> {
    const rows = await this.db.query<{ id: string | number; name: string }>(
      `SELECT id, name FROM halo_agents WHERE tenant_id = $1`,
      [this.tenantId],
    );
    return new Map(rows.map((a) => [String(a.id), a.name]));
  }

  async escalationOutcomes(): Promise<EscalationOutcomes> {
    const [row] = await this.db.query<{
      opened: string | number;
      confirmed: string | number;
      false_positives: string | number;
      still_open: string | number;
    }>(
      `SELECT count(*) AS opened,
              count(*) FILTER (WHERE status <> 'false-positive'
                AND (state->>'acknowledgedAt' IS NOT NULL
                     OR state->>'mitigationOwnerAgentId' IS NOT NULL)) AS confirmed,
              count(*) FILTER (WHERE status = 'false-positive') AS false_positives,
              count(*) FILTER (WHERE status IN ('open', 'acknowledged', 'snoozed')) AS still_open
         FROM escalations WHERE tenant_id = $1`,
      [this.tenantId],
    );
    return {
      opened: Number(row?.opened ?? 0),
      confirmed: Number(row?.confirmed ?? 0),
      falsePositives: Number(row?.false_positives ?? 0),
      stillOpen: Number(row?.still_open ?? 0),
    };
  }

  async openEscalations(): Promise<RiskEscalationRecord[]> {
    const [rows, agents] = await Promise.all([
      this.db.query<{
        id: string;
        project_id: string | number;
        summary: string | null;
        client_id: string | number | null;
        client_name: string | null;
        cause: string;
        severity: string;
        status: string;
        opened_at: Date | string;
        state: Escalation;
      }>(
        `SELECT e.id, e.project_id, p.summary, p.client_id, c.name AS client_name, e.cause,
                e.severity, e.status, e.opened_at, e.state
           FROM escalations e
           LEFT JOIN halo_projects p ON p.tenant_id = e.tenant_id AND p.id = e.project_id
           LEFT JOIN halo_clients c ON c.tenant_id = p.tenant_id AND c.id = p.client_id
          WHERE e.tenant_id = $1 AND e.status IN ('open', 'acknowledged', 'snoozed')
          ORDER BY CASE e.severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END,
                   e.opened_at, e.id`,
        [this.tenantId],
      ),
      this.db.query<{ id: string | number; name: string }>(
        `SELECT id, name FROM halo_agents WHERE tenant_id = $1`,
        [this.tenantId],
      ),
    ]);
    const names = new Map(agents.map((a) => [String(a.id), a.name]));
    const nameOf = (id: string | null) => (id === null ? null : (names.get(id) ?? id));
    return rows.map((r) => {
      const e = r.state;
      const notes = (e.events ?? []).filter((ev) => ev.by !== 'engine' && ev.note);
      return {
        escalationId: r.id,
        projectId: Number(r.project_id),
        projectName: r.summary ?? `Project ${r.project_id}`,
        clientId: r.client_id === null ? null : Number(r.client_id),
        clientName: r.client_name ?? '',
        cause: r.cause,
        severity: r.severity,
        status: r.status,
        ownerName: nameOf(e.ownerAgentId ?? null),
        mitigationOwnerName: nameOf(e.mitigationOwnerAgentId ?? null),
        mitigation: notes[notes.length - 1]?.note ?? null,
        openedAt: iso(r.opened_at) ?? '',
        dueAt: e.snoozedUntil ?? e.acknowledgeBy ?? null,
      };
    });
  }

  async gateDecisions(): Promise<GateDecisionRecord[]> {
    const rows = await this.db.query<{
      id: string;
      project_id: string | number;
      summary: string | null;
      client_name: string | null;
      milestone_name: string;
      status: string;
      pack_version: number;
      pack_hash: string;
      requested_at: Date | string;
      gate_decided_at: Date | string | null;
      outcome: string | null;
      approver_name: string | null;
      comment: string | null;
      decided_at: Date | string | null;
    }>(
      `SELECT g.id, g.project_id, p.summary, c.name AS client_name, g.milestone_name, g.status,
              g.pack_version, g.pack_hash, g.requested_at, g.decided_at AS gate_decided_at,
              d.outcome, d.approver_name, d.comment, d.decided_at
         FROM gates g
         LEFT JOIN gate_decisions d ON d.tenant_id = g.tenant_id AND d.gate_id = g.id
         LEFT JOIN halo_projects p ON p.tenant_id = g.tenant_id AND p.id = g.project_id
         LEFT JOIN halo_clients c ON c.tenant_id = p.tenant_id AND c.id = p.client_id
        WHERE g.tenant_id = $1
        ORDER BY g.requested_at DESC, g.id, d.decided_at NULLS LAST, d.slot`,
      [this.tenantId],
    );
    return rows.map((r) => ({
      gateId: r.id,
      projectId: Number(r.project_id),
      projectName: r.summary ?? `Project ${r.project_id}`,
      clientName: r.client_name ?? '',
      milestoneName: r.milestone_name,
      status: r.status,
      packVersion: Number(r.pack_version),
      packHash: r.pack_hash,
      requestedAt: iso(r.requested_at) ?? '',
      gateDecidedAt: iso(r.gate_decided_at),
      outcome: r.outcome,
      approverName: r.approver_name,
      comment: r.comment,
      decidedAt: iso(r.decided_at),
    }));
  }

  async concessions(): Promise<ConcessionRecord[]> {
    const rows = await this.db.query<{
      id: string | number;
      contract_id: string | number;
      ref: string | null;
      client_id: string | number | null;
      client_name: string | null;
      discount_pct: number;
      status: string;
      approver_tier: string;
      reason: string;
      requested_by: { name?: string } | null;
      requested_at: Date | string;
      decided_by: { name?: string } | null;
      decided_at: Date | string | null;
    }>(
      `SELECT r.id, r.contract_id, k.ref, r.client_id, c.name AS client_name, r.discount_pct,
              r.status, r.approver_tier, r.reason, r.requested_by, r.requested_at, r.decided_by,
              r.decided_at
         FROM concession_requests r
         LEFT JOIN halo_contracts k ON k.tenant_id = r.tenant_id AND k.id = r.contract_id
         LEFT JOIN halo_clients c ON c.tenant_id = r.tenant_id AND c.id = r.client_id
        WHERE r.tenant_id = $1
        ORDER BY r.requested_at DESC, r.id DESC`,
      [this.tenantId],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      contractId: Number(r.contract_id),
      contractRef: r.ref ?? `Contract ${r.contract_id}`,
      clientId: r.client_id === null ? null : Number(r.client_id),
      clientName: r.client_name ?? '',
      discountPct: Number(r.discount_pct),
      status: r.status,
      approverTier: r.approver_tier,
      reason: r.reason,
      requestedByName: r.requested_by?.name ?? '',
      requestedAt: iso(r.requested_at) ?? '',
      decidedByName: r.decided_by?.name ?? null,
      decidedAt: iso(r.decided_at),
    }));
  }
}
