//! Wizard step 2: select the new digital key (e-mail or mobile app; never a token).

use super::{
    OrUnavailable, Page, require_citizen, require_rate_allowance, require_wizard, send_code,
};
use crate::app::App;
use crate::audit;
use crate::codes::CodePurpose;
use crate::domain::{self, KeyKind};
use crate::i18n::Lang;
use crate::mails;
use crate::routes::Route;
use crate::view::{Action, Choice, FieldKind, Level, View};
use crate::web::{Ctx, FormPost};
use crate::wizard::{self, Wizard};
use axum::extract::State;
use http::StatusCode;
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
    let choices = offered
        .iter()
        .map(|k| Choice {
            value: k.as_str().into(),
            label: view.t(k.name_id()),
            hint: Some(view.t(&format!("{}-hint", k.name_id()))),
        })
        .collect();
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
    require_wizard(&app, &ctx, &citizen.id, Wizard::email_confirmed).await?;
    let offered = offered(&app, &ctx, &citizen.id).await?;
    Ok(ctx.render(select_view(ctx.lang, &offered)))
}

/// `POST /activate/select`: by e-mail mails the registration code at once; by app shows the apps.
pub async fn submit(State(app): State<App>, FormPost { ctx, form }: FormPost<SelectForm>) -> Page {
    require_rate_allowance(&app, &ctx).await?;
    let (_, citizen) = require_citizen(&app, &ctx).await?;
    require_wizard(&app, &ctx, &citizen.id, Wizard::email_confirmed).await?;
    let offered = offered(&app, &ctx, &citizen.id).await?;
    let refuse = |status: StatusCode, id: &str| {
        ctx.render(select_view(ctx.lang, &offered).status(status).message(
            Level::Error,
            id,
            Some("key"),
        ))
    };
    let kind = match KeyKind::parse(form.key.trim()) {
        _ if form.key.trim().is_empty() => {
            return Err(refuse(StatusCode::UNPROCESSABLE_ENTITY, "field.required"));
        }
        Some(kind) if offered.contains(&kind) => kind,
        Some(KeyKind::Email | KeyKind::App) => {
            return Err(refuse(StatusCode::CONFLICT, "key.already_active"));
        }
        Some(KeyKind::Token) | None => {
            return Err(refuse(StatusCode::UNPROCESSABLE_ENTITY, "key.unknown"));
        }
    };
    audit::record(&app, "key.select", Some(&citizen.id), kind.as_str()).await;
    match kind {
        KeyKind::Email => {
            let (lang, to) = (ctx.lang, citizen.email.clone());
            let sent = send_code(
                &app,
                &ctx,
                &citizen.id,
                CodePurpose::Registration,
                None,
                |code, ttl| mails::registration_code(lang, &to, code, ttl),
            )
            .await?;
            if let Err(not_sent) = sent {
                return Err(ctx.render(not_sent.shown_on(select_view(ctx.lang, &offered))));
            }
            wizard::save(&app, &citizen.id, &Wizard::ActivateEmail)
                .await
                .or_unavailable(&ctx)?;
            Ok(ctx.redirect(Route::ActivateEmail.path()))
        }
        _ => {
            wizard::save(&app, &citizen.id, &Wizard::InstallApp)
                .await
                .or_unavailable(&ctx)?;
            Ok(ctx.redirect(Route::InstallApp.path()))
        }
    }
}
