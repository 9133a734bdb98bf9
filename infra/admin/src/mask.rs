//! Masking for printed output: an e-mail address shows its first character and its domain only.

/// `jan.peeters@example.be` becomes `j***@example.be`; anything without a local part and a
/// domain becomes `***`. Never print an address unmasked.
pub fn email(address: &str) -> String {
    match address.trim().rsplit_once('@') {
        Some((local, domain)) if !domain.is_empty() => match local.chars().next() {
            Some(first) => format!("{first}***@{domain}"),
            None => "***".to_string(),
        },
        _ => "***".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::email;

    #[test]
    fn addresses_keep_only_their_first_character_and_domain() {
        assert_eq!(email("jan.peeters@example.be"), "j***@example.be");
        assert_eq!(email(" Émile@voorbeeld.be "), "É***@voorbeeld.be");
        assert_eq!(email("@example.be"), "***");
        assert_eq!(email("jan@"), "***");
        assert_eq!(email("no address"), "***");
        assert!(!email("secret.name@example.be").contains("secret"));
    }
}
