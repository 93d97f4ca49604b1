//! Password hashing with argon2id (the crate's defaults: 19 MiB, 2 passes).
//! Hashing runs on the blocking pool so it never stalls the async workers.

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

/// Shortest password accepted for a new user.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// Longest password accepted (argon2 takes any length; this bounds the work).
pub const MAX_PASSWORD_CHARS: usize = 1024;

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("hashing failed: {0}")]
    Hash(String),
    #[error("the hashing task failed: {0}")]
    Task(String),
}

/// Checks the length rules; the message names the problem for the `password` field.
pub fn check_new_password(password: &str) -> Result<(), String> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        return Err(format!("must be at least {MIN_PASSWORD_CHARS} characters"));
    }
    if n > MAX_PASSWORD_CHARS {
        return Err(format!("must be at most {MAX_PASSWORD_CHARS} characters"));
    }
    Ok(())
}

pub async fn hash(password: String) -> Result<String, PasswordError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| PasswordError::Hash(e.to_string()))
    })
    .await
    .map_err(|e| PasswordError::Task(e.to_string()))?
}

/// Whether `password` matches `phc`. A malformed stored hash never matches.
pub async fn verify(password: String, phc: String) -> Result<bool, PasswordError> {
    tokio::task::spawn_blocking(move || {
        let Ok(parsed) = PasswordHash::new(&phc) else {
            return false;
        };
        Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok()
    })
    .await
    .map_err(|e| PasswordError::Task(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_differ() {
        let a = hash("correct horse battery".into()).await.ok().unwrap_or_default();
        let b = hash("correct horse battery".into()).await.ok().unwrap_or_default();
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b, "salted");
        assert!(verify("correct horse battery".into(), a.clone()).await.unwrap_or(false));
        assert!(!verify("wrong".into(), a).await.unwrap_or(true));
        assert!(!verify("x".into(), "not a hash".into()).await.unwrap_or(true));
    }

    #[test]
    fn length_rules() {
        assert!(check_new_password("short").is_err());
        assert!(check_new_password("long enough!").is_ok());
    }
}
