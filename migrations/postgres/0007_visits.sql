-- Visits: geo-verified check-in, answers, photo evidence, flags, review decisions.

-- A wave's visit rules (JSON; see domain::visit::VisitRules; '{}' means the defaults).
ALTER TABLE waves ADD COLUMN visit_rules TEXT NOT NULL DEFAULT '{}';

CREATE TABLE visits (
    id                      TEXT PRIMARY KEY,
    task_id                 TEXT NOT NULL REFERENCES tasks (id),
    shopper_id              TEXT NOT NULL REFERENCES users (id),
    checklist_version_id    TEXT NOT NULL REFERENCES checklist_versions (id),
    -- IN_PROGRESS, SUBMITTED, RETURNED, APPROVED, REJECTED
    state                   TEXT NOT NULL,
    checkin_attempt_id      TEXT NOT NULL,
    checkin_device_at       BIGINT NOT NULL,
    checkin_server_at       BIGINT NOT NULL,
    checkout_client_id      TEXT,
    checkout_lat            DOUBLE PRECISION,
    checkout_lon            DOUBLE PRECISION,
    checkout_accuracy_m     DOUBLE PRECISION,
    checkout_device_at      BIGINT,
    checkout_server_at      BIGINT,
    -- JSON object: question code → answer
    answers                 TEXT NOT NULL DEFAULT '{}',
    score                   DOUBLE PRECISION,
    submitted_at            BIGINT,
    decided_at              BIGINT,
    created_at              BIGINT NOT NULL,
    updated_at              BIGINT NOT NULL,
    CONSTRAINT visits_task_key UNIQUE (task_id)
);
CREATE INDEX visits_shopper_idx ON visits (shopper_id, checkin_device_at);
CREATE INDEX visits_state_idx ON visits (state, submitted_at);

-- Every check-in attempt, passed or not (reviewers see them all). client_id makes retries idempotent.
CREATE TABLE checkin_attempts (
    id              TEXT PRIMARY KEY,
    client_id       TEXT NOT NULL,
    task_id         TEXT NOT NULL REFERENCES tasks (id),
    shopper_id      TEXT NOT NULL REFERENCES users (id),
    lat             DOUBLE PRECISION NOT NULL,
    lon             DOUBLE PRECISION NOT NULL,
    accuracy_m      DOUBLE PRECISION NOT NULL,
    mock_location   BIGINT NOT NULL,
    device_at       BIGINT NOT NULL,
    server_at       BIGINT NOT NULL,
    -- JSON GeoVerdict
    verdict         TEXT NOT NULL,
    passed          BIGINT NOT NULL,
    CONSTRAINT checkin_attempts_client_key UNIQUE (shopper_id, client_id)
);
CREATE INDEX checkin_attempts_task_idx ON checkin_attempts (task_id, server_at);

CREATE TABLE photos (
    id              TEXT PRIMARY KEY,
    client_id       TEXT NOT NULL,
    visit_id        TEXT NOT NULL REFERENCES visits (id),
    shopper_id      TEXT NOT NULL REFERENCES users (id),
    -- the photo question it answers, or NULL for the receipt
    question_code   TEXT,
    kind            TEXT NOT NULL, -- QUESTION, RECEIPT
    receipt_kopiykas BIGINT,
    content_type    TEXT NOT NULL,
    bytes           BIGINT NOT NULL,
    sha256          TEXT NOT NULL,
    -- 64-bit perceptual hash as 16 hex digits, and its four 16-bit bands (indexed for near-duplicate search)
    phash           TEXT NOT NULL,
    band0           BIGINT NOT NULL,
    band1           BIGINT NOT NULL,
    band2           BIGINT NOT NULL,
    band3           BIGINT NOT NULL,
    width           BIGINT NOT NULL,
    height          BIGINT NOT NULL,
    -- JSON: EXIF facts and verdicts (domain::photo)
    exif            TEXT NOT NULL,
    gps_verdict     TEXT NOT NULL,
    time_verdict    TEXT NOT NULL,
    duplicate_of    TEXT,
    original_key    TEXT NOT NULL,
    display_key     TEXT NOT NULL,
    thumbnail_key   TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    CONSTRAINT photos_client_key UNIQUE (shopper_id, client_id)
);
CREATE INDEX photos_visit_idx ON photos (visit_id, created_at);
CREATE INDEX photos_sha_idx ON photos (sha256);
CREATE INDEX photos_band0_idx ON photos (band0);
CREATE INDEX photos_band1_idx ON photos (band1);
CREATE INDEX photos_band2_idx ON photos (band2);
CREATE INDEX photos_band3_idx ON photos (band3);

-- Flags raised at submission (rewritten on resubmission).
CREATE TABLE visit_flags (
    visit_id        TEXT NOT NULL REFERENCES visits (id),
    code            TEXT NOT NULL,
    severity        TEXT NOT NULL, -- INFO, WARNING, CRITICAL
    message         TEXT NOT NULL,
    other_visit_id  TEXT,
    PRIMARY KEY (visit_id, code, message)
);
CREATE INDEX visit_flags_code_idx ON visit_flags (code);

-- The visit's history: submissions and review decisions (APPROVE is the event the payout ledger consumes).
CREATE TABLE visit_events (
    id          TEXT PRIMARY KEY,
    visit_id    TEXT NOT NULL REFERENCES visits (id),
    action      TEXT NOT NULL, -- SUBMIT, APPROVE, REJECT, RETURN
    actor_id    TEXT REFERENCES users (id),
    reason      TEXT,
    -- JSON [{"questionCode": …, "comment": …}] for RETURN
    comments    TEXT,
    at          BIGINT NOT NULL
);
CREATE INDEX visit_events_visit_idx ON visit_events (visit_id, at);
