//! API.md "Conventions", the error side: malformed JSON, a wrong content
//! type, a bad query string, invalid top-level fields, unknown paths and
//! methods all answer the one JSON error body and store nothing; 429 carries
//! `Retry-After`; and the OpenAPI document is served.
#![allow(clippy::unwrap_used)]

use reqwest::Method;
use serde_json::json;
use stegvis_tests::records::{self, new_id};
use stegvis_tests::*;

#[tokio::test]
async fn malformed_json_is_400_malformed_json() {
    let w = fixture().await;
    let bodies: [&[u8]; 4] = [b"{\"device_id\": ", b"not json at all", b"", b"{\"a\":1}}"];
    for body in bodies {
        let r = w.office.post_raw("/api/v1/sync/push", body, Some("application/json")).await;
        r.expect_error(StatusCode::BAD_REQUEST, "malformed_json");
    }
    let r = w.anon().post_raw("/api/v1/auth/login", "{\"username\":\"coach\",", Some("application/json")).await;
    r.expect_error(StatusCode::BAD_REQUEST, "malformed_json");
    let r = w.admin.post_raw("/api/v1/programs", "{name: 'x'}", Some("application/json")).await;
    r.expect_error(StatusCode::BAD_REQUEST, "malformed_json");
    let r = w.admin.post_raw("/api/v1/users", [0xff, 0xfe, b'{'], Some("application/json")).await;
    r.expect_error(StatusCode::BAD_REQUEST, "malformed_json");
}

#[tokio::test]
async fn json_without_its_content_type_is_400_bad_content_type() {
    let w = fixture().await;
    let device = Device::new();
    let id = new_id();
    let body = serde_json::to_vec(&json!({
        "device_id": device.id,
        "mutations": [device.create(w.program, "site", id, records::site())],
    }))
    .unwrap();
    for ct in [None, Some("text/plain"), Some("application/x-www-form-urlencoded")] {
        let r = w.office.post_raw("/api/v1/sync/push", body.clone(), ct).await;
        r.expect_error(StatusCode::BAD_REQUEST, "bad_content_type");
    }
    assert!(!w.office.pull_all(None).await.contains(id), "stored despite the 400");
    let login = serde_json::to_vec(&json!({"username": "coach", "password": PASSWORD, "device_name": "x"})).unwrap();
    let r = w.anon().post_raw("/api/v1/auth/login", login.clone(), Some("text/plain")).await;
    r.expect_error(StatusCode::BAD_REQUEST, "bad_content_type");
    // With a charset parameter it is still JSON.
    let r = w.anon().post_raw("/api/v1/auth/login", login, Some("application/json; charset=utf-8")).await;
    r.expect(StatusCode::OK);
}

#[tokio::test]
async fn an_unparseable_query_is_400_bad_query() {
    let w = fixture().await;
    for q in ["limit=abc", "limit=1.5", "limit=%zz"] {
        let r = w.coach.get(&format!("/api/v1/sync/pull?{q}")).await;
        r.expect_error(StatusCode::BAD_REQUEST, "bad_query");
    }
}

#[tokio::test]
async fn invalid_top_level_push_fields_are_422_and_store_nothing() {
    let w = fixture().await;
    let device = Device::new();
    let id = new_id();
    let m = device.create(w.program, "site", id, records::site());
    let cases = [
        ("device_id", json!({"mutations": [m.clone()]})),
        ("device_id", json!({"device_id": "phone-1", "mutations": [m.clone()]})),
        ("mutations", json!({"device_id": device.id})),
        ("mutations", json!({"device_id": device.id, "mutations": {"0": m.clone()}})),
        ("priority", json!({"device_id": device.id, "mutations": [m.clone()], "priority": "high"})),
    ];
    for (field, body) in cases {
        let r = w.office.post("/api/v1/sync/push", &body).await;
        let msg = r.expect_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
        assert!(msg.contains(field), "message must name `{field}`: {msg}");
    }
    assert!(!w.office.pull_all(None).await.contains(id));
    // An empty batch is fine and answers no results.
    let r = w.office.push(&device, &[]).await;
    assert_eq!(r.expect(StatusCode::OK)["results"], json!([]), "{r}");
}

#[tokio::test]
async fn login_input_is_validated() {
    let w = fixture().await;
    let r = w.anon().post("/api/v1/auth/login", &json!({"username": "coach", "device_name": "x"})).await;
    let msg = r.expect_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
    assert!(msg.contains("password"), "{msg}");
    let r =
        w.anon().post("/api/v1/auth/login", &json!({"username": 7, "password": PASSWORD, "device_name": "x"})).await;
    let msg = r.expect_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
    assert!(msg.contains("username"), "{msg}");
}

