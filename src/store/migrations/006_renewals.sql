-- Renewal and uplift loop (SPEC §3): readiness snapshots, 90/60/30 stage tasks and checkpoints, uplift
-- opportunities, concession requests with their one decision, and the renewal timeline.

-- One readiness judgement per contract per day (trends and "what changed").
CREATE TABLE renewal_snapshots (
  tenant_id text NOT NULL, contract_id bigint NOT NULL, snapshot_date date NOT NULL,
  client_id bigint, score double precision NOT NULL, band text NOT NULL,
  confidence double precision NOT NULL, flagged boolean NOT NULL DEFAULT false,
  flag_cause text, flag_severity text, end_date date, stage text NOT NULL,
  assessment jsonb NOT NULL, changes jsonb NOT NULL, data_quality jsonb NOT NULL DEFAULT '[]'::jsonb,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, contract_id, snapshot_date)
);
CREATE INDEX renewal_snapshots_latest ON renewal_snapshots (tenant_id, snapshot_date);

-- A stage of the renewal workflow, opened once when the end date enters its window.
CREATE TABLE renewal_stage_tasks (
  tenant_id text NOT NULL, contract_id bigint NOT NULL,
  stage text NOT NULL CHECK (stage IN ('90', '60', '30')),
  client_id bigint, owner_agent_id bigint, end_date date NOT NULL,
  opened_on date NOT NULL, checkpoint_due_on date NOT NULL,
  tasks jsonb NOT NULL, stakeholders jsonb NOT NULL DEFAULT '{}'::jsonb,
  status text NOT NULL CHECK (status IN ('open', 'checkpoint-logged', 'escalated', 'closed')),
  escalated_at timestamptz, version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, contract_id, stage)
);
CREATE INDEX renewal_stage_tasks_status ON renewal_stage_tasks (tenant_id, status, checkpoint_due_on);

-- A customer checkpoint: the meeting, its notes and the owner's call, compared with the score.
CREATE TABLE renewal_checkpoints (
  tenant_id text NOT NULL, id bigint GENERATED ALWAYS AS IDENTITY,
  contract_id bigint NOT NULL, stage text NOT NULL CHECK (stage IN ('90', '60', '30')),
  meeting_on date NOT NULL, notes text NOT NULL,
  owner_call text NOT NULL CHECK (owner_call IN ('renew', 'at-risk', 'churn', 'monitor')),
  score double precision, band text, disagrees boolean NOT NULL, routed_to text,
  logged_by jsonb NOT NULL, logged_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX renewal_checkpoints_contract ON renewal_checkpoints (tenant_id, contract_id, logged_at);

-- Uplift opportunities; the id is stable (`<contract>:<kind>:<subject>`) so re-detection never duplicates.
CREATE TABLE uplift_opportunities (
  tenant_id text NOT NULL, id text NOT NULL,
  contract_id bigint NOT NULL, client_id bigint, kind text NOT NULL, subject text NOT NULL,
  estimated_monthly_uplift double precision NOT NULL, evidence jsonb NOT NULL,
  status text NOT NULL CHECK (status IN ('proposed', 'accepted', 'declined')),
  detected_on date NOT NULL, decided_on date, decided_by text,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX uplift_opportunities_contract ON uplift_opportunities (tenant_id, contract_id);

-- Concession / pricing-exception requests. `version` is the compare-and-set token of the decision.
CREATE TABLE concession_requests (
  tenant_id text NOT NULL, id bigint GENERATED ALWAYS AS IDENTITY,
  contract_id bigint NOT NULL, client_id bigint,
  discount_pct double precision NOT NULL CHECK (discount_pct > 0 AND discount_pct <= 100),
  reason text NOT NULL, assessment jsonb NOT NULL,
  approver_tier text NOT NULL CHECK (approver_tier IN ('cs_lead', 'msp_owner')),
  status text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
  version integer NOT NULL DEFAULT 1,
  requested_by jsonb NOT NULL, requested_by_key text NOT NULL, requested_at timestamptz NOT NULL,
  decided_by jsonb, decided_at timestamptz, comment text,
  PRIMARY KEY (tenant_id, id)
);
-- One open request per contract at a time.
CREATE UNIQUE INDEX concession_requests_one_pending ON concession_requests (tenant_id, contract_id)
  WHERE status = 'pending';

-- The decision, at most one per request (a second concurrent decision fails on the key).
CREATE TABLE concession_decisions (
  tenant_id text NOT NULL, concession_id bigint NOT NULL,
  decision text NOT NULL CHECK (decision IN ('approved', 'rejected')),
  decided_by jsonb NOT NULL, decided_at timestamptz NOT NULL, comment text,
  PRIMARY KEY (tenant_id, concession_id)
);

-- Where a concession card was posted (so a decision updates it in place for everyone).
CREATE TABLE concession_cards (
  tenant_id text NOT NULL, concession_id bigint NOT NULL, dedupe_key text NOT NULL,
  PRIMARY KEY (tenant_id, concession_id)
);

-- The renewal timeline: every intervention and outcome on a contract, in order.
CREATE TABLE renewal_events (
  tenant_id text NOT NULL, id bigint GENERATED ALWAYS AS IDENTITY,
  contract_id bigint NOT NULL, at timestamptz NOT NULL, kind text NOT NULL,
  actor text, summary text NOT NULL, detail jsonb NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX renewal_events_contract ON renewal_events (tenant_id, contract_id, at, id);

-- Renewal KPIs captured daily: the first is the week-1 baseline, movement is shown at week 4 and week 8.
CREATE TABLE renewal_kpi_snapshots (
  tenant_id text NOT NULL, captured_on date NOT NULL, kpis jsonb NOT NULL, detail jsonb NOT NULL,
  PRIMARY KEY (tenant_id, captured_on)
);
