-- Stage gates (SPEC §2.4): gates, frozen pack versions, evidence files, decisions, SLA notices, and the
-- HaloPSA write-back queue (decisions written back as notes, retried until done).

-- One gate per project milestone; `pack_version` is the version approvers decide on (compare-and-set).
CREATE TABLE gates (
  tenant_id text NOT NULL,
  id text NOT NULL,
  project_id bigint NOT NULL,
  milestone_id bigint NOT NULL,
  milestone_name text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'changes-requested')),
  pack_version integer NOT NULL,
  pack_hash text NOT NULL,
  required_approvals integer NOT NULL CHECK (required_approvals IN (1, 2)),
  approvals integer NOT NULL DEFAULT 0,
  requested_by jsonb NOT NULL,
  requested_at timestamptz NOT NULL,
  decided_at timestamptz,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, project_id, milestone_id)
);
CREATE INDEX gates_status ON gates (tenant_id, status, requested_at);

-- Every submitted pack, frozen: its canonical JSON and SHA-256 never change.
CREATE TABLE gate_pack_versions (
  tenant_id text NOT NULL,
  gate_id text NOT NULL,
  version integer NOT NULL,
  pack jsonb NOT NULL,
  canonical text NOT NULL,
  hash text NOT NULL,
  submitted_by jsonb NOT NULL,
  submitted_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, gate_id, version)
);

-- Evidence files uploaded for a gate (bytes in the evidence store; the SHA-256 enters the pack hash).
CREATE TABLE gate_evidence_files (
  tenant_id text NOT NULL,
  id text NOT NULL,
  gate_id text NOT NULL,
  project_id bigint NOT NULL,
  milestone_id bigint NOT NULL,
  name text NOT NULL,
  path text NOT NULL,
  size bigint NOT NULL,
  sha256 text NOT NULL,
  content_type text NOT NULL,
  web_url text,
  stored_at timestamptz NOT NULL,
  uploaded_by jsonb NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX gate_evidence_files_gate ON gate_evidence_files (tenant_id, gate_id);

-- Decisions: one per slot and one per approver on a pack version, so concurrency cannot double-decide.
CREATE TABLE gate_decisions (
  tenant_id text NOT NULL,
  gate_id text NOT NULL,
  pack_version integer NOT NULL,
  slot integer NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('approve', 'reject', 'request-changes')),
  approver_aad_object_id text NOT NULL,
  approver_name text NOT NULL,
  approver_email text,
  comment text NOT NULL DEFAULT '',
  decided_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, gate_id, pack_version, slot),
  UNIQUE (tenant_id, gate_id, pack_version, approver_aad_object_id)
);

-- SLA notices sent for a pack version (each kind once).
CREATE TABLE gate_sla_notices (
  tenant_id text NOT NULL,
  gate_id text NOT NULL,
  pack_version integer NOT NULL,
  kind text NOT NULL CHECK (kind IN ('reminder', 'escalation')),
  sent_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, gate_id, pack_version, kind)
);

-- HaloPSA writes decided in a transaction and performed later, retried until done (exactly once: each
-- note carries a marker that is looked for before a retry posts again).
CREATE TABLE halo_writebacks (
  tenant_id text NOT NULL,
  id bigint GENERATED ALWAYS AS IDENTITY,
  dedupe_key text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('note', 'milestone-complete')),
  subject_type text NOT NULL,
  subject_id text NOT NULL,
  ticket_id bigint NOT NULL,
  payload jsonb NOT NULL,
  marker text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'sending', 'done', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  claimed_by text,
  claimed_until timestamptz,
  next_attempt_at timestamptz NOT NULL,
  last_error text,
  halo_id text,
  created_at timestamptz NOT NULL,
  done_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, dedupe_key)
);
CREATE INDEX halo_writebacks_due ON halo_writebacks (tenant_id, status, next_attempt_at);
