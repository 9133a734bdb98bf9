//! The activation wizard's states and transitions: confirm e-mail, select key, activate, confirmation.

pub use super::Why;
use super::{Audit, BadInput, Elsewhere, Problem};
use crate::codes::Consume;
use crate::codes::{CodeCheck, CodePurpose};
use crate::keys::KeyKind;
use crate::routes::Route;
use crate::store::Value;
use serde::{Deserialize, Serialize};

/// Where a citizen is in the wizard. Each state has one page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Wizard {
    /// Step 1: the known address is shown, to confirm or to change.
    ConfirmEmail,
    /// Step 1: a code was sent to `new_email`, which replaces the address once verified.
    VerifyEmail { new_email: String },
    /// Step 2: the address is confirmed; the citizen chooses a key.
    SelectKey,
    /// Step 3 by e-mail: a registration code was sent.
    ActivateEmail,
    /// Step 3 by app: which apps to install.
    InstallApp,
    /// Step 3 by app: pairing; the secret, sealed, waits to become the key. `tries` counts wrong
    /// codes; after five a new secret is needed.
    PairApp {
        sealed_secret: String,
        #[serde(default)]
        tries: u8,
    },
    /// Step 4: `activated` is active now.
    Done { activated: KeyKind },
}

impl Wizard {
    /// The page that shows this state.
    pub fn page(&self) -> Route {
        match self {
            Wizard::ConfirmEmail => Route::ConfirmEmail,
            Wizard::VerifyEmail { .. } => Route::VerifyEmail,
            Wizard::SelectKey => Route::SelectKey,
            Wizard::ActivateEmail => Route::ActivateEmail,
            Wizard::InstallApp => Route::InstallApp,
            Wizard::PairApp { .. } => Route::PairApp,
            Wizard::Done { .. } => Route::Confirmation,
        }
    }

    /// Whether step 1 is behind the citizen (step 2 and 3 may be shown).
    pub fn email_confirmed(&self) -> bool {
        matches!(
            self,
            Wizard::SelectKey | Wizard::ActivateEmail | Wizard::InstallApp | Wizard::PairApp { .. }
        )
    }
}

/// What makes a switch happen once: the code it consumes, or the wizard state it leaves (which
/// must still be the one the citizen answered).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Guard {
    Code(Consume),
    Wizard(Wizard),
}

/// What a wizard transition asks its handler to do, in this order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Store this state as the citizen's wizard.
    Save(Wizard),
    /// Mail a new code of `purpose` to `to` at once (the citizen waits for it); when it cannot be
    /// sent, nothing after it happens.
    SendCode {
        purpose: CodePurpose,
        to: String,
    },
    /// Withdraw the live code of `purpose`.
    WithdrawCode(CodePurpose),
    Audit(Audit),
    /// The one-transaction switch to `kind`, which also stores `Done`; `extra` is what the key
    /// keeps besides its state. When the code or state was used meanwhile, nothing after it happens.
    Switch {
        kind: KeyKind,
        guard: Guard,
        extra: Vec<(String, Value)>,
    },
    /// The one-transaction change of address to `new`, which also stores `SelectKey`. When the
    /// code or the address changed meanwhile, nothing after it happens.
    ChangeEmail {
        new: String,
        consume: Consume,
    },
}

/// A transition that happened: the wizard's state after it and the effects that make it so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub next: Wizard,
    pub effects: Vec<Effect>,
}

/// A refused transition of this flow.
pub type Refused = super::Refused<Effect>;

/// A wizard transition's outcome.
pub type Outcome = Result<Transition, Refused>;

pub(crate) fn moved(next: Wizard, effects: Vec<Effect>) -> Outcome {
    Ok(Transition { next, effects })
}

