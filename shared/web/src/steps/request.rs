//! What a step handler reads of its request: the posted forms, the citizen's visit (session and record), the login flow, the step-up and the commit.

use super::views::OrUnavailable;
use crate::refusal::Refusal;
use crate::web::{Ctx, FLOW_COOKIE, SESSION_COOKIE};
use axum::response::Response;
use keys_domain::app::App;
use keys_domain::citizens::Citizen;
use keys_domain::codes::{CodeCheck, CodePurpose};
use keys_domain::record::{CommitError, Record};
use keys_domain::routes::Route;
use keys_domain::session::{self, FlowRecord, Session, cookie_parts};
use keys_domain::store::Condition;
use keys_domain::throttle;
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
pub type Page = Result<Response, Refusal>;

/// A logged-in request: the citizen's record (one read), the session its cookie names, the citizen.
pub struct Visit {
    pub record: Record,
    pub session: Session,
    pub citizen: Citizen,
}

impl Visit {
    /// The write rests on this session still being there.
    pub fn condition_on_session(&mut self) {
        let attr = self.session.attr().to_string();
        self.record.require(Condition::has(&attr));
    }
}

/// Which sessions a page opens to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Every logged-in page: a full session.
    Everywhere,
    /// The wizard's pages (and signing out): also a wizard-only session, which a token login in
    /// the grace window after the sunset opens.
    Wizard,
}

impl Reach {
    /// The live session with this secret that a page of this reach accepts.
    fn session(self, app: &App, record: &Record, secret: &str) -> Option<Session> {
        match self {
            Reach::Everywhere => record.session(app, secret),
            Reach::Wizard => record.wizard_session(app, secret),
        }
    }
}

/// The request's live session with its citizen's record, if any; keeps the session alive (a
/// write at most once a minute).
pub async fn session_of(app: &App, ctx: &Ctx) -> Result<Option<Visit>, Refusal> {
    session_reaching(app, ctx, Reach::Everywhere).await
}

/// [`session_of`] for a page of `reach`.
pub async fn session_reaching(
    app: &App,
    ctx: &Ctx,
    reach: Reach,
) -> Result<Option<Visit>, Refusal> {
    let Some((ck, secret)) = cookie_parts(ctx.cookie(SESSION_COOKIE)) else {
        return Ok(None);
    };
    let mut record = Record::load(app, ck).await.or_unavailable(ctx)?;
    let session = reach.session(app, &record, secret);
    let (Some(mut session), Some(citizen)) = (session, record.citizen()) else {
        return Ok(None);
    };
    record.touch_session(app, &mut session);
    // A wizard-only session gets no frame: its tabs would lead where it cannot go.
    if !session.wizard_only {
        ctx.signed_in_as(citizen.greeting_name());
    }
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
pub async fn flow_of(app: &App, ctx: &Ctx) -> Result<Option<(Record, FlowRecord)>, Refusal> {
    let Some((ck, secret)) = cookie_parts(ctx.cookie(FLOW_COOKIE)) else {
        return Ok(None);
    };
    let record = Record::load(app, ck).await.or_unavailable(ctx)?;
    Ok(record.flow(app, secret).map(|flow| (record, flow)))
}

/// The logged-in citizen's visit, or a redirect to the login page that comes back here (for a
/// page; a form posted without a session goes to the login page alone).
pub async fn require_session(app: &App, ctx: &Ctx) -> Result<Visit, Refusal> {
    require_session_reaching(app, ctx, Reach::Everywhere).await
}

/// [`require_session`] for a wizard page: a wizard-only session (the grace window's) will do.
pub async fn require_wizard_session(app: &App, ctx: &Ctx) -> Result<Visit, Refusal> {
    require_session_reaching(app, ctx, Reach::Wizard).await
}

async fn require_session_reaching(app: &App, ctx: &Ctx, reach: Reach) -> Result<Visit, Refusal> {
    let visit = session_reaching(app, ctx, reach).await?;
    if visit.is_none() {
        tracing::info!(audit = "access.denied", path = %ctx.path, "audit");
    }
    match visit {
        Some(visit) => Ok(visit),
        None if ctx.method == http::Method::GET => {
            let back =
                serde_urlencoded::to_string([("return_to", ctx.path.as_str())]).unwrap_or_default();
            Err(ctx.elsewhere(&Route::Login.with_query(&back)))
        }
        None => Err(ctx.elsewhere(Route::Login.path())),
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
) -> Result<(), Refusal> {
    if visit.session.logged_in_recently(app) {
        return Ok(());
    }
    tracing::info!(audit = "step_up.required", path = %ctx.path, "audit");
    let query = serde_urlencoded::to_string([("return_to", back.path()), ("again", "1")])
        .unwrap_or_default();
    Err(ctx.elsewhere(&Route::Login.with_query(&query)))
}

/// A wizard code's try, taken before the code is checked (one write that also reads): on
/// condition the session is there and the code of `purpose` is there with tries left. Gives the
/// visit as the try left it and what the code turned out to be.
pub async fn code_try(
    app: &App,
    ctx: &Ctx,
    reach: Reach,
    purpose: CodePurpose,
    code: &str,
) -> Result<(Visit, CodeCheck), Refusal> {
    let Some((ck, secret)) = cookie_parts(ctx.cookie(SESSION_COOKIE)) else {
        return Err(ctx.elsewhere(Route::Login.path()));
    };
    let mut conditions = vec![Condition::has(&session::session_attr(app, secret))];
    conditions.extend(purpose.try_conditions());
    let (taken, record) = throttle::take_try(app, ck, conditions, vec![purpose.tries_attr()])
        .await
        .or_unavailable(ctx)?;
    let session = reach.session(app, &record, secret);
    let (Some(session), Some(citizen)) = (session, record.citizen()) else {
        return Err(ctx.elsewhere(Route::Login.path()));
    };
    if !session.wizard_only {
        ctx.signed_in_as(citizen.greeting_name());
    }
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
    if let Some(mut visit) = session_reaching(app, &ctx, Reach::Wizard).await? {
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
pub async fn commit(app: &App, ctx: &Ctx, record: &mut Record) -> Result<(), Refusal> {
    match record.commit(app).await {
        Ok(()) => Ok(()),
        Err(CommitError::Conflict { .. }) => Err(ctx.conflict()),
        Err(CommitError::Store(err)) => Err(err).or_unavailable(ctx),
    }
}
