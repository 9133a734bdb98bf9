//! The handlers of every step; the function crates only mount them on their routes.

pub mod activate_app;
pub mod activate_email;
pub mod confirm_email;
pub mod confirmation;
pub mod login;
pub mod login_app;
pub mod login_email;
pub mod login_token;
pub mod my_keys;
pub mod select_key;

use crate::app::App;
use crate::audit;
use crate::codes::{self, CodeCheck, CodePurpose};
use crate::domain::{self, Citizen, KeyKind};
use crate::mailer::Mail;
use crate::routes::Route;
use crate::session::{FlowRecord, LoginFlow, Session, current_flow, current_session};
use crate::store::StoreError;
use crate::throttle;
use crate::view::{Action, ActionStyle, Level, View};
use crate::web::Ctx;
use crate::wizard::{self, Wizard};
use axum::response::Response;
use http::StatusCode;
use serde::Deserialize;

/// A code as posted (card, e-mail, app or registration code).
#[derive(Debug, Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    pub code: String,
}

/// A posted form with nothing but its CSRF token.
#[derive(Debug, Deserialize)]
pub struct EmptyForm {}

/// A handler's answer: the page, or the page that explains why not.
pub type Page = Result<Response, Response>;

/// Turns a store failure into the 503 `error` view (and a log line without personal data).
pub trait OrUnavailable<T> {
    fn or_unavailable(self, ctx: &Ctx) -> Result<T, Response>;
}

impl<T> OrUnavailable<T> for Result<T, StoreError> {
    fn or_unavailable(self, ctx: &Ctx) -> Result<T, Response> {
        self.map_err(|err| {
            tracing::error!(path = %ctx.path, error = %err, "store failure");
            ctx.error(StatusCode::SERVICE_UNAVAILABLE, "unavailable")
        })
    }
}

/// The logged-in citizen's session, or a redirect to the login page that comes back here.
pub async fn require_session(app: &App, ctx: &Ctx) -> Result<Session, Response> {
    match current_session(app, ctx).await.or_unavailable(ctx)? {
        Some(session) => Ok(session),
        None => {
            let back =
                serde_urlencoded::to_string([("return_to", ctx.path.as_str())]).unwrap_or_default();
            Err(ctx.redirect(&Route::Login.with_query(&back)))
        }
    }
}

/// Ends the request's session, if any, recording `reason`, and shows the logged-out page.
pub async fn sign_out_to_logged_out(app: &App, mut ctx: Ctx, reason: &str) -> Page {
    if let Some(session) = current_session(app, &ctx).await.or_unavailable(&ctx)? {
        let citizen_id = session.citizen_id.clone();
        session.end(app, &mut ctx).await.or_unavailable(&ctx)?;
        audit::record(app, "session.end", Some(&citizen_id), reason).await;
    }
    Ok(ctx.redirect(Route::LoggedOut.path()))
}

/// Refuses the request with 429 when the client's address is over its rate limit.
pub async fn require_rate_allowance(app: &App, ctx: &Ctx) -> Result<(), Response> {
    if throttle::allow_request(app, &ctx.client_ip)
        .await
        .or_unavailable(ctx)?
    {
        Ok(())
    } else {
        Err(ctx.error(StatusCode::TOO_MANY_REQUESTS, "rate_limited"))
    }
}

/// The logged-in citizen's profile (a session whose citizen is gone is sent to log in again).
pub async fn require_citizen(app: &App, ctx: &Ctx) -> Result<(Session, Citizen), Response> {
    let session = require_session(app, ctx).await?;
    match domain::citizen(app, &session.citizen_id)
        .await
        .or_unavailable(ctx)?
    {
        Some(citizen) => Ok((session, citizen)),
        None => Err(ctx.redirect(Route::Login.path())),
    }
}

/// The citizen's wizard when `fits` accepts its state; otherwise a redirect to the page of the
/// state it is in (or to step 1 when there is none).
pub async fn require_wizard(
    app: &App,
    ctx: &Ctx,
    citizen_id: &str,
    fits: impl Fn(&Wizard) -> bool,
) -> Result<Wizard, Response> {
    match wizard::load(app, citizen_id).await.or_unavailable(ctx)? {
        Some(state) if fits(&state) => Ok(state),
        Some(state) => Err(ctx.redirect(state.page().path())),
        None => Err(ctx.redirect(Route::ConfirmEmail.path())),
    }
}

/// Why a code could not be sent: the message to show and its status.
pub struct NotSent {
    pub status: StatusCode,
    pub message: &'static str,
}

impl NotSent {
    /// `view` with the reason shown as an error, under its status.
    pub fn shown_on(&self, view: View) -> View {
        view.status(self.status)
            .message(Level::Error, self.message, None)
    }
}

