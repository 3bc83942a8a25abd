-- Phone interviews (issue 29): the `OPERATOR` role, and the operators trained to convert refusals.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('ADMIN', 'COORDINATOR', 'PAYMENTS', 'SHOPPER', 'CLIENT_VIEWER', 'OPERATOR'));
ALTER TABLE users ADD COLUMN converts_refusals BIGINT NOT NULL DEFAULT 0;
