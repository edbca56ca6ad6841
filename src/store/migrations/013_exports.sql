-- Evidence packs of approved gates archived as PDF next to their evidence (issue 19): one per pack
-- version, with where it was stored and the SHA-256 of the stored bytes.
CREATE TABLE gate_pack_archives (
  tenant_id text NOT NULL,
  gate_id text NOT NULL,
  pack_version integer NOT NULL,
  path text NOT NULL,
  web_url text,
  size bigint NOT NULL,
  sha256 text NOT NULL,
  archived_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, gate_id, pack_version)
);
