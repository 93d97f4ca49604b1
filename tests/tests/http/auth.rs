//! API.md "Conventions" and "Auth": health without a token, login, the token
//! required everywhere else, logout, device sessions (list, revoke, the walls
//! between organisations) and sessions surviving a restart.
#![allow(clippy::unwrap_used)]

use reqwest::Method;
use serde_json::{Value, json};
use stegvis_tests::fixture::display_name;
use stegvis_tests::records::{self, new_id};
use stegvis_tests::*;
use uuid::Uuid;

#[tokio::test]
async fn health_answers_ok_without_a_token() {
    let server = Server::start().await;
    let r = Api::anonymous(server.base_url()).get("/api/v1/health").await;
    assert_eq!(r.expect(StatusCode::OK), &json!({"status": "ok"}), "{r}");
    // A bad token does not matter to health either.
    let r = Api::anonymous(server.base_url()).with_token("not-a-token").get("/api/v1/health").await;
    assert_eq!(r.expect(StatusCode::OK), &json!({"status": "ok"}), "{r}");
}

#[tokio::test]
async fn login_returns_token_user_and_expiry() {
    let w = fixture().await;
    let r = w.anon().try_login("coach", PASSWORD, "Pixel 7").await;
    let body = r.expect(StatusCode::OK);
    let token = body["token"].as_str().unwrap();
    assert!(token.len() >= 16, "token looks too short to be a secret: {r}");
    assert_ne!(token, w.coach.token(), "every login is a new session with a new token");

    let user = &body["user"];
    assert_eq!(uuid_of(&user["id"]), w.coach.user_id(), "{r}");
    assert_eq!(user["username"], json!("coach"), "{r}");
    assert_eq!(user["display_name"], json!(display_name("coach")), "{r}");
    assert_eq!(user["role"], json!("coach"), "{r}");
    assert_eq!(uuid_of(&user["org_id"]), w.org, "{r}");
    assert_eq!(user["program_ids"], json!([w.program]), "{r}");

    let office_programs: Vec<Uuid> = w.office.user["program_ids"].as_array().unwrap().iter().map(uuid_of).collect();
    assert_eq!(office_programs.len(), 2, "{}", w.office.user);
    assert!(office_programs.contains(&w.program) && office_programs.contains(&w.program2));

    let expires = assert_rfc3339_utc(&body["expires_at"], "expires_at");
    assert!(expires > time::OffsetDateTime::now_utc(), "expires_at is in the past: {r}");

    // The new token works.
    let api = w.anon().with_token(token);
    api.get("/api/v1/auth/sessions").await.expect(StatusCode::OK);
}

#[tokio::test]
async fn wrong_password_and_unknown_user_get_the_same_401() {
    let w = fixture().await;
    let wrong = w.anon().try_login("coach", "wrong password!", "phone").await;
    wrong.expect_error(StatusCode::UNAUTHORIZED, "invalid_credentials");
    let unknown = w.anon().try_login("nobody-here", PASSWORD, "phone").await;
    unknown.expect_error(StatusCode::UNAUTHORIZED, "invalid_credentials");
    assert_eq!(wrong.body, unknown.body, "the two answers must not differ: {wrong} / {unknown}");
    // Usernames from the other organisation are no different.
    let other = w.anon().try_login("other-coach", "wrong password!", "phone").await;
    assert_eq!(other.body, wrong.body, "{other}");
}

