import type {
  GateDecisionRow,
  GateFileRow,
  GateListFilter,
  GateRepository,
  GateRow,
  GateSlaNotice,
} from '../app/gates/gate-repository.port';
import type { GatePerson } from '../app/gates/gate-views';
import type { EvidencePack } from '../domain/gates/evidence-pack';
import type { GateOutcome, GateStatus } from '../domain/gates/gate-decision';
import type { Db } from './db';

type RawGate = {
  id: string;
  project_id: string | number;
  milestone_id: string | number;
  milestone_name: string;
  status: GateStatus;
  pack_version: number;
  pack_hash: string;
  required_approvals: number;
  approvals: number;
  requested_by: GatePerson;
  requested_at: Date | string;
  decided_at: Date | string | null;
  updated_at: Date | string;
};

const GATE_COLUMNS = `id, project_id, milestone_id, milestone_name, status, pack_version, pack_hash,
  required_approvals, approvals, requested_by, requested_at, decided_at, updated_at`;

const iso = (value: Date | string): string => new Date(value).toISOString();
const json = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

function toGate(raw: RawGate): GateRow {
  return {
    id: raw.id,
    projectId: Number(raw.project_id),
    milestoneId: Number(raw.milestone_id),
    milestoneName: raw.milestone_name,
    status: raw.status,
    packVersion: Number(raw.pack_version),
    packHash: raw.pack_hash,
    requiredApprovals: Number(raw.required_approvals),
    approvals: Number(raw.approvals),
    requestedBy: json<GatePerson>(raw.requested_by),
    requestedAt: iso(raw.requested_at),
    decidedAt: raw.decided_at === null ? null : iso(raw.decided_at),
    updatedAt: iso(raw.updated_at),
  };
}

type RawDecision = {
  pack_version: number;
  slot: number;
  outcome: GateOutcome;
  approver_aad_object_id: string;
  approver_name: string;
  approver_email: string | null;
  comment: string;
  decided_at: Date | string;
};

function toDecision(r: RawDecision): GateDecisionRow {
  return {
    packVersion: Number(r.pack_version),
    slot: Number(r.slot),
    outcome: r.outcome,
    by: { aadObjectId: r.approver_aad_object_id, name: r.approver_name, email: r.approver_email },
    at: iso(r.decided_at),
    comment: r.comment,
  };
}

/** Stage gates in SQL (migration 005): gates, pack versions, files, decisions, SLA notices. */
export class SqlGateRepository implements GateRepository {
  constructor(
    private readonly db: Db,
    private readonly tenantId: string,
  ) {}

  async find(gateId: string, forUpdate = false): Promise<GateRow | null> {
    const rows = await this.db.query<RawGate>(
      `SELECT ${GATE_COLUMNS} FROM gates WHERE tenant_id = $1 AND id = $2${forUpdate ? ' FOR UPDATE' : ''}`,
      [this.tenantId, gateId],
    );
    return rows[0] ? toGate(rows[0]) : null;
  }

  async findCurrent(
    gateId: string,
  ): Promise<{ gate: GateRow; pack: EvidencePack | null; decisions: GateDecisionRow[] } | null> {
    const rows = await this.db.query<
      RawGate & { current_pack: unknown; current_decisions: unknown }
    >(
      `SELECT ${GATE_COLUMNS},
              (SELECT v.pack FROM gate_pack_versions v
                WHERE v.tenant_id = g.tenant_id AND v.gate_id = g.id AND v.version = g.pack_version) AS current_pack,
              (SELECT coalesce(json_agg(json_build_object(
                        'pack_version', d.pack_version, 'slot', d.slot, 'outcome', d.outcome,
                        'approver_aad_object_id', d.approver_aad_object_id, 'approver_name', d.approver_name,
                        'approver_email', d.approver_email, 'comment', d.comment, 'decided_at', d.decided_at)
                      ORDER BY d.slot), '[]')
                 FROM gate_decisions d
                WHERE d.tenant_id = g.tenant_id AND d.gate_id = g.id AND d.pack_version = g.pack_version
              ) AS current_decisions
         FROM gates g WHERE g.tenant_id = $1 AND g.id = $2`,
      [this.tenantId, gateId],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      gate: toGate(row),
      pack: row.current_pack === null ? null : json<EvidencePack>(row.current_pack),
      decisions: json<RawDecision[]>(row.current_decisions).map(toDecision),
    };
  }

