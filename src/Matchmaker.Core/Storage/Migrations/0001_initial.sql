-- Events, participants, demands, requests, meetings and the interaction history.
-- Lists (KSIC codes, certifications, keywords, slot codes) are stored as ';'-joined text: they are read whole and
-- never queried by element in SQL.

CREATE TABLE events (
    id                        INTEGER PRIMARY KEY,
    event_id                  TEXT    NOT NULL UNIQUE,
    name                      TEXT    NOT NULL,
    venue                     TEXT    NOT NULL DEFAULT '',
    time_zone                 TEXT    NOT NULL,
    slot_minutes              INTEGER NOT NULL CHECK (slot_minutes > 0),
    changeover_minutes        INTEGER NOT NULL DEFAULT 0 CHECK (changeover_minutes >= 0),
    days_json                 TEXT    NOT NULL,
    halls_json                TEXT    NOT NULL DEFAULT '[]',
    travel_minutes_json       TEXT    NOT NULL DEFAULT '{}',
    min_meetings_per_sme      INTEGER NOT NULL DEFAULT 0,
    max_open_requests_per_sme INTEGER NOT NULL DEFAULT 5,
    requests_open             INTEGER NOT NULL DEFAULT 0,
    created_at                TEXT    NOT NULL,
    updated_at                TEXT    NOT NULL
);

CREATE TABLE slots (
    id          INTEGER PRIMARY KEY,
    event_id    INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    code        TEXT    NOT NULL,
    day         INTEGER NOT NULL,
    local_start TEXT    NOT NULL,
    local_end   TEXT    NOT NULL,
    starts_at   TEXT    NOT NULL,
    ends_at     TEXT    NOT NULL,
    UNIQUE (event_id, code)
);

CREATE TABLE buyers (
    id              INTEGER PRIMARY KEY,
    buyer_id        TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    business_number TEXT,
    kind            TEXT,
    sector          TEXT,
    ksic_codes      TEXT NOT NULL DEFAULT '',
    region          TEXT,
    contact_name    TEXT,
    contact_email   TEXT,
    contact_phone   TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

CREATE TABLE event_buyers (
    event_id          INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    buyer_id          INTEGER NOT NULL REFERENCES buyers (id),
    meeting_cap       INTEGER NOT NULL CHECK (meeting_cap > 0),
    tables            INTEGER NOT NULL CHECK (tables > 0),
    hall              TEXT,
    unavailable_slots TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (event_id, buyer_id)
);

CREATE TABLE demands (
    id                      INTEGER PRIMARY KEY,
    event_id                INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    buyer_id                INTEGER NOT NULL REFERENCES buyers (id),
    demand_id               TEXT    NOT NULL,
    title                   TEXT    NOT NULL,
    description             TEXT    NOT NULL DEFAULT '',
    ksic_codes              TEXT    NOT NULL DEFAULT '',
    required_certifications TEXT    NOT NULL DEFAULT '',
    budget_band             TEXT,
    quantity                TEXT,
    preferred_regions       TEXT    NOT NULL DEFAULT '',
    updated_at              TEXT    NOT NULL,
    UNIQUE (event_id, demand_id)
);

CREATE TABLE smes (
    id              INTEGER PRIMARY KEY,
    business_number TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    region          TEXT,
    sector          TEXT,
    employees       INTEGER,
    revenue_band    TEXT,
    ksic_codes      TEXT NOT NULL DEFAULT '',
    certifications  TEXT NOT NULL DEFAULT '',
    export_record   INTEGER,
    description     TEXT NOT NULL DEFAULT '',
    keywords        TEXT NOT NULL DEFAULT '',
    trl             INTEGER,
    contact_name    TEXT,
    contact_email   TEXT,
    contact_phone   TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

CREATE TABLE event_smes (
    event_id          INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    sme_id            INTEGER NOT NULL REFERENCES smes (id),
    meeting_cap       INTEGER NOT NULL CHECK (meeting_cap > 0),
    unavailable_slots TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (event_id, sme_id)
);

CREATE TABLE introduction_requests (
    id              INTEGER PRIMARY KEY,
    event_id        INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    sme_id          INTEGER NOT NULL REFERENCES smes (id),
    buyer_id        INTEGER NOT NULL REFERENCES buyers (id),
    demand_id       INTEGER REFERENCES demands (id),
    priority        INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 3),
    pitch           TEXT    NOT NULL DEFAULT '',
    state           TEXT    NOT NULL CHECK (state IN ('pending', 'accepted', 'declined', 'withdrawn', 'expired')),
    created_at      TEXT    NOT NULL,
    decided_at      TEXT,
    decision_reason TEXT
);
CREATE INDEX ix_requests_event_sme ON introduction_requests (event_id, sme_id);
CREATE INDEX ix_requests_event_buyer ON introduction_requests (event_id, buyer_id);

CREATE TABLE meetings (
    id           INTEGER PRIMARY KEY,
    event_id     INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    sme_id       INTEGER NOT NULL REFERENCES smes (id),
    buyer_id     INTEGER NOT NULL REFERENCES buyers (id),
    demand_id    INTEGER REFERENCES demands (id),
    slot_id      INTEGER NOT NULL REFERENCES slots (id),
    table_no     INTEGER NOT NULL CHECK (table_no > 0),
    status       TEXT    NOT NULL CHECK (status IN ('scheduled', 'held', 'no_show', 'cancelled')),
    rating       INTEGER CHECK (rating BETWEEN 1 AND 5),
    follow_up    TEXT    CHECK (follow_up IN ('none', 'sample', 'site_visit', 'nda', 'contract')),
    contract_krw INTEGER CHECK (contract_krw >= 0),
    updated_at   TEXT    NOT NULL
);
-- The store itself refuses a double booking, whatever the writer: one live meeting per buyer table per slot,
-- one live meeting per SME per slot.
CREATE UNIQUE INDEX ux_meetings_table_slot ON meetings (slot_id, buyer_id, table_no) WHERE status <> 'cancelled';
CREATE UNIQUE INDEX ux_meetings_sme_slot ON meetings (slot_id, sme_id) WHERE status <> 'cancelled';
CREATE INDEX ix_meetings_event ON meetings (event_id);

CREATE TABLE interactions (
    id          INTEGER PRIMARY KEY,
    event_id    INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    sme_id      INTEGER NOT NULL REFERENCES smes (id),
    buyer_id    INTEGER NOT NULL REFERENCES buyers (id),
    kind        TEXT    NOT NULL,
    value       REAL,
    occurred_at TEXT    NOT NULL
);
CREATE INDEX ix_interactions_pair ON interactions (sme_id, buyer_id);
