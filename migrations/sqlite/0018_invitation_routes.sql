-- What each attempt was sent on (HYBRID: Viber with the provider's own SMS fallback; VIBER: Viber alone, the
-- outbox sends an SMS attempt if it is not delivered within its time to live; SMS), so a fallback is decided
-- from what was sent, not from today's settings.
ALTER TABLE invitation_attempts ADD COLUMN channel TEXT;
