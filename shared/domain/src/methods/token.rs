//! The token (paper card of numbered codes): logged in with by card code until the sunset, never activated.

use super::method::KeyMethod;
use crate::app::App;
use crate::crypto::keyed_hash_matches;
use crate::flows::Elsewhere;
use crate::flows::login::{self, Identified, LoginFlow, Then, Transition};
use crate::flows::login::{Effect, Outcome, Refused, Why, audit_effect, session};
use crate::flows::login::{LoginMethod, Moment};
use crate::flows::wizard::ActivationMethod;
use crate::flows::wizard::{self, Wizard};
use crate::keys::{CARD_SIZE, KeyKind, KeyState};
use crate::progress::{Counted, NoticeChoice};
use crate::record::Record;
use crate::routes::Route;
use crate::secrets::KeyPurpose;

/// The token method.
pub struct Token;

impl KeyMethod for Token {
    fn name_id(&self) -> &'static str {
        "key-token"
    }

    fn hint_id(&self) -> &'static str {
        "key-token-hint"
    }
}

impl LoginMethod for Token {
    /// Before the sunset and while active: the card code `challenge`; otherwise unavailable.
    fn after_password(
        &self,
        who: &Identified<'_>,
        key_state: Option<KeyState>,
        at: Moment,
    ) -> login::Outcome {
        // In the grace window after the sunset a right card code still opens the wizard.
        let sunset_passed = at.now >= at.sunset && at.now >= at.grace_until;
        if sunset_passed || key_state != Some(KeyState::Active) {
            let why = if sunset_passed {
                "sunset"
            } else {
                "deactivated"
            };
            return Ok(Transition {
                next: None,
                effects: vec![login::audit_effect("login.token", why, who.citizen_id)],
                then: Then::Page(Route::TokenUnavailable),
            });
        }
        login::start(
            LoginFlow::AwaitingTokenCode {
                citizen_id: who.citizen_id.to_string(),
                username: who.username.to_string(),
                challenge: at.challenge,
            },
            Vec::new(),
        )
    }
}

impl ActivationMethod for Token {
    fn kind(&self) -> KeyKind {
        KeyKind::Token
    }

    fn activatable(&self) -> bool {
        false
    }

    fn selected(&self, _address: &str) -> Option<(Wizard, Vec<wizard::Effect>)> {
        None
    }
}

pub(crate) fn card_context(citizen_id: &str, number: u8) -> String {
    format!("token-card/{citizen_id}/{number}")
}

/// The record attribute of the card code asked for: kept until it is answered or expires, so
/// that posting the password again cannot draw a code number the guesser happens to know.
const CHALLENGE: &str = "token_challenge";

/// The card code number to ask for: the one still waiting for an answer, or a new one.
pub fn challenge_for(app: &App, record: &mut Record) -> u8 {
    let now = app.clock.now_secs();
    let waiting = record
        .s(CHALLENGE)
        .and_then(|s| s.split_once(':'))
        .and_then(|(n, until)| Some((n.parse::<u8>().ok()?, until.parse::<i64>().ok()?)))
        .filter(|(n, until)| *until > now && (1..=CARD_SIZE).contains(n));
    if let Some((n, _)) = waiting {
        return n;
    }
    let n = crate::crypto::random_in(1..=u32::from(CARD_SIZE)) as u8;
    let until = now + crate::session::FLOW_SECONDS;
    record.set_s(CHALLENGE, format!("{n}:{until}"));
    n
}

/// The card code asked for was answered right: the next login draws a new one.
pub fn challenge_answered(record: &mut Record) {
    record.remove(CHALLENGE);
}

/// Whether `code` is code number `number` of the citizen's token card.
pub fn card_code_matches(app: &App, record: &Record, number: u8, code: &str) -> bool {
    let (Some(citizen_id), Some(stored)) = (record.citizen_id(), record.s(&format!("c{number}")))
    else {
        return false;
    };
    let key = app.secrets.key(KeyPurpose::CodeHash);
    keyed_hash_matches(&key, &card_context(citizen_id, number), code, stored)
}

