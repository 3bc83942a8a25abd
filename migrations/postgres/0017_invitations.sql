-- Citizens' channels, part 2 (issue 28): invitations after a service, their outbox, the opt-out list, and the
-- link from a message to the feedback form.

-- A client's invitation policy (`domain::invitation::Policy` as JSON); a client without a row has the defaults.
CREATE TABLE invitation_policies (
    client_id   TEXT PRIMARY KEY REFERENCES clients (id),
    policy      TEXT NOT NULL,
    updated_by  TEXT REFERENCES users (id),
    updated_at  BIGINT NOT NULL
);

-- Phones that asked for no more messages (by the keyed hash only), honoured before every send.
CREATE TABLE phone_opt_outs (
    phone_hash    TEXT PRIMARY KEY,
    source        TEXT NOT NULL,   -- LINK (the citizen), PROVIDER (the provider's stop list)
    opted_out_at  BIGINT NOT NULL
);

-- One decision per service event: invited (with the moment it is due) or skipped (with the reason). The link's
-- token leads to the feedback form; `status` follows the messages (PLANNED, SENDING, SENT, DELIVERED, READ,
-- FAILED, EXPIRED, OPTED_OUT, SKIPPED).
CREATE TABLE invitations (
    id              TEXT PRIMARY KEY,
    event_id        TEXT NOT NULL REFERENCES service_events (id),
    client_id       TEXT NOT NULL REFERENCES clients (id),
    venue_id        TEXT NOT NULL REFERENCES venues (id),
    service_code    TEXT NOT NULL,
    phone_hash      TEXT,
    status          TEXT NOT NULL,
    reason          TEXT,            -- why skipped or failed (a code)
    due_at          BIGINT,
    budget_day      TEXT,            -- the client's local day the message goes out on (YYYY-MM-DD)
    token           TEXT,
    channel         TEXT,            -- VIBER or SMS: what reached the citizen
    segments        BIGINT,
    sent_at         BIGINT,
    delivered_at    BIGINT,
    read_at         BIGINT,
    opened_at       BIGINT,
    answered_at     BIGINT,
    expires_at      BIGINT,
    created_at      BIGINT NOT NULL,
    CONSTRAINT invitations_event_key UNIQUE (event_id),
    CONSTRAINT invitations_token_key UNIQUE (token)
);
CREATE INDEX invitations_phone_idx ON invitations (phone_hash, due_at);
CREATE INDEX invitations_budget_idx ON invitations (client_id, budget_day);
CREATE INDEX invitations_venue_idx ON invitations (venue_id, created_at);

-- The outbox: one row per attempt to send an invitation. Its id is the provider's idempotency key, so a send
-- repeated after a crash is one message. `state`: PENDING (due at next_attempt_at), ACCEPTED (the provider took
-- it: never sent again), REFUSED (the provider said no for good), GAVE_UP (tries or time ran out), CANCELLED
-- (opted out or the phone erased before it left).
CREATE TABLE invitation_attempts (
    id                   TEXT PRIMARY KEY,
    invitation_id        TEXT NOT NULL REFERENCES invitations (id),
    number               BIGINT NOT NULL,
    provider             TEXT NOT NULL,
    state                TEXT NOT NULL,
    tries                BIGINT NOT NULL,
    next_attempt_at      BIGINT NOT NULL,
    locked_until         BIGINT,
    provider_message_id  TEXT,
    last_error           TEXT,
    accepted_at          BIGINT,
    last_polled_at       BIGINT,
    created_at           BIGINT NOT NULL,
    CONSTRAINT invitation_attempts_number_key UNIQUE (invitation_id, number)
);
CREATE INDEX invitation_attempts_due_idx ON invitation_attempts (next_attempt_at) WHERE state = 'PENDING';
CREATE INDEX invitation_attempts_message_idx ON invitation_attempts (provider, provider_message_id);

-- A response that came through an invitation's link (one per invitation).
ALTER TABLE feedback_responses ADD COLUMN invitation_id TEXT REFERENCES invitations (id);
CREATE UNIQUE INDEX feedback_responses_invitation_key ON feedback_responses (invitation_id) WHERE invitation_id IS NOT NULL;
