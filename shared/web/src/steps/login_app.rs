//! The `login.app` step: the authenticator app's code after the password; a code is used once.

use super::request::{CodeForm, Page};
use super::run_login::{code_attempt, code_flow, login_step};
use super::views::code_required;
use crate::i18n::Lang;
use crate::view::{Action, FieldKind, View};
use crate::web::{Ctx, FormPost};
use axum::extract::State;
use http::StatusCode;
use keys_domain::app::App;
use keys_domain::keys::KeyKind;
use keys_domain::methods;
use keys_domain::routes::Route;

fn code_view(lang: Lang) -> View {
    let view = View::new(Route::LoginApp, lang, "login-app-title").paragraph("login-app-ask");
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

/// `POST /login/app`: a code of the current step (or the steps just before), never used before
/// (an attempt taken before it is checked).
pub async fn submit(
    State(app): State<App>,
    FormPost { mut ctx, form }: FormPost<CodeForm>,
) -> Page {
    if form.code.trim().is_empty() {
        code_flow(&app, &ctx, KeyKind::App).await?;
        return Err(ctx.refuse(code_required(code_view(ctx.lang))));
    }
    let (mut state, _) = code_attempt(&app, &mut ctx, None, |flow| {
        keys_domain::flows::login::awaiting_code(Some(flow), KeyKind::App).map(|_| ())
    })
    .await?;
    let answer = match methods::app::check_app_code(&app, &mut state.record, &form.code) {
        Ok(answer) => answer,
        Err(err) => {
            tracing::error!(error = %err, "app key secret cannot be opened");
            return Err(ctx.refuse_with(StatusCode::SERVICE_UNAVAILABLE, "unavailable"));
        }
    };
    let current = state.flow.as_ref().map(|f| f.flow.clone());
    let outcome = methods::app::app_code(current.as_ref(), answer);
    login_step(&app, ctx, state, outcome, code_view).await
}
