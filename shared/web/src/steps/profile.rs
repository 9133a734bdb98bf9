//! My profile: the citizen's name, username and e-mail address (changed after verifying the new one), the language of the mails, and the password change.

use super::effects::{address_limit_reached, issue_code, mail_codes};
use super::request::{
    CodeForm, Page, Reach, Visit, code_try, commit, require_recent_login, require_session,
    sign_out_to_logged_out,
};
use super::views::{
    OrUnavailable, code_entry_view, code_refused_view, code_required, input_refused,
};
use crate::i18n::Lang;
use crate::view::{Action, ActionStyle, Block, FieldKind, Level, View};
use crate::web::{Ctx, FormPost};
use axum::extract::State;
use keys_domain::app::App;
use keys_domain::codes::{CodeCheck, CodePurpose};
use keys_domain::flows::profile;
use keys_domain::record::CommitError;
use keys_domain::routes::Route;
use serde::Deserialize;
use serde_json::json;

/// What My profile says after a change (`?changed=…`): the message it shows.
fn changed_message(what: Option<&str>) -> Option<&'static str> {
    match what {
        Some("email") => Some("profile.email_changed"),
        Some("language") => Some("profile.language_saved"),
        Some("password") => Some("password.changed"),
        _ => None,
    }
}

fn profile_view(lang: Lang, visit: &Visit) -> View {
    let citizen = &visit.citizen;
    let view = View::new(Route::Profile, lang, "profile-title")
        .data("name", json!(citizen.name))
        .data("username", citizen.username.clone().into())
        .data("email", citizen.email.clone().into())
        .data("mail_lang", citizen.lang.code().into())
        .paragraph("profile-intro");
    let mut facts = Vec::new();
    if let Some(name) = &citizen.name {
        facts.push(("profile-name", name.clone()));
    }
    facts.push(("field-username", citizen.username.clone()));
    facts.push(("field-email-current", citizen.email.clone()));
    let view = facts.into_iter().fold(view, |view, (label_id, value)| {
        let label = view.t(label_id);
        view.block(Block::Fact { label, value })
    });
    let change_email = Action::get(
        "change_email",
        Route::ProfileEmail.path(),
        view.t("profile-change-email"),
    )
    .style(ActionStyle::Secondary);
    let language = super::views::language_field(&view, "field-mail-language", citizen.lang);
    let save_language = Action::post(
        "language",
        Route::ProfileLanguage.path(),
        view.t("button-save"),
    )
    .field(language)
    .style(ActionStyle::Secondary);
    let change_password = Action::get(
        "change_password",
        Route::PasswordChange.path(),
        view.t("keys-password-link"),
    )
    .style(ActionStyle::Secondary);
    view.action(change_email)
        .action(save_language)
        .action(change_password)
}

/// `GET /profile`.
pub async fn show(State(app): State<App>, ctx: Ctx) -> Page {
    let visit = require_session(&app, &ctx).await?;
    let mut view = profile_view(ctx.lang, &visit);
    if let Some(message) = changed_message(ctx.query("changed")) {
        view = view.message(Level::Success, message, None);
    }
    Ok(ctx.render(view))
}

/// The language as posted.
#[derive(Debug, Deserialize)]
pub struct LanguageForm {
    #[serde(default)]
    pub lang: String,
}

/// `POST /profile/language`: the language the service writes its mails in.
pub async fn save_language(
    State(app): State<App>,
    FormPost { ctx, form }: FormPost<LanguageForm>,
) -> Page {
    let mut visit = require_session(&app, &ctx).await?;
    let lang = match profile::mail_language(&form.lang) {
        Ok(lang) => lang,
        Err(input) => {
            return Err(ctx.refuse(input_refused(profile_view(ctx.lang, &visit), &input)));
        }
    };
    visit.record.set_s("lang", lang.code());
    visit.condition_on_session();
    visit.record.audit(&app, "profile.language", "changed");
    commit(&app, &ctx, &mut visit.record).await?;
    Ok(ctx.redirect(&Route::Profile.with_query("changed=language")))
}