// The transitions of the login and wizard flows that belong to this key.

/// The card code asked for, when the flow shows the token code page.
pub fn showing_token_code(current: Option<&LoginFlow>) -> Result<u8, Elsewhere> {
    match current {
        Some(LoginFlow::AwaitingTokenCode { challenge, .. }) => Ok(*challenge),
        Some(LoginFlow::TokenNotice { .. }) => Err(Elsewhere(Route::TokenNotice)),
        Some(_) | None => Err(Elsewhere(Route::Login)),
    }
}

/// The citizen, username and card code number a posted card code answers.
pub fn answering_token_code(current: Option<&LoginFlow>) -> Result<(&str, &str, u8), Elsewhere> {
    match current {
        Some(LoginFlow::AwaitingTokenCode {
            citizen_id,
            username,
            challenge,
        }) => Ok((citizen_id, username, *challenge)),
        Some(_) => Err(Elsewhere(Route::TokenNotice)),
        None => Err(Elsewhere(Route::Login)),
    }
}

/// What the card code turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardAnswer {
    /// Wrong: the next attempt asks for card code `next_challenge`.
    Wrong { next_challenge: u8 },
    /// Right; `token_usable` says whether the token may still be used now (active, before sunset).
    Right { token_usable: bool },
    /// Right, in the grace window after the sunset, with the token active: the wizard only.
    RightInGrace,
}

/// The card code was checked: the right one shows the phase-out notice.
pub fn token_code(current: Option<&LoginFlow>, answer: CardAnswer) -> Outcome {
    let (citizen_id, username, _) = answering_token_code(current)?;
    match answer {
        CardAnswer::Wrong { next_challenge } => Err(Refused {
            why: Why::CodeMessage("code.invalid"),
            effects: vec![
                audit_effect("login.token", "failure", citizen_id),
                Effect::CountFailure {
                    username: username.to_string(),
                },
                Effect::Save(LoginFlow::AwaitingTokenCode {
                    citizen_id: citizen_id.to_string(),
                    username: username.to_string(),
                    challenge: next_challenge,
                }),
            ],
        }),
        CardAnswer::RightInGrace => Ok(Transition {
            next: None,
            effects: vec![
                Effect::CountSuccess {
                    username: username.to_string(),
                },
                Effect::End,
                Effect::StartWizardOnlySession {
                    citizen_id: citizen_id.to_string(),
                },
                audit_effect("login.token", "grace", citizen_id),
                Effect::Count(Counted::GraceLogin),
            ],
            // No notice and no service: straight into the wizard, which is all it may open.
            then: Then::Page(Route::ConfirmEmail),
        }),
        CardAnswer::Right { token_usable } => {
            let success = Effect::CountSuccess {
                username: username.to_string(),
            };
            if !token_usable {
                return Ok(Transition {
                    next: None,
                    effects: vec![
                        success,
                        Effect::End,
                        audit_effect("login.token", "unavailable", citizen_id),
                    ],
                    then: Then::Page(Route::TokenUnavailable),
                });
            }
            let next = LoginFlow::TokenNotice {
                citizen_id: citizen_id.to_string(),
            };
            Ok(Transition {
                next: Some(next.clone()),
                effects: vec![
                    success,
                    audit_effect("login.token", "success", citizen_id),
                    Effect::Save(next),
                    Effect::Count(Counted::NoticeShown),
                ],
                then: Then::Page(Route::TokenNotice),
            })
        }
    }
}

/// The citizen the phase-out notice is showing for.
pub fn at_notice(current: Option<&LoginFlow>) -> Result<&str, Elsewhere> {
    match current {
        Some(LoginFlow::TokenNotice { citizen_id }) => Ok(citizen_id),
        Some(LoginFlow::AwaitingTokenCode { .. }) => Err(Elsewhere(Route::LoginToken)),
        Some(_) | None => Err(Elsewhere(Route::Login)),
    }
}

