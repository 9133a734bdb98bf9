//! Password hashes the old system left behind (argon2i, bcrypt, pbkdf2-sha256, scrypt, argon2id with other parameters): recognise and verify them.
//!
//! An import keeps each citizen's hash as the old system wrote it (a PHC string, or bcrypt's
//! modular crypt string). The login path checks a legacy hash with [`verify_legacy`] and, after a
//! successful login, rehashes the password to the service's argon2id ([`is_current`] tells which
//! hashes are already that). Each format is verified by its RustCrypto or bcrypt crate; nothing
//! here hashes by hand.
//!
//! Every check here costs what the hash's own parameters say, so a stored hash could make one
//! login arbitrarily expensive. Parameters above the bounds below are therefore not recognised:
//! the import refuses such a row and `verify_legacy` answers `None` for it.
//!
//! The checks are CPU-bound (tens to hundreds of milliseconds): call them off the async threads
//! (`tokio::task::spawn_blocking`), as `Citizen::password_matches` does for argon2id.

use argon2::password_hash::{PasswordHash, PasswordVerifier};
use std::str::FromStr;

/// The service's own argon2id parameters (shared/ARCHITECTURE.md §6): m = 19 MiB, t = 2, p = 1.
const CURRENT_M_KIB: u32 = 19 * 1024;
const CURRENT_T: u32 = 2;
const CURRENT_P: u32 = 1;

/// Largest argon2 memory accepted from the old system, in KiB (256 MiB).
const MAX_ARGON2_M_KIB: u32 = 256 * 1024;
/// Largest argon2 time cost accepted from the old system.
const MAX_ARGON2_T: u32 = 16;
/// Largest argon2 parallelism accepted from the old system.
const MAX_ARGON2_P: u32 = 8;
/// Largest bcrypt cost accepted (2^14 rounds: about a second on one core).
const MAX_BCRYPT_COST: u32 = 14;
/// Largest PBKDF2 iteration count accepted.
const MAX_PBKDF2_ROUNDS: u32 = 2_000_000;
/// Largest scrypt memory accepted (128 · r · 2^ln bytes), 256 MiB.
const MAX_SCRYPT_BYTES: u64 = 256 * 1024 * 1024;
/// Largest scrypt parallelism accepted (this crate runs the lanes one after another).
const MAX_SCRYPT_P: u32 = 4;

/// The kind of a stored password hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HashFormat {
    /// argon2id with the service's parameters: nothing to migrate.
    Current,
    /// argon2id with other parameters (rehashed after the next login).
    Argon2idOther,
    Argon2i,
    Bcrypt,
    Pbkdf2Sha256,
    Scrypt,
}

impl HashFormat {
    /// A short name for reports (never the hash itself).
    pub fn name(self) -> &'static str {
        match self {
            HashFormat::Current => "argon2id",
            HashFormat::Argon2idOther => "argon2id-legacy-params",
            HashFormat::Argon2i => "argon2i",
            HashFormat::Bcrypt => "bcrypt",
            HashFormat::Pbkdf2Sha256 => "pbkdf2-sha256",
            HashFormat::Scrypt => "scrypt",
        }
    }
}

/// What kind of hash `phc` is, or `None` when it is none the service can verify (an unknown
/// algorithm, a malformed string, or parameters beyond the bounds above).
pub fn format_of(phc: &str) -> Option<HashFormat> {
    let phc = phc.trim();
    if phc.starts_with("$2") {
        return bcrypt_cost(phc).map(|_| HashFormat::Bcrypt);
    }
    let parsed = PasswordHash::new(phc).ok()?;
    parsed.salt?;
    parsed.hash?;
    match parsed.algorithm.as_str() {
        "argon2id" | "argon2i" => {
            let params = argon2::Params::try_from(&parsed).ok()?;
            let version = parsed.version.unwrap_or(0x13);
            if version != 0x13 && version != 0x10 {
                return None;
            }
            if params.m_cost() > MAX_ARGON2_M_KIB
                || params.t_cost() > MAX_ARGON2_T
                || params.p_cost() > MAX_ARGON2_P
            {
                return None;
            }
            if parsed.algorithm.as_str() == "argon2i" {
                Some(HashFormat::Argon2i)
            } else if version == 0x13
                && params.m_cost() == CURRENT_M_KIB
                && params.t_cost() == CURRENT_T
                && params.p_cost() == CURRENT_P
            {
                Some(HashFormat::Current)
            } else {
                Some(HashFormat::Argon2idOther)
            }
        }
        "pbkdf2-sha256" => {
            let params = pbkdf2::Params::try_from(&parsed).ok()?;
            (params.rounds >= 1 && params.rounds <= MAX_PBKDF2_ROUNDS)
                .then_some(HashFormat::Pbkdf2Sha256)
        }
        "scrypt" => {
            let params = scrypt::Params::try_from(&parsed).ok()?;
            let bytes = 128u64
                .checked_mul(u64::from(params.r()))?
                .checked_mul(1u64.checked_shl(u32::from(params.log_n()))?)?;
            (bytes <= MAX_SCRYPT_BYTES && params.p() <= MAX_SCRYPT_P).then_some(HashFormat::Scrypt)
        }
        _ => None,
    }
}

