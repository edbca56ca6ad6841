-- The local mirror of HaloPSA. Every row carries tenant_id. `raw` is the record exactly as HaloPSA
-- served it in a list (so the store can be compared with the source); `hash` is its canonical hash;
-- typed columns hold what the engines query. Full records (project milestones and budgets, contract
-- entitlements) are kept in `detail`.

CREATE TABLE halo_clients (
  tenant_id text NOT NULL, id bigint NOT NULL,
  name text, inactive boolean NOT NULL DEFAULT false, account_manager_id bigint, is_vip boolean,
  last_update timestamptz, raw jsonb NOT NULL, hash text NOT NULL, synced_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE halo_agents (
  tenant_id text NOT NULL, id bigint NOT NULL,
  name text, email text, inactive boolean NOT NULL DEFAULT false,
  last_update timestamptz, raw jsonb NOT NULL, hash text NOT NULL, synced_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX halo_agents_email ON halo_agents (tenant_id, lower(email));

CREATE TABLE halo_statuses (
  tenant_id text NOT NULL, id bigint NOT NULL,
  name text,
  last_update timestamptz, raw jsonb NOT NULL, hash text NOT NULL, synced_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE halo_projects (
  tenant_id text NOT NULL, id bigint NOT NULL,
  client_id bigint, summary text, status_id bigint, agent_id bigint, tickettype_id bigint,
  date_occurred timestamptz, start_date timestamptz, target_date timestamptz,
  deadline_date timestamptz, date_closed timestamptz,
  time_budget double precision, money_budget double precision,
  time_actual double precision, money_actual double precision, on_hold boolean,
  detail jsonb,
  last_update timestamptz, raw jsonb NOT NULL, hash text NOT NULL, synced_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX halo_projects_client ON halo_projects (tenant_id, client_id);

CREATE TABLE halo_milestones (
  tenant_id text NOT NULL, id bigint NOT NULL,
  project_id bigint NOT NULL, name text, sequence integer,
  start_date timestamptz, target_date timestamptz, complete boolean, value double precision,
  raw jsonb NOT NULL, synced_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX halo_milestones_project ON halo_milestones (tenant_id, project_id);

CREATE TABLE halo_tasks (
  tenant_id text NOT NULL, id bigint NOT NULL,
  project_id bigint, milestone_id bigint, summary text, status_id bigint, agent_id bigint,
  tickettype_id bigint, estimate_hours double precision, date_occurred timestamptz,
  target_date timestamptz, date_closed timestamptz, on_hold boolean,
  last_update timestamptz, raw jsonb NOT NULL, hash text NOT NULL, synced_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX halo_tasks_project ON halo_tasks (tenant_id, project_id);

CREATE TABLE halo_tickets (
  tenant_id text NOT NULL, id bigint NOT NULL,
  client_id bigint, status_id bigint, priority_id bigint, tickettype_id bigint, agent_id bigint,
  category text, date_occurred timestamptz, date_closed timestamptz,
  sla_state text, sla_percent_used double precision,
  last_update timestamptz, raw jsonb NOT NULL, hash text NOT NULL, synced_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX halo_tickets_client ON halo_tickets (tenant_id, client_id, date_occurred);

CREATE TABLE halo_actions (
  tenant_id text NOT NULL, id bigint NOT NULL,
  ticket_id bigint, action_at timestamptz, who_agent_id bigint, new_status bigint,
  outcome text, timetaken double precision,
  last_update timestamptz, raw jsonb NOT NULL, hash text NOT NULL, synced_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX halo_actions_ticket ON halo_actions (tenant_id, ticket_id, action_at);

CREATE TABLE halo_timesheet_events (
  tenant_id text NOT NULL, id bigint NOT NULL,
  ticket_id bigint, agent_id bigint, client_id bigint, contract_id bigint,
  start_at timestamptz, end_at timestamptz, hours double precision, charge_rate double precision,
  last_update timestamptz, raw jsonb NOT NULL, hash text NOT NULL, synced_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX halo_timesheet_events_ticket ON halo_timesheet_events (tenant_id, ticket_id, start_at);
CREATE INDEX halo_timesheet_events_agent ON halo_timesheet_events (tenant_id, agent_id, start_at);

CREATE TABLE halo_contracts (
  tenant_id text NOT NULL, id bigint NOT NULL,
  client_id bigint, ref text, start_date timestamptz, end_date timestamptz,
  period_charge double precision, hours_per_period double precision,
  prepay_balance double precision, cost_per_period double precision,
  billing_period text, active boolean, detail jsonb,
  last_update timestamptz, raw jsonb NOT NULL, hash text NOT NULL, synced_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX halo_contracts_client ON halo_contracts (tenant_id, client_id);

CREATE TABLE halo_recurring_invoices (
  tenant_id text NOT NULL, id bigint NOT NULL,
  client_id bigint, contract_id bigint, total double precision,
  last_update timestamptz, raw jsonb NOT NULL, hash text NOT NULL, synced_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE halo_invoices (
  tenant_id text NOT NULL, id bigint NOT NULL,
  client_id bigint, contract_id bigint, invoice_date timestamptz, due_date timestamptz,
  total double precision, amount_paid double precision, amount_due double precision,
  payment_status text,
  last_update timestamptz, raw jsonb NOT NULL, hash text NOT NULL, synced_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX halo_invoices_client ON halo_invoices (tenant_id, client_id);

-- Records HaloPSA served that fail validation: listed, never acted on, never silently dropped.
CREATE TABLE data_quality_exceptions (
  tenant_id text NOT NULL, resource text NOT NULL, record_id text NOT NULL, field text NOT NULL,
  problem text NOT NULL, first_seen timestamptz NOT NULL, last_seen timestamptz NOT NULL,
  resolved_at timestamptz,
  PRIMARY KEY (tenant_id, resource, record_id, field)
);

-- Where each resource's sync stands, so a killed sync resumes instead of restarting.
CREATE TABLE sync_checkpoints (
  tenant_id text NOT NULL, resource text NOT NULL,
  mode text NOT NULL,               -- 'full' | 'incremental'
  run_started_at timestamptz NOT NULL,
  since timestamptz,                -- lastupdatefromdate of an incremental run
  next_page integer NOT NULL,       -- next page to read (1-based)
  completed boolean NOT NULL DEFAULT false,
  watermark timestamptz,            -- start of the last completed run: the next incremental reads from here
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, resource)
);

-- Webhook delivery ids already handled: HaloPSA may deliver one event more than once.
CREATE TABLE webhook_deliveries (
  tenant_id text NOT NULL, delivery_id text NOT NULL, event text, object_id bigint,
  received_at timestamptz NOT NULL, processed_at timestamptz, error text,
  PRIMARY KEY (tenant_id, delivery_id)
);

-- One row per scheduled occurrence of a job: the primary key makes it run once across instances.
CREATE TABLE job_runs (
  tenant_id text NOT NULL, job text NOT NULL, scheduled_for timestamptz NOT NULL,
  instance_id text NOT NULL, started_at timestamptz NOT NULL, finished_at timestamptz,
  status text NOT NULL, error text,
  PRIMARY KEY (tenant_id, job, scheduled_for)
);