/// A notice choice that logs in with the token: only while the token is usable.
fn notice_login(
    current: Option<&LoginFlow>,
    token_usable: bool,
    chosen: (&'static str, NoticeChoice),
    then: Then,
) -> Outcome {
    let citizen_id = at_notice(current)?;
    if !token_usable {
        return Ok(Transition {
            next: None,
            effects: vec![Effect::End],
            then: Then::Page(Route::TokenUnavailable),
        });
    }
    let mut effects = session(citizen_id, KeyKind::Token).to_vec();
    effects.push(audit_effect(chosen.0, "chosen", citizen_id));
    effects.push(Effect::Count(Counted::NoticeChoice(chosen.1)));
    Ok(Transition {
        next: None,
        effects,
        then,
    })
}

/// Notice, *Activate a new digital key now*: logged in with the token, into the wizard.
pub fn notice_activate(current: Option<&LoginFlow>, token_usable: bool) -> Outcome {
    notice_login(
        current,
        token_usable,
        ("notice.activate", NoticeChoice::Activate),
        Then::Page(Route::ConfirmEmail),
    )
}

/// Notice, *Log in with another digital key*: back to the login page; nothing else changes.
pub fn notice_other_key(current: Option<&LoginFlow>) -> Outcome {
    let citizen_id = at_notice(current)?;
    Ok(Transition {
        next: None,
        effects: vec![
            Effect::End,
            audit_effect("notice.other_key", "chosen", citizen_id),
            Effect::Count(Counted::NoticeChoice(NoticeChoice::OtherKey)),
        ],
        then: Then::Page(Route::Login),
    })
}

/// Notice, *Close*: carry on with the token login, until the sunset.
pub fn notice_close(current: Option<&LoginFlow>, token_usable: bool) -> Outcome {
    notice_login(
        current,
        token_usable,
        ("notice.close", NoticeChoice::Close),
        Then::ReturnTo,
    )
}

/// The login flow's transitions of this key (fixtures in `flows::login::tests`).
#[cfg(test)]
mod login_tests {
    use crate::flows::login::tests::*;
    use crate::flows::login::*;

    use crate::flows::tests::elsewhere;
    use crate::flows::{Elsewhere, Refused, Why};
    use crate::keys::{KeyKind, KeyState};
    use crate::progress::{Counted, NoticeChoice};
    use crate::routes::Route;

    use super::{
        CardAnswer, notice_activate, notice_close, notice_other_key, showing_token_code, token_code,
    };

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
    fn in_the_grace_window_a_right_card_code_opens_the_wizard_only() {
        let at = Moment {
            now: SUNSET + time::Duration::days(1),
            sunset: SUNSET,
            grace_until: SUNSET + time::Duration::days(14),
            challenge: 7,
        };
        let asked = password_accepted(&WHO, &super::Token, ACTIVE, at).expect("asked");
        assert_eq!(asked.next, Some(token_code_asked(7)));
        let past = Moment {
            now: SUNSET + time::Duration::days(14),
            ..at
        };
        let over = password_accepted(&WHO, &super::Token, ACTIVE, past).expect("answered");
        assert_eq!(
            over.then,
            Then::Page(Route::TokenUnavailable),
            "after the window"
        );
        let opened = token_code(Some(&token_code_asked(7)), CardAnswer::RightInGrace).expect("in");
        assert_eq!(
            opened.then,
            Then::Page(Route::ConfirmEmail),
            "no notice, no service"
        );
        assert!(opened.effects.contains(&Effect::StartWizardOnlySession {
            citizen_id: WHO.citizen_id.to_string()
        }));
        assert!(
            !opened
                .effects
                .iter()
                .any(|e| matches!(e, Effect::StartSession { .. })),
            "never a full session"
        );
        assert!(opened.effects.contains(&Effect::Count(Counted::GraceLogin)));
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
                    started_session(KeyKind::Token),
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
                    started_session(KeyKind::Token),
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
}
