-- Hard-to-fill tasks: a wave's bonus steps (JSON [{"afterDays": 3, "bonusKopiykas": 5000}, …]) and cap.
ALTER TABLE waves ADD COLUMN bonus_steps TEXT NOT NULL DEFAULT '[]';
ALTER TABLE waves ADD COLUMN bonus_cap_kopiykas BIGINT NOT NULL DEFAULT 0;
