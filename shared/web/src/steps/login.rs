//! The `login` step: username, password and the choice of key.

use super::{LoginState, OrUnavailable, Page, key_choice, login_step_to, session_of};
use crate::app::App;
use crate::budget::{self, Budget};
use crate::domain::{self, KeyKind};
use crate::flows::login::{self as flow, Identified};
use crate::i18n::Lang;
use crate::methods;
use crate::record::{CommitError, Record, citizen_key};
use crate::routes::Route;
use crate::session::{self, allowed_return_to};
use crate::store::Condition;
use crate::throttle::{self, Attempt, Locked};
use crate::view::{Action, Block, FieldKind, Level, View};
use crate::web::{Ctx, DEVICE_COOKIE, FormPost};
use axum::extract::State;
use axum::response::Response;
use http::StatusCode;
use serde::Deserialize;

/// The login form as posted.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub key: String,
}

/// The login page; `return_to` (already checked) rides on the form's address.
pub fn login_view(
    lang: Lang,
    return_to: Option<&str>,
    username: &str,
    key: Option<KeyKind>,
) -> View {
    let view = View::new("login", lang, "login-title")
        .paragraph("login-intro")
        .block(Block::Callout {
            level: Level::Info,
            text: crate::i18n::t(lang, "login-personal"),
        });
    let mut username_field = view.field(
        "username",
        "field-username",
        FieldKind::Text {
            autocomplete: "username",
        },
    );
    username_field.value = username.to_string();
    let password = view.field(
        "password",
        "field-password",
        FieldKind::Password {
            autocomplete: "current-password",
        },
    );
    let choices = KeyKind::ALL.iter().map(|k| key_choice(&view, *k)).collect();
    let mut key_field = view.field("key", "field-key", FieldKind::Choice(choices));
    key_field.value = key.map(|k| k.as_str().to_string()).unwrap_or_default();
    let href = match return_to {
        Some(to) => Route::LoginSubmit
            .with_query(&serde_urlencoded::to_string([("return_to", to)]).unwrap_or_default()),
        None => Route::LoginSubmit.path().into(),
    };
    let submit = Action::post("submit", href, view.t("button-login"))
        .field(username_field)
        .field(password)
        .field(key_field);
    let keys_link = Action::get("keys", Route::MyKeys.path(), view.t("login-keys-link"));
    view.action(submit).action(keys_link)
}

fn return_to(app: &App, ctx: &Ctx) -> Option<String> {
    ctx.query("return_to")
        .and_then(|to| allowed_return_to(app, to))
}

/// `GET /`: My digital keys for a logged-in citizen, the login page for anyone else.
pub async fn home(State(app): State<App>, ctx: Ctx) -> Page {
    let session = session_of(&app, &ctx).await?;
    Ok(ctx.redirect(if session.is_some() {
        Route::MyKeys.path()
    } else {
        Route::Login.path()
    }))
}

/// Notes the public service this login is for, if its request waits (every login page rendered
/// for this request then names it: [`crate::view::View::asked_by_service`]).
async fn note_asking_service(
    app: &App,
    ctx: &mut Ctx,
    return_to: Option<&str>,
) -> Result<(), Response> {
    let Some(id) = return_to.and_then(crate::service_request::request_of_return) else {
        return Ok(());
    };
    let service = crate::service_request::asking_service(app, &id, ctx.lang)
        .await
        .or_unavailable(ctx)?;
    ctx.asking = service.map(|name| (name, crate::service_request::cancel_href(&id)));
    Ok(())
}

/// `GET /login`.
pub async fn show(State(app): State<App>, mut ctx: Ctx) -> Page {
    let return_to = return_to(&app, &ctx);
    note_asking_service(&app, &mut ctx, return_to.as_deref()).await?;
    let view = login_view(ctx.lang, return_to.as_deref(), "", None);
    // Sent here to log in again before an address change or a key activation (step-up).
    let view = if ctx.query("again") == Some("1") {
        view.message(Level::Info, "login.again", None)
    } else {
        view
    };
    Ok(ctx.render(view))
}

/// The login page again with the lockout message.
pub fn locked_view(lang: Lang, return_to: Option<&str>, username: &str, locked: Locked) -> View {
    login_view(lang, return_to, username, None)
        .status(StatusCode::TOO_MANY_REQUESTS)
        .message_args(
            Level::Error,
            "login.locked",
            &[("minutes", locked.minutes.into())],
        )
}