/// `current` when `fits` accepts it; otherwise its page, or step 1 when no wizard is under way.
pub(crate) fn state_fits(
    current: Option<&Wizard>,
    fits: impl Fn(&Wizard) -> bool,
) -> Result<&Wizard, Elsewhere> {
    match current {
        Some(state) if fits(state) => Ok(state),
        Some(state) => Err(Elsewhere(state.page())),
        None => Err(Elsewhere(Route::ConfirmEmail)),
    }
}

/// Step 1 is open: the address may be confirmed or changed.
pub fn at_email_step(current: Option<&Wizard>) -> Result<&Wizard, Elsewhere> {
    state_fits(current, |w| {
        !matches!(w, Wizard::Done { .. } | Wizard::VerifyEmail { .. })
    })
}

/// Showing step 1 starts the wizard (again) when none is under way or the last one is done.
pub fn open(current: Option<&Wizard>) -> Result<Transition, Elsewhere> {
    let (next, effects) = match current {
        Some(Wizard::VerifyEmail { .. }) => return Err(Elsewhere(Route::VerifyEmail)),
        None | Some(Wizard::Done { .. }) => (
            Wizard::ConfirmEmail,
            vec![Effect::Save(Wizard::ConfirmEmail)],
        ),
        Some(other) => (other.clone(), Vec::new()),
    };
    Ok(Transition { next, effects })
}

/// Confirm e-mail: the known address is right; on to step 2.
pub fn confirm_email(current: Option<&Wizard>) -> Outcome {
    at_email_step(current)?;
    moved(
        Wizard::SelectKey,
        vec![
            Effect::Save(Wizard::SelectKey),
            Effect::Audit(Audit::new("email.confirm", "confirmed")),
        ],
    )
}

/// Change e-mail: a code goes to the new address (`typed`), which must differ from `known`.
pub fn change_email(current: Option<&Wizard>, known: &str, typed: &str) -> Outcome {
    at_email_step(current)?;
    let new = super::profile::new_address(known, typed)?;
    let new = new.as_str();
    let next = Wizard::VerifyEmail {
        new_email: new.to_string(),
    };
    moved(
        next.clone(),
        vec![
            Effect::SendCode {
                purpose: CodePurpose::EmailChange,
                to: new.to_string(),
            },
            Effect::Save(next),
            Effect::Audit(Audit::new("email.change", "code_sent")),
        ],
    )
}

/// The address waiting for its code, when the wizard waits for one.
pub fn awaiting_verification(current: Option<&Wizard>) -> Result<&str, Elsewhere> {
    match state_fits(current, |w| matches!(w, Wizard::VerifyEmail { .. }))? {
        Wizard::VerifyEmail { new_email } => Ok(new_email),
        other => Err(Elsewhere(other.page())),
    }
}

/// The code sent to the new address was checked: the right one makes it the citizen's address.
pub fn verify_email(current: Option<&Wizard>, check: CodeCheck) -> Outcome {
    let new_email = awaiting_verification(current)?;
    match check {
        CodeCheck::Right { consume, address } if address.as_deref() == Some(new_email) => moved(
            Wizard::SelectKey,
            vec![
                Effect::ChangeEmail {
                    new: new_email.to_string(),
                    consume,
                },
                Effect::Save(Wizard::SelectKey),
            ],
        ),
        other => Err(Refused {
            why: Why::Code(other),
            effects: vec![Effect::Audit(Audit::new("email.change", "refuse_code"))],
        }),
    }
}

/// Cancel the verification, from whatever state: the old address stays; back to step 1.
pub fn cancel_verification() -> Outcome {
    moved(
        Wizard::ConfirmEmail,
        vec![
            Effect::WithdrawCode(CodePurpose::EmailChange),
            Effect::Save(Wizard::ConfirmEmail),
        ],
    )
}

/// Step 2 and 3 may be shown.
pub fn at_key_choice(current: Option<&Wizard>) -> Result<&Wizard, Elsewhere> {
    state_fits(current, Wizard::email_confirmed)
}

