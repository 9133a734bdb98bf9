//! The token steps: the card code, the phase-out notice with its three choices, and the refusal.

use super::request::{CodeForm, EmptyForm, Page, flow_of};
use super::run_login::{LoginState, code_attempt, login_step};
use super::views::OrElsewhere;
use crate::i18n::{Lang, format_date};
use crate::view::{Action, ActionStyle, Block, FieldKind, Level, View};
use crate::web::{Ctx, FormPost};
use axum::extract::State;
use http::StatusCode;
use keys_domain::app::App;
use keys_domain::flows::login::{self as flow, LoginFlow};
use keys_domain::keys::KeyKind;
use keys_domain::methods;
use keys_domain::methods::token::CardAnswer;
use keys_domain::routes::Route;
use time::format_description::well_known::Rfc3339;

fn code_view(lang: Lang, challenge: u8) -> View {
    let view = View::new(Route::LoginToken, lang, "login-token-title")
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
    // A token code is asked only before the sunset.
    let view = view
        .block(Block::Paragraph(ask))
        .action(submit)
        .action(back);
    super::views::with_token_panel(view, None)
}

/// `GET /login/token`.
pub async fn show(State(app): State<App>, ctx: Ctx) -> Page {
    let flow = flow_of(&app, &ctx).await?;
    let challenge = methods::token::showing_token_code(flow.as_ref().map(|(_, f)| &f.flow))
        .or_elsewhere(&ctx)?;
    Ok(ctx.render(code_view(ctx.lang, challenge)))
}

/// `POST /login/token`: checks the card code (an attempt taken first). A wrong code asks for
/// the same card code again.
pub async fn submit(
    State(app): State<App>,
    FormPost { mut ctx, form }: FormPost<CodeForm>,
) -> Page {
    let code = form.code.trim();
    if code.is_empty() {
        let flow = flow_of(&app, &ctx).await?;
        let challenge = methods::token::showing_token_code(flow.as_ref().map(|(_, f)| &f.flow))
            .or_elsewhere(&ctx)?;
        let view = code_view(ctx.lang, challenge)
            .status(StatusCode::UNPROCESSABLE_ENTITY)
            .message(Level::Error, "field.required", Some("code"));
        return Err(ctx.refuse(view));
    }
    let (mut state, _) = code_attempt(&app, &mut ctx, None, |flow| {
        methods::token::answering_token_code(Some(flow)).map(|_| ())
    })
    .await?;
    let Some(flow) = state.flow.as_ref() else {
        return Ok(ctx.redirect(Route::Login.path()));
    };
    let current = flow.flow.clone();
    let challenge = match methods::token::answering_token_code(Some(&current)) {
        Ok((_, _, challenge)) => challenge,
        Err(_) => return Ok(ctx.redirect(Route::Login.path())),
    };
    let well_formed = code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit());
    let right =
        well_formed && methods::token::card_code_matches(&app, &state.record, challenge, code);
    let answer = if right {
        methods::token::challenge_answered(&mut state.record);
        let token_usable = state.record.key_usable(&app, KeyKind::Token);
        let in_grace =
            app.settings.in_token_grace(app.clock.now()) && state.record.key_active(KeyKind::Token);
        if !token_usable && in_grace {
            CardAnswer::RightInGrace
        } else {
            CardAnswer::Right { token_usable }
        }
    } else {
        CardAnswer::Wrong {
            next_challenge: challenge,
        }
    };
    let outcome = methods::token::token_code(Some(&current), answer);
    login_step(&app, ctx, state, outcome, |lang| code_view(lang, challenge)).await
}

fn notice_view(app: &App, lang: Lang) -> View {
    let sunset = app.settings.token_sunset_at;
    let view = View::new(Route::TokenNotice, lang, "notice-title").data(
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

/// `GET /login/token/notice`.
pub async fn notice(State(app): State<App>, ctx: Ctx) -> Page {
    let flow = flow_of(&app, &ctx).await?;
    methods::token::at_notice(flow.as_ref().map(|(_, f)| &f.flow)).or_elsewhere(&ctx)?;
    Ok(ctx.render(notice_view(&app, ctx.lang)))
}

/// A choice on the notice: `choose` is its transition, given whether the token is still usable.
async fn notice_choice(
    app: &App,
    ctx: Ctx,
    choose: impl FnOnce(Option<&LoginFlow>, bool) -> flow::Outcome,
) -> Page {
    let Some((record, flow)) = flow_of(app, &ctx).await? else {
        return Ok(ctx.redirect(Route::Login.path()));
    };
    let token_usable = record.key_usable(app, KeyKind::Token);
    let outcome = choose(Some(&flow.flow), token_usable);
    let state = LoginState {
        record,
        flow: Some(flow),
        attempt: None,
    };
    login_step(app, ctx, state, outcome, |lang| notice_view(app, lang)).await
}

/// `POST /login/token/notice/activate`: into the wizard, already logged in.
pub async fn notice_activate(
    State(app): State<App>,
    FormPost { ctx, .. }: FormPost<EmptyForm>,
) -> Page {
    notice_choice(&app, ctx, methods::token::notice_activate).await
}

/// `POST /login/token/notice/other-key`: back to the login page; nothing else changes.
pub async fn notice_other_key(
    State(app): State<App>,
    FormPost { ctx, .. }: FormPost<EmptyForm>,
) -> Page {
    notice_choice(&app, ctx, |current, _| {
        methods::token::notice_other_key(current)
    })
    .await
}

/// `POST /login/token/notice/close`: carry on with the token login, until the sunset.
pub async fn notice_close(
    State(app): State<App>,
    FormPost { ctx, .. }: FormPost<EmptyForm>,
) -> Page {
    notice_choice(&app, ctx, methods::token::notice_close).await
}

/// `GET /login/token/unavailable`: the token was deactivated or the sunset has passed; the page
/// says what to do instead (another key, a registration office, the help desk).
pub async fn unavailable(State(app): State<App>, ctx: Ctx) -> Page {
    let sunset = app.settings.token_sunset_at;
    let view = View::new(Route::TokenUnavailable, ctx.lang, "unavailable-title")
        .status(StatusCode::FORBIDDEN);
    let ended = app.clock.now() >= sunset;
    let view = if ended {
        view.message_args(
            Level::Error,
            "token.ended",
            &[(
                "date",
                format_date(ctx.lang, sunset.unix_timestamp()).into(),
            )],
        )
    } else {
        view.message(Level::Error, "token.unavailable", None)
            .linking("login-keys-link", Route::MyKeys.path())
    };
    let help = view.t_args(
        "unavailable-help",
        &[("contact", app.settings.help_desk.clone().into())],
    );
    let view = view
        .paragraph("unavailable-other-key")
        .paragraph("unavailable-office")
        .block(Block::Paragraph(help))
        .data("help_desk", app.settings.help_desk.clone().into());
    let back =
        Action::get("back", Route::Login.path(), view.t("button-back")).style(ActionStyle::Primary);
    // Another key but not its password: the way back in with that key.
    let forgotten = Action::get(
        "forgotten_password",
        Route::ForgottenPassword.path(),
        view.t("login-forgotten-password"),
    );
    let view = super::views::with_token_panel(
        view.action(back).action(forgotten),
        ended.then(|| sunset.unix_timestamp()),
    );
    Ok(ctx.render(view))
}
