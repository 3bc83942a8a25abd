-- One quality index per center (issue 15): the size class that, with the oblast, makes a center's stratum; the
-- running tallies (counts only, so each response or approval adds to them in its own transaction); and the index
-- computed from them per period (a month `2026-11` or a quarter `2026-Q4`), kept for every period (history).

-- SMALL, MEDIUM, LARGE, or NULL (not known: such centers form one class of their own per oblast).
ALTER TABLE venues ADD COLUMN size_class TEXT;

CREATE TABLE index_tallies (
    period          TEXT NOT NULL,
    venue_id        TEXT NOT NULL REFERENCES venues (id),
    channel         TEXT NOT NULL, -- QR, WEB_MAP, SMS, VIBER, PHONE; MYSTERY for approved visits
    client_id       TEXT NOT NULL REFERENCES clients (id),
    rated           BIGINT NOT NULL,
    premises_n      BIGINT NOT NULL,
    premises_pos    BIGINT NOT NULL,
    staff_n         BIGINT NOT NULL,
    staff_pos       BIGINT NOT NULL,
    waiting_n       BIGINT NOT NULL,
    waiting_pos     BIGINT NOT NULL,
    result_n        BIGINT NOT NULL,
    result_pos      BIGINT NOT NULL,
    recommend       BIGINT NOT NULL,
    promoters       BIGINT NOT NULL,
    detractors      BIGINT NOT NULL,
    visits          BIGINT NOT NULL,
    score_sum       REAL NOT NULL,
    score_squares   REAL NOT NULL,
    updated_at      BIGINT NOT NULL,
    PRIMARY KEY (period, venue_id, channel)
);
CREATE INDEX index_tallies_client_idx ON index_tallies (client_id, period);
-- The refresh loop asks which periods changed since it last looked.
CREATE INDEX index_tallies_updated_idx ON index_tallies (updated_at);

CREATE TABLE quality_index (
    period          TEXT NOT NULL,
    venue_id        TEXT NOT NULL REFERENCES venues (id),
    client_id       TEXT NOT NULL REFERENCES clients (id),
    responses       BIGINT NOT NULL,
    visits          BIGINT NOT NULL,
    headline        REAL,            -- NULL: not published (too few responses and visits)
    rank            BIGINT,          -- within the stratum, 1 = best
    rank_of         BIGINT,
    detail          TEXT NOT NULL,   -- JSON: the parts, their intervals and priors, the breakdowns
    computed_at     BIGINT NOT NULL,
    PRIMARY KEY (period, venue_id)
);
CREATE INDEX quality_index_client_idx ON quality_index (client_id, period);
CREATE INDEX quality_index_venue_idx ON quality_index (venue_id, period);
