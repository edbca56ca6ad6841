-- The delivery loop's ends (issue 19 item 4).

-- The agent a HaloPSA milestone record names, when it carries one (milestone owners).
ALTER TABLE halo_milestones ADD COLUMN agent_id bigint;
UPDATE halo_milestones SET agent_id = (raw->>'agent_id')::bigint
 WHERE raw->>'agent_id' ~ '^[0-9]{1,15}$' AND (raw->>'agent_id')::bigint > 0;

-- Baselines captured before this migration took the money budget (the planned cost) as the planned
-- revenue; that is not a price, so it is cleared ("no data") rather than kept.
UPDATE project_baselines
   SET baseline = jsonb_set(baseline, '{plannedRevenue}', 'null'::jsonb)
 WHERE baseline->'plannedRevenue' = baseline->'plannedMoney';
