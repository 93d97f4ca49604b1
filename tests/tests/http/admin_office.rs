//! docs/OFFICE.md, administration: the users list, disabling and enabling
//! users (every session revoked, logins refused, no self-disabling), program
//! members across an agreement, the agreements and organisations lists, with
//! 403 for non-admins and 404 across organisation walls.
#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};
use stegvis_tests::fixture::display_name;
use stegvis_tests::*;
use uuid::Uuid;

fn sorted(mut ids: Vec<Uuid>) -> Vec<Uuid> {
    ids.sort();
    ids
}

fn ids(values: &Value) -> Vec<Uuid> {
    values.as_array().unwrap().iter().map(uuid_of).collect()
}

/// `GET /api/v1/users` as `admin` (must be 200): the users by username.
async fn users(admin: &Api) -> Vec<Value> {
    let r = admin.get("/api/v1/users").await;
    let body = r.expect(StatusCode::OK);
    assert_eq!(body.as_object().unwrap().keys().collect::<Vec<_>>(), vec!["users"], "{r}");
    body["users"].as_array().unwrap().clone()
}

/// The entry of `username` in a users list.
#[track_caller]
fn user<'a>(list: &'a [Value], username: &str) -> &'a Value {
    list.iter().find(|u| u["username"] == json!(username)).unwrap_or_else(|| panic!("{username} not in {list:#?}"))
}

/// `GET /api/v1/programs/{id}/members` (must be 200): `(user_id, role, org_id)` sorted by user id.
async fn members(admin: &Api, program: Uuid) -> Vec<(Uuid, String, Uuid)> {
    let r = admin.get(&format!("/api/v1/programs/{program}/members")).await;
    let body = r.expect(StatusCode::OK);
    let mut out: Vec<(Uuid, String, Uuid)> = body["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            assert!(m["display_name"].as_str().is_some_and(|n| !n.is_empty()), "{m}");
            (uuid_of(&m["user_id"]), m["role"].as_str().unwrap().to_owned(), uuid_of(&m["org_id"]))
        })
        .collect();
    out.sort();
    out
}

/// `GET /api/v1/agreements` (must be 200): `(program_id, partner_org_id)` sorted.
async fn agreements(admin: &Api) -> Vec<(Uuid, Uuid)> {
    let r = admin.get("/api/v1/agreements").await;
    let body = r.expect(StatusCode::OK);
    let mut out: Vec<(Uuid, Uuid)> = body["agreements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            uuid_of(&a["id"]);
            (uuid_of(&a["program_id"]), uuid_of(&a["partner_org_id"]))
        })
        .collect();
    out.sort();
    out
}

/// `POST /api/v1/agreements` (must be 201).
async fn share(admin: &Api, program: Uuid, partner: Uuid) {
    let r = admin.post("/api/v1/agreements", &json!({"program_id": program, "partner_org_id": partner})).await;
    r.expect(StatusCode::CREATED);
}

/// A third organisation with its own admin (bootstrapped by the CLI), unrelated to A and B.
async fn third_org(w: &World) -> (Uuid, Api) {
    let org = w.server.create_org("Nynäshamns kommun").await;
    w.server.create_admin(org, "third-admin", PASSWORD).await;
    (org, w.login("third-admin", "admin laptop").await)
}

async fn disable(admin: &Api, user: Uuid) -> Resp {
    admin.post(&format!("/api/v1/users/{user}/disable"), &json!({})).await
}

async fn enable(admin: &Api, user: Uuid) -> Resp {
    admin.post(&format!("/api/v1/users/{user}/enable"), &json!({})).await
}

