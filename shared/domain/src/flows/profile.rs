//! My profile's rules: a new e-mail address (as wizard step 1 checks it) and the language of the mails.

use super::BadInput;
use crate::lang::Lang;

/// The address typed to replace `known`, as the service keeps it; refused when empty, not an
/// address the mailer can send to, or the one already known.
pub fn new_address(known: &str, typed: &str) -> Result<String, BadInput> {
    let refuse = |message| BadInput::unprocessable("email", message);
    if typed.trim().is_empty() {
        return Err(refuse("field.required"));
    }
    let Some(new) = crate::input::valid_address(typed) else {
        return Err(refuse("email.invalid"));
    };
    if new.eq_ignore_ascii_case(known) {
        return Err(refuse("email.same"));
    }
    Ok(new)
}

/// The language chosen for the mails; refused when it is not one the service writes in.
pub fn mail_language(typed: &str) -> Result<Lang, BadInput> {
    if typed.trim().is_empty() {
        return Err(BadInput::unprocessable("lang", "field.required"));
    }
    Lang::parse(typed.trim()).ok_or(BadInput::unprocessable("lang", "lang.unknown"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_address_is_a_valid_other_one() {
        assert_eq!(
            new_address("old@example.org", " New@Example.org "),
            Ok("New@example.org".to_string())
        );
        for (typed, message) in [
            ("", "field.required"),
            ("   ", "field.required"),
            ("not an address", "email.invalid"),
            ("OLD@example.org", "email.same"),
        ] {
            let refused = new_address("old@example.org", typed).expect_err(typed);
            assert_eq!(
                (refused.field, refused.message),
                ("email", message),
                "{typed:?}"
            );
        }
    }

    #[test]
    fn the_mail_language_is_one_of_the_four() {
        assert_eq!(mail_language("fr"), Ok(Lang::Fr));
        assert_eq!(
            mail_language("es").map_err(|e| e.message),
            Err("lang.unknown")
        );
        assert_eq!(
            mail_language("").map_err(|e| e.message),
            Err("field.required")
        );
    }
}
