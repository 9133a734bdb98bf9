//! The login flow's states and transitions: password, then a key's code (its method's), then a session.

pub use super::Why;
use super::{Audit, BadInput, Elsewhere};
use crate::keys::{KeyKind, KeyState};
use crate::routes::Route;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// Where a login is, between the password and a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum LoginFlow {
    /// The password was right; the citizen must give code `challenge` of the token card. Wrong
    /// codes count towards the username's lockout, which ends the flow.
    AwaitingTokenCode {
        citizen_id: String,
        username: String,
        challenge: u8,
    },
    /// The token code was right; the phase-out notice is showing.
    TokenNotice { citizen_id: String },
    /// The password was right; a login code was mailed. Wrong codes count towards the lockout.
    AwaitingEmailCode {
        citizen_id: String,
        username: String,
    },
    /// The password was right; the code of the authenticator app is asked for. Wrong and replayed
    /// codes count towards the lockout.
    AwaitingAppCode {
        citizen_id: String,
        username: String,
    },
    /// A forgotten password: a recovery code went to the registered address (for a username no
    /// one has, the flow looks the same and no code can be right; `citizen_id` is empty).
    RecoveringByEmail {
        citizen_id: String,
        username: String,
    },
    /// The recovery code was right; a code of a second key still bound is asked for: the app's,
    /// or card code `challenge` of the token.
    RecoveringSecondKey {
        citizen_id: String,
        username: String,
        key: KeyKind,
        challenge: u8,
    },
    /// Both proofs were given; the new password is asked for.
    RecoveringNewPassword {
        citizen_id: String,
        username: String,
    },
}

impl LoginFlow {
    /// The page that shows this state.
    pub fn page(&self) -> Route {
        match self {
            LoginFlow::AwaitingTokenCode { .. } => Route::LoginToken,
            LoginFlow::TokenNotice { .. } => Route::TokenNotice,
            LoginFlow::AwaitingEmailCode { .. } => Route::LoginEmail,
            LoginFlow::AwaitingAppCode { .. } => Route::LoginApp,
            LoginFlow::RecoveringByEmail { .. } => Route::RecoveryCode,
            LoginFlow::RecoveringSecondKey { .. } => Route::RecoverySecondKey,
            LoginFlow::RecoveringNewPassword { .. } => Route::RecoveryNewPassword,
        }
    }
}

/// What a login transition asks its handler to do, in this order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Start a login flow in this state (a new flow id in a cookie).
    Start(LoginFlow),
    /// Store the flow's new state.
    Save(LoginFlow),
    /// End the flow: delete it and clear its cookie.
    End,
    /// Count a failed attempt towards the username's lockout; once it is locked, the flow ends
    /// with the lockout page and nothing after it happens.
    CountFailure {
        username: String,
    },
    /// A success clears the username's failures.
    CountSuccess {
        username: String,
    },
    /// Mail a new login code to `to` at once; when it cannot be sent, nothing after it happens.
    SendLoginCode {
        citizen_id: String,
        to: String,
    },
    /// Start the citizen's session, logged in with `key`.
    StartSession {
        citizen_id: String,
        key: KeyKind,
    },
    /// Start a wizard-only session of a token login in the grace window after the sunset.
    StartWizardOnlySession {
        citizen_id: String,
    },
    Audit {
        audit: Audit,
        citizen_id: String,
    },
    /// Count the event in the phase-out's figures, in the same write.
    Count(crate::progress::Counted),
    /// Issue a recovery code on the record and mail it to `to` at once; `None` (a username no
    /// one has) issues it all the same, so that its tries count alike, and mails nothing.
    SendRecoveryCode {
        to: Option<String>,
    },
    /// The recovery's new password (already hashed): every session and grant of the citizen
    /// ends, the remembered browsers are forgotten, and the registered address (and the
    /// previous one, changed in the last 30 days) is told.
    ResetPassword {
        hash: String,
    },
}

/// Where the citizen goes once the effects ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Then {
    Page(Route),
    /// The page again, saying a new code was sent (`?sent=1`).
    Resent(Route),
    /// Where the login was going (the flow's return address), else My digital keys.
    ReturnTo,
}