/// A key method's part in the wizard (as Ory Kratos hands a strategy to its flow).
pub trait ActivationMethod: Sync {
    /// The kind of key it is.
    fn kind(&self) -> KeyKind;
    /// Whether the wizard may activate it.
    fn activatable(&self) -> bool {
        true
    }
    /// Chosen in step 2: the state step 3 starts in and what must happen before it is stored;
    /// `None` for a key the wizard never activates.
    fn selected(&self, address: &str) -> Option<(Wizard, Vec<Effect>)>;
}

/// Select key: `typed` must be one of `offered`; its method (one of `methods`) says where step 3
/// starts (by e-mail the registration code goes to `address` at once, by app the apps to install
/// are shown).
pub fn select_key(
    current: Option<&Wizard>,
    typed: &str,
    methods: &[&dyn ActivationMethod],
    offered: &[KeyKind],
    address: &str,
) -> Outcome {
    at_key_choice(current)?;
    let typed = typed.trim();
    let method = KeyKind::parse(typed).and_then(|kind| methods.iter().find(|m| m.kind() == kind));
    let method = match method {
        _ if typed.is_empty() => {
            return Err(BadInput::unprocessable("key", "field.required").into());
        }
        Some(method) if offered.contains(&method.kind()) => method,
        Some(method) if method.activatable() => {
            return Err(BadInput {
                field: "key",
                message: "key.already_active",
                problem: Problem::Conflict,
            }
            .into());
        }
        Some(_) | None => {
            return Err(BadInput::unprocessable("key", "key.unknown").into());
        }
    };
    let kind = method.kind();
    let Some((next, first)) = method.selected(address) else {
        return Err(BadInput::unprocessable("key", "key.unknown").into());
    };
    let mut effects = vec![Effect::Audit(Audit::new("key.select", kind.as_str()))];
    effects.extend(first);
    effects.push(Effect::Save(next.clone()));
    moved(next, effects)
}

