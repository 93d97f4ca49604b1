//! WebCrypto for the vault: PBKDF2-SHA-256 (600,000 iterations, random 16-byte salt)
//! derives a non-extractable AES-GCM-256 key-encryption key; a random AES-GCM-256 data
//! key is generated extractable only to be wrapped (`wrapKey`, raw, AES-GCM), and is
//! used in memory only as the **non-extractable** result of `unwrapKey`. `Vault::seal`
//! and `open` encrypt with a fresh 12-byte IV each time. Dropping the `Vault` drops
//! the key.

use js_sys::{Array, ArrayBuffer, Object, Reflect, Uint8Array};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CryptoKey, SubtleCrypto};

use crate::platform::{AppError, await_promise, random_bytes};

/// PBKDF2 iterations for new vaults (OWASP 2023 for PBKDF2-HMAC-SHA256).
pub const PBKDF2_ITERATIONS: u32 = 600_000;
/// Salt length in bytes.
pub const SALT_LEN: usize = 16;
/// AES-GCM IV length in bytes.
pub const IV_LEN: usize = 12;

/// What is stored (in clear) to reopen the vault with the password.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VaultHeader {
    pub salt: Vec<u8>,
    pub iterations: u32,
    /// The data key, AES-GCM-encrypted under the password-derived key.
    pub wrapped_key: Vec<u8>,
    /// The IV used to wrap it.
    pub wrap_iv: Vec<u8>,
}

/// An encrypted value: IV and AES-GCM ciphertext (with its tag).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sealed {
    pub iv: [u8; IV_LEN],
    pub ct: Vec<u8>,
}

impl Sealed {
    /// `iv || ct`, the stored form.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(IV_LEN + self.ct.len());
        bytes.extend_from_slice(&self.iv);
        bytes.extend_from_slice(&self.ct);
        bytes
    }

    /// Reads the stored form.
    pub fn from_bytes(bytes: &[u8]) -> Result<Sealed, AppError> {
        if bytes.len() < IV_LEN + 16 {
            return Err(AppError::Crypto("sealed value too short".into()));
        }
        let (iv, ct) = bytes.split_at(IV_LEN);
        let mut fixed = [0u8; IV_LEN];
        fixed.copy_from_slice(iv);
        Ok(Sealed { iv: fixed, ct: ct.to_vec() })
    }
}

/// The unlocked data key. Cheap to clone (a JS handle).
#[derive(Clone, Debug)]
pub struct Vault {
    key: CryptoKey,
}

fn subtle() -> Result<SubtleCrypto, AppError> {
    let window = web_sys::window().ok_or_else(|| AppError::Crypto("no window".into()))?;
    let crypto = window.crypto().map_err(|e| AppError::browser("crypto", &e))?;
    Ok(crypto.subtle())
}

/// SHA-256 of `bytes`, in lower-case hex (the content check in settings).
pub async fn sha256_hex(bytes: &[u8]) -> Result<String, AppError> {
    let digest = call(subtle()?.digest_with_str_and_u8_array("SHA-256", bytes), "digest").await?;
    Ok(bytes_of(digest, "digest")?.iter().map(|b| format!("{b:02x}")).collect())
}

fn object(entries: &[(&str, JsValue)]) -> Result<Object, AppError> {
    let object = Object::new();
    for (key, value) in entries {
        Reflect::set(&object, &JsValue::from_str(key), value).map_err(|e| AppError::browser("Reflect.set", &e))?;
    }
    Ok(object)
}

fn usages(names: &[&str]) -> JsValue {
    names.iter().map(|n| JsValue::from_str(n)).collect::<Array>().into()
}

fn aes_gcm(iv: &[u8]) -> Result<Object, AppError> {
    object(&[("name", "AES-GCM".into()), ("iv", Uint8Array::from(iv).into())])
}

fn aes_key_algorithm() -> Result<Object, AppError> {
    object(&[("name", "AES-GCM".into()), ("length", 256.into())])
}

fn crypto_error(context: &str) -> impl Fn(JsValue) -> AppError + '_ {
    move |e| AppError::Crypto(format!("{context}: {}", crate::platform::error::js_message(&e)))
}

async fn call(promise: Result<js_sys::Promise, JsValue>, context: &str) -> Result<JsValue, AppError> {
    let promise = promise.map_err(crypto_error(context))?;
    wasm_bindgen_futures::JsFuture::from(promise).await.map_err(crypto_error(context))
}

