-- The delivery evaluation loads one scope of projects at a time (issue 18): a scope's invoices are
-- found by the project id HaloPSA puts in the invoice's `ticket_id` (without these indexes every
-- scope, and every webhook's one-project evaluation, would scan the tenant's invoices). Ids written
-- some other way ('0500', '500.0') are few; each scope reads them all through the second index
-- ('0', HaloPSA's "no ticket", is in neither).
CREATE INDEX halo_invoices_ticket ON halo_invoices (tenant_id, (raw->>'ticket_id'))
  WHERE raw->>'ticket_id' IS NOT NULL;
CREATE INDEX halo_invoices_odd_ticket ON halo_invoices (tenant_id)
  WHERE raw->>'ticket_id' !~ '^[1-9][0-9]*$' AND raw->>'ticket_id' ~ '[1-9]';
