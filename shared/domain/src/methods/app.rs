//! The mobile-app key (TOTP): paired by QR code in the wizard, logged in with by the app's code, each code used once.

use super::method::KeyMethod;
use crate::app::App;
use crate::flows::login::{self, Identified, LoginFlow};
use crate::flows::login::{LoginMethod, Moment};
use crate::flows::login::{Then, awaiting_code, logged_in, refuse_code};
use crate::flows::wizard::ActivationMethod;
use crate::flows::wizard::{self, Wizard};
use crate::flows::wizard::{Guard, moved, state_fits};
use crate::flows::{Audit, Elsewhere, Why};
use crate::keys::{KeyKind, KeyState};
use crate::record::Record;
use crate::routes::Route;
use crate::secrets::KeyPurpose;
use crate::store::Condition;
use crate::store::Value;
use crate::totp::AppSecret;

/// The mobile-app method.
pub struct AppKey;

impl KeyMethod for AppKey {
    fn name_id(&self) -> &'static str {
        "key-app"
    }

    fn hint_id(&self) -> &'static str {
        "key-app-hint"
    }
}

impl LoginMethod for AppKey {
    /// While active: the app's code is asked for.
    fn after_password(
        &self,
        who: &Identified<'_>,
        key_state: Option<KeyState>,
        _at: Moment,
    ) -> login::Outcome {
        login::require_active(who, key_state)?;
        login::start(
            LoginFlow::AwaitingAppCode {
                citizen_id: who.citizen_id.to_string(),
                username: who.username.to_string(),
            },
            Vec::new(),
        )
    }
}

impl ActivationMethod for AppKey {
    fn kind(&self) -> KeyKind {
        KeyKind::App
    }

    /// Step 3 starts with the apps to install.
    fn selected(&self, _address: &str) -> Option<(Wizard, Vec<wizard::Effect>)> {
        Some((Wizard::InstallApp, Vec::new()))
    }
}

/// The citizen's active app key: its sealed secret and the last time step used.
pub fn active_key(record: &Record) -> Option<(String, i64)> {
    if record.s(&KeyKind::App.attr()) != Some(KeyState::Active.as_str()) {
        return None;
    }
    Some((
        record.s("app_secret")?.to_string(),
        record.n("app_last_step")?,
    ))
}

/// Uses time step `step` of the app key, whose last used step was `last`: only a later step, and
/// only if no other request used one meanwhile (a condition of the write). `false` for a replay.
pub fn use_step(record: &mut Record, last: i64, step: i64) -> bool {
    if step <= last {
        return false;
    }
    record.require(Condition::equals("app_last_step", Value::N(last)));
    record.set_n("app_last_step", step);
    true
}

// The transitions of the login and wizard flows that belong to this key.

/// What the app's code turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppAnswer {
    /// The citizen has no active app key (any more).
    NoKey,
    /// Refused with this message: `code.invalid` (no time step matched) or `code.replayed`.
    Refused(&'static str),
    /// A code of a time step never used before.
    Right,
}

/// Checks `code` against the citizen's active app key at the service's clock: a code of the
/// current step or of the steps just before, of a step never used (using it on the record, on
/// condition no other request used one meanwhile). The sealed secret that cannot be opened is an
/// error: the key is there but unusable.
pub fn check_app_code(
    app: &App,
    record: &mut Record,
    code: &str,
) -> Result<AppAnswer, crate::totp::Unsealable> {
    let Some((sealed, last_step)) = active_key(record) else {
        return Ok(AppAnswer::NoKey);
    };
    let citizen_id = record.citizen_id().unwrap_or_default().to_string();
    let key = app.secrets.key(KeyPurpose::TotpEncryption);
    let secret = AppSecret::unseal(&sealed, &key, &citizen_id)?;
    let now = app.clock.now_secs().max(0) as u64;
    Ok(match secret.matching_step(code, now) {
        None => AppAnswer::Refused("code.invalid"),
        Some(step) if use_step(record, last_step, step as i64) => AppAnswer::Right,
        Some(_) => AppAnswer::Refused("code.replayed"),
    })
}

