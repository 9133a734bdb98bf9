//! Random ids and codes, keyed hashes and password hashing, all from audited crates.

use argon2::{
    Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version,
    password_hash::SaltString,
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use rand::{Rng, RngCore, rngs::OsRng};
use sha2::Sha256;
use std::sync::OnceLock;

type HmacSha256 = Hmac<Sha256>;

/// A 256-bit random identifier (sessions, flows), base64url without padding.
pub fn random_id() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A 128-bit random identifier for things that are not secrets (citizens, events).
pub fn random_short_id() -> String {
    let mut bytes = [0u8; 16];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A uniformly random 6-digit code from the OS CSPRNG.
pub fn random_code() -> String {
    format!("{:06}", OsRng.gen_range(0..1_000_000u32))
}

/// A uniformly random number in `range`, from the OS CSPRNG.
pub fn random_in(range: std::ops::RangeInclusive<u32>) -> u32 {
    OsRng.gen_range(range)
}

fn mac(key: &[u8; 32], context: &str, value: &str) -> HmacSha256 {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = match HmacSha256::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC takes any key length"),
    };
    mac.update(context.as_bytes());
    mac.update(&[0]);
    mac.update(value.as_bytes());
    mac
}

/// HMAC-SHA256 of `value` in a `context`, base64url: what is stored instead of a code or an id.
pub fn keyed_hash(key: &[u8; 32], context: &str, value: &str) -> String {
    URL_SAFE_NO_PAD.encode(mac(key, context, value).finalize().into_bytes())
}

/// The first 32 characters of [`keyed_hash`]: what the windowed counters and indexes put in a
/// partition key in place of an address or a username (192 bits, short keys).
pub fn short_keyed_hash(key: &[u8; 32], context: &str, value: &str) -> String {
    let mut hashed = keyed_hash(key, context, value);
    hashed.truncate(32);
    hashed
}

/// Whether `value` hashes to `stored`, compared in constant time.
pub fn keyed_hash_matches(key: &[u8; 32], context: &str, value: &str, stored: &str) -> bool {
    match URL_SAFE_NO_PAD.decode(stored) {
        Ok(expected) => mac(key, context, value).verify_slice(&expected).is_ok(),
        Err(_) => false,
    }
}

/// The password hash's parameters (shared/ARCHITECTURE.md §6): m = 19 MiB, t = 2, p = 1.
pub fn password_params() -> Params {
    match Params::new(19 * 1024, 2, 1, None) {
        Ok(params) => params,
        Err(_) => unreachable!("the argon2 parameters are constants within range"),
    }
}

fn argon2() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, password_params())
}

/// A password could not be hashed (only on an exhausted system).
#[derive(Debug, thiserror::Error)]
#[error("password hashing failed")]
pub struct PasswordHashError;

/// Hashes a password to a PHC string with a fresh salt.
pub fn hash_password(password: &str) -> Result<String, PasswordHashError> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|_| PasswordHashError)
}

/// Verifies a password against a PHC string; a malformed stored hash never matches.
pub fn verify_password(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// Spends the same time as a real verification, for usernames that do not exist.
pub fn verify_password_of_nobody(password: &str) {
    static DUMMY: OnceLock<Option<String>> = OnceLock::new();
    if let Some(phc) = DUMMY.get_or_init(|| hash_password("not anybody's password").ok()) {
        let _ = verify_password(password, phc);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_digits_and_vary() {
        let codes: Vec<String> = (0..50).map(|_| random_code()).collect();
        assert!(
            codes
                .iter()
                .all(|c| c.len() == 6 && c.bytes().all(|b| b.is_ascii_digit()))
        );
        let distinct: std::collections::HashSet<_> = codes.iter().collect();
        assert!(distinct.len() > 40, "50 random codes should rarely collide");
    }

    #[test]
    fn ids_carry_256_bits() {
        let id = random_id();
        assert_eq!(URL_SAFE_NO_PAD.decode(&id).expect("base64url").len(), 32);
        assert_ne!(id, random_id());
    }

    #[test]
    fn keyed_hash_matches_only_the_same_value_key_and_context() {
        let key = [3u8; 32];
        let stored = keyed_hash(&key, "code", "123456");
        assert!(keyed_hash_matches(&key, "code", "123456", &stored));
        assert!(!keyed_hash_matches(&key, "code", "123457", &stored));
        assert!(!keyed_hash_matches(&key, "session", "123456", &stored));
        assert!(!keyed_hash_matches(&[4u8; 32], "code", "123456", &stored));
        assert!(!keyed_hash_matches(&key, "code", "123456", "%%%"));
        assert!(!stored.contains("123456"));
    }

    #[test]
    fn passwords_hash_with_the_design_parameters() {
        let phc = hash_password("correct horse").expect("hash");
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(verify_password("correct horse", &phc));
        assert!(!verify_password("Correct horse", &phc));
        assert!(!verify_password("correct horse", "garbage"));
    }
}
