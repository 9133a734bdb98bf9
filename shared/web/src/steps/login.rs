//! The `login` step: username, password and the choice of key.

use super::login_page::{LoginOffer, locked_view, login_view};
use super::request::{Page, session_of};
use super::run_login::{LoginState, login_step_to};
use super::views::OrUnavailable;
use crate::refusal::Refusal;
use crate::view::Level;
use crate::web::{Ctx, DEVICE_COOKIE, FormPost};
use axum::extract::State;
use http::StatusCode;
use keys_domain::app::App;
use keys_domain::budget::{self, Budget};
use keys_domain::citizens::{self};
use keys_domain::flows::login::{self as flow, Identified};
use keys_domain::keys::KeyKind;
use keys_domain::methods;
use keys_domain::record::{CommitError, Record, citizen_key};
use keys_domain::routes::Route;
use keys_domain::session::{self, allowed_return_to};
use keys_domain::throttle::{self, Attempt, Locked};
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
) -> Result<(), Refusal> {
    let Some(id) = return_to.and_then(keys_domain::service_request::request_of_return) else {
        return Ok(());
    };
    let service = keys_domain::service_request::asking_service(app, &id, ctx.lang)
        .await
        .or_unavailable(ctx)?;
    ctx.asking = service.map(|name| (name, keys_domain::service_request::cancel_href(&id)));
    Ok(())
}

/// `GET /login`.
pub async fn show(State(app): State<App>, mut ctx: Ctx) -> Page {
    let return_to = return_to(&app, &ctx);
    note_asking_service(&app, &mut ctx, return_to.as_deref()).await?;
    let view = login_view(
        ctx.lang,
        &LoginOffer::now(&app),
        return_to.as_deref(),
        "",
        None,
    );
    // Sent here to log in again before an address change or a key activation (step-up).
    let view = if ctx.query("again") == Some("1") {
        view.message(Level::Info, "login.again", None)
    } else {
        view
    };
    Ok(ctx.render(view))
}

