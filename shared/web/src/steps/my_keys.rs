//! My digital keys: the citizen's keys and their state, start an activation, sign out.

use super::request::{
    EmptyForm, Page, require_recent_login, require_session, sign_out_to_logged_out,
};
use super::views::{OrUnavailable, login_again};
use crate::i18n::format_date;
use crate::view::{Action, ActionStyle, Block, FieldKind, KeyRow, Level, View};
use crate::web::{Ctx, FormPost};
use axum::extract::State;
use keys_domain::app::App;
use keys_domain::keys::KeyState;
use keys_domain::methods;
use keys_domain::routes::Route;
use serde_json::json;

/// `GET /keys`.
pub async fn show(State(app): State<App>, ctx: Ctx) -> Page {
    let visit = require_session(&app, &ctx).await?;
    let keys = visit.record.keys();
    let session = &visit.session;
    let view = View::new(Route::MyKeys, ctx.lang, "keys-title").paragraph("keys-intro");
    let data: Vec<_> = keys
        .iter()
        .map(|k| json!({ "kind": k.kind, "state": k.state, "activated_at": k.activated_at }))
        .collect();
    let rows = keys
        .iter()
        .map(|k| KeyRow {
            name: view.t(methods::of(k.kind).name_id()),
            state: view.t(if k.state == KeyState::Active {
                "state-active"
            } else {
                "state-inactive"
            }),
            active: k.state == KeyState::Active,
            since: match k.state {
                KeyState::Active => k.activated_at,
                KeyState::Inactive => k.deactivated_at.or(k.activated_at),
            }
            .map(|at| format_date(ctx.lang, at))
            .unwrap_or_default(),
        })
        .collect();
    let headers = [
        view.t("keys-col-key"),
        view.t("keys-col-state"),
        view.t("keys-col-since"),
    ];
    let caption = view.t("keys-caption");
    let activate = Action::post(
        "activate",
        Route::MyKeysActivate.path(),
        view.t("keys-activate"),
    );
    let sign_out = Action::post(
        "sign_out",
        Route::MyKeysSignOut.path(),
        view.t("button-sign-out"),
    )
    .style(ActionStyle::Secondary);
    let change_password = Action::get(
        "change_password",
        Route::PasswordChange.path(),
        view.t("keys-password-link"),
    )
    .style(ActionStyle::Secondary);
    let sign_out_everywhere = Action::post(
        "sign_out_everywhere",
        Route::MyKeysSignOut.with_query("everywhere=1"),
        view.t("button-sign-out-everywhere"),
    )
    .style(ActionStyle::Secondary);
    let view = view
        .data("keys", data.into())
        .data("logged_in_with", json!(session.key))
        .block(Block::Keys {
            caption,
            headers,
            rows,
        })
        .action(activate)
        .action(change_password)
        .action(sign_out)
        .action(sign_out_everywhere);
    let view = if ctx.query("password") == Some("changed") {
        view.message(Level::Info, "password.changed", None)
    } else {
        view
    };
    Ok(ctx.render(view))
}

/// `POST /keys/activate`: into the wizard.
pub async fn activate(State(app): State<App>, FormPost { ctx, .. }: FormPost<EmptyForm>) -> Page {
    let visit = require_session(&app, &ctx).await?;
    require_recent_login(&app, &ctx, &visit, Route::ConfirmEmail)?;
    Ok(ctx.redirect(Route::ConfirmEmail.path()))
}

/// `POST /keys/sign-out`: ends the session; `?everywhere=1` ends every session of the citizen
/// (on every device, e.g. after a lost phone).
pub async fn sign_out(State(app): State<App>, FormPost { ctx, .. }: FormPost<EmptyForm>) -> Page {
    if ctx.query("everywhere") == Some("1") {
        return sign_out_to_logged_out(&app, ctx, "signed_out_everywhere", true).await;
    }
    sign_out_to_logged_out(&app, ctx, "signed_out", false).await
}

/// `GET /logged-out`.
pub async fn logged_out(ctx: Ctx) -> Page {
    let view =
        View::new(Route::LoggedOut, ctx.lang, "logged-out-title").paragraph("logged-out-text");
    let login = login_again(&view);
    Ok(ctx.render(view.action(login)))
}

/// The password form as posted.
#[derive(Debug, serde::Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    pub current_password: String,
    #[serde(default)]
    pub new_password: String,
}

