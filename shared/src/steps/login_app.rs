//! The `login.app` step: the authenticator app's code after the password; a code is used once.

use super::{CodeForm, OrUnavailable, Page, code_flow, code_submission, count_failed_code};
use crate::app::App;
use crate::audit;
use crate::domain::{self, KeyKind};
use crate::i18n::Lang;
use crate::routes::Route;
use crate::secrets::KeyPurpose;
use crate::session::start_session;
use crate::throttle;
use crate::totp::AppSecret;
use crate::view::{Action, FieldKind, Level, View};
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
    let (record, citizen_id, username) =
        code_submission(&app, &mut ctx, KeyKind::App, &form.code, code_view).await?;
    let Some((sealed, last_step)) = domain::active_app_key(&app, &citizen_id)
        .await
        .or_unavailable(&ctx)?
    else {
        record.end(&app, &mut ctx).await.or_unavailable(&ctx)?;
        return Ok(ctx.redirect(Route::Login.path()));
    };
    let key = app.secrets.key(KeyPurpose::TotpEncryption);
    let secret = match AppSecret::unseal(&sealed, &key, &citizen_id) {
        Ok(secret) => secret,
        Err(err) => {
            tracing::error!(error = %err, "app key secret cannot be opened");
            return Err(ctx.error(StatusCode::SERVICE_UNAVAILABLE, "unavailable"));
        }
    };
    let now = app.clock.now_secs().max(0) as u64;
    let refused = match secret.matching_step(&form.code, now) {
        None => Some("code.invalid"),
        Some(step) => {
            let fresh = domain::use_app_step(&app, &citizen_id, last_step, step as i64)
                .await
                .or_unavailable(&ctx)?;
            (!fresh).then_some("code.replayed")
        }
    };
    if let Some(message) = refused {
        audit::record(&app, "login.app", Some(&citizen_id), message).await;
        count_failed_code(&app, &mut ctx, record, &username).await?;
        let view = code_view(ctx.lang)
            .status(StatusCode::UNAUTHORIZED)
            .message(Level::Error, message, Some("code"));
        return Err(ctx.render(view));
    }
    throttle::record_success(&app, &username)
        .await
        .or_unavailable(&ctx)?;
    let return_to = record.return_to.clone();
    record.end(&app, &mut ctx).await.or_unavailable(&ctx)?;
    start_session(&app, &mut ctx, &citizen_id, KeyKind::App)
        .await
        .or_unavailable(&ctx)?;
    audit::record(&app, "login.app", Some(&citizen_id), "success").await;
    Ok(ctx.redirect(return_to.as_deref().unwrap_or(Route::MyKeys.path())))
}
