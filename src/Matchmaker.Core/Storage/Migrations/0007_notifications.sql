-- Notifications: the participant's preferred language and opt-out, and the outbox. An outbox row is written in the same
-- transaction as the change it tells of; the delivery job reads it later. change_key names the change (the published
-- version, the request and its new state), so the unique key gives one notification per participant per change and a
-- publish run twice tells nobody twice.

ALTER TABLE buyers ADD COLUMN language TEXT NOT NULL DEFAULT 'ko' CHECK (language IN ('ko', 'en'));
ALTER TABLE buyers ADD COLUMN opted_out INTEGER NOT NULL DEFAULT 0;
ALTER TABLE smes ADD COLUMN language TEXT NOT NULL DEFAULT 'ko' CHECK (language IN ('ko', 'en'));
ALTER TABLE smes ADD COLUMN opted_out INTEGER NOT NULL DEFAULT 0;

CREATE TABLE notifications (
    id             INTEGER PRIMARY KEY,
    event_id       INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    recipient_kind TEXT    NOT NULL CHECK (recipient_kind IN ('buyer', 'sme')),
    recipient_id   INTEGER NOT NULL,
    kind           TEXT    NOT NULL CHECK (kind IN ('timetable_published', 'timetable_repaired', 'request_received',
                                                    'request_accepted', 'request_declined', 'request_expired')),
    change_key     TEXT    NOT NULL,
    meeting_ids    TEXT    NOT NULL DEFAULT '', -- the meetings the change touched (';'-joined), for the calendar parts
    state          TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed', 'skipped')),
    attempts       INTEGER NOT NULL DEFAULT 0,
    last_error     TEXT,
    created_at     TEXT    NOT NULL,
    sent_at        TEXT,
    UNIQUE (event_id, recipient_kind, recipient_id, kind, change_key)
);
CREATE INDEX ix_notifications_state ON notifications (state, event_id);
