//! Forgotten password: the username, a recovery code mailed to its registered address, a code of a second key still bound (the app, or the token while it works), then a new password; without a second key, the registration office.

use super::request::{CodeForm, Page, flow_of};
use super::run_login::{LoginState, code_attempt, login_step, login_step_to};
use super::views::{OrElsewhere, OrUnavailable, code_required};
use crate::i18n::Lang;
use crate::view::{Action, ActionStyle, Block, FieldKind, Level, View};
use crate::web::{Ctx, FormPost};
use axum::extract::State;
use http::StatusCode;
use keys_domain::app::App;
use keys_domain::codes::{CodeCheck, CodePurpose};
use keys_domain::flows::recovery::{self as flow, Asked};
use keys_domain::keys::KeyKind;
use keys_domain::methods;
use keys_domain::methods::app::AppAnswer;
use keys_domain::record::{Record, citizen_key};
use keys_domain::routes::Route;
use serde::Deserialize;

/// The username as posted.
#[derive(Debug, Deserialize)]
pub struct UsernameForm {
    #[serde(default)]
    pub username: String,
}

/// The new password as posted.
#[derive(Debug, Deserialize)]
pub struct NewPasswordForm {
    #[serde(default)]
    pub new_password: String,
}

fn back_to_login(view: &View) -> Action {
    Action::get("back", Route::Login.path(), view.t("button-back")).style(ActionStyle::Secondary)
}

fn username_view(lang: Lang, typed: &str) -> View {
    let view = View::new(Route::ForgottenPassword, lang, "recovery-title")
        .paragraph("recovery-intro")
        .paragraph("recovery-needs");
    let mut username = view.field(
        "username",
        "field-username",
        FieldKind::Text {
            autocomplete: "username",
        },
    );
    username.value = typed.to_string();
    let submit = Action::post(
        "submit",
        Route::ForgottenPasswordSubmit.path(),
        view.t("button-next"),
    )
    .field(username);
    let back = back_to_login(&view);
    view.action(submit).action(back)
}

/// `GET /login/forgotten-password`.
pub async fn show(ctx: Ctx) -> Page {
    Ok(ctx.render(username_view(ctx.lang, "")))
}

/// `POST /login/forgotten-password`: a recovery code goes to the username's registered address;
/// a username no one has gets the same pages. Counted per client address.
pub async fn submit(
    State(app): State<App>,
    FormPost { mut ctx, form }: FormPost<UsernameForm>,
) -> Page {
    let typed = form.username.trim().to_string();
    if typed.is_empty() {
        let view = username_view(ctx.lang, "")
            .status(StatusCode::UNPROCESSABLE_ENTITY)
            .message(Level::Error, "field.required", Some("username"));
        return Err(ctx.refuse(view));
    }
    if keys_domain::input::username_problem(&typed).is_some() {
        let view = username_view(ctx.lang, &typed)
            .status(StatusCode::UNPROCESSABLE_ENTITY)
            .message(Level::Error, "username.invalid", Some("username"));
        return Err(ctx.refuse(view));
    }
    let counted = keys_domain::recovery::count_client_request(&app, &ctx.client_ip)
        .await
        .or_unavailable(&ctx)?;
    if !counted {
        let view = username_view(ctx.lang, &typed)
            .status(StatusCode::TOO_MANY_REQUESTS)
            .message(Level::Error, "recovery.too_many", None);
        return Err(ctx.refuse(view));
    }
    let record = Record::load(&app, &citizen_key(&app, &typed))
        .await
        .or_unavailable(&ctx)?;
    let citizen = record.citizen();
    let asked = match &citizen {
        Some(citizen) => Asked::Citizen {
            citizen_id: &citizen.id,
            username: &citizen.username,
            email: &citizen.email,
        },
        None => Asked::NoOne { username: &typed },
    };
    let outcome = flow::start(asked);
    let state = LoginState {
        record,
        flow: None,
        attempt: None,
    };
    let lang = ctx.lang;
    login_step_to(&app, &mut ctx, state, None, outcome, |_| {
        username_view(lang, &typed)
    })
    .await
}

fn code_view(app: &App, lang: Lang) -> View {
    let minutes = (app.settings.login_code_ttl_seconds + 59) / 60;
    let view = View::new(Route::RecoveryCode, lang, "recovery-code-title");
    let sent = view.t_args("recovery-code-sent", &[("minutes", minutes.into())]);
    let code = view.field("code", "field-recovery-code", FieldKind::Code);
    let submit = Action::post(
        "submit",
        Route::RecoveryCodeSubmit.path(),
        view.t("button-next"),
    )
    .field(code);
    let back = back_to_login(&view);
    view.block(Block::Paragraph(sent))
        .block(Block::Callout {
            level: Level::Info,
            text: crate::i18n::t(lang, "recovery-code-junk"),
        })
        .action(submit)
        .action(back)
}

