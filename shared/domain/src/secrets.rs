//! The `Secrets` port: the keys the service hashes, signs and encrypts with.

use base64::{Engine, engine::general_purpose::STANDARD};
use hkdf::Hkdf;
use rand::RngCore;
use sha2::Sha256;

/// What a derived key is used for; each purpose gets its own key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyPurpose {
    /// Keyed hashes of codes (registration, login, e-mail change, token card).
    CodeHash,
    /// Keyed hashes of session and flow ids before they are stored.
    SessionHash,
    /// Signing CSRF tokens.
    Csrf,
    /// Keyed hashes of usernames and addresses in rate-limit keys.
    ThrottleHash,
    /// Encrypting TOTP secrets at rest.
    TotpEncryption,
    /// Keyed hashes of identity numbers (the national register number), kept instead of them.
    IdentityHash,
}

impl KeyPurpose {
    /// Every purpose, in the order of the derived keys a [`MasterSecret`] keeps.
    pub const ALL: [KeyPurpose; 6] = [
        KeyPurpose::CodeHash,
        KeyPurpose::SessionHash,
        KeyPurpose::Csrf,
        KeyPurpose::ThrottleHash,
        KeyPurpose::TotpEncryption,
        KeyPurpose::IdentityHash,
    ];

    fn label(self) -> &'static [u8] {
        match self {
            KeyPurpose::CodeHash => b"digital-keys/code-hash/v1",
            KeyPurpose::SessionHash => b"digital-keys/session-hash/v1",
            KeyPurpose::Csrf => b"digital-keys/csrf/v1",
            KeyPurpose::ThrottleHash => b"digital-keys/throttle-hash/v1",
            KeyPurpose::TotpEncryption => b"digital-keys/totp-encryption/v1",
            KeyPurpose::IdentityHash => b"digital-keys/identity-hash/v1",
        }
    }
}

/// Hands out a 256-bit key per purpose.
pub trait Secrets: Send + Sync {
    fn key(&self, purpose: KeyPurpose) -> [u8; 32];
}

/// Keys derived with HKDF-SHA256 from one 32-byte master secret.
pub struct MasterSecret {
    /// One key per purpose, derived once when the secret is read (a request asks for several).
    derived: [[u8; 32]; KeyPurpose::ALL.len()],
}

/// The key of `purpose` under `master`: HKDF-SHA256 with the purpose's label.
fn derive(master: &[u8; 32], purpose: KeyPurpose) -> [u8; 32] {
    let hk = Hkdf::<Sha256>::new(None, master);
    let mut out = [0u8; 32];
    // 32 bytes is far below HKDF-SHA256's 8160-byte limit, so expand cannot fail.
    if hk.expand(purpose.label(), &mut out).is_err() {
        unreachable!("HKDF output length is fixed and valid");
    }
    out
}

/// The master secret was not 32 bytes of base64.
#[derive(Debug, thiserror::Error)]
#[error("MASTER_SECRET must be 32 bytes, base64-encoded")]
pub struct BadMasterSecret;

impl MasterSecret {
    pub fn new(master: [u8; 32]) -> Self {
        Self {
            derived: KeyPurpose::ALL.map(|purpose| derive(&master, purpose)),
        }
    }

    /// A fresh random master secret: fine for the in-memory local runner, whose data dies with it.
    pub fn random() -> Self {
        let mut master = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut master);
        Self::new(master)
    }

    pub fn from_base64(text: &str) -> Result<Self, BadMasterSecret> {
        let bytes = STANDARD.decode(text.trim()).map_err(|_| BadMasterSecret)?;
        let master: [u8; 32] = bytes.try_into().map_err(|_| BadMasterSecret)?;
        Ok(Self::new(master))
    }
}

impl Secrets for MasterSecret {
    fn key(&self, purpose: KeyPurpose) -> [u8; 32] {
        let at = KeyPurpose::ALL
            .iter()
            .position(|p| *p == purpose)
            .unwrap_or_default();
        self.derived[at]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_purpose_has_its_own_stable_key() {
        let a = MasterSecret::new([7; 32]);
        let b = MasterSecret::new([7; 32]);
        assert_eq!(a.key(KeyPurpose::Csrf), b.key(KeyPurpose::Csrf));
        assert_ne!(a.key(KeyPurpose::Csrf), a.key(KeyPurpose::CodeHash));
        assert_ne!(
            a.key(KeyPurpose::Csrf),
            MasterSecret::new([8; 32]).key(KeyPurpose::Csrf)
        );
        // Kept as derived: HKDF-SHA256 of the master with the purpose's label.
        for purpose in KeyPurpose::ALL {
            assert_eq!(a.key(purpose), derive(&[7; 32], purpose));
        }
        let distinct: std::collections::HashSet<[u8; 32]> =
            KeyPurpose::ALL.iter().map(|p| a.key(*p)).collect();
        assert_eq!(distinct.len(), KeyPurpose::ALL.len());
    }

    #[test]
    fn master_secret_must_be_32_bytes_of_base64() {
        assert!(MasterSecret::from_base64(&STANDARD.encode([1u8; 32])).is_ok());
        assert!(MasterSecret::from_base64(&STANDARD.encode([1u8; 16])).is_err());
        assert!(MasterSecret::from_base64("not base64!").is_err());
    }
}
