//! Roles and what each may write (API.md, "Roles").

use serde::{Deserialize, Serialize};

use crate::records::Kind;

/// A user's role within their organisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Coach,
    Pedagogue,
    Office,
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Coach, Role::Pedagogue, Role::Office, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Coach => "coach",
            Role::Pedagogue => "pedagogue",
            Role::Office => "office",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Whether this role may create, change or delete records of `kind`.
    pub fn may_write(self, kind: Kind) -> bool {
        match self {
            Role::Office | Role::Admin => true,
            Role::Coach => !matches!(kind, Kind::Lesson | Kind::FollowUp),
            Role::Pedagogue => matches!(kind, Kind::Lesson | Kind::MentorNote),
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_rights_follow_the_contract() {
        for kind in Kind::ALL {
            assert!(Role::Office.may_write(kind));
            assert!(Role::Admin.may_write(kind));
            assert_eq!(Role::Coach.may_write(kind), !matches!(kind, Kind::Lesson | Kind::FollowUp));
            assert_eq!(Role::Pedagogue.may_write(kind), matches!(kind, Kind::Lesson | Kind::MentorNote));
        }
    }

    #[test]
    fn parses_its_own_names() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("superuser"), None);
    }
}