/// The new address as posted.
#[derive(Debug, Deserialize)]
pub struct EmailForm {
    #[serde(default)]
    pub email: String,
}

fn email_view(lang: Lang, visit: &Visit, typed: &str) -> View {
    let view = View::new(Route::ProfileEmail, lang, "profile-email-title")
        .data("email", visit.citizen.email.clone().into())
        .paragraph("wizard-email-intro");
    let current = Block::Fact {
        label: view.t("field-email-current"),
        value: visit.citizen.email.clone(),
    };
    let mut email = view.field("email", "field-email-new", FieldKind::Email);
    email.value = typed.to_string();
    let submit = Action::post(
        "submit",
        Route::ProfileEmailSubmit.path(),
        view.t("button-next"),
    )
    .field(email);
    let cancel = Action::get("cancel", Route::Profile.path(), view.t("button-cancel"))
        .style(ActionStyle::Secondary);
    view.block(current).action(submit).action(cancel)
}

/// `GET /profile/email`: the new address (after a recent login).
pub async fn email(State(app): State<App>, ctx: Ctx) -> Page {
    let visit = require_session(&app, &ctx).await?;
    require_recent_login(&app, &ctx, &visit, Route::ProfileEmail)?;
    Ok(ctx.render(email_view(ctx.lang, &visit, "")))
}

/// `POST /profile/email`: mails a code to the new address (within the hourly limits) and waits
/// for it; the address changes only once the code comes back.
pub async fn email_submit(
    State(app): State<App>,
    FormPost { ctx, form }: FormPost<EmailForm>,
) -> Page {
    let mut visit = require_session(&app, &ctx).await?;
    require_recent_login(&app, &ctx, &visit, Route::ProfileEmail)?;
    let typed = form.email.trim().to_string();
    let new = match profile::new_address(&visit.citizen.email, &typed) {
        Ok(new) => new,
        Err(input) => {
            return Err(ctx.refuse(input_refused(email_view(ctx.lang, &visit, &typed), &input)));
        }
    };
    let page = |visit: &Visit| email_view(ctx.lang, visit, &typed);
    let mut sends = Vec::new();
    if let Err(halt) = issue_code(
        &app,
        &mut visit.record,
        CodePurpose::EmailChange,
        &new,
        &mut sends,
    ) {
        return Err(halted_on(&ctx, halt, page(&visit)));
    }
    visit.record.audit(&app, "email.change", "code_sent");
    visit.condition_on_session();
    match visit.record.commit(&app).await {
        Ok(()) => {}
        Err(CommitError::Conflict { failed }) => {
            return Err(match address_limit_reached(&sends, &failed) {
                Some(halt) => halted_on(&ctx, halt, page(&visit)),
                None => ctx.conflict(),
            });
        }
        Err(CommitError::Store(err)) => return Err(ctx.unavailable(&err)),
    }
    if let Err(halt) = mail_codes(&app, &ctx, &mut visit.record, sends).await {
        return Err(halted_on(&ctx, halt, page(&visit)));
    }
    Ok(ctx.redirect(Route::ProfileEmailVerify.path()))
}

/// A halt of the code's sending shown on `page`.
fn halted_on(ctx: &Ctx, halt: super::effects::Halt, page: View) -> crate::refusal::Refusal {
    match halt {
        super::effects::Halt::NotSent(not_sent) => ctx.refuse(not_sent.shown_on(page)),
        other => super::effects::halted(ctx, other),
    }
}

fn verify_view(app: &App, lang: Lang, new_email: &str) -> View {
    let view = View::new(Route::ProfileEmailVerify, lang, "wizard-verify-title")
        .data("email", new_email.into());
    let minutes = (app.settings.registration_code_ttl_seconds + 59) / 60;
    let sent = view.t_args(
        "wizard-verify-sent",
        &[("address", new_email.into()), ("minutes", minutes.into())],
    );
    let cancel = Action::get("cancel", Route::Profile.path(), view.t("button-cancel"))
        .style(ActionStyle::Secondary);
    code_entry_view(
        view,
        sent,
        "profile-email-junk",
        (Route::ProfileEmailVerifySubmit, "button-confirm"),
        vec![cancel],
    )
}

