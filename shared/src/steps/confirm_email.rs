//! Wizard step 1: confirm the known e-mail address, or change it after verifying the new one.

use super::{
    CodeForm, EmptyForm, OrUnavailable, Page, code_refused, code_required, require_citizen,
    require_rate_allowance, require_wizard, send_code,
};
use crate::app::App;
use crate::audit;
use crate::codes::{self, CodeCheck, CodePurpose};
use crate::domain::{Citizen, looks_like_address};
use crate::i18n::Lang;
use crate::mails;
use crate::routes::Route;
use crate::view::{Action, ActionStyle, Block, FieldKind, Level, View};
use crate::web::{Ctx, FormPost};
use crate::wizard::{self, Wizard};
use axum::extract::State;
use http::StatusCode;
use serde::Deserialize;

/// The new address as posted.
#[derive(Debug, Deserialize)]
pub struct ChangeForm {
    #[serde(default)]
    pub email: String,
}

fn confirm_view(lang: Lang, citizen: &Citizen, typed: &str) -> View {
    let view = View::new("activate.email", lang, "wizard-email-title")
        .progress(1)
        .data("email", citizen.email.clone().into())
        .paragraph("wizard-email-intro");
    let fact = Block::Fact {
        label: view.t("field-email-current"),
        value: citizen.email.clone(),
    };
    let confirm = Action::post(
        "confirm",
        Route::ConfirmEmailConfirm.path(),
        view.t("wizard-email-confirm"),
    );
    let mut email = view.field("email", "field-email-new", FieldKind::Email);
    email.value = typed.to_string();
    let change = Action::post(
        "change",
        Route::ConfirmEmailChange.path(),
        view.t("wizard-email-change"),
    )
    .style(ActionStyle::Secondary)
    .field(email);
    let keys = Action::get("keys", Route::MyKeys.path(), view.t("keys-back"));
    view.block(fact).action(confirm).action(change).action(keys)
}

/// `GET /activate/email`: step 1; starts the wizard when none is under way.
pub async fn show(State(app): State<App>, ctx: Ctx) -> Page {
    let (_, citizen) = require_citizen(&app, &ctx).await?;
    match wizard::load(&app, &citizen.id).await.or_unavailable(&ctx)? {
        Some(Wizard::VerifyEmail { .. }) => return Ok(ctx.redirect(Route::VerifyEmail.path())),
        None | Some(Wizard::Done { .. }) => wizard::start(&app, &citizen.id)
            .await
            .or_unavailable(&ctx)?,
        Some(_) => {}
    }
    Ok(ctx.render(confirm_view(ctx.lang, &citizen, "")))
}

/// `POST /activate/email/confirm`: the address is right; on to step 2.
pub async fn confirm(State(app): State<App>, FormPost { ctx, .. }: FormPost<EmptyForm>) -> Page {
    let (_, citizen) = require_citizen(&app, &ctx).await?;
    require_wizard(&app, &ctx, &citizen.id, |w| {
        !matches!(w, Wizard::Done { .. } | Wizard::VerifyEmail { .. })
    })
    .await?;
    wizard::save(&app, &citizen.id, &Wizard::SelectKey)
        .await
        .or_unavailable(&ctx)?;
    audit::record(&app, "email.confirm", Some(&citizen.id), "confirmed").await;
    Ok(ctx.redirect(Route::SelectKey.path()))
}

/// `POST /activate/email/change`: mails a code to the new address and waits for it.
pub async fn change(State(app): State<App>, FormPost { ctx, form }: FormPost<ChangeForm>) -> Page {
    require_rate_allowance(&app, &ctx).await?;
    let (_, citizen) = require_citizen(&app, &ctx).await?;
    require_wizard(&app, &ctx, &citizen.id, |w| {
        !matches!(w, Wizard::Done { .. } | Wizard::VerifyEmail { .. })
    })
    .await?;
    let new = form.email.trim().to_string();
    let refuse = |id: &str| {
        ctx.render(
            confirm_view(ctx.lang, &citizen, &new)
                .status(StatusCode::UNPROCESSABLE_ENTITY)
                .message(Level::Error, id, Some("email")),
        )
    };
    if new.is_empty() {
        return Err(refuse("field.required"));
    }
    if !looks_like_address(&new) {
        return Err(refuse("email.invalid"));
    }
    if new.eq_ignore_ascii_case(&citizen.email) {
        return Err(refuse("email.same"));
    }
    let lang = ctx.lang;
    let sent = send_code(
        &app,
        &ctx,
        &citizen.id,
        CodePurpose::EmailChange,
        Some(&new),
        |code, ttl| mails::email_change_code(lang, &new, code, ttl),
    )
    .await?;
    if let Err(not_sent) = sent {
        return Err(ctx.render(not_sent.shown_on(confirm_view(ctx.lang, &citizen, &new))));
    }
    wizard::save(&app, &citizen.id, &Wizard::VerifyEmail { new_email: new })
        .await
        .or_unavailable(&ctx)?;
    audit::record(&app, "email.change", Some(&citizen.id), "code_sent").await;
    Ok(ctx.redirect(Route::VerifyEmail.path()))
}