/// `POST /login`: checks the password, then sends the citizen to the chosen key's step.
pub async fn submit(
    State(app): State<App>,
    FormPost { mut ctx, form }: FormPost<LoginForm>,
) -> Page {
    let return_to = return_to(&app, &ctx);
    note_asking_service(&app, &mut ctx, return_to.as_deref()).await?;
    let (username, key) = read_form(&app, &ctx, return_to.as_deref(), &form)?;
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
        return Err(ctx.refuse_with(StatusCode::SERVICE_UNAVAILABLE, "unavailable"));
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
    let at = flow::Moment {
        now: app.clock.now(),
        sunset: app.settings.token_sunset_at,
        grace_until: app.settings.token_grace_until(),
        challenge,
    };
    let outcome = flow::password_accepted(&who, methods::of(key), key_state, at);
    let page = |lang| {
        login_view(
            lang,
            &LoginOffer::now(&app),
            return_to.as_deref(),
            &username,
            Some(key),
        )
    };
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
    app: &App,
    ctx: &Ctx,
    return_to: Option<&str>,
    form: &LoginForm,
) -> Result<(String, KeyKind), Refusal> {
    let username = form.username.trim().to_string();
    let key = KeyKind::parse(&form.key);
    let mut view = login_view(ctx.lang, &LoginOffer::now(app), return_to, &username, key)
        .status(StatusCode::UNPROCESSABLE_ENTITY);
    let mut invalid = false;
    if username.is_empty() {
        view = view.message(Level::Error, "field.required", Some("username"));
        invalid = true;
    } else if let Some(problem) = keys_domain::input::username_problem(&username) {
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
        _ => Err(ctx.refuse(view)),
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
) -> Result<Option<Record>, Refusal> {
    let (taken, mut record) = throttle::take_device_attempt(app, ck, device)
        .await
        .or_unavailable(ctx)?;
    if !taken {
        return Ok(None);
    }
    if record.check_password(&form.password).await {
        record.device_attempt_succeeded(device);
        return Ok(Some(record));
    }
    record.audit(app, "login.password", "failure");
    match record.commit(app).await {
        Ok(()) | Err(CommitError::Conflict { .. }) => {}
        Err(CommitError::Store(err)) => return Err(ctx.unavailable(&err)),
    }
    let view = login_view(
        ctx.lang,
        &LoginOffer::now(app),
        return_to,
        form.username.trim(),
        Some(key),
    )
    .status(StatusCode::UNAUTHORIZED)
    .message(Level::Error, "login.failed", None);
    Err(ctx.refuse(view))
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
) -> Result<(Record, Option<i64>), Refusal> {
    let slots = match budget::take(app, &ctx.client_ip)
        .await
        .or_unavailable(ctx)?
    {
        Budget::Taken(slots) => slots,
        Budget::AddressSpent => {
            tracing::warn!(audit = "login.budget", outcome = "address_spent", "audit");
            let view = login_view(
                ctx.lang,
                &LoginOffer::now(app),
                return_to,
                username,
                Some(key),
            )
            .status(StatusCode::TOO_MANY_REQUESTS)
            .message(Level::Error, "login.too_many", None);
            return Err(ctx.refuse(view));
        }
    };
    let (mut record, n) = check_password(app, ctx, return_to, username, key, password).await?;
    slots.give_back(&mut record);
    Ok((record, Some(n)))
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
) -> Result<(Record, i64), Refusal> {
    let ck = citizen_key(app, username);
    // Taken before the check whether or not a citizen has the username (a stub record counts an
    // unknown one), so parallel guesses get the same answers for both.
    let (attempt, mut record) = throttle::take_attempt(app, &ck, Vec::new())
        .await
        .or_unavailable(ctx)?;
    let refused = |ctx: &Ctx, locked: Option<Locked>| {
        let view = match locked {
            Some(locked) => {
                locked_view(ctx.lang, &LoginOffer::now(app), return_to, username, locked)
            }
            None => login_view(
                ctx.lang,
                &LoginOffer::now(app),
                return_to,
                username,
                Some(key),
            )
            .status(StatusCode::UNAUTHORIZED)
            .message(Level::Error, "login.failed", None),
        };
        ctx.refuse(view)
    };
    match attempt {
        Attempt::Locked(locked) => {
            // Refused unchecked; the citizen's trail has it (not a stub's: no one to tell).
            if record.is_citizen() {
                record.audit(app, "login.password", "locked_refused");
                match record.commit(app).await {
                    Ok(()) | Err(CommitError::Conflict { .. }) => {}
                    Err(CommitError::Store(err)) => return Err(ctx.unavailable(&err)),
                }
            } else {
                tracing::info!(
                    audit = "login.password",
                    outcome = "locked_refused",
                    "audit"
                );
            }
            Err(refused(ctx, Some(locked)))
        }
        Attempt::Refused => {
            // The count could not be taken (a stale count being reset meanwhile): the same cost,
            // the same answer, counted all the same.
            citizens::password_check_of_nobody(password).await;
            let locked = record.stub_failed(app);
            Err(refused(ctx, failed(app, ctx, &mut record, locked).await?))
        }
        Attempt::Taken { n } if !record.is_citizen() => {
            // No citizen has this username: the same cost, the same answer, the same count.
            citizens::password_check_of_nobody(password).await;
            let locked = record.stub_attempt_failed(app, n);
            Err(refused(ctx, failed(app, ctx, &mut record, locked).await?))
        }
        Attempt::Taken { n } => {
            let matches = record.check_password(password).await;
            if matches {
                return Ok((record, n));
            }
            let locked = record.attempt_failed(app, n);
            Err(refused(ctx, failed(app, ctx, &mut record, locked).await?))
        }
    }
}

/// Writes a wrong password's count (already set on the record) with its audit event; answers
/// the lockout it caused. A record changed meanwhile keeps its own count.
async fn failed(
    app: &App,
    ctx: &Ctx,
    record: &mut Record,
    locked: Option<Locked>,
) -> Result<Option<Locked>, Refusal> {
    record.audit(app, "login.password", "failure");
    match record.commit(app).await {
        Ok(()) | Err(CommitError::Conflict { .. }) => Ok(locked),
        Err(CommitError::Store(err)) => Err(ctx.unavailable(&err)),
    }
}