#[tokio::test]
async fn a_token_is_required_everywhere_except_login_and_health() {
    let w = fixture().await;
    let refs = w.seed(w.program).await;
    let device = Device::new();
    let record = new_id();
    let push_body = json!({
        "device_id": device.id,
        "mutations": [device.create(w.program, "participant", record, records::participant())],
    });
    let session = w.coach.current_session_id().await;
    let calls: Vec<(Method, String, Option<Value>)> = vec![
        (Method::GET, "/api/v1/sync/pull".into(), None),
        (Method::POST, "/api/v1/sync/push".into(), Some(push_body)),
        (Method::POST, "/api/v1/auth/logout".into(), None),
        (Method::GET, "/api/v1/auth/sessions".into(), None),
        (Method::DELETE, format!("/api/v1/auth/sessions/{session}"), None),
        (Method::POST, "/api/v1/programs".into(), Some(json!({"name": "X", "org_id": w.org}))),
        (
            Method::POST,
            "/api/v1/users".into(),
            Some(json!({"username": "sneaky", "password": PASSWORD, "display_name": "S",
                        "role": "admin", "program_ids": [w.program]})),
        ),
        (
            Method::POST,
            format!("/api/v1/programs/{}/members", w.program),
            Some(json!({"user_id": w.other_coach.user_id()})),
        ),
        (Method::DELETE, format!("/api/v1/programs/{}/members/{}", w.program, w.coach.user_id()), None),
        (
            Method::POST,
            "/api/v1/agreements".into(),
            Some(json!({"program_id": w.program, "partner_org_id": w.other_org})),
        ),
    ];
    let logged_out = w.login("coach", "soon logged out").await;
    logged_out.logout().await.expect(StatusCode::NO_CONTENT);
    let clients = [
        ("no Authorization", w.anon()),
        ("empty bearer", w.anon().with_authorization("Bearer ")),
        ("unknown token", w.anon().with_token("c2VjcmV0LXRva2VuLXRoYXQtZG9lcy1ub3QtZXhpc3Q")),
        ("logged-out token", logged_out.clone()),
        ("wrong scheme", w.anon().with_authorization(&format!("Token {}", w.admin.token()))),
        ("bare token", w.anon().with_authorization(w.admin.token())),
    ];
    for (label, client) in &clients {
        for (method, path, body) in &calls {
            let bytes = body.as_ref().map(|b| (serde_json::to_vec(b).unwrap(), Some("application/json")));
            let r = client.request(method.clone(), path, bytes).await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{label}: {r}");
            r.expect_error(StatusCode::UNAUTHORIZED, "unauthorized");
        }
    }
    // Nothing happened: no record, no program member change, the session lives.
    let pulled = w.office.pull_all(None).await;
    assert!(!pulled.contains(record), "a push without a token stored a record");
    assert!(pulled.contains(refs.participant));
    w.coach.get("/api/v1/auth/sessions").await.expect(StatusCode::OK);
    w.anon().try_login("sneaky", PASSWORD, "x").await.expect_error(StatusCode::UNAUTHORIZED, "invalid_credentials");
    let coach_again = w.login("coach", "check").await;
    assert_eq!(coach_again.user["program_ids"], json!([w.program]));
}

#[tokio::test]
async fn logout_kills_the_token_at_once_and_only_that_one() {
    let w = fixture().await;
    let tablet = w.login("coach", "tablet").await;
    let device = Device::new();
    w.coach.logout().await.expect(StatusCode::NO_CONTENT);

    w.coach.get("/api/v1/auth/sessions").await.expect_error(StatusCode::UNAUTHORIZED, "unauthorized");
    w.coach.pull(None, None).await.expect_error(StatusCode::UNAUTHORIZED, "unauthorized");
    let record = new_id();
    let m = device.create(w.program, "participant", record, records::participant());
    w.coach.push(&device, std::slice::from_ref(&m)).await.expect_error(StatusCode::UNAUTHORIZED, "unauthorized");
    w.coach.logout().await.expect_error(StatusCode::UNAUTHORIZED, "unauthorized");
    assert!(!w.office.pull_all(None).await.contains(record));

    // The coach's other device is untouched.
    let sessions = tablet.sessions().await;
    assert_eq!(sessions.len(), 1, "the logged-out session must be gone: {sessions:?}");
    assert_eq!(sessions[0]["device_name"], json!("tablet"));
    tablet.push_applied(&device, &[m]).await;
}