fn password_view(lang: crate::i18n::Lang) -> View {
    let view = View::new(Route::PasswordChange, lang, "password-title").paragraph("password-intro");
    let current = view.field(
        "current_password",
        "field-password-current",
        FieldKind::Password {
            autocomplete: "current-password",
        },
    );
    let new = view.field(
        "new_password",
        "field-password-new",
        FieldKind::Password {
            autocomplete: "new-password",
        },
    );
    let submit = Action::post(
        "submit",
        Route::PasswordChangeSubmit.path(),
        view.t("button-change-password"),
    )
    .field(current)
    .field(new);
    let keys = Action::get("keys", Route::MyKeys.path(), view.t("keys-back"));
    view.action(submit).action(keys)
}

/// `GET /keys/password`: the form to change the password (after a recent login).
pub async fn password(State(app): State<App>, ctx: Ctx) -> Page {
    let visit = require_session(&app, &ctx).await?;
    require_recent_login(&app, &ctx, &visit, Route::PasswordChange)?;
    Ok(ctx.render(password_view(ctx.lang)))
}

/// `POST /keys/password`: the current password (checked as a login attempt: counted before it is
/// checked, locked after five) and a new one that meets the policy; every other session ends and
/// the citizen is told by mail.
pub async fn change_password(
    State(app): State<App>,
    FormPost { ctx, form }: FormPost<PasswordForm>,
) -> Page {
    let visit = require_session(&app, &ctx).await?;
    require_recent_login(&app, &ctx, &visit, Route::PasswordChange)?;
    let page = || password_view(ctx.lang).status(http::StatusCode::UNPROCESSABLE_ENTITY);
    if form.current_password.is_empty() || form.new_password.is_empty() {
        let field = if form.current_password.is_empty() {
            "current_password"
        } else {
            "new_password"
        };
        return Err(ctx.refuse(page().message(Level::Error, "field.required", Some(field))));
    }
    let citizen = &visit.citizen;
    if let Some(problem) =
        keys_domain::input::password_problem(&form.new_password, &citizen.username, &citizen.email)
    {
        tracing::info!(
            audit = "input.rejected",
            field = "new_password",
            problem,
            "audit"
        );
        return Err(ctx.refuse(page().message(
            Level::Error,
            "password.weak",
            Some("new_password"),
        )));
    }
    let ck = visit.record.ck.clone();
    let session_attr = visit.session.attr().to_string();
    let (attempt, mut record) = keys_domain::throttle::take_attempt(
        &app,
        &ck,
        vec![keys_domain::store::Condition::has(&session_attr)],
    )
    .await
    .or_unavailable(&ctx)?;
    let n = match attempt {
        keys_domain::throttle::Attempt::Taken { n } => n,
        keys_domain::throttle::Attempt::Locked(locked) => {
            let view = password_view(ctx.lang)
                .status(http::StatusCode::TOO_MANY_REQUESTS)
                .message_args(
                    Level::Error,
                    "login.locked",
                    &[("minutes", locked.minutes.into())],
                );
            return Err(ctx.refuse(view));
        }
        keys_domain::throttle::Attempt::Refused => return Err(ctx.elsewhere(Route::Login.path())),
    };
    if !record.check_password(&form.current_password).await {
        let locked = record.attempt_failed(&app, n);
        record.audit(&app, "password.change", "wrong_password");
        super::request::commit(&app, &ctx, &mut record).await?;
        if locked.is_some() {
            return sign_out_to_logged_out(&app, ctx, "locked", true).await;
        }
        let view = password_view(ctx.lang)
            .status(http::StatusCode::UNAUTHORIZED)
            .message(Level::Error, "password.wrong", Some("current_password"));
        return Err(ctx.refuse(view));
    }
    let hashed = match keys_domain::passwords::hash(form.new_password.clone()).await {
        Ok(hashed) => hashed,
        Err(_) => return Err(ctx.refuse_with(http::StatusCode::SERVICE_UNAVAILABLE, "unavailable")),
    };
    record.attempt_succeeded();
    record.set_s("password", hashed);
    record.require(keys_domain::store::Condition::has(&session_attr));
    record.end_sessions_except(Some(&visit.session));
    record.forget_devices();
    record.queue_mail(
        &app,
        crate::mails::password_changed(citizen.lang, &citizen.email, &app.settings.help_desk),
    );
    record.audit(&app, "password.change", "changed");
    super::request::commit(&app, &ctx, &mut record).await?;
    Ok(ctx.redirect(&Route::MyKeys.with_query("password=changed")))
}
