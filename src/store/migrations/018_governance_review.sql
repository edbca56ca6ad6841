-- Versioned renewal policy per tenant and the monthly governance review as a workflow (SPEC §3.6).

-- Each saved renewal policy is a new version; the newest is the one the daily evaluation judges with.
-- With no row the built-in default (DEFAULT_RENEWAL_POLICY, its own version) applies.
CREATE TABLE renewal_policies (
  tenant_id text NOT NULL, version integer NOT NULL CHECK (version > 0),
  policy jsonb NOT NULL, created_at timestamptz NOT NULL, created_by text NOT NULL,
  -- Why this version exists: e.g. the governance suggestion it applies.
  reason text NOT NULL,
  PRIMARY KEY (tenant_id, version)
);

-- The policy version each readiness judgement was taken under (null for snapshots stored before 018).
ALTER TABLE renewal_snapshots ADD COLUMN policy_version integer;

-- One governance review per tenant per month, created on the first working day of the month.
CREATE TABLE governance_reviews (
  tenant_id text NOT NULL, month text NOT NULL CHECK (month ~ '^\d{4}-\d{2}$'),
  review jsonb NOT NULL, policy_version integer NOT NULL,
  created_at timestamptz NOT NULL,
  signed_off_by jsonb, signed_off_at timestamptz,
  PRIMARY KEY (tenant_id, month)
);

-- The cs lead's answer to one tuning suggestion of a review: recorded once (the key refuses a second).
CREATE TABLE governance_suggestion_decisions (
  tenant_id text NOT NULL, month text NOT NULL, suggestion_id text NOT NULL,
  decision text NOT NULL CHECK (decision IN ('accepted', 'rejected')),
  comment text, decided_by jsonb NOT NULL, decided_at timestamptz NOT NULL,
  -- The renewal policy version an accepted suggestion became (null when it changes no threshold).
  policy_version integer,
  PRIMARY KEY (tenant_id, month, suggestion_id),
  FOREIGN KEY (tenant_id, month) REFERENCES governance_reviews (tenant_id, month)
);
