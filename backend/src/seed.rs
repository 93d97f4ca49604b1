//! The demo organisation that `cargo xtask run` starts with. DEMO ONLY: fixed,
//! printed passwords; never run this against a real database.

use std::fmt::Write;

use shared::Role;

use crate::auth::password;
use crate::store::{NewUser, Store, StoreError};

pub const DEMO_ORG: &str = "Demo kommun";
pub const DEMO_PROGRAM: &str = "Etableringsprogrammet (demo)";

/// (username, display name, role, password)
pub const DEMO_USERS: [(&str, &str, Role, &str); 4] = [
    ("admin", "Alva Admin", Role::Admin, "demo-admin-2026"),
    ("coach", "Kim Coach", Role::Coach, "demo-coach-2026"),
    ("pedagog", "Pia Pedagog", Role::Pedagogue, "demo-pedagog-2026"),
    ("office", "Olle Handläggare", Role::Office, "demo-office-2026"),
];

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("password hashing failed: {0}")]
    Hash(String),
}

/// Creates the demo organisation, program and users unless they exist, and
/// returns the text to print.
pub async fn seed_demo(store: &dyn Store) -> Result<String, SeedError> {
    let org = match store.org_by_name(DEMO_ORG).await? {
        Some(id) => id,
        None => store.create_org(DEMO_ORG).await?,
    };
    let programs = store.programs_of_org(org).await?;
    let program = match programs.into_iter().find(|p| p.name == DEMO_PROGRAM) {
        Some(p) => p,
        None => store.create_program(org, DEMO_PROGRAM).await?,
    };
    let mut out = String::new();
    let _ = writeln!(out, "DEMO ONLY: these logins are public. Organisation: {DEMO_ORG} ({org})");
    let (mut office, mut coach) = (None, None);
    for (username, display_name, role, pw) in DEMO_USERS {
        let user = match store.credentials(username).await? {
            Some(c) => c.user,
            None => {
                let password_hash = password::hash(pw.to_owned()).await.map_err(|e| SeedError::Hash(e.to_string()))?;
                let new = NewUser {
                    org_id: org,
                    username: username.to_owned(),
                    display_name: display_name.to_owned(),
                    role,
                    password_hash,
                };
                store.create_user(&new).await?
            }
        };
        store.add_member(program.id, user.id).await?;
        match role {
            Role::Office => office = Some(user.id),
            Role::Coach => coach = Some(user.id),
            _ => {}
        }
        let _ = writeln!(out, "  {:<10} {:<10} password: {pw}", role.as_str(), username);
    }
    if let (Some(office), Some(coach)) = (office, coach) {
        let written = crate::seed_records::seed_records(store, program.id, office, coach).await?;
        if written > 0 {
            let _ = writeln!(out, "  demo records written: {written} (participants, placements, attendance, …)");
        }
    }
    Ok(out)
}
