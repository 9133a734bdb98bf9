//! The `login.email` step: the login code mailed after the password, 5 tries, resend.

use super::request::{CodeForm, EmptyForm, Page};
use super::run_login::{LoginState, code_attempt, code_flow, login_step};
use super::views::{code_entry_view, code_required, secondary};
use crate::i18n::Lang;
use crate::view::{Action, Level, View};
use crate::web::{Ctx, FormPost};
use axum::extract::State;
use keys_domain::app::App;
use keys_domain::codes::{CodeCheck, CodePurpose};
use keys_domain::keys::{KeyKind, KeyState};
use keys_domain::methods;
use keys_domain::methods::email::EmailAnswer;
use keys_domain::routes::Route;

fn code_view(lang: Lang) -> View {
    let view = View::new(Route::LoginEmail, lang, "login-email-title");
    let sent = view.t("login-email-sent");
    let resend = secondary(&view, "resend", Route::LoginEmailResend, "button-resend");
    let back = Action::get("back", Route::Login.path(), view.t("button-back"));
    code_entry_view(
        view,
        sent,
        "login-email-junk",
        (Route::LoginEmailSubmit, "button-login"),
        vec![resend, back],
    )
}

/// `GET /login/email` (`?sent=1` after a resend).
pub async fn show(State(app): State<App>, ctx: Ctx) -> Page {
    code_flow(&app, &ctx, KeyKind::Email).await?;
    let mut view = code_view(ctx.lang);
    if ctx.query("sent") == Some("1") {
        view = view.message(Level::Success, "code.resent", None);
    }
    Ok(ctx.render(view))
}

/// `POST /login/email`: the right code starts the session (an attempt and a try of the code
/// taken before it is checked).
pub async fn submit(
    State(app): State<App>,
    FormPost { mut ctx, form }: FormPost<CodeForm>,
) -> Page {
    if form.code.trim().is_empty() {
        code_flow(&app, &ctx, KeyKind::Email).await?;
        return Err(ctx.refuse(code_required(code_view(ctx.lang))));
    }
    let (mut state, unavailable) = code_attempt(&app, &mut ctx, Some(CodePurpose::Login), |flow| {
        keys_domain::flows::login::awaiting_code(Some(flow), KeyKind::Email).map(|_| ())
    })
    .await?;
    let check = match unavailable {
        Some(check) => check,
        None => state
            .record
            .check_code(&app, CodePurpose::Login, &form.code),
    };
    let answer = match check {
        CodeCheck::Right { consume, .. } => {
            state.record.consume_code(&consume);
            let key_active = state
                .record
                .key(KeyKind::Email)
                .is_some_and(|k| k.state == KeyState::Active);
            EmailAnswer::Right { key_active }
        }
        other => EmailAnswer::Refused(other),
    };
    let current = state.flow.as_ref().map(|f| f.flow.clone());
    let outcome = methods::email::email_code(current.as_ref(), answer);
    login_step(&app, ctx, state, outcome, code_view).await
}

/// `POST /login/email/resend`: a new login code replaces the old one, within the hourly limit.
pub async fn resend(State(app): State<App>, FormPost { ctx, .. }: FormPost<EmptyForm>) -> Page {
    let (record, flow) = code_flow(&app, &ctx, KeyKind::Email).await?;
    let Some(citizen) = record.citizen() else {
        return Ok(ctx.redirect(Route::Login.path()));
    };
    let outcome = methods::email::resend_login_code(Some(&flow.flow), &citizen.email);
    let state = LoginState {
        record,
        flow: Some(flow),
        attempt: None,
    };
    login_step(&app, ctx, state, outcome, code_view).await
}
