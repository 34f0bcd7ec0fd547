-- Access tokens: one per organiser, analyst, buyer or SME, issued by an organiser. Only a SHA-256 hash of each token is
-- kept (tokens are 256-bit random, so a fast hash is enough); revoked tokens stay for the record.
-- Idempotency keys: the first response to a POST that creates something, replayed when the same key comes again.

CREATE TABLE access_tokens (
    id         INTEGER PRIMARY KEY,
    token_hash TEXT    NOT NULL UNIQUE,
    role       TEXT    NOT NULL CHECK (role IN ('organiser', 'analyst', 'buyer', 'sme')),
    event_id   INTEGER REFERENCES events (id) ON DELETE CASCADE,
    buyer_id   INTEGER REFERENCES buyers (id),
    sme_id     INTEGER REFERENCES smes (id),
    label      TEXT    NOT NULL DEFAULT '',
    created_at TEXT    NOT NULL,
    revoked_at TEXT,
    CHECK ((role = 'buyer') = (buyer_id IS NOT NULL)),
    CHECK ((role = 'sme') = (sme_id IS NOT NULL)),
    CHECK (role IN ('organiser', 'analyst') OR event_id IS NOT NULL)
);

CREATE TABLE idempotency_keys (
    idempotency_key TEXT    NOT NULL,
    token_id        INTEGER NOT NULL,
    method          TEXT    NOT NULL,
    path            TEXT    NOT NULL,
    request_hash    TEXT    NOT NULL,
    status          INTEGER NOT NULL,
    content_type    TEXT,
    location        TEXT,
    body            BLOB    NOT NULL,
    created_at      TEXT    NOT NULL,
    PRIMARY KEY (idempotency_key, token_id)
);
