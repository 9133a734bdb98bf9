//! A forgotten password's recovery (NIST SP 800-63B-4 §4.2) as login-flow transitions: a code mailed to the registered address, then a code of a second key still bound, then a new password; never the e-mail alone.

use super::login::{Effect, LoginFlow, Outcome, Refused, Then, Transition, audit_effect};
use super::{BadInput, Elsewhere, Why};
use crate::codes::CodeCheck;
use crate::keys::{KeyKind, KeyState};
use crate::routes::Route;

/// The audit event of every recovery step.
pub const EVENT: &str = "recovery.password";

/// Who asked for the recovery: the citizen the username names, or no one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Asked<'a> {
    Citizen {
        citizen_id: &'a str,
        username: &'a str,
        email: &'a str,
    },
    /// A username no one has: the flow goes on alike, with nothing mailed and no code right.
    NoOne { username: &'a str },
}

/// The second key a recovery asks for after the mailed code: the app if it is active, else the
/// token while it works (card code `challenge`); none, and the e-mail alone never suffices.
pub fn second_key(
    app_key: Option<KeyState>,
    token: Option<KeyState>,
    token_works: bool,
    challenge: u8,
) -> Option<(KeyKind, u8)> {
    if app_key == Some(KeyState::Active) {
        Some((KeyKind::App, 0))
    } else if token == Some(KeyState::Active) && token_works {
        Some((KeyKind::Token, challenge))
    } else {
        None
    }
}

/// The username was given: a recovery code goes to the registered address, and the flow waits
/// for it. A username no one has gets the same answer.
pub fn start(asked: Asked<'_>) -> Outcome {
    let (citizen_id, username, to) = match asked {
        Asked::Citizen {
            citizen_id,
            username,
            email,
        } => (citizen_id, username, Some(email.to_string())),
        Asked::NoOne { username } => ("", username, None),
    };
    let outcome = if to.is_some() { "code_sent" } else { "unknown" };
    let next = LoginFlow::RecoveringByEmail {
        citizen_id: citizen_id.to_string(),
        username: username.to_string(),
    };
    Ok(Transition {
        effects: vec![
            Effect::Start(next.clone()),
            Effect::SendRecoveryCode { to },
            audit_effect(EVENT, outcome, citizen_id),
        ],
        then: Then::Page(Route::RecoveryCode),
        next: Some(next),
    })
}

/// The citizen and username of a flow waiting for the mailed recovery code.
pub fn awaiting_recovery_code(current: Option<&LoginFlow>) -> Result<(&str, &str), Elsewhere> {
    match current {
        Some(LoginFlow::RecoveringByEmail {
            citizen_id,
            username,
        }) => Ok((citizen_id, username)),
        Some(other) => Err(Elsewhere(other.page())),
        None => Err(Elsewhere(Route::ForgottenPassword)),
    }
}

/// The mailed code was checked (`second`: the key to ask for next, see [`second_key`]). The
/// right one goes on to the second key, or, with none bound, to the registration office's
/// page: the flow ends there, nothing changed. A wrong one counts towards the lockout.
pub fn recovery_code(
    current: Option<&LoginFlow>,
    check: CodeCheck,
    second: Option<(KeyKind, u8)>,
) -> Outcome {
    let (citizen_id, username) = awaiting_recovery_code(current)?;
    let who = (citizen_id, username);
    // No code of a username no one has is ever right, whatever was typed.
    let check = match check {
        CodeCheck::Right { .. } if citizen_id.is_empty() => CodeCheck::Wrong { tries_left: 0 },
        other => other,
    };
    match (check, second) {
        (CodeCheck::Right { .. }, Some((key, challenge))) => {
            let next = LoginFlow::RecoveringSecondKey {
                citizen_id: citizen_id.to_string(),
                username: username.to_string(),
                key,
                challenge,
            };
            Ok(Transition {
                effects: vec![
                    Effect::Save(next.clone()),
                    audit_effect(EVENT, "code_right", citizen_id),
                ],
                then: Then::Page(Route::RecoverySecondKey),
                next: Some(next),
            })
        }
        (CodeCheck::Right { .. }, None) => Ok(Transition {
            effects: vec![
                Effect::End,
                audit_effect(EVENT, "no_second_key", citizen_id),
            ],
            then: Then::Page(Route::RecoveryOffice),
            next: None,
        }),
        (other, _) => Err(super::login::refuse_code(
            Why::Code(other),
            EVENT,
            "refuse_code",
            who,
        )),
    }
}