#[tokio::test]
async fn a_user_lists_their_own_sessions() {
    let w = fixture().await;
    let phone = w.login("coach", "phone A").await;
    let before = time::OffsetDateTime::now_utc() - time::Duration::seconds(5);
    let tablet = w.login("coach", "tablet B").await;

    let sessions = tablet.sessions().await;
    // The fixture's session, phone A and tablet B; nobody else's.
    assert_eq!(sessions.len(), 3, "{sessions:#?}");
    for s in &sessions {
        assert_eq!(uuid_of(&s["user_id"]), w.coach.user_id(), "{s}");
        assert_eq!(s["username"], json!("coach"), "{s}");
        uuid_of(&s["id"]);
        assert!(s["device_name"].is_string(), "{s}");
        assert_rfc3339_utc(&s["created_at"], "created_at");
        assert_rfc3339_utc(&s["last_seen_at"], "last_seen_at");
        let expires = assert_rfc3339_utc(&s["expires_at"], "expires_at");
        assert!(expires > time::OffsetDateTime::now_utc(), "{s}");
        assert!(s["current"].is_boolean(), "{s}");
    }
    let names: Vec<&str> = sessions.iter().map(|s| s["device_name"].as_str().unwrap()).collect();
    assert!(names.contains(&"phone A") && names.contains(&"tablet B") && names.contains(&"coach phone"));
    let current: Vec<&Value> = sessions.iter().filter(|s| s["current"] == json!(true)).collect();
    assert_eq!(current.len(), 1, "{sessions:#?}");
    assert_eq!(current[0]["device_name"], json!("tablet B"));
    let created = assert_rfc3339_utc(&current[0]["created_at"], "created_at");
    assert!(created >= before, "created_at of a fresh session is old: {}", current[0]);

    // Seen from phone A, phone A is the current one.
    let from_phone = phone.sessions().await;
    let current: Vec<&Value> = from_phone.iter().filter(|s| s["current"] == json!(true)).collect();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0]["device_name"], json!("phone A"));
}

