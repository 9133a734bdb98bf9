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

/// The login flow's transitions of this key (fixtures in `flows::login::tests`).
#[cfg(test)]
mod login_tests {
    use crate::codes::CodeCheck;
    use crate::flows::login::tests::*;
    use crate::flows::login::*;
    use crate::flows::tests::elsewhere;
    use crate::flows::{Elsewhere, Refused, Why};
    use crate::keys::KeyKind;

    use crate::routes::Route;

    use super::{EmailAnswer, email_code, resend_login_code};

    #[test]
    fn the_right_email_code_starts_a_session_while_the_key_is_active() {
        let at = Some(email_code_asked());
        assert_eq!(
            email_code(at.as_ref(), EmailAnswer::Right { key_active: true }),
            Ok(Transition {
                next: None,
                effects: vec![
                    success(),
                    Effect::End,
                    started_session(KeyKind::Email),
                    audit("login.email", "success")
                ],
                then: Then::ReturnTo,
            })
        );
        assert_eq!(
            email_code(at.as_ref(), EmailAnswer::Right { key_active: false }),
            Ok(Transition {
                next: None,
                effects: vec![success(), Effect::End, audit("login.email", "not_active")],
                then: Then::Page(Route::Login),
            })
        );
    }

    #[test]
    fn a_wrong_email_code_counts_a_failure() {
        let at = Some(email_code_asked());
        for check in [
            CodeCheck::Wrong { tries_left: 2 },
            CodeCheck::Exhausted,
            CodeCheck::Missing,
        ] {
            assert_eq!(
                email_code(at.as_ref(), EmailAnswer::Refused(check.clone())),
                Err(Refused {
                    why: Why::Code(check),
                    effects: vec![audit("login.email", "failure"), failure()],
                })
            );
        }
        let right = EmailAnswer::Right { key_active: true };
        assert_eq!(
            elsewhere(email_code(Some(&app_code_asked()), right.clone())),
            Route::Login
        );
        assert_eq!(elsewhere(email_code(None, right)), Route::Login);
    }

    #[test]
    fn a_login_code_is_sent_again_only_while_one_is_awaited() {
        let at = email_code_asked();
        assert_eq!(
            resend_login_code(Some(&at), "jan@example.org"),
            Ok(Transition {
                next: Some(at.clone()),
                effects: vec![Effect::SendLoginCode {
                    citizen_id: "c1".into(),
                    to: "jan@example.org".into(),
                }],
                then: Then::Resent(Route::LoginEmail),
            })
        );
        assert_eq!(
            elsewhere(resend_login_code(Some(&notice()), "jan@example.org")),
            Route::Login
        );
        assert_eq!(awaiting_code(Some(&at), KeyKind::Email), Ok(("c1", "jan")));
        assert_eq!(
            awaiting_code(Some(&at), KeyKind::App),
            Err(Elsewhere(Route::Login))
        );
    }
}

/// The wizard flow's transitions of this key (fixtures in `flows::wizard::tests`).
#[cfg(test)]
mod wizard_tests {
    use crate::codes::{CodeCheck, CodePurpose};
    use crate::flows::tests::elsewhere;
    use crate::flows::wizard::tests::*;
    use crate::flows::wizard::*;
    use crate::flows::{Refused, Why};
    use crate::keys::KeyKind;

    use crate::routes::Route;

    use super::{cancel_registration, check_registration_code, resend_registration};

    #[test]
    fn the_right_registration_code_switches_to_the_email_key() {
        let at = Some(&Wizard::ActivateEmail);
        assert_eq!(
            check_registration_code(
                at,
                CodeCheck::Right {
                    consume: consume(),
                    address: None,
                }
            ),
            Ok(Transition {
                next: DONE,
                effects: vec![Effect::Switch {
                    kind: KeyKind::Email,
                    guard: Guard::Code(consume()),
                    extra: vec![],
                }],
            })
        );
    }

    #[test]
    fn a_wrong_registration_code_is_refused_and_audited() {
        let at = Some(&Wizard::ActivateEmail);
        for check in [
            CodeCheck::Wrong { tries_left: 4 },
            CodeCheck::Exhausted,
            CodeCheck::Missing,
        ] {
            assert_eq!(
                check_registration_code(at, check.clone()),
                Err(Refused {
                    why: Why::Code(check),
                    effects: vec![audit("key.activate", "refuse_code")],
                })
            );
        }
        assert_eq!(
            elsewhere(check_registration_code(Some(&DONE), CodeCheck::Missing)),
            Route::Confirmation
        );
    }

    #[test]
    fn a_registration_code_is_sent_again_or_cancelled_only_while_activating_by_email() {
        let at = Some(&Wizard::ActivateEmail);
        assert_eq!(
            resend_registration(at, "c@example.org"),
            Ok(Transition {
                next: Wizard::ActivateEmail,
                effects: vec![Effect::SendCode {
                    purpose: CodePurpose::Registration,
                    to: "c@example.org".into(),
                }],
            })
        );
        assert_eq!(
            cancel_registration(at),
            Ok(Transition {
                next: Wizard::SelectKey,
                effects: vec![
                    Effect::WithdrawCode(CodePurpose::Registration),
                    Effect::Save(Wizard::SelectKey),
                ],
            })
        );
        assert_eq!(
            elsewhere(resend_registration(
                Some(&Wizard::SelectKey),
                "c@example.org"
            )),
            Route::SelectKey
        );
        assert_eq!(
            elsewhere(cancel_registration(Some(&Wizard::InstallApp))),
            Route::InstallApp
        );
        assert_eq!(elsewhere(cancel_registration(None)), Route::ConfirmEmail);
    }
}
