-- Each client ticket's service facts, the dated signals in its actions (reopens, feedback scores,
-- customer notes) and each contract's hours per day, derived from the mirror when it changes
-- (`service-facts.ts`), so the renewal engine reads narrow rows per client instead of every
-- ticket's actions and every timesheet event. `fix_by_at` is the fix-by time where the database
-- reads it as the engine does (else null, and the engine reads `fix_by`).
--
-- `mirror_changes` is what the mirror's writes leave to catch up on (`mirror-changes.ts`): tickets
-- whose row or actions were written and contracts a written timesheet event is booked to (their
-- facts are derived again), and tickets, tasks and projects whose project is evaluated again after
-- the next sync (`delivery`). `seq` is renewed on every queueing, so work done on an older copy
-- never clears a newer change. `service_facts_basis` names what the facts were derived with (the
-- closed statuses, the lexicon prefilter): when it differs, they are derived again for the whole
-- tenant.

CREATE TABLE service_ticket_facts (
  tenant_id text NOT NULL, ticket_id bigint NOT NULL,
  client_id bigint NOT NULL, occurred_at timestamptz, priority_id bigint, category text,
  fix_by text, fix_by_at timestamptz, first_closed_at timestamptz,
  PRIMARY KEY (tenant_id, ticket_id)
);
CREATE INDEX service_ticket_facts_client ON service_ticket_facts (tenant_id, client_id);

CREATE TABLE service_signals (
  tenant_id text NOT NULL, action_id bigint NOT NULL,
  kind text NOT NULL CHECK (kind IN ('reopen', 'feedback', 'note')),
  ticket_id bigint NOT NULL, client_id bigint NOT NULL, at timestamptz NOT NULL,
  score text, scale text, note text,
  PRIMARY KEY (tenant_id, action_id, kind)
);
CREATE INDEX service_signals_client ON service_signals (tenant_id, client_id, kind, at);
CREATE INDEX service_signals_ticket ON service_signals (tenant_id, ticket_id);

CREATE TABLE contract_day_hours (
  tenant_id text NOT NULL, contract_id bigint NOT NULL, day date NOT NULL,
  hours double precision NOT NULL,
  PRIMARY KEY (tenant_id, contract_id, day)
);

CREATE TABLE mirror_changes (
  tenant_id text NOT NULL,
  subject text NOT NULL CHECK (subject IN ('ticket', 'contract', 'delivery')),
  id bigint NOT NULL, seq bigserial NOT NULL,
  PRIMARY KEY (tenant_id, subject, id)
);

CREATE TABLE service_facts_basis (
  tenant_id text PRIMARY KEY, basis text NOT NULL
);
