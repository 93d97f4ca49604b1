//! What the API fuzz run (`cargo xtask api-fuzz`, schemathesis from the OpenAPI document) found,
//! kept from coming back:
//! - the OpenAPI document did not list the errors every operation can answer: 401 on every
//!   operation that needs a token, 400/422 where a body or a query string is read, 413 where a
//!   body is read;
//! - a query parameter given twice was 400 `bad_query` ("duplicate field"), where the office
//!   endpoints promise a 422 `invalid_field` naming the parameter and never a 400.
#![allow(clippy::unwrap_used)]

use serde_json::Value;
use stegvis_tests::*;

const METHODS: [&str; 4] = ["get", "post", "put", "delete"];

#[tokio::test]
async fn the_openapi_document_lists_the_errors_every_operation_can_answer() {
    let w = fixture().await;
    let r = w.anon().get("/api/v1/openapi.json").await;
    let doc = r.expect(StatusCode::OK).clone();
    let paths = doc["paths"].as_object().unwrap_or_else(|| panic!("no paths: {r}"));
    let mut missing = Vec::new();
    for (path, item) in paths {
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            let responses = op["responses"].as_object().unwrap_or_else(|| panic!("{method} {path}: no responses"));
            let secured = op["security"].as_array().is_some_and(|s| !s.is_empty());
            let has_body = op.get("requestBody").is_some();
            let has_query = op["parameters"].as_array().into_iter().flatten().any(|p| p["in"] == "query");
            let mut wanted = Vec::new();
            if secured {
                wanted.push("401");
            }
            if has_body || has_query {
                wanted.extend(["400", "422"]);
            }
            if has_body {
                wanted.push("413");
            }
            for status in wanted {
                match responses.get(status) {
                    None => missing.push(format!("{} {path}: {status}", method.to_uppercase())),
                    Some(resp) => {
                        let schema = &resp["content"]["application/json"]["schema"]["$ref"];
                        assert_eq!(schema, "#/components/schemas/ErrorBody", "{method} {path} {status}: {resp}");
                    }
                }
            }
        }
    }
    assert!(missing.is_empty(), "undocumented error statuses: {missing:#?}");
    // Login and health need no token, and say so.
    assert!(paths["/api/v1/auth/login"]["post"]["responses"].get("401").is_some());
    assert!(paths["/api/v1/health"]["get"]["security"].is_null());
}

#[tokio::test]
async fn a_query_parameter_given_twice_is_422_naming_it() {
    let w = fixture().await;
    let program = w.program;
    let cases = [
        (&w.office, format!("/api/v1/office/inbox?updated_by={program}&updated_by={program}"), "updated_by"),
        (&w.office, "/api/v1/office/participants?site_id=null&site_id=null".to_owned(), "site_id"),
        (
            &w.office,
            format!("/api/v1/reports/attendance?program_id={program}&month=2026-01&offset=1&offset=2"),
            "offset",
        ),
        (&w.admin, "/api/v1/admin/access-log?user_id=null&user_id=null".to_owned(), "user_id"),
        (&w.coach, "/api/v1/sync/pull?limit=10&limit=10".to_owned(), "limit"),
    ];
    for (api, path, field) in cases {
        let r = api.get(&path).await;
        let message = r.expect_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
        assert!(message.starts_with(&format!("{field}: ")), "{path}: message must name `{field}`: {message}");
    }
    // An unknown parameter given twice is still ignored, and an unreadable value is still 400.
    let r = w.coach.get("/api/v1/sync/pull?whatever=1&whatever=2").await;
    let _: &Value = r.expect(StatusCode::OK);
    let r = w.coach.get("/api/v1/sync/pull?limit=abc").await;
    r.expect_error(StatusCode::BAD_REQUEST, "bad_query");
}
