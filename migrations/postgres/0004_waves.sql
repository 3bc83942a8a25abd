-- Waves (fieldwork projects) and their tasks (one required visit of one venue).

CREATE TABLE waves (
    id                          TEXT PRIMARY KEY,
    client_id                   TEXT NOT NULL REFERENCES clients (id),
    checklist_version_id        TEXT NOT NULL REFERENCES checklist_versions (id),
    name                        TEXT NOT NULL,
    starts_on                   TEXT NOT NULL, -- YYYY-MM-DD, Europe/Kyiv
    ends_on                     TEXT NOT NULL,
    -- JSON: {"mode": "ALL"} | {"mode": "FILTER", "oblast": …, "raion": …, "city": …, "type": …} | {"mode": "LIST", "venueIds": […]}
    selection                   TEXT NOT NULL,
    visits_per_venue            BIGINT NOT NULL,
    fee_kopiykas                BIGINT NOT NULL,
    reimbursement_cap_kopiykas  BIGINT NOT NULL,
    -- JSON opening intervals; [] means "the venue's own opening hours"
    visiting_windows            TEXT NOT NULL,
    scenario                    TEXT NOT NULL,
    cooloff_days                BIGINT NOT NULL,
    max_tasks_per_shopper       BIGINT NOT NULL,
    claim_window_hours          BIGINT NOT NULL,
    status                      TEXT NOT NULL CHECK (status IN ('DRAFT', 'LAUNCHED', 'PAUSED', 'CLOSED')),
    launched_at                 BIGINT,
    closed_at                   BIGINT,
    close_reason                TEXT,
    created_by                  TEXT REFERENCES users (id),
    created_at                  BIGINT NOT NULL,
    updated_by                  TEXT REFERENCES users (id),
    updated_at                  BIGINT NOT NULL
);
CREATE INDEX waves_client_idx ON waves (client_id, id);

CREATE TABLE tasks (
    id              TEXT PRIMARY KEY,
    wave_id         TEXT NOT NULL REFERENCES waves (id),
    venue_id        TEXT NOT NULL REFERENCES venues (id),
    seq             BIGINT NOT NULL, -- 1..visits_per_venue
    state           TEXT NOT NULL CHECK (state IN ('OPEN', 'OFFERED', 'CLAIMED', 'ASSIGNED', 'VISITED', 'SUBMITTED',
                                                   'APPROVED', 'REJECTED', 'CANCELLED')),
    fee_kopiykas    BIGINT NOT NULL,
    bonus_kopiykas  BIGINT NOT NULL,
    cancel_reason   TEXT,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    CONSTRAINT tasks_wave_venue_seq_key UNIQUE (wave_id, venue_id, seq)
);
CREATE INDEX tasks_wave_state_idx ON tasks (wave_id, state);
CREATE INDEX tasks_venue_idx ON tasks (venue_id);
