-- Hardening (issue 10): rate limits that hold under parallel requests, photo objects that a crash cannot orphan,
-- and bank status files recognised when they are sent again.

-- One row per counted event (a sign-up from an address, …), and one lock row per limited subject: counting and
-- recording happen in one transaction holding the subject's lock, so parallel requests pass exactly the limit.
CREATE TABLE rate_subjects (
    bucket      TEXT NOT NULL,
    subject     TEXT NOT NULL,
    touched_at  BIGINT NOT NULL,
    PRIMARY KEY (bucket, subject)
);
CREATE TABLE rate_events (
    id       TEXT PRIMARY KEY,
    bucket   TEXT NOT NULL,
    subject  TEXT NOT NULL,
    at       BIGINT NOT NULL
);
CREATE INDEX rate_events_subject_idx ON rate_events (bucket, subject, at);

-- Login attempts per account and address (the table keeps its name: a row is an attempt not known to have
-- succeeded; a success removes the pair's rows).
-- `pending` = 1 while the password is being checked; an address's limit counts only settled failures, so many
-- people logging in at once behind one address are not refused.
ALTER TABLE login_failures ADD COLUMN pending BIGINT NOT NULL DEFAULT 0;
CREATE INDEX login_failures_pair_idx ON login_failures (email, ip, at);

-- Photo objects being written: the row is committed before the first object is stored and deleted in the
-- transaction that inserts the photo, so what a crash leaves behind is listed here and swept.
CREATE TABLE pending_uploads (
    id          TEXT PRIMARY KEY,
    visit_id    TEXT NOT NULL,
    object_keys TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX pending_uploads_age_idx ON pending_uploads (created_at);

-- Bank status files applied to a batch, by content: the same file sent again returns the first result.
CREATE TABLE payout_status_imports (
    batch_id    TEXT NOT NULL REFERENCES payout_batches (id),
    sha256      TEXT NOT NULL,
    paid        BIGINT NOT NULL,
    failed      BIGINT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (batch_id, sha256)
);
