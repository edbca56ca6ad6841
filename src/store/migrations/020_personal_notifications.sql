-- Notifications that reach a person: 1:1 bot conversations, activity-feed rows, digest choices.

-- The person an outbox row is for (Entra object id); NULL for channel posts.
ALTER TABLE outbox ADD COLUMN recipient text;
CREATE INDEX outbox_recipient ON outbox (tenant_id, recipient, status) WHERE recipient IS NOT NULL;

-- The bot's 1:1 conversation with each person, or the refused proactive install and its say-hi link.
CREATE TABLE personal_conversations (
  tenant_id text NOT NULL,
  aad_object_id text NOT NULL,
  conversation jsonb,
  install_state text NOT NULL CHECK (install_state IN ('installed', 'refused')),
  say_hi_link text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, aad_object_id),
  CHECK (install_state = 'refused' OR conversation IS NOT NULL)
);

-- Each person's choice per personal stream: each item at once, or in the daily digest.
CREATE TABLE notification_preferences (
  tenant_id text NOT NULL,
  aad_object_id text NOT NULL,
  stream text NOT NULL CHECK (stream IN ('approvals', 'escalations', 'renewals', 'governance')),
  mode text NOT NULL CHECK (mode IN ('immediate', 'digest')),
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, aad_object_id, stream)
);

-- A person's time zone for the 08:00 digest (IANA name); NULL means the tenant's.
ALTER TABLE people ADD COLUMN time_zone text;

-- Items held for a person's digest (not urgent today, or the person chose the digest).
CREATE TABLE digest_items (
  tenant_id text NOT NULL,
  id bigint GENERATED ALWAYS AS IDENTITY,
  aad_object_id text NOT NULL,
  dedupe_key text NOT NULL,
  stream text NOT NULL,
  preview_text text NOT NULL,
  link jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  digest_key text,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, dedupe_key)
);
CREATE INDEX digest_items_waiting ON digest_items (tenant_id, aad_object_id) WHERE digest_key IS NULL;
