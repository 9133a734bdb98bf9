//! Checks of what citizens type: usernames (NFKC, fully case-folded, compared by their look-alike form too; invisible characters and mixed scripts refused) and e-mail addresses (the mailer's own parser, the domain through IDNA).

use email_address::EmailAddress;
use unicode_normalization::UnicodeNormalization;
use unicode_security::MixedScript;

/// The longest username, in characters.
pub const USERNAME_MAX_CHARS: usize = 128;
/// The longest e-mail address (RFC 5321's path limit less the brackets).
pub const ADDRESS_MAX_BYTES: usize = 254;

/// The form a username is compared in: trimmed, NFKC-normalised and fully case-folded (Unicode
/// default case folding between two NFKC passes, so `ﬁ`, full-width letters and NFD accents meet
/// their usual forms, `STRASSE` meets `straße`, and `Σ`, `σ` and a final `ς` are one letter).
pub fn normalise_username(username: &str) -> String {
    let first: String = username.trim().nfkc().collect();
    caseless::default_case_fold_str(&first).nfkc().collect()
}

/// What a username looks like: the Unicode TS #39 skeleton of its normal form, folded again.
/// Two usernames with the same look-alike form could be taken for one another (`сорех` in
/// Cyrillic and `copex`, a dotless `ı` and `i`), so only one citizen may have it.
pub fn look_alike_form(username: &str) -> String {
    let skeleton: String =
        unicode_security::confusable_detection::skeleton(&normalise_username(username)).collect();
    caseless::default_case_fold_str(&skeleton).nfkc().collect()
}

/// Characters a username may hold besides letters and digits of any script.
const USERNAME_MARKS: &str = ".-_@'";

/// Why a username cannot be used (`None`: it can): empty, too long, an invisible or other
/// character that is not a letter, a digit or one of `.-_@'`, or letters of more than one script
/// (Latin with Cyrillic look-alikes).
pub fn username_problem(username: &str) -> Option<&'static str> {
    let normal = normalise_username(username);
    if normal.is_empty() {
        return Some("empty");
    }
    if normal.chars().count() > USERNAME_MAX_CHARS {
        return Some("too long");
    }
    if !normal
        .chars()
        .all(|c| c.is_alphanumeric() || USERNAME_MARKS.contains(c))
    {
        return Some("a character that is not a letter, a digit or one of . - _ @ '");
    }
    if !normal.as_str().is_single_script() {
        return Some("letters of more than one script");
    }
    None
}

/// The shortest password a citizen may choose (OWASP ASVS 4.0.3 2.1.1).
pub const PASSWORD_MIN_CHARS: usize = 12;
/// The longest password accepted (ASVS 2.1.2 asks for at least 64).
pub const PASSWORD_MAX_CHARS: usize = 256;

/// The 10,000 most common passwords of breach corpora, lowercased, one a line (the head of the
/// list zxcvbn ships, MIT licence): a chosen password, its core without leading and trailing
/// digits and symbols, must not be one of them (ASVS 2.1.7).
const COMMON_PASSWORDS: &str = include_str!("common_passwords.txt");

fn is_common(candidate: &str) -> bool {
    static COMMON: std::sync::OnceLock<std::collections::HashSet<&'static str>> =
        std::sync::OnceLock::new();
    COMMON
        .get_or_init(|| COMMON_PASSWORDS.lines().collect())
        .contains(candidate)
}

/// Why a password a citizen chooses cannot be used (`None`: it can): shorter than
/// [`PASSWORD_MIN_CHARS`] or longer than [`PASSWORD_MAX_CHARS`], fewer than five different
/// characters, one of the 10,000 most common passwords (also once leading and trailing digits and
/// symbols are taken off: `password1234`), or holding the username or the address's local part.
pub fn password_problem(password: &str, username: &str, email: &str) -> Option<&'static str> {
    let chars = password.chars().count();
    if chars < PASSWORD_MIN_CHARS {
        return Some("shorter than 12 characters");
    }
    if chars > PASSWORD_MAX_CHARS {
        return Some("longer than 256 characters");
    }
    let lower = password.to_lowercase();
    if lower
        .chars()
        .collect::<std::collections::HashSet<_>>()
        .len()
        < 5
    {
        return Some("fewer than five different characters");
    }
    let core = lower.trim_matches(|c: char| !c.is_alphabetic());
    if is_common(&lower) || is_common(core) {
        return Some("a common password");
    }
    let local = email.split('@').next().unwrap_or_default().to_lowercase();
    let username = normalise_username(username);
    let holds = |part: &str| part.chars().count() >= 4 && lower.contains(part);
    if holds(&username) || holds(&local) {
        return Some("holds the username or the address");
    }
    None
}

