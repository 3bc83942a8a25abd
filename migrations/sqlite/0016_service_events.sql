-- Citizens' channels, part 2 (issue 28): machine access with API keys, and the service events centers report.

-- A service account's key: only the SHA-256 of its secret is kept (the secret is shown once, at creation or
-- rotation). `scopes` is a space-separated list (`events:write`); `client_id` and `oblast` narrow its reach.
CREATE TABLE api_keys (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    prefix        TEXT NOT NULL,       -- the secret's first characters, to recognise it in lists and logs
    secret_hash   TEXT NOT NULL,
    scopes        TEXT NOT NULL,
    client_id     TEXT REFERENCES clients (id),
    oblast        TEXT,
    created_by    TEXT NOT NULL REFERENCES users (id),
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT,
    last_used_at  BIGINT,
    revoked_at    BIGINT,
    revoked_by    TEXT REFERENCES users (id),
    rotated_from  TEXT REFERENCES api_keys (id),
    CONSTRAINT api_keys_secret_hash_key UNIQUE (secret_hash)
);
CREATE INDEX api_keys_created_idx ON api_keys (created_at);

-- A service a center completed, as its system reported it. One row per (client, external id): a repeat is the
-- same event. The citizen's phone is kept only with consent, encrypted (`<key id>:<base64 nonce+ciphertext>`)
-- beside a keyed hash for de-duplication and the opt-out list, and erased after the retention period.
CREATE TABLE service_events (
    id              TEXT PRIMARY KEY,
    client_id       TEXT NOT NULL REFERENCES clients (id),
    external_id     TEXT NOT NULL,
    venue_id        TEXT NOT NULL REFERENCES venues (id),
    service_code    TEXT NOT NULL,
    completed_at    BIGINT NOT NULL,
    phone_cipher    TEXT,
    phone_hash      TEXT,
    phone_masked    TEXT,                 -- e.g. +380 50 *** ** 67, for staff screens
    messenger       TEXT,                 -- VIBER, SMS, or NULL (no preference)
    consent         BIGINT NOT NULL,
    source          TEXT NOT NULL,        -- API, GRAPHQL, CSV
    api_key_id      TEXT REFERENCES api_keys (id),
    reported_by     TEXT REFERENCES users (id),
    received_at     BIGINT NOT NULL,
    phone_erased_at BIGINT,
    CONSTRAINT service_events_external_key UNIQUE (client_id, external_id)
);
CREATE INDEX service_events_venue_idx ON service_events (venue_id, completed_at);
-- The retention sweep looks for phones still kept after their time.
CREATE INDEX service_events_phone_idx ON service_events (received_at) WHERE phone_cipher IS NOT NULL;
