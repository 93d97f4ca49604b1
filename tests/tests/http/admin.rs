//! API.md "Admin objects": the bootstrap CLI, programs, users, program
//! members and agreements between organisations, with their 201/204/403/404/
//! 409/422 answers, and the admin role required for all of them.
#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};
use stegvis_tests::records::new_id;
use stegvis_tests::server::parse_id_output;
use stegvis_tests::*;
use uuid::Uuid;

fn set_of(v: &Value) -> Vec<Uuid> {
    let mut ids: Vec<Uuid> = v.as_array().unwrap().iter().map(uuid_of).collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn bootstrap_cli_creates_an_org_and_its_first_admin_while_the_server_runs() {
    let server = Server::start().await;
    let org = server.create_org("Hässleholms kommun").await;
    let org2 = server.create_org("Hässleholms kommun").await;
    assert_ne!(org, org2, "each create-org makes a new organisation");

    // The password is the first line of stdin only.
    let org_arg = org.to_string();
    let out = server
        .cli(
            &[
                "admin",
                "create-user",
                "--org",
                &org_arg,
                "--username",
                "hassleholm-admin",
                "--password-stdin",
                "--role",
                "admin",
            ],
            Some("first line is it\nsecond line is not\n"),
        )
        .await;
    let admin_id = parse_id_output("admin create-user", &out);

    // The running server sees what the CLI wrote.
    let anon = Api::anonymous(server.base_url());
    let r = anon.try_login("hassleholm-admin", "first line is it", "laptop").await;
    let user = &r.expect(StatusCode::OK)["user"];
    assert_eq!(uuid_of(&user["id"]), admin_id, "{r}");
    assert_eq!(user["role"], json!("admin"), "{r}");
    assert_eq!(uuid_of(&user["org_id"]), org, "{r}");
    assert_eq!(user["program_ids"], json!([]), "{r}");
    anon.try_login("hassleholm-admin", "first line is it\nsecond line is not", "laptop")
        .await
        .expect_error(StatusCode::UNAUTHORIZED, "invalid_credentials");

    // The first admin can start working: a program in its organisation.
    let admin = Api::login(server.base_url(), "hassleholm-admin", "first line is it", "laptop").await;
    let r = admin.post("/api/v1/programs", &json!({"name": "AME", "org_id": org})).await;
    r.expect(StatusCode::CREATED);

    // The same username again through the CLI fails (non-zero exit).
    let out = server
        .cli(
            &[
                "admin",
                "create-user",
                "--org",
                &org_arg,
                "--username",
                "hassleholm-admin",
                "--password-stdin",
                "--role",
                "admin",
            ],
            Some("another password\n"),
        )
        .await;
    assert!(!out.status.success(), "duplicate username accepted by the CLI: {out:?}");
}

#[tokio::test]
async fn the_cli_runs_migrations_itself_on_a_new_database() {
    // No server ever ran on this database: the CLI must create and migrate
    // it, and a server started afterwards accepts the admin it made.
    let mut server = Server::stopped();
    let org = server.create_org("Svedala kommun").await;
    let admin_id = server.create_admin(org, "svedala", "svedala-password").await;
    server.restart().await;
    let admin = Api::login(server.base_url(), "svedala", "svedala-password", "laptop").await;
    assert_eq!(admin.user_id(), admin_id);
    assert_eq!(uuid_of(&admin.user["org_id"]), org);
}

#[tokio::test]
async fn serve_can_be_configured_by_the_environment() {
    let server = Server::start_configured_by_env().await;
    let api = Api::anonymous(server.base_url());
    let r = api.get("/api/v1/health").await;
    assert_eq!(r.expect(StatusCode::OK), &json!({"status": "ok"}));
    // It is the database named by STEGVIS_DATABASE_URL: the CLI's org is there.
    let org = server.create_org("Tyresö kommun").await;
    server.create_admin(org, "tyreso", PASSWORD).await;
    let admin = Api::login(server.base_url(), "tyreso", PASSWORD, "laptop").await;
    assert_eq!(uuid_of(&admin.user["org_id"]), org);
}

#[tokio::test]
async fn programs_are_created_in_the_admins_own_organisation_only() {
    let w = fixture().await;
    let r = w.admin.post("/api/v1/programs", &json!({"name": "Branschskola", "org_id": w.org})).await;
    let body = r.expect(StatusCode::CREATED).clone();
    let id = uuid_of(&body["id"]);
    assert_eq!(body, json!({"id": id, "name": "Branschskola", "org_id": w.org}), "{r}");

    // Another organisation's id: 403.
    let r = w.admin.post("/api/v1/programs", &json!({"name": "Kapad", "org_id": w.other_org})).await;
    r.expect_error(StatusCode::FORBIDDEN, "forbidden");
    // Not an admin: 403.
    for api in [&w.office, &w.coach, &w.pedagogue] {
        let r = api.post("/api/v1/programs", &json!({"name": "Egen", "org_id": w.org})).await;
        r.expect_error(StatusCode::FORBIDDEN, "forbidden");
    }
    // Invalid fields: 422 naming the field.
    let r = w.admin.post("/api/v1/programs", &json!({"org_id": w.org})).await;
    let msg = r.expect_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
    assert!(msg.contains("name"), "message must name `name`: {msg}");
    let r = w.admin.post("/api/v1/programs", &json!({"name": "X", "org_id": "not-a-uuid"})).await;
    let msg = r.expect_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
    assert!(msg.contains("org_id"), "message must name `org_id`: {msg}");
    let r = w.admin.post("/api/v1/programs", &json!({"name": "X", "org_id": w.org, "budget": 12})).await;
    let msg = r.expect_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
    assert!(msg.contains("budget"), "message must name the unknown field: {msg}");
}

#[tokio::test]
async fn users_are_created_with_a_role_and_programs() {
    let w = fixture().await;
    let r = w
        .admin
        .post(
            "/api/v1/users",
            &json!({"username": "karin", "password": "tio tecken", "display_name": "Karin S",
                    "role": "pedagogue", "program_ids": [w.program, w.program2]}),
        )
        .await;
    let body = r.expect(StatusCode::CREATED).clone();
    let id = uuid_of(&body["id"]);
    assert_eq!(body["username"], json!("karin"), "{r}");
    assert_eq!(body["display_name"], json!("Karin S"), "{r}");
    assert_eq!(body["role"], json!("pedagogue"), "{r}");
    assert_eq!(uuid_of(&body["org_id"]), w.org, "{r}");
    let mut expected = vec![w.program, w.program2];
    expected.sort();
    assert_eq!(set_of(&body["program_ids"]), expected, "{r}");
    let keys: std::collections::BTreeSet<&str> = body.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["display_name", "id", "org_id", "program_ids", "role", "username"].into(),
        "no password or hash in the answer: {r}"
    );

    // A password of exactly 10 characters was accepted; the user logs in.
    let karin = Api::login(w.base_url(), "karin", "tio tecken", "phone").await;
    assert_eq!(karin.user_id(), id);
    assert_eq!(karin.user["role"], json!("pedagogue"));
    assert_eq!(set_of(&karin.user["program_ids"]), expected);

    // Taken usernames: 409, in the same organisation and in another one.
    let again = json!({"username": "karin", "password": PASSWORD, "display_name": "K",
                       "role": "coach", "program_ids": []});
    w.admin.post("/api/v1/users", &again).await.expect_error(StatusCode::CONFLICT, "username_taken");
    w.other_admin.post("/api/v1/users", &again).await.expect_error(StatusCode::CONFLICT, "username_taken");

    // 9-character password, unknown role, missing field, unknown field: 422 naming it.
    let cases = [
        (
            "password",
            json!({"username": "u1", "password": "nio tecke", "display_name": "U",
                            "role": "coach", "program_ids": []}),
        ),
        (
            "role",
            json!({"username": "u2", "password": PASSWORD, "display_name": "U",
                        "role": "boss", "program_ids": []}),
        ),
        (
            "display_name",
            json!({"username": "u3", "password": PASSWORD,
                                "role": "coach", "program_ids": []}),
        ),
        (
            "shoe_size",
            json!({"username": "u4", "password": PASSWORD, "display_name": "U",
                             "role": "coach", "program_ids": [], "shoe_size": 43}),
        ),
    ];
    for (field, body) in cases {
        let r = w.admin.post("/api/v1/users", &body).await;
        let msg = r.expect_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
        assert!(msg.contains(field), "message must name `{field}`: {msg}");
        let username = body["username"].as_str().unwrap();
        w.anon().try_login(username, PASSWORD, "x").await.expect_error(StatusCode::UNAUTHORIZED, "invalid_credentials");
    }

    // Not an admin: 403, nothing created.
    let body = json!({"username": "u5", "password": PASSWORD, "display_name": "U",
                      "role": "admin", "program_ids": []});
    for api in [&w.office, &w.coach, &w.pedagogue] {
        api.post("/api/v1/users", &body).await.expect_error(StatusCode::FORBIDDEN, "forbidden");
    }
    w.anon().try_login("u5", PASSWORD, "x").await.expect_error(StatusCode::UNAUTHORIZED, "invalid_credentials");
}

