-- A session cut off by an admin (or by its user from another device) is kept
-- as a tombstone, so the device that still holds the token learns on its next
-- contact that it was revoked (401 session_revoked) and wipes its local data,
-- instead of taking it for an expired session and asking for the password.
ALTER TABLE sessions ADD COLUMN revoked_at BIGINT;
ALTER TABLE sessions ADD COLUMN revoked_by UUID;
