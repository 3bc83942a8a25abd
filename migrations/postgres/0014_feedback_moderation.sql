-- Issue 15, after 0013 had shipped (a shipped migration is never edited: databases keep its checksum).

-- Whether a moderator approves each citizen's comment before its masked text is shown publicly (1, the default),
-- or masked comments of responses that are not suspicious are published at once (0).
ALTER TABLE clients ADD COLUMN feedback_moderated BIGINT NOT NULL DEFAULT 1;

-- The index refresh asks which periods a changed venue (deactivated, moved to another oblast or size class) is in.
CREATE INDEX index_tallies_venue_idx ON index_tallies (venue_id);

-- Bursts against a center: the responses of the last days, whatever their center.
CREATE INDEX feedback_responses_created_idx ON feedback_responses (created_at);
