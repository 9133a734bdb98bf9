//! Forgotten username: the citizen gives an e-mail address, the usernames registered with it are mailed there; the page answers the same whether or not the address is known.

use super::request::Page;
use super::views::OrUnavailable;
use crate::i18n::Lang;
use crate::mails;
use crate::view::{Action, ActionStyle, FieldKind, Level, View};
use crate::web::{Ctx, FormPost};
use axum::extract::State;
use http::StatusCode;
use keys_domain::app::App;
use keys_domain::input::valid_address;
use keys_domain::recovery::{self, Reminded};
use keys_domain::routes::Route;
use serde::Deserialize;

/// The form as posted.
#[derive(Debug, Deserialize)]
pub struct AddressForm {
    #[serde(default)]
    pub email: String,
}

/// The page: what to give and what happens, the address field, and the way back to the login.
fn address_view(lang: Lang, typed: &str) -> View {
    let view = View::new(Route::ForgottenUsername, lang, "forgotten-username-title")
        .paragraph("forgotten-username-intro");
    let mut email = view.field("email", "field-email", FieldKind::Email);
    email.value = typed.to_string();
    let submit = Action::post(
        "submit",
        Route::ForgottenUsernameSubmit.path(),
        view.t("forgotten-username-send"),
    )
    .field(email);
    let back = Action::get("back", Route::Login.path(), view.t("button-back"))
        .style(ActionStyle::Secondary);
    view.action(submit).action(back)
}

/// `GET /login/forgotten-username` (`?sent=1` after a request says what happens next).
pub async fn show(ctx: Ctx) -> Page {
    let mut view = address_view(ctx.lang, "");
    if ctx.query("sent") == Some("1") {
        view = view.message(Level::Success, "recovery.username_sent", None);
    }
    Ok(ctx.render(view))
}

/// `POST /login/forgotten-username`: mails the usernames registered with the address to it.
/// Known or not, the citizen is sent to the same page saying the same thing.
pub async fn submit(State(app): State<App>, FormPost { ctx, form }: FormPost<AddressForm>) -> Page {
    let typed = form.email.trim();
    let Some(address) = valid_address(typed) else {
        let message = if typed.is_empty() {
            "field.required"
        } else {
            "email.invalid"
        };
        let view = address_view(ctx.lang, typed)
            .status(StatusCode::UNPROCESSABLE_ENTITY)
            .message(Level::Error, message, Some("email"));
        return Err(ctx.refuse(view));
    };
    let reminded = recovery::remind_usernames(&app, &ctx.client_ip, &address, |lang, to, names| {
        mails::usernames_mail(lang, to, names)
    })
    .await
    .or_unavailable(&ctx)?;
    match reminded {
        Reminded::TooManyRequests => {
            let view = address_view(ctx.lang, typed)
                .status(StatusCode::TOO_MANY_REQUESTS)
                .message(Level::Error, "recovery.too_many", None);
            Err(ctx.refuse(view))
        }
        Reminded::Sent | Reminded::Unknown | Reminded::AddressLimited => {
            Ok(ctx.redirect(&Route::ForgottenUsername.with_query("sent=1")))
        }
    }
}
