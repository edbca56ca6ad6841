-- A version per tenant of what the portfolio list reads (projects, their latest health, clients,
-- agents, escalations). Any committed change to those rows moves it on, so a server may keep a page
-- it has built for as long as the version it was built under is current (SqlTabQueries).
--
-- The bump runs in a deferred constraint trigger, at commit: the version row is locked only for the
-- last moment of a writing transaction (never while it still takes other locks, so it adds no
-- deadlock), and only once per tenant per transaction (a sync writing 2,000 projects bumps once).
CREATE TABLE tab_versions (
  tenant_id text PRIMARY KEY,
  version bigint NOT NULL
);

CREATE OR REPLACE FUNCTION tab_versions_bump() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  tenant text := CASE WHEN TG_OP = 'DELETE' THEN OLD.tenant_id ELSE NEW.tenant_id END;
  done text := coalesce(current_setting('control_tower.tab_versions_bumped', true), '');
BEGIN
  IF position('|' || tenant || '|' IN done) > 0 THEN
    RETURN NULL;
  END IF;
  PERFORM set_config('control_tower.tab_versions_bumped', done || '|' || tenant || '|', true);
  INSERT INTO tab_versions AS v (tenant_id, version) VALUES (tenant, 1)
  ON CONFLICT (tenant_id) DO UPDATE SET version = v.version + 1;
  RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER halo_projects_tab_version AFTER INSERT OR UPDATE OR DELETE ON halo_projects
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION tab_versions_bump();
CREATE CONSTRAINT TRIGGER halo_clients_tab_version AFTER INSERT OR UPDATE OR DELETE ON halo_clients
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION tab_versions_bump();
CREATE CONSTRAINT TRIGGER halo_agents_tab_version AFTER INSERT OR UPDATE OR DELETE ON halo_agents
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION tab_versions_bump();
CREATE CONSTRAINT TRIGGER project_health_latest_tab_version
  AFTER INSERT OR UPDATE OR DELETE ON project_health_latest
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION tab_versions_bump();
CREATE CONSTRAINT TRIGGER escalations_tab_version AFTER INSERT OR UPDATE OR DELETE ON escalations
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION tab_versions_bump();
