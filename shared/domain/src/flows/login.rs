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
}

impl LoginFlow {
    /// The page that shows this state.
    pub fn page(&self) -> Route {
        match self {
            LoginFlow::AwaitingTokenCode { .. } => Route::LoginToken,
            LoginFlow::TokenNotice { .. } => Route::TokenNotice,
            LoginFlow::AwaitingEmailCode { .. } => Route::LoginEmail,
            LoginFlow::AwaitingAppCode { .. } => Route::LoginApp,
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
    Audit {
        audit: Audit,
        citizen_id: String,
    },
    /// Count the event in the phase-out's figures, in the same write.
    Count(crate::progress::Counted),
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
    /// From this instant no token login succeeds.
    pub sunset: OffsetDateTime,
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
mod tests {
    use super::*;
    use crate::codes::CodeCheck;
    use crate::flows::tests::elsewhere;
    use crate::methods::app::{AppAnswer, app_code};
    use crate::methods::email::{EmailAnswer, email_code, resend_login_code};
    use crate::methods::token::{
        CardAnswer, notice_activate, notice_close, notice_other_key, showing_token_code, token_code,
    };
    use crate::progress::{Counted, NoticeChoice};

    /// The right password for `key`, handed its method as the login step does.
    fn accepted(key: KeyKind, state: Option<KeyState>, now: OffsetDateTime) -> Outcome {
        let at = Moment {
            now,
            sunset: SUNSET,
            challenge: 7,
        };
        password_accepted(&WHO, crate::methods::of(key), state, at)
    }
    use time::macros::datetime;

    /// The fixed instant the login is tested at, and the sunset a day later.
    const NOW: OffsetDateTime = datetime!(2026-11-22 10:00 UTC);
    const SUNSET: OffsetDateTime = datetime!(2026-11-23 10:00 UTC);

    const WHO: Identified<'static> = Identified {
        citizen_id: "c1",
        username: "jan",
        email: "jan@example.org",
    };

    fn audit(event: &'static str, outcome: &'static str) -> Effect {
        Effect::Audit {
            audit: Audit::new(event, outcome),
            citizen_id: "c1".into(),
        }
    }

    fn success() -> Effect {
        Effect::CountSuccess {
            username: "jan".into(),
        }
    }

    fn failure() -> Effect {
        Effect::CountFailure {
            username: "jan".into(),
        }
    }

    fn session(key: KeyKind) -> Effect {
        Effect::StartSession {
            citizen_id: "c1".into(),
            key,
        }
    }

    fn token_code_asked(challenge: u8) -> LoginFlow {
        LoginFlow::AwaitingTokenCode {
            citizen_id: "c1".into(),
            username: "jan".into(),
            challenge,
        }
    }

    fn notice() -> LoginFlow {
        LoginFlow::TokenNotice {
            citizen_id: "c1".into(),
        }
    }

    fn email_code_asked() -> LoginFlow {
        LoginFlow::AwaitingEmailCode {
            citizen_id: "c1".into(),
            username: "jan".into(),
        }
    }

    fn app_code_asked() -> LoginFlow {
        LoginFlow::AwaitingAppCode {
            citizen_id: "c1".into(),
            username: "jan".into(),
        }
    }

    const ACTIVE: Option<KeyState> = Some(KeyState::Active);

    #[test]
    fn the_token_before_the_sunset_asks_for_a_card_code() {
        let next = token_code_asked(7);
        assert_eq!(
            accepted(KeyKind::Token, ACTIVE, NOW),
            Ok(Transition {
                next: Some(next.clone()),
                effects: vec![Effect::Start(next)],
                then: Then::Page(Route::LoginToken),
            })
        );
    }

    #[test]
    fn the_token_after_the_sunset_or_deactivated_is_unavailable() {
        for (at, state, why) in [
            (SUNSET, ACTIVE, "sunset"),
            (NOW, Some(KeyState::Inactive), "deactivated"),
            (NOW, None, "deactivated"),
        ] {
            assert_eq!(
                accepted(KeyKind::Token, state, at),
                Ok(Transition {
                    next: None,
                    effects: vec![audit("login.token", why)],
                    then: Then::Page(Route::TokenUnavailable),
                })
            );
        }
    }

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
    fn the_token_code_page_shows_only_while_a_card_code_is_asked_for() {
        assert_eq!(showing_token_code(Some(&token_code_asked(3))), Ok(3));
        assert_eq!(
            showing_token_code(Some(&notice())),
            Err(Elsewhere(Route::TokenNotice))
        );
        assert_eq!(
            showing_token_code(Some(&email_code_asked())),
            Err(Elsewhere(Route::Login))
        );
        assert_eq!(showing_token_code(None), Err(Elsewhere(Route::Login)));
    }

    #[test]
    fn the_right_card_code_shows_the_notice_while_the_token_is_usable() {
        let next = notice();
        assert_eq!(
            token_code(
                Some(&token_code_asked(3)),
                CardAnswer::Right { token_usable: true }
            ),
            Ok(Transition {
                next: Some(next.clone()),
                effects: vec![
                    success(),
                    audit("login.token", "success"),
                    Effect::Save(next),
                    Effect::Count(Counted::NoticeShown),
                ],
                then: Then::Page(Route::TokenNotice),
            })
        );
        assert_eq!(
            token_code(
                Some(&token_code_asked(3)),
                CardAnswer::Right {
                    token_usable: false
                }
            ),
            Ok(Transition {
                next: None,
                effects: vec![success(), Effect::End, audit("login.token", "unavailable")],
                then: Then::Page(Route::TokenUnavailable),
            })
        );
    }

    #[test]
    fn a_wrong_card_code_counts_a_failure_and_asks_for_another_code() {
        assert_eq!(
            token_code(
                Some(&token_code_asked(3)),
                CardAnswer::Wrong { next_challenge: 11 }
            ),
            Err(Refused {
                why: Why::CodeMessage("code.invalid"),
                effects: vec![
                    audit("login.token", "failure"),
                    failure(),
                    Effect::Save(token_code_asked(11)),
                ],
            })
        );
        let right = CardAnswer::Right { token_usable: true };
        assert_eq!(
            elsewhere(token_code(Some(&notice()), right)),
            Route::TokenNotice
        );
        assert_eq!(
            elsewhere(token_code(Some(&app_code_asked()), right)),
            Route::TokenNotice
        );
        assert_eq!(elsewhere(token_code(None, right)), Route::Login);
    }

    #[test]
    fn activate_now_logs_in_with_the_token_and_opens_the_wizard() {
        assert_eq!(
            notice_activate(Some(&notice()), true),
            Ok(Transition {
                next: None,
                effects: vec![
                    Effect::End,
                    session(KeyKind::Token),
                    audit("notice.activate", "chosen"),
                    Effect::Count(Counted::NoticeChoice(NoticeChoice::Activate)),
                ],
                then: Then::Page(Route::ConfirmEmail),
            })
        );
    }

    #[test]
    fn close_carries_on_with_the_token_login_to_where_it_was_going() {
        assert_eq!(
            notice_close(Some(&notice()), true),
            Ok(Transition {
                next: None,
                effects: vec![
                    Effect::End,
                    session(KeyKind::Token),
                    audit("notice.close", "chosen"),
                    Effect::Count(Counted::NoticeChoice(NoticeChoice::Close)),
                ],
                then: Then::ReturnTo,
            })
        );
    }

    #[test]
    fn notice_choices_that_log_in_need_a_usable_token() {
        for choose in [notice_activate, notice_close] {
            assert_eq!(
                choose(Some(&notice()), false),
                Ok(Transition {
                    next: None,
                    effects: vec![Effect::End],
                    then: Then::Page(Route::TokenUnavailable),
                })
            );
            assert_eq!(
                elsewhere(choose(Some(&token_code_asked(1)), true)),
                Route::LoginToken
            );
            assert_eq!(
                elsewhere(choose(Some(&email_code_asked()), true)),
                Route::Login
            );
            assert_eq!(elsewhere(choose(None, true)), Route::Login);
        }
    }

    #[test]
    fn another_key_ends_the_flow_and_goes_back_to_the_login_page() {
        assert_eq!(
            notice_other_key(Some(&notice())),
            Ok(Transition {
                next: None,
                effects: vec![
                    Effect::End,
                    audit("notice.other_key", "chosen"),
                    Effect::Count(Counted::NoticeChoice(NoticeChoice::OtherKey)),
                ],
                then: Then::Page(Route::Login),
            })
        );
        assert_eq!(
            elsewhere(notice_other_key(Some(&token_code_asked(1)))),
            Route::LoginToken
        );
        assert_eq!(elsewhere(notice_other_key(None)), Route::Login);
    }

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
                    session(KeyKind::Email),
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

    #[test]
    fn a_fresh_app_code_starts_a_session() {
        assert_eq!(
            app_code(Some(&app_code_asked()), AppAnswer::Right),
            Ok(Transition {
                next: None,
                effects: vec![
                    success(),
                    Effect::End,
                    session(KeyKind::App),
                    audit("login.app", "success")
                ],
                then: Then::ReturnTo,
            })
        );
    }

    #[test]
    fn a_wrong_or_replayed_app_code_counts_a_failure_and_no_app_key_ends_the_flow() {
        for message in ["code.invalid", "code.replayed"] {
            assert_eq!(
                app_code(Some(&app_code_asked()), AppAnswer::Refused(message)),
                Err(Refused {
                    why: Why::CodeMessage(message),
                    effects: vec![audit("login.app", message), failure()],
                })
            );
        }
        assert_eq!(
            app_code(Some(&app_code_asked()), AppAnswer::NoKey),
            Ok(Transition {
                next: None,
                effects: vec![Effect::End],
                then: Then::Page(Route::Login),
            })
        );
        assert_eq!(
            elsewhere(app_code(Some(&email_code_asked()), AppAnswer::Right)),
            Route::Login
        );
        assert_eq!(elsewhere(app_code(None, AppAnswer::Right)), Route::Login);
    }

    #[test]
    fn every_state_has_its_page() {
        assert_eq!(token_code_asked(1).page(), Route::LoginToken);
        assert_eq!(notice().page(), Route::TokenNotice);
        assert_eq!(email_code_asked().page(), Route::LoginEmail);
        assert_eq!(app_code_asked().page(), Route::LoginApp);
    }
}