/// The address as mail will be sent to it, if it is one: checked as the mailer (lettre) checks an
/// address, with the parser it uses (`email_address`: an RFC 5322 local part, a valid domain after
/// IDNA), and besides an ASCII local part (SES has no SMTPUTF8) and a domain with a dot, kept in
/// its ASCII form (`bücher.example` → `xn--bcher-kva.example`).
pub fn valid_address(text: &str) -> Option<String> {
    let text = text.trim();
    if text.is_empty() || text.len() > ADDRESS_MAX_BYTES || text.chars().any(char::is_whitespace) {
        return None;
    }
    let (local, domain) = text.rsplit_once('@')?;
    // No quoted local parts and no address literals (`[127.0.0.1]`): a citizen's address has a
    // plain local part and a domain name.
    if local.is_empty()
        || !local.is_ascii()
        || local.contains(['@', '"'])
        || domain.starts_with('[')
    {
        return None;
    }
    // As lettre does: the domain as typed if it is a valid one, else its IDNA (ASCII) form.
    let ascii_domain = if domain.is_ascii() && EmailAddress::is_valid_domain(domain) {
        domain.to_ascii_lowercase()
    } else {
        idna::domain_to_ascii(domain).ok()?
    };
    if !ascii_domain.contains('.')
        || ascii_domain.starts_with('.')
        || ascii_domain.ends_with('.')
        || ascii_domain.split('.').any(str::is_empty)
    {
        return None;
    }
    if !EmailAddress::is_valid_local_part(local) || !EmailAddress::is_valid_domain(&ascii_domain) {
        return None;
    }
    let address = format!("{local}@{ascii_domain}");
    (address.len() <= ADDRESS_MAX_BYTES).then_some(address)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_fold_fully_and_look_alikes_share_one_form() {
        assert_eq!(normalise_username("STRASSE"), normalise_username("straße"));
        assert_eq!(
            normalise_username("ΟΔΥΣΣΕΥΣ"),
            normalise_username("οδυσσευς")
        );
        assert_eq!(normalise_username("Σ"), "σ");
        assert_ne!(normalise_username("сорех"), normalise_username("copex"));
        assert_eq!(look_alike_form("сорех"), look_alike_form("copex"));
        assert_eq!(look_alike_form("mıra"), look_alike_form("mira"));
        assert_eq!(
            look_alike_form("Jan.Peeters"),
            look_alike_form("jan.peeters")
        );
        assert_ne!(
            look_alike_form("jan.peeters"),
            look_alike_form("jan.peters")
        );
    }

    #[test]
    fn usernames_meet_their_twins() {
        let composed = "jos\u{e9}";
        let decomposed = "jose\u{301}";
        assert_eq!(normalise_username(composed), normalise_username(decomposed));
        assert_eq!(normalise_username(" JAN "), "jan");
        assert_eq!(normalise_username("ｊａｎ"), "jan", "full-width letters");
        assert_eq!(normalise_username("\u{fb01}ne"), "fine", "the fi ligature");
    }

    #[test]
    fn invisible_and_mixed_script_usernames_are_refused() {
        assert_eq!(username_problem("jan.peeters"), None);
        assert_eq!(username_problem("jean-françois"), None);
        assert_eq!(username_problem("владимир"), None, "one script, not Latin");
        assert_eq!(username_problem("o'brien_2"), None);
        assert!(
            username_problem("jan\u{200b}peeters").is_some(),
            "zero-width space"
        );
        assert!(username_problem("jan\u{2060}").is_some(), "word joiner");
        assert!(
            username_problem("j\u{430}n").is_some(),
            "Latin with a Cyrillic a"
        );
        assert!(username_problem("jan peeters").is_some(), "a space");
        assert!(username_problem("   ").is_some());
        assert!(username_problem(&"a".repeat(129)).is_some());
    }

    #[test]
    fn passwords_are_long_and_hard_to_guess() {
        assert_eq!(
            password_problem("correct horse battery staple 42", "jan", "jan@example.be"),
            None
        );
        assert!(password_problem("short", "jan", "jan@example.be").is_some());
        assert!(
            password_problem("abababababab", "jan", "jan@example.be").is_some(),
            "too few"
        );
        assert!(
            password_problem("Password1234!", "jan", "jan@example.be").is_some(),
            "common core"
        );
        assert!(
            password_problem("password1234", "jan", "jan@example.be").is_some(),
            "common"
        );
        assert!(
            password_problem("qwertyuiop123", "jan", "jan@example.be").is_some(),
            "keyboard"
        );
        assert!(
            password_problem("jan.peeters1970", "jan.peeters", "jan@example.be").is_some(),
            "the username"
        );
        assert!(password_problem(&"x".repeat(257), "jan", "jan@example.be").is_some());
    }

    #[test]
    fn addresses_are_what_the_mailer_can_send_to() {
        assert_eq!(
            valid_address(" jan.peeters@example.be ").as_deref(),
            Some("jan.peeters@example.be")
        );
        assert_eq!(
            valid_address("jan@bücher.example").as_deref(),
            Some("jan@xn--bcher-kva.example")
        );
        for bad in [
            "a,b@example.com",
            "a@b@example.com",
            "jan@example",
            "jan@.example.be",
            "jan@example..be",
            "jan peeters@example.be",
            "josé@example.be",
            "<jan@example.be>",
            "jan@exa mple.be",
            "@example.be",
            "jan@",
            "",
        ] {
            assert_eq!(valid_address(bad), None, "{bad}");
        }
    }
}