/// `POST /login`: checks the password, then sends the citizen to the chosen key's step.
pub async fn submit(
    State(app): State<App>,
    FormPost { mut ctx, form }: FormPost<LoginForm>,
) -> Page {
    let return_to = return_to(&app, &ctx);
    note_asking_service(&app, &mut ctx, return_to.as_deref()).await?;
    let (username, key) = read_form(&ctx, return_to.as_deref(), &form)?;
    let ck = citizen_key(&app, &username);
    // A browser the citizen logged in from checks on its own counter; any other on the account's.
    let on_device = match known_device(&app, &ctx, &ck) {
        Some(device) => {
            check_on_device(&app, &ctx, return_to.as_deref(), &ck, &device, key, &form).await?
        }
        None => None,
    };
    let (mut record, attempt) = match on_device {
        Some(record) => (record, None),
        None => {
            check_on_account(
                &app,
                &mut ctx,
                return_to.as_deref(),
                &username,
                key,
                &form.password,
            )
            .await?
        }
    };
    let Some(citizen) = record.citizen() else {
        return Err(ctx.error(StatusCode::SERVICE_UNAVAILABLE, "unavailable"));
    };
    record.audit(&app, "login.password", "success");
    let key_state = record.key(key).map(|k| k.state);
    let who = Identified {
        citizen_id: &citizen.id,
        username: &username,
        email: &citizen.email,
    };
    let challenge = if key == KeyKind::Token {
        methods::token::challenge_for(&app, &mut record)
    } else {
        1
    };
    let outcome = flow::password_accepted(
        &who,
        key,
        key_state,
        app.clock.now(),
        app.settings.token_sunset_at,
        challenge,
    );
    let page = |lang| login_view(lang, return_to.as_deref(), &username, Some(key));
    let state = LoginState {
        record,
        flow: None,
        attempt,
    };
    login_step_to(&app, &mut ctx, state, return_to.clone(), outcome, page).await
}

/// The username and key of a login form with every field given; otherwise the page again with
/// what is missing.
fn read_form(
    ctx: &Ctx,
    return_to: Option<&str>,
    form: &LoginForm,
) -> Result<(String, KeyKind), Response> {
    let username = form.username.trim().to_string();
    let key = KeyKind::parse(&form.key);
    let mut view =
        login_view(ctx.lang, return_to, &username, key).status(StatusCode::UNPROCESSABLE_ENTITY);
    let mut invalid = false;
    if username.is_empty() {
        view = view.message(Level::Error, "field.required", Some("username"));
        invalid = true;
    } else if let Some(problem) = crate::input::username_problem(&username) {
        // No username looks like this (invisible characters, mixed scripts): say so plainly.
        tracing::info!(
            audit = "input.rejected",
            field = "username",
            problem,
            "audit"
        );
        view = view.message(Level::Error, "username.invalid", Some("username"));
        invalid = true;
    }
    if form.password.is_empty() {
        view = view.message(Level::Error, "field.required", Some("password"));
        invalid = true;
    }
    if key.is_none() {
        let id = if form.key.is_empty() {
            "field.required"
        } else {
            "key.unknown"
        };
        view = view.message(Level::Error, id, Some("key"));
        invalid = true;
    }
    match (key, invalid) {
        (Some(key), false) => Ok((username, key)),
        _ => Err(ctx.render(view)),
    }
}

/// The device cookie's record attribute when this browser's cookie names the citizen `ck`.
fn known_device(app: &App, ctx: &Ctx, ck: &str) -> Option<String> {
    let (cookie_ck, secret) = session::cookie_parts(ctx.cookie(DEVICE_COOKIE))?;
    (cookie_ck == ck).then(|| session::device_attr(app, secret))
}

/// The password check of a browser the citizen logged in from before: counted on its own
/// counter, so the owner gets in even while strangers' guesses lock the account (and a right
/// password ends that lockout). `None` when the browser is not known (any more) or used up its
/// checks: the check is then the account's.
async fn check_on_device(
    app: &App,
    ctx: &Ctx,
    return_to: Option<&str>,
    ck: &str,
    device: &str,
    key: KeyKind,
    form: &LoginForm,
) -> Result<Option<Record>, Response> {
    let (taken, mut record) = throttle::take_device_attempt(app, ck, device)
        .await
        .or_unavailable(ctx)?;
    if !taken {
        return Ok(None);
    }
    if password_matches(&mut record, &form.password).await {
        record.device_attempt_succeeded(device);
        return Ok(Some(record));
    }
    record.audit(app, "login.password", "failure");
    match record.commit(app).await {
        Ok(()) | Err(CommitError::Conflict { .. }) => {}
        Err(CommitError::Store(err)) => return Err(super::unavailable_page(ctx, &err)),
    }
    let view = login_view(ctx.lang, return_to, form.username.trim(), Some(key))
        .status(StatusCode::UNAUTHORIZED)
        .message(Level::Error, "login.failed", None);
    Err(ctx.render(view))
}

