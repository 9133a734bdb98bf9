//! The step handlers (load state, call a flow transition, run its effects, render), which the functions mount.

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
use crate::flows::{self, BadInput, Elsewhere, Problem, Why};
use crate::i18n::Lang;
use crate::mailer::Mail;
use crate::mails;
use crate::routes::Route;
use crate::session::{FlowRecord, Session, current_flow, current_session};
use crate::throttle;
use crate::view::{Action, ActionStyle, Block, Choice, FieldKind, Level, View};
use crate::web::{Ctx, FLOW_COOKIE, SESSION_COOKIE};
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

/// The failures `or_unavailable` answers with 503: their texts name what failed, never a person.
pub trait Unavailable: std::fmt::Display {}
impl Unavailable for crate::store::StoreError {}
impl Unavailable for crate::domain::DomainError {}

/// Turns a store failure into the 503 `error` view (and a log line without personal data).
pub trait OrUnavailable<T> {
    fn or_unavailable(self, ctx: &Ctx) -> Result<T, Response>;
}

impl<T, E: Unavailable> OrUnavailable<T> for Result<T, E> {
    fn or_unavailable(self, ctx: &Ctx) -> Result<T, Response> {
        self.map_err(|err| {
            tracing::error!(path = %ctx.path, error = %err, "store failure");
            ctx.error(StatusCode::SERVICE_UNAVAILABLE, "unavailable")
        })
    }
}

/// Sends a refused guard to the page of the state the flow is in.
pub trait OrElsewhere<T> {
    fn or_elsewhere(self, ctx: &Ctx) -> Result<T, Response>;
}

impl<T> OrElsewhere<T> for Result<T, Elsewhere> {
    fn or_elsewhere(self, ctx: &Ctx) -> Result<T, Response> {
        self.map_err(|Elsewhere(route)| ctx.redirect(route.path()))
    }
}

/// The request's live session, if any.
pub async fn session_of(app: &App, ctx: &Ctx) -> Result<Option<Session>, Response> {
    current_session(app, ctx.cookie(SESSION_COOKIE))
        .await
        .or_unavailable(ctx)
}

/// Starts the citizen's session and sets its cookie.
async fn begin_session(
    app: &App,
    ctx: &mut Ctx,
    citizen_id: &str,
    key: KeyKind,
) -> Result<(), Response> {
    let id = crate::session::start_session(app, citizen_id, key)
        .await
        .or_unavailable(ctx)?;
    ctx.set_cookie(SESSION_COOKIE, &id);
    Ok(())
}

/// The request's live login flow, if any.
pub async fn flow_of(app: &App, ctx: &Ctx) -> Result<Option<FlowRecord>, Response> {
    current_flow(app, ctx.cookie(FLOW_COOKIE))
        .await
        .or_unavailable(ctx)
}

/// Ends a login flow and clears its cookie.
async fn end_flow(app: &App, ctx: &mut Ctx, record: FlowRecord) -> Result<(), Response> {
    ctx.clear_cookie(FLOW_COOKIE);
    record.end(app).await.or_unavailable(ctx)
}

