-- The office (docs/OFFICE.md): report tables, the inbox marks and the access
-- log. The report tables are projections of `records`, kept by the push
-- transaction (same transaction as `records`) so no report parses JSON.
-- The same tables as migrations/sqlite/0003_office.sql, with native UUID,
-- BOOLEAN and DOUBLE PRECISION. Dates are `YYYY-MM-DD` text on both databases
-- (they sort and compare as dates); `deleted` mirrors the record's tombstone.

-- One row per participant record.
CREATE TABLE participant_facts (
    record_id     UUID PRIMARY KEY,
    program_id    UUID NOT NULL,
    display_name  TEXT NOT NULL,
    -- display_name lower-cased (Unicode, by the server) for `q` searches.
    name_lower    TEXT NOT NULL,
    status        TEXT NOT NULL,
    coach_id      UUID,
    started_on    TEXT NOT NULL,
    exit_date     TEXT,
    exit_outcome  TEXT,
    deleted       BOOLEAN NOT NULL
);
-- The register orders by name byte by byte (COLLATE "C"), whatever the database's locale.
CREATE INDEX participant_facts_program_name ON participant_facts(program_id, name_lower COLLATE "C");
CREATE INDEX participant_facts_program_exit ON participant_facts(program_id, status, exit_date);

-- One row per placement record; `weekdays` as text "1,2,3" (ISO, 1 = Monday).
CREATE TABLE placement_facts (
    record_id       UUID PRIMARY KEY,
    program_id      UUID NOT NULL,
    participant_id  UUID NOT NULL,
    site_id         UUID NOT NULL,
    starts_on       TEXT NOT NULL,
    ends_on         TEXT,
    weekdays        TEXT NOT NULL,
    hours_per_day   DOUBLE PRECISION NOT NULL,
    deleted         BOOLEAN NOT NULL
);
CREATE INDEX placement_facts_program_start ON placement_facts(program_id, starts_on);
CREATE INDEX placement_facts_participant ON placement_facts(participant_id);
CREATE INDEX placement_facts_site ON placement_facts(site_id);

-- One row per attendance record (one day of one placement).
CREATE TABLE attendance_facts (
    record_id       UUID PRIMARY KEY,
    program_id      UUID NOT NULL,
    placement_id    UUID NOT NULL,
    participant_id  UUID NOT NULL,
    date            TEXT NOT NULL,
    status          TEXT NOT NULL,
    hours           DOUBLE PRECISION,
    deleted         BOOLEAN NOT NULL
);
CREATE INDEX attendance_facts_program_date ON attendance_facts(program_id, date);
CREATE INDEX attendance_facts_placement_date ON attendance_facts(placement_id, date);

-- One row per follow_up record; `version` is the record's, so the newest
-- follow-up per participant and months wins in the outcomes report.
CREATE TABLE follow_up_facts (
    record_id          UUID PRIMARY KEY,
    program_id         UUID NOT NULL,
    participant_id     UUID NOT NULL,
    months_after_exit  BIGINT NOT NULL,
    status             TEXT NOT NULL,
    version            BIGINT NOT NULL,
    deleted            BOOLEAN NOT NULL
);
CREATE INDEX follow_up_facts_participant ON follow_up_facts(participant_id, months_after_exit);

-- One row per site record (the employer names the report rows).
CREATE TABLE site_facts (
    record_id   UUID PRIMARY KEY,
    program_id  UUID NOT NULL,
    employer    TEXT NOT NULL,
    deleted     BOOLEAN NOT NULL
);
CREATE INDEX site_facts_program ON site_facts(program_id);

-- Which participants each record is about (a participant: itself; a lesson:
-- every attendee; a site: none), for the participant file and the inbox.
CREATE TABLE record_participants (
    record_id       UUID NOT NULL,
    participant_id  UUID NOT NULL,
    PRIMARY KEY (record_id, participant_id)
);
CREATE INDEX record_participants_participant ON record_participants(participant_id);

-- The inbox lists every unresolved conflict of the caller's programs.
CREATE INDEX records_conflicts ON records(program_id, version) WHERE conflict = TRUE;

-- The version of the projection code that filled the tables above; the
-- server rebuilds them from `records` at start when its code is newer.
CREATE TABLE projection_state (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    version  BIGINT NOT NULL
);
INSERT INTO projection_state (id, version) VALUES (1, 0);

-- Each office user's inbox mark: changes with a higher version are new.
CREATE TABLE inbox_marks (
    user_id       UUID PRIMARY KEY,
    seen_version  BIGINT NOT NULL
);

-- Who read whose data, and when: one row per participant per read (file,
-- history, attendance report or export) and one per outcomes export. Never
-- content: no names, no record data, no query strings. Append-only: the
-- triggers below refuse every UPDATE and DELETE, the application's included.
CREATE TABLE access_log (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at              BIGINT NOT NULL,
    user_id         UUID NOT NULL,
    org_id          UUID NOT NULL,
    action          TEXT NOT NULL CHECK (action IN ('participant_file', 'record_history', 'attendance_report',
                                                    'attendance_export', 'outcomes_export')),
    program_id      UUID,
    participant_id  UUID
);
CREATE INDEX access_log_org_at ON access_log(org_id, at);
CREATE INDEX access_log_participant ON access_log(participant_id, at);
CREATE INDEX access_log_user ON access_log(user_id, at);

CREATE FUNCTION access_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'access_log is append-only: % is refused', TG_OP;
END;
$$;

CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access_log
    FOR EACH ROW EXECUTE FUNCTION access_log_refuse_change();

-- TRUNCATE bypasses row triggers: refuse it too.
CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log
    FOR EACH STATEMENT EXECUTE FUNCTION access_log_refuse_change();