/// The password check of any other browser: a slot of the address's and the service's failure
/// budgets first, then an attempt on the account (see [`check_password`]); a right password
/// gives the slots back in the login's own write.
async fn check_on_account(
    app: &App,
    ctx: &mut Ctx,
    return_to: Option<&str>,
    username: &str,
    key: KeyKind,
    password: &str,
) -> Result<(Record, Option<i64>), Response> {
    let slots = match budget::take(app, &ctx.client_ip)
        .await
        .or_unavailable(ctx)?
    {
        Budget::Taken(slots) => slots,
        Budget::AddressSpent => {
            tracing::warn!(audit = "login.budget", outcome = "address_spent", "audit");
            let view = login_view(ctx.lang, return_to, username, Some(key))
                .status(StatusCode::TOO_MANY_REQUESTS)
                .message(Level::Error, "login.too_many", None);
            return Err(ctx.render(view));
        }
    };
    let (mut record, n) = check_password(app, ctx, return_to, username, key, password).await?;
    slots.give_back(&mut record);
    Ok((record, Some(n)))
}

/// Whether `password` is the citizen's; an old system's hash that matches is rehashed to the
/// service's argon2id in the record (written with the login).
pub(super) async fn password_matches(record: &mut Record, password: &str) -> bool {
    let stored = record.citizen().map(|c| c.password_hash().to_string());
    match stored.as_deref() {
        Some(phc) if crate::legacy_passwords::is_current(phc) => {
            crate::passwords::verify(password.to_string(), phc.to_string()).await
        }
        // Imported from the old system (bcrypt, PBKDF2, scrypt, argon2i…): checked off
        // the async threads, then rehashed to the service's argon2id in the same write.
        Some(phc) => {
            let (given, old) = (password.to_string(), phc.to_string());
            let right = tokio::task::spawn_blocking(move || {
                crate::legacy_passwords::verify_legacy(&given, &old)
            })
            .await
            .ok()
            .flatten();
            match right {
                Some(true) => {
                    if let Ok(rehashed) = crate::passwords::hash(password.to_string()).await {
                        record.set_s("password", rehashed);
                    }
                    true
                }
                Some(false) => false,
                None => crate::passwords::verify(password.to_string(), phc.to_string()).await,
            }
        }
        None => false,
    }
}

/// The record of the citizen whose password this is, with the attempt it took, unless the
/// username is locked out. The attempt is taken before the password is checked; a wrong password
/// (or an unknown username, checked at the same cost and counted on a stub record) stays counted
/// towards the lockout.
async fn check_password(
    app: &App,
    ctx: &mut Ctx,
    return_to: Option<&str>,
    username: &str,
    key: KeyKind,
    password: &str,
) -> Result<(Record, i64), Response> {
    let ck = citizen_key(app, username);
    let (attempt, mut record) = throttle::take_attempt(app, &ck, vec![Condition::has("username")])
        .await
        .or_unavailable(ctx)?;
    let refused = |ctx: &Ctx, locked: Option<Locked>| {
        let view = match locked {
            Some(locked) => locked_view(ctx.lang, return_to, username, locked),
            None => login_view(ctx.lang, return_to, username, Some(key))
                .status(StatusCode::UNAUTHORIZED)
                .message(Level::Error, "login.failed", None),
        };
        ctx.render(view)
    };
    match attempt {
        Attempt::Locked(locked) => {
            tracing::info!(audit = "login.password", outcome = "locked", "audit");
            Err(refused(ctx, Some(locked)))
        }
        Attempt::Refused => {
            // No citizen has this username: the same cost, the same answer, counted all the same.
            domain::password_check_of_nobody(password).await;
            let locked = record.stub_failed(app);
            record.audit(app, "login.password", "failure");
            match record.commit(app).await {
                Ok(()) | Err(CommitError::Conflict { .. }) => {}
                Err(CommitError::Store(err)) => return Err(super::unavailable_page(ctx, &err)),
            }
            Err(refused(ctx, locked))
        }
        Attempt::Taken { n } => {
            let matches = password_matches(&mut record, password).await;
            if matches {
                return Ok((record, n));
            }
            let locked = record.attempt_failed(app, n);
            record.audit(app, "login.password", "failure");
            match record.commit(app).await {
                Ok(()) | Err(CommitError::Conflict { .. }) => {}
                Err(CommitError::Store(err)) => return Err(super::unavailable_page(ctx, &err)),
            }
            Err(refused(ctx, locked))
        }
    }
}
