-- Retention (gallring, docs/SECURITY.md): `stegvis admin retention` writes
-- one access-log row per participant whose records it destroyed, with the
-- action `retention`. Only the CHECK constraint changes; the rows and the
-- append-only triggers stay.

ALTER TABLE access_log DROP CONSTRAINT access_log_action_check;
ALTER TABLE access_log ADD CONSTRAINT access_log_action_check
    CHECK (action IN ('participant_file', 'record_history', 'attendance_report', 'attendance_export',
                      'outcomes_export', 'retention'));
