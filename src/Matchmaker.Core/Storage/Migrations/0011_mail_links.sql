-- Sign-in links in notification mails: one per message, naming the event and the participant it was sent to. As with
-- access tokens only a SHA-256 hash of the link's 256-bit secret is kept. A link expires (expires_at) and is voided
-- (revoked_at) when the organiser revokes one of the participant's tokens; /login exchanges a valid one for a fresh
-- access token of that participant. New table only: no existing data to carry over.

CREATE TABLE mail_links (
    id             INTEGER PRIMARY KEY,
    link_hash      TEXT    NOT NULL UNIQUE,
    event_id       INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    recipient_kind TEXT    NOT NULL CHECK (recipient_kind IN ('buyer', 'sme')),
    recipient_id   INTEGER NOT NULL,
    message_id     TEXT    NOT NULL, -- the Message-ID of the mail that carried it, to name the tokens it issues
    created_at     TEXT    NOT NULL,
    expires_at     TEXT    NOT NULL,
    revoked_at     TEXT
);

CREATE INDEX ix_mail_links_recipient ON mail_links (event_id, recipient_kind, recipient_id);
