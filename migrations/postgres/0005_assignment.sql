-- Assignment: who holds a task until when, the history of every change, and shoppers' declared conflicts.

ALTER TABLE tasks ADD COLUMN shopper_id TEXT REFERENCES users (id);
ALTER TABLE tasks ADD COLUMN held_since BIGINT;
-- When a claim or assignment lapses and the task returns to the job board.
ALTER TABLE tasks ADD COLUMN deadline_at BIGINT;
CREATE INDEX tasks_shopper_idx ON tasks (shopper_id, state);
CREATE INDEX tasks_deadline_idx ON tasks (state, deadline_at);

CREATE TABLE task_events (
    id          TEXT PRIMARY KEY,
    task_id     TEXT NOT NULL REFERENCES tasks (id),
    -- CLAIM, RELEASE, ASSIGN, UNASSIGN, EXPIRE
    action      TEXT NOT NULL,
    shopper_id  TEXT REFERENCES users (id),
    actor_id    TEXT REFERENCES users (id),
    reason      TEXT,
    -- the eligibility rule a coordinator overrode, if any
    overridden  TEXT,
    -- 1 when a shopper released a task after most of its claim window had passed
    late        BIGINT NOT NULL DEFAULT 0,
    at          BIGINT NOT NULL
);
CREATE INDEX task_events_task_idx ON task_events (task_id, at);
CREATE INDEX task_events_shopper_idx ON task_events (shopper_id, action);

-- Declared conflicts of interest: a venue, a whole client, or an employer's name.
CREATE TABLE shopper_conflicts (
    id          TEXT PRIMARY KEY,
    shopper_id  TEXT NOT NULL REFERENCES users (id),
    venue_id    TEXT REFERENCES venues (id),
    client_id   TEXT REFERENCES clients (id),
    employer    TEXT,
    created_at  BIGINT NOT NULL
);
CREATE INDEX shopper_conflicts_shopper_idx ON shopper_conflicts (shopper_id);