/// The app's code was checked: the right one starts the session.
pub fn app_code(current: Option<&LoginFlow>, answer: AppAnswer) -> login::Outcome {
    let (citizen_id, username) = awaiting_code(current, KeyKind::App)?;
    match answer {
        AppAnswer::NoKey => Ok(login::Transition {
            next: None,
            effects: vec![login::Effect::End],
            then: Then::Page(Route::Login),
        }),
        AppAnswer::Refused(message) => Err(refuse_code(
            Why::CodeMessage(message),
            "login.app",
            message,
            (citizen_id, username),
        )),
        AppAnswer::Right => Ok(login::Transition {
            next: None,
            effects: logged_in(citizen_id, username, KeyKind::App, "login.app"),
            then: Then::ReturnTo,
        }),
    }
}

/// Wrong codes while pairing before a new secret is needed.
pub const PAIR_TRIES: u8 = 5;

/// Step 3 by app is under way (installing or pairing).
pub fn installing(current: Option<&Wizard>) -> Result<&Wizard, Elsewhere> {
    state_fits(current, |w| {
        matches!(w, Wizard::InstallApp | Wizard::PairApp { .. })
    })
}

/// The app is installed: pair it with `sealed_secret`, a new secret sealed for the wizard.
pub fn start_pairing(current: Option<&Wizard>, sealed_secret: String) -> wizard::Outcome {
    installing(current)?;
    let next = Wizard::PairApp {
        sealed_secret,
        tries: 0,
    };
    moved(next.clone(), vec![wizard::Effect::Save(next)])
}

/// The sealed secret being paired and the wrong codes so far, when pairing.
pub fn pairing(current: Option<&Wizard>) -> Result<(&str, u8), Elsewhere> {
    match state_fits(current, |w| matches!(w, Wizard::PairApp { .. }))? {
        Wizard::PairApp {
            sealed_secret,
            tries,
        } => Ok((sealed_secret, *tries)),
        other => Err(Elsewhere(other.page())),
    }
}

/// The pairing secret cannot be opened: pairing starts again with the apps to install.
pub fn restart_pairing(current: Option<&Wizard>) -> wizard::Outcome {
    pairing(current)?;
    moved(
        Wizard::InstallApp,
        vec![wizard::Effect::Save(Wizard::InstallApp)],
    )
}

/// The app's `code` at `now` (epoch seconds), for the pairing `secret` (opened from the state):
/// a code of the current time step or of the steps just before (never a future one) switches to
/// the app key, on condition the wizard is still in this state.
pub fn pair_code(
    current: Option<&Wizard>,
    secret: &AppSecret,
    code: &str,
    now: i64,
) -> wizard::Outcome {
    let (sealed, tries) = pairing(current)?;
    let Some(step) = secret.matching_step(code, now.max(0) as u64) else {
        let refused = wizard::Effect::Audit(Audit::new("key.activate", "app_code_refused"));
        let tries = tries + 1;
        if tries >= PAIR_TRIES {
            return Err(wizard::Refused {
                why: Why::PairingRestarts,
                effects: vec![refused, wizard::Effect::Save(Wizard::InstallApp)],
            });
        }
        let again = Wizard::PairApp {
            sealed_secret: sealed.to_string(),
            tries,
        };
        return Err(wizard::Refused {
            why: Why::PairCode {
                tries_left: PAIR_TRIES - tries,
            },
            effects: vec![refused, wizard::Effect::Save(again)],
        });
    };
    let was = current.cloned().unwrap_or(Wizard::InstallApp);
    moved(
        Wizard::Done {
            activated: KeyKind::App,
        },
        vec![wizard::Effect::Switch {
            kind: KeyKind::App,
            guard: Guard::Wizard(was),
            extra: vec![
                ("secret".to_string(), Value::S(sealed.to_string())),
                ("last_step".to_string(), Value::N(step as i64)),
            ],
        }],
    )
}

/// The login flow's transitions of this key (fixtures in `flows::login::tests`).
#[cfg(test)]
mod login_tests {
    use crate::flows::login::tests::*;
    use crate::flows::login::*;

    use crate::flows::tests::elsewhere;
    use crate::flows::{Refused, Why};
    use crate::keys::KeyKind;

    use crate::routes::Route;

    use super::{AppAnswer, app_code};

