-- A concession request nobody decided within the renewal policy's `concession.expiryDays` expires
-- (issue 17, item 3): `expired` joins the statuses a request may have.
ALTER TABLE concession_requests DROP CONSTRAINT concession_requests_status_check;
ALTER TABLE concession_requests ADD CONSTRAINT concession_requests_status_check
  CHECK (status IN ('pending', 'approved', 'rejected', 'expired'));
