//! Checking a raw row before anything is written: each problem becomes a reason that names the field, never its value.

use super::source::RawRow;
use keys_domain::citizens::{self, PreparedCitizen};
use keys_domain::keys::CARD_SIZE;
use keys_domain::lang::Lang;
use keys_domain::legacy_passwords::{self, HashFormat};

/// A row ready to be written.
#[derive(Debug, Clone)]
pub struct Valid {
    pub citizen: PreparedCitizen,
    /// The password hash's format (counted in the summary).
    pub hash_format: HashFormat,
    /// The username as the service compares it (case and surrounding spaces ignored).
    pub username_key: String,
}

/// A row that cannot be imported: its id when that much was readable, and every reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub id: Option<String>,
    pub reasons: Vec<String>,
}

/// The longest citizen id accepted.
const MAX_ID_CHARS: usize = 64;
/// The longest card serial accepted.
const MAX_SERIAL_CHARS: usize = 64;

/// Citizen ids are the old system's: ASCII letters and digits and `-`, `_`, `.`, `:`.
fn id_ok(id: &str) -> bool {
    !id.is_empty()
        && id.chars().count() <= MAX_ID_CHARS
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
}

/// An address the service can mail (the mailer's parser, the domain through IDNA).
fn email_ok(address: &str) -> bool {
    keys_domain::input::valid_address(address).is_some()
}

