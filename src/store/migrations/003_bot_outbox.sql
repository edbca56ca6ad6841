-- Teams bot: roles, channel routing, the notification outbox and the log of card actions.

-- Who holds which role (SPEC §1), seeded from configuration; matched to Teams users by Entra object id.
CREATE TABLE role_assignments (
  tenant_id text NOT NULL,
  id bigint GENERATED ALWAYS AS IDENTITY,
  aad_object_id text,
  email text,
  role text NOT NULL CHECK (role IN ('pm', 'pmo_lead', 'delivery_director', 'account_manager', 'cs_lead', 'msp_owner', 'admin')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CHECK (aad_object_id IS NOT NULL OR email IS NOT NULL)
);
CREATE UNIQUE INDEX role_assignments_unique
  ON role_assignments (tenant_id, COALESCE(aad_object_id, ''), COALESCE(lower(email), ''), role);
CREATE INDEX role_assignments_aad ON role_assignments (tenant_id, aad_object_id);
CREATE INDEX role_assignments_email ON role_assignments (tenant_id, lower(email));

-- Which Teams conversation receives a notification stream, per client (NULL client = every client).
CREATE TABLE conversation_routes (
  tenant_id text NOT NULL,
  id bigint GENERATED ALWAYS AS IDENTITY,
  stream text NOT NULL CHECK (stream IN ('escalations', 'gates', 'renewals', 'reports', 'incidents')),
  client_id bigint,
  conversation jsonb NOT NULL,
  created_by text,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX conversation_routes_unique
  ON conversation_routes (tenant_id, stream, COALESCE(client_id, -1));

-- Notifications decided but not yet delivered; written in the deciding transaction (transactional outbox).
CREATE TABLE outbox (
  tenant_id text NOT NULL,
  id bigint GENERATED ALWAYS AS IDENTITY,
  dedupe_key text NOT NULL,
  kind text NOT NULL,
  stream text,
  client_id bigint,
  conversation jsonb,
  conversation_key text,
  update_of text,
  target_activity_id text,
  payload jsonb NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'unrouted', 'superseded')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  claimed_by text,
  claimed_until timestamptz,
  activity_id text,
  last_error text,
  created_at timestamptz NOT NULL,
  delivered_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, dedupe_key)
);
CREATE INDEX outbox_due ON outbox (tenant_id, next_attempt_at) WHERE status IN ('pending', 'sending');
CREATE INDEX outbox_recent ON outbox (tenant_id, conversation_key, delivered_at) WHERE delivered_at IS NOT NULL;

-- One dispatcher per tenant at a time holds this lease (so per-conversation rate limits hold across instances).
CREATE TABLE outbox_dispatch_lease (
  tenant_id text PRIMARY KEY,
  holder text NOT NULL,
  expires_at timestamptz NOT NULL
);

-- Every action taken from a card or command, done or refused (for audit and threshold tuning).
CREATE TABLE action_log (
  tenant_id text NOT NULL,
  id bigint GENERATED ALWAYS AS IDENTITY,
  at timestamptz NOT NULL,
  actor_aad_object_id text,
  actor_name text,
  action text NOT NULL,
  target_kind text NOT NULL,
  target_id text,
  outcome text NOT NULL CHECK (outcome IN ('done', 'refused')),
  reason text,
  details jsonb NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX action_log_target ON action_log (tenant_id, target_kind, target_id);
