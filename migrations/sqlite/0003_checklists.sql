-- Versioned checklists: a published version never changes; editing makes a new draft version.

CREATE TABLE checklists (
    id          TEXT PRIMARY KEY,
    client_id   TEXT NOT NULL REFERENCES clients (id),
    name        TEXT NOT NULL,
    created_by  TEXT REFERENCES users (id),
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    CONSTRAINT checklists_client_name_key UNIQUE (client_id, name)
);

CREATE TABLE checklist_versions (
    id            TEXT PRIMARY KEY,
    checklist_id  TEXT NOT NULL REFERENCES checklists (id),
    version       BIGINT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('DRAFT', 'PUBLISHED')),
    -- JSON, see docs/CHECKLISTS.md
    definition    TEXT NOT NULL,
    created_by    TEXT REFERENCES users (id),
    created_at    BIGINT NOT NULL,
    updated_by    TEXT REFERENCES users (id),
    updated_at    BIGINT NOT NULL,
    published_by  TEXT REFERENCES users (id),
    published_at  BIGINT,
    CONSTRAINT checklist_versions_number_key UNIQUE (checklist_id, version)
);

-- The database refuses to change a published version.
CREATE TRIGGER checklist_versions_published_immutable
BEFORE UPDATE ON checklist_versions
FOR EACH ROW WHEN OLD.status = 'PUBLISHED'
BEGIN
    SELECT RAISE(ABORT, 'published checklist versions are immutable');
END;