#[tokio::test]
async fn the_users_list_is_the_admins_organisation_with_programs_and_state() {
    let w = fixture().await;
    let list = users(&w.admin).await;
    let mut names: Vec<&str> = list.iter().map(|u| u["username"].as_str().unwrap()).collect();
    names.sort();
    assert_eq!(names, vec!["admin", "coach", "office", "pedagogue"], "only organisation A's users");

    let coach = user(&list, "coach");
    let keys: Vec<&str> = coach.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        sorted_strs(keys),
        vec!["disabled", "display_name", "id", "org_id", "program_ids", "role", "username"],
        "{coach}"
    );
    assert_eq!(uuid_of(&coach["id"]), w.coach.user_id());
    assert_eq!(coach["display_name"], json!(display_name("coach")));
    assert_eq!(coach["role"], json!("coach"));
    assert_eq!(uuid_of(&coach["org_id"]), w.org);
    assert_eq!(coach["disabled"], json!(false));
    assert_eq!(ids(&coach["program_ids"]), vec![w.program]);
    assert_eq!(sorted(ids(&user(&list, "office")["program_ids"])), sorted(vec![w.program, w.program2]));
    assert_eq!(sorted(ids(&user(&list, "admin")["program_ids"])), sorted(vec![w.program, w.program2]));
    assert_eq!(user(&list, "admin")["role"], json!("admin"));

    // Organisation B's admin sees B's users only.
    let other = users(&w.other_admin).await;
    let mut names: Vec<&str> = other.iter().map(|u| u["username"].as_str().unwrap()).collect();
    names.sort();
    assert_eq!(names, vec!["other-admin", "other-coach", "other-office"]);

    // A user created now shows up, with no programs.
    let new = create_user(&w.admin, "newcomer", "pedagogue", &[]).await;
    let list = users(&w.admin).await;
    assert_eq!(uuid_of(&user(&list, "newcomer")["id"]), new);
    assert_eq!(user(&list, "newcomer")["program_ids"], json!([]));

    // Not for other roles; not without a token.
    for api in [&w.coach, &w.pedagogue, &w.office, &w.other_office] {
        api.get("/api/v1/users").await.expect_error(StatusCode::FORBIDDEN, "forbidden");
    }
    w.anon().get("/api/v1/users").await.expect_error(StatusCode::UNAUTHORIZED, "unauthorized");
}

fn sorted_strs(mut v: Vec<&str>) -> Vec<&str> {
    v.sort();
    v
}

#[tokio::test]
async fn disabling_a_user_cuts_every_session_and_refuses_logins_until_enabled() {
    let w = fixture().await;
    let tablet = w.login("coach", "coach tablet").await;
    let coach_id = w.coach.user_id();

    // The admin's sessions list shows both devices with what a UI needs.
    let sessions = w.admin.sessions().await;
    let coach_sessions: Vec<&Value> = sessions.iter().filter(|s| s["user_id"] == json!(coach_id)).collect();
    let mut devices: Vec<&str> = coach_sessions.iter().map(|s| s["device_name"].as_str().unwrap()).collect();
    devices.sort();
    assert_eq!(devices, vec!["coach phone", "coach tablet"]);
    for s in &coach_sessions {
        assert_eq!(s["username"], json!("coach"));
        assert_rfc3339_utc(&s["created_at"], "created_at");
        assert_rfc3339_utc(&s["last_seen_at"], "last_seen_at");
    }

    let r = disable(&w.admin, coach_id).await;
    r.expect(StatusCode::NO_CONTENT);
    assert!(r.text.is_empty(), "204 with a body: {r}");

    // Every device of the coach learns that it was cut off (and wipes itself).
    for device in [&w.coach, &tablet] {
        device.pull(None, None).await.expect_error(StatusCode::UNAUTHORIZED, "session_revoked");
        device.get("/api/v1/auth/sessions").await.expect_error(StatusCode::UNAUTHORIZED, "session_revoked");
    }
    // Logging in again is refused, with the same answer as a wrong password.
    let anon = w.anon();
    anon.try_login("coach", PASSWORD, "new phone").await.expect_error(StatusCode::UNAUTHORIZED, "invalid_credentials");
    assert_eq!(user(&users(&w.admin).await, "coach")["disabled"], json!(true));
    assert!(
        !w.admin.sessions().await.iter().any(|s| s["user_id"] == json!(coach_id)),
        "a disabled user's sessions are no longer listed"
    );
    // Other users are untouched.
    w.pedagogue.pull(None, None).await.expect(StatusCode::OK);
    w.office.pull(None, None).await.expect(StatusCode::OK);

    // Disabling again changes nothing.
    disable(&w.admin, coach_id).await.expect(StatusCode::NO_CONTENT);

    // Enabled: the coach logs in again; the cut-off devices stay cut off.
    enable(&w.admin, coach_id).await.expect(StatusCode::NO_CONTENT);
    assert_eq!(user(&users(&w.admin).await, "coach")["disabled"], json!(false));
    let again = w.login("coach", "new phone").await;
    again.pull(None, None).await.expect(StatusCode::OK);
    for device in [&w.coach, &tablet] {
        device.pull(None, None).await.expect_error(StatusCode::UNAUTHORIZED, "session_revoked");
    }
    // Enabling an enabled user changes nothing.
    enable(&w.admin, coach_id).await.expect(StatusCode::NO_CONTENT);
    again.pull(None, None).await.expect(StatusCode::OK);
}

