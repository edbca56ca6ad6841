-- Renewal outcomes: how each tracked contract term ended, written once per (contract, end date) by the
-- daily renewal evaluation, with the readiness the contract had 90/60/30 days before that end.
CREATE TABLE renewal_outcomes (
  tenant_id text NOT NULL,
  contract_id bigint NOT NULL,
  end_date date NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('renewed', 'churned')),
  how text NOT NULL CHECK (how IN ('extended', 'successor', 'ended', 'inactive')),
  decided_on date NOT NULL,
  successor_contract_id bigint,
  new_end_date date,
  starting_mrr double precision NOT NULL,
  ending_mrr double precision NOT NULL,
  readiness jsonb NOT NULL,
  recorded_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, contract_id, end_date)
);

-- Delivery KPIs captured daily (the trailing four weeks as of the day), like renewal_kpi_snapshots.
CREATE TABLE delivery_kpi_snapshots (
  tenant_id text NOT NULL, captured_on date NOT NULL, kpis jsonb NOT NULL, detail jsonb NOT NULL,
  PRIMARY KEY (tenant_id, captured_on)
);

-- The frozen KPI baseline of each family: the first snapshot on or after the pilot start (pilot_key is
-- that start date, or '' when the tenant set none), copied once and never replaced.
CREATE TABLE kpi_baselines (
  tenant_id text NOT NULL,
  family text NOT NULL CHECK (family IN ('renewal', 'delivery')),
  pilot_key text NOT NULL,
  captured_on date NOT NULL,
  kpis jsonb NOT NULL,
  frozen_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, family, pilot_key)
);
