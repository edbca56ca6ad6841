-- The client's people in HaloPSA (end-users, `GET /api/Users`): the stakeholder map offers them as
-- decision maker, champion and billing contact. Inactive contacts are kept (a map may still name one).

CREATE TABLE halo_contacts (
  tenant_id text NOT NULL, id bigint NOT NULL,
  client_id bigint NOT NULL, site_id bigint, name text, email text, job_title text,
  inactive boolean NOT NULL DEFAULT false,
  last_update timestamptz, raw jsonb NOT NULL, hash text NOT NULL, synced_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX halo_contacts_client ON halo_contacts (tenant_id, client_id);