  async list(filter: GateListFilter): Promise<GateRow[]> {
    const rows = await this.db.query<RawGate>(
      `SELECT ${GATE_COLUMNS.split(',')
        .map((c) => `g.${c.trim()}`)
        .join(', ')} FROM gates g
         LEFT JOIN halo_projects p ON p.tenant_id = g.tenant_id AND p.id = g.project_id
        WHERE g.tenant_id = $1
          AND ($2::text[] IS NULL OR g.status = ANY($2::text[]))
          AND ($3::text IS NULL OR g.requested_by->>'aadObjectId' = $3 OR p.agent_id = $4::bigint)
        ORDER BY g.requested_at, g.id LIMIT 200`,
      [
        this.tenantId,
        filter.statuses ?? null,
        filter.requestedBy ?? null,
        filter.projectManagerAgentId ?? null,
      ],
    );
    return rows.map(toGate);
  }

  async saveRequest(
    gate: Omit<GateRow, 'decidedAt' | 'updatedAt' | 'approvals' | 'status'>,
    pack: EvidencePack,
    canonical: string,
    now: string,
  ): Promise<void> {
    await this.db.query(
      `INSERT INTO gates (tenant_id, id, project_id, milestone_id, milestone_name, status, pack_version,
                          pack_hash, required_approvals, approvals, requested_by, requested_at, decided_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7, $8, 0, $9, $10, NULL, $10)
       ON CONFLICT (tenant_id, id) DO UPDATE SET status = 'pending', pack_version = $6, pack_hash = $7,
              required_approvals = $8, approvals = 0, requested_by = $9, requested_at = $10,
              decided_at = NULL, updated_at = $10, milestone_name = $5`,
      [
        this.tenantId,
        gate.id,
        gate.projectId,
        gate.milestoneId,
        gate.milestoneName,
        gate.packVersion,
        gate.packHash,
        gate.requiredApprovals,
        JSON.stringify(gate.requestedBy),
        now,
      ],
    );
    await this.db.query(
      `INSERT INTO gate_pack_versions (tenant_id, gate_id, version, pack, canonical, hash, submitted_by, submitted_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        this.tenantId,
        gate.id,
        gate.packVersion,
        JSON.stringify(pack),
        canonical,
        gate.packHash,
        JSON.stringify(gate.requestedBy),
        now,
      ],
    );
  }

  async pack(gateId: string, version: number): Promise<EvidencePack | null> {
    const rows = await this.db.query<{ pack: unknown }>(
      'SELECT pack FROM gate_pack_versions WHERE tenant_id = $1 AND gate_id = $2 AND version = $3',
      [this.tenantId, gateId, version],
    );
    return rows[0] ? json<EvidencePack>(rows[0].pack) : null;
  }

  async recordDecision(
    gateId: string,
    expected: { status: GateStatus; packVersion: number; approvals: number },
    next: { status: GateStatus; approvals: number; decidedAt: string | null; updatedAt: string },
    decision: GateDecisionRow,
  ): Promise<boolean> {
    // One statement: the decision row is inserted only from the swapped gate row. A taken slot
    // leaves the gate updated without a decision, so the caller rolls back on false.
    const rows = await this.db.query(
      `WITH swapped AS (
         UPDATE gates SET status = $6, approvals = $7, decided_at = $8, updated_at = $9
          WHERE tenant_id = $1 AND id = $2 AND status = $3 AND pack_version = $4 AND approvals = $5
          RETURNING tenant_id, id)
       INSERT INTO gate_decisions (tenant_id, gate_id, pack_version, slot, outcome, approver_aad_object_id,
                                   approver_name, approver_email, comment, decided_at)
       SELECT tenant_id, id, $10::int, $11::int, $12::text, $13::text, $14::text, $15::text, $16::text,
              $17::timestamptz FROM swapped
       ON CONFLICT DO NOTHING RETURNING slot`,
      [
        this.tenantId,
        gateId,
        expected.status,
        expected.packVersion,
        expected.approvals,
        next.status,
        next.approvals,
        next.decidedAt,
        next.updatedAt,
        decision.packVersion,
        decision.slot,
        decision.outcome,
        decision.by.aadObjectId,
        decision.by.name,
        decision.by.email,
        decision.comment,
        decision.at,
      ],
    );
    return rows.length === 1;
  }

  async decisions(gateId: string, packVersion?: number): Promise<GateDecisionRow[]> {
    const rows = await this.db.query<RawDecision>(
      `SELECT pack_version, slot, outcome, approver_aad_object_id, approver_name, approver_email, comment, decided_at
         FROM gate_decisions WHERE tenant_id = $1 AND gate_id = $2 AND ($3::int IS NULL OR pack_version = $3::int)
        ORDER BY pack_version, slot`,
      [this.tenantId, gateId, packVersion ?? null],
    );
    return rows.map(toDecision);
  }

  async insertFile(file: GateFileRow): Promise<void> {
    await this.db.query(
      `INSERT INTO gate_evidence_files (tenant_id, id, gate_id, project_id, milestone_id, name, path, size,
                                        sha256, content_type, web_url, stored_at, uploaded_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        this.tenantId,
        file.id,
        file.gateId,
        file.projectId,
        file.milestoneId,
        file.name,
        file.path,
        file.size,
        file.sha256,
        file.contentType,
        file.webUrl,
        file.storedAt,
        JSON.stringify(file.uploadedBy),
      ],
    );
  }

