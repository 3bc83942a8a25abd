-- Hardening the public surface.

-- A response from a device whose cookie was new (or missing) when it was sent: a burst that begins within 10
-- minutes after it takes such responses out of the index too (docs/FEEDBACK.md).
ALTER TABLE feedback_responses ADD COLUMN new_device BIGINT NOT NULL DEFAULT 0;

-- The moderator who decided whether a response counts (`countFeedback`: a held response judged genuine, or a
-- counted one taken out); a later burst does not overrule that decision.
ALTER TABLE feedback_responses ADD COLUMN counted_by TEXT REFERENCES users (id);

-- The counted responses behind a tally row, whatever they answered (the n the map and open data show). Rows
-- written before this column are rebuilt once at start (`Quality::backfill_response_counts`).
ALTER TABLE index_tallies ADD COLUMN responses BIGINT NOT NULL DEFAULT 0;
