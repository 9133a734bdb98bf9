//! Levels of assurance: the `acr` values a service may ask for and the `amr` values it receives.

use keys_domain::domain::KeyKind;
use serde::{Deserialize, Serialize};

/// How strongly a citizen was authenticated, weakest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// `urn:digital-keys:loa:password`: username and password. Every login today goes on to a
    /// second factor, so this level is always exceeded; a service that asks for it gets any login.
    Password,
    /// `urn:digital-keys:loa:two-factor`: password plus the token card, an e-mail code or an app code.
    TwoFactor,
}

impl Level {
    pub const ALL: [Level; 2] = [Level::Password, Level::TwoFactor];

    /// The `acr` value (OpenID Connect Core §2).
    pub fn acr(self) -> &'static str {
        match self {
            Level::Password => "urn:digital-keys:loa:password",
            Level::TwoFactor => "urn:digital-keys:loa:two-factor",
        }
    }

    /// The level of an `acr` value, if it is one of ours.
    pub fn from_acr(text: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.acr() == text)
    }

    /// The short name operators use when registering a client (`password`, `two-factor`).
    pub fn name(self) -> &'static str {
        match self {
            Level::Password => "password",
            Level::TwoFactor => "two-factor",
        }
    }

    /// The level a login with `key` reached: every key is a second factor after the password.
    pub fn of_key(key: KeyKind) -> Level {
        match key {
            KeyKind::Token | KeyKind::Email | KeyKind::App => Level::TwoFactor,
        }
    }

    /// The level `acr_values` asks for: the weakest of ours it names (any of them satisfies the
    /// service), or none when it names none of ours (the claim is voluntary: it is then ignored).
    pub fn requested(acr_values: &str) -> Option<Level> {
        acr_values.split(' ').filter_map(Level::from_acr).min()
    }
}

/// The `amr` values (RFC 8176) of a login with `key`: the password, a one-time code, more than one
/// factor, and the key itself by its name in the view contract (`token`, `email`, `app`), so a
/// service can tell who still uses the token.
pub fn amr(key: KeyKind) -> Vec<String> {
    ["pwd", "otp", "mfa", key.as_str()]
        .into_iter()
        .map(String::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_two_factor_and_levels_order() {
        for key in KeyKind::ALL {
            assert_eq!(Level::of_key(key), Level::TwoFactor);
            assert!(amr(key).contains(&key.as_str().to_string()));
        }
        assert!(Level::Password < Level::TwoFactor);
    }

    #[test]
    fn acr_values_ask_for_the_weakest_named_level_of_ours() {
        assert_eq!(
            Level::requested("urn:digital-keys:loa:two-factor"),
            Some(Level::TwoFactor)
        );
        assert_eq!(
            Level::requested("urn:digital-keys:loa:two-factor urn:digital-keys:loa:password"),
            Some(Level::Password)
        );
        assert_eq!(Level::requested("urn:other:loa:high"), None);
        assert_eq!(Level::requested(""), None);
        for level in Level::ALL {
            assert_eq!(Level::from_acr(level.acr()), Some(level));
        }
    }
}