#[tokio::test]
async fn a_user_cannot_be_created_into_another_organisations_program() {
    let w = fixture().await;
    let body = json!({"username": "infiltrator", "password": PASSWORD, "display_name": "I",
                      "role": "coach", "program_ids": [w.other_program]});
    let r = w.admin.post("/api/v1/users", &body).await;
    assert!(
        [StatusCode::NOT_FOUND, StatusCode::FORBIDDEN, StatusCode::UNPROCESSABLE_ENTITY].contains(&r.status),
        "{r}"
    );
    let code = match r.status {
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::FORBIDDEN => "forbidden",
        _ => "invalid_field",
    };
    r.expect_error(r.status, code);
    w.anon()
        .try_login("infiltrator", PASSWORD, "x")
        .await
        .expect_error(StatusCode::UNAUTHORIZED, "invalid_credentials");
}

#[tokio::test]
async fn members_are_added_and_removed() {
    let w = fixture().await;
    let refs = w.seed(w.program).await;
    let newbie_id = create_user(&w.admin, "newbie", "coach", &[]).await;
    let newbie = w.login("newbie", "phone").await;
    assert_eq!(newbie.user["program_ids"], json!([]));
    let device = Device::new();
    let (id, data) = refs.sample("visit", 0);
    let r = newbie.push_ok(&device, &[device.create(w.program, "visit", id, data.clone())]).await;
    assert_rejected(&r[0], "forbidden");
    assert!(newbie.pull_all(None).await.records.is_empty(), "not a member: sees nothing");

    add_member(&w.admin, w.program, newbie_id).await;
    // Adding an existing member again is fine.
    add_member(&w.admin, w.program, newbie_id).await;
    let newbie = w.login("newbie", "phone").await;
    assert_eq!(newbie.user["program_ids"], json!([w.program]));
    newbie.push_applied(&device, &[device.create(w.program, "visit", id, data)]).await;
    assert!(newbie.pull_all(None).await.contains(refs.participant));

    remove_member(&w.admin, w.program, newbie_id).await;
    let (id2, data2) = refs.sample("visit", 1);
    let r = newbie.push_ok(&device, &[device.create(w.program, "visit", id2, data2)]).await;
    assert_rejected(&r[0], "forbidden");
    assert!(!w.office.pull_all(None).await.contains(id2));
    let newbie = w.login("newbie", "phone").await;
    assert_eq!(newbie.user["program_ids"], json!([]));
}