  async files(gateId: string): Promise<GateFileRow[]> {
    const rows = await this.db.query<{
      id: string;
      gate_id: string;
      project_id: number;
      milestone_id: number;
      name: string;
      path: string;
      size: number;
      sha256: string;
      content_type: string;
      web_url: string | null;
      stored_at: Date | string;
      uploaded_by: unknown;
    }>(
      `SELECT id, gate_id, project_id, milestone_id, name, path, size, sha256, content_type, web_url, stored_at,
              uploaded_by
         FROM gate_evidence_files WHERE tenant_id = $1 AND gate_id = $2 ORDER BY stored_at, id`,
      [this.tenantId, gateId],
    );
    return rows.map((r) => ({
      id: r.id,
      gateId: r.gate_id,
      projectId: Number(r.project_id),
      milestoneId: Number(r.milestone_id),
      name: r.name,
      path: r.path,
      size: Number(r.size),
      sha256: r.sha256,
      contentType: r.content_type,
      webUrl: r.web_url,
      storedAt: iso(r.stored_at),
      uploadedBy: json<GatePerson>(r.uploaded_by),
    }));
  }

  async markSlaNotice(
    gateId: string,
    packVersion: number,
    kind: GateSlaNotice,
    now: string,
  ): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO gate_sla_notices (tenant_id, gate_id, pack_version, kind, sent_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING RETURNING kind`,
      [this.tenantId, gateId, packVersion, kind, now],
    );
    return rows.length === 1;
  }

  async slaNoticesSent(gateId: string, packVersion: number): Promise<Set<GateSlaNotice>> {
    const rows = await this.db.query<{ kind: GateSlaNotice }>(
      'SELECT kind FROM gate_sla_notices WHERE tenant_id = $1 AND gate_id = $2 AND pack_version = $3',
      [this.tenantId, gateId, packVersion],
    );
    return new Set(rows.map((r) => r.kind));
  }

  async byProject(projectId: number): Promise<(GateRow & { fileCount: number })[]> {
    const rows = await this.db.query<RawGate & { file_count: number | string }>(
      `SELECT ${GATE_COLUMNS.split(',')
        .map((c) => `g.${c.trim()}`)
        .join(', ')},
              (SELECT count(*) FROM gate_evidence_files f WHERE f.tenant_id = g.tenant_id AND f.gate_id = g.id) AS file_count
         FROM gates g WHERE g.tenant_id = $1 AND g.project_id = $2 ORDER BY g.milestone_id`,
      [this.tenantId, projectId],
    );
    return rows.map((r) => ({ ...toGate(r), fileCount: Number(r.file_count) }));
  }
}
