-- Tab API: per-tenant pilot settings, and the latest health of each project as one small row (the
-- portfolio list reads 2,000 projects per page request; health_snapshots holds one large row per day).

-- Pilot scope (allow-list of clients/projects), shadow mode and per-automation switches (SPEC §4).
CREATE TABLE tenant_settings (
  tenant_id text PRIMARY KEY,
  version integer NOT NULL,
  pilot jsonb NOT NULL,
  updated_at timestamptz NOT NULL,
  updated_by text NOT NULL
);

-- The newest snapshot of each project, kept by a trigger on health_snapshots (an older date written
-- later, e.g. by a replay, never replaces a newer one). The drivers are copied so a page of the
-- portfolio needs no read of the full assessment.
CREATE TABLE project_health_latest (
  tenant_id text NOT NULL,
  project_id bigint NOT NULL,
  snapshot_date date NOT NULL,
  score double precision NOT NULL,
  rag text NOT NULL,
  confidence double precision NOT NULL,
  risk_tags text[] NOT NULL,
  status text,
  drivers jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, project_id)
);

CREATE OR REPLACE FUNCTION project_health_latest_upsert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO project_health_latest AS l
    (tenant_id, project_id, snapshot_date, score, rag, confidence, risk_tags, status, drivers, created_at)
  VALUES (NEW.tenant_id, NEW.project_id, NEW.snapshot_date, NEW.score, NEW.rag, NEW.confidence,
          NEW.risk_tags, NEW.assessment->'assessment'->>'status',
          coalesce(NEW.assessment->'assessment'->'drivers', '[]'::jsonb), NEW.created_at)
  ON CONFLICT (tenant_id, project_id) DO UPDATE SET
    snapshot_date = EXCLUDED.snapshot_date, score = EXCLUDED.score, rag = EXCLUDED.rag,
    confidence = EXCLUDED.confidence, risk_tags = EXCLUDED.risk_tags, status = EXCLUDED.status,
    drivers = EXCLUDED.drivers, created_at = EXCLUDED.created_at
  WHERE l.snapshot_date <= EXCLUDED.snapshot_date;
  RETURN NEW;
END;
$$;

CREATE TRIGGER health_snapshots_latest AFTER INSERT OR UPDATE ON health_snapshots
  FOR EACH ROW EXECUTE FUNCTION project_health_latest_upsert();

INSERT INTO project_health_latest
  (tenant_id, project_id, snapshot_date, score, rag, confidence, risk_tags, status, drivers, created_at)
SELECT DISTINCT ON (tenant_id, project_id) tenant_id, project_id, snapshot_date, score, rag, confidence,
       risk_tags, assessment->'assessment'->>'status',
       coalesce(assessment->'assessment'->'drivers', '[]'::jsonb), created_at
  FROM health_snapshots ORDER BY tenant_id, project_id, snapshot_date DESC;
