//! The citizen's side of an activation letter: the mailed link and the printed code, then a username and password (or a new password), then the wizard activates a key.
//!
//! The link (`/activation?c=…&t=…`) is traded at once for a cookie, so its token leaves the
//! address bar and the history. Each refusal says what happened (unknown link, expired, used,
//! revoked, too many wrong codes) and where to go: a registration office.

use super::request::Page;
use super::views::{OrUnavailable, new_password_field};
use crate::i18n::Lang;
use crate::refusal::Refusal;
use crate::view::{Action, Block, FieldKind, Level, View};
use crate::web::{Ctx, FormPost, LETTER_COOKIE, SESSION_COOKIE};
use axum::extract::State;
use http::StatusCode;
use keys_domain::app::App;
use keys_domain::office::letters::{self, ChoiceRefused, LetterLink, LetterRefusal, Subject};
use keys_domain::routes::Route;
use serde::Deserialize;

/// The letter the browser opened by its link, if any.
fn letter_of(ctx: &Ctx) -> Option<LetterLink> {
    ctx.cookie(LETTER_COOKIE).and_then(LetterLink::from_cookie)
}

fn code_view(lang: Lang) -> View {
    let view = View::new(Route::Activation, lang, "activation-title").paragraph("activation-intro");
    let code = view.field(
        "code",
        "field-activation-code",
        FieldKind::Text {
            autocomplete: "off",
        },
    );
    let next = Action::post(
        "submit",
        Route::ActivationSubmit.path(),
        view.t("button-next"),
    )
    .field(code);
    view.action(next)
}

/// The page that says why the letter cannot be used, and where to go instead.
fn refused(app: &App, ctx: &Ctx, refusal: LetterRefusal) -> Refusal {
    let view = View::new(Route::Activation, ctx.lang, "activation-title");
    let (status, id) = match refusal {
        LetterRefusal::Unknown => (StatusCode::NOT_FOUND, "letter.unknown"),
        LetterRefusal::Expired => (StatusCode::GONE, "letter.expired"),
        LetterRefusal::Used => (StatusCode::GONE, "letter.used"),
        LetterRefusal::Revoked => (StatusCode::GONE, "letter.revoked"),
        LetterRefusal::Exhausted => (StatusCode::GONE, "letter.exhausted"),
        LetterRefusal::Wrong { left } => {
            let view = code_view(ctx.lang)
                .status(StatusCode::UNAUTHORIZED)
                .message_args(Level::Error, "letter.wrong", &[("left", left.into())]);
            return ctx.refuse(view.data("tries_left", left.into()));
        }
    };
    let help = view.t_args(
        "letter-help",
        &[("contact", app.settings.help_desk.clone().into())],
    );
    let mut view = view
        .status(status)
        .message(Level::Error, id, None)
        .block(Block::Paragraph(help));
    if refusal == LetterRefusal::Used {
        let login = super::views::login_again(&view);
        view = view.action(login);
    }
    ctx.refuse(view)
}

/// `GET /activation`: from the mail's link (`?c=…&t=…`, kept in a cookie and taken out of the
/// address), the code's page; a letter that cannot be used says why.
pub async fn show(State(app): State<App>, mut ctx: Ctx) -> Page {
    if let (Some(citizen_id), Some(token)) = (ctx.query("c"), ctx.query("t")) {
        let link = LetterLink {
            citizen_id: citizen_id.to_string(),
            token: token.to_string(),
        };
        ctx.set_cookie(LETTER_COOKIE, &link.cookie_value());
        return Ok(ctx.redirect(Route::Activation.path()));
    }
    let Some(link) = letter_of(&ctx) else {
        return Err(refused(&app, &ctx, LetterRefusal::Unknown));
    };
    if let Err(refusal) = letters::open(&app, &link).await.or_unavailable(&ctx)? {
        return Err(refused(&app, &ctx, refusal));
    }
    let mut view = code_view(ctx.lang);
    if ctx.query("again") == Some("1") {
        view = view.message(Level::Info, "letter.again", None);
    }
    Ok(ctx.render(view))
}

/// The activation code as posted.
#[derive(Debug, Deserialize)]
pub struct ActivationCodeForm {
    #[serde(default)]
    pub code: String,
}