#[tokio::test]
async fn unknown_paths_and_methods_answer_json_errors() {
    let w = fixture().await;
    for path in ["/api/v1/nope", "/api/v1/sync/pushh", "/api/v2/sync/pull", "/api/v1/records/123"] {
        let r = w.office.get(path).await;
        r.expect_error(StatusCode::NOT_FOUND, "not_found");
    }
    let wrong_methods = [
        (Method::GET, "/api/v1/sync/push"),
        (Method::POST, "/api/v1/sync/pull"),
        (Method::DELETE, "/api/v1/health"),
        (Method::GET, "/api/v1/auth/login"),
        (Method::PUT, "/api/v1/programs"),
    ];
    for (method, path) in wrong_methods {
        let r = w.office.request(method, path, None).await;
        r.expect_error(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
    }
}

#[tokio::test]
async fn the_openapi_document_describes_the_api() {
    let w = fixture().await;
    let r = w.office.get("/api/v1/openapi.json").await;
    let doc = r.expect(StatusCode::OK);
    let version = doc["openapi"].as_str().unwrap_or_else(|| panic!("no openapi version: {r}"));
    assert!(version.starts_with("3."), "OpenAPI 3 expected, got {version}");
    let paths = doc["paths"].as_object().unwrap_or_else(|| panic!("no paths: {r}"));
    // Path parameters may be named as the server likes.
    let normalise = |p: &str| -> String {
        let mut out = String::new();
        let mut in_param = false;
        for c in p.chars() {
            match c {
                '{' => {
                    in_param = true;
                    out.push_str("{}");
                }
                '}' => in_param = false,
                _ if in_param => {}
                _ => out.push(c),
            }
        }
        out
    };
    let have: Vec<String> = paths.keys().map(|p| normalise(p)).collect();
    for want in [
        "/api/v1/sync/push",
        "/api/v1/sync/pull",
        "/api/v1/health",
        "/api/v1/auth/login",
        "/api/v1/auth/logout",
        "/api/v1/auth/sessions",
        "/api/v1/auth/sessions/{}",
        "/api/v1/programs",
        "/api/v1/users",
        "/api/v1/programs/{}/members",
        "/api/v1/programs/{}/members/{}",
        "/api/v1/agreements",
    ] {
        assert!(have.iter().any(|h| h == want), "openapi.json lacks {want}; has {have:?}");
    }
    assert!(paths["/api/v1/sync/push"]["post"].is_object(), "push is a POST");
    assert!(paths["/api/v1/sync/pull"]["get"].is_object(), "pull is a GET");
}

#[tokio::test]
async fn the_root_serves_the_app_or_says_how_to_build_it() {
    // Whether or not the web app has been built, `/` answers something
    // useful and the API works regardless.
    let server = Server::start().await;
    let api = Api::anonymous(server.base_url());
    let r = api.get("/").await;
    assert_eq!(r.status, StatusCode::OK, "{r}");
    assert!(!r.text.trim().is_empty(), "`/` is empty");
    let r = api.get("/api/v1/health").await;
    assert_eq!(r.expect(StatusCode::OK), &json!({"status": "ok"}));
}

#[tokio::test]
async fn too_many_requests_if_ever_answered_carries_retry_after() {
    // The contract does not fix the rate; hammer the login (the likeliest
    // limit) a bounded number of times and check any 429 we get.
    let w = fixture().await;
    let mut saw_429 = false;
    for _ in 0..40 {
        let r = w.anon().try_login("coach", "wrong password!", "phone").await;
        if r.status == StatusCode::TOO_MANY_REQUESTS {
            saw_429 = true;
            let retry = r.headers.get("retry-after").unwrap_or_else(|| panic!("429 without Retry-After: {r}"));
            let secs: u64 = retry.to_str().unwrap().trim().parse().unwrap_or_else(|_| panic!("Retry-After {retry:?}"));
            assert!(secs > 0);
            let code = r.body["error"]["code"].as_str().unwrap_or("").to_owned();
            r.expect_error(StatusCode::TOO_MANY_REQUESTS, &code);
            break;
        }
        r.expect_error(StatusCode::UNAUTHORIZED, "invalid_credentials");
    }
    eprintln!("login rate limit observed: {saw_429}");
}

#[tokio::test]
async fn path_parameters_that_are_not_uuids_get_the_json_error_body() {
    let w = fixture().await;
    let calls = [
        (Method::DELETE, "/api/v1/auth/sessions/abc".to_owned()),
        (Method::POST, "/api/v1/programs/not-a-uuid/members".to_owned()),
        (Method::DELETE, format!("/api/v1/programs/{}/members/zzz", w.program)),
    ];
    for (method, path) in calls {
        let body = (method == Method::POST).then(|| {
            let b = serde_json::to_vec(&json!({"user_id": w.coach.user_id()})).unwrap();
            (b, Some("application/json"))
        });
        let r = w.admin.request(method, &path, body).await;
        assert!(
            [StatusCode::BAD_REQUEST, StatusCode::NOT_FOUND, StatusCode::UNPROCESSABLE_ENTITY].contains(&r.status),
            "{r}"
        );
        let code = r.body["error"]["code"].as_str().unwrap_or("").to_owned();
        r.expect_error(r.status, &code);
    }
}
