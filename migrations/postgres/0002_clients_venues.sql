-- Clients (who orders the measurement) and their venues (what is measured).

CREATE TABLE clients (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    created_by  TEXT REFERENCES users (id),
    created_at  BIGINT NOT NULL,
    updated_by  TEXT REFERENCES users (id),
    updated_at  BIGINT NOT NULL,
    CONSTRAINT clients_name_key UNIQUE (name)
);

-- A client's analyst (CLIENT_VIEWER) belongs to one client.
ALTER TABLE users ADD COLUMN client_id TEXT REFERENCES clients (id);

CREATE TABLE venues (
    id             TEXT PRIMARY KEY,
    client_id      TEXT NOT NULL REFERENCES clients (id),
    external_code  TEXT NOT NULL,
    name           TEXT NOT NULL,
    venue_type     TEXT NOT NULL,
    address        TEXT NOT NULL,
    oblast         TEXT NOT NULL,
    raion          TEXT NOT NULL,
    hromada        TEXT NOT NULL,
    city           TEXT NOT NULL,
    lat            DOUBLE PRECISION NOT NULL,
    lon            DOUBLE PRECISION NOT NULL,
    geofence_m     BIGINT NOT NULL,
    -- JSON: [{"weekday": "MON", "opens": "09:00", "closes": "13:00"}, ...] in Europe/Kyiv local time
    opening_hours  TEXT NOT NULL,
    active         BIGINT NOT NULL, -- 0 or 1 (sqlx Any has no portable boolean)
    search_text    TEXT NOT NULL,
    created_by     TEXT REFERENCES users (id),
    created_at     BIGINT NOT NULL,
    updated_by     TEXT REFERENCES users (id),
    updated_at     BIGINT NOT NULL,
    CONSTRAINT venues_client_code_key UNIQUE (client_id, external_code)
);
CREATE INDEX venues_client_idx ON venues (client_id, id);
-- "Venues near a point" filters on a bounding box first.
CREATE INDEX venues_lat_lon_idx ON venues (lat, lon);