/// The citizen, username, key and card code number a flow asks the second key's code for.
pub fn awaiting_second_key(
    current: Option<&LoginFlow>,
) -> Result<(&str, &str, KeyKind, u8), Elsewhere> {
    match current {
        Some(LoginFlow::RecoveringSecondKey {
            citizen_id,
            username,
            key,
            challenge,
        }) => Ok((citizen_id, username, *key, *challenge)),
        Some(other) => Err(Elsewhere(other.page())),
        None => Err(Elsewhere(Route::ForgottenPassword)),
    }
}

/// The second key's code was checked: `refused` says why not (`code.invalid`, `code.replayed`),
/// and counts towards the lockout; the right one asks for the new password.
pub fn second_key_code(current: Option<&LoginFlow>, refused: Option<&'static str>) -> Outcome {
    let (citizen_id, username, _, _) = awaiting_second_key(current)?;
    if let Some(message) = refused {
        return Err(super::login::refuse_code(
            Why::CodeMessage(message),
            EVENT,
            "refuse_second_key",
            (citizen_id, username),
        ));
    }
    let next = LoginFlow::RecoveringNewPassword {
        citizen_id: citizen_id.to_string(),
        username: username.to_string(),
    };
    Ok(Transition {
        effects: vec![
            Effect::Save(next.clone()),
            audit_effect(EVENT, "second_key_right", citizen_id),
        ],
        then: Then::Page(Route::RecoveryNewPassword),
        next: Some(next),
    })
}

/// The citizen and username of a flow that asks for the new password.
pub fn choosing_password(current: Option<&LoginFlow>) -> Result<(&str, &str), Elsewhere> {
    match current {
        Some(LoginFlow::RecoveringNewPassword {
            citizen_id,
            username,
        }) => Ok((citizen_id, username)),
        Some(other) => Err(Elsewhere(other.page())),
        None => Err(Elsewhere(Route::ForgottenPassword)),
    }
}

