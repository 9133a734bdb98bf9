//! Wizard step 1: confirm the known e-mail address, or change it after verifying the new one.

use super::request::{
    CodeForm, EmptyForm, Page, Reach, code_try, require_recent_login, require_wizard_session,
};
use super::run_wizard::{opened_wizard, wizard_step};
use super::views::{OrElsewhere, code_entry_view, code_required, secondary};
use crate::i18n::Lang;
use crate::view::{Action, ActionStyle, Block, FieldKind, View};
use crate::web::{Ctx, FormPost};
use axum::extract::State;
use keys_domain::app::App;
use keys_domain::citizens::Citizen;
use keys_domain::codes::CodePurpose;
use keys_domain::flows::wizard as flow;
use keys_domain::routes::Route;
use serde::Deserialize;

/// The new address as posted.
#[derive(Debug, Deserialize)]
pub struct ChangeForm {
    #[serde(default)]
    pub email: String,
}

/// What step 1 shows either way: the progress, the intro and the address the service knows;
/// `changing` says whether the change is open.
fn step_1_view(lang: Lang, citizen: &Citizen, changing: bool) -> View {
    let view = View::new(Route::ConfirmEmail, lang, "wizard-email-title")
        .progress(1)
        .data("email", citizen.email.clone().into())
        .data("changing", changing.into())
        .paragraph("wizard-email-intro")
        .paragraph("wizard-email-right");
    let fact = Block::Fact {
        label: view.t("field-email-current"),
        value: citizen.email.clone(),
    };
    view.block(fact)
}

/// Step 1: the address the service knows, with *Yes, this address is correct* and *Change*
/// (which opens the change: no field on this page whose typing another button would drop).
fn confirm_view(lang: Lang, citizen: &Citizen) -> View {
    let view = step_1_view(lang, citizen, false);
    let confirm = Action::post(
        "confirm",
        Route::ConfirmEmailConfirm.path(),
        view.t("button-next"),
    );
    let change = Action::get(
        "change",
        Route::ConfirmEmail.with_query("change=1"),
        view.t("button-change"),
    )
    .style(ActionStyle::Secondary);
    let keys = Action::get("keys", Route::MyKeys.path(), view.t("keys-back"));
    view.action(confirm).action(change).action(keys)
}

/// Step 1 with the change open: the new address (`typed` so far) and *Change e-mail address*;
/// *Back* closes it again. Confirming the known address is on the page without the field.
fn change_view(lang: Lang, citizen: &Citizen, typed: &str) -> View {
    let view = step_1_view(lang, citizen, true);
    let mut email = view.field("email", "field-email-new", FieldKind::Email);
    email.value = typed.to_string();
    let change = Action::post(
        "change",
        Route::ConfirmEmailChange.path(),
        view.t("button-next"),
    )
    .field(email);
    let back = Action::get("back", Route::ConfirmEmail.path(), view.t("button-cancel"))
        .style(ActionStyle::Secondary);
    view.action(change).action(back)
}

/// `GET /activate/confirm-email`: step 1; starts the wizard when none is under way.
pub async fn show(State(app): State<App>, ctx: Ctx) -> Page {
    let visit = require_wizard_session(&app, &ctx).await?;
    require_recent_login(&app, &ctx, &visit, Route::ConfirmEmail)?;
    let current = visit.record.wizard(&app);
    // Shown without writing: the citizen's answer stores the wizard.
    flow::open(current.as_ref()).or_elsewhere(&ctx)?;
    let view = if ctx.query("change") == Some("1") {
        change_view(ctx.lang, &visit.citizen, "")
    } else {
        confirm_view(ctx.lang, &visit.citizen)
    };
    Ok(ctx.render(view))
}

