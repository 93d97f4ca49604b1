-- Retention (gallring, docs/SECURITY.md): `stegvis admin retention` writes
-- one access-log row per participant whose records it destroyed, with the
-- action `retention`. SQLite cannot change a CHECK constraint in place, so
-- the table is rebuilt with the same rows, ids and append-only triggers
-- (DROP TABLE fires no DELETE trigger; nothing but this migration may drop it).

CREATE TABLE access_log_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    at              INTEGER NOT NULL,
    user_id         BLOB NOT NULL,
    org_id          BLOB NOT NULL,
    action          TEXT NOT NULL CHECK (action IN ('participant_file', 'record_history', 'attendance_report',
                                                    'attendance_export', 'outcomes_export', 'retention')),
    program_id      BLOB,
    participant_id  BLOB
);
INSERT INTO access_log_new (id, at, user_id, org_id, action, program_id, participant_id)
    SELECT id, at, user_id, org_id, action, program_id, participant_id FROM access_log ORDER BY id;
DROP TABLE access_log;
ALTER TABLE access_log_new RENAME TO access_log;

CREATE INDEX access_log_org_at ON access_log(org_id, at);
CREATE INDEX access_log_participant ON access_log(participant_id, at);
CREATE INDEX access_log_user ON access_log(user_id, at);

CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
BEGIN
    SELECT RAISE(ABORT, 'access_log is append-only: UPDATE is refused');
END;

CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
BEGIN
    SELECT RAISE(ABORT, 'access_log is append-only: DELETE is refused');
END;
