//! The key methods, one module each (as Ory Kratos has per-method strategies), and the registry that hands them to the flows and pages.

pub mod app;
pub mod email;
pub mod method;
pub mod token;

use crate::flows::wizard::ActivationMethod;
use crate::keys::{Key, KeyKind, KeyState};
pub use method::KeyMethod;

/// Every method, in the order pages list them (token, e-mail, app).
pub const ALL: [&dyn KeyMethod; 3] = [&token::Token, &email::Email, &app::AppKey];

/// Every method's part in the wizard, in page order (what `flows::wizard::select_key` is handed).
pub const ACTIVATIONS: [&dyn ActivationMethod; 3] = [&token::Token, &email::Email, &app::AppKey];

/// The method of `kind`.
pub fn of(kind: KeyKind) -> &'static dyn KeyMethod {
    match kind {
        KeyKind::Token => &token::Token,
        KeyKind::Email => &email::Email,
        KeyKind::App => &app::AppKey,
    }
}

/// The kinds the login page offers at `now`: every kind, the token only before the `sunset`
/// (or the end of the grace window after it, `grace_until`).
pub fn offered_at_login(
    now: time::OffsetDateTime,
    sunset: time::OffsetDateTime,
    grace_until: time::OffsetDateTime,
) -> Vec<KeyKind> {
    KeyKind::ALL
        .into_iter()
        .filter(|kind| *kind != KeyKind::Token || now < sunset.max(grace_until))
        .collect()
}

/// The kinds a citizen could still activate (no double activation; never a token).
pub fn activatable(keys: &[Key]) -> Vec<KeyKind> {
    ALL.into_iter()
        .filter(|method| method.activatable())
        .map(|method| method.kind())
        .filter(|kind| {
            !keys
                .iter()
                .any(|k| k.kind == *kind && k.state == KeyState::Active)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_method_in_page_order() {
        assert_eq!(ALL.map(|m| m.kind()), KeyKind::ALL);
        assert_eq!(ACTIVATIONS.map(|m| m.kind()), KeyKind::ALL);
        for kind in KeyKind::ALL {
            assert_eq!(of(kind).kind(), kind);
            assert_eq!(of(kind).hint_id(), format!("{}-hint", of(kind).name_id()));
        }
        assert!(!of(KeyKind::Token).activatable());
    }
}