/// A transition that happened: the flow's state after it (`None`: ended or never started), the
/// effects that make it so and where the citizen goes next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub next: Option<LoginFlow>,
    pub effects: Vec<Effect>,
    pub then: Then,
}

/// A refused transition of this flow.
pub type Refused = super::Refused<Effect>;

/// A login transition's outcome.
pub type Outcome = Result<Transition, Refused>;

pub(crate) fn audit_effect(event: &'static str, outcome: &'static str, citizen_id: &str) -> Effect {
    Effect::Audit {
        audit: Audit::new(event, outcome),
        citizen_id: citizen_id.to_string(),
    }
}

/// Who gave the right password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identified<'a> {
    pub citizen_id: &'a str,
    pub username: &'a str,
    pub email: &'a str,
}

/// The moment of a login and what it may depend on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moment {
    pub now: OffsetDateTime,
    /// From this instant no token login succeeds (but in the grace window, for the wizard).
    pub sunset: OffsetDateTime,
    /// The end of the grace window after the sunset (the sunset itself when there is none).
    pub grace_until: OffsetDateTime,
    /// The token card code to ask for, drawn at random by the caller.
    pub challenge: u8,
}

/// A key method's part in the login (as Ory Kratos hands a login strategy to its flow).
pub trait LoginMethod: Sync {
    /// The login after the right password, with this key in `key_state`.
    fn after_password(
        &self,
        who: &Identified<'_>,
        key_state: Option<KeyState>,
        at: Moment,
    ) -> Outcome;
}

/// After the right password: on to the chosen key's `method`, the key being in `key_state`.
/// The token only before the `sunset` (and then for card code `challenge`); the e-mail key
/// mails a code at once.
pub fn password_accepted(
    who: &Identified<'_>,
    method: &dyn LoginMethod,
    key_state: Option<KeyState>,
    at: Moment,
) -> Outcome {
    method.after_password(who, key_state, at)
}

/// A key other than the token logs in only while it is active.
pub fn require_active(who: &Identified<'_>, key_state: Option<KeyState>) -> Result<(), Refused> {
    if key_state == Some(KeyState::Active) {
        return Ok(());
    }
    Err(Refused {
        why: Why::Input(BadInput::unprocessable("key", "key.not_active")),
        effects: vec![audit_effect("login.key", "not_active", who.citizen_id)],
    })
}

/// A login flow starts in `state` after the `first` effects; the citizen goes to its page.
pub fn start(state: LoginFlow, first: Vec<Effect>) -> Outcome {
    let mut effects = first;
    effects.push(Effect::Start(state.clone()));
    Ok(Transition {
        then: Then::Page(state.page()),
        next: Some(state),
        effects,
    })
}

/// The flow ends in a session with `key`.
pub(crate) fn session(citizen_id: &str, key: KeyKind) -> [Effect; 2] {
    [
        Effect::End,
        Effect::StartSession {
            citizen_id: citizen_id.to_string(),
            key,
        },
    ]
}

/// The citizen and username of a flow that waits for a code of `key` (e-mail or app).
pub fn awaiting_code(current: Option<&LoginFlow>, key: KeyKind) -> Result<(&str, &str), Elsewhere> {
    match (current, key) {
        (
            Some(LoginFlow::AwaitingEmailCode {
                citizen_id,
                username,
            }),
            KeyKind::Email,
        )
        | (
            Some(LoginFlow::AwaitingAppCode {
                citizen_id,
                username,
            }),
            KeyKind::App,
        ) => Ok((citizen_id, username)),
        _ => Err(Elsewhere(Route::Login)),
    }
}

/// A code of `key` was accepted: the flow ends in a session.
pub(crate) fn logged_in(
    citizen_id: &str,
    username: &str,
    key: KeyKind,
    event: &'static str,
) -> Vec<Effect> {
    let mut effects = vec![Effect::CountSuccess {
        username: username.to_string(),
    }];
    effects.extend(session(citizen_id, key));
    effects.push(audit_effect(event, "success", citizen_id));
    effects
}

