-- Stegvis schema, PostgreSQL: the same tables as migrations/sqlite, with
-- native UUID, BOOLEAN and JSONB. Times are unix milliseconds (BIGINT) on
-- both databases so the code that reads them is the same.

CREATE TABLE orgs (
    id          UUID PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);

CREATE TABLE users (
    id            UUID PRIMARY KEY,
    org_id        UUID NOT NULL REFERENCES orgs(id),
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('coach', 'pedagogue', 'office', 'admin')),
    -- argon2id PHC string; the password itself is never stored.
    password_hash TEXT NOT NULL,
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    BIGINT NOT NULL
);
CREATE INDEX users_org ON users(org_id);

CREATE TABLE programs (
    id          UUID PRIMARY KEY,
    org_id      UUID NOT NULL REFERENCES orgs(id),
    name        TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX programs_org ON programs(org_id);

CREATE TABLE program_members (
    program_id  UUID NOT NULL REFERENCES programs(id),
    user_id     UUID NOT NULL REFERENCES users(id),
    added_at    BIGINT NOT NULL,
    PRIMARY KEY (program_id, user_id)
);
CREATE INDEX program_members_user ON program_members(user_id);

-- A program shared with a partner organisation: the partner's admin may add
-- its own users as members.
CREATE TABLE agreements (
    id              UUID PRIMARY KEY,
    program_id      UUID NOT NULL REFERENCES programs(id),
    partner_org_id  UUID NOT NULL REFERENCES orgs(id),
    created_by      UUID NOT NULL REFERENCES users(id),
    created_at      BIGINT NOT NULL,
    UNIQUE (program_id, partner_org_id)
);

-- Device sessions. Only a SHA-256 hash of the bearer token is stored.
CREATE TABLE sessions (
    id            UUID PRIMARY KEY,
    user_id       UUID NOT NULL REFERENCES users(id),
    token_hash    BYTEA NOT NULL UNIQUE,
    device_name   TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    last_seen_at  BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

-- The one global version counter. Every push transaction locks this row
-- first (SELECT ... FOR UPDATE) and writes it last, so versions are handed
-- out in commit order across every server instance: a reader that sees
-- version N also sees every version below N (no out-of-order gap).
CREATE TABLE version_counter (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    value  BIGINT NOT NULL
);
INSERT INTO version_counter (id, value) VALUES (1, 0);

-- Current state of every record; `version` is the version of its last change.
CREATE TABLE records (
    id          UUID PRIMARY KEY,
    program_id  UUID NOT NULL REFERENCES programs(id),
    kind        TEXT NOT NULL,
    version     BIGINT NOT NULL UNIQUE,
    deleted     BOOLEAN NOT NULL,
    conflict    BOOLEAN NOT NULL,
    data        JSONB NOT NULL,
    -- Per field: the version that last changed it and the HLC of that write.
    stamps      JSONB NOT NULL,
    updated_at  BIGINT NOT NULL,
    updated_by  UUID NOT NULL
);
CREATE INDEX records_program_version ON records(program_id, version);

-- Every version of every record.
CREATE TABLE record_versions (
    record_id    UUID NOT NULL,
    version      BIGINT NOT NULL,
    program_id   UUID NOT NULL,
    kind         TEXT NOT NULL,
    deleted      BOOLEAN NOT NULL,
    conflict     BOOLEAN NOT NULL,
    data         JSONB NOT NULL,
    updated_at   BIGINT NOT NULL,
    updated_by   UUID NOT NULL,
    device_id    UUID NOT NULL,
    mutation_id  UUID NOT NULL,
    hlc          TEXT NOT NULL,
    PRIMARY KEY (record_id, version)
);

-- Both values of every same-field conflict: the losing value is never dropped.
CREATE TABLE record_conflicts (
    record_id  UUID NOT NULL,
    version    BIGINT NOT NULL,
    field      TEXT NOT NULL,
    kept       JSONB NOT NULL,
    kept_hlc   TEXT NOT NULL,
    lost       JSONB NOT NULL,
    lost_hlc   TEXT NOT NULL,
    PRIMARY KEY (record_id, version, field)
);

-- Acknowledged mutation ids, for idempotent retries.
CREATE TABLE mutations (
    id           UUID PRIMARY KEY,
    user_id      UUID NOT NULL,
    device_id    UUID NOT NULL,
    record_id    UUID NOT NULL,
    version      BIGINT NOT NULL,
    received_at  BIGINT NOT NULL
);

-- Server-wide secrets shared by every instance on this database.
CREATE TABLE server_secrets (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    cursor_key  BYTEA NOT NULL
);
