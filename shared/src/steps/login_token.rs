//! The token steps: the card code, the phase-out notice with its three choices, and the refusal.

use super::{
    CodeForm, EmptyForm, OrUnavailable, Page, count_failed_code, refuse_if_locked,
    require_rate_allowance,
};
use crate::app::App;
use crate::audit;
use crate::crypto::random_in;
use crate::domain::{self, CARD_SIZE, KeyKind, KeyState};
use crate::i18n::{Lang, format_date};
use crate::routes::Route;
use crate::session::{FlowRecord, LoginFlow, current_flow, start_session};
use crate::throttle;
use crate::view::{Action, ActionStyle, Block, FieldKind, Level, View};
use crate::web::{Ctx, FormPost};
use axum::extract::State;
use axum::response::Response;
use http::StatusCode;
use time::format_description::well_known::Rfc3339;

fn code_view(lang: Lang, challenge: u8) -> View {
    let view = View::new("login.token", lang, "login-token-title")
        .data("challenge_index", challenge.into());
    let ask = view.t_args("login-token-ask", &[("n", challenge.into())]);
    let mut code = view.field("code", "field-code", FieldKind::Code);
    code.hint = Some(view.t("login-token-hint"));
    let submit = Action::post(
        "submit",
        Route::LoginTokenSubmit.path(),
        view.t("button-continue"),
    )
    .field(code);
    let back = Action::get("back", Route::Login.path(), view.t("button-back"));
    view.block(Block::Paragraph(ask))
        .action(submit)
        .action(back)
}

async fn token_flow(app: &App, ctx: &Ctx) -> Result<FlowRecord, Response> {
    match current_flow(app, ctx).await.or_unavailable(ctx)? {
        Some(record) => Ok(record),
        None => Err(ctx.redirect(Route::Login.path())),
    }
}

/// `GET /login/token`.
pub async fn show(State(app): State<App>, ctx: Ctx) -> Page {
    let record = token_flow(&app, &ctx).await?;
    match record.flow {
        LoginFlow::AwaitingTokenCode { challenge, .. } => {
            Ok(ctx.render(code_view(ctx.lang, challenge)))
        }
        LoginFlow::TokenNotice { .. } => Ok(ctx.redirect(Route::TokenNotice.path())),
        LoginFlow::AwaitingEmailCode { .. } | LoginFlow::AwaitingAppCode { .. } => {
            Ok(ctx.redirect(Route::Login.path()))
        }
    }
}

/// Whether the token can still be used by this citizen now.
async fn token_usable(app: &App, citizen_id: &str) -> Result<bool, crate::store::StoreError> {
    if app.clock.now() >= app.settings.token_sunset_at {
        return Ok(false);
    }
    Ok(domain::key(app, citizen_id, KeyKind::Token)
        .await?
        .is_some_and(|k| k.state == KeyState::Active))
}

/// `POST /login/token`: checks the card code.
pub async fn submit(
    State(app): State<App>,
    FormPost { mut ctx, form }: FormPost<CodeForm>,
) -> Page {
    require_rate_allowance(&app, &ctx).await?;
    let record = token_flow(&app, &ctx).await?;
    let LoginFlow::AwaitingTokenCode {
        citizen_id,
        username,
        challenge,
    } = record.flow.clone()
    else {
        return Ok(ctx.redirect(Route::TokenNotice.path()));
    };
    let code = form.code.trim();
    if code.is_empty() {
        let view = code_view(ctx.lang, challenge)
            .status(StatusCode::UNPROCESSABLE_ENTITY)
            .message(Level::Error, "field.required", Some("code"));
        return Err(ctx.render(view));
    }
    let mut record = refuse_if_locked(&app, &mut ctx, record, &username).await?;
    let well_formed = code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit());
    let right = well_formed
        && domain::card_code_matches(&app, &citizen_id, challenge, code)
            .await
            .or_unavailable(&ctx)?;
    if !right {
        audit::record(&app, "login.token", Some(&citizen_id), "failure").await;
        let mut record = count_failed_code(&app, &mut ctx, record, &username).await?;
        let next = random_in(1..=u32::from(CARD_SIZE)) as u8;
        let flow = LoginFlow::AwaitingTokenCode {
            citizen_id,
            username,
            challenge: next,
        };
        record.save(&app, flow).await.or_unavailable(&ctx)?;
        let view = code_view(ctx.lang, next)
            .status(StatusCode::UNAUTHORIZED)
            .message(Level::Error, "code.invalid", Some("code"));
        return Err(ctx.render(view));
    }
    throttle::record_success(&app, &username)
        .await
        .or_unavailable(&ctx)?;
    if !token_usable(&app, &citizen_id).await.or_unavailable(&ctx)? {
        record.end(&app, &mut ctx).await.or_unavailable(&ctx)?;
        audit::record(&app, "login.token", Some(&citizen_id), "unavailable").await;
        return Ok(ctx.redirect(Route::TokenUnavailable.path()));
    }
    audit::record(&app, "login.token", Some(&citizen_id), "success").await;
    record
        .save(&app, LoginFlow::TokenNotice { citizen_id })
        .await
        .or_unavailable(&ctx)?;
    Ok(ctx.redirect(Route::TokenNotice.path()))
}

