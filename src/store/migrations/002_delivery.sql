-- Delivery control loop state: policy versions, project baselines, daily health snapshots, escalations.

CREATE TABLE delivery_policies (
  tenant_id text NOT NULL, version integer NOT NULL,
  config jsonb NOT NULL, created_at timestamptz NOT NULL, created_by text NOT NULL,
  PRIMARY KEY (tenant_id, version)
);

-- A baseline is captured once; a re-baseline is a new, explicit version with a reason and an author.
CREATE TABLE project_baselines (
  tenant_id text NOT NULL, project_id bigint NOT NULL, version integer NOT NULL,
  baseline jsonb NOT NULL, captured_at timestamptz NOT NULL,
  reason text NOT NULL, changed_by text NOT NULL,
  PRIMARY KEY (tenant_id, project_id, version)
);

CREATE TABLE health_snapshots (
  tenant_id text NOT NULL, project_id bigint NOT NULL, snapshot_date date NOT NULL,
  score double precision NOT NULL, rag text NOT NULL, confidence double precision NOT NULL,
  risk_tags text[] NOT NULL, assessment jsonb NOT NULL, changes jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, project_id, snapshot_date)
);

CREATE TABLE escalations (
  tenant_id text NOT NULL, id text NOT NULL,
  project_id bigint NOT NULL, client_id text, cause text NOT NULL,
  status text NOT NULL, severity text NOT NULL, state jsonb NOT NULL,
  opened_at timestamptz NOT NULL, updated_at timestamptz NOT NULL, closed_at timestamptz,
  PRIMARY KEY (tenant_id, id)
);
-- One live escalation per project and cause.
CREATE UNIQUE INDEX escalations_one_active ON escalations (tenant_id, project_id, cause)
  WHERE status IN ('open', 'acknowledged', 'snoozed');
CREATE INDEX escalations_project ON escalations (tenant_id, project_id);
