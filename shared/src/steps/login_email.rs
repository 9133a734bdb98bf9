//! The `login.email` step: the login code mailed after the password, 5 tries, resend.

use super::{
    CodeForm, EmptyForm, OrUnavailable, Page, code_flow, code_refused, code_submission,
    count_failed_code, require_rate_allowance, send_code,
};
use crate::app::App;
use crate::audit;
use crate::codes::{self, CodeCheck, CodePurpose};
use crate::domain::{self, KeyKind, KeyState};
use crate::i18n::Lang;
use crate::mails;
use crate::routes::Route;
use crate::session::start_session;
use crate::store::StoreError;
use crate::throttle;
use crate::view::{Action, ActionStyle, Block, FieldKind, Level, View};
use crate::web::{Ctx, FormPost};
use axum::extract::State;

fn code_view(lang: Lang) -> View {
    let view = View::new("login.email", lang, "login-email-title").paragraph("login-email-sent");
    let junk = view.t("login-email-junk");
    let code = view.field("code", "field-code", FieldKind::Code);
    let submit = Action::post(
        "submit",
        Route::LoginEmailSubmit.path(),
        view.t("button-login"),
    )
    .field(code);
    let resend = Action::post(
        "resend",
        Route::LoginEmailResend.path(),
        view.t("button-resend"),
    )
    .style(ActionStyle::Secondary);
    let back = Action::get("back", Route::Login.path(), view.t("button-back"));
    view.block(Block::Callout {
        level: Level::Info,
        text: junk,
    })
    .action(submit)
    .action(resend)
    .action(back)
}

/// `GET /login/email` (`?sent=1` after a resend).
pub async fn show(State(app): State<App>, ctx: Ctx) -> Page {
    code_flow(&app, &ctx, KeyKind::Email).await?;
    let mut view = code_view(ctx.lang);
    if ctx.query("sent") == Some("1") {
        view = view.message(Level::Success, "code.resent", None);
    }
    Ok(ctx.render(view))
}

/// `POST /login/email`: the right code starts the session.
pub async fn submit(
    State(app): State<App>,
    FormPost { mut ctx, form }: FormPost<CodeForm>,
) -> Page {
    let (record, citizen_id, username) =
        code_submission(&app, &mut ctx, KeyKind::Email, &form.code, code_view).await?;
    let check = codes::check(&app, &citizen_id, CodePurpose::Login, &form.code)
        .await
        .or_unavailable(&ctx)?;
    let consumed = match &check {
        CodeCheck::Right { consume, .. } => match app.store.transact(vec![consume.clone()]).await {
            Ok(()) => true,
            Err(StoreError::TransactionCanceled { .. }) => false,
            Err(other) => {
                Err::<(), _>(other).or_unavailable(&ctx)?;
                false
            }
        },
        _ => false,
    };
    if !consumed {
        audit::record(&app, "login.email", Some(&citizen_id), "failure").await;
        count_failed_code(&app, &mut ctx, record, &username).await?;
        let shown = match check {
            CodeCheck::Right { .. } => CodeCheck::Missing,
            other => other,
        };
        return Err(ctx.render(code_refused(code_view(ctx.lang), &shown)));
    }
    throttle::record_success(&app, &username)
        .await
        .or_unavailable(&ctx)?;
    let still_active = domain::key(&app, &citizen_id, KeyKind::Email)
        .await
        .or_unavailable(&ctx)?
        .is_some_and(|k| k.state == KeyState::Active);
    let return_to = record.return_to.clone();
    record.end(&app, &mut ctx).await.or_unavailable(&ctx)?;
    if !still_active {
        audit::record(&app, "login.email", Some(&citizen_id), "not_active").await;
        return Ok(ctx.redirect(Route::Login.path()));
    }
    start_session(&app, &mut ctx, &citizen_id, KeyKind::Email)
        .await
        .or_unavailable(&ctx)?;
    audit::record(&app, "login.email", Some(&citizen_id), "success").await;
    Ok(ctx.redirect(return_to.as_deref().unwrap_or(Route::MyKeys.path())))
}

/// `POST /login/email/resend`: a new login code replaces the old one, within the hourly limit.
pub async fn resend(State(app): State<App>, FormPost { ctx, .. }: FormPost<EmptyForm>) -> Page {
    require_rate_allowance(&app, &ctx).await?;
    let (_, citizen_id, _) = code_flow(&app, &ctx, KeyKind::Email).await?;
    let Some(citizen) = domain::citizen(&app, &citizen_id)
        .await
        .or_unavailable(&ctx)?
    else {
        return Ok(ctx.redirect(Route::Login.path()));
    };
    let lang = ctx.lang;
    let sent = send_code(
        &app,
        &ctx,
        &citizen.id,
        CodePurpose::Login,
        None,
        |code, ttl| mails::login_code(lang, &citizen.email, code, ttl),
    )
    .await?;
    match sent {
        Ok(()) => Ok(ctx.redirect(&Route::LoginEmail.with_query("sent=1"))),
        Err(not_sent) => Err(ctx.render(not_sent.shown_on(code_view(ctx.lang)))),
    }
}