fn notice_view(app: &App, lang: Lang) -> View {
    let sunset = app.settings.token_sunset_at;
    let view = View::new("login.token.notice", lang, "notice-title").data(
        "sunset_at",
        sunset.format(&Rfc3339).unwrap_or_default().into(),
    );
    let text = view.t_args(
        "notice-text",
        &[("date", format_date(lang, sunset.unix_timestamp()).into())],
    );
    let activate = Action::post(
        "activate",
        Route::TokenNoticeActivate.path(),
        view.t("notice-activate"),
    );
    let other = Action::post(
        "other_key",
        Route::TokenNoticeOtherKey.path(),
        view.t("notice-other"),
    )
    .style(ActionStyle::Secondary);
    let close = Action::post(
        "close",
        Route::TokenNoticeClose.path(),
        view.t("notice-close"),
    )
    .style(ActionStyle::Secondary)
    .aria_label(view.t("notice-close-label"));
    view.block(Block::Callout {
        level: Level::Warning,
        text,
    })
    .action(activate)
    .action(other)
    .action(close)
}

async fn notice_flow(app: &App, ctx: &Ctx) -> Result<(FlowRecord, String), Response> {
    let record = token_flow(app, ctx).await?;
    match &record.flow {
        LoginFlow::TokenNotice { citizen_id } => {
            let id = citizen_id.clone();
            Ok((record, id))
        }
        LoginFlow::AwaitingTokenCode { .. } => Err(ctx.redirect(Route::LoginToken.path())),
        LoginFlow::AwaitingEmailCode { .. } | LoginFlow::AwaitingAppCode { .. } => {
            Err(ctx.redirect(Route::Login.path()))
        }
    }
}

/// `GET /login/token/notice`.
pub async fn notice(State(app): State<App>, ctx: Ctx) -> Page {
    notice_flow(&app, &ctx).await?;
    Ok(ctx.render(notice_view(&app, ctx.lang)))
}

/// Ends the flow and starts the session; answers where the login was going.
async fn finish_token_login(
    app: &App,
    ctx: &mut Ctx,
    record: FlowRecord,
    citizen_id: &str,
) -> Result<Option<String>, Response> {
    if !token_usable(app, citizen_id).await.or_unavailable(ctx)? {
        record.end(app, ctx).await.or_unavailable(ctx)?;
        return Err(ctx.redirect(Route::TokenUnavailable.path()));
    }
    let return_to = record.return_to.clone();
    record.end(app, ctx).await.or_unavailable(ctx)?;
    start_session(app, ctx, citizen_id, KeyKind::Token)
        .await
        .or_unavailable(ctx)?;
    Ok(return_to)
}

/// `POST /login/token/notice/activate`: into the wizard, already logged in.
pub async fn notice_activate(
    State(app): State<App>,
    FormPost { mut ctx, .. }: FormPost<EmptyForm>,
) -> Page {
    let (record, citizen_id) = notice_flow(&app, &ctx).await?;
    finish_token_login(&app, &mut ctx, record, &citizen_id).await?;
    audit::record(&app, "notice.activate", Some(&citizen_id), "chosen").await;
    Ok(ctx.redirect(Route::ConfirmEmail.path()))
}

/// `POST /login/token/notice/other-key`: back to the login page; nothing else changes.
pub async fn notice_other_key(
    State(app): State<App>,
    FormPost { mut ctx, .. }: FormPost<EmptyForm>,
) -> Page {
    let (record, citizen_id) = notice_flow(&app, &ctx).await?;
    record.end(&app, &mut ctx).await.or_unavailable(&ctx)?;
    audit::record(&app, "notice.other_key", Some(&citizen_id), "chosen").await;
    Ok(ctx.redirect(Route::Login.path()))
}

/// `POST /login/token/notice/close`: carry on with the token login, until the sunset.
pub async fn notice_close(
    State(app): State<App>,
    FormPost { mut ctx, .. }: FormPost<EmptyForm>,
) -> Page {
    let (record, citizen_id) = notice_flow(&app, &ctx).await?;
    let return_to = finish_token_login(&app, &mut ctx, record, &citizen_id).await?;
    audit::record(&app, "notice.close", Some(&citizen_id), "chosen").await;
    Ok(ctx.redirect(return_to.as_deref().unwrap_or(Route::MyKeys.path())))
}

/// `GET /login/token/unavailable`: the token was deactivated or the sunset has passed.
pub async fn unavailable(ctx: Ctx) -> Page {
    let view = View::new("login.token.unavailable", ctx.lang, "unavailable-title")
        .status(StatusCode::FORBIDDEN)
        .message(Level::Error, "token.unavailable", None);
    let back =
        Action::get("back", Route::Login.path(), view.t("button-back")).style(ActionStyle::Primary);
    Ok(ctx.render(view.action(back)))
}
