-- Payout ledger: double-entry accounts, append-only transactions and entries, payout batches and bank exports.

-- One account per shopper (payable) and the company's own accounts. `balance` (debits − credits) is kept in the
-- same database transaction as the entries, and always equals their sum (tests and `ledgerCheck` verify it).
CREATE TABLE ledger_accounts (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('SHOPPER_PAYABLE', 'FEE_EXPENSE', 'REIMBURSEMENT_EXPENSE', 'BONUS_EXPENSE',
                                              'TAX_WITHHELD', 'BANK_CLEARING', 'ADJUSTMENTS')),
    shopper_id  TEXT REFERENCES users (id),
    currency    TEXT NOT NULL,
    balance     BIGINT NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL
);
CREATE INDEX ledger_accounts_kind_idx ON ledger_accounts (kind);

CREATE TABLE payout_batches (
    id              TEXT PRIMARY KEY,
    period_from     TEXT NOT NULL,
    period_to       TEXT NOT NULL,
    currency        TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('DRAFT', 'APPROVED', 'CANCELLED')),
    line_count      BIGINT NOT NULL,
    gross_total     BIGINT NOT NULL,
    withheld_total  BIGINT NOT NULL,
    net_total       BIGINT NOT NULL,
    created_by      TEXT NOT NULL REFERENCES users (id),
    created_at      BIGINT NOT NULL,
    decided_by      TEXT REFERENCES users (id),
    decided_at      BIGINT,
    cancel_reason   TEXT
);
CREATE INDEX payout_batches_created_idx ON payout_batches (created_at);

CREATE TABLE payout_lines (
    id              TEXT PRIMARY KEY,
    batch_id        TEXT NOT NULL REFERENCES payout_batches (id),
    seq             BIGINT NOT NULL,
    shopper_id      TEXT NOT NULL REFERENCES users (id),
    account_holder  TEXT NOT NULL,
    iban            TEXT NOT NULL,
    tax_id          TEXT NOT NULL,
    currency        TEXT NOT NULL,
    gross           BIGINT NOT NULL CHECK (gross > 0),
    income_tax      BIGINT NOT NULL,
    military_levy   BIGINT NOT NULL,
    net             BIGINT NOT NULL CHECK (net > 0),
    -- PENDING (draft batch), SENT (batch approved: posted), PAID, FAILED (reversed), CANCELLED (draft cancelled)
    state           TEXT NOT NULL CHECK (state IN ('PENDING', 'SENT', 'PAID', 'FAILED', 'CANCELLED')),
    -- the shopper's id while the line is unsettled: a shopper's money is in one open batch at a time
    open_shopper    TEXT,
    failure_reason  TEXT,
    settled_by      TEXT REFERENCES users (id),
    settled_at      BIGINT,
    created_at      BIGINT NOT NULL,
    CONSTRAINT payout_lines_batch_seq_key UNIQUE (batch_id, seq),
    CONSTRAINT payout_lines_open_shopper_key UNIQUE (open_shopper)
);
CREATE INDEX payout_lines_shopper_idx ON payout_lines (shopper_id, created_at);

CREATE TABLE payout_exports (
    id          TEXT PRIMARY KEY,
    batch_id    TEXT NOT NULL REFERENCES payout_batches (id),
    format      TEXT NOT NULL,
    message_id  TEXT NOT NULL UNIQUE,
    created_by  TEXT NOT NULL REFERENCES users (id),
    created_at  BIGINT NOT NULL
);

CREATE TABLE ledger_transactions (
    id              TEXT PRIMARY KEY,
    -- what caused it (visit:<id>:approval, adjustment:<key>, payout-line:<id>, …): each cause posts once
    source_key      TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('VISIT_APPROVAL', 'APPROVAL_REVOKED', 'ADJUSTMENT', 'PAYOUT',
                                                  'PAYOUT_FAILED')),
    memo            TEXT NOT NULL,
    currency        TEXT NOT NULL,
    reverses_id     TEXT REFERENCES ledger_transactions (id),
    shopper_id      TEXT REFERENCES users (id),
    visit_id        TEXT REFERENCES visits (id),
    wave_id         TEXT REFERENCES waves (id),
    payout_line_id  TEXT REFERENCES payout_lines (id),
    actor_id        TEXT REFERENCES users (id),
    created_at      BIGINT NOT NULL,
    CONSTRAINT ledger_transactions_source_key UNIQUE (source_key),
    CONSTRAINT ledger_transactions_reverses_key UNIQUE (reverses_id)
);
CREATE INDEX ledger_transactions_shopper_idx ON ledger_transactions (shopper_id, id);
CREATE INDEX ledger_transactions_created_idx ON ledger_transactions (created_at);
CREATE INDEX ledger_transactions_wave_idx ON ledger_transactions (wave_id);

-- Debits positive, credits negative; the entries of a transaction sum to zero (checked before writing).
CREATE TABLE ledger_entries (
    id              TEXT PRIMARY KEY,
    transaction_id  TEXT NOT NULL REFERENCES ledger_transactions (id),
    account_id      TEXT NOT NULL REFERENCES ledger_accounts (id),
    amount          BIGINT NOT NULL CHECK (amount <> 0),
    created_at      BIGINT NOT NULL
);
CREATE INDEX ledger_entries_account_idx ON ledger_entries (account_id, created_at);
CREATE INDEX ledger_entries_transaction_idx ON ledger_entries (transaction_id);

-- Append-only: a correction is a new, reversing transaction.
CREATE FUNCTION ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ledger rows are append-only: % on % is refused', TG_OP, TG_TABLE_NAME;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER ledger_transactions_append_only BEFORE UPDATE OR DELETE ON ledger_transactions
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