/// The login flow of this request, with its record, when it is at `fits`'s step.
async fn recovery_flow(
    app: &App,
    ctx: &Ctx,
    fits: impl FnOnce(
        Option<&keys_domain::flows::login::LoginFlow>,
    ) -> Result<(), keys_domain::flows::Elsewhere>,
) -> Result<(Record, keys_domain::session::FlowRecord), crate::refusal::Refusal> {
    let Some((record, flow)) = flow_of(app, ctx).await? else {
        return Err(ctx.elsewhere(Route::ForgottenPassword.path()));
    };
    fits(Some(&flow.flow)).or_elsewhere(ctx)?;
    Ok((record, flow))
}

/// `GET /login/forgotten-password/code`.
pub async fn code(State(app): State<App>, ctx: Ctx) -> Page {
    recovery_flow(&app, &ctx, |f| flow::awaiting_recovery_code(f).map(|_| ())).await?;
    Ok(ctx.render(code_view(&app, ctx.lang)))
}

/// `POST /login/forgotten-password/code`: the mailed code (an attempt and a try taken first);
/// the right one asks for the second key, or, with none bound, shows the registration office.
pub async fn code_submit(
    State(app): State<App>,
    FormPost { mut ctx, form }: FormPost<CodeForm>,
) -> Page {
    if form.code.trim().is_empty() {
        recovery_flow(&app, &ctx, |f| flow::awaiting_recovery_code(f).map(|_| ())).await?;
        return Err(ctx.refuse(code_required(code_view(&app, ctx.lang))));
    }
    let (mut state, unavailable) = code_attempt(&app, &mut ctx, Some(CodePurpose::Recovery), |f| {
        flow::awaiting_recovery_code(Some(f)).map(|_| ())
    })
    .await?;
    let check = match unavailable {
        Some(check) => check,
        None => state
            .record
            .check_code(&app, CodePurpose::Recovery, &form.code),
    };
    let mut second = None;
    if let CodeCheck::Right { consume, .. } = &check {
        state.record.consume_code(consume);
        let key_state = |kind| state.record.key(kind).map(|k| k.state);
        let (app_key, token) = (key_state(KeyKind::App), key_state(KeyKind::Token));
        let token_works = app.clock.now() < app.settings.token_sunset_at;
        // The card code number is drawn only when the token is the key asked for.
        second = match flow::second_key(app_key, token, token_works, 0) {
            Some((KeyKind::Token, _)) => Some((
                KeyKind::Token,
                methods::token::challenge_for(&app, &mut state.record),
            )),
            other => other,
        };
    }
    let current = state.flow.as_ref().map(|f| f.flow.clone());
    let outcome = flow::recovery_code(current.as_ref(), check, second);
    let lang = ctx.lang;
    login_step(&app, ctx, state, outcome, |_| code_view(&app, lang)).await
}

fn second_key_view(lang: Lang, key: KeyKind, challenge: u8) -> View {
    let view = View::new(Route::RecoverySecondKey, lang, "recovery-second-title")
        .data("key", key.as_str().into())
        .paragraph("recovery-second-intro");
    let ask = match key {
        KeyKind::Token => view.t_args("login-token-ask", &[("n", challenge.into())]),
        _ => view.t("login-app-ask"),
    };
    let view = if key == KeyKind::Token {
        view.data("challenge_index", challenge.into())
    } else {
        view
    };
    let code = view.field("code", "field-code", FieldKind::Code);
    let submit = Action::post(
        "submit",
        Route::RecoverySecondKeySubmit.path(),
        view.t("button-next"),
    )
    .field(code);
    let back = back_to_login(&view);
    view.block(Block::Paragraph(ask))
        .action(submit)
        .action(back)
}

/// `GET /login/forgotten-password/second-key`.
pub async fn second_key(State(app): State<App>, ctx: Ctx) -> Page {
    let (_, flow) = recovery_flow(&app, &ctx, |f| flow::awaiting_second_key(f).map(|_| ())).await?;
    let (_, _, key, challenge) = flow::awaiting_second_key(Some(&flow.flow)).or_elsewhere(&ctx)?;
    Ok(ctx.render(second_key_view(ctx.lang, key, challenge)))
}

