//! The HTTP side of the harness: [`Api`], a client that talks to the server
//! as any outside client would (bearer token, JSON in and out), whose answers
//! are a [`Resp`] (status + JSON body), plus the contract's shape checks:
//! the error body, push results, pull pages and RFC 3339 UTC times.
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::time::Duration;

use reqwest::{Method, StatusCode, header};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

use crate::mutation::Device;

/// Per-request timeout, so a hung server fails a test instead of hanging it.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);

/// A response: what was asked, the status, and the body as JSON
/// (`Value::Null` when empty or not JSON; `text` has it verbatim).
#[derive(Debug, Clone)]
pub struct Resp {
    pub what: String,
    pub status: StatusCode,
    pub headers: header::HeaderMap,
    pub body: Value,
    pub text: String,
}

impl fmt::Display for Resp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut text: String = self.text.chars().take(1500).collect();
        if text.len() < self.text.len() {
            text.push_str("...");
        }
        write!(f, "{} -> {} {}", self.what, self.status, text)
    }
}

impl Resp {
    /// Asserts the status and returns the body.
    #[track_caller]
    pub fn expect(&self, status: StatusCode) -> &Value {
        assert_eq!(self.status, status, "unexpected status: {self}");
        &self.body
    }

    /// Asserts the status, that the body is exactly
    /// `{"error":{"code","message"}}` with this code; returns the message.
    #[track_caller]
    pub fn expect_error(&self, status: StatusCode, code: &str) -> String {
        assert_eq!(self.status, status, "unexpected status: {self}");
        assert_error_body(&self.body, code, &self.to_string())
    }
}

/// The contract's error body: exactly `{"error":{"code","message"}}`,
/// with the given code and a non-empty message. Returns the message.
#[track_caller]
pub fn assert_error_body(body: &Value, code: &str, context: &str) -> String {
    let obj = body.as_object().unwrap_or_else(|| panic!("error body is not a JSON object: {context}"));
    assert_eq!(
        obj.keys().collect::<Vec<_>>(),
        vec!["error"],
        "error body must be exactly {{\"error\":{{...}}}}: {context}"
    );
    let err = obj["error"].as_object().unwrap_or_else(|| panic!("`error` is not an object: {context}"));
    let keys: BTreeSet<&str> = err.keys().map(String::as_str).collect();
    assert_eq!(keys, BTreeSet::from(["code", "message"]), "`error` must have exactly code and message: {context}");
    assert_eq!(err["code"], json!(code), "error code: {context}");
    let message = err["message"].as_str().unwrap_or_else(|| panic!("message is not a string: {context}"));
    assert!(!message.is_empty(), "empty error message: {context}");
    message.to_owned()
}

/// A time is RFC 3339 and UTC; returns it parsed.
#[track_caller]
pub fn assert_rfc3339_utc(value: &Value, what: &str) -> OffsetDateTime {
    let s = value.as_str().unwrap_or_else(|| panic!("{what} is not a string: {value}"));
    let t = OffsetDateTime::parse(s, &Rfc3339).unwrap_or_else(|e| panic!("{what} is not RFC 3339 ({s:?}): {e}"));
    assert!(t.offset().is_utc(), "{what} is not UTC: {s:?}");
    t
}

/// A push result was `applied`; returns its version.
#[track_caller]
pub fn assert_applied(result: &Value) -> i64 {
    assert_eq!(result["status"], json!("applied"), "result: {result}");
    assert_eq!(result["error"], Value::Null, "applied with an error: {result}");
    result["version"].as_i64().unwrap_or_else(|| panic!("applied without an integer version: {result}"))
}

/// A push result was `duplicate`; returns its version.
#[track_caller]
pub fn assert_duplicate(result: &Value) -> i64 {
    assert_eq!(result["status"], json!("duplicate"), "result: {result}");
    assert_eq!(result["error"], Value::Null, "duplicate with an error: {result}");
    result["version"].as_i64().unwrap_or_else(|| panic!("duplicate without an integer version: {result}"))
}

/// A push result was `rejected` with this code; returns the message.
#[track_caller]
pub fn assert_rejected(result: &Value, code: &str) -> String {
    assert_eq!(result["status"], json!("rejected"), "result: {result}");
    assert_eq!(result["version"], Value::Null, "rejected with a version: {result}");
    assert_error_body(&json!({ "error": result["error"] }), code, &result.to_string())
}

/// One pull page.
#[derive(Debug, Clone)]
pub struct Page {
    pub records: Vec<Value>,
    pub cursor: String,
    pub has_more: bool,
    pub revoked_program_ids: Vec<Uuid>,
}