#[tokio::test]
async fn disabling_is_for_admins_of_the_users_organisation_and_never_oneself() {
    let w = fixture().await;
    let coach_id = w.coach.user_id();

    // An admin cannot lock themselves out.
    let r = disable(&w.admin, w.admin.user_id()).await;
    let message = r.expect_error(StatusCode::CONFLICT, "cannot_disable_self");
    assert!(!message.is_empty());
    w.admin.get("/api/v1/users").await.expect(StatusCode::OK);

    // Another organisation's admin: the user does not exist for them.
    disable(&w.other_admin, coach_id).await.expect_error(StatusCode::NOT_FOUND, "not_found");
    enable(&w.other_admin, coach_id).await.expect_error(StatusCode::NOT_FOUND, "not_found");
    disable(&w.admin, w.other_coach.user_id()).await.expect_error(StatusCode::NOT_FOUND, "not_found");
    // Unknown id; malformed id.
    disable(&w.admin, Uuid::new_v4()).await.expect_error(StatusCode::NOT_FOUND, "not_found");
    enable(&w.admin, Uuid::new_v4()).await.expect_error(StatusCode::NOT_FOUND, "not_found");
    let r = w.admin.post("/api/v1/users/not-a-uuid/disable", &json!({})).await;
    assert!(r.status.is_client_error(), "{r}");
    // Other roles, even on a colleague.
    for api in [&w.office, &w.pedagogue] {
        disable(api, coach_id).await.expect_error(StatusCode::FORBIDDEN, "forbidden");
        enable(api, coach_id).await.expect_error(StatusCode::FORBIDDEN, "forbidden");
    }
    // None of that touched the coach.
    w.coach.pull(None, None).await.expect(StatusCode::OK);
    assert_eq!(user(&users(&w.admin).await, "coach")["disabled"], json!(false));

    // Another admin of the same organisation can be disabled, and is cut off.
    let second = create_user(&w.admin, "second-admin", "admin", &[]).await;
    let second_api = w.login("second-admin", "laptop").await;
    disable(&w.admin, second).await.expect(StatusCode::NO_CONTENT);
    second_api.get("/api/v1/users").await.expect_error(StatusCode::UNAUTHORIZED, "session_revoked");
    w.anon()
        .try_login("second-admin", PASSWORD, "laptop")
        .await
        .expect_error(StatusCode::UNAUTHORIZED, "invalid_credentials");
}

#[tokio::test]
async fn program_members_are_seen_by_the_owner_and_partner_admins_only() {
    let w = fixture().await;
    let (third_org, third_admin) = third_org(&w).await;

    let expected = |w: &World| {
        sorted_members(vec![
            (w.admin.user_id(), "admin", w.org),
            (w.coach.user_id(), "coach", w.org),
            (w.pedagogue.user_id(), "pedagogue", w.org),
            (w.office.user_id(), "office", w.org),
        ])
    };
    assert_eq!(members(&w.admin, w.program).await, expected(&w));
    let r = w.admin.get(&format!("/api/v1/programs/{}/members", w.program)).await;
    let coach = r.body["members"].as_array().unwrap().iter().find(|m| m["user_id"] == json!(w.coach.user_id()));
    assert_eq!(coach.unwrap()["display_name"], json!(display_name("coach")));

    // No agreement yet: B's admin and an unrelated admin see nothing.
    for api in [&w.other_admin, &third_admin] {
        let r = api.get(&format!("/api/v1/programs/{}/members", w.program)).await;
        r.expect_error(StatusCode::NOT_FOUND, "not_found");
    }
    w.admin
        .get(&format!("/api/v1/programs/{}/members", w.other_program))
        .await
        .expect_error(StatusCode::NOT_FOUND, "not_found");
    w.admin
        .get(&format!("/api/v1/programs/{}/members", Uuid::new_v4()))
        .await
        .expect_error(StatusCode::NOT_FOUND, "not_found");
    for api in [&w.office, &w.coach] {
        let r = api.get(&format!("/api/v1/programs/{}/members", w.program)).await;
        r.expect_error(StatusCode::FORBIDDEN, "forbidden");
    }

    // Shared with B: B's admin adds a coach of theirs and sees every member, both organisations.
    share(&w.admin, w.program, w.other_org).await;
    add_member(&w.other_admin, w.program, w.other_coach.user_id()).await;
    let mut with_partner = expected(&w);
    with_partner.push((w.other_coach.user_id(), "coach".to_owned(), w.other_org));
    with_partner.sort();
    assert_eq!(members(&w.other_admin, w.program).await, with_partner);
    assert_eq!(members(&w.admin, w.program).await, with_partner);
    // The unrelated organisation still sees nothing, and B sees nothing of A's other program.
    third_admin
        .get(&format!("/api/v1/programs/{}/members", w.program))
        .await
        .expect_error(StatusCode::NOT_FOUND, "not_found");
    w.other_admin
        .get(&format!("/api/v1/programs/{}/members", w.program2))
        .await
        .expect_error(StatusCode::NOT_FOUND, "not_found");
    assert_ne!(third_org, w.org);
}