fn verify_view(app: &App, lang: Lang, new_email: &str) -> View {
    let view = View::new("activate.email.verify", lang, "wizard-verify-title")
        .progress(1)
        .data("email", new_email.into());
    let minutes = (app.settings.registration_code_ttl_seconds + 59) / 60;
    let sent = view.t_args(
        "wizard-verify-sent",
        &[("address", new_email.into()), ("minutes", minutes.into())],
    );
    let junk = view.t("wizard-junk");
    let code = view.field("code", "field-code", FieldKind::Code);
    let submit = Action::post(
        "submit",
        Route::VerifyEmailSubmit.path(),
        view.t("button-confirm"),
    )
    .field(code);
    let cancel = Action::post(
        "cancel",
        Route::VerifyEmailCancel.path(),
        view.t("button-cancel"),
    )
    .style(ActionStyle::Secondary);
    view.block(Block::Paragraph(sent))
        .block(Block::Callout {
            level: Level::Info,
            text: junk,
        })
        .action(submit)
        .action(cancel)
}

async fn verifying(
    app: &App,
    ctx: &Ctx,
    citizen_id: &str,
) -> Result<String, axum::response::Response> {
    match require_wizard(app, ctx, citizen_id, |w| {
        matches!(w, Wizard::VerifyEmail { .. })
    })
    .await?
    {
        Wizard::VerifyEmail { new_email } => Ok(new_email),
        other => Err(ctx.redirect(other.page().path())),
    }
}

/// `GET /activate/email/verify`.
pub async fn verify(State(app): State<App>, ctx: Ctx) -> Page {
    let (_, citizen) = require_citizen(&app, &ctx).await?;
    let new_email = verifying(&app, &ctx, &citizen.id).await?;
    Ok(ctx.render(verify_view(&app, ctx.lang, &new_email)))
}

/// `POST /activate/email/verify`: the right code makes the new address the citizen's.
pub async fn verify_submit(
    State(app): State<App>,
    FormPost { ctx, form }: FormPost<CodeForm>,
) -> Page {
    require_rate_allowance(&app, &ctx).await?;
    let (_, citizen) = require_citizen(&app, &ctx).await?;
    let new_email = verifying(&app, &ctx, &citizen.id).await?;
    let page = || verify_view(&app, ctx.lang, &new_email);
    if form.code.trim().is_empty() {
        return Err(ctx.render(code_required(page())));
    }
    let check = codes::check(&app, &citizen.id, CodePurpose::EmailChange, &form.code)
        .await
        .or_unavailable(&ctx)?;
    match check {
        CodeCheck::Right { consume, address } if address.as_deref() == Some(&new_email) => {
            let changed = wizard::change_email(&app, &citizen, &new_email, ctx.lang, consume)
                .await
                .or_unavailable(&ctx)?;
            if changed {
                Ok(ctx.redirect(Route::SelectKey.path()))
            } else {
                Err(ctx.render(code_refused(page(), &CodeCheck::Missing)))
            }
        }
        other => {
            audit::record(&app, "email.change", Some(&citizen.id), "code_refused").await;
            Err(ctx.render(code_refused(page(), &other)))
        }
    }
}

/// `POST /activate/email/verify/cancel`: keeps the old address; back to step 1.
pub async fn verify_cancel(
    State(app): State<App>,
    FormPost { ctx, .. }: FormPost<EmptyForm>,
) -> Page {
    let (_, citizen) = require_citizen(&app, &ctx).await?;
    codes::withdraw(&app, &citizen.id, CodePurpose::EmailChange)
        .await
        .or_unavailable(&ctx)?;
    wizard::save(&app, &citizen.id, &Wizard::ConfirmEmail)
        .await
        .or_unavailable(&ctx)?;
    Ok(ctx.redirect(Route::ConfirmEmail.path()))
}