/// The logged-in citizen's session, or a redirect to the login page that comes back here.
pub async fn require_session(app: &App, ctx: &Ctx) -> Result<Session, Response> {
    match session_of(app, ctx).await? {
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
    if let Some(session) = session_of(app, &ctx).await? {
        let citizen_id = session.citizen_id.clone();
        ctx.clear_cookie(SESSION_COOKIE);
        session.end(app).await.or_unavailable(&ctx)?;
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

/// The link that offers to log in again, as the main way forward.
pub fn login_again(view: &View) -> Action {
    Action::get("login", Route::Login.path(), view.t("logged-out-login"))
        .style(ActionStyle::Primary)
}

/// Why a code could not be sent: the message to show and its status.
#[derive(Debug)]
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

/// Why a transition's effects stopped before the end.
#[derive(Debug)]
pub enum Halt {
    /// A code could not be sent.
    NotSent(NotSent),
    /// The code or state the switch depended on was used or changed meanwhile.
    CodeUsed,
    /// This page answers (the store failed, the account is locked out).
    Page(Response),
}

impl From<Response> for Halt {
    fn from(page: Response) -> Self {
        Halt::Page(page)
    }
}

/// The mail that carries a code of `purpose`.
fn code_mail(lang: Lang, purpose: CodePurpose, to: &str, code: &str, ttl: i64) -> Mail {
    match purpose {
        CodePurpose::Registration => mails::registration_code(lang, to, code, ttl),
        CodePurpose::EmailChange => mails::email_change_code(lang, to, code, ttl),
        CodePurpose::Login => mails::login_code(lang, to, code, ttl),
    }
}

/// Issues a code of `purpose` and mails it to `to` at once (the citizen is waiting for it),
/// within the hourly sending limit. An e-mail-change code verifies the address it goes to.
async fn send_code(
    app: &App,
    ctx: &Ctx,
    citizen_id: &str,
    purpose: CodePurpose,
    to: &str,
) -> Result<(), Halt> {
    if !codes::allow_send(app, citizen_id, purpose)
        .await
        .or_unavailable(ctx)?
    {
        return Err(Halt::NotSent(NotSent {
            status: StatusCode::TOO_MANY_REQUESTS,
            message: "code.too_many_sends",
        }));
    }
    let verifies = (purpose == CodePurpose::EmailChange).then_some(to);
    let issued = codes::issue(app, citizen_id, purpose, verifies)
        .await
        .or_unavailable(ctx)?;
    let mail = code_mail(
        ctx.lang,
        purpose,
        to,
        &issued.code,
        purpose.ttl_seconds(app),
    );
    if let Err(err) = app.mailer.send(&mail).await {
        tracing::error!(path = %ctx.path, error = %err, "code mail not sent");
        codes::withdraw(app, citizen_id, purpose)
            .await
            .or_unavailable(ctx)?;
        return Err(Halt::NotSent(NotSent {
            status: StatusCode::SERVICE_UNAVAILABLE,
            message: "mail.not_sent",
        }));
    }
    Ok(())
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

/// The page again with the input that was not accepted.
pub fn input_refused(view: View, input: &BadInput) -> View {
    let status = match input.problem {
        Problem::Unprocessable => StatusCode::UNPROCESSABLE_ENTITY,
        Problem::Conflict => StatusCode::CONFLICT,
    };
    view.status(status)
        .message(Level::Error, input.message, Some(input.field))
}

/// The page again with a refused card or app code.
pub fn code_message(view: View, message: &str) -> View {
    view.status(StatusCode::UNAUTHORIZED)
        .message(Level::Error, message, Some("code"))
}

/// A refused transition: the page the flow is on, or `page` again saying why.
fn show_refusal(ctx: &Ctx, why: Why, page: impl FnOnce() -> View) -> Response {
    let view = match why {
        Why::Elsewhere(route) => return ctx.redirect(route.path()),
        Why::Input(input) => input_refused(page(), &input),
        Why::Code(check) => code_refused(page(), &check),
        Why::CodeMessage(message) => code_message(page(), message),
        Why::PairCode { tries_left } => code_message(page(), "code.invalid").message_args(
            Level::Info,
            "code.tries_left",
            &[("tries", i64::from(tries_left).into())],
        ),
        Why::PairingRestarts => page().status(StatusCode::UNPROCESSABLE_ENTITY).message(
            Level::Error,
            "app.restart",
            None,
        ),
    };
    ctx.render(view)
}

/// A page that asks for a mailed code: `sent` says where it went, the `junk_id` callout where
/// else to look, then the code field posted to `submit` (labelled `submit_label`) and `others`.
pub fn code_entry_view(
    view: View,
    sent: String,
    junk_id: &str,
    submit: (Route, &str),
    others: Vec<Action>,
) -> View {
    let junk = view.t(junk_id);
    let code = view.field("code", "field-code", FieldKind::Code);
    let (route, label) = submit;
    let submit = Action::post("submit", route.path(), view.t(label)).field(code);
    let view = view
        .block(Block::Paragraph(sent))
        .block(Block::Callout {
            level: Level::Info,
            text: junk,
        })
        .action(submit);
    others.into_iter().fold(view, View::action)
}

/// The choice of key `kind` on a page: its name and its one-line description.
pub fn key_choice(view: &View, kind: KeyKind) -> Choice {
    Choice {
        value: kind.as_str().into(),
        label: view.t(kind.name_id()),
        hint: Some(view.t(kind.hint_id())),
    }
}

/// A secondary form button of `view` that posts to `route`.
pub fn secondary(view: &View, id: &str, route: Route, label_id: &str) -> Action {
    Action::post(id, route.path(), view.t(label_id)).style(ActionStyle::Secondary)
}

// ---- the wizard ----

/// The citizen's wizard state, if one is under way.
pub async fn wizard_of(app: &App, ctx: &Ctx, citizen_id: &str) -> Result<Option<Wizard>, Response> {
    wizard::load(app, citizen_id).await.or_unavailable(ctx)
}

/// Runs a wizard transition's effects in order; stops at the first that cannot happen.
pub async fn run_wizard(
    app: &App,
    ctx: &Ctx,
    citizen: &Citizen,
    effects: Vec<flows::wizard::Effect>,
) -> Result<(), Halt> {
    use flows::wizard::Effect;
    for effect in effects {
        match effect {
            Effect::Save(state) => wizard::save(app, &citizen.id, &state)
                .await
                .or_unavailable(ctx)?,
            Effect::SendCode { purpose, to } => {
                send_code(app, ctx, &citizen.id, purpose, &to).await?;
            }
            Effect::WithdrawCode(purpose) => codes::withdraw(app, &citizen.id, purpose)
                .await
                .or_unavailable(ctx)?,
            Effect::Audit(event) => {
                audit::record(app, event.event, Some(&citizen.id), event.outcome).await;
            }
            Effect::Switch { kind, guard, extra } => {
                let notices = wizard::SwitchNotices {
                    token_deactivated: mails::token_deactivated(ctx.lang, &citizen.email),
                    key_activated: mails::key_activated(ctx.lang, &citizen.email, kind),
                };
                let switched = wizard::switch_to(app, citizen, kind, guard, extra, &notices)
                    .await
                    .or_unavailable(ctx)?;
                if switched == wizard::Switched::CodeUsed {
                    return Err(Halt::CodeUsed);
                }
            }
            Effect::ChangeEmail { new, consume } => {
                let notice = mails::email_changed(ctx.lang, &citizen.email, &new);
                let changed = wizard::change_email(app, citizen, &new, consume, notice)
                    .await
                    .or_unavailable(ctx)?;
                if !changed {
                    return Err(Halt::CodeUsed);
                }
            }
        }
    }
    Ok(())
}

/// Answers a wizard transition: its effects run, then the next state's page. `page` is the step's
/// view that shows a refusal, a code that could not be sent or one used meanwhile.
pub async fn wizard_step(
    app: &App,
    ctx: &Ctx,
    citizen: &Citizen,
    outcome: flows::wizard::Outcome,
    page: impl FnOnce() -> View,
) -> Page {
    wizard_step_to(app, ctx, citizen, outcome, page, |route| {
        route.path().to_string()
    })
    .await
}

/// [`wizard_step`] that sends the citizen to `to(next state's page)` (a page saying a code was
/// sent again: `?sent=1`).
pub async fn wizard_step_to(
    app: &App,
    ctx: &Ctx,
    citizen: &Citizen,
    outcome: flows::wizard::Outcome,
    page: impl FnOnce() -> View,
    to: impl FnOnce(Route) -> String,
) -> Page {
    let refused = match outcome {
        Ok(transition) => {
            return match run_wizard(app, ctx, citizen, transition.effects).await {
                Ok(()) => Ok(ctx.redirect(&to(transition.next.page()))),
                Err(Halt::NotSent(not_sent)) => Err(ctx.render(not_sent.shown_on(page()))),
                Err(Halt::CodeUsed) => Err(ctx.render(code_refused(page(), &CodeCheck::Missing))),
                Err(Halt::Page(answer)) => Err(answer),
            };
        }
        Err(refused) => refused,
    };
    if let Err(halt) = run_wizard(app, ctx, citizen, refused.effects).await {
        return Err(halted(ctx, halt));
    }
    Err(show_refusal(ctx, refused.why, page))
}

/// The answer of effects that stopped where no page of the step fits (a refusal's audit or save).
pub fn halted(ctx: &Ctx, halt: Halt) -> Response {
    match halt {
        Halt::Page(answer) => answer,
        Halt::NotSent(_) | Halt::CodeUsed => {
            ctx.error(StatusCode::SERVICE_UNAVAILABLE, "unavailable")
        }
    }
}

// ---- the login flow ----

/// Runs a login transition's effects in order on `record` (the flow, when there is one); stops at
/// the first that cannot happen.
async fn run_login(
    app: &App,
    ctx: &mut Ctx,
    mut record: Option<FlowRecord>,
    return_to: Option<String>,
    effects: Vec<flows::login::Effect>,
) -> Result<(), Halt> {
    use flows::login::Effect;
    for effect in effects {
        match effect {
            Effect::Start(flow) => {
                let id = crate::session::start_flow(app, flow, return_to.clone())
                    .await
                    .or_unavailable(ctx)?;
                ctx.set_cookie(FLOW_COOKIE, &id);
            }
            Effect::Save(flow) => match record.as_mut() {
                Some(record) => record.save(app, flow).await.or_unavailable(ctx)?,
                None => {
                    // A transition saved a flow it was never given: refuse rather than lose it.
                    tracing::error!(path = %ctx.path, "a login flow saved without being loaded");
                    return Err(ctx
                        .error(StatusCode::SERVICE_UNAVAILABLE, "unavailable")
                        .into());
                }
            },
            Effect::End => {
                if let Some(record) = record.take() {
                    end_flow(app, ctx, record).await?;
                }
            }
            Effect::CountFailure { username } => {
                if let Some(locked) = throttle::record_failure(app, &username)
                    .await
                    .or_unavailable(ctx)?
                {
                    return Err(Halt::Page(
                        end_locked_out(app, ctx, record.take(), &username, locked).await,
                    ));
                }
            }
            Effect::CountSuccess { username } => throttle::record_success(app, &username)
                .await
                .or_unavailable(ctx)?,
            Effect::SendLoginCode { citizen_id, to } => {
                send_code(app, ctx, &citizen_id, CodePurpose::Login, &to).await?;
            }
            Effect::StartSession { citizen_id, key } => {
                begin_session(app, ctx, &citizen_id, key).await?;
            }
            Effect::Audit { audit, citizen_id } => {
                audit::record(app, audit.event, Some(&citizen_id), audit.outcome).await;
            }
        }
    }
    Ok(())
}

/// Answers a login transition: its effects run, then where it leads. `page` is the step's view
/// that shows a refusal or a code that could not be sent.
pub async fn login_step(
    app: &App,
    mut ctx: Ctx,
    record: Option<FlowRecord>,
    outcome: flows::login::Outcome,
    page: impl FnOnce(Lang) -> View,
) -> Page {
    let return_to = record.as_ref().and_then(|r| r.return_to.clone());
    login_step_to(app, &mut ctx, record, return_to, outcome, page).await
}

/// [`login_step`] for a flow that starts here, going to `return_to` afterwards.
pub async fn login_step_to(
    app: &App,
    ctx: &mut Ctx,
    record: Option<FlowRecord>,
    return_to: Option<String>,
    outcome: flows::login::Outcome,
    page: impl FnOnce(Lang) -> View,
) -> Page {
    use flows::login::Then;
    let refused = match outcome {
        Ok(transition) => {
            return match run_login(app, ctx, record, return_to.clone(), transition.effects).await {
                Ok(()) => Ok(match transition.then {
                    Then::Page(route) => ctx.redirect(route.path()),
                    Then::Resent(route) => ctx.redirect(&route.with_query("sent=1")),
                    Then::ReturnTo => {
                        ctx.redirect(return_to.as_deref().unwrap_or(Route::MyKeys.path()))
                    }
                }),
                Err(Halt::NotSent(not_sent)) => Err(ctx.render(not_sent.shown_on(page(ctx.lang)))),
                Err(halt) => Err(halted(ctx, halt)),
            };
        }
        Err(refused) => refused,
    };
    if let Err(halt) = run_login(app, ctx, record, return_to, refused.effects).await {
        return Err(halted(ctx, halt));
    }
    Err(show_refusal(ctx, refused.why, || page(ctx.lang)))
}

/// The lockout page, after ending the login flow (if any).
async fn end_locked_out(
    app: &App,
    ctx: &mut Ctx,
    record: Option<FlowRecord>,
    username: &str,
    locked: throttle::Locked,
) -> Response {
    if let Some(record) = record
        && let Err(unavailable) = end_flow(app, ctx, record).await
    {
        return unavailable;
    }
    ctx.render(login::locked_view(ctx.lang, None, username, locked))
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
        Some(locked) => Err(end_locked_out(app, ctx, Some(record), username, locked).await),
        None => Ok(record),
    }
}

/// The login flow of this request when it waits for a code of `key` (e-mail or app), with the
/// citizen's id and the username; anything else goes back to the login page.
pub async fn code_flow(
    app: &App,
    ctx: &Ctx,
    key: KeyKind,
) -> Result<(FlowRecord, String, String), Response> {
    let Some(record) = flow_of(app, ctx).await? else {
        return Err(ctx.redirect(Route::Login.path()));
    };
    let (citizen_id, username) =
        flows::login::awaiting_code(Some(&record.flow), key).or_elsewhere(ctx)?;
    let (citizen_id, username) = (citizen_id.to_string(), username.to_string());
    Ok((record, citizen_id, username))
}

/// What every e-mail or app code submission checks first: the rate allowance, a login waiting for
/// a code of `key`, a code given (else `code_view` again) and the account not locked out. Gives the
/// flow and the citizen's id.
pub async fn code_submission(
    app: &App,
    ctx: &mut Ctx,
    key: KeyKind,
    code: &str,
    code_view: fn(Lang) -> View,
) -> Result<(FlowRecord, String), Response> {
    require_rate_allowance(app, ctx).await?;
    let (record, citizen_id, username) = code_flow(app, ctx, key).await?;
    if code.trim().is_empty() {
        return Err(ctx.render(code_required(code_view(ctx.lang))));
    }
    let record = refuse_if_locked(app, ctx, record, &username).await?;
    Ok((record, citizen_id))
}
