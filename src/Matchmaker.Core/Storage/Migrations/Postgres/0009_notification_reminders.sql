-- Two more kinds of notification: the reminder the day before (one per participant per event day, change_key the
-- day) and the outcome form link to the buyer after a meeting (change_key the meeting). PostgreSQL widens the CHECK
-- constraint in place (SQLite rebuilds the table); 0007 created it unnamed, so PostgreSQL named it notifications_kind_check.

ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
    CHECK (kind IN ('timetable_published', 'timetable_repaired', 'request_received', 'request_accepted', 'request_declined',
                    'request_expired', 'meeting_reminder', 'outcome_requested'));
