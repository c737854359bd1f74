-- Credentials a job needs while it runs (PDF and HTTP passwords), kept out of `params` so that
-- ending a job can erase them (set to NULL by complete, fail and abort) while its parameters stay.
ALTER TABLE jobs ADD COLUMN secrets TEXT;