/// A new password was chosen: `problem` is what the password policy says of it, `hash` the
/// password hashed once it passed. The flow ends, the password is reset (every session and grant
/// ending with it), the failures are cleared and the citizen is sent to log in.
pub fn password_chosen(
    current: Option<&LoginFlow>,
    problem: Option<&'static str>,
    hash: Option<String>,
) -> Outcome {
    let (citizen_id, username) = choosing_password(current)?;
    let refuse = |message| -> Outcome {
        Err(Refused {
            why: Why::Input(BadInput::unprocessable("new_password", message)),
            effects: vec![audit_effect(EVENT, "weak_password", citizen_id)],
        })
    };
    if let Some(problem) = problem {
        let message = if problem == "empty" {
            "field.required"
        } else {
            "password.weak"
        };
        return refuse(message);
    }
    let Some(hash) = hash else {
        return refuse("password.weak");
    };
    Ok(Transition {
        effects: vec![
            Effect::ResetPassword { hash },
            Effect::CountSuccess {
                username: username.to_string(),
            },
            Effect::End,
            audit_effect(EVENT, "reset", citizen_id),
        ],
        then: Then::Page(Route::RecoveryDone),
        next: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::CodePurpose;
    use crate::codes::Consume;

    fn right() -> CodeCheck {
        CodeCheck::Right {
            consume: Consume {
                purpose: CodePurpose::Recovery,
                stored: "{}".into(),
            },
            address: None,
        }
    }

    fn waiting(citizen_id: &str) -> LoginFlow {
        LoginFlow::RecoveringByEmail {
            citizen_id: citizen_id.into(),
            username: "jan".into(),
        }
    }

    #[test]
    fn a_known_and_an_unknown_username_start_alike_and_only_one_gets_mail() {
        let known = start(Asked::Citizen {
            citizen_id: "c-1",
            username: "jan",
            email: "jan@example.be",
        })
        .expect("started");
        let unknown = start(Asked::NoOne { username: "jan" }).expect("started");
        assert_eq!(known.then, unknown.then);
        assert_eq!(known.then, Then::Page(Route::RecoveryCode));
        assert!(known.effects.contains(&Effect::SendRecoveryCode {
            to: Some("jan@example.be".into())
        }));
        assert!(
            unknown
                .effects
                .contains(&Effect::SendRecoveryCode { to: None })
        );
    }

    #[test]
    fn the_mailed_code_alone_never_resets_the_password() {
        let current = waiting("c-1");
        let office = recovery_code(Some(&current), right(), None).expect("moved");
        assert_eq!(office.then, Then::Page(Route::RecoveryOffice));
        assert_eq!(office.next, None);
        assert!(
            !office
                .effects
                .iter()
                .any(|e| matches!(e, Effect::ResetPassword { .. })),
            "nothing is reset"
        );
        let second = recovery_code(Some(&current), right(), Some((KeyKind::App, 0))).expect("on");
        assert_eq!(second.then, Then::Page(Route::RecoverySecondKey));
        // Nothing but the new-password step resets it, and only after the second key.
        assert!(password_chosen(Some(&current), None, Some("h".into())).is_err());
    }

    #[test]
    fn no_code_of_a_username_no_one_has_is_right() {
        let refused = recovery_code(Some(&waiting("")), right(), Some((KeyKind::App, 0)))
            .expect_err("refused");
        assert!(matches!(refused.why, Why::Code(CodeCheck::Wrong { .. })));
        assert!(
            refused
                .effects
                .iter()
                .any(|e| matches!(e, Effect::CountFailure { .. })),
            "it counts like a wrong login"
        );
    }

    #[test]
    fn the_second_key_is_the_app_else_a_working_token() {
        use KeyState::{Active, Inactive};
        assert_eq!(
            second_key(Some(Active), Some(Active), true, 9),
            Some((KeyKind::App, 0))
        );
        assert_eq!(
            second_key(None, Some(Active), true, 9),
            Some((KeyKind::Token, 9))
        );
        assert_eq!(
            second_key(None, Some(Active), false, 9),
            None,
            "after the sunset"
        );
        assert_eq!(second_key(Some(Inactive), Some(Inactive), true, 9), None);
    }

    #[test]
    fn a_wrong_second_code_counts_and_the_right_one_asks_for_the_password() {
        let current = LoginFlow::RecoveringSecondKey {
            citizen_id: "c-1".into(),
            username: "jan".into(),
            key: KeyKind::App,
            challenge: 0,
        };
        let refused = second_key_code(Some(&current), Some("code.invalid")).expect_err("refused");
        assert_eq!(refused.why, Why::CodeMessage("code.invalid"));
        let next = second_key_code(Some(&current), None).expect("on");
        assert_eq!(next.then, Then::Page(Route::RecoveryNewPassword));
        let chosen = password_chosen(next.next.as_ref(), None, Some("h".into())).expect("reset");
        assert_eq!(chosen.then, Then::Page(Route::RecoveryDone));
        assert!(
            chosen
                .effects
                .contains(&Effect::ResetPassword { hash: "h".into() })
        );
        let weak = password_chosen(next.next.as_ref(), Some("common"), None).expect_err("weak");
        assert_eq!(
            weak.why,
            Why::Input(BadInput::unprocessable("new_password", "password.weak"))
        );
    }
}
