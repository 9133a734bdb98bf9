//! Levels of assurance: the ladder of `acr` values a service may ask for, their eIDAS mapping, and the `amr` values it receives.
//!
//! | level | `acr` | what the citizen did | eIDAS |
//! | --- | --- | --- | --- |
//! | password | `urn:digital-keys:loa:password` | password alone (no login stops there today) | below low |
//! | e-mail code | `urn:digital-keys:loa:email-code` | password + a code mailed to the citizen | low |
//! | two-factor | `urn:digital-keys:loa:two-factor` | password + an app code or a token card code | substantial |
//! | strong | `urn:digital-keys:loa:strong` | reserved for the strong keys (eID, itsme, passkeys) | high |
//!
//! An e-mail code sits below the app and the token: NIST SP 800-63B (5.1.3.1) does not accept
//! e-mail as an out-of-band authenticator, since a mailbox is often reachable with a password
//! alone.

use keys_domain::keys::KeyKind;
use keys_domain::session::Session;
use serde::{Deserialize, Serialize};

/// How strongly a citizen was authenticated, weakest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// Username and password alone.
    Password,
    /// Password plus a code mailed to the citizen's address.
    EmailCode,
    /// Password plus an authenticator app's code or a token card's code.
    TwoFactor,
    /// The strong keys (eID, itsme, passkeys): no key reaches it yet.
    Strong,
}

/// The eIDAS level of assurance (Regulation 910/2014, art. 8) a level maps to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Eidas {
    /// Below eIDAS low.
    None,
    Low,
    Substantial,
    High,
}

impl Level {
    pub const ALL: [Level; 4] = [
        Level::Password,
        Level::EmailCode,
        Level::TwoFactor,
        Level::Strong,
    ];

    /// The `acr` value (OpenID Connect Core §2).
    pub fn acr(self) -> &'static str {
        match self {
            Level::Password => "urn:digital-keys:loa:password",
            Level::EmailCode => "urn:digital-keys:loa:email-code",
            Level::TwoFactor => "urn:digital-keys:loa:two-factor",
            Level::Strong => "urn:digital-keys:loa:strong",
        }
    }

    /// The level of an `acr` value, if it is one of ours.
    pub fn from_acr(text: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.acr() == text)
    }

    /// The short name operators use when registering a client (`password`, `email-code`,
    /// `two-factor`, `strong`).
    pub fn name(self) -> &'static str {
        match self {
            Level::Password => "password",
            Level::EmailCode => "email-code",
            Level::TwoFactor => "two-factor",
            Level::Strong => "strong",
        }
    }

    pub fn eidas(self) -> Eidas {
        match self {
            Level::Password => Eidas::None,
            Level::EmailCode => Eidas::Low,
            Level::TwoFactor => Eidas::Substantial,
            Level::Strong => Eidas::High,
        }
    }

    /// The level a login with `key` reaches.
    pub fn of_key(key: KeyKind) -> Level {
        match key {
            KeyKind::Email => Level::EmailCode,
            KeyKind::Token | KeyKind::App => Level::TwoFactor,
        }
    }

    /// The level of a session: its login's. A key activated in the session since does not raise
    /// it (NIST SP 800-63B §6.1.2.1: binding an authenticator is no authentication at its level);
    /// a service asking for more steps the citizen up to a login with that key.
    pub fn of_session(session: &Session) -> Level {
        Level::of_key(session.key)
    }

    /// The keys that reach this level, weakest first.
    pub fn keys_reaching(self) -> Vec<KeyKind> {
        KeyKind::ALL
            .into_iter()
            .filter(|k| Level::of_key(*k) >= self)
            .collect()
    }

    /// The level `acr_values` asks for: the weakest of ours it names (any of them satisfies the
    /// service), or none when it names none of ours (the claim is voluntary: it is then ignored).
    pub fn requested(acr_values: &str) -> Option<Level> {
        acr_values.split(' ').filter_map(Level::from_acr).min()
    }
}

/// The `amr` values of a session: RFC 8176's `pwd` (the password), `otp` (a one-time code),
/// `mfa` (more than one factor), then each key used by its name in the view contract (`token`,
/// `email`, `app`: no RFC 8176 value names them), so a service can tell who still uses the token.
pub fn amr(login: KeyKind, since: Option<KeyKind>) -> Vec<String> {
    let mut values: Vec<String> = ["pwd", "otp", "mfa", login.as_str()]
        .into_iter()
        .map(String::from)
        .collect();
    if let Some(key) = since.filter(|k| *k != login) {
        values.push(key.as_str().to_string());
    }
    values
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ladder_puts_the_email_code_below_the_app_and_the_token() {
        assert_eq!(Level::of_key(KeyKind::Email), Level::EmailCode);
        assert_eq!(Level::of_key(KeyKind::App), Level::TwoFactor);
        assert_eq!(Level::of_key(KeyKind::Token), Level::TwoFactor);
        assert!(Level::Password < Level::EmailCode);
        assert!(Level::EmailCode < Level::TwoFactor);
        assert!(Level::TwoFactor < Level::Strong);
        assert_eq!(
            Level::TwoFactor.keys_reaching(),
            [KeyKind::Token, KeyKind::App]
        );
        assert!(Level::Strong.keys_reaching().is_empty());
        assert_eq!(Level::EmailCode.eidas(), Eidas::Low);
        assert_eq!(Level::TwoFactor.eidas(), Eidas::Substantial);
        assert_eq!(Level::Strong.eidas(), Eidas::High);
        for key in KeyKind::ALL {
            assert!(amr(key, None).contains(&key.as_str().to_string()));
        }
        assert_eq!(
            amr(KeyKind::Email, Some(KeyKind::App)),
            ["pwd", "otp", "mfa", "email", "app"]
        );
    }

    #[test]
    fn acr_values_ask_for_the_weakest_named_level_of_ours() {
        assert_eq!(
            Level::requested("urn:digital-keys:loa:two-factor"),
            Some(Level::TwoFactor)
        );
        assert_eq!(
            Level::requested("urn:digital-keys:loa:two-factor urn:digital-keys:loa:email-code"),
            Some(Level::EmailCode)
        );
        assert_eq!(Level::requested("urn:other:loa:high"), None);
        assert_eq!(Level::requested(""), None);
        for level in Level::ALL {
            assert_eq!(Level::from_acr(level.acr()), Some(level));
        }
    }
}