/// Checks every field of a row.
pub fn validate(raw: RawRow) -> Result<Valid, Invalid> {
    let mut reasons = Vec::new();
    let id = raw.id.trim().to_string();
    let id_valid = id_ok(&id);
    if !id_valid {
        reasons.push(format!(
            "id: empty, longer than {MAX_ID_CHARS} characters, or not made of letters, digits, '-', '_', '.', ':'"
        ));
    }
    let username = raw.username.trim().to_string();
    if let Some(problem) = keys_domain::input::username_problem(&username) {
        reasons.push(format!("username: {problem}"));
    }
    let password_hash = raw.password_hash.trim().to_string();
    let hash_format = legacy_passwords::format_of(&password_hash);
    if hash_format.is_none() {
        reasons.push(
            "password_hash: not a recognised format (argon2id, argon2i, bcrypt 2a/2b/2y, pbkdf2-sha256 or scrypt, within the cost bounds)"
                .into(),
        );
    }
    let email = raw.email.trim().to_string();
    if !email_ok(&email) {
        reasons.push("email: not a valid address".into());
    }
    let lang = Lang::parse(&raw.lang);
    if lang.is_none() {
        reasons.push("lang: not one of nl, fr, de, en".into());
    }
    let serial = raw.card_serial.trim();
    if serial.is_empty()
        || serial.chars().count() > MAX_SERIAL_CHARS
        || !serial.chars().all(|c| c.is_ascii_graphic())
    {
        reasons.push(format!(
            "card_serial: empty, longer than {MAX_SERIAL_CHARS} characters, or not printable ASCII"
        ));
    }
    let name = raw.name.trim();
    let valid_name = citizens::valid_name(name);
    if !name.is_empty() && valid_name.is_none() {
        reasons.push(format!(
            "name: longer than {} characters or holding control characters",
            citizens::MAX_NAME_CHARS
        ));
    }
    let number_text = raw.national_register_number.trim();
    let national_number = keys_domain::national_number::NationalNumber::parse(number_text);
    if !number_text.is_empty() && national_number.is_none() {
        reasons.push("national_register_number: not 11 digits with a right check number".into());
    }
    if raw.codes.len() != usize::from(CARD_SIZE) {
        reasons.push(format!(
            "card codes: {} given, a card has {CARD_SIZE}",
            raw.codes.len()
        ));
    } else {
        let bad: Vec<String> = raw
            .codes
            .iter()
            .enumerate()
            .filter(|(_, code)| {
                !code.as_deref().is_some_and(|c| {
                    let c = c.trim();
                    c.len() == 6 && c.bytes().all(|b| b.is_ascii_digit())
                })
            })
            .map(|(index, _)| (index + 1).to_string())
            .collect();
        if !bad.is_empty() {
            reasons.push(format!(
                "card codes: not 6 digits at position {}",
                bad.join(", ")
            ));
        }
    }
    match (hash_format, lang) {
        (Some(hash_format), Some(lang)) if reasons.is_empty() => Ok(Valid {
            username_key: citizens::normalise_username(&username),
            citizen: PreparedCitizen {
                id,
                username,
                name: valid_name,
                email,
                lang,
                password_hash,
                card: (1..=CARD_SIZE)
                    .zip(raw.codes)
                    .map(|(number, code)| (number, code.unwrap_or_default().trim().to_string()))
                    .collect(),
                card_serial: Some(serial.to_string()),
                national_number,
            },
            hash_format,
        }),
        _ => Err(Invalid {
            id: id_valid.then_some(id),
            reasons,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> RawRow {
        RawRow {
            id: "c-1".into(),
            username: " Jan.Peeters ".into(),
            password_hash: bcrypt::hash("old password", 4).expect("bcrypt"),
            email: "jan.peeters@example.be".into(),
            lang: "nl".into(),
            card_serial: "TK-000123".into(),
            name: "  Jan   Peeters ".into(),
            national_register_number: "85.07.30-033.28".into(),
            codes: (1..=24).map(|n| Some(format!("{n:06}"))).collect(),
        }
    }

    #[test]
    fn a_good_row_is_prepared() {
        let valid = validate(good()).expect("valid");
        assert_eq!(valid.citizen.username, "Jan.Peeters");
        assert_eq!(valid.username_key, "jan.peeters");
        assert_eq!(valid.citizen.card.len(), 24);
        assert_eq!(valid.citizen.card[&24], "000024");
        assert_eq!(valid.hash_format, HashFormat::Bcrypt);
        assert_eq!(valid.citizen.name.as_deref(), Some("Jan Peeters"));
    }

    #[test]
    fn the_national_number_is_optional_checked_and_never_in_a_reason() {
        assert!(
            validate(good())
                .expect("valid")
                .citizen
                .national_number
                .is_some()
        );
        let mut row = good();
        row.national_register_number = String::new();
        assert!(
            validate(row)
                .expect("valid")
                .citizen
                .national_number
                .is_none()
        );
        let mut row = good();
        row.national_register_number = "85073003329".into();
        let invalid = validate(row).expect_err("a wrong check number");
        let text = invalid.reasons.join(";");
        assert!(text.contains("national_register_number:"));
        assert!(!text.contains("85073003329"), "{text}");
    }

    #[test]
    fn the_name_is_optional_but_never_a_control_character() {
        let mut row = good();
        row.name = String::new();
        assert_eq!(validate(row).expect("valid").citizen.name, None);
        let mut row = good();
        row.name = "Jan\u{7}Peeters".into();
        let invalid = validate(row).expect_err("invalid");
        assert!(invalid.reasons.iter().any(|r| r.starts_with("name:")));
        assert!(!invalid.reasons.join(";").contains("Peeters"));
    }

    #[test]
    fn every_problem_is_named_without_its_value() {
        let mut row = good();
        row.email = "jan.peeters@example".into();
        row.lang = "es".into();
        row.password_hash = "$1$abc$def".into();
        row.codes[2] = Some("12345".into());
        row.codes[9] = None;
        let invalid = validate(row).expect_err("invalid");
        assert_eq!(invalid.id.as_deref(), Some("c-1"));
        let text = invalid.reasons.join("; ");
        for part in ["email:", "lang:", "password_hash:", "position 3, 10"] {
            assert!(text.contains(part), "{part} in {text}");
        }
        for secret in ["jan.peeters@example", "12345", "$1$abc"] {
            assert!(!text.contains(secret), "{secret} leaked into {text}");
        }
    }

    #[test]
    fn card_size_and_id_are_checked() {
        let mut row = good();
        row.codes.pop();
        row.id = "c 1".into();
        let invalid = validate(row).expect_err("invalid");
        assert_eq!(invalid.id, None);
        assert!(invalid.reasons.iter().any(|r| r.contains("23 given")));
        assert!(invalid.reasons.iter().any(|r| r.starts_with("id:")));
    }
}
