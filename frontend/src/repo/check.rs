//! "Check local data": the count and SHA-256 of the records this device
//! holds, decrypted, in `shared::check`'s form, which the server's copy can
//! be compared with (support, and `cargo xtask bench`'s checks).

use shared::check::content_text;

use super::{RecordPayload, Repo};
use crate::crypto::{self, Sealed};
use crate::platform::AppError;

/// What the check found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContentCheck {
    pub records: usize,
    pub sha256: String,
}

impl Repo {
    /// Opens every stored record and hashes the check text of their data.
    pub async fn content_check(&self) -> Result<ContentCheck, AppError> {
        let vault = self.vault()?;
        let rows = self.inner.db.records().await?;
        let opened = futures::future::join_all(rows.iter().map(|row| {
            let vault = vault.clone();
            async move { vault.open_json::<RecordPayload>(&Sealed::from_bytes(&row.sealed)?).await }
        }))
        .await;
        let mut data = Vec::with_capacity(opened.len());
        for (row, payload) in rows.iter().zip(opened) {
            data.push((row.id, payload?.data));
        }
        let text = content_text(data.iter().map(|(id, value)| (*id, value)));
        Ok(ContentCheck { records: data.len(), sha256: crypto::sha256_hex(text.as_bytes()).await? })
    }
}