#[tokio::test]
async fn members_cross_organisations_only_by_agreement() {
    let w = fixture().await;
    let other_coach = w.other_coach.user_id();
    let path = format!("/api/v1/programs/{}/members", w.program);

    // Without an agreement: A's admin cannot add B's user, B's admin cannot
    // touch A's program; both 404.
    w.admin.post(&path, &json!({"user_id": other_coach})).await.expect_error(StatusCode::NOT_FOUND, "not_found");
    w.other_admin.post(&path, &json!({"user_id": other_coach})).await.expect_error(StatusCode::NOT_FOUND, "not_found");
    w.other_admin
        .delete(&format!("{path}/{}", w.coach.user_id()))
        .await
        .expect_error(StatusCode::NOT_FOUND, "not_found");
    // A's admin and B's program: 404 as well.
    w.admin
        .post(&format!("/api/v1/programs/{}/members", w.other_program), &json!({"user_id": w.coach.user_id()}))
        .await
        .expect_error(StatusCode::NOT_FOUND, "not_found");
    // Unknown user or program: 404.
    w.admin.post(&path, &json!({"user_id": Uuid::new_v4()})).await.expect_error(StatusCode::NOT_FOUND, "not_found");
    w.admin
        .post(&format!("/api/v1/programs/{}/members", Uuid::new_v4()), &json!({"user_id": w.coach.user_id()}))
        .await
        .expect_error(StatusCode::NOT_FOUND, "not_found");
    // Not an admin: 403.
    w.office
        .post(&path, &json!({"user_id": w.pedagogue.user_id()}))
        .await
        .expect_error(StatusCode::FORBIDDEN, "forbidden");
    w.office.delete(&format!("{path}/{}", w.coach.user_id())).await.expect_error(StatusCode::FORBIDDEN, "forbidden");
    // Nothing changed.
    let coach = w.login("coach", "check").await;
    assert_eq!(coach.user["program_ids"], json!([w.program]));
    let oc = w.login("other-coach", "check").await;
    assert_eq!(oc.user["program_ids"], json!([w.other_program]));
}

