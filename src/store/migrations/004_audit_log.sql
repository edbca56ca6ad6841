-- The tamper-evident audit timeline (SPEC §2.4, §3.5): one hash chain per tenant. Each entry's hash covers
-- its own fields and the previous entry's hash, so editing, deleting or reordering any stored entry breaks
-- the chain from that entry on. `audit_heads` holds the newest entry of each chain: appends lock it, so
-- concurrent appends queue instead of forking the chain, and a truncated tail is detectable.
CREATE TABLE audit_log (
  tenant_id text NOT NULL,
  seq bigint NOT NULL,
  at timestamptz NOT NULL,
  subject_type text NOT NULL,
  subject_id text NOT NULL,
  action text NOT NULL,
  actor jsonb,
  detail jsonb NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  PRIMARY KEY (tenant_id, seq)
);
CREATE INDEX audit_log_subject ON audit_log (tenant_id, subject_type, subject_id, seq);

CREATE TABLE audit_heads (
  tenant_id text PRIMARY KEY,
  seq bigint NOT NULL,
  hash text NOT NULL
);
