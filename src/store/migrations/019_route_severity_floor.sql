-- A channel's severity floor (noise budget): notifications that carry a severity below it are not
-- posted to that channel (they stay visible in the tab). NULL: everything is posted.
ALTER TABLE conversation_routes
  ADD COLUMN severity_floor text CHECK (severity_floor IN ('low', 'medium', 'high'));
