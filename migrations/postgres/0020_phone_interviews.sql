-- Phone interviews (issue 29, docs/PHONE.md): studies with their quotas, the cases drawn for them (and the
-- eligible ones not drawn, kept without their phone so that a draw can be explained), and every call.

-- A study of one client over a period of services. `strata` names what its quotas are set on (OBLAST, CENTER or
-- SERVICE); `rules` is its call discipline (`domain::cati::CallRules` as JSON); `seed` is recorded at the draw.
-- `status`: DRAFT (no sample yet), OPEN (calling), CLOSED.
CREATE TABLE cati_studies (
    id            TEXT PRIMARY KEY,
    client_id     TEXT NOT NULL REFERENCES clients (id),
    name          TEXT NOT NULL,
    period_from   TEXT NOT NULL,   -- first service day, YYYY-MM-DD (Kyiv)
    period_to     TEXT NOT NULL,   -- last service day
    strata        TEXT NOT NULL,
    rules         TEXT NOT NULL,
    status        TEXT NOT NULL,
    seed          TEXT,
    eligible      BIGINT,
    drawn         BIGINT,
    drawn_at      BIGINT,
    drawn_by      TEXT REFERENCES users (id),
    created_by    TEXT NOT NULL REFERENCES users (id),
    created_at    BIGINT NOT NULL,
    closed_at     BIGINT
);
CREATE INDEX cati_studies_client_idx ON cati_studies (client_id, created_at);

-- A stratum's quota: how many cases to draw (`sample`) and how many completed interviews close it (`target`).
CREATE TABLE cati_quotas (
    study_id   TEXT NOT NULL REFERENCES cati_studies (id),
    stratum    TEXT NOT NULL,
    sample     BIGINT NOT NULL,
    target     BIGINT NOT NULL,
    completes  BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (study_id, stratum)
);

-- One citizen to call. `source` EVENT (a service event with consent), CALLBACK (a call-back asked for on the
-- feedback form) or IMPORT (a row of an imported list), `source_id` naming it. The phone is sealed like a service
-- event's. `open` 1: in the sample and may still be called; `priority` 0 for an agreed appointment; `due_at`: the
-- first moment it may be called (the scheduler's, refreshed when it is passed over outside calling hours).
-- `leased_by`/`lease_until`/`call_id`: the operator whose screen holds it and the call under way.
CREATE TABLE cati_cases (
    id               TEXT PRIMARY KEY,
    study_id         TEXT NOT NULL REFERENCES cati_studies (id),
    source           TEXT NOT NULL,
    source_id        TEXT NOT NULL,
    venue_id         TEXT NOT NULL REFERENCES venues (id),
    service_code     TEXT,
    stratum          TEXT NOT NULL,
    zone             TEXT NOT NULL,
    respondent_name  TEXT,
    phone_cipher     TEXT,
    phone_hash       TEXT,
    phone_masked     TEXT,
    in_sample        BIGINT NOT NULL,
    open             BIGINT NOT NULL,
    priority         BIGINT NOT NULL,
    due_at           BIGINT NOT NULL,
    attempts         BIGINT NOT NULL,
    last_outcome     TEXT,
    last_call_at     BIGINT,
    appointment_at   BIGINT,
    converters_only  BIGINT NOT NULL,
    leased_by        TEXT REFERENCES users (id),
    lease_until      BIGINT,
    call_id          TEXT,
    answers          TEXT,
    answers_at       BIGINT,
    response_id      TEXT REFERENCES feedback_responses (id),
    created_at       BIGINT NOT NULL,
    CONSTRAINT cati_cases_source_key UNIQUE (study_id, source, source_id)
);
-- The queue in its order, so that "next case" reads the first due case without sorting the study.
CREATE INDEX cati_cases_queue_idx ON cati_cases (study_id, priority, due_at, id) WHERE open = 1;
CREATE INDEX cati_cases_phone_idx ON cati_cases (study_id, phone_hash);
CREATE INDEX cati_cases_lease_idx ON cati_cases (leased_by) WHERE leased_by IS NOT NULL;
CREATE INDEX cati_cases_venue_idx ON cati_cases (study_id, venue_id);

-- One call: handed out with its case (`started_at`), ended with an outcome (`domain::cati::Outcome`), or
-- `abandoned` when its screen went away and the lease ran out.
CREATE TABLE cati_calls (
    id              TEXT PRIMARY KEY,
    case_id         TEXT NOT NULL REFERENCES cati_cases (id),
    study_id        TEXT NOT NULL REFERENCES cati_studies (id),
    operator_id     TEXT NOT NULL REFERENCES users (id),
    number          BIGINT NOT NULL,
    started_at      BIGINT NOT NULL,
    ended_at        BIGINT,
    outcome         TEXT,
    abandoned       BIGINT NOT NULL DEFAULT 0,
    appointment_at  BIGINT,
    note            TEXT
);
CREATE INDEX cati_calls_case_idx ON cati_calls (case_id, started_at);
CREATE INDEX cati_calls_study_idx ON cati_calls (study_id, started_at);
CREATE INDEX cati_calls_open_idx ON cati_calls (study_id) WHERE ended_at IS NULL;
