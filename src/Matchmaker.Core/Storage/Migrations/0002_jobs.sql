-- Background jobs (imports first) with their progress and report, and the uploaded files they work on, so that a
-- job interrupted by a crash can run again from its input.

CREATE TABLE jobs (
    id          TEXT    PRIMARY KEY,
    kind        TEXT    NOT NULL,
    event_id    INTEGER REFERENCES events (id) ON DELETE CASCADE,
    state       TEXT    NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed')),
    progress    REAL    NOT NULL DEFAULT 0,
    message     TEXT    NOT NULL DEFAULT '',
    report_json TEXT,
    attempts    INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT    NOT NULL,
    started_at  TEXT,
    finished_at TEXT
);
CREATE INDEX ix_jobs_event ON jobs (event_id, kind);

CREATE TABLE job_inputs (
    job_id    TEXT PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    content   BLOB NOT NULL,
    options   TEXT NOT NULL DEFAULT '{}'
);