/// bcrypt's cost, for `$2a$`, `$2b$` and `$2y$` strings within bounds (`$2x$`, crypt_blowfish's
/// buggy variant, is not recognised: its hashes of non-ASCII passwords differ).
fn bcrypt_cost(phc: &str) -> Option<u32> {
    if !(phc.starts_with("$2a$") || phc.starts_with("$2b$") || phc.starts_with("$2y$")) {
        return None;
    }
    let parts = bcrypt::HashParts::from_str(phc).ok()?;
    let cost = parts.get_cost();
    (4..=MAX_BCRYPT_COST).contains(&cost).then_some(cost)
}

/// Whether `phc` is argon2id with the service's parameters (m=19456, t=2, p=1): no rehash needed.
pub fn is_current(phc: &str) -> bool {
    format_of(phc) == Some(HashFormat::Current)
}

/// Whether the service can verify `phc`: its own argon2id or one of the legacy formats. What an
/// import checks before it accepts a row.
pub fn recognised(phc: &str) -> bool {
    format_of(phc).is_some()
}

/// Checks `password` against a legacy hash. `None` when `phc` is not a legacy format (the
/// service's own argon2id, which `crypto::verify_password` checks, or anything unrecognised);
/// otherwise whether the password matches (compared in constant time by the format's crate).
pub fn verify_legacy(password: &str, phc: &str) -> Option<bool> {
    let phc = phc.trim();
    let format = format_of(phc)?;
    match format {
        HashFormat::Current => None,
        HashFormat::Bcrypt => Some(bcrypt::verify(password, phc).unwrap_or(false)),
        HashFormat::Argon2idOther | HashFormat::Argon2i => {
            let parsed = PasswordHash::new(phc).ok()?;
            Some(
                argon2::Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok(),
            )
        }
        HashFormat::Pbkdf2Sha256 => {
            let parsed = PasswordHash::new(phc).ok()?;
            Some(
                pbkdf2::Pbkdf2
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok(),
            )
        }
        HashFormat::Scrypt => {
            let parsed = PasswordHash::new(phc).ok()?;
            Some(
                scrypt::Scrypt
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok(),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::password_hash::{PasswordHasher, SaltString};
    use rand::rngs::OsRng;

    const PASSWORD: &str = "correct horse battery";

    fn argon2_hash(algorithm: argon2::Algorithm, m: u32, t: u32, p: u32) -> String {
        let params = argon2::Params::new(m, t, p, None).expect("argon2 params");
        argon2::Argon2::new(algorithm, argon2::Version::V0x13, params)
            .hash_password(PASSWORD.as_bytes(), &SaltString::generate(&mut OsRng))
            .expect("argon2 hash")
            .to_string()
    }

    fn pbkdf2_hash(rounds: u32) -> String {
        pbkdf2::Pbkdf2
            .hash_password_customized(
                PASSWORD.as_bytes(),
                Some(pbkdf2::Algorithm::Pbkdf2Sha256.ident()),
                None,
                pbkdf2::Params {
                    rounds,
                    output_length: 32,
                },
                &SaltString::generate(&mut OsRng),
            )
            .expect("pbkdf2 hash")
            .to_string()
    }

    fn scrypt_hash(log_n: u8) -> String {
        scrypt::Scrypt
            .hash_password_customized(
                PASSWORD.as_bytes(),
                None,
                None,
                scrypt::Params::new(log_n, 8, 1, 32).expect("scrypt params"),
                &SaltString::generate(&mut OsRng),
            )
            .expect("scrypt hash")
            .to_string()
    }

    fn assert_verifies(phc: &str, format: HashFormat) {
        assert_eq!(format_of(phc), Some(format), "{}", format.name());
        assert!(recognised(phc));
        assert!(!is_current(phc));
        assert_eq!(
            verify_legacy(PASSWORD, phc),
            Some(true),
            "{}",
            format.name()
        );
        assert_eq!(
            verify_legacy("correct horse battery!", phc),
            Some(false),
            "{}",
            format.name()
        );
    }

    #[test]
    fn bcrypt_hashes_verify() {
        let phc = bcrypt::hash(PASSWORD, 4).expect("bcrypt hash");
        assert!(phc.starts_with("$2b$04$"), "the crate writes 2b");
        assert_verifies(&phc, HashFormat::Bcrypt);
        // The same hash written with the 2a and 2y prefixes other libraries use.
        assert_verifies(&phc.replacen("$2b$", "$2a$", 1), HashFormat::Bcrypt);
        assert_verifies(&phc.replacen("$2b$", "$2y$", 1), HashFormat::Bcrypt);
        assert_eq!(
            verify_legacy(PASSWORD, &phc.replacen("$2b$", "$2x$", 1)),
            None
        );
    }

    #[test]
    fn pbkdf2_sha256_hashes_verify() {
        let phc = pbkdf2_hash(1000);
        assert!(phc.starts_with("$pbkdf2-sha256$i=1000,l=32$"), "{phc}");
        assert_verifies(&phc, HashFormat::Pbkdf2Sha256);
    }

    #[test]
    fn scrypt_hashes_verify() {
        let phc = scrypt_hash(10);
        assert!(phc.starts_with("$scrypt$ln=10,r=8,p=1$"), "{phc}");
        assert_verifies(&phc, HashFormat::Scrypt);
    }

    #[test]
    fn argon2i_and_other_argon2id_parameters_verify() {
        assert_verifies(
            &argon2_hash(argon2::Algorithm::Argon2i, 4096, 3, 1),
            HashFormat::Argon2i,
        );
        assert_verifies(
            &argon2_hash(argon2::Algorithm::Argon2id, 4096, 3, 1),
            HashFormat::Argon2idOther,
        );
    }

    #[test]
    fn the_services_own_argon2id_is_current_not_legacy() {
        let phc = crate::crypto::hash_password(PASSWORD).expect("hash");
        assert!(is_current(&phc));
        assert!(recognised(&phc));
        assert_eq!(format_of(&phc), Some(HashFormat::Current));
        assert_eq!(verify_legacy(PASSWORD, &phc), None);
        assert!(crate::crypto::verify_password(PASSWORD, &phc));
    }

    #[test]
    fn unknown_or_broken_strings_are_not_recognised() {
        let bcrypt = bcrypt::hash(PASSWORD, 4).expect("bcrypt hash");
        let pbkdf2 = pbkdf2_hash(1000);
        for phc in [
            "",
            "plain text password",
            "5f4dcc3b5aa765d61d8327deb882cf99",
            "$1$saltsalt$qjXMvbEw8oaL.CzflDugX/",
            "$6$rounds=5000$salt$hash",
            "$pbkdf2-sha512$i=1000,l=64$c2FsdHNhbHQ$aGFzaA",
            "$argon2d$v=19$m=4096,t=3,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
            &bcrypt[..50],
            &pbkdf2[..pbkdf2.rfind('$').unwrap_or(0)],
        ] {
            assert!(!recognised(phc), "{phc}");
            assert_eq!(verify_legacy(PASSWORD, phc), None, "{phc}");
        }
    }

    #[test]
    fn parameters_beyond_the_bounds_are_refused() {
        let bcrypt = bcrypt::hash(PASSWORD, 4).expect("bcrypt hash");
        assert!(!recognised(&bcrypt.replacen("$04$", "$31$", 1)));
        let pbkdf2 = pbkdf2_hash(1000).replacen("i=1000", "i=900000000", 1);
        assert!(!recognised(&pbkdf2));
        let scrypt = scrypt_hash(10).replacen("ln=10", "ln=24", 1);
        assert!(!recognised(&scrypt));
        let argon =
            argon2_hash(argon2::Algorithm::Argon2id, 4096, 3, 1).replacen("m=4096", "m=4194304", 1);
        assert!(!recognised(&argon));
    }
}