/// Everything pulled until `has_more` was false.
#[derive(Debug, Clone, Default)]
pub struct Pulled {
    pub records: Vec<Value>,
    pub cursor: String,
    pub revoked_program_ids: Vec<Uuid>,
    pub pages: usize,
}

impl Pulled {
    /// The last pulled state of a record, if it was pulled.
    pub fn get(&self, id: Uuid) -> Option<&Value> {
        let id = id.to_string();
        self.records.iter().rev().find(|r| r["id"] == json!(id))
    }

    /// The pulled state of a record, which must be there.
    #[track_caller]
    pub fn record(&self, id: Uuid) -> &Value {
        self.get(id).unwrap_or_else(|| panic!("record {id} was not pulled ({} records)", self.records.len()))
    }

    pub fn contains(&self, id: Uuid) -> bool {
        self.get(id).is_some()
    }

    /// How many times each record id was pulled.
    pub fn counts(&self) -> HashMap<Uuid, usize> {
        let mut counts = HashMap::new();
        for r in &self.records {
            *counts.entry(record_id(r)).or_insert(0) += 1;
        }
        counts
    }

    pub fn ids(&self) -> BTreeSet<Uuid> {
        self.records.iter().map(record_id).collect()
    }
}

/// A record's `id` as a UUID.
#[track_caller]
pub fn record_id(record: &Value) -> Uuid {
    uuid_of(&record["id"])
}

#[track_caller]
pub fn uuid_of(value: &Value) -> Uuid {
    Uuid::parse_str(value.as_str().unwrap_or_else(|| panic!("not a string: {value}")))
        .unwrap_or_else(|e| panic!("not a UUID: {value}: {e}"))
}

/// A client of one server, anonymous or logged in as one device session.
#[derive(Clone)]
pub struct Api {
    http: reqwest::Client,
    base: String,
    authorization: Option<String>,
    token: Option<String>,
    /// The `user` object login answered (Null when anonymous).
    pub user: Value,
}

impl fmt::Debug for Api {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Api({}, {})", self.base, self.user["username"])
    }
}

/// An error and every cause under it, so a failed request says why
/// (refused, reset, timed out) and not only that it failed.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// How long the test client keeps an idle connection for reuse: well under
/// the server's header-read timeout (10 s by default), which hyper also
/// applies to an idle keep-alive connection. Reusing a connection the server
/// is closing at that moment fails the request ("error sending request");
/// browsers retry such a request by themselves, reqwest does not.
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(4);

fn http_client() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().timeout(REQUEST_TIMEOUT).pool_idle_timeout(POOL_IDLE_TIMEOUT).build().unwrap()
}

impl Api {
    /// A client with no token.
    pub fn anonymous(base_url: &str) -> Api {
        Api {
            http: http_client(),
            base: base_url.trim_end_matches('/').to_owned(),
            authorization: None,
            token: None,
            user: Value::Null,
        }
    }

    /// Log in (must succeed) and return the client of that session.
    pub async fn login(base_url: &str, username: &str, password: &str, device_name: &str) -> Api {
        let anon = Api::anonymous(base_url);
        let r = anon.try_login(username, password, device_name).await;
        let body = r.expect(StatusCode::OK).clone();
        let token = body["token"].as_str().unwrap_or_else(|| panic!("login without a string token: {r}")).to_owned();
        Api { user: body["user"].clone(), ..anon.with_token(&token) }
    }

    /// `POST /api/v1/auth/login`, whatever it answers.
    pub async fn try_login(&self, username: &str, password: &str, device_name: &str) -> Resp {
        let body = json!({"username": username, "password": password, "device_name": device_name});
        self.post("/api/v1/auth/login", &body).await
    }

    /// The same client sending `Authorization: Bearer <token>`.
    pub fn with_token(&self, token: &str) -> Api {
        Api { authorization: Some(format!("Bearer {token}")), token: Some(token.to_owned()), ..self.clone() }
    }

    /// The same client sending this exact `Authorization` header value.
    pub fn with_authorization(&self, value: &str) -> Api {
        Api { authorization: Some(value.to_owned()), token: None, ..self.clone() }
    }

    /// The same client sending no `Authorization` header.
    pub fn without_token(&self) -> Api {
        Api { authorization: None, token: None, user: Value::Null, ..self.clone() }
    }

    pub fn token(&self) -> &str {
        self.token.as_deref().expect("not logged in")
    }

    pub fn user_id(&self) -> Uuid {
        uuid_of(&self.user["id"])
    }

