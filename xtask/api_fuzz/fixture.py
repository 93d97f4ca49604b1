"""The API fuzz run's world and its "nothing stored by a rejected request" check.

Driven by `cargo xtask api-fuzz` (xtask/src/schemathesis.rs); standard library only.

    fixture.py setup URL ADMIN_PASSWORD STATE_JSON
        Logs in as the admin that `stegvis admin create-user` made and builds, through the
        HTTP API, a program, a coach and an office user in it and a participant record;
        logs in spare admin sessions (the hooks give them to logout and session deletion so
        the fuzzer never cuts off its own token). Writes everything to STATE_JSON.
    fixture.py snapshot DB SNAPSHOT_JSON
        What the database holds before the fuzzer starts.
    fixture.py verify DB SNAPSHOT_JSON CALLS_JSONL
        Everything the database holds beyond the snapshot must be explained by a request
        that succeeded (CALLS_JSONL, written by hooks.py for every call). A row that only a
        rejected request can explain fails the run.
"""

import hashlib
import json
import sqlite3
import sys
import urllib.error
import urllib.request
import uuid

PASSWORD = "fuzz-password-0123"
SPARE_SESSIONS = 6


def call(base, method, path, token=None, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            raw = resp.read()
            return resp.status, (json.loads(raw) if raw else None)
    except urllib.error.HTTPError as err:
        raw = err.read()
        raise SystemExit(f"fixture: {method} {path} answered {err.code}: {raw[:500]!r}") from err


def expect(status, wanted, what):
    if status != wanted:
        raise SystemExit(f"fixture: {what}: expected {wanted}, got {status}")


def login(base, username, password, device):
    status, body = call(base, "POST", "/api/v1/auth/login", body={
        "username": username, "password": password, "device_name": device})
    expect(status, 200, f"login {username}")
    return body


def current_session_id(base, token):
    status, body = call(base, "GET", "/api/v1/auth/sessions", token=token)
    expect(status, 200, "list sessions")
    return next(s["id"] for s in body["sessions"] if s["current"])


def hlc(device):
    import time
    return f"{int(time.time() * 1000):013d}:00000:{device}"


def setup(base, admin_password, state_path):
    admin = login(base, "admin", admin_password, "api fuzz")
    token = admin["token"]
    org = admin["user"]["org_id"]
    status, program = call(base, "POST", "/api/v1/programs", token, {"name": "Fuzz program", "org_id": org})
    expect(status, 201, "create program")
    program_id = program["id"]
    status, _ = call(base, "POST", f"/api/v1/programs/{program_id}/members", token, {"user_id": admin["user"]["id"]})
    expect(status, 204, "admin joins the program")
    users = {}
    for role in ("coach", "office"):
        status, user = call(base, "POST", "/api/v1/users", token, {
            "username": f"fuzz-{role}", "password": PASSWORD, "display_name": f"Fuzz {role}",
            "role": role, "program_ids": [program_id]})
        expect(status, 201, f"create {role}")
        users[role] = login(base, f"fuzz-{role}", PASSWORD, f"{role} device")
    device = str(uuid.uuid4())
    participant_id = str(uuid.uuid4())
    status, pushed = call(base, "POST", "/api/v1/sync/push", users["coach"]["token"], {
        "device_id": device,
        "mutations": [{
            "id": str(uuid.uuid4()), "record_id": participant_id, "kind": "participant",
            "program_id": program_id, "op": "put", "base_version": None, "hlc": hlc(device),
            "data": {"display_name": "Fuzz Deltagare", "languages": ["sv"], "needs_interpreter": False,
                     "coach_id": users["coach"]["user"]["id"], "status": "active", "started_on": "2026-01-12"},
        }],
    })
    expect(status, 200, "push a participant")
    if pushed["results"][0]["status"] != "applied":
        raise SystemExit(f"fixture: the participant was not applied: {pushed}")
    spares = []
    for i in range(SPARE_SESSIONS):
        spare = login(base, "admin", admin_password, f"spare {i}")
        spares.append({"token": spare["token"], "session_id": current_session_id(base, spare["token"])})
    state = {
        "url": base,
        "admin_token": token,
        "admin_session_id": current_session_id(base, token),
        "spares": spares,
        "ids": {
            "org": org, "program": program_id, "admin": admin["user"]["id"],
            "coach": users["coach"]["user"]["id"], "office": users["office"]["user"]["id"],
            "participant": participant_id,
        },
    }
    with open(state_path, "w", encoding="utf-8") as f:
        json.dump(state, f, indent=1)
    print(f"fixture: program {program_id}, coach, office, participant {participant_id}, {SPARE_SESSIONS} spare sessions")


# --- the database, before and after -------------------------------------------------------------

def hexid(blob):
    """A UUID column (16-byte BLOB) as the hyphenated text the API uses."""
    if isinstance(blob, bytes) and len(blob) == 16:
        return str(uuid.UUID(bytes=blob))
    return blob if blob is None else str(blob)


QUERIES = {
    "users": "SELECT id FROM users",
    "disabled_users": "SELECT id FROM users WHERE disabled <> 0",
    "programs": "SELECT id FROM programs",
    "members": "SELECT program_id, user_id FROM program_members",
    "agreements": "SELECT id FROM agreements",
    "sessions": "SELECT token_hash FROM sessions",
    "mutations": "SELECT id, version FROM mutations",
    "record_versions": "SELECT record_id, version, mutation_id FROM record_versions",
    "records": "SELECT id, version FROM records",
    "conflicts": "SELECT record_id, version, field FROM record_conflicts",
    "inbox_marks": "SELECT user_id, seen_version FROM inbox_marks",
    "access_log": "SELECT id, action FROM access_log",
}


def read_db(path):
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        out = {}
        for name, sql in QUERIES.items():
            rows = []
            for row in conn.execute(sql):
                rows.append([r.hex() if name == "sessions" else hexid(r) for r in row])
            out[name] = sorted(rows)
        return out
    finally:
        conn.close()


def snapshot(db, snapshot_path):
    with open(snapshot_path, "w", encoding="utf-8") as f:
        json.dump(read_db(db), f)


def load_calls(path):
    calls = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                calls.append(json.loads(line))
    return calls


ACCESS_LOG_OPERATIONS = {
    "participant_file": "GET /api/v1/office/participants/{id}",
    "record_history": "GET /api/v1/records/{id}/history",
    "attendance_report": "GET /api/v1/reports/attendance",
    "attendance_export": "GET /api/v1/reports/attendance/export",
    "outcomes_export": "GET /api/v1/reports/outcomes/export",
}


def explained(calls):
    """What the successful calls may have stored."""
    ok = [c for c in calls if 200 <= c["status"] < 300]
    e = {k: set() for k in ("users", "programs", "agreements", "members", "sessions", "disabled",
                            "applied", "versions", "inbox_marks", "operations")}
    for c in ok:
        op, body, resp = c["operation"], c.get("body"), c.get("response")
        e["operations"].add(op)
        if op == "POST /api/v1/users" and isinstance(resp, dict):
            e["users"].add(resp.get("id"))
            for p in resp.get("program_ids") or []:
                e["members"].add((p, resp.get("id")))
        elif op == "POST /api/v1/programs" and isinstance(resp, dict):
            e["programs"].add(resp.get("id"))
        elif op == "POST /api/v1/agreements" and isinstance(resp, dict):
            e["agreements"].add(resp.get("id"))
        elif op == "POST /api/v1/programs/{id}/members" and isinstance(body, dict):
            e["members"].add((str(c["path_parameters"].get("id")), str(body.get("user_id"))))
        elif op == "POST /api/v1/users/{id}/disable":
            e["disabled"].add(str(c["path_parameters"].get("id")))
        elif op == "POST /api/v1/auth/login" and isinstance(resp, dict) and resp.get("token"):
            e["sessions"].add(hashlib.sha256(resp["token"].encode()).hexdigest())
        elif op == "POST /api/v1/sync/push" and isinstance(resp, dict):
            for r in resp.get("results") or []:
                if r.get("status") in ("applied", "duplicate") and r.get("id") is not None:
                    e["applied"].add((r["id"], str(r.get("version"))))
                    e["versions"].add(str(r.get("version")))
        elif op == "POST /api/v1/office/inbox/seen" and isinstance(body, dict):
            e["inbox_marks"].add((c["user_id"], str(body.get("version"))))
    return e


def verify(db, snapshot_path, calls_path):
    with open(snapshot_path, encoding="utf-8") as f:
        before = {k: {tuple(r) for r in v} for k, v in json.load(f).items()}
    after = {k: {tuple(r) for r in v} for k, v in read_db(db).items()}
    calls = load_calls(calls_path)
    e = explained(calls)
    new = {k: after[k] - before[k] for k in after}
    problems = []

    def unexplained(what, rows):
        for row in sorted(rows, key=str)[:10]:
            problems.append(f"{what}: {row} is stored, but no successful request explains it")

    unexplained("users", {r for r in new["users"] if r[0] not in e["users"]})
    unexplained("programs", {r for r in new["programs"] if r[0] not in e["programs"]})
    unexplained("agreements", {r for r in new["agreements"] if r[0] not in e["agreements"]})
    unexplained("program_members", {r for r in new["members"] if r not in e["members"]})
    unexplained("disabled user", {r for r in new["disabled_users"] if r[0] not in e["disabled"]})
    unexplained("sessions (token hash)", {r for r in new["sessions"] if r[0] not in e["sessions"]})
    unexplained("mutations", {r for r in new["mutations"] if (r[0], r[1]) not in e["applied"]})
    unexplained("record_versions", {r for r in new["record_versions"] if (r[2], r[1]) not in e["applied"]})
    unexplained("records", {r for r in new["records"] if r[1] not in e["versions"]})
    unexplained("record_conflicts", {r for r in new["conflicts"] if r[1] not in e["versions"]})
    unexplained("inbox_marks", {r for r in new["inbox_marks"] if r not in e["inbox_marks"]})
    unexplained("access_log", {r for r in new["access_log"]
                               if ACCESS_LOG_OPERATIONS.get(r[1]) not in e["operations"]})

    rejected = sum(1 for c in calls if c["status"] >= 400)
    stored = sum(len(v) for k, v in new.items() if k != "disabled_users")
    print(f"api fuzz: {len(calls)} requests logged, {rejected} rejected (4xx/5xx); "
          f"{stored} new rows, each explained by a successful request"
          if not problems else "api fuzz: rows stored that no successful request explains:")
    for p in problems:
        print("  " + p)
    return 1 if problems else 0


def main(argv):
    if len(argv) == 5 and argv[1] == "setup":
        setup(argv[2].rstrip("/"), argv[3], argv[4])
        return 0
    if len(argv) == 4 and argv[1] == "snapshot":
        snapshot(argv[2], argv[3])
        return 0
    if len(argv) == 5 and argv[1] == "verify":
        return verify(argv[2], argv[3], argv[4])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
