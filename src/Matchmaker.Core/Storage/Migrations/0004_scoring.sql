-- Explainable match scores: weight profiles (named, every version kept), the active version per event, each event's
-- current score set (replaced whole, in one transaction, by a rescoring run), and trained recommender models.

CREATE TABLE weight_profiles (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL,
    version      INTEGER NOT NULL CHECK (version > 0),
    description  TEXT    NOT NULL DEFAULT '',
    weights_json TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    UNIQUE (name, version)
);

CREATE TABLE event_weight_profiles (
    event_id     INTEGER PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
    profile_id   INTEGER NOT NULL REFERENCES weight_profiles (id),
    activated_at TEXT    NOT NULL
);

CREATE TABLE recommender_models (
    id            INTEGER PRIMARY KEY,
    algorithm     TEXT    NOT NULL,
    fingerprint   TEXT    NOT NULL,
    ratings       INTEGER NOT NULL,
    users         INTEGER NOT NULL,
    items         INTEGER NOT NULL,
    trained_at    TEXT    NOT NULL,
    train_seconds REAL    NOT NULL,
    model         BLOB    NOT NULL
);

-- One row per event: which profile and model produced the event's current scores.
CREATE TABLE score_runs (
    event_id   INTEGER PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
    profile_id INTEGER NOT NULL REFERENCES weight_profiles (id),
    model_id   INTEGER REFERENCES recommender_models (id),
    job_id     TEXT,
    pairs      INTEGER NOT NULL,
    scored_at  TEXT    NOT NULL
);

-- Best demand of each buyer for each SME, with the component values the explanation is rebuilt from
-- (contributions = profile weights × values, so they add up to the score). v_collaborative NULL = cold start.
CREATE TABLE match_scores (
    event_id           INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    sme_id             INTEGER NOT NULL REFERENCES smes (id),
    buyer_id           INTEGER NOT NULL REFERENCES buyers (id),
    demand_id          INTEGER REFERENCES demands (id),
    score              REAL    NOT NULL CHECK (score BETWEEN 0 AND 1),
    v_text             REAL    NOT NULL,
    v_industry         REAL    NOT NULL,
    v_certification    REAL    NOT NULL,
    v_region           REAL    NOT NULL,
    v_size             REAL    NOT NULL,
    v_export           REAL    NOT NULL,
    v_relationship     REAL    NOT NULL,
    v_collaborative    REAL,
    matched_terms      TEXT    NOT NULL DEFAULT '',
    sme_code           TEXT,
    demand_code        TEXT,
    code_level         INTEGER NOT NULL DEFAULT 0,
    missing_certs      TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (event_id, sme_id, buyer_id)
) WITHOUT ROWID;
CREATE INDEX ix_match_scores_buyer ON match_scores (event_id, buyer_id, score DESC);
