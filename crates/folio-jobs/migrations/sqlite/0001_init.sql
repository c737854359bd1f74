-- Jobs and stored-file records. Times are Unix milliseconds; JSON is stored as TEXT.

CREATE TABLE jobs (
    id            TEXT    PRIMARY KEY NOT NULL,
    kind          TEXT    NOT NULL,
    params        TEXT    NOT NULL,
    state         TEXT    NOT NULL CHECK (state IN ('queued', 'running', 'success', 'failed', 'aborted')),
    attempts      INTEGER NOT NULL DEFAULT 0,
    pages_done    INTEGER NOT NULL DEFAULT 0,
    pages_total   INTEGER NOT NULL DEFAULT 0,
    result        TEXT,
    error_code    INTEGER,
    error_message TEXT,
    worker        TEXT,
    lease_until   INTEGER,
    created_at    INTEGER NOT NULL,
    started_at    INTEGER,
    finished_at   INTEGER,
    expires_at    INTEGER NOT NULL
);

-- Claim looks up the oldest job by state; every index entry also carries the rowid, which breaks
-- ties between jobs created in the same millisecond in insertion order.
CREATE INDEX jobs_claim ON jobs (state, created_at);
-- The sweeper looks for finished jobs past their expiry.
CREATE INDEX jobs_expires ON jobs (expires_at);

CREATE TABLE files (
    token        TEXT    PRIMARY KEY NOT NULL,
    key          TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    size         INTEGER,
    state        TEXT    NOT NULL CHECK (state IN ('pending', 'uploading', 'ready')),
    -- No foreign key: result files may outlive the job record that produced them.
    job_id       TEXT,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
);

CREATE INDEX files_expires ON files (expires_at);
CREATE INDEX files_job ON files (job_id);
