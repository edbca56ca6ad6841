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

-- The post-project review of a closed project, produced once when its closure is seen; a PMO lead
-- may accept one of its policy tunings as the next delivery policy version.
CREATE TABLE post_project_reviews (
  tenant_id text NOT NULL, project_id bigint NOT NULL,
  closed_on date, review jsonb NOT NULL, tunings jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  accepted jsonb,
  PRIMARY KEY (tenant_id, project_id)
);

-- A PM's request to re-baseline a project, decided by a PMO lead; approval stores the next version
-- in project_baselines.
CREATE TABLE rebaseline_requests (
  tenant_id text NOT NULL, id text NOT NULL, project_id bigint NOT NULL,
  reason text NOT NULL, from_version integer NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
  requested_by jsonb NOT NULL, requested_at timestamptz NOT NULL,
  decided_by jsonb, decided_at timestamptz, comment text, to_version integer, changes jsonb,
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX rebaseline_requests_one_pending ON rebaseline_requests (tenant_id, project_id)
  WHERE status = 'pending';
