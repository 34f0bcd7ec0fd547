-- Two more kinds of notification: the reminder the day before (one per participant per event day, change_key the
-- day) and the outcome form link to the buyer after a meeting (change_key the meeting). SQLite cannot widen a CHECK
-- constraint in place, so the outbox is rebuilt with the same columns and every row carried over.

CREATE TABLE notifications_new (
    id             INTEGER PRIMARY KEY,
    event_id       INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    recipient_kind TEXT    NOT NULL CHECK (recipient_kind IN ('buyer', 'sme')),
    recipient_id   INTEGER NOT NULL,
    kind           TEXT    NOT NULL CHECK (kind IN ('timetable_published', 'timetable_repaired', 'request_received',
                                                    'request_accepted', 'request_declined', 'request_expired',
                                                    'meeting_reminder', 'outcome_requested')),
    change_key     TEXT    NOT NULL,
    meeting_ids    TEXT    NOT NULL DEFAULT '', -- the meetings the change touched (';'-joined), for the calendar parts
    state          TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed', 'skipped')),
    attempts       INTEGER NOT NULL DEFAULT 0,
    last_error     TEXT,
    created_at     TEXT    NOT NULL,
    sent_at        TEXT,
    UNIQUE (event_id, recipient_kind, recipient_id, kind, change_key)
);

INSERT INTO notifications_new (id, event_id, recipient_kind, recipient_id, kind, change_key, meeting_ids, state, attempts, last_error,
                               created_at, sent_at)
SELECT id, event_id, recipient_kind, recipient_id, kind, change_key, meeting_ids, state, attempts, last_error, created_at, sent_at
FROM notifications;

DROP TABLE notifications;
ALTER TABLE notifications_new RENAME TO notifications;
CREATE INDEX ix_notifications_state ON notifications (state, event_id);
