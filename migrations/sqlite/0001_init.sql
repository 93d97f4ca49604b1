-- Stegvis schema, SQLite. Ids are UUIDs stored as 16-byte BLOBs; times are
-- unix milliseconds (INTEGER); record data and per-field stamps are JSON text.

CREATE TABLE orgs (
    id          BLOB PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);

CREATE TABLE users (
    id            BLOB PRIMARY KEY,
    org_id        BLOB NOT NULL REFERENCES orgs(id),
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('coach', 'pedagogue', 'office', 'admin')),
    -- argon2id PHC string; the password itself is never stored.
    password_hash TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL
);
CREATE INDEX users_org ON users(org_id);

CREATE TABLE programs (
    id          BLOB PRIMARY KEY,
    org_id      BLOB NOT NULL REFERENCES orgs(id),
    name        TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX programs_org ON programs(org_id);

CREATE TABLE program_members (
    program_id  BLOB NOT NULL REFERENCES programs(id),
    user_id     BLOB NOT NULL REFERENCES users(id),
    added_at    INTEGER NOT NULL,
    PRIMARY KEY (program_id, user_id)
);
CREATE INDEX program_members_user ON program_members(user_id);

-- A program shared with a partner organisation (one municipality handling
-- another's cases): the partner's admin may add its own users as members.
CREATE TABLE agreements (
    id              BLOB PRIMARY KEY,
    program_id      BLOB NOT NULL REFERENCES programs(id),
    partner_org_id  BLOB NOT NULL REFERENCES orgs(id),
    created_by      BLOB NOT NULL REFERENCES users(id),
    created_at      INTEGER NOT NULL,
    UNIQUE (program_id, partner_org_id)
);

-- Device sessions. Only a SHA-256 hash of the bearer token is stored.
CREATE TABLE sessions (
    id            BLOB PRIMARY KEY,
    user_id       BLOB NOT NULL REFERENCES users(id),
    token_hash    BLOB NOT NULL UNIQUE,
    device_name   TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    last_seen_at  INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

-- The one global version counter. Every push transaction locks it first and
-- writes it last, so versions are handed out in commit order: a reader that
-- sees version N also sees every version below N (no out-of-order gap).
CREATE TABLE version_counter (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    value  INTEGER NOT NULL
);
INSERT INTO version_counter (id, value) VALUES (1, 0);

-- Current state of every record; `version` is the version of its last change.
CREATE TABLE records (
    id          BLOB PRIMARY KEY,
    program_id  BLOB NOT NULL REFERENCES programs(id),
    kind        TEXT NOT NULL,
    version     INTEGER NOT NULL UNIQUE,
    deleted     INTEGER NOT NULL,
    conflict    INTEGER NOT NULL,
    data        TEXT NOT NULL,
    -- Per field: the version that last changed it and the HLC of that write.
    stamps      TEXT NOT NULL,
    updated_at  INTEGER NOT NULL,
    updated_by  BLOB NOT NULL
);
CREATE INDEX records_program_version ON records(program_id, version);

-- Every version of every record: what a put changed against its base, who
-- wrote it from which device, and the data as it was.
CREATE TABLE record_versions (
    record_id    BLOB NOT NULL,
    version      INTEGER NOT NULL,
    program_id   BLOB NOT NULL,
    kind         TEXT NOT NULL,
    deleted      INTEGER NOT NULL,
    conflict     INTEGER NOT NULL,
    data         TEXT NOT NULL,
    updated_at   INTEGER NOT NULL,
    updated_by   BLOB NOT NULL,
    device_id    BLOB NOT NULL,
    mutation_id  BLOB NOT NULL,
    hlc          TEXT NOT NULL,
    PRIMARY KEY (record_id, version)
);

-- Both values of every same-field conflict: the losing value is never dropped.
CREATE TABLE record_conflicts (
    record_id  BLOB NOT NULL,
    version    INTEGER NOT NULL,
    field      TEXT NOT NULL,
    kept       TEXT NOT NULL,
    kept_hlc   TEXT NOT NULL,
    lost       TEXT NOT NULL,
    lost_hlc   TEXT NOT NULL,
    PRIMARY KEY (record_id, version, field)
);

-- Acknowledged mutation ids, for idempotent retries.
CREATE TABLE mutations (
    id           BLOB PRIMARY KEY,
    user_id      BLOB NOT NULL,
    device_id    BLOB NOT NULL,
    record_id    BLOB NOT NULL,
    version      INTEGER NOT NULL,
    received_at  INTEGER NOT NULL
);

-- Server-wide secrets shared by every instance on this database.
CREATE TABLE server_secrets (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    cursor_key  BLOB NOT NULL
);
