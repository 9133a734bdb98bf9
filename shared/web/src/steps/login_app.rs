//! The `login.app` step: the authenticator app's code after the password; a code is used once.

use super::{CodeForm, OrUnavailable, Page, code_flow, code_submission, login_step};
use crate::app::App;
use crate::domain::KeyKind;
use crate::i18n::Lang;
use crate::methods;
use crate::methods::app::AppAnswer;
use crate::routes::Route;
use crate::secrets::KeyPurpose;
use crate::totp::AppSecret;
use crate::view::{Action, FieldKind, View};
use crate::web::{Ctx, FormPost};
use axum::extract::State;
use http::StatusCode;

fn code_view(lang: Lang) -> View {
    let view = View::new("login.app", lang, "login-app-title").paragraph("login-app-ask");
    let code = view.field("code", "field-code", FieldKind::Code);
    let submit = Action::post(
        "submit",
        Route::LoginAppSubmit.path(),
        view.t("button-login"),
    )
    .field(code);
    let back = Action::get("back", Route::Login.path(), view.t("button-back"));
    view.action(submit).action(back)
}

/// `GET /login/app`.
pub async fn show(State(app): State<App>, ctx: Ctx) -> Page {
    code_flow(&app, &ctx, KeyKind::App).await?;
    Ok(ctx.render(code_view(ctx.lang)))
}

/// `POST /login/app`: a code of the current step (or one either side), never used before.
pub async fn submit(
    State(app): State<App>,
    FormPost { mut ctx, form }: FormPost<CodeForm>,
) -> Page {
    let (record, citizen_id) =
        code_submission(&app, &mut ctx, KeyKind::App, &form.code, code_view).await?;
    let answer = match methods::app::active_key(&app, &citizen_id)
        .await
        .or_unavailable(&ctx)?
    {
        None => AppAnswer::NoKey,
        Some((sealed, last_step)) => {
            let key = app.secrets.key(KeyPurpose::TotpEncryption);
            let secret = match AppSecret::unseal(&sealed, &key, &citizen_id) {
                Ok(secret) => secret,
                Err(err) => {
                    tracing::error!(error = %err, "app key secret cannot be opened");
                    return Err(ctx.error(StatusCode::SERVICE_UNAVAILABLE, "unavailable"));
                }
            };
            let now = app.clock.now_secs().max(0) as u64;
            match secret.matching_step(&form.code, now) {
                None => AppAnswer::Refused("code.invalid"),
                Some(step) => {
                    let fresh = methods::app::use_step(&app, &citizen_id, last_step, step as i64)
                        .await
                        .or_unavailable(&ctx)?;
                    if fresh {
                        AppAnswer::Right
                    } else {
                        AppAnswer::Refused("code.replayed")
                    }
                }
            }
        }
    };
    let outcome = methods::app::app_code(Some(&record.flow), answer);
    login_step(&app, ctx, Some(record), outcome, code_view).await
}
