//! The key methods, one module each (as Ory Kratos has per-method strategies): all a flow needs to know about a key.

pub mod app;
pub mod email;
pub mod token;

use crate::domain::{KeyKind, KeyState};
use crate::flows::login::{self, Identified};
use crate::flows::wizard::{self, Wizard};
use time::OffsetDateTime;

/// The moment of a login and what it may depend on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moment {
    pub now: OffsetDateTime,
    /// From this instant no token login succeeds.
    pub sunset: OffsetDateTime,
    /// The token card code to ask for, drawn at random by the caller.
    pub challenge: u8,
}

/// A kind of digital key, as the flows use it.
pub trait KeyMethod: Sync {
    fn kind(&self) -> KeyKind;
    /// The translation id of the key's name.
    fn name_id(&self) -> &'static str;
    /// The translation id of its one-line description on the login and select pages.
    fn hint_id(&self) -> &'static str;
    /// Whether the wizard may activate it.
    fn activatable(&self) -> bool {
        true
    }
    /// The login after the right password, with this key in `key_state`.
    fn after_password(
        &self,
        who: &Identified<'_>,
        key_state: Option<KeyState>,
        at: Moment,
    ) -> login::Outcome;
    /// Chosen in step 2 of the wizard: the state step 3 starts in and what must happen before it
    /// is stored; `None` for a key the wizard never activates.
    fn selected(&self, address: &str) -> Option<(Wizard, Vec<wizard::Effect>)>;
}

/// Every method, in the order pages list them (token, e-mail, app).
pub const ALL: [&dyn KeyMethod; 3] = [&token::Token, &email::Email, &app::AppKey];

/// The method of `kind`.
pub fn of(kind: KeyKind) -> &'static dyn KeyMethod {
    match kind {
        KeyKind::Token => &token::Token,
        KeyKind::Email => &email::Email,
        KeyKind::App => &app::AppKey,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_method_in_page_order() {
        assert_eq!(ALL.map(|m| m.kind()), KeyKind::ALL);
        for kind in KeyKind::ALL {
            assert_eq!(of(kind).kind(), kind);
            assert_eq!(of(kind).hint_id(), format!("{}-hint", of(kind).name_id()));
        }
        assert!(!of(KeyKind::Token).activatable());
    }
}