/// The confirmation: the key the wizard activated.
pub fn confirmation(current: Option<&Wizard>) -> Result<KeyKind, Elsewhere> {
    match state_fits(current, |w| matches!(w, Wizard::Done { .. }))? {
        Wizard::Done { activated } => Ok(*activated),
        other => Err(Elsewhere(other.page())),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::flows::tests::elsewhere;

    use time::macros::datetime;

    /// The fixed instant every time-dependent transition is tested at.
    pub(crate) const NOW: time::OffsetDateTime = datetime!(2026-11-22 10:00 UTC);

    pub(crate) fn consume() -> Consume {
        Consume {
            purpose: CodePurpose::Registration,
            stored: "{}".into(),
        }
    }

    pub(crate) fn input(outcome: Outcome) -> BadInput {
        match outcome {
            Err(Refused {
                why: Why::Input(input),
                effects,
            }) if effects.is_empty() => input,
            other => panic!("expected refused input, got {other:?}"),
        }
    }

    pub(crate) fn audit(event: &'static str, outcome: &'static str) -> Effect {
        Effect::Audit(Audit::new(event, outcome))
    }

    pub(crate) const DONE: Wizard = Wizard::Done {
        activated: KeyKind::Email,
    };

    pub(crate) fn verify(new_email: &str) -> Wizard {
        Wizard::VerifyEmail {
            new_email: new_email.into(),
        }
    }

    pub(crate) fn pairing_with(tries: u8) -> Wizard {
        Wizard::PairApp {
            sealed_secret: "sealed".into(),
            tries,
        }
    }

    #[test]
    fn opening_step_1_starts_a_wizard_when_none_is_under_way_or_the_last_is_done() {
        for current in [None, Some(&DONE)] {
            assert_eq!(
                open(current),
                Ok(Transition {
                    next: Wizard::ConfirmEmail,
                    effects: vec![Effect::Save(Wizard::ConfirmEmail)],
                })
            );
        }
        assert_eq!(
            open(Some(&Wizard::InstallApp)),
            Ok(Transition {
                next: Wizard::InstallApp,
                effects: vec![],
            }),
            "a wizard under way stays where it is"
        );
        assert_eq!(
            open(Some(&verify("new@example.org"))),
            Err(Elsewhere(Route::VerifyEmail))
        );
    }

    #[test]
    fn confirm_email_moves_to_select_key_and_is_audited() {
        for current in [Wizard::ConfirmEmail, Wizard::SelectKey, pairing_with(1)] {
            assert_eq!(
                confirm_email(Some(&current)),
                Ok(Transition {
                    next: Wizard::SelectKey,
                    effects: vec![
                        Effect::Save(Wizard::SelectKey),
                        audit("email.confirm", "confirmed")
                    ],
                })
            );
        }
    }

    #[test]
    fn confirm_email_is_refused_without_a_wizard_while_verifying_and_when_done() {
        assert_eq!(elsewhere(confirm_email(None)), Route::ConfirmEmail);
        assert_eq!(
            elsewhere(confirm_email(Some(&verify("n@example.org")))),
            Route::VerifyEmail
        );
        assert_eq!(elsewhere(confirm_email(Some(&DONE))), Route::Confirmation);
    }

    #[test]
    fn change_email_sends_a_code_to_the_new_address_then_waits_for_it() {
        let next = verify("new@example.org");
        assert_eq!(
            change_email(
                Some(&Wizard::ConfirmEmail),
                "old@example.org",
                "  new@example.org "
            ),
            Ok(Transition {
                next: next.clone(),
                effects: vec![
                    Effect::SendCode {
                        purpose: CodePurpose::EmailChange,
                        to: "new@example.org".into(),
                    },
                    Effect::Save(next),
                    audit("email.change", "code_sent"),
                ],
            })
        );
    }

    #[test]
    fn change_email_refuses_an_empty_a_malformed_and_the_same_address() {
        let at = Some(&Wizard::ConfirmEmail);
        for (typed, message) in [
            ("  ", "field.required"),
            ("not-an-address", "email.invalid"),
            ("OLD@example.org", "email.same"),
        ] {
            assert_eq!(
                input(change_email(at, "old@example.org", typed)),
                BadInput::unprocessable("email", message),
                "{typed:?}"
            );
        }
        assert_eq!(
            elsewhere(change_email(
                Some(&DONE),
                "old@example.org",
                "n@example.org"
            )),
            Route::Confirmation
        );
        assert_eq!(
            elsewhere(change_email(None, "old@example.org", "n@example.org")),
            Route::ConfirmEmail
        );
    }

    #[test]
    fn verify_email_with_the_right_code_for_the_same_address_changes_it() {
        let current = verify("new@example.org");
        assert_eq!(awaiting_verification(Some(&current)), Ok("new@example.org"));
        let right = CodeCheck::Right {
            consume: consume(),
            address: Some("new@example.org".into()),
        };
        assert_eq!(
            verify_email(Some(&current), right),
            Ok(Transition {
                next: Wizard::SelectKey,
                effects: vec![
                    Effect::ChangeEmail {
                        new: "new@example.org".into(),
                        consume: consume(),
                    },
                    Effect::Save(Wizard::SelectKey),
                ],
            })
        );
    }

    #[test]
    fn verify_email_refuses_a_wrong_code_and_a_code_for_another_address() {
        let current = verify("new@example.org");
        let other_address = CodeCheck::Right {
            consume: consume(),
            address: Some("other@example.org".into()),
        };
        for check in [
            other_address,
            CodeCheck::Wrong { tries_left: 3 },
            CodeCheck::Exhausted,
            CodeCheck::Missing,
        ] {
            assert_eq!(
                verify_email(Some(&current), check.clone()),
                Err(Refused {
                    why: Why::Code(check),
                    effects: vec![audit("email.change", "refuse_code")],
                })
            );
        }
        assert_eq!(
            elsewhere(verify_email(Some(&Wizard::SelectKey), CodeCheck::Missing)),
            Route::SelectKey
        );
        assert_eq!(
            elsewhere(verify_email(None, CodeCheck::Missing)),
            Route::ConfirmEmail
        );
        assert_eq!(
            awaiting_verification(Some(&Wizard::ConfirmEmail)),
            Err(Elsewhere(Route::ConfirmEmail))
        );
    }

    #[test]
    fn cancelling_the_verification_withdraws_the_code_and_goes_back_to_step_1() {
        assert_eq!(
            cancel_verification(),
            Ok(Transition {
                next: Wizard::ConfirmEmail,
                effects: vec![
                    Effect::WithdrawCode(CodePurpose::EmailChange),
                    Effect::Save(Wizard::ConfirmEmail),
                ],
            })
        );
    }

    #[test]
    fn select_key_by_email_sends_the_registration_code_and_by_app_shows_the_apps() {
        let offered = [KeyKind::Email, KeyKind::App];
        assert_eq!(
            select_key(
                Some(&Wizard::SelectKey),
                " email ",
                &crate::methods::ACTIVATIONS,
                &offered,
                "c@example.org"
            ),
            Ok(Transition {
                next: Wizard::ActivateEmail,
                effects: vec![
                    audit("key.select", "email"),
                    Effect::SendCode {
                        purpose: CodePurpose::Registration,
                        to: "c@example.org".into(),
                    },
                    Effect::Save(Wizard::ActivateEmail),
                ],
            })
        );
        assert_eq!(
            select_key(
                Some(&Wizard::InstallApp),
                "app",
                &crate::methods::ACTIVATIONS,
                &offered,
                "c@example.org"
            ),
            Ok(Transition {
                next: Wizard::InstallApp,
                effects: vec![audit("key.select", "app"), Effect::Save(Wizard::InstallApp)],
            })
        );
    }

    #[test]
    fn select_key_refuses_nothing_an_active_key_a_token_and_an_unknown_key() {
        let at = Some(&Wizard::SelectKey);
        let only_app = [KeyKind::App];
        assert_eq!(
            input(select_key(
                at,
                " ",
                &crate::methods::ACTIVATIONS,
                &only_app,
                "c@example.org"
            )),
            BadInput::unprocessable("key", "field.required")
        );
        assert_eq!(
            input(select_key(
                at,
                "email",
                &crate::methods::ACTIVATIONS,
                &only_app,
                "c@example.org"
            )),
            BadInput {
                field: "key",
                message: "key.already_active",
                problem: Problem::Conflict,
            }
        );
        for typed in ["token", "sms"] {
            assert_eq!(
                input(select_key(
                    at,
                    typed,
                    &crate::methods::ACTIVATIONS,
                    &only_app,
                    "c@example.org"
                )),
                BadInput::unprocessable("key", "key.unknown")
            );
        }
        assert_eq!(
            elsewhere(select_key(
                Some(&Wizard::ConfirmEmail),
                "app",
                &crate::methods::ACTIVATIONS,
                &only_app,
                "c@example.org"
            )),
            Route::ConfirmEmail
        );
        assert_eq!(
            elsewhere(select_key(
                None,
                "app",
                &crate::methods::ACTIVATIONS,
                &only_app,
                "c@example.org"
            )),
            Route::ConfirmEmail
        );
    }

    #[test]
    fn the_confirmation_names_the_activated_key_and_is_shown_only_when_done() {
        assert_eq!(confirmation(Some(&DONE)), Ok(KeyKind::Email));
        assert_eq!(
            confirmation(Some(&Wizard::ActivateEmail)),
            Err(Elsewhere(Route::ActivateEmail))
        );
        assert_eq!(confirmation(None), Err(Elsewhere(Route::ConfirmEmail)));
    }
}