    pub fn username(&self) -> &str {
        self.user["username"].as_str().unwrap_or("")
    }

    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// Point this client at another address (after a restart).
    pub fn set_base_url(&mut self, base_url: &str) {
        base_url.trim_end_matches('/').clone_into(&mut self.base);
    }

    /// Any request; `body` is raw bytes with an optional `Content-Type`.
    pub async fn request(&self, method: Method, path: &str, body: Option<(Vec<u8>, Option<&str>)>) -> Resp {
        let what = format!("{method} {path}");
        let mut req = self.http.request(method, format!("{}{}", self.base, path));
        if let Some(auth) = &self.authorization {
            req = req.header(header::AUTHORIZATION, auth);
        }
        if let Some((bytes, content_type)) = body {
            if let Some(ct) = content_type {
                req = req.header(header::CONTENT_TYPE, ct);
            }
            req = req.body(bytes);
        }
        let resp = req.send().await.unwrap_or_else(|e| panic!("{what}: request failed: {}", error_chain(&e)));
        let status = resp.status();
        let headers = resp.headers().clone();
        let text = resp.text().await.unwrap_or_else(|e| panic!("{what}: reading the body failed: {e}"));
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Resp { what, status, headers, body, text }
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.request(Method::GET, path, None).await
    }

    pub async fn delete(&self, path: &str) -> Resp {
        self.request(Method::DELETE, path, None).await
    }

    /// POST a JSON body with `Content-Type: application/json`.
    pub async fn post(&self, path: &str, body: &Value) -> Resp {
        let bytes = serde_json::to_vec(body).unwrap();
        self.request(Method::POST, path, Some((bytes, Some("application/json")))).await
    }

    /// POST raw bytes with the given `Content-Type` (or none).
    pub async fn post_raw(&self, path: &str, body: impl Into<Vec<u8>>, content_type: Option<&str>) -> Resp {
        self.request(Method::POST, path, Some((body.into(), content_type))).await
    }

    pub async fn logout(&self) -> Resp {
        self.request(Method::POST, "/api/v1/auth/logout", None).await
    }

    /// This session's entries of `GET /api/v1/auth/sessions` (must be 200).
    pub async fn sessions(&self) -> Vec<Value> {
        let r = self.get("/api/v1/auth/sessions").await;
        r.expect(StatusCode::OK)["sessions"].as_array().unwrap_or_else(|| panic!("no `sessions` array: {r}")).clone()
    }

    /// The id of this client's own session (the one marked `current`).
    pub async fn current_session_id(&self) -> Uuid {
        let sessions = self.sessions().await;
        let current: Vec<&Value> = sessions.iter().filter(|s| s["current"] == json!(true)).collect();
        assert_eq!(current.len(), 1, "exactly one current session expected: {sessions:?}");
        uuid_of(&current[0]["id"])
    }

    /// `POST /api/v1/sync/push` from `device`, whatever it answers.
    pub async fn push(&self, device: &Device, mutations: &[Value]) -> Resp {
        let body = json!({"device_id": device.id, "mutations": mutations});
        self.post("/api/v1/sync/push", &body).await
    }

    /// Push, assert a 200 with one well-formed result per mutation in order,
    /// and return the results.
    #[track_caller]
    pub fn check_push(resp: &Resp, mutations: &[Value]) -> Vec<Value> {
        let body = resp.expect(StatusCode::OK);
        assert_rfc3339_utc(&body["server_time"], "server_time");
        let results = body["results"].as_array().unwrap_or_else(|| panic!("no results array: {resp}"));
        assert_eq!(results.len(), mutations.len(), "one result per mutation: {resp}");
        for (m, r) in mutations.iter().zip(results) {
            assert_eq!(r["id"], m["id"], "results in mutation order: {resp}");
            match r["status"].as_str() {
                Some("applied" | "duplicate") => {
                    assert!(r["version"].is_i64(), "version missing: {r}");
                    assert_eq!(r["error"], Value::Null, "error on success: {r}");
                }
                Some("rejected") => {
                    assert!(r["error"]["code"].is_string(), "rejected without code: {r}");
                    assert!(r["error"]["message"].is_string(), "rejected without message: {r}");
                }
                _ => panic!("unknown result status: {r}"),
            }
        }
        results.clone()
    }

    /// Push (must be 200, well-formed) and return the results.
    pub async fn push_ok(&self, device: &Device, mutations: &[Value]) -> Vec<Value> {
        let resp = self.push(device, mutations).await;
        Api::check_push(&resp, mutations)
    }

