-- The shoppers' app (issue 13): declaring the same conflict of interest twice (a resend from the phone's
-- outbox, or two taps) keeps one declaration.
DELETE FROM shopper_conflicts WHERE id NOT IN (
    SELECT MIN(id) FROM shopper_conflicts
    GROUP BY shopper_id, COALESCE(venue_id, ''), COALESCE(client_id, ''), COALESCE(employer, '')
);
CREATE UNIQUE INDEX shopper_conflicts_once ON shopper_conflicts
    (shopper_id, COALESCE(venue_id, ''), COALESCE(client_id, ''), COALESCE(employer, ''));
