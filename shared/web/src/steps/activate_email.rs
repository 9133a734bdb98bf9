//! Wizard step 3 by e-mail: the registration code, resend and cancel, then the switch.

use super::request::{CodeForm, EmptyForm, Page, Reach, code_try, require_wizard_session};
use super::run_wizard::{wizard_step, wizard_step_to};
use super::views::{OrElsewhere, code_entry_view_labelled, code_required, secondary};
use crate::i18n::Lang;
use crate::view::{Level, View};
use crate::web::{Ctx, FormPost};
use axum::extract::State;
use keys_domain::app::App;
use keys_domain::citizens::Citizen;
use keys_domain::codes::CodePurpose;
use keys_domain::methods;
use keys_domain::routes::Route;

fn code_view(app: &App, lang: Lang, citizen: &Citizen) -> View {
    let ttl = app.settings.registration_code_ttl_seconds;
    let view = View::new(Route::ActivateEmail, lang, "wizard-code-title")
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
    let resend = secondary(&view, "resend", Route::ActivateEmailResend, "button-resend");
    // Back to step 2: the one way to a new code is *Send a new code*, which the text names.
    let cancel = secondary(
        &view,
        "cancel",
        Route::ActivateEmailCancel,
        "button-previous",
    );
    code_entry_view_labelled(
        view,
        sent,
        "wizard-code-junk",
        "field-registration-code",
        (Route::ActivateEmailSubmit, "button-next"),
        vec![resend, cancel],
    )
}

/// `GET /activate/email-code` (`?sent=1` after a resend says a new code is on its way).
pub async fn show(State(app): State<App>, ctx: Ctx) -> Page {
    let visit = require_wizard_session(&app, &ctx).await?;
    let citizen = visit.citizen.clone();
    let current = visit.record.wizard(&app);
    methods::email::activating_by_email(current.as_ref()).or_elsewhere(&ctx)?;
    let mut view = code_view(&app, ctx.lang, &citizen);
    if ctx.query("sent") == Some("1") {
        view = view.message(Level::Success, "code.resent", None);
    }
    Ok(ctx.render(view))
}

/// `POST /activate/email-code`: the right code switches the citizen to the e-mail key (a try of
/// the code taken before it is checked).
pub async fn submit(State(app): State<App>, FormPost { ctx, form }: FormPost<CodeForm>) -> Page {
    if form.code.trim().is_empty() {
        let visit = require_wizard_session(&app, &ctx).await?;
        let current = visit.record.wizard(&app);
        methods::email::activating_by_email(current.as_ref()).or_elsewhere(&ctx)?;
        return Err(ctx.refuse(code_required(code_view(&app, ctx.lang, &visit.citizen))));
    }
    let (mut visit, check) = code_try(
        &app,
        &ctx,
        Reach::Wizard,
        CodePurpose::Registration,
        &form.code,
    )
    .await?;
    let citizen = visit.citizen.clone();
    let current = visit.record.wizard(&app);
    let page = || code_view(&app, ctx.lang, &citizen);
    let outcome = methods::email::check_registration_code(current.as_ref(), check);
    wizard_step(&app, &ctx, &mut visit, outcome, page).await
}

/// `POST /activate/email-code/resend`: a new code replaces the old one, within the hourly limit.
pub async fn resend(State(app): State<App>, FormPost { ctx, .. }: FormPost<EmptyForm>) -> Page {
    let mut visit = require_wizard_session(&app, &ctx).await?;
    let citizen = visit.citizen.clone();
    let current = visit.record.wizard(&app);
    let outcome = methods::email::resend_registration(current.as_ref(), &citizen.email);
    let page = || code_view(&app, ctx.lang, &citizen);
    wizard_step_to(&app, &ctx, &mut visit, outcome, page, |page| {
        page.with_query("sent=1")
    })
    .await
}

/// `POST /activate/email-code/cancel`: withdraws the code; back to step 2.
pub async fn cancel(State(app): State<App>, FormPost { ctx, .. }: FormPost<EmptyForm>) -> Page {
    let mut visit = require_wizard_session(&app, &ctx).await?;
    let citizen = visit.citizen.clone();
    let current = visit.record.wizard(&app);
    let outcome = methods::email::cancel_registration(current.as_ref());
    wizard_step(&app, &ctx, &mut visit, outcome, || {
        code_view(&app, ctx.lang, &citizen)
    })
    .await
}
