-- Where a check of what happened since a moment starts (the evidence pack's chain check from the
-- gate's request): found through this index (with the entry numbers in it, so from the index alone)
-- instead of a scan of the tenant's whole log.
CREATE INDEX audit_log_at ON audit_log (tenant_id, at) INCLUDE (seq);
