-- The renewal evaluation loads one scope of clients at a time (issue 18): their contracts' hours
-- (without an index on the contract each scope would scan every timesheet event of the tenant), and
-- the tenant's first ticket day, the sync horizon (a min over the tenant's tickets without it).
CREATE INDEX halo_timesheet_events_contract ON halo_timesheet_events (tenant_id, contract_id, start_at);
CREATE INDEX halo_tickets_occurred ON halo_tickets (tenant_id, date_occurred);
