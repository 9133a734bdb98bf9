//! The login flow's effect interpreter: runs a transition's effects on the citizen's record, writes it once, sets the cookies, mails its codes, then goes where it leads.

use super::effects::{
    Halt, address_limit_reached, halted, issue_code, issue_recovery_code, mail_codes,
};
use super::login_page::{LoginOffer, locked_view};
use super::request::{Page, flow_of};
use super::views::OrElsewhere;
use super::views::OrUnavailable;
use super::views::show_refusal;
use crate::i18n::Lang;
use crate::refusal::{Refusal, StepError};
use crate::view::View;
use crate::web::{Ctx, DEVICE_COOKIE, FLOW_COOKIE, SESSION_COOKIE};
use keys_domain::app::App;
use keys_domain::codes::{CodeCheck, CodePurpose};
use keys_domain::flows::{self, Elsewhere};
use keys_domain::keys::KeyKind;
use keys_domain::record::{CommitError, Record};
use keys_domain::routes::Route;
use keys_domain::session::{self, FlowRecord, cookie_parts};
use keys_domain::store::Condition;
use keys_domain::throttle;
use keys_domain::throttle::Attempt;

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
pub(super) async fn run_login(
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
                    return Err(Refusal::new(ctx, StepError::Unavailable).into());
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
                    halt = Some(Halt::Refused(ctx.refuse(locked_view(
                        ctx.lang,
                        &LoginOffer::now(app),
                        None,
                        &username,
                        locked,
                    ))));
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
            Effect::StartWizardOnlySession { .. } => {
                let cookie = record.start_wizard_only_session(app);
                cookies.push((SESSION_COOKIE, Some(cookie)));
            }
            Effect::Audit { audit, .. } => record.audit(app, audit.event, audit.outcome),
            Effect::Count(counted) => record.count(counted),
            Effect::SendRecoveryCode { to } => {
                issue_recovery_code(app, record, to.as_deref(), &mut sends);
            }
            Effect::ResetPassword { hash } => {
                record.set_s("password", hash);
                // Every session and every grant resting on one ends; remembered browsers too.
                record.end_sessions_except(None);
                record.forget_devices();
                if let Some(citizen) = record.citizen() {
                    let help_desk = &app.settings.help_desk;
                    let previous = record
                        .previous_email(app)
                        .filter(|previous| !previous.eq_ignore_ascii_case(&citizen.email));
                    record.queue_mail(
                        app,
                        crate::mails::password_reset(citizen.lang, &citizen.email, help_desk),
                    );
                    if let Some(previous) = previous {
                        record.queue_mail(
                            app,
                            crate::mails::password_reset(citizen.lang, &previous, help_desk),
                        );
                    }
                }
            }
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
            return Err(Halt::Refused(ctx.unavailable(&err)));
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
                Err(Halt::NotSent(not_sent)) => Err(ctx.refuse(not_sent.shown_on(page(ctx.lang)))),
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
) -> Refusal {
    if let Some(flow) = flow {
        record.end_flow(&flow);
        ctx.clear_cookie(FLOW_COOKIE);
        if record.is_citizen() {
            record.audit(app, "login.code", "locked_refused");
        }
        if let Err(CommitError::Store(err)) = record.commit(app).await {
            return ctx.unavailable(&err);
        }
    }
    tracing::info!(audit = "login.locked", "audit");
    let username = record.s("username").unwrap_or_default().to_string();
    ctx.refuse(locked_view(
        ctx.lang,
        &LoginOffer::now(app),
        None,
        &username,
        locked,
    ))
}

/// The login flow of this request when it waits for a code of `key` (e-mail or app), with the
/// citizen's record; anything else goes back to the login page.
pub async fn code_flow(
    app: &App,
    ctx: &Ctx,
    key: KeyKind,
) -> Result<(Record, FlowRecord), Refusal> {
    let Some((record, flow)) = flow_of(app, ctx).await? else {
        return Err(ctx.elsewhere(Route::Login.path()));
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
) -> Result<(LoginState, Option<CodeCheck>), Refusal> {
    let Some((ck, secret)) = cookie_parts(ctx.cookie(FLOW_COOKIE)) else {
        return Err(ctx.elsewhere(Route::Login.path()));
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
        return Err(ctx.elsewhere(Route::Login.path()));
    };
    if let Err(Elsewhere(route)) = fits(&flow.flow) {
        return Err(ctx.elsewhere(route.path()));
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
