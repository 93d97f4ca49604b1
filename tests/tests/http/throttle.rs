//! API.md "429 too many requests, with Retry-After": failed logins are
//! throttled per account and per client address; a rotating
//! `X-Forwarded-For` does not get around it (no trusted proxy configured).
#![allow(clippy::unwrap_used)]

use serde_json::json;
use stegvis_tests::*;

/// The server's limits (backend/src/auth/throttle.rs).
const PER_ACCOUNT: usize = 10;
const PER_CLIENT: usize = 30;

async fn login_with_forwarded_for(
    base: &str,
    username: &str,
    password: &str,
    forwarded: &str,
) -> (u16, Option<String>) {
    let r = reqwest::Client::new()
        .post(format!("{base}/api/v1/auth/login"))
        .header("x-forwarded-for", forwarded)
        .json(&json!({"username": username, "password": password, "device_name": "script"}))
        .send()
        .await
        .unwrap();
    let retry = r.headers().get("retry-after").map(|v| v.to_str().unwrap().to_owned());
    (r.status().as_u16(), retry)
}

fn assert_throttled(r: &Resp) {
    r.expect_error(StatusCode::TOO_MANY_REQUESTS, "too_many_requests");
    let retry: u64 = r.headers.get("retry-after").expect("429 carries Retry-After").to_str().unwrap().parse().unwrap();
    assert!((1..=900).contains(&retry), "Retry-After {retry}");
}

#[tokio::test]
async fn an_account_is_throttled_after_repeated_failures_even_with_the_right_password() {
    let w = fixture().await;
    let anon = w.anon();
    for i in 0..PER_ACCOUNT {
        anon.try_login("coach", "wrong password!", "phone")
            .await
            .expect_error(StatusCode::UNAUTHORIZED, "invalid_credentials");
        assert!(i < PER_ACCOUNT);
    }
    assert_throttled(&anon.try_login("coach", "wrong password!", "phone").await);
    // The right password does not get through while the account is locked.
    assert_throttled(&anon.try_login("coach", PASSWORD, "phone").await);
    // Another account from the same address still logs in.
    anon.try_login("office", PASSWORD, "desk").await.expect(StatusCode::OK);
    // Sessions already open are untouched.
    w.coach.pull(None, None).await.expect(StatusCode::OK);
}

#[tokio::test]
async fn a_rotating_forwarded_for_header_does_not_get_around_the_limit() {
    let w = fixture().await;
    for i in 0..PER_ACCOUNT {
        let (status, _) =
            login_with_forwarded_for(w.base_url(), "coach", "nope-nope-nope", &format!("198.51.100.{i}")).await;
        assert_eq!(status, 401);
    }
    let (status, retry) = login_with_forwarded_for(w.base_url(), "coach", "nope-nope-nope", "203.0.113.77").await;
    assert_eq!(status, 429, "a new X-Forwarded-For must not reset the count");
    assert!(retry.is_some());
}

#[tokio::test]
async fn one_client_guessing_many_accounts_is_throttled() {
    let w = fixture().await;
    let anon = w.anon();
    for i in 0..PER_CLIENT {
        anon.try_login(&format!("nobody-{i}"), "guess-guess", "x")
            .await
            .expect_error(StatusCode::UNAUTHORIZED, "invalid_credentials");
    }
    assert_throttled(&anon.try_login("someone-else", "guess-guess", "x").await);
}
