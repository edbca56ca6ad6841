-- HaloPSA webhook deliveries are a queue: stored and answered at once, processed by a worker that
-- claims them (once per delivery id across instances), retries with backoff, and resumes after a
-- restart.
ALTER TABLE webhook_deliveries ADD COLUMN attempts integer NOT NULL DEFAULT 0;
ALTER TABLE webhook_deliveries ADD COLUMN next_attempt_at timestamptz;
ALTER TABLE webhook_deliveries ADD COLUMN claimed_by text;
ALTER TABLE webhook_deliveries ADD COLUMN claimed_until timestamptz;
CREATE INDEX webhook_backlog ON webhook_deliveries (tenant_id, received_at) WHERE processed_at IS NULL;