/// Issues a code of `purpose` and mails it at once (the citizen is waiting for it), within the
/// hourly sending limit. `compose` builds the mail from the code and its life in seconds.
pub async fn send_code(
    app: &App,
    ctx: &Ctx,
    citizen_id: &str,
    purpose: CodePurpose,
    address_verified: Option<&str>,
    compose: impl FnOnce(&str, i64) -> Mail,
) -> Result<Result<(), NotSent>, Response> {
    if !codes::allow_send(app, citizen_id, purpose)
        .await
        .or_unavailable(ctx)?
    {
        return Ok(Err(NotSent {
            status: StatusCode::TOO_MANY_REQUESTS,
            message: "code.too_many_sends",
        }));
    }
    let issued = codes::issue(app, citizen_id, purpose, address_verified)
        .await
        .or_unavailable(ctx)?;
    let mail = compose(&issued.code, purpose.ttl_seconds(app));
    if let Err(err) = app.mailer.send(&mail).await {
        tracing::error!(path = %ctx.path, error = %err, "code mail not sent");
        codes::withdraw(app, citizen_id, purpose)
            .await
            .or_unavailable(ctx)?;
        return Ok(Err(NotSent {
            status: StatusCode::SERVICE_UNAVAILABLE,
            message: "mail.not_sent",
        }));
    }
    Ok(Ok(()))
}

/// The page again with what was wrong about the code, and the status that goes with it.
pub fn code_refused(view: View, check: &CodeCheck) -> View {
    match check {
        CodeCheck::Wrong { tries_left } => view
            .status(StatusCode::UNAUTHORIZED)
            .message(Level::Error, "code.invalid", Some("code"))
            .message_args(
                Level::Info,
                "code.tries_left",
                &[("tries", (*tries_left).into())],
            ),
        CodeCheck::Exhausted => view.status(StatusCode::UNPROCESSABLE_ENTITY).message(
            Level::Error,
            "code.exhausted",
            Some("code"),
        ),
        CodeCheck::Missing | CodeCheck::Right { .. } => view
            .status(StatusCode::UNPROCESSABLE_ENTITY)
            .message(Level::Error, "code.expired", Some("code")),
    }
}

/// The page again asking for the code that was left empty.
pub fn code_required(view: View) -> View {
    view.status(StatusCode::UNPROCESSABLE_ENTITY).message(
        Level::Error,
        "field.required",
        Some("code"),
    )
}

/// What every e-mail or app code submission checks first: the rate allowance, a login waiting for
/// a code of `key`, a code given (else `code_view` again) and the account not locked out. Gives the
/// flow, the citizen's id and the username.
pub async fn code_submission(
    app: &App,
    ctx: &mut Ctx,
    key: KeyKind,
    code: &str,
    code_view: fn(crate::i18n::Lang) -> View,
) -> Result<(FlowRecord, String, String), Response> {
    require_rate_allowance(app, ctx).await?;
    let (record, citizen_id, username) = code_flow(app, ctx, key).await?;
    if code.trim().is_empty() {
        return Err(ctx.render(code_required(code_view(ctx.lang))));
    }
    let record = refuse_if_locked(app, ctx, record, &username).await?;
    Ok((record, citizen_id, username))
}

/// A login flow whose account is locked out ends here with the lockout page; otherwise it goes on.
pub async fn refuse_if_locked(
    app: &App,
    ctx: &mut Ctx,
    record: FlowRecord,
    username: &str,
) -> Result<FlowRecord, Response> {
    match throttle::check_lockout(app, username)
        .await
        .or_unavailable(ctx)?
    {
        Some(locked) => Err(end_locked_out(app, ctx, record, username, locked).await),
        None => Ok(record),
    }
}

/// Counts a refused key code toward the account's lockout: once reached, the login flow ends with
/// the lockout page; otherwise the flow is given back to ask again.
pub async fn count_failed_code(
    app: &App,
    ctx: &mut Ctx,
    record: FlowRecord,
    username: &str,
) -> Result<FlowRecord, Response> {
    match throttle::record_failure(app, username)
        .await
        .or_unavailable(ctx)?
    {
        Some(locked) => Err(end_locked_out(app, ctx, record, username, locked).await),
        None => Ok(record),
    }
}

async fn end_locked_out(
    app: &App,
    ctx: &mut Ctx,
    record: FlowRecord,
    username: &str,
    locked: throttle::Locked,
) -> Response {
    match record.end(app, ctx).await.or_unavailable(ctx) {
        Ok(()) => ctx.render(login::locked_view(ctx.lang, None, username, locked)),
        Err(unavailable) => unavailable,
    }
}

/// The login flow of this request when it waits for a code of `key` (e-mail or app): the flow,
/// the citizen's id and the username; anything else goes back to the login page.
pub async fn code_flow(
    app: &App,
    ctx: &Ctx,
    key: KeyKind,
) -> Result<(FlowRecord, String, String), Response> {
    let Some(record) = current_flow(app, ctx).await.or_unavailable(ctx)? else {
        return Err(ctx.redirect(Route::Login.path()));
    };
    let waiting = match (&record.flow, key) {
        (
            LoginFlow::AwaitingEmailCode {
                citizen_id,
                username,
            },
            KeyKind::Email,
        )
        | (
            LoginFlow::AwaitingAppCode {
                citizen_id,
                username,
            },
            KeyKind::App,
        ) => Some((citizen_id.clone(), username.clone())),
        _ => None,
    };
    match waiting {
        Some((citizen_id, username)) => Ok((record, citizen_id, username)),
        None => Err(ctx.redirect(Route::Login.path())),
    }
}

/// The link that offers to log in again, as the main way forward.
pub fn login_again(view: &View) -> Action {
    Action::get("login", Route::Login.path(), view.t("logged-out-login"))
        .style(ActionStyle::Primary)
}
