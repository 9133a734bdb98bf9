//! Wizard step 2: select the new digital key (e-mail or mobile app; never a token).

use super::{
    OrElsewhere, OrUnavailable, Page, key_choice, require_citizen, require_rate_allowance,
    wizard_of, wizard_step,
};
use crate::app::App;
use crate::domain::{self, KeyKind};
use crate::flows::wizard as flow;
use crate::i18n::Lang;
use crate::routes::Route;
use crate::view::{Action, FieldKind, Level, View};
use crate::web::{Ctx, FormPost};
use axum::extract::State;
use serde::Deserialize;

/// The chosen key as posted.
#[derive(Debug, Deserialize)]
pub struct SelectForm {
    #[serde(default)]
    pub key: String,
}

fn select_view(lang: Lang, offered: &[KeyKind]) -> View {
    let view = View::new("activate.select", lang, "wizard-select-title")
        .progress(2)
        .data(
            "offered",
            offered
                .iter()
                .map(|k| k.as_str())
                .collect::<Vec<_>>()
                .into(),
        );
    let back = Action::get("back", Route::ConfirmEmail.path(), view.t("button-back"));
    if offered.is_empty() {
        let keys = Action::get("keys", Route::MyKeys.path(), view.t("keys-back"))
            .style(crate::view::ActionStyle::Primary);
        return view
            .message(Level::Info, "keys.all_active", None)
            .action(keys)
            .action(back);
    }
    let choices = offered.iter().map(|k| key_choice(&view, *k)).collect();
    let key = view.field("key", "field-key", FieldKind::Choice(choices));
    let submit = Action::post(
        "submit",
        Route::SelectKeySubmit.path(),
        view.t("button-continue"),
    )
    .field(key);
    view.paragraph("wizard-select-intro")
        .action(submit)
        .action(back)
}

async fn offered(
    app: &App,
    ctx: &Ctx,
    citizen_id: &str,
) -> Result<Vec<KeyKind>, axum::response::Response> {
    let keys = domain::keys(app, citizen_id).await.or_unavailable(ctx)?;
    Ok(domain::activatable(&keys))
}

/// `GET /activate/select`.
pub async fn show(State(app): State<App>, ctx: Ctx) -> Page {
    let (_, citizen) = require_citizen(&app, &ctx).await?;
    let current = wizard_of(&app, &ctx, &citizen.id).await?;
    flow::at_key_choice(current.as_ref()).or_elsewhere(&ctx)?;
    let offered = offered(&app, &ctx, &citizen.id).await?;
    Ok(ctx.render(select_view(ctx.lang, &offered)))
}

/// `POST /activate/select`: by e-mail mails the registration code at once; by app shows the apps.
pub async fn submit(State(app): State<App>, FormPost { ctx, form }: FormPost<SelectForm>) -> Page {
    require_rate_allowance(&app, &ctx).await?;
    let (_, citizen) = require_citizen(&app, &ctx).await?;
    let current = wizard_of(&app, &ctx, &citizen.id).await?;
    flow::at_key_choice(current.as_ref()).or_elsewhere(&ctx)?;
    let offered = offered(&app, &ctx, &citizen.id).await?;
    let outcome = flow::select_key(current.as_ref(), &form.key, &offered, &citizen.email);
    wizard_step(&app, &ctx, &citizen, outcome, || {
        select_view(ctx.lang, &offered)
    })
    .await
}
