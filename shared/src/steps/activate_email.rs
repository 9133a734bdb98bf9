//! Wizard step 3 by e-mail: the registration code, resend and cancel, then the switch.

use super::{
    CodeForm, EmptyForm, OrUnavailable, Page, code_refused, code_required, require_citizen,
    require_rate_allowance, require_wizard, send_code,
};
use crate::app::App;
use crate::audit;
use crate::codes::{self, CodeCheck, CodePurpose};
use crate::domain::{Citizen, KeyKind};
use crate::i18n::Lang;
use crate::mails;
use crate::routes::Route;
use crate::view::{Action, ActionStyle, Block, FieldKind, Level, View};
use crate::web::{Ctx, FormPost};
use crate::wizard::{self, Guard, Switched, Wizard};
use axum::extract::State;

fn code_view(app: &App, lang: Lang, citizen: &Citizen) -> View {
    let ttl = app.settings.registration_code_ttl_seconds;
    let view = View::new("activate.email_code", lang, "wizard-code-title")
        .progress(3)
        .data("email", citizen.email.clone().into())
        .data("valid_seconds", ttl.into());
    let sent = view.t_args(
        "wizard-code-sent",
        &[
            ("address", citizen.email.clone().into()),
            ("minutes", ((ttl + 59) / 60).into()),
        ],
    );
    let junk = view.t("wizard-junk");
    let code = view.field("code", "field-code", FieldKind::Code);
    let submit = Action::post(
        "submit",
        Route::ActivateEmailSubmit.path(),
        view.t("button-continue"),
    )
    .field(code);
    let resend = Action::post(
        "resend",
        Route::ActivateEmailResend.path(),
        view.t("button-resend"),
    )
    .style(ActionStyle::Secondary);
    let cancel = Action::post(
        "cancel",
        Route::ActivateEmailCancel.path(),
        view.t("button-cancel"),
    )
    .style(ActionStyle::Secondary);
    view.block(Block::Paragraph(sent))
        .block(Block::Callout {
            level: Level::Info,
            text: junk,
        })
        .action(submit)
        .action(resend)
        .action(cancel)
}

fn activating_email(state: &Wizard) -> bool {
    matches!(state, Wizard::ActivateEmail)
}

/// `GET /activate/email-code` (`?sent=1` after a resend says a new code is on its way).
pub async fn show(State(app): State<App>, ctx: Ctx) -> Page {
    let (_, citizen) = require_citizen(&app, &ctx).await?;
    require_wizard(&app, &ctx, &citizen.id, activating_email).await?;
    let mut view = code_view(&app, ctx.lang, &citizen);
    if ctx.query("sent") == Some("1") {
        view = view.message(Level::Success, "code.resent", None);
    }
    Ok(ctx.render(view))
}

/// `POST /activate/email-code`: the right code switches the citizen to the e-mail key.
pub async fn submit(State(app): State<App>, FormPost { ctx, form }: FormPost<CodeForm>) -> Page {
    require_rate_allowance(&app, &ctx).await?;
    let (_, citizen) = require_citizen(&app, &ctx).await?;
    require_wizard(&app, &ctx, &citizen.id, activating_email).await?;
    let page = || code_view(&app, ctx.lang, &citizen);
    if form.code.trim().is_empty() {
        return Err(ctx.render(code_required(page())));
    }
    let check = codes::check(&app, &citizen.id, CodePurpose::Registration, &form.code)
        .await
        .or_unavailable(&ctx)?;
    let CodeCheck::Right { consume, .. } = check else {
        audit::record(&app, "key.activate", Some(&citizen.id), "code_refused").await;
        return Err(ctx.render(code_refused(page(), &check)));
    };
    let switched = wizard::switch_to(
        &app,
        &citizen,
        KeyKind::Email,
        ctx.lang,
        Guard::Code(consume),
        Vec::new(),
    )
    .await
    .or_unavailable(&ctx)?;
    match switched {
        Switched::Activated { .. } | Switched::AlreadyActive => {
            Ok(ctx.redirect(Route::Confirmation.path()))
        }
        Switched::CodeUsed => Err(ctx.render(code_refused(page(), &CodeCheck::Missing))),
    }
}

/// `POST /activate/email-code/resend`: a new code replaces the old one, within the hourly limit.
pub async fn resend(State(app): State<App>, FormPost { ctx, .. }: FormPost<EmptyForm>) -> Page {
    require_rate_allowance(&app, &ctx).await?;
    let (_, citizen) = require_citizen(&app, &ctx).await?;
    require_wizard(&app, &ctx, &citizen.id, activating_email).await?;
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
    match sent {
        Ok(()) => Ok(ctx.redirect(&Route::ActivateEmail.with_query("sent=1"))),
        Err(not_sent) => Err(ctx.render(not_sent.shown_on(code_view(&app, ctx.lang, &citizen)))),
    }
}

/// `POST /activate/email-code/cancel`: withdraws the code; back to step 2.
pub async fn cancel(State(app): State<App>, FormPost { ctx, .. }: FormPost<EmptyForm>) -> Page {
    let (_, citizen) = require_citizen(&app, &ctx).await?;
    require_wizard(&app, &ctx, &citizen.id, activating_email).await?;
    codes::withdraw(&app, &citizen.id, CodePurpose::Registration)
        .await
        .or_unavailable(&ctx)?;
    wizard::save(&app, &citizen.id, &Wizard::SelectKey)
        .await
        .or_unavailable(&ctx)?;
    Ok(ctx.redirect(Route::SelectKey.path()))
}