fn sorted_members(v: Vec<(Uuid, &str, Uuid)>) -> Vec<(Uuid, String, Uuid)> {
    let mut out: Vec<(Uuid, String, Uuid)> = v.into_iter().map(|(u, r, o)| (u, r.to_owned(), o)).collect();
    out.sort();
    out
}

#[tokio::test]
async fn agreements_list_the_organisations_programs_and_those_naming_it() {
    let w = fixture().await;
    let (third_org, third_admin) = third_org(&w).await;
    assert_eq!(agreements(&w.admin).await, vec![]);

    share(&w.admin, w.program, w.other_org).await;
    share(&w.other_admin, w.other_program, w.org).await;
    share(&w.admin, w.program2, third_org).await;

    let mut a = vec![(w.program, w.other_org), (w.other_program, w.org), (w.program2, third_org)];
    a.sort();
    assert_eq!(agreements(&w.admin).await, a, "owner of two, partner of one");
    let mut b = vec![(w.program, w.other_org), (w.other_program, w.org)];
    b.sort();
    assert_eq!(agreements(&w.other_admin).await, b);
    assert_eq!(agreements(&third_admin).await, vec![(w.program2, third_org)], "partner only");

    let r = w.admin.get("/api/v1/agreements").await;
    let first = &r.body["agreements"][0];
    assert_eq!(
        sorted_strs(first.as_object().unwrap().keys().map(String::as_str).collect()),
        vec!["id", "partner_org_id", "program_id"]
    );

    for api in [&w.office, &w.coach, &w.other_office] {
        api.get("/api/v1/agreements").await.expect_error(StatusCode::FORBIDDEN, "forbidden");
    }
}

#[tokio::test]
async fn orgs_lists_every_organisation_for_admins() {
    let w = fixture().await;
    let (third_org, third_admin) = third_org(&w).await;
    for admin in [&w.admin, &w.other_admin, &third_admin] {
        let r = admin.get("/api/v1/orgs").await;
        let mut orgs: Vec<(Uuid, String)> = r.expect(StatusCode::OK)["orgs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| (uuid_of(&o["id"]), o["name"].as_str().unwrap().to_owned()))
            .collect();
        orgs.sort();
        let mut expected = vec![
            (w.org, "Haninge kommun".to_owned()),
            (w.other_org, "Tyresö kommun".to_owned()),
            (third_org, "Nynäshamns kommun".to_owned()),
        ];
        expected.sort();
        assert_eq!(orgs, expected, "{r}");
    }
    for api in [&w.office, &w.coach, &w.pedagogue] {
        api.get("/api/v1/orgs").await.expect_error(StatusCode::FORBIDDEN, "forbidden");
    }
    w.anon().get("/api/v1/orgs").await.expect_error(StatusCode::UNAUTHORIZED, "unauthorized");
}

#[tokio::test]
async fn the_administration_endpoints_are_in_the_openapi_document() {
    let w = fixture().await;
    let r = w.anon().get("/api/v1/openapi.json").await;
    let doc = r.expect(StatusCode::OK);
    let paths = &doc["paths"];
    for (path, method) in [
        ("/api/v1/users", "get"),
        ("/api/v1/users", "post"),
        ("/api/v1/users/{id}/disable", "post"),
        ("/api/v1/users/{id}/enable", "post"),
        ("/api/v1/programs/{id}/members", "get"),
        ("/api/v1/agreements", "get"),
        ("/api/v1/orgs", "get"),
    ] {
        assert!(paths[path][method].is_object(), "{method} {path} missing from the OpenAPI document");
    }
    for schema in ["UserList", "UserAdmin", "MemberList", "Member", "AgreementList", "OrgList", "Org"] {
        assert!(doc["components"]["schemas"][schema].is_object(), "schema {schema} missing");
    }
}
