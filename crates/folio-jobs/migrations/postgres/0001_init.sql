-- Jobs and stored-file records, the same records as the SQLite schema. Times are Unix
-- milliseconds and every number is BIGINT, so both backends decode rows alike and accept the same
-- ranges. Params and results are TEXT, not JSONB: they are opaque to the queue (never queried
-- inside), and TEXT gives back exactly what was stored, where JSONB would refuse "\u0000" in a
-- string and silently drop duplicate keys.

CREATE TABLE jobs (
    id            TEXT   PRIMARY KEY,
    -- Breaks ties between jobs created in the same millisecond, in insertion order (SQLite's rowid).
    seq           BIGINT GENERATED ALWAYS AS IDENTITY,
    kind          TEXT   NOT NULL,
    params        TEXT   NOT NULL,
    state         TEXT   NOT NULL CHECK (state IN ('queued', 'running', 'success', 'failed', 'aborted')),
    attempts      BIGINT NOT NULL DEFAULT 0,
    pages_done    BIGINT NOT NULL DEFAULT 0,
    pages_total   BIGINT NOT NULL DEFAULT 0,
    result        TEXT,
    error_code    BIGINT,
    error_message TEXT,
    worker        TEXT,
    lease_until   BIGINT,
    created_at    BIGINT NOT NULL,
    started_at    BIGINT,
    finished_at   BIGINT,
    expires_at    BIGINT NOT NULL
);

-- Claim walks the unfinished jobs oldest first. Finished jobs linger until they expire and are
-- left out, so the walk never steps over them.
CREATE INDEX jobs_claim ON jobs (created_at, seq) WHERE state IN ('queued', 'running');
-- The sweeper looks for finished jobs past their expiry.
CREATE INDEX jobs_expires ON jobs (expires_at);

CREATE TABLE files (
    token        TEXT   PRIMARY KEY,
    key          TEXT   NOT NULL,
    name         TEXT   NOT NULL,
    content_type TEXT   NOT NULL,
    size         BIGINT,
    state        TEXT   NOT NULL CHECK (state IN ('pending', 'uploading', 'ready')),
    -- No foreign key: result files may outlive the job record that produced them.
    job_id       TEXT,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL
);

CREATE INDEX files_expires ON files (expires_at);
CREATE INDEX files_job ON files (job_id);
