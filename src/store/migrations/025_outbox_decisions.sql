-- Outbox priority (issue 18, item 4): an update that carries a person's decision (approve,
-- acknowledge, a concession's answer) is sent with new posts, ahead of card refreshes that only
-- re-render what an evaluation or a timer changed. New posts are told apart by having no original.
ALTER TABLE outbox ADD COLUMN decision boolean NOT NULL DEFAULT false;
