-- The Power BI feed's per-tenant reporting key (issue 19): only its SHA-256 is stored; issuing a new
-- key replaces the row, so the old key stops working at once.
CREATE TABLE reporting_keys (
  tenant_id text NOT NULL PRIMARY KEY,
  key_hash text NOT NULL,
  hint text NOT NULL,
  created_at timestamptz NOT NULL,
  created_by text NOT NULL
);
