-- Phone interviews (issue 29): the `OPERATOR` role, and the operators trained to convert refusals.
-- SQLite cannot ALTER a CHECK constraint. Adding a value to its list only loosens it and changes nothing stored,
-- which SQLite's documentation allows by editing the table's definition in place ("Making Other Kinds Of Table
-- Schema Changes", https://sqlite.org/lang_altertable.html). The ADD COLUMN before it changes the schema's
-- version, so other connections read the new definition; `writable_schema = RESET` makes this one read it again.
ALTER TABLE users ADD COLUMN converts_refusals BIGINT NOT NULL DEFAULT 0;
PRAGMA writable_schema = ON;
UPDATE sqlite_master SET sql = replace(sql, '''CLIENT_VIEWER'')', '''CLIENT_VIEWER'', ''OPERATOR'')')
    WHERE type = 'table' AND name = 'users';
PRAGMA writable_schema = RESET;
