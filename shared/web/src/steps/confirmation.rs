//! Wizard step 4: the confirmation that the new key is active, and End session.

use super::request::{EmptyForm, Page, require_wizard_session, sign_out_to_logged_out};
use super::views::OrElsewhere;
use crate::view::{Action, Level, View};
use crate::web::{Ctx, FormPost};
use axum::extract::State;
use keys_domain::app::App;
use keys_domain::flows::wizard as flow;
use keys_domain::keys::{KeyKind, KeyState};
use keys_domain::methods;
use keys_domain::routes::Route;

/// `GET /activate/done`.
pub async fn show(State(app): State<App>, ctx: Ctx) -> Page {
    let visit = require_wizard_session(&app, &ctx).await?;
    let current = visit.record.wizard(&app);
    let activated = flow::confirmation(current.as_ref()).or_elsewhere(&ctx)?;
    let token_active = visit
        .record
        .key(KeyKind::Token)
        .is_some_and(|k| k.state == KeyState::Active);
    let view = View::new(Route::Confirmation, ctx.lang, "wizard-done-title")
        .progress(4)
        .data("key", activated.as_str().into())
        .data("token_active", token_active.into());
    let name = view.t(methods::of(activated).name_id());
    let mut view = view.message_args(Level::Success, "key.activated", &[("key", name.into())]);
    if !token_active {
        view = view.paragraph("wizard-done-token");
    }
    let view = view
        .paragraph("wizard-done-mails")
        .paragraph("wizard-done-next");
    let end = Action::post(
        "end_session",
        Route::ConfirmationEndSession.path(),
        view.t("button-end-session"),
    );
    // A service's login request waits for this browser (keys_oidc): offer to go on to it; never
    // from a token login in the grace window, which opens the wizard only.
    let waiting = ctx
        .cookie(crate::web::OIDC_REQUEST_COOKIE)
        .filter(|_| !visit.session.wizard_only);
    let view = match waiting {
        Some(request) => {
            let query = serde_urlencoded::to_string([("request", request)]).unwrap_or_default();
            let label = view.t("oidc-continue");
            view.action(Action::get(
                "continue",
                Route::OidcResume.with_query(&query),
                label,
            ))
        }
        None => view,
    };
    Ok(ctx.render(view.action(end)))
}

/// `POST /activate/done/end-session`: logs the citizen out, so the next login uses the new key.
pub async fn end_session(
    State(app): State<App>,
    FormPost { ctx, .. }: FormPost<EmptyForm>,
) -> Page {
    sign_out_to_logged_out(&app, ctx, "end_session", false).await
}