/// `POST /login/forgotten-password/second-key`: the app's code (once per time step) or the card
/// code asked for, an attempt taken first.
pub async fn second_key_submit(
    State(app): State<App>,
    FormPost { mut ctx, form }: FormPost<CodeForm>,
) -> Page {
    let code = form.code.trim().to_string();
    if code.is_empty() {
        let (_, flow) =
            recovery_flow(&app, &ctx, |f| flow::awaiting_second_key(f).map(|_| ())).await?;
        let (_, _, key, challenge) =
            flow::awaiting_second_key(Some(&flow.flow)).or_elsewhere(&ctx)?;
        return Err(ctx.refuse(code_required(second_key_view(ctx.lang, key, challenge))));
    }
    let (mut state, _) = code_attempt(&app, &mut ctx, None, |f| {
        flow::awaiting_second_key(Some(f)).map(|_| ())
    })
    .await?;
    let current = state.flow.as_ref().map(|f| f.flow.clone());
    let Ok((_, _, key, challenge)) = flow::awaiting_second_key(current.as_ref()) else {
        return Ok(ctx.redirect(Route::ForgottenPassword.path()));
    };
    let refused = match key {
        KeyKind::App => match methods::app::check_app_code(&app, &mut state.record, &code) {
            Ok(AppAnswer::Right) => None,
            Ok(AppAnswer::Refused(message)) => Some(message),
            Ok(AppAnswer::NoKey) => Some("code.invalid"),
            Err(err) => {
                tracing::error!(error = %err, "app key secret cannot be opened");
                return Err(ctx.refuse_with(StatusCode::SERVICE_UNAVAILABLE, "unavailable"));
            }
        },
        _ => {
            let well_formed = code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit());
            let works = app.clock.now() < app.settings.token_sunset_at;
            if works
                && well_formed
                && methods::token::card_code_matches(&app, &state.record, challenge, &code)
            {
                methods::token::challenge_answered(&mut state.record);
                None
            } else {
                Some("code.invalid")
            }
        }
    };
    let outcome = flow::second_key_code(current.as_ref(), refused);
    let lang = ctx.lang;
    login_step(&app, ctx, state, outcome, move |_| {
        second_key_view(lang, key, challenge)
    })
    .await
}

fn new_password_view(lang: Lang) -> View {
    let view = View::new(Route::RecoveryNewPassword, lang, "recovery-password-title")
        .paragraph("recovery-password-intro");
    let new = super::views::new_password_field(&view);
    let submit = Action::post(
        "submit",
        Route::RecoveryNewPasswordSubmit.path(),
        view.t("button-change-password"),
    )
    .field(new);
    let back = back_to_login(&view);
    view.action(submit).action(back)
}

/// `GET /login/forgotten-password/new-password`.
pub async fn new_password(State(app): State<App>, ctx: Ctx) -> Page {
    recovery_flow(&app, &ctx, |f| flow::choosing_password(f).map(|_| ())).await?;
    Ok(ctx.render(new_password_view(ctx.lang)))
}

/// `POST /login/forgotten-password/new-password`: a password that meets the policy becomes the
/// citizen's; every session and grant ends, the addresses are told, the citizen logs in again.
pub async fn new_password_submit(
    State(app): State<App>,
    FormPost { ctx, form }: FormPost<NewPasswordForm>,
) -> Page {
    let (record, flow) =
        recovery_flow(&app, &ctx, |f| flow::choosing_password(f).map(|_| ())).await?;
    let Some(citizen) = record.citizen() else {
        return Ok(ctx.redirect(Route::ForgottenPassword.path()));
    };
    let problem = if form.new_password.is_empty() {
        Some("empty")
    } else {
        keys_domain::input::password_problem(&form.new_password, &citizen.username, &citizen.email)
    };
    if let Some(problem) = problem {
        tracing::info!(
            audit = "input.rejected",
            field = "new_password",
            problem,
            "audit"
        );
    }
    let hash = match problem {
        Some(_) => None,
        None => match keys_domain::passwords::hash(form.new_password.clone()).await {
            Ok(hash) => Some(hash),
            Err(_) => return Err(ctx.refuse_with(StatusCode::SERVICE_UNAVAILABLE, "unavailable")),
        },
    };
    let outcome = flow::password_chosen(Some(&flow.flow), problem, hash);
    let state = LoginState {
        record,
        flow: Some(flow),
        attempt: None,
    };
    let lang = ctx.lang;
    login_step(&app, ctx, state, outcome, |_| new_password_view(lang)).await
}

/// `GET /login/forgotten-password/office`: the mailed code alone does not reset a password; the
/// registration office and the help desk do.
pub async fn office(State(app): State<App>, ctx: Ctx) -> Page {
    let view = View::new(Route::RecoveryOffice, ctx.lang, "recovery-office-title")
        .message(Level::Warning, "recovery.no_second_key", None)
        .data("help_desk", app.settings.help_desk.clone().into())
        .paragraph("unavailable-office");
    let help = view.t_args(
        "unavailable-help",
        &[("contact", app.settings.help_desk.clone().into())],
    );
    let login = Action::get("login", Route::Login.path(), view.t("button-back"))
        .style(ActionStyle::Primary);
    Ok(ctx.render(view.block(Block::Paragraph(help)).action(login)))
}

/// `GET /login/forgotten-password/done`: the password is reset; on to the login.
pub async fn done(ctx: Ctx) -> Page {
    let view = View::new(Route::RecoveryDone, ctx.lang, "recovery-done-title").message(
        Level::Success,
        "recovery.password_reset",
        None,
    );
    let login = super::views::login_again(&view);
    Ok(ctx.render(view.action(login)))
}
