-- Background jobs (imports first) with their progress and report, and the uploaded files they work on, so that a
-- job interrupted by a crash can run again from its input.

CREATE TABLE jobs (
    id          text    PRIMARY KEY,
    kind        text    NOT NULL,
    event_id    bigint REFERENCES events (id) ON DELETE CASCADE,
    state       text    NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed')),
    progress    double precision    NOT NULL DEFAULT 0,
    message     text    NOT NULL DEFAULT '',
    report_json text,
    attempts    bigint NOT NULL DEFAULT 0,
    created_at  timestamptz    NOT NULL,
    started_at  timestamptz,
    finished_at timestamptz
);
CREATE INDEX ix_jobs_event ON jobs (event_id, kind);

CREATE TABLE job_inputs (
    job_id    text PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
    file_name text NOT NULL,
    content   bytea NOT NULL,
    options   text NOT NULL DEFAULT '{}'
);
