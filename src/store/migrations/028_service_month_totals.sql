-- The clients' service history totalled per calendar month (UTC), kept with the service facts it
-- totals (`service-facts.ts`): derived again for the months a derivation touches, so the daily
-- evaluation reads a few rows per client and month for every month before the one it judges, and
-- totals from the facts only the month it judges (`renewal-history.repository.ts`). A month
-- before the judged day's month counts in full on every later day (its tickets opened, its fix-by
-- times passed), so these totals are what an evaluation as of any later day would count.
--
-- One row per (client, month, kind, key): `opened` per category (`key`; n tickets, p1 of them
-- priority 1); `sla` (n judged, met); `reopen` (n); `feedback` (the scores and scales, in time
-- order); `note` per distinct text (`key`; n). Fix-by times the database cannot read stay out (the
-- engine reads them from the facts).

CREATE TABLE service_month_totals (
  tenant_id text NOT NULL, client_id bigint NOT NULL, month date NOT NULL,
  kind text NOT NULL CHECK (kind IN ('opened', 'sla', 'reopen', 'feedback', 'note')),
  key text, n bigint NOT NULL, p1 bigint, met bigint, scores text[], scales text[]
);
CREATE INDEX service_month_totals_client ON service_month_totals (tenant_id, client_id, month);

-- The judged month is totalled from the facts: read by client and time, not every fact of the client
-- (the first index also serves what the client index did).
CREATE INDEX service_ticket_facts_opened ON service_ticket_facts (tenant_id, client_id, occurred_at);
CREATE INDEX service_ticket_facts_fix_by ON service_ticket_facts (tenant_id, client_id, fix_by_at);
DROP INDEX service_ticket_facts_client;