/// `GET /profile/email/verify`: the code sent to the new address; without one, the change again.
pub async fn email_verify(State(app): State<App>, ctx: Ctx) -> Page {
    let visit = require_session(&app, &ctx).await?;
    match visit.record.pending_address(&app, CodePurpose::EmailChange) {
        Some(new_email) => Ok(ctx.render(verify_view(&app, ctx.lang, &new_email))),
        None => Ok(ctx.redirect(Route::ProfileEmail.path())),
    }
}

/// `POST /profile/email/verify`: the right code (a try taken first) makes the address it was
/// sent to the citizen's; the old address is told, every other session ends.
pub async fn email_verify_submit(
    State(app): State<App>,
    FormPost { ctx, form }: FormPost<CodeForm>,
) -> Page {
    if form.code.trim().is_empty() {
        let visit = require_session(&app, &ctx).await?;
        let new_email = visit
            .record
            .pending_address(&app, CodePurpose::EmailChange)
            .unwrap_or_default();
        return Err(ctx.refuse(code_required(verify_view(&app, ctx.lang, &new_email))));
    }
    let (mut visit, check) = code_try(
        &app,
        &ctx,
        Reach::Everywhere,
        CodePurpose::EmailChange,
        &form.code,
    )
    .await?;
    let pending = visit.record.pending_address(&app, CodePurpose::EmailChange);
    let (consume, new_email) = match check {
        CodeCheck::Right {
            consume,
            address: Some(address),
        } => (consume, address),
        other => {
            visit.record.audit(&app, "email.change", "refuse_code");
            commit(&app, &ctx, &mut visit.record).await?;
            let view = verify_view(&app, ctx.lang, &pending.unwrap_or_default());
            return Err(ctx.refuse(code_refused_view(view, &other)));
        }
    };
    let notice = crate::mails::email_changed(
        visit.citizen.lang,
        &visit.citizen.email,
        &new_email,
        &app.settings.help_desk,
    );
    let session = visit.session.clone();
    visit
        .record
        .change_email(&app, &new_email, &consume, notice, Some(&session));
    visit.condition_on_session();
    match visit.record.commit(&app).await {
        Ok(()) => Ok(ctx.redirect(&Route::Profile.with_query("changed=email"))),
        Err(CommitError::Conflict { .. }) => {
            let view = verify_view(&app, ctx.lang, &new_email);
            Err(ctx.refuse(code_refused_view(view, &CodeCheck::Missing)))
        }
        Err(CommitError::Store(err)) => Err(err).or_unavailable(&ctx),
    }
}

/// The password form as posted.
#[derive(Debug, serde::Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    pub current_password: String,
    #[serde(default)]
    pub new_password: String,
}

fn password_view(lang: Lang) -> View {
    let view = View::new(Route::PasswordChange, lang, "password-title").paragraph("password-intro");
    let current = view.field(
        "current_password",
        "field-password-current",
        FieldKind::Password {
            autocomplete: "current-password",
        },
    );
    let new = super::views::new_password_field(&view);
    let submit = Action::post(
        "submit",
        Route::PasswordChangeSubmit.path(),
        view.t("button-change-password"),
    )
    .field(current)
    .field(new);
    let back = Action::get("profile", Route::Profile.path(), view.t("profile-back"));
    view.action(submit).action(back)
}

/// `GET /profile/password`: the form to change the password (after a recent login).
pub async fn password(State(app): State<App>, ctx: Ctx) -> Page {
    let visit = require_session(&app, &ctx).await?;
    require_recent_login(&app, &ctx, &visit, Route::PasswordChange)?;
    Ok(ctx.render(password_view(ctx.lang)))
}

/// `POST /profile/password`: the current password (checked as a login attempt: counted before it is
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
        commit(&app, &ctx, &mut record).await?;
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
    commit(&app, &ctx, &mut record).await?;
    Ok(ctx.redirect(&Route::Profile.with_query("changed=password")))
}