/// `POST /activation`: the code from the paper letter (a try is taken before it is checked;
/// five wrong ones and the letter stops working).
pub async fn submit(
    State(app): State<App>,
    FormPost { ctx, form }: FormPost<ActivationCodeForm>,
) -> Page {
    let Some(link) = letter_of(&ctx) else {
        return Err(refused(&app, &ctx, LetterRefusal::Unknown));
    };
    if form.code.trim().is_empty() {
        return Err(
            ctx.refuse(code_view(ctx.lang).status(StatusCode::BAD_REQUEST).message(
                Level::Error,
                "letter.code_empty",
                Some("code"),
            )),
        );
    }
    match letters::check_code(&app, &link, &form.code)
        .await
        .or_unavailable(&ctx)?
    {
        Ok(()) => Ok(ctx.redirect(Route::ActivationAccount.path())),
        Err(refusal) => Err(refused(&app, &ctx, refusal)),
    }
}

fn account_view(lang: Lang, subject: &Subject, typed_username: &str) -> View {
    let title = if subject.username().is_some() {
        "activation-password-title"
    } else {
        "activation-account-title"
    };
    let view = View::new(Route::ActivationAccount, lang, title)
        .data("new_citizen", subject.username().is_none().into())
        .paragraph("activation-account-intro");
    let mut submit = Action::post(
        "submit",
        Route::ActivationAccountSubmit.path(),
        view.t("button-activation-account"),
    );
    let view = match subject.username() {
        Some(username) => {
            let label = view.t("activation-your-username");
            view.block(Block::Fact {
                label,
                value: username.to_string(),
            })
        }
        None => {
            let mut username = view.field(
                "username",
                "field-new-username",
                FieldKind::Text {
                    autocomplete: "username",
                },
            );
            username.value = typed_username.to_string();
            submit = submit.field(username);
            view
        }
    };
    let submit = submit.field(new_password_field(&view));
    view.action(submit)
}

/// `GET /activation/account`: after the right code, the username (for a citizen enrolled at the
/// office) and the password.
pub async fn account(State(app): State<App>, ctx: Ctx) -> Page {
    let Some(link) = letter_of(&ctx) else {
        return Err(refused(&app, &ctx, LetterRefusal::Unknown));
    };
    match letters::verified(&app, &link).await.or_unavailable(&ctx)? {
        Some(subject) => Ok(ctx.render(account_view(ctx.lang, &subject, ""))),
        None => Ok(ctx.redirect(&Route::Activation.with_query("again=1"))),
    }
}

/// The username and password as posted.
#[derive(Debug, Deserialize)]
pub struct AccountForm {
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub new_password: String,
}

/// `POST /activation/account`: spends the letter and opens a wizard-only session, in one write;
/// the wizard then activates the citizen's key, after which the citizen logs in.
pub async fn account_submit(
    State(app): State<App>,
    FormPost { mut ctx, form }: FormPost<AccountForm>,
) -> Page {
    let Some(link) = letter_of(&ctx) else {
        return Err(refused(&app, &ctx, LetterRefusal::Unknown));
    };
    let help_desk = app.settings.help_desk.clone();
    let outcome = letters::choose_account(&app, &link, &form.username, &form.new_password, |c| {
        crate::mails::password_reset(c.lang, &c.email, &help_desk)
    })
    .await
    .or_unavailable(&ctx)?;
    let refuse = |id: &str, field: &str, status: StatusCode, subject: &Subject| {
        tracing::info!(audit = "input.rejected", field, problem = id, "audit");
        ctx.refuse(
            account_view(ctx.lang, subject, form.username.trim())
                .status(status)
                .message(Level::Error, id, Some(field)),
        )
    };
    let problem = match outcome {
        Ok(cookie) => {
            ctx.set_cookie(SESSION_COOKIE, &cookie);
            ctx.clear_cookie(LETTER_COOKIE);
            return Ok(ctx.redirect(Route::ConfirmEmail.path()));
        }
        Err(ChoiceRefused::NotVerified) => {
            return Ok(ctx.redirect(&Route::Activation.with_query("again=1")));
        }
        Err(problem) => problem,
    };
    let Some(subject) = letters::verified(&app, &link).await.or_unavailable(&ctx)? else {
        return Ok(ctx.redirect(&Route::Activation.with_query("again=1")));
    };
    Err(match problem {
        ChoiceRefused::UsernameTaken => {
            refuse("username.taken", "username", StatusCode::CONFLICT, &subject)
        }
        ChoiceRefused::Username(_) => refuse(
            "username.invalid",
            "username",
            StatusCode::UNPROCESSABLE_ENTITY,
            &subject,
        ),
        _ => refuse(
            "password.weak",
            "new_password",
            StatusCode::UNPROCESSABLE_ENTITY,
            &subject,
        ),
    })
}
