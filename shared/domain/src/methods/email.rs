//! The e-mail key: a registration code mailed in the wizard, a login code mailed after the password.

use super::method::KeyMethod;
use crate::codes::CodeCheck;
use crate::codes::CodePurpose;
use crate::flows::login::{self, Effect, Identified, LoginFlow};
use crate::flows::login::{LoginMethod, Moment};
use crate::flows::login::{Then, audit_effect, awaiting_code, logged_in, refuse_code};
use crate::flows::wizard::ActivationMethod;
use crate::flows::wizard::{self, Wizard};
use crate::flows::wizard::{Guard, moved, state_fits};
use crate::flows::{Audit, Elsewhere, Why};
use crate::keys::{KeyKind, KeyState};
use crate::routes::Route;

/// The e-mail method.
pub struct Email;

impl KeyMethod for Email {
    fn name_id(&self) -> &'static str {
        "key-email"
    }

    fn hint_id(&self) -> &'static str {
        "key-email-hint"
    }
}

impl LoginMethod for Email {
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
}

impl ActivationMethod for Email {
    fn kind(&self) -> KeyKind {
        KeyKind::Email
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

// The transitions of the login and wizard flows that belong to this key.

/// What the e-mail login code turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmailAnswer {
    /// Not the right code, or it could not be used (shown as this check).
    Refused(CodeCheck),
    /// Right and used up; `key_active` says whether the e-mail key is still active.
    Right { key_active: bool },
}

/// The e-mail login code was checked: the right one starts the session.
pub fn email_code(current: Option<&LoginFlow>, answer: EmailAnswer) -> login::Outcome {
    let (citizen_id, username) = awaiting_code(current, KeyKind::Email)?;
    match answer {
        EmailAnswer::Refused(check) => Err(refuse_code(
            Why::Code(check),
            "login.email",
            "failure",
            (citizen_id, username),
        )),
        EmailAnswer::Right { key_active: false } => Ok(login::Transition {
            next: None,
            effects: vec![
                login::Effect::CountSuccess {
                    username: username.to_string(),
                },
                login::Effect::End,
                audit_effect("login.email", "not_active", citizen_id),
            ],
            then: Then::Page(Route::Login),
        }),
        EmailAnswer::Right { key_active: true } => Ok(login::Transition {
            next: None,
            effects: logged_in(citizen_id, username, KeyKind::Email, "login.email"),
            then: Then::ReturnTo,
        }),
    }
}

/// A new login code to `address`, replacing the old one.
pub fn resend_login_code(current: Option<&LoginFlow>, address: &str) -> login::Outcome {
    let (citizen_id, _) = awaiting_code(current, KeyKind::Email)?;
    Ok(login::Transition {
        next: current.cloned(),
        effects: vec![login::Effect::SendLoginCode {
            citizen_id: citizen_id.to_string(),
            to: address.to_string(),
        }],
        then: Then::Resent(Route::LoginEmail),
    })
}

/// Step 3 by e-mail is showing.
pub fn activating_by_email(current: Option<&Wizard>) -> Result<&Wizard, Elsewhere> {
    state_fits(current, |w| matches!(w, Wizard::ActivateEmail))
}

/// Activate by e-mail: the registration code was checked; the right one switches to the e-mail key.
pub fn check_registration_code(current: Option<&Wizard>, check: CodeCheck) -> wizard::Outcome {
    activating_by_email(current)?;
    match check {
        CodeCheck::Right { consume, .. } => moved(
            Wizard::Done {
                activated: KeyKind::Email,
            },
            vec![wizard::Effect::Switch {
                kind: KeyKind::Email,
                guard: Guard::Code(consume),
                extra: Vec::new(),
            }],
        ),
        other => Err(wizard::Refused {
            why: Why::Code(other),
            effects: vec![wizard::Effect::Audit(Audit::new(
                "key.activate",
                "refuse_code",
            ))],
        }),
    }
}

/// A new registration code to `address`, replacing the old one.
pub fn resend_registration(current: Option<&Wizard>, address: &str) -> wizard::Outcome {
    let state = activating_by_email(current)?.clone();
    moved(
        state,
        vec![wizard::Effect::SendCode {
            purpose: CodePurpose::Registration,
            to: address.to_string(),
        }],
    )
}

/// Cancel the registration code: it is withdrawn; back to step 2.
pub fn cancel_registration(current: Option<&Wizard>) -> wizard::Outcome {
    activating_by_email(current)?;
    moved(
        Wizard::SelectKey,
        vec![
            wizard::Effect::WithdrawCode(CodePurpose::Registration),
            wizard::Effect::Save(Wizard::SelectKey),
        ],
    )
}