#[tokio::test]
async fn a_user_revokes_their_own_other_session() {
    let w = fixture().await;
    let lost = w.login("coach", "lost phone").await;
    let lost_id = lost.current_session_id().await;

    let r = w.coach.delete(&format!("/api/v1/auth/sessions/{lost_id}")).await;
    r.expect(StatusCode::NO_CONTENT);
    // The cut-off device learns that it was revoked (so it wipes its data),
    // not merely that its token is bad.
    lost.get("/api/v1/auth/sessions").await.expect_error(StatusCode::UNAUTHORIZED, "session_revoked");
    lost.pull(None, None).await.expect_error(StatusCode::UNAUTHORIZED, "session_revoked");
    let ids: Vec<Value> = w.coach.sessions().await.iter().map(|s| s["id"].clone()).collect();
    assert!(!ids.contains(&json!(lost_id)), "revoked session still listed");
    // Revoking it again: it is gone.
    let r = w.coach.delete(&format!("/api/v1/auth/sessions/{lost_id}")).await;
    r.expect_error(StatusCode::NOT_FOUND, "not_found");
    // An id that never existed.
    let r = w.coach.delete(&format!("/api/v1/auth/sessions/{}", Uuid::new_v4())).await;
    r.expect_error(StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn an_admin_sees_and_revokes_sessions_of_their_organisation() {
    let w = fixture().await;
    let lost = w.login("coach", "lost phone").await;
    let lost_id = lost.current_session_id().await;

    let sessions = w.admin.sessions().await;
    let usernames: Vec<&str> = sessions.iter().map(|s| s["username"].as_str().unwrap()).collect();
    for u in ["admin", "coach", "pedagogue", "office"] {
        assert!(usernames.contains(&u), "admin should see {u}'s sessions: {usernames:?}");
    }
    for u in ["other-admin", "other-coach", "other-office"] {
        assert!(!usernames.contains(&u), "admin must not see {u}'s sessions: {usernames:?}");
    }
    let lost_entry = sessions.iter().find(|s| s["id"] == json!(lost_id)).unwrap();
    assert_eq!(lost_entry["device_name"], json!("lost phone"));
    assert_eq!(lost_entry["current"], json!(false));
    assert_eq!(uuid_of(&lost_entry["user_id"]), w.coach.user_id());

    w.admin.delete(&format!("/api/v1/auth/sessions/{lost_id}")).await.expect(StatusCode::NO_CONTENT);
    lost.pull(None, None).await.expect_error(StatusCode::UNAUTHORIZED, "session_revoked");
    // The coach's other session still works.
    w.coach.pull(None, None).await.expect(StatusCode::OK);
}

#[tokio::test]
async fn sessions_of_another_organisation_or_colleague_are_out_of_reach() {
    let w = fixture().await;
    let coach_session = w.coach.current_session_id().await;
    let office_session = w.office.current_session_id().await;

    // Another organisation's admin: 404, as if it did not exist.
    let r = w.other_admin.delete(&format!("/api/v1/auth/sessions/{coach_session}")).await;
    r.expect_error(StatusCode::NOT_FOUND, "not_found");
    let listed: Vec<Value> = w.other_admin.sessions().await.iter().map(|s| s["id"].clone()).collect();
    assert!(!listed.contains(&json!(coach_session)));

    // A colleague who is not an admin cannot cut off someone else.
    let r = w.coach.delete(&format!("/api/v1/auth/sessions/{office_session}")).await;
    assert!(
        r.status == StatusCode::NOT_FOUND || r.status == StatusCode::FORBIDDEN,
        "a coach revoking the office user's session: {r}"
    );
    let code = if r.status == StatusCode::NOT_FOUND { "not_found" } else { "forbidden" };
    r.expect_error(r.status, code);
    let listed: Vec<Value> = w.coach.sessions().await.iter().map(|s| s["id"].clone()).collect();
    assert!(!listed.contains(&json!(office_session)), "a coach sees only own sessions");

    // Both sessions live on.
    w.coach.pull(None, None).await.expect(StatusCode::OK);
    w.office.pull(None, None).await.expect(StatusCode::OK);
}

#[tokio::test]
async fn sessions_and_records_survive_a_restart() {
    let mut w = fixture().await;
    let refs = w.seed(w.program).await;
    let session = w.coach.current_session_id().await;
    let cursor = w.coach.pull_all(None).await.cursor;
    w.restart().await;

    assert_eq!(w.coach.current_session_id().await, session);
    let pulled = w.coach.pull_all(None).await;
    assert!(pulled.contains(refs.participant) && pulled.contains(refs.placement));
    // A device's cursor from before the restart still works: only what
    // changed after it.
    let device = Device::new();
    let site = new_id();
    w.office.push_applied(&device, &[device.create(w.program, "site", site, records::site())]).await;
    let since = w.coach.pull_all(Some(&cursor)).await;
    assert_eq!(since.ids(), [site].into(), "{:?}", since.records);
    // And a logout after the restart still kills it at once.
    w.coach.logout().await.expect(StatusCode::NO_CONTENT);
    w.coach.pull(None, None).await.expect_error(StatusCode::UNAUTHORIZED, "unauthorized");
}

#[tokio::test]
async fn a_session_unused_for_its_idle_time_expires() {
    let server = Server::start_with_env(&[("STEGVIS_SESSION_IDLE_SECS", "2")]).await;
    let org = server.create_org("Tyresö kommun").await;
    server.create_admin(org, "idle-admin", PASSWORD).await;
    let api = Api::login(server.base_url(), "idle-admin", PASSWORD, "desk").await;
    api.get("/api/v1/auth/sessions").await.expect(StatusCode::OK);
    // Inactivity is what is under test, so this waits on purpose: longer than
    // the 2 s idle time, with no request in between.
    tokio::time::sleep(std::time::Duration::from_millis(2600)).await;
    // Expired, not revoked: the device keeps its outbox and asks for the password.
    api.get("/api/v1/auth/sessions").await.expect_error(StatusCode::UNAUTHORIZED, "session_expired");
    // Logging in again works: only the idle session is gone.
    let again = Api::login(server.base_url(), "idle-admin", PASSWORD, "desk").await;
    again.get("/api/v1/auth/sessions").await.expect(StatusCode::OK);
}
