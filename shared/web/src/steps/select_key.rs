//! Wizard step 2: select the new digital key (e-mail or mobile app; never a token).

use super::request::{Page, require_recent_login, require_wizard_session};
use super::run_wizard::wizard_step;
use super::views::{OrElsewhere, key_choice};
use crate::i18n::Lang;
use crate::view::{Action, FieldKind, Level, View};
use crate::web::{Ctx, FormPost};
use axum::extract::State;
use keys_domain::app::App;
use keys_domain::flows::wizard as flow;
use keys_domain::keys::KeyKind;
use keys_domain::methods;
use keys_domain::routes::Route;
use serde::Deserialize;

/// The chosen key as posted.
#[derive(Debug, Deserialize)]
pub struct SelectForm {
    #[serde(default)]
    pub key: String,
}

fn select_view(lang: Lang, offered: &[KeyKind]) -> View {
    let view = View::new(Route::SelectKey, lang, "wizard-select-title")
        .progress(2)
        .data(
            "offered",
            offered
                .iter()
                .map(|k| k.as_str())
                .collect::<Vec<_>>()
                .into(),
        );
    let back = Action::get(
        "back",
        Route::ConfirmEmail.path(),
        view.t("button-previous"),
    );
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
        view.t("button-next"),
    )
    .field(key);
    let why = Route::Info.path().to_string() + "#levels";
    view.paragraph("wizard-select-intro")
        .linked_paragraph("wizard-select-why", "wizard-select-why-link", &why)
        .action(submit)
        .action(back)
}

/// `GET /activate/select`.
pub async fn show(State(app): State<App>, ctx: Ctx) -> Page {
    let visit = require_wizard_session(&app, &ctx).await?;
    let current = visit.record.wizard(&app);
    flow::at_key_choice(current.as_ref()).or_elsewhere(&ctx)?;
    let offered = methods::activatable(&visit.record.keys());
    Ok(ctx.render(select_view(ctx.lang, &offered)))
}

/// `POST /activate/select`: by e-mail mails the registration code at once; by app shows the apps.
pub async fn submit(State(app): State<App>, FormPost { ctx, form }: FormPost<SelectForm>) -> Page {
    let mut visit = require_wizard_session(&app, &ctx).await?;
    require_recent_login(&app, &ctx, &visit, Route::SelectKey)?;
    let current = visit.record.wizard(&app);
    let offered = methods::activatable(&visit.record.keys());
    let email = visit.citizen.email.clone();
    let outcome = flow::select_key(
        current.as_ref(),
        &form.key,
        &methods::ACTIVATIONS,
        &offered,
        &email,
    );
    visit.record.require_wizard_unchanged();
    wizard_step(&app, &ctx, &mut visit, outcome, || {
        select_view(ctx.lang, &offered)
    })
    .await
}
