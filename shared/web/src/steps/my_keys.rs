//! My digital keys: every key the citizen has or could activate, and its state; start an activation, sign out.

use super::request::{
    EmptyForm, Page, require_recent_login, require_session, sign_out_to_logged_out,
};
use super::views::login_again;
use crate::view::{Action, ActionStyle, View};
use crate::web::{Ctx, FormPost};
use axum::extract::State;
use keys_domain::app::App;
use keys_domain::methods;
use keys_domain::routes::Route;
use serde_json::json;

/// `GET /keys`.
pub async fn show(State(app): State<App>, ctx: Ctx) -> Page {
    let visit = require_session(&app, &ctx).await?;
    let keys = visit.record.keys();
    let session = &visit.session;
    let view = View::new(Route::MyKeys, ctx.lang, "keys-title").paragraph("keys-intro");
    let data: Vec<_> = keys
        .iter()
        .map(|k| json!({ "kind": k.kind, "state": k.state, "activated_at": k.activated_at }))
        .collect();
    let can_activate: Vec<&str> = methods::activatable(&keys)
        .iter()
        .map(|kind| kind.as_str())
        .collect();
    let table = super::views::keys_table(&view, &keys, "keys-caption");
    let activate = Action::post(
        "activate",
        Route::MyKeysActivate.path(),
        view.t("keys-activate"),
    );
    let sign_out = Action::post(
        "sign_out",
        Route::MyKeysSignOut.path(),
        view.t("button-sign-out"),
    )
    .style(ActionStyle::Secondary);
    let sign_out_everywhere = Action::post(
        "sign_out_everywhere",
        Route::MyKeysSignOut.with_query("everywhere=1"),
        view.t("button-sign-out-everywhere"),
    )
    .style(ActionStyle::Secondary);
    let view = view
        .data("keys", data.into())
        .data("can_activate", json!(can_activate))
        .data("logged_in_with", json!(session.key))
        .block(table)
        .action(activate)
        .action(sign_out)
        .action(sign_out_everywhere);
    Ok(ctx.render(view))
}

/// `POST /keys/activate`: into the wizard.
pub async fn activate(State(app): State<App>, FormPost { ctx, .. }: FormPost<EmptyForm>) -> Page {
    let visit = require_session(&app, &ctx).await?;
    require_recent_login(&app, &ctx, &visit, Route::ConfirmEmail)?;
    Ok(ctx.redirect(Route::ConfirmEmail.path()))
}

/// `POST /keys/sign-out`: ends the session; `?everywhere=1` ends every session of the citizen
/// (on every device, e.g. after a lost phone).
pub async fn sign_out(State(app): State<App>, FormPost { ctx, .. }: FormPost<EmptyForm>) -> Page {
    if ctx.query("everywhere") == Some("1") {
        return sign_out_to_logged_out(&app, ctx, "signed_out_everywhere", true).await;
    }
    sign_out_to_logged_out(&app, ctx, "signed_out", false).await
}

/// `GET /logged-out`.
pub async fn logged_out(ctx: Ctx) -> Page {
    let view =
        View::new(Route::LoggedOut, ctx.lang, "logged-out-title").paragraph("logged-out-text");
    let login = login_again(&view);
    Ok(ctx.render(view.action(login)))
}
