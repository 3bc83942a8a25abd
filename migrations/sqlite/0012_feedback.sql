-- Citizens' channels (issue 15): QR codes per venue, the service catalogue, and feedback responses.

-- Keys the service keeps for itself (e.g. the one that signs QR codes and the feedback form's tokens), made once
-- at first start; every server behind one load balancer reads the same row.
CREATE TABLE app_secrets (
    name        TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);

-- A venue's QR code: the short random token in /q/<token>.<signature>. Rotating retires the old one.
CREATE TABLE feedback_codes (
    token       TEXT PRIMARY KEY,
    venue_id    TEXT NOT NULL REFERENCES venues (id),
    created_by  TEXT REFERENCES users (id),
    created_at  BIGINT NOT NULL,
    retired_at  BIGINT
);
CREATE INDEX feedback_codes_venue_idx ON feedback_codes (venue_id, created_at);
-- At most one live code per venue.
CREATE UNIQUE INDEX feedback_codes_live ON feedback_codes (venue_id) WHERE retired_at IS NULL;

-- What a visitor may have come for, per venue type; staff edit it.
CREATE TABLE service_catalogue (
    venue_type  TEXT NOT NULL,
    code        TEXT NOT NULL,
    name_uk     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    position    BIGINT NOT NULL,
    active      BIGINT NOT NULL,
    PRIMARY KEY (venue_type, code)
);
INSERT INTO service_catalogue (venue_type, code, name_uk, name_en, position, active) VALUES
    ('CNAP', 'PASSPORT', 'Паспорт громадянина України (ID-картка), закордонний паспорт', 'Passport or ID card', 1, 1),
    ('CNAP', 'RESIDENCE', 'Реєстрація місця проживання', 'Registration of residence', 2, 1),
    ('CNAP', 'PROPERTY', 'Реєстрація нерухомості', 'Real estate registration', 3, 1),
    ('CNAP', 'BUSINESS', 'Реєстрація бізнесу (ФОП, юридична особа)', 'Business registration', 4, 1),
    ('CNAP', 'SOCIAL', 'Соціальні послуги, субсидії, допомоги', 'Social services and benefits', 5, 1),
    ('CNAP', 'LAND', 'Земельні питання', 'Land matters', 6, 1),
    ('CNAP', 'VEHICLE', 'Транспортні засоби, посвідчення водія', 'Vehicles and driving licences', 7, 1),
    ('CNAP', 'CONSULTATION', 'Консультація', 'Advice', 8, 1),
    ('CNAP', 'OTHER', 'Інше', 'Other', 9, 1);

CREATE TABLE feedback_responses (
    id                 TEXT PRIMARY KEY,
    venue_id           TEXT NOT NULL REFERENCES venues (id),
    channel            TEXT NOT NULL, -- QR, WEB_MAP, SMS, VIBER, PHONE
    code_token         TEXT,          -- the QR code it came through
    service_code       TEXT,
    premises           BIGINT,        -- 1..4 (жахливо..чудово)
    staff              BIGINT,
    waiting            BIGINT,
    result             BIGINT,
    recommend          BIGINT,        -- 0..10
    comment            TEXT,          -- as written (staff only)
    comment_masked     TEXT,          -- personal data masked (what may ever be shown publicly)
    masked_kinds       TEXT NOT NULL DEFAULT '',
    contact_name       TEXT,
    contact_phone      TEXT,
    contact_email      TEXT,
    callback_consent   BIGINT NOT NULL,
    risk_score         BIGINT NOT NULL,
    risk_reasons       TEXT NOT NULL, -- JSON list of sentences
    counted            BIGINT NOT NULL, -- 1: goes into the index
    moderation         TEXT NOT NULL, -- PENDING, PUBLISHED, REJECTED (comments only), NONE (no comment)
    moderated_by       TEXT REFERENCES users (id),
    moderated_at       BIGINT,
    device_hash        TEXT NOT NULL,
    address_hash       TEXT NOT NULL,
    submission_key     TEXT NOT NULL,  -- the form's token: one response per shown form
    created_at         BIGINT NOT NULL,
    CONSTRAINT feedback_responses_submission_key UNIQUE (submission_key)
);
CREATE INDEX feedback_responses_venue_idx ON feedback_responses (venue_id, created_at);
CREATE INDEX feedback_responses_address_idx ON feedback_responses (address_hash, created_at);
CREATE INDEX feedback_responses_device_idx ON feedback_responses (device_hash, venue_id, created_at);
CREATE INDEX feedback_responses_moderation_idx ON feedback_responses (moderation, created_at);
