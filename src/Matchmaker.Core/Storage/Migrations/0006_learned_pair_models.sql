-- Learned pair models (issue 15): a model learned from past outcomes over the content components and categories of a
-- pair, used for cold SMEs and buyers when the weight profile says so. Kept beside the recommender's models, written in
-- the same transaction as the recommender model it was trained with, so a reader sees either both new or both old.
CREATE TABLE pair_models (
    id             INTEGER PRIMARY KEY,
    algorithm      TEXT    NOT NULL,
    format_version INTEGER NOT NULL,
    seed           INTEGER NOT NULL,
    fingerprint    TEXT    NOT NULL,
    rows           INTEGER NOT NULL,
    positives      INTEGER NOT NULL,
    trained_at     TEXT    NOT NULL,
    train_seconds  REAL    NOT NULL,
    model          BLOB    NOT NULL
);

ALTER TABLE score_runs ADD COLUMN pair_model_id INTEGER REFERENCES pair_models (id);

-- Which model scored the pair ('weights' = the profile's hand weights, else the learned model's algorithm), and for a
-- learned score its parts (one per field and the baseline, ';'-joined, invariant culture) that add up to the score.
ALTER TABLE match_scores ADD COLUMN scored_by TEXT NOT NULL DEFAULT 'weights';
ALTER TABLE match_scores ADD COLUMN learned_parts TEXT;
