-- The HaloPSA requests spent in the rolling window, per tenant: HaloPSA counts them across our
-- restarts and instances, so the request budget reads them back instead of starting empty.
-- Pruned to the window on every write; a few hundred rows per tenant at most.
CREATE TABLE halo_request_log (
  tenant_id text NOT NULL,
  request_id text NOT NULL,
  counted_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, request_id)
);
CREATE INDEX halo_request_log_window ON halo_request_log (tenant_id, counted_at);
