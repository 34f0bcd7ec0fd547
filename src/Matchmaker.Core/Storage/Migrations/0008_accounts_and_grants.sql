-- Events held apart (issue 10): the one global organiser token becomes the administrator's; organisers and analysts
-- get accounts with their own revocable tokens and see only the events granted to them; every organiser or
-- administrator write is kept in an audit log.

CREATE TABLE accounts (
    id          INTEGER PRIMARY KEY,
    role        TEXT    NOT NULL CHECK (role IN ('organiser', 'analyst')),
    name        TEXT    NOT NULL,
    email       TEXT,
    created_at  TEXT    NOT NULL,
    disabled_at TEXT
);

CREATE TABLE event_grants (
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    event_id   INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    granted_at TEXT    NOT NULL,
    PRIMARY KEY (account_id, event_id)
);
CREATE INDEX ix_event_grants_event ON event_grants (event_id);

-- SQLite cannot change a CHECK constraint in place: the table is copied. Organiser tokens of the old model had no
-- account and saw every event; they become administrator tokens so that existing stores (and the token written on
-- the first start) keep full access. Analyst tokens keep their event: that event is the one they may read (one without
-- an event, which the API never issued, reads none).
CREATE TABLE access_tokens_new (
    id         INTEGER PRIMARY KEY,
    token_hash TEXT    NOT NULL UNIQUE,
    role       TEXT    NOT NULL CHECK (role IN ('administrator', 'organiser', 'analyst', 'buyer', 'sme')),
    account_id INTEGER REFERENCES accounts (id) ON DELETE CASCADE,
    event_id   INTEGER REFERENCES events (id) ON DELETE CASCADE,
    buyer_id   INTEGER REFERENCES buyers (id),
    sme_id     INTEGER REFERENCES smes (id),
    label      TEXT    NOT NULL DEFAULT '',
    created_at TEXT    NOT NULL,
    revoked_at TEXT,
    CHECK ((role = 'buyer') = (buyer_id IS NOT NULL)),
    CHECK ((role = 'sme') = (sme_id IS NOT NULL)),
    CHECK (role <> 'organiser' OR account_id IS NOT NULL),
    CHECK (role IN ('analyst', 'buyer', 'sme') OR event_id IS NULL)
);
INSERT INTO access_tokens_new (id, token_hash, role, account_id, event_id, buyer_id, sme_id, label, created_at, revoked_at)
SELECT id, token_hash, CASE role WHEN 'organiser' THEN 'administrator' ELSE role END, NULL,
       CASE role WHEN 'organiser' THEN NULL ELSE event_id END, buyer_id, sme_id, label, created_at, revoked_at
FROM access_tokens;
DROP TABLE access_tokens;
ALTER TABLE access_tokens_new RENAME TO access_tokens;
CREATE INDEX ix_access_tokens_account ON access_tokens (account_id);
CREATE INDEX ix_access_tokens_event ON access_tokens (event_id);

-- Who did what, when, to which event. No foreign keys: the record outlives deleted events and revoked tokens.
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    at         TEXT    NOT NULL,
    token_id   INTEGER NOT NULL,
    account_id INTEGER,
    role       TEXT    NOT NULL,
    action     TEXT    NOT NULL,
    target     TEXT    NOT NULL,
    event_id   TEXT,
    status     INTEGER NOT NULL
);
CREATE INDEX ix_audit_log_event ON audit_log (event_id, id);