fn bytes_of(value: JsValue, context: &str) -> Result<Vec<u8>, AppError> {
    let buffer: ArrayBuffer = value.dyn_into().map_err(|_| AppError::Crypto(format!("{context}: not bytes")))?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

fn key_of(value: JsValue, context: &str) -> Result<CryptoKey, AppError> {
    value.dyn_into().map_err(|_| AppError::Crypto(format!("{context}: not a key")))
}

/// The key-encryption key derived from the password (non-extractable, wrap/unwrap only).
async fn derive_kek(
    subtle: &SubtleCrypto,
    password: &str,
    salt: &[u8],
    iterations: u32,
) -> Result<CryptoKey, AppError> {
    let raw = Uint8Array::from(password.as_bytes());
    let base =
        call(subtle.import_key_with_str("raw", &raw, "PBKDF2", false, &usages(&["deriveKey"])), "importKey PBKDF2")
            .await?;
    let base = key_of(base, "importKey PBKDF2")?;
    let params = object(&[
        ("name", "PBKDF2".into()),
        ("salt", Uint8Array::from(salt).into()),
        ("iterations", iterations.into()),
        ("hash", "SHA-256".into()),
    ])?;
    let kek = call(
        subtle.derive_key_with_object_and_object(
            &params,
            &base,
            &aes_key_algorithm()?,
            false,
            &usages(&["wrapKey", "unwrapKey"]),
        ),
        "deriveKey",
    )
    .await?;
    key_of(kek, "deriveKey")
}

/// Unwraps the data key as non-extractable. A failing AES-GCM check means a wrong password.
async fn unwrap_data_key(subtle: &SubtleCrypto, kek: &CryptoKey, header: &VaultHeader) -> Result<CryptoKey, AppError> {
    let wrapped = Uint8Array::from(header.wrapped_key.as_slice());
    let promise = subtle
        .unwrap_key_with_js_u8_array_and_object_and_object(
            "raw",
            &wrapped,
            kek,
            &aes_gcm(&header.wrap_iv)?,
            &object(&[("name", "AES-GCM".into())])?,
            false,
            &usages(&["encrypt", "decrypt"]),
        )
        .map_err(crypto_error("unwrapKey"))?;
    match await_promise(promise, "unwrapKey").await {
        Ok(key) => key_of(key, "unwrapKey"),
        // OperationError: the tag did not verify, i.e. the derived key is not the one that wrapped.
        Err(AppError::Browser(message)) if message.contains("OperationError") => Err(AppError::WrongPassword),
        Err(AppError::Browser(message)) => Err(AppError::Crypto(message)),
        Err(other) => Err(other),
    }
}

impl Vault {
    /// A new vault for `password`: random salt and data key. Returns the unlocked vault
    /// and the header to store.
    pub async fn create(password: &str) -> Result<(Vault, VaultHeader), AppError> {
        Self::create_with_iterations(password, PBKDF2_ITERATIONS).await
    }

    /// As `create` with another iteration count (tests only; the app always uses 600,000).
    pub async fn create_with_iterations(password: &str, iterations: u32) -> Result<(Vault, VaultHeader), AppError> {
        let subtle = subtle()?;
        let salt = random_bytes::<SALT_LEN>()?.to_vec();
        let kek = derive_kek(&subtle, password, &salt, iterations).await?;
        // Extractable only so it can be wrapped; this handle is dropped right after.
        let data_key = call(
            subtle.generate_key_with_object(&aes_key_algorithm()?, true, &usages(&["encrypt", "decrypt"])),
            "generateKey",
        )
        .await?;
        let data_key = key_of(data_key, "generateKey")?;
        let wrap_iv = random_bytes::<IV_LEN>()?.to_vec();
        let wrapped = call(subtle.wrap_key_with_object("raw", &data_key, &kek, &aes_gcm(&wrap_iv)?), "wrapKey").await?;
        let header = VaultHeader { salt, iterations, wrapped_key: bytes_of(wrapped, "wrapKey")?, wrap_iv };
        drop(data_key);
        let key = unwrap_data_key(&subtle, &kek, &header).await?;
        Ok((Vault { key }, header))
    }

    /// Opens the vault with `password`; `AppError::WrongPassword` if it does not fit.
    pub async fn unlock(password: &str, header: &VaultHeader) -> Result<Vault, AppError> {
        let subtle = subtle()?;
        let kek = derive_kek(&subtle, password, &header.salt, header.iterations).await?;
        let key = unwrap_data_key(&subtle, &kek, header).await?;
        Ok(Vault { key })
    }

    /// Whether the in-memory key can be exported (it never can: tests check this).
    pub fn key_is_extractable(&self) -> bool {
        self.key.extractable()
    }

    /// Encrypts `plain` with a fresh random IV.
    pub async fn seal(&self, plain: &[u8]) -> Result<Sealed, AppError> {
        let subtle = subtle()?;
        let iv = random_bytes::<IV_LEN>()?;
        let ct = call(subtle.encrypt_with_object_and_u8_array(&aes_gcm(&iv)?, &self.key, plain), "encrypt").await?;
        Ok(Sealed { iv, ct: bytes_of(ct, "encrypt")? })
    }

    /// Decrypts and authenticates a sealed value.
    pub async fn open(&self, sealed: &Sealed) -> Result<Vec<u8>, AppError> {
        let subtle = subtle()?;
        let plain =
            call(subtle.decrypt_with_object_and_u8_array(&aes_gcm(&sealed.iv)?, &self.key, &sealed.ct), "decrypt")
                .await?;
        bytes_of(plain, "decrypt")
    }

    /// Seals the JSON of `value`.
    pub async fn seal_json<T: Serialize + ?Sized>(&self, value: &T) -> Result<Sealed, AppError> {
        let json = serde_json::to_vec(value).map_err(|e| AppError::Crypto(format!("serialize: {e}")))?;
        self.seal(&json).await
    }

    /// Opens a sealed JSON value. Read as text with `serde_json::from_str`, the one JSON
    /// reader the app links (gloo's `Response::json` uses it too): a second reader
    /// (`from_slice`) would compile every deserializer twice (issue 6, wasm size).
    pub async fn open_json<T: DeserializeOwned>(&self, sealed: &Sealed) -> Result<T, AppError> {
        let plain = self.open(sealed).await?;
        let text = std::str::from_utf8(&plain).map_err(|e| AppError::Crypto(format!("deserialize: {e}")))?;
        serde_json::from_str(text).map_err(|e| AppError::Crypto(format!("deserialize: {e}")))
    }
}
