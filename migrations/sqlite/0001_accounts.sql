-- Accounts, sessions, single-use email tokens, the mail outbox, login throttling and idempotency keys.
-- Times are BIGINT milliseconds since the Unix epoch (UTC); ids are UUIDv7 text.

CREATE TABLE users (
    id                TEXT PRIMARY KEY,
    email             TEXT NOT NULL,
    password_hash     TEXT NOT NULL,
    role              TEXT NOT NULL CHECK (role IN ('ADMIN', 'COORDINATOR', 'PAYMENTS', 'SHOPPER', 'CLIENT_VIEWER')),
    status            TEXT NOT NULL CHECK (status IN ('ACTIVE', 'SUSPENDED')),
    status_reason     TEXT,
    email_verified_at BIGINT,
    -- lower-cased email, name and phone, for case-insensitive search on both databases
    search_text       TEXT NOT NULL,
    created_by        TEXT REFERENCES users (id),
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL,
    CONSTRAINT users_email_key UNIQUE (email)
);
CREATE INDEX users_role_idx ON users (role, id);

CREATE TABLE shopper_profiles (
    user_id                      TEXT PRIMARY KEY REFERENCES users (id),
    full_name                    TEXT NOT NULL,
    phone                        TEXT NOT NULL,
    language                     TEXT NOT NULL CHECK (language IN ('UK', 'EN')),
    home_lat                     REAL NOT NULL,
    home_lon                     REAL NOT NULL,
    travel_radius_km             REAL NOT NULL,
    iban                         TEXT NOT NULL,
    account_holder               TEXT NOT NULL,
    tax_id                       TEXT NOT NULL,
    code_of_conduct_version      TEXT NOT NULL,
    code_of_conduct_accepted_at  BIGINT NOT NULL,
    conflict_declaration         TEXT NOT NULL,
    updated_at                   BIGINT NOT NULL
);

CREATE TABLE sessions (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id),
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    revoked_at  BIGINT,
    ip          TEXT,
    user_agent  TEXT
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE email_tokens (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id),
    purpose     TEXT NOT NULL CHECK (purpose IN ('VERIFY_EMAIL', 'RESET_PASSWORD')),
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    used_at     BIGINT
);
CREATE INDEX email_tokens_user_idx ON email_tokens (user_id, purpose);

CREATE TABLE outbox_emails (
    id               TEXT PRIMARY KEY,
    kind             TEXT NOT NULL,
    to_address       TEXT NOT NULL,
    subject          TEXT NOT NULL,
    body_text        TEXT NOT NULL,
    created_at       BIGINT NOT NULL,
    attempts         BIGINT NOT NULL DEFAULT 0,
    next_attempt_at  BIGINT NOT NULL,
    locked_until     BIGINT,
    sent_at          BIGINT,
    last_error       TEXT
);
CREATE INDEX outbox_due_idx ON outbox_emails (sent_at, next_attempt_at);

CREATE TABLE login_failures (
    id      TEXT PRIMARY KEY,
    email   TEXT NOT NULL,
    ip      TEXT NOT NULL,
    at      BIGINT NOT NULL
);
CREATE INDEX login_failures_email_idx ON login_failures (email, at);
CREATE INDEX login_failures_ip_idx ON login_failures (ip, at);

CREATE TABLE idempotency_keys (
    scope         TEXT NOT NULL,
    key           TEXT NOT NULL,
    request_hash  TEXT NOT NULL,
    result_id     TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    PRIMARY KEY (scope, key)
);

CREATE TABLE audit_log (
    id          TEXT PRIMARY KEY,
    actor_id    TEXT REFERENCES users (id),
    action      TEXT NOT NULL,
    subject_id  TEXT,
    detail      TEXT,
    at          BIGINT NOT NULL
);
CREATE INDEX audit_log_subject_idx ON audit_log (subject_id, at);