/// A code was refused: audited with `outcome` and counted towards the lockout.
pub(crate) fn refuse_code(
    why: Why,
    event: &'static str,
    outcome: &'static str,
    who: (&str, &str),
) -> Refused {
    Refused {
        why,
        effects: vec![
            audit_effect(event, outcome, who.0),
            Effect::CountFailure {
                username: who.1.to_string(),
            },
        ],
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The right password for `key`, handed its method as the login step does.
    pub(crate) fn accepted(key: KeyKind, state: Option<KeyState>, now: OffsetDateTime) -> Outcome {
        let at = Moment {
            now,
            sunset: SUNSET,
            grace_until: SUNSET,
            challenge: 7,
        };
        password_accepted(&WHO, crate::methods::of(key), state, at)
    }
    use time::macros::datetime;

    /// The fixed instant the login is tested at, and the sunset a day later.
    pub(crate) const NOW: OffsetDateTime = datetime!(2026-11-22 10:00 UTC);
    pub(crate) const SUNSET: OffsetDateTime = datetime!(2026-11-23 10:00 UTC);

    pub(crate) const WHO: Identified<'static> = Identified {
        citizen_id: "c1",
        username: "jan",
        email: "jan@example.org",
    };

    pub(crate) fn audit(event: &'static str, outcome: &'static str) -> Effect {
        Effect::Audit {
            audit: Audit::new(event, outcome),
            citizen_id: "c1".into(),
        }
    }

    pub(crate) fn success() -> Effect {
        Effect::CountSuccess {
            username: "jan".into(),
        }
    }

    pub(crate) fn failure() -> Effect {
        Effect::CountFailure {
            username: "jan".into(),
        }
    }

    pub(crate) fn started_session(key: KeyKind) -> Effect {
        Effect::StartSession {
            citizen_id: "c1".into(),
            key,
        }
    }

    pub(crate) fn token_code_asked(challenge: u8) -> LoginFlow {
        LoginFlow::AwaitingTokenCode {
            citizen_id: "c1".into(),
            username: "jan".into(),
            challenge,
        }
    }

    pub(crate) fn notice() -> LoginFlow {
        LoginFlow::TokenNotice {
            citizen_id: "c1".into(),
        }
    }

    pub(crate) fn email_code_asked() -> LoginFlow {
        LoginFlow::AwaitingEmailCode {
            citizen_id: "c1".into(),
            username: "jan".into(),
        }
    }

    pub(crate) fn app_code_asked() -> LoginFlow {
        LoginFlow::AwaitingAppCode {
            citizen_id: "c1".into(),
            username: "jan".into(),
        }
    }

    pub(crate) const ACTIVE: Option<KeyState> = Some(KeyState::Active);

    #[test]
    fn the_email_key_mails_a_code_first_and_the_app_key_asks_for_its_code() {
        let next = email_code_asked();
        assert_eq!(
            accepted(KeyKind::Email, ACTIVE, SUNSET),
            Ok(Transition {
                next: Some(next.clone()),
                effects: vec![
                    Effect::SendLoginCode {
                        citizen_id: "c1".into(),
                        to: "jan@example.org".into(),
                    },
                    Effect::Start(next),
                ],
                then: Then::Page(Route::LoginEmail),
            }),
            "the sunset does not matter to other keys"
        );
        let next = app_code_asked();
        assert_eq!(
            accepted(KeyKind::App, ACTIVE, NOW),
            Ok(Transition {
                next: Some(next.clone()),
                effects: vec![Effect::Start(next)],
                then: Then::Page(Route::LoginApp),
            })
        );
    }

    #[test]
    fn a_key_that_is_not_active_is_refused_on_the_login_page() {
        for key in [KeyKind::Email, KeyKind::App] {
            for state in [None, Some(KeyState::Inactive)] {
                assert_eq!(
                    accepted(key, state, NOW),
                    Err(Refused {
                        why: Why::Input(BadInput::unprocessable("key", "key.not_active")),
                        effects: vec![audit("login.key", "not_active")],
                    })
                );
            }
        }
    }

    #[test]
    fn every_state_has_its_page() {
        assert_eq!(token_code_asked(1).page(), Route::LoginToken);
        assert_eq!(notice().page(), Route::TokenNotice);
        assert_eq!(email_code_asked().page(), Route::LoginEmail);
        assert_eq!(app_code_asked().page(), Route::LoginApp);
    }
}