    /// Push; every mutation must be applied. Returns the versions.
    pub async fn push_applied(&self, device: &Device, mutations: &[Value]) -> Vec<i64> {
        self.push_ok(device, mutations).await.iter().map(assert_applied).collect()
    }

    /// `GET /api/v1/sync/pull` with an optional cursor and limit.
    pub async fn pull(&self, cursor: Option<&str>, limit: Option<i64>) -> Resp {
        let mut query = Vec::new();
        if let Some(c) = cursor {
            query.push(format!("cursor={}", percent_encode(c)));
        }
        if let Some(l) = limit {
            query.push(format!("limit={l}"));
        }
        let path = if query.is_empty() {
            "/api/v1/sync/pull".to_owned()
        } else {
            format!("/api/v1/sync/pull?{}", query.join("&"))
        };
        self.get(&path).await
    }

    /// One pull page (must be 200 and well-formed, records in ascending
    /// version order).
    pub async fn pull_page(&self, cursor: Option<&str>, limit: Option<i64>) -> Page {
        let resp = self.pull(cursor, limit).await;
        Api::check_page(&resp)
    }

    #[track_caller]
    pub fn check_page(resp: &Resp) -> Page {
        let body = resp.expect(StatusCode::OK);
        let records = body["records"].as_array().unwrap_or_else(|| panic!("no records array: {resp}")).clone();
        let cursor = body["cursor"].as_str().unwrap_or_else(|| panic!("no string cursor: {resp}")).to_owned();
        let has_more = body["has_more"].as_bool().unwrap_or_else(|| panic!("no boolean has_more: {resp}"));
        let revoked_program_ids = body["revoked_program_ids"]
            .as_array()
            .unwrap_or_else(|| panic!("no revoked_program_ids array: {resp}"))
            .iter()
            .map(uuid_of)
            .collect();
        for r in &records {
            check_record_shape(r);
        }
        for pair in records.windows(2) {
            assert!(
                pair[0]["version"].as_i64() < pair[1]["version"].as_i64(),
                "records not in ascending version order: {} then {}",
                pair[0]["version"],
                pair[1]["version"]
            );
        }
        Page { records, cursor, has_more, revoked_program_ids }
    }

    /// Pull from `cursor` (or the beginning) until `has_more` is false.
    pub async fn pull_all(&self, cursor: Option<&str>) -> Pulled {
        self.pull_all_with(cursor, None).await
    }

    /// [`Api::pull_all`] with a page size.
    pub async fn pull_all_with(&self, cursor: Option<&str>, limit: Option<i64>) -> Pulled {
        let mut out = Pulled { cursor: cursor.unwrap_or_default().to_owned(), ..Pulled::default() };
        let mut cursor = cursor.map(str::to_owned);
        for _ in 0..100_000 {
            let page = self.pull_page(cursor.as_deref(), limit).await;
            out.pages += 1;
            out.records.extend(page.records);
            for p in page.revoked_program_ids {
                if !out.revoked_program_ids.contains(&p) {
                    out.revoked_program_ids.push(p);
                }
            }
            out.cursor = page.cursor.clone();
            cursor = Some(page.cursor);
            if !page.has_more {
                return out;
            }
        }
        panic!("pull never reached has_more = false")
    }
}

/// A pulled record has every field of the contract, with the right types.
#[track_caller]
pub fn check_record_shape(r: &Value) {
    record_id(r);
    let kind = r["kind"].as_str().unwrap_or("");
    assert!(crate::records::KINDS.contains(&kind) || crate::records::OFFICE_KINDS.contains(&kind), "bad kind: {r}");
    uuid_of(&r["program_id"]);
    assert!(r["version"].is_i64(), "version is not an integer: {r}");
    assert!(r["deleted"].is_boolean(), "deleted is not a bool: {r}");
    assert!(r["conflict"].is_boolean(), "conflict is not a bool: {r}");
    assert_rfc3339_utc(&r["updated_at"], "updated_at");
    uuid_of(&r["updated_by"]);
    assert!(r["data"].is_object(), "data is not an object: {r}");
}

/// Every field of `expected` is in the record's `data` with that value
/// (an expected `null` also accepts an absent field; numbers compare as f64).
#[track_caller]
pub fn assert_data(record: &Value, expected: &Value) {
    let data = &record["data"];
    for (k, v) in expected.as_object().unwrap() {
        let got = data.get(k).unwrap_or(&Value::Null);
        let same = match (got.as_f64(), v.as_f64()) {
            (Some(a), Some(b)) => a == b,
            _ => got == v,
        };
        assert!(same, "data.{k}: expected {v}, got {got} (record {record})");
    }
}

fn percent_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
