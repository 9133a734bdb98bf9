//! The `login.email` step: the login code mailed after the password, 5 tries, resend.

use super::{
    CodeForm, EmptyForm, OrUnavailable, Page, code_entry_view, code_flow, code_submission,
    login_step, require_rate_allowance, secondary,
};
use crate::app::App;
use crate::codes::{self, CodeCheck, CodePurpose};
use crate::domain::{self, KeyKind, KeyState};
use crate::i18n::Lang;
use crate::methods;
use crate::methods::email::EmailAnswer;
use crate::routes::Route;
use crate::store::StoreError;
use crate::view::{Action, Level, View};
use crate::web::{Ctx, FormPost};
use axum::extract::State;

fn code_view(lang: Lang) -> View {
    let view = View::new("login.email", lang, "login-email-title");
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

/// `POST /login/email`: the right code starts the session.
pub async fn submit(
    State(app): State<App>,
    FormPost { mut ctx, form }: FormPost<CodeForm>,
) -> Page {
    let (record, citizen_id) =
        code_submission(&app, &mut ctx, KeyKind::Email, &form.code, code_view).await?;
    let check = codes::check(&app, &citizen_id, CodePurpose::Login, &form.code)
        .await
        .or_unavailable(&ctx)?;
    let answer = match check {
        CodeCheck::Right { consume, .. } => match app.store.transact(vec![consume]).await {
            Ok(()) => {
                let key_active = domain::key(&app, &citizen_id, KeyKind::Email)
                    .await
                    .or_unavailable(&ctx)?
                    .is_some_and(|k| k.state == KeyState::Active);
                EmailAnswer::Right { key_active }
            }
            Err(StoreError::TransactionCanceled { .. }) => EmailAnswer::Refused(CodeCheck::Missing),
            Err(other) => return Err(other).or_unavailable(&ctx),
        },
        other => EmailAnswer::Refused(other),
    };
    let outcome = methods::email::email_code(Some(&record.flow), answer);
    login_step(&app, ctx, Some(record), outcome, code_view).await
}

/// `POST /login/email/resend`: a new login code replaces the old one, within the hourly limit.
pub async fn resend(State(app): State<App>, FormPost { ctx, .. }: FormPost<EmptyForm>) -> Page {
    require_rate_allowance(&app, &ctx).await?;
    let (record, citizen_id, _) = code_flow(&app, &ctx, KeyKind::Email).await?;
    let Some(citizen) = domain::citizen(&app, &citizen_id)
        .await
        .or_unavailable(&ctx)?
    else {
        return Ok(ctx.redirect(Route::Login.path()));
    };
    let outcome = methods::email::resend_login_code(Some(&record.flow), &citizen.email);
    login_step(&app, ctx, Some(record), outcome, code_view).await
}
