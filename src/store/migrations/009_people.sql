-- The people the identity resolver has met: Entra object id → the e-mail (UPN) a validated sign-in
-- token carried. Roles stay keyed by object id; this only lets the bot, whose activities carry no
-- e-mail, find the same HaloPSA agent the tab finds, so ownership is judged alike on both surfaces.
CREATE TABLE people (
  tenant_id text NOT NULL,
  aad_object_id text NOT NULL,
  email text NOT NULL,
  name text NOT NULL,
  seen_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, aad_object_id)
);
