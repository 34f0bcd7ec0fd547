-- Timetable versions: drafts built by the optimiser, the published one, and the versions repairs produce. Every
-- version is kept. Publishing a version writes it into meetings, whose ids stay stable for a pair across versions
-- (calendar UIDs) and whose sequence rises with every change (calendar SEQUENCE).

CREATE TABLE timetables (
    id             INTEGER PRIMARY KEY,
    event_id       INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    version        INTEGER NOT NULL,
    status         TEXT    NOT NULL CHECK (status IN ('draft', 'published', 'superseded')),
    based_on       INTEGER REFERENCES timetables (id),
    objective      REAL    NOT NULL,
    upper_bound    REAL,             -- null when the solver's time limit cut the bound short
    gap            REAL,
    solver_status  TEXT    NOT NULL,
    meetings       INTEGER NOT NULL,
    smes_below_min INTEGER NOT NULL,
    diff_json      TEXT,
    created_at     TEXT    NOT NULL,
    published_at   TEXT,
    revision       INTEGER NOT NULL DEFAULT 0, -- raised by every edit; the ETag of the version
    UNIQUE (event_id, version)
);

CREATE TABLE timetable_meetings (
    id           INTEGER PRIMARY KEY,
    timetable_id INTEGER NOT NULL REFERENCES timetables (id) ON DELETE CASCADE,
    sme_id       INTEGER NOT NULL REFERENCES smes (id),
    buyer_id     INTEGER NOT NULL REFERENCES buyers (id),
    slot_id      INTEGER NOT NULL REFERENCES slots (id),
    table_no     INTEGER NOT NULL CHECK (table_no > 0),
    score        REAL    NOT NULL,
    requested    INTEGER NOT NULL DEFAULT 0,
    locked       INTEGER NOT NULL DEFAULT 0,
    UNIQUE (timetable_id, slot_id, buyer_id, table_no),
    UNIQUE (timetable_id, slot_id, sme_id),
    UNIQUE (timetable_id, sme_id, buyer_id)
);

ALTER TABLE meetings ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0;
ALTER TABLE meetings ADD COLUMN locked INTEGER NOT NULL DEFAULT 0;
ALTER TABLE meetings ADD COLUMN timetable_id INTEGER REFERENCES timetables (id);