    #[test]
    fn a_fresh_app_code_starts_a_session() {
        assert_eq!(
            app_code(Some(&app_code_asked()), AppAnswer::Right),
            Ok(Transition {
                next: None,
                effects: vec![
                    success(),
                    Effect::End,
                    started_session(KeyKind::App),
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
}

/// The wizard flow's transitions of this key (fixtures in `flows::wizard::tests`).
#[cfg(test)]
mod wizard_tests {
    use crate::flows::wizard::tests::*;
    use crate::flows::wizard::*;

    use crate::flows::tests::elsewhere;
    use crate::flows::{Elsewhere, Refused, Why};
    use crate::keys::KeyKind;

    use super::{installing, pair_code, pairing, restart_pairing, start_pairing};
    use crate::routes::Route;
    use crate::store::Value;
    use crate::totp::AppSecret;

    #[test]
    fn pairing_starts_from_install_or_again_from_pairing_with_a_new_secret() {
        for current in [Wizard::InstallApp, pairing_with(3)] {
            let next = Wizard::PairApp {
                sealed_secret: "new".into(),
                tries: 0,
            };
            assert_eq!(
                start_pairing(Some(&current), "new".into()),
                Ok(Transition {
                    next: next.clone(),
                    effects: vec![Effect::Save(next)],
                })
            );
        }
        assert_eq!(
            elsewhere(start_pairing(Some(&Wizard::ActivateEmail), "new".into())),
            Route::ActivateEmail
        );
        assert_eq!(
            installing(Some(&Wizard::SelectKey)),
            Err(Elsewhere(Route::SelectKey))
        );
    }

    #[test]
    fn an_unreadable_pairing_secret_restarts_the_pairing() {
        assert_eq!(pairing(Some(&pairing_with(2))), Ok(("sealed", 2)));
        assert_eq!(
            restart_pairing(Some(&pairing_with(2))),
            Ok(Transition {
                next: Wizard::InstallApp,
                effects: vec![Effect::Save(Wizard::InstallApp)],
            })
        );
        assert_eq!(
            elsewhere(restart_pairing(Some(&Wizard::InstallApp))),
            Route::InstallApp
        );
    }

    #[test]
    fn the_apps_code_at_a_fixed_clock_switches_to_the_app_key_guarded_by_the_state() {
        let secret = AppSecret::from_bytes(vec![7; 20]);
        let now = NOW.unix_timestamp();
        let step = now as u64 / 30;
        let current = pairing_with(1);
        for answered in [step - 1, step] {
            let code = secret.code_at_step(answered);
            assert_eq!(
                pair_code(Some(&current), &secret, &code, now),
                Ok(Transition {
                    next: Wizard::Done {
                        activated: KeyKind::App,
                    },
                    effects: vec![Effect::Switch {
                        kind: KeyKind::App,
                        guard: Guard::Wizard(current.clone()),
                        extra: vec![
                            ("secret".into(), Value::S("sealed".into())),
                            ("last_step".into(), Value::N(answered as i64)),
                        ],
                    }],
                }),
                "the code of step {answered} (now is step {step})"
            );
        }
    }

    #[test]
    fn a_wrong_or_old_app_code_counts_a_try_and_the_fifth_restarts_the_pairing() {
        let secret = AppSecret::from_bytes(vec![7; 20]);
        let now = NOW.unix_timestamp();
        let too_old = secret.code_at_step(now as u64 / 30 - 2);
        let refused = audit("key.activate", "app_code_refused");
        assert_eq!(
            pair_code(Some(&pairing_with(0)), &secret, &too_old, now),
            Err(Refused {
                why: Why::PairCode { tries_left: 4 },
                effects: vec![refused.clone(), Effect::Save(pairing_with(1))],
            })
        );
        assert_eq!(
            pair_code(Some(&pairing_with(4)), &secret, "000000x", now),
            Err(Refused {
                why: Why::PairingRestarts,
                effects: vec![refused, Effect::Save(Wizard::InstallApp)],
            })
        );
        assert_eq!(
            elsewhere(pair_code(Some(&Wizard::InstallApp), &secret, "123456", now)),
            Route::InstallApp
        );
        assert_eq!(
            elsewhere(pair_code(None, &secret, "123456", now)),
            Route::ConfirmEmail
        );
    }
}