/// `POST /activate/confirm-email/confirm`: the address is right; on to step 2.
pub async fn confirm(State(app): State<App>, FormPost { ctx, .. }: FormPost<EmptyForm>) -> Page {
    let mut visit = require_wizard_session(&app, &ctx).await?;
    require_recent_login(&app, &ctx, &visit, Route::ConfirmEmail)?;
    let citizen = visit.citizen.clone();
    let current = opened_wizard(&visit, &app);
    visit.record.require_wizard_unchanged();
    let outcome = flow::confirm_email(current.as_ref());
    wizard_step(&app, &ctx, &mut visit, outcome, || {
        confirm_view(ctx.lang, &citizen)
    })
    .await
}

/// `POST /activate/confirm-email/change`: mails a code to the new address and waits for it.
pub async fn change(State(app): State<App>, FormPost { ctx, form }: FormPost<ChangeForm>) -> Page {
    let mut visit = require_wizard_session(&app, &ctx).await?;
    require_recent_login(&app, &ctx, &visit, Route::ConfirmEmail)?;
    let citizen = visit.citizen.clone();
    let current = opened_wizard(&visit, &app);
    visit.record.require_wizard_unchanged();
    let outcome = flow::change_email(current.as_ref(), &citizen.email, &form.email);
    let typed = form.email.trim();
    wizard_step(&app, &ctx, &mut visit, outcome, || {
        change_view(ctx.lang, &citizen, typed)
    })
    .await
}

fn verify_view(app: &App, lang: Lang, new_email: &str) -> View {
    let view = View::new(Route::VerifyEmail, lang, "wizard-verify-title")
        .progress(1)
        .data("email", new_email.into());
    let minutes = (app.settings.registration_code_ttl_seconds + 59) / 60;
    let sent = view.t_args(
        "wizard-verify-sent",
        &[("address", new_email.into()), ("minutes", minutes.into())],
    );
    let cancel = secondary(&view, "cancel", Route::VerifyEmailCancel, "button-cancel");
    code_entry_view(
        view,
        sent,
        "wizard-junk",
        (Route::VerifyEmailSubmit, "button-confirm"),
        vec![cancel],
    )
}

/// `GET /activate/confirm-email/verify`.
pub async fn verify(State(app): State<App>, ctx: Ctx) -> Page {
    let visit = require_wizard_session(&app, &ctx).await?;
    let current = visit.record.wizard(&app);
    let new_email = flow::awaiting_verification(current.as_ref()).or_elsewhere(&ctx)?;
    Ok(ctx.render(verify_view(&app, ctx.lang, new_email)))
}

/// `POST /activate/confirm-email/verify`: the right code makes the new address the citizen's.
pub async fn verify_submit(
    State(app): State<App>,
    FormPost { ctx, form }: FormPost<CodeForm>,
) -> Page {
    if form.code.trim().is_empty() {
        let visit = require_wizard_session(&app, &ctx).await?;
        let current = visit.record.wizard(&app);
        let new_email = flow::awaiting_verification(current.as_ref()).or_elsewhere(&ctx)?;
        return Err(ctx.refuse(code_required(verify_view(&app, ctx.lang, new_email))));
    }
    let (mut visit, check) = code_try(
        &app,
        &ctx,
        Reach::Wizard,
        CodePurpose::EmailChange,
        &form.code,
    )
    .await?;
    let current = visit.record.wizard(&app);
    // The transition sends a wizard that waits for no verification to its page.
    let new_email = flow::awaiting_verification(current.as_ref())
        .map(str::to_string)
        .unwrap_or_default();
    let page = || verify_view(&app, ctx.lang, &new_email);
    let outcome = flow::verify_email(current.as_ref(), check);
    wizard_step(&app, &ctx, &mut visit, outcome, page).await
}

/// `POST /activate/confirm-email/verify/cancel`: keeps the old address; back to step 1.
pub async fn verify_cancel(
    State(app): State<App>,
    FormPost { ctx, .. }: FormPost<EmptyForm>,
) -> Page {
    let mut visit = require_wizard_session(&app, &ctx).await?;
    let citizen = visit.citizen.clone();
    let outcome = flow::cancel_verification();
    wizard_step(&app, &ctx, &mut visit, outcome, || {
        confirm_view(ctx.lang, &citizen)
    })
    .await
}
