"""Schemathesis hooks of `cargo xtask api-fuzz` (loaded through SCHEMATHESIS_HOOKS).

- `error_has_contract_shape`: a check; every answer at 400 or above must be API.md's error body,
  exactly `{"error": {"code": "snake_case", "message": "..."}}`, as JSON, and a 429 or 503 must
  carry `Retry-After`.
- `after_call`: writes every call (operation, path parameters, body, status, JSON answer) to
  STEGVIS_FUZZ_CALLS (JSON lines); `fixture.py verify` compares the database with it afterwards.
- `BearerToken` (auth) and `before_call`: every call carries the admin's token, but logout and
  deleting the fuzzer's own session get a spare session instead, so the run never cuts off the
  token it runs with (the stateful phase follows GET /auth/sessions -> DELETE /auth/sessions/{id}).
- `flatmap_path_parameters`: an `id` in a path is sometimes one that exists (the program, the
  participant, the users), so the fuzzer gets past 404 into the handlers.
"""

import json
import os
import re
import threading

import schemathesis
from hypothesis import strategies as st

with open(os.environ["STEGVIS_FUZZ_STATE"], encoding="utf-8") as _f:
    STATE = json.load(_f)
CALLS_PATH = os.environ["STEGVIS_FUZZ_CALLS"]
_LOCK = threading.Lock()
_SPARES = list(STATE["spares"])
IDS = STATE["ids"]
KNOWN_IDS = sorted({IDS["program"], IDS["participant"], IDS["coach"], IDS["office"]})
SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")


@schemathesis.check
def error_has_contract_shape(ctx, response, case):
    """Every error, at any status, is {"error": {"code", "message"}} (API.md)."""
    if response.status_code < 400:
        return None
    where = f"{response.status_code} from {case.operation.label}"
    content_type = (response.headers.get("content-type") or [""])[0]
    if not content_type.startswith("application/json"):
        raise AssertionError(f"{where}: error body is not JSON (Content-Type {content_type!r})")
    try:
        body = json.loads(response.content)
    except ValueError as err:
        raise AssertionError(f"{where}: error body is not valid JSON: {err}") from err
    if not isinstance(body, dict) or set(body) != {"error"} or not isinstance(body["error"], dict):
        raise AssertionError(f"{where}: expected exactly {{\"error\": {{...}}}}, got {body!r:.300}")
    error = body["error"]
    if set(error) != {"code", "message"}:
        raise AssertionError(f"{where}: error must have exactly `code` and `message`, got {sorted(error)}")
    if not isinstance(error["code"], str) or not SNAKE.match(error["code"]):
        raise AssertionError(f"{where}: error code {error['code']!r} is not snake_case text")
    if not isinstance(error["message"], str) or not error["message"].strip():
        raise AssertionError(f"{where}: error message {error['message']!r} is not human-readable text")
    if response.status_code in (429, 503) and not response.headers.get("retry-after"):
        raise AssertionError(f"{where}: no Retry-After header")
    return None


def _take_spare():
    with _LOCK:
        return _SPARES.pop() if _SPARES else None


@schemathesis.auth(refresh_interval=None)
class BearerToken:
    """The admin's token on every call; a logout gets a spare session's instead."""

    def get(self, case, ctx):
        if case.operation.method.upper() == "POST" and case.operation.path == "/api/v1/auth/logout":
            spare = _take_spare()
            return spare["token"] if spare else "spent-spare-token"
        return STATE["admin_token"]

    def set(self, case, data, ctx):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@schemathesis.hook
def before_call(ctx, case, kwargs):
    if case.operation.path == "/api/v1/auth/sessions/{id}" and case.path_parameters:
        if str(case.path_parameters.get("id")) == STATE["admin_session_id"]:
            spare = _take_spare()
            case.path_parameters["id"] = spare["session_id"] if spare else "00000000-0000-4000-8000-000000000000"


def _json_or_none(response):
    content_type = (response.headers.get("content-type") or [""])[0]
    if not content_type.startswith("application/json") or len(response.content) > 1_000_000:
        return None
    try:
        return json.loads(response.content)
    except ValueError:
        return None


def _plain(value):
    try:
        json.dumps(value)
        return value
    except (TypeError, ValueError):
        return repr(value)


@schemathesis.hook
def after_call(ctx, case, response):
    line = json.dumps({
        "operation": f"{case.operation.method.upper()} {case.operation.path}",
        "path_parameters": _plain(dict(case.path_parameters or {})),
        "body": _plain(case.body) if not isinstance(case.body, (bytes, bytearray)) else None,
        "status": response.status_code,
        "response": _json_or_none(response),
        "user_id": IDS["admin"],
        "request_authorization": (response.request.headers.get("Authorization") or "")[:12],
    })
    with _LOCK, open(CALLS_PATH, "a", encoding="utf-8") as f:
        f.write(line + "\n")


@schemathesis.hook
def flatmap_path_parameters(ctx, path_parameters):
    if not path_parameters or "id" not in path_parameters:
        return st.just(path_parameters)
    return st.one_of(
        st.just(path_parameters),
        st.sampled_from(KNOWN_IDS).map(lambda known: {**path_parameters, "id": known}),
    )


# Query values the reports and lists accept, drawn now and then so the fuzzer gets past the
# parameter checks into the queries behind them.
_GOOD_QUERY = {
    "program_id": st.just(IDS["program"]),
    "month": st.sampled_from(["2026-01", "2026-02", "2025-12"]),
    "from": st.sampled_from(["2026-01-01", "2025-07-01"]),
    "to": st.sampled_from(["2026-06-30", "2026-12-31"]),
    "participant_id": st.just(IDS["participant"]),
    "user_id": st.sampled_from([IDS["admin"], IDS["coach"], IDS["office"]]),
}


@schemathesis.hook
def flatmap_query(ctx, query):
    if not query or not any(name in _GOOD_QUERY for name in query):
        return st.just(query)
    good = {name: _GOOD_QUERY[name] for name in query if name in _GOOD_QUERY}
    return st.one_of(st.just(query), st.fixed_dictionaries(good).map(lambda values: {**query, **values}))