#[tokio::test]
async fn an_agreement_lets_the_partners_admin_add_their_users() {
    let w = fixture().await;
    let refs = w.seed(w.program).await;
    let path = format!("/api/v1/programs/{}/members", w.program);

    // Only the owner's admin creates it.
    let agreement = json!({"program_id": w.program, "partner_org_id": w.other_org});
    w.office.post("/api/v1/agreements", &agreement).await.expect_error(StatusCode::FORBIDDEN, "forbidden");
    let r = w
        .other_admin
        .post("/api/v1/agreements", &json!({"program_id": w.program, "partner_org_id": w.other_org}))
        .await;
    assert!(r.status == StatusCode::NOT_FOUND || r.status == StatusCode::FORBIDDEN, "{r}");
    w.admin
        .post("/api/v1/agreements", &json!({"program_id": w.other_program, "partner_org_id": w.org}))
        .await
        .expect_error(StatusCode::NOT_FOUND, "not_found");
    w.other_admin
        .post(&path, &json!({"user_id": w.other_coach.user_id()}))
        .await
        .expect_error(StatusCode::NOT_FOUND, "not_found");

    let r = w.admin.post("/api/v1/agreements", &agreement).await;
    let body = r.expect(StatusCode::CREATED).clone();
    let id = uuid_of(&body["id"]);
    assert_eq!(body, json!({"id": id, "program_id": w.program, "partner_org_id": w.other_org}), "{r}");
    w.admin.post("/api/v1/agreements", &agreement).await.expect_error(StatusCode::CONFLICT, "agreement_exists");

    // Now B's admin adds B's coach to A's program.
    w.other_admin.post(&path, &json!({"user_id": w.other_coach.user_id()})).await.expect(StatusCode::NO_CONTENT);
    let oc = w.login("other-coach", "phone").await;
    let mut expected = vec![w.program, w.other_program];
    expected.sort();
    assert_eq!(set_of(&oc.user["program_ids"]), expected, "{}", oc.user);
    let pulled = oc.pull_all(None).await;
    assert!(pulled.contains(refs.participant), "the partner's coach sees the shared program");
    let device = Device::new();
    let (note, data) = refs.sample("mentor_note", 0);
    oc.push_applied(&device, &[device.create(w.program, "mentor_note", note, data)]).await;
    let seen = w.office.pull_all(None).await;
    assert_eq!(uuid_of(&seen.record(note)["updated_by"]), oc.user_id());

    // B's admin still cannot add someone of A, nor a user to A's program2.
    w.other_admin
        .post(&format!("/api/v1/programs/{}/members", w.program2), &json!({"user_id": w.other_coach.user_id()}))
        .await
        .expect_error(StatusCode::NOT_FOUND, "not_found");

    // And B's admin can take the member out again.
    w.other_admin.delete(&format!("{path}/{}", w.other_coach.user_id())).await.expect(StatusCode::NO_CONTENT);
    let oc = w.login("other-coach", "phone").await;
    assert_eq!(oc.user["program_ids"], json!([w.other_program]));
}

#[tokio::test]
async fn agreement_input_is_validated() {
    let w = fixture().await;
    let r = w.admin.post("/api/v1/agreements", &json!({"program_id": w.program})).await;
    let msg = r.expect_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
    assert!(msg.contains("partner_org_id"), "{msg}");
    let r = w.admin.post("/api/v1/agreements", &json!({"program_id": "x", "partner_org_id": w.other_org})).await;
    let msg = r.expect_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
    assert!(msg.contains("program_id"), "{msg}");
    let r = w.admin.post("/api/v1/agreements", &json!({"program_id": new_id(), "partner_org_id": w.other_org})).await;
    r.expect_error(StatusCode::NOT_FOUND, "not_found");
}
