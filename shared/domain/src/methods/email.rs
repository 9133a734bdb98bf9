//! The e-mail key: a registration code mailed in the wizard, a login code mailed after the password.

use super::{KeyMethod, Moment};
use crate::codes::CodePurpose;
use crate::domain::{KeyKind, KeyState};
use crate::flows::login::{self, Effect, Identified, LoginFlow};
use crate::flows::wizard::{self, Wizard};

/// The e-mail method.
pub struct Email;

impl KeyMethod for Email {
    fn kind(&self) -> KeyKind {
        KeyKind::Email
    }

    fn name_id(&self) -> &'static str {
        "key-email"
    }

    fn hint_id(&self) -> &'static str {
        "key-email-hint"
    }

    fn activatable(&self) -> bool {
        true
    }

    /// While active: a login code is mailed at once, then asked for.
    fn after_password(
        &self,
        who: &Identified<'_>,
        key_state: Option<KeyState>,
        _at: Moment,
    ) -> login::Outcome {
        login::require_active(who, key_state)?;
        login::start(
            LoginFlow::AwaitingEmailCode {
                citizen_id: who.citizen_id.to_string(),
                username: who.username.to_string(),
            },
            vec![Effect::SendLoginCode {
                citizen_id: who.citizen_id.to_string(),
                to: who.email.to_string(),
            }],
        )
    }

    /// Step 3 starts with a registration code mailed to the citizen's address.
    fn selected(&self, address: &str) -> Option<(Wizard, Vec<wizard::Effect>)> {
        let send = wizard::Effect::SendCode {
            purpose: CodePurpose::Registration,
            to: address.to_string(),
        };
        Some((Wizard::ActivateEmail, vec![send]))
    }
}
