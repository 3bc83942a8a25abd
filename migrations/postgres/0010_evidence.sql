-- Evidence (issue 12): crop-window hashes kept with each photo, so a crop of an earlier photo of the same venue
-- is found (hex 64-bit hashes, comma-separated, in the order of domain::photo::CROP_WINDOWS; empty for photos
-- stored before).
ALTER TABLE photos ADD COLUMN crop_hashes TEXT NOT NULL DEFAULT '';

-- One person, one account: a РНОКПП is registered once.
CREATE UNIQUE INDEX shopper_profiles_tax_id_key ON shopper_profiles (tax_id);
-- Shared payout accounts and phones are shown to coordinators as signals.
CREATE INDEX shopper_profiles_iban_idx ON shopper_profiles (iban);
CREATE INDEX shopper_profiles_phone_idx ON shopper_profiles (phone);

-- The phone's own device id (a random id the app keeps), sent with check-ins: one device used by several
-- accounts is a signal.
ALTER TABLE checkin_attempts ADD COLUMN device_id TEXT;
CREATE INDEX checkin_attempts_device_idx ON checkin_attempts (device_id, shopper_id);

-- Time zones: each venue's own IANA zone (derived from its coordinates, or set by hand; filled in for existing
-- venues at start-up), and a client's default for venues where no zone can be derived (at sea, say).
ALTER TABLE venues ADD COLUMN time_zone TEXT;
ALTER TABLE clients ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'Europe/Kyiv';

-- Live capture: single-use tokens the app asks for after check-in; a photo taken by the app's own camera is sent
-- with one, and with the phone's position and time at the moment of capture (kept in the photo's EXIF JSON).
CREATE TABLE capture_tokens (
    id          TEXT PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,
    visit_id    TEXT NOT NULL REFERENCES visits (id),
    shopper_id  TEXT NOT NULL REFERENCES users (id),
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    used_at     BIGINT,
    photo_id    TEXT
);
CREATE INDEX capture_tokens_visit_idx ON capture_tokens (visit_id);
-- LIVE_CAMERA or GALLERY (photos stored before: GALLERY).
ALTER TABLE photos ADD COLUMN source TEXT NOT NULL DEFAULT 'GALLERY';
