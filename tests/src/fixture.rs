//! The standard world of a test: a server on a fresh database; organisation
//! A ("Haninge") with an admin bootstrapped by the CLI, two programs and a
//! coach, a pedagogue and an office user; organisation B ("Tyresö") with its
//! own admin, program, coach and office user, for the walls between them.
#![allow(clippy::unwrap_used)]

use reqwest::StatusCode;
use serde_json::json;
use uuid::Uuid;

use crate::api::{Api, uuid_of};
use crate::mutation::Device;
use crate::records::{self, Refs};
use crate::server::Server;

/// Every fixture user's password (at least 10 characters).
pub const PASSWORD: &str = "correct horse battery";

/// Two organisations and their people; see the module doc.
///
/// Memberships: `program` has admin, coach, pedagogue, office; `program2`
/// (same org) has admin and office only; `other_program` (org B) has
/// other_admin, other_coach, other_office.
pub struct World {
    pub server: Server,
    pub org: Uuid,
    pub admin: Api,
    pub program: Uuid,
    pub program2: Uuid,
    pub coach: Api,
    pub pedagogue: Api,
    pub office: Api,
    pub other_org: Uuid,
    pub other_admin: Api,
    pub other_program: Uuid,
    pub other_coach: Api,
    pub other_office: Api,
}

/// Start a server and build the [`World`].
pub async fn fixture() -> World {
    let server = Server::start().await;
    let base = server.base_url().to_owned();

    let org = server.create_org("Haninge kommun").await;
    server.create_admin(org, "admin", PASSWORD).await;
    let other_org = server.create_org("Tyresö kommun").await;
    server.create_admin(other_org, "other-admin", PASSWORD).await;

    let (admin, other_admin) = futures::join!(
        Api::login(&base, "admin", PASSWORD, "admin laptop"),
        Api::login(&base, "other-admin", PASSWORD, "admin laptop"),
    );

    let program = create_program(&admin, org, "Etableringscentrum").await;
    let program2 = create_program(&admin, org, "Arbetsmarknadsenheten").await;
    let other_program = create_program(&other_admin, other_org, "Etableringslyftet").await;
    add_member(&admin, program, admin.user_id()).await;
    add_member(&admin, program2, admin.user_id()).await;
    add_member(&other_admin, other_program, other_admin.user_id()).await;

    create_user(&admin, "coach", "coach", &[program]).await;
    create_user(&admin, "pedagogue", "pedagogue", &[program]).await;
    create_user(&admin, "office", "office", &[program, program2]).await;
    create_user(&other_admin, "other-coach", "coach", &[other_program]).await;
    create_user(&other_admin, "other-office", "office", &[other_program]).await;

    let (coach, pedagogue, office, other_coach, other_office) = futures::join!(
        Api::login(&base, "coach", PASSWORD, "coach phone"),
        Api::login(&base, "pedagogue", PASSWORD, "pedagogue phone"),
        Api::login(&base, "office", PASSWORD, "office desktop"),
        Api::login(&base, "other-coach", PASSWORD, "coach phone"),
        Api::login(&base, "other-office", PASSWORD, "office desktop"),
    );

    World {
        server,
        org,
        admin,
        program,
        program2,
        coach,
        pedagogue,
        office,
        other_org,
        other_admin,
        other_program,
        other_coach,
        other_office,
    }
}

/// `POST /api/v1/programs` as `admin` (must be 201); the new program id.
pub async fn create_program(admin: &Api, org: Uuid, name: &str) -> Uuid {
    let r = admin.post("/api/v1/programs", &json!({"name": name, "org_id": org})).await;
    uuid_of(&r.expect(StatusCode::CREATED)["id"])
}

/// `POST /api/v1/users` as `admin` (must be 201) with [`PASSWORD`]; the new
/// user id. The display name is derived from the username.
pub async fn create_user(admin: &Api, username: &str, role: &str, programs: &[Uuid]) -> Uuid {
    let r = admin
        .post(
            "/api/v1/users",
            &json!({
                "username": username,
                "password": PASSWORD,
                "display_name": display_name(username),
                "role": role,
                "program_ids": programs,
            }),
        )
        .await;
    uuid_of(&r.expect(StatusCode::CREATED)["id"])
}

/// The display name the fixture gives `username`.
pub fn display_name(username: &str) -> String {
    format!("{username} (test)")
}

/// `POST /api/v1/programs/{id}/members` (must be 204).
pub async fn add_member(admin: &Api, program: Uuid, user: Uuid) {
    let r = admin.post(&format!("/api/v1/programs/{program}/members"), &json!({"user_id": user})).await;
    r.expect(StatusCode::NO_CONTENT);
}

/// `DELETE /api/v1/programs/{id}/members/{user_id}` (must be 204).
pub async fn remove_member(admin: &Api, program: Uuid, user: Uuid) {
    let r = admin.delete(&format!("/api/v1/programs/{program}/members/{user}")).await;
    r.expect(StatusCode::NO_CONTENT);
}

impl World {
    pub fn base_url(&self) -> &str {
        self.server.base_url()
    }

    /// A client with no token.
    pub fn anon(&self) -> Api {
        Api::anonymous(self.server.base_url())
    }

    /// A new session of a fixture user (password [`PASSWORD`]).
    pub async fn login(&self, username: &str, device_name: &str) -> Api {
        Api::login(self.server.base_url(), username, PASSWORD, device_name).await
    }

    /// Push a participant, a site and a placement into `program` as `api`
    /// (which must be allowed to), for other records to reference.
    pub async fn seed_with(&self, api: &Api, program: Uuid) -> Refs {
        let device = Device::new();
        let (participant, site, placement) = (records::new_id(), records::new_id(), records::new_id());
        api.push_applied(
            &device,
            &[
                device.create(program, "participant", participant, records::participant()),
                device.create(program, "site", site, records::site()),
                device.create(program, "placement", placement, records::placement(participant, site)),
            ],
        )
        .await;
        Refs { program, participant, site, placement }
    }

    /// [`World::seed_with`] as the office user of organisation A (member of
    /// `program` and `program2`), or B's office for `other_program`.
    pub async fn seed(&self, program: Uuid) -> Refs {
        if program == self.other_program {
            self.seed_with(&self.other_office, program).await
        } else {
            self.seed_with(&self.office, program).await
        }
    }

    /// SIGKILL the server, start it again on the same database, and point
    /// every client of the world at its new address.
    pub async fn restart(&mut self) {
        self.server.restart().await;
        self.rebase();
    }

    /// Point every client at the server's current address.
    pub fn rebase(&mut self) {
        let base = self.server.base_url().to_owned();
        for api in [
            &mut self.admin,
            &mut self.coach,
            &mut self.pedagogue,
            &mut self.office,
            &mut self.other_admin,
            &mut self.other_coach,
            &mut self.other_office,
        ] {
            api.set_base_url(&base);
        }
    }
}
