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
use crate::codes::{self, CodeCheck, CodePurpose};
use crate::domain::{Citizen, KeyKind, KeyState};
use crate::flows::{self, BadInput, Elsewhere, Problem, Why};
use crate::i18n::Lang;
use crate::mailer::Mail;
use crate::mails;
use crate::record::{CommitError, Record};
use crate::routes::Route;
use crate::session::{self, FlowRecord, Session, cookie_parts};
use crate::store::Condition;
use crate::throttle;
use crate::throttle::Attempt;
use crate::view::{Action, ActionStyle, Block, Choice, FieldKind, Level, View};
use crate::web::{Ctx, DEVICE_COOKIE, FLOW_COOKIE, SESSION_COOKIE};
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
        self.map_err(|err| unavailable_page(ctx, &err))
    }
}

/// The 503 `error` view for a failure of the store (logged without personal data).
pub fn unavailable_page(ctx: &Ctx, err: &dyn std::fmt::Display) -> Response {
    tracing::error!(path = %ctx.path, error = %err, "store failure");
    ctx.error(StatusCode::SERVICE_UNAVAILABLE, "unavailable")
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

/// A logged-in request: the citizen's record (one read), the session its cookie names, the citizen.
pub struct Visit {
    pub record: Record,
    pub session: Session,
    pub citizen: Citizen,
}

impl Visit {
    /// The write rests on this session still being there.
    pub fn require_session(&mut self) {
        let attr = self.session.attr().to_string();
        self.record.require(Condition::has(&attr));
    }
}

/// The request's live session with its citizen's record, if any; keeps the session alive (a
/// write at most once a minute).
pub async fn session_of(app: &App, ctx: &Ctx) -> Result<Option<Visit>, Response> {
    let Some((ck, secret)) = cookie_parts(ctx.cookie(SESSION_COOKIE)) else {
        return Ok(None);
    };
    let mut record = Record::load(app, ck).await.or_unavailable(ctx)?;
    let (Some(mut session), Some(citizen)) = (record.session(app, secret), record.citizen()) else {
        return Ok(None);
    };
    record.touch_session(app, &mut session);
    match record.commit(app).await {
        Ok(()) | Err(CommitError::Conflict { .. }) => {}
        Err(CommitError::Store(err)) => return Err(err).or_unavailable(ctx),
    }
    Ok(Some(Visit {
        record,
        session,
        citizen,
    }))
}

/// The request's live login flow with its citizen's record, if any.
pub async fn flow_of(app: &App, ctx: &Ctx) -> Result<Option<(Record, FlowRecord)>, Response> {
    let Some((ck, secret)) = cookie_parts(ctx.cookie(FLOW_COOKIE)) else {
        return Ok(None);
    };
    let record = Record::load(app, ck).await.or_unavailable(ctx)?;
    Ok(record.flow(app, secret).map(|flow| (record, flow)))
}

/// The logged-in citizen's visit, or a redirect to the login page that comes back here (for a
/// page; a form posted without a session goes to the login page alone).
pub async fn require_session(app: &App, ctx: &Ctx) -> Result<Visit, Response> {
    let visit = session_of(app, ctx).await?;
    if visit.is_none() {
        tracing::info!(audit = "access.denied", path = %ctx.path, "audit");
    }
    match visit {
        Some(visit) => Ok(visit),
        None if ctx.method == http::Method::GET => {
            let back =
                serde_urlencoded::to_string([("return_to", ctx.path.as_str())]).unwrap_or_default();
            Err(ctx.redirect(&Route::Login.with_query(&back)))
        }
        None => Err(ctx.redirect(Route::Login.path())),
    }
}

/// Step-up before an address change, a key activation or a password change: the session must
/// come from a login (password and a current key) of the last [`session::STEP_UP_SECONDS`];
/// otherwise the citizen logs in again and comes back to `back`. A token login that goes straight into the wizard
/// passes; a session left open (or taken over) does not.
pub fn require_recent_login(
    app: &App,
    ctx: &Ctx,
    visit: &Visit,
    back: Route,
) -> Result<(), Response> {
    if visit.session.logged_in_recently(app) {
        return Ok(());
    }
    tracing::info!(audit = "step_up.required", path = %ctx.path, "audit");
    let query = serde_urlencoded::to_string([("return_to", back.path()), ("again", "1")])
        .unwrap_or_default();
    Err(ctx.redirect(&Route::Login.with_query(&query)))
}

/// A wizard code's try, taken before the code is checked (one write that also reads): on
/// condition the session is there and the code of `purpose` is there with tries left. Gives the
/// visit as the try left it and what the code turned out to be.
pub async fn code_try(
    app: &App,
    ctx: &Ctx,
    purpose: CodePurpose,
    code: &str,
) -> Result<(Visit, CodeCheck), Response> {
    let Some((ck, secret)) = cookie_parts(ctx.cookie(SESSION_COOKIE)) else {
        return Err(ctx.redirect(Route::Login.path()));
    };
    let mut conditions = vec![Condition::has(&session::session_attr(app, secret))];
    conditions.extend(purpose.try_conditions());
    let (taken, record) = throttle::take_try(app, ck, conditions, vec![purpose.tries_attr()])
        .await
        .or_unavailable(ctx)?;
    let (Some(session), Some(citizen)) = (record.session(app, secret), record.citizen()) else {
        return Err(ctx.redirect(Route::Login.path()));
    };
    let check = if taken {
        record.check_code(app, purpose, code)
    } else {
        record.code_unavailable(app, purpose)
    };
    Ok((
        Visit {
            record,
            session,
            citizen,
        },
        check,
    ))
}

/// Ends the request's session, if any, recording `reason`, and shows the logged-out page.
/// `everywhere` ends every session of the citizen.
pub async fn sign_out_to_logged_out(
    app: &App,
    mut ctx: Ctx,
    reason: &str,
    everywhere: bool,
) -> Page {
    if let Some(mut visit) = session_of(app, &ctx).await? {
        ctx.clear_cookie(SESSION_COOKIE);
        if everywhere {
            visit.record.end_sessions_except(None);
            visit.record.forget_devices();
        } else {
            visit.record.end_session(&visit.session);
        }
        visit.record.audit(app, "session.end", reason);
        commit(app, &ctx, &mut visit.record).await?;
    }
    Ok(ctx.redirect(Route::LoggedOut.path()))
}

/// Commits the record's write; a record changed meanwhile is a conflict page (409).
pub async fn commit(app: &App, ctx: &Ctx, record: &mut Record) -> Result<(), Response> {
    match record.commit(app).await {
        Ok(()) => Ok(()),
        Err(CommitError::Conflict { .. }) => Err(ctx.error(StatusCode::CONFLICT, "conflict")),
        Err(CommitError::Store(err)) => Err(err).or_unavailable(ctx),
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
    /// The record changed meanwhile (a double submit): nothing was written.
    Conflict,
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

/// A code issued on the record, to mail once the record is written.
struct CodeToSend {
    purpose: CodePurpose,
    to: String,
    code: String,
    /// The position in the commit of the write that counts it against the address's limit.
    address_write: usize,
}

/// A commit refused because an address has had its codes for this hour: the page that says so.
fn address_limit_reached(sends: &[CodeToSend], failed: &[usize]) -> Option<Halt> {
    sends
        .iter()
        .any(|send| failed.contains(&send.address_write))
        .then(|| {
            tracing::warn!(audit = "code.address_limit", outcome = "refused", "audit");
            Halt::NotSent(NotSent {
                status: StatusCode::TOO_MANY_REQUESTS,
                message: "code.too_many_to_address",
            })
        })
}

/// Issues a code of `purpose` on the record, within the hourly sending limit; it is mailed once
/// the record is written. An e-mail-change code verifies the address it goes to.
fn issue_code(
    app: &App,
    record: &mut Record,
    purpose: CodePurpose,
    to: &str,
    sends: &mut Vec<CodeToSend>,
) -> Result<(), Halt> {
    let verifies = (purpose == CodePurpose::EmailChange).then_some(to);
    match record.issue_code(app, purpose, verifies) {
        Ok(issued) => {
            let address_write = record.also(codes::address_send_write(app, to));
            sends.push(CodeToSend {
                purpose,
                to: to.to_string(),
                code: issued.code,
                address_write,
            });
            Ok(())
        }
        Err(codes::TooManySends) => Err(Halt::NotSent(NotSent {
            status: StatusCode::TOO_MANY_REQUESTS,
            message: "code.too_many_sends",
        })),
    }
}

/// Mails the codes just written at once (the citizen is waiting for them); a code that cannot
/// be sent is withdrawn again.
async fn mail_codes(
    app: &App,
    ctx: &Ctx,
    record: &mut Record,
    sends: Vec<CodeToSend>,
) -> Result<(), Halt> {
    for send in sends {
        let ttl = send.purpose.ttl_seconds(app);
        let mail = code_mail(ctx.lang, send.purpose, &send.to, &send.code, ttl);
        if let Err(err) = app.mailer.send(&mail).await {
            tracing::error!(path = %ctx.path, error = %err, "code mail not sent");
            record.withdraw_code(send.purpose);
            if let Err(CommitError::Store(err)) = record.commit(app).await {
                return Err(Halt::Page(unavailable_page(ctx, &err)));
            }
            return Err(Halt::NotSent(NotSent {
                status: StatusCode::SERVICE_UNAVAILABLE,
                message: "mail.not_sent",
            }));
        }
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

/// The wizard as a step-1 page sees it: none under way, or a finished one, opens at step 1
/// (without writing anything: the next answer stores it).
pub fn opened_wizard(visit: &Visit, app: &App) -> Option<Wizard> {
    match visit.record.wizard(app) {
        None | Some(Wizard::Done { .. }) => Some(Wizard::ConfirmEmail),
        other => other,
    }
}

/// Runs a wizard transition's effects on the citizen's record, writes it once, then mails any
/// code it issued. Stops at the first effect that cannot happen.
pub async fn run_wizard(
    app: &App,
    ctx: &Ctx,
    visit: &mut Visit,
    effects: Vec<flows::wizard::Effect>,
) -> Result<(), Halt> {
    use flows::wizard::Effect;
    let mut sends = Vec::new();
    let mut switched_kind = None;
    let mut consumed = false;
    let mut halt = None;
    for effect in effects {
        match effect {
            Effect::Save(state) => visit.record.save_wizard(app, &state),
            Effect::SendCode { purpose, to } => {
                if let Err(stop) = issue_code(app, &mut visit.record, purpose, &to, &mut sends) {
                    halt = Some(stop);
                    break;
                }
            }
            Effect::WithdrawCode(purpose) => visit.record.withdraw_code(purpose),
            Effect::Audit(event) => visit.record.audit(app, event.event, event.outcome),
            Effect::Switch { kind, guard, extra } => {
                let email = visit.citizen.email.clone();
                let previous = visit
                    .record
                    .previous_email(app)
                    .filter(|previous| !previous.eq_ignore_ascii_case(&email));
                // Notifications go in the citizen's own language (the import's, or the one
                // enrolled with), whatever the browser that made the change speaks.
                let owner = visit.citizen.lang;
                let notices = wizard::SwitchNotices {
                    token_deactivated: mails::token_deactivated(owner, &email),
                    key_activated: mails::key_activated(owner, &email, kind),
                    key_activated_to_previous: previous
                        .map(|previous| mails::key_activated(owner, &previous, kind)),
                };
                let session = visit.session.clone();
                match visit
                    .record
                    .switch_to(app, kind, &guard, extra, &notices, Some(&session))
                {
                    wizard::Switched::Activated { .. } => switched_kind = Some(kind),
                    wizard::Switched::AlreadyActive => {
                        visit.record.discard();
                        return Ok(());
                    }
                }
            }
            Effect::ChangeEmail { new, consume } => {
                consumed = true;
                let notice = mails::email_changed(visit.citizen.lang, &visit.citizen.email, &new);
                let session = visit.session.clone();
                visit
                    .record
                    .change_email(app, &new, &consume, notice, Some(&session));
            }
        }
    }
    visit.require_session();
    match visit.record.commit(app).await {
        Ok(()) => {}
        Err(CommitError::Conflict { failed }) => {
            if let Some(limit) = address_limit_reached(&sends, &failed) {
                return Err(limit);
            }
            // A double submit or another tab: the key may be active already.
            if let Some(kind) = switched_kind {
                let again = Record::load(app, &visit.record.ck)
                    .await
                    .or_unavailable(ctx)?;
                if again.key(kind).is_some_and(|k| k.state == KeyState::Active) {
                    return Ok(());
                }
            }
            return Err(if switched_kind.is_some() || consumed {
                Halt::CodeUsed
            } else {
                Halt::Conflict
            });
        }
        Err(CommitError::Store(err)) => return Err(Halt::Page(unavailable_page(ctx, &err))),
    }
    if let Some(stop) = halt {
        return Err(stop);
    }
    mail_codes(app, ctx, &mut visit.record, sends).await
}

/// Answers a wizard transition: its effects run, then the next state's page. `page` is the step's
/// view that shows a refusal, a code that could not be sent or one used meanwhile.
pub async fn wizard_step(
    app: &App,
    ctx: &Ctx,
    visit: &mut Visit,
    outcome: flows::wizard::Outcome,
    page: impl FnOnce() -> View,
) -> Page {
    wizard_step_to(app, ctx, visit, outcome, page, |route| {
        route.path().to_string()
    })
    .await
}

/// [`wizard_step`] that sends the citizen to `to(next state's page)` (a page saying a code was
/// sent again: `?sent=1`).
pub async fn wizard_step_to(
    app: &App,
    ctx: &Ctx,
    visit: &mut Visit,
    outcome: flows::wizard::Outcome,
    page: impl FnOnce() -> View,
    to: impl FnOnce(Route) -> String,
) -> Page {
    let refused = match outcome {
        Ok(transition) => {
            return match run_wizard(app, ctx, visit, transition.effects).await {
                // A double submit: the first one moved the wizard where this one would have.
                Ok(()) | Err(Halt::Conflict) => Ok(ctx.redirect(&to(transition.next.page()))),
                Err(Halt::NotSent(not_sent)) => Err(ctx.render(not_sent.shown_on(page()))),
                Err(Halt::CodeUsed) => Err(ctx.render(code_refused(page(), &CodeCheck::Missing))),
                Err(Halt::Page(answer)) => Err(answer),
            };
        }
        Err(refused) => refused,
    };
    if let Err(halt) = run_wizard(app, ctx, visit, refused.effects).await {
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
        Halt::Conflict => ctx.error(StatusCode::CONFLICT, "conflict"),
    }
}

// ---- the login flow ----

/// A login step's citizen record and what it knows of the attempt in progress.
pub struct LoginState {
    pub record: Record,
    /// The login flow of this request, when there is one.
    pub flow: Option<FlowRecord>,
    /// The attempt taken before the password or code was checked (its number), if one was.
    pub attempt: Option<i64>,
}

/// Runs a login transition's effects on the citizen's record, writes it once, then sets the
/// cookies and mails any code. Stops at the first effect that cannot happen.
async fn run_login(
    app: &App,
    ctx: &mut Ctx,
    state: &mut LoginState,
    return_to: Option<String>,
    effects: Vec<flows::login::Effect>,
) -> Result<(), Halt> {
    use flows::login::Effect;
    let record = &mut state.record;
    let mut cookies: Vec<(&'static str, Option<String>)> = Vec::new();
    let mut sends = Vec::new();
    let mut halt = None;
    for effect in effects {
        match effect {
            Effect::Start(flow) => {
                let cookie = record.start_flow(app, flow, return_to.clone());
                cookies.push((FLOW_COOKIE, Some(cookie)));
            }
            Effect::Save(flow) => match state.flow.as_mut() {
                Some(current) => record.save_flow(current, flow),
                None => {
                    // A transition saved a flow it was never given: refuse rather than lose it.
                    tracing::error!(path = %ctx.path, "a login flow saved without being loaded");
                    return Err(ctx
                        .error(StatusCode::SERVICE_UNAVAILABLE, "unavailable")
                        .into());
                }
            },
            Effect::End => {
                if let Some(current) = state.flow.take() {
                    record.end_flow(&current);
                    cookies.push((FLOW_COOKIE, None));
                }
            }
            Effect::CountFailure { .. } => {
                let Some(n) = state.attempt.take() else {
                    continue;
                };
                if let Some(locked) = record.attempt_failed(app, n) {
                    if let Some(current) = state.flow.take() {
                        record.end_flow(&current);
                        cookies.push((FLOW_COOKIE, None));
                    }
                    let username = record.s("username").unwrap_or_default().to_string();
                    halt = Some(Halt::Page(
                        ctx.render(login::locked_view(ctx.lang, None, &username, locked)),
                    ));
                    break;
                }
            }
            Effect::CountSuccess { .. } => {
                state.attempt = None;
                record.attempt_succeeded();
            }
            Effect::SendLoginCode { to, .. } => {
                if let Err(stop) = issue_code(app, record, CodePurpose::Login, &to, &mut sends) {
                    halt = Some(stop);
                    break;
                }
            }
            Effect::StartSession { key, .. } => {
                // The browser's earlier session of this citizen ends with the new login.
                if let Some((ck, secret)) = cookie_parts(ctx.cookie(SESSION_COOKIE))
                    && ck == record.ck
                    && let Some(old) = record.session(app, secret)
                {
                    record.end_session(&old);
                }
                let cookie = record.start_session(app, key);
                cookies.push((SESSION_COOKIE, Some(cookie)));
                // This browser is now one the citizen logged in from.
                let known = cookie_parts(ctx.cookie(DEVICE_COOKIE))
                    .filter(|(ck, _)| *ck == record.ck)
                    .map(|(_, secret)| secret.to_string());
                if let Some(device) = record.remember_device(app, known.as_deref()) {
                    cookies.push((DEVICE_COOKIE, Some(device)));
                }
            }
            Effect::Audit { audit, .. } => record.audit(app, audit.event, audit.outcome),
            Effect::Count(counted) => record.count(counted),
        }
    }
    // A right password whose login goes on: this attempt no longer counts.
    if state.attempt.take().is_some() {
        record.attempt_forgiven();
    }
    match record.commit(app).await {
        Ok(()) => {}
        Err(CommitError::Conflict { failed }) => {
            return Err(address_limit_reached(&sends, &failed).unwrap_or(Halt::Conflict));
        }
        Err(CommitError::Store(err)) => {
            return Err(Halt::Page(unavailable_page(ctx, &err)));
        }
    }
    for (name, value) in cookies {
        match value {
            Some(value) if name == DEVICE_COOKIE => {
                ctx.set_lasting_cookie(name, &value, session::DEVICE_SECONDS)
            }
            Some(value) => ctx.set_cookie(name, &value),
            None => ctx.clear_cookie(name),
        }
    }
    if let Some(stop) = halt {
        return Err(stop);
    }
    mail_codes(app, ctx, record, sends).await
}

/// Answers a login transition: its effects run, then where it leads. `page` is the step's view
/// that shows a refusal or a code that could not be sent.
pub async fn login_step(
    app: &App,
    mut ctx: Ctx,
    state: LoginState,
    outcome: flows::login::Outcome,
    page: impl FnOnce(Lang) -> View,
) -> Page {
    let return_to = state.flow.as_ref().and_then(|r| r.return_to.clone());
    login_step_to(app, &mut ctx, state, return_to, outcome, page).await
}

/// [`login_step`] for a flow that starts here, going to `return_to` afterwards.
pub async fn login_step_to(
    app: &App,
    ctx: &mut Ctx,
    mut state: LoginState,
    return_to: Option<String>,
    outcome: flows::login::Outcome,
    page: impl FnOnce(Lang) -> View,
) -> Page {
    use flows::login::Then;
    let refused = match outcome {
        Ok(transition) => {
            return match run_login(app, ctx, &mut state, return_to.clone(), transition.effects)
                .await
            {
                Ok(()) => Ok(match transition.then {
                    // Back to the login page: it still leads where this login was for (a
                    // public service's request, a step-up).
                    Then::Page(Route::Login) if return_to.is_some() => {
                        let to = return_to.as_deref().unwrap_or_default();
                        let query =
                            serde_urlencoded::to_string([("return_to", to)]).unwrap_or_default();
                        ctx.redirect(&Route::Login.with_query(&query))
                    }
                    Then::Page(route) => ctx.redirect(route.path()),
                    Then::Resent(route) => ctx.redirect(&route.with_query("sent=1")),
                    Then::ReturnTo => {
                        ctx.redirect(return_to.as_deref().unwrap_or(Route::MyKeys.path()))
                    }
                }),
                Err(Halt::NotSent(not_sent)) => Err(ctx.render(not_sent.shown_on(page(ctx.lang)))),
                // A double submit ended or moved the flow first: the login page.
                Err(Halt::Conflict) => Ok(ctx.redirect(Route::Login.path())),
                Err(halt) => Err(halted(ctx, halt)),
            };
        }
        Err(refused) => refused,
    };
    match run_login(app, ctx, &mut state, return_to, refused.effects).await {
        Ok(()) => {}
        Err(Halt::Conflict) => return Ok(ctx.redirect(Route::Login.path())),
        Err(halt) => return Err(halted(ctx, halt)),
    }
    Err(show_refusal(ctx, refused.why, || page(ctx.lang)))
}

/// The lockout page, after ending the login flow (if any).
pub async fn end_locked_out(
    app: &App,
    ctx: &mut Ctx,
    mut record: Record,
    flow: Option<FlowRecord>,
    locked: throttle::Locked,
) -> Response {
    if let Some(flow) = flow {
        record.end_flow(&flow);
        ctx.clear_cookie(FLOW_COOKIE);
        if let Err(CommitError::Store(err)) = record.commit(app).await {
            return unavailable_page(ctx, &err);
        }
    }
    tracing::info!(audit = "login.locked", "audit");
    let username = record.s("username").unwrap_or_default().to_string();
    ctx.render(login::locked_view(ctx.lang, None, &username, locked))
}

/// The login flow of this request when it waits for a code of `key` (e-mail or app), with the
/// citizen's record; anything else goes back to the login page.
pub async fn code_flow(
    app: &App,
    ctx: &Ctx,
    key: KeyKind,
) -> Result<(Record, FlowRecord), Response> {
    let Some((record, flow)) = flow_of(app, ctx).await? else {
        return Err(ctx.redirect(Route::Login.path()));
    };
    flows::login::awaiting_code(Some(&flow.flow), key).or_elsewhere(ctx)?;
    Ok((record, flow))
}

/// What every login code submission (card, e-mail or app code) does first, once a code was given:
/// an attempt taken on the citizen's record before the code is checked (also a try of the code
/// of `purpose`, if it has one), on condition the flow is there; the flow must then `fit`.
/// Gives the record as the attempt left it, the flow and the attempt; a locked account ends here
/// with the lockout page.
pub async fn code_attempt(
    app: &App,
    ctx: &mut Ctx,
    purpose: Option<CodePurpose>,
    fits: impl FnOnce(&flows::login::LoginFlow) -> Result<(), Elsewhere>,
) -> Result<(LoginState, Option<CodeCheck>), Response> {
    let Some((ck, secret)) = cookie_parts(ctx.cookie(FLOW_COOKIE)) else {
        return Err(ctx.redirect(Route::Login.path()));
    };
    let (ck, secret) = (ck.to_string(), secret.to_string());
    let mut conditions = vec![Condition::has(&session::flow_attr(app, &secret))];
    let mut counts = Vec::new();
    if let Some(purpose) = purpose {
        conditions.extend(purpose.try_conditions());
        counts.push(purpose.tries_attr());
    }
    let (attempt, record) = throttle::take_attempt_counting(app, &ck, conditions, counts)
        .await
        .or_unavailable(ctx)?;
    let Some(flow) = record.flow(app, &secret) else {
        return Err(ctx.redirect(Route::Login.path()));
    };
    if let Err(Elsewhere(route)) = fits(&flow.flow) {
        return Err(ctx.redirect(route.path()));
    }
    match attempt {
        Attempt::Taken { n } => Ok((
            LoginState {
                record,
                flow: Some(flow),
                attempt: Some(n),
            },
            None,
        )),
        Attempt::Locked(locked) => Err(end_locked_out(app, ctx, record, Some(flow), locked).await),
        Attempt::Refused => {
            // The flow is there: the code is gone or out of tries; nothing was checked.
            let check = purpose.map(|p| record.code_unavailable(app, p));
            Ok((
                LoginState {
                    record,
                    flow: Some(flow),
                    attempt: None,
                },
                check,
            ))
        }
    }
}
