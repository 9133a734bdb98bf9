//! The login page (username, password, choice of key) and its lockout message, shown by the login step and by every login code step.

use super::views::key_choice;
use crate::i18n::Lang;
use crate::view::{Action, Block, FieldKind, Level, View};
use http::StatusCode;
use keys_domain::keys::KeyKind;
use keys_domain::routes::Route;
use keys_domain::throttle::Locked;

/// The login page; `return_to` (already checked) rides on the form's address.
pub fn login_view(
    lang: Lang,
    return_to: Option<&str>,
    username: &str,
    key: Option<KeyKind>,
) -> View {
    let view = View::new(Route::Login, lang, "login-title")
        .paragraph("login-intro")
        .block(Block::Callout {
            level: Level::Info,
            text: crate::i18n::t(lang, "login-personal"),
        });
    let mut username_field = view.field(
        "username",
        "field-username",
        FieldKind::Text {
            autocomplete: "username",
        },
    );
    username_field.value = username.to_string();
    let password = view.field(
        "password",
        "field-password",
        FieldKind::Password {
            autocomplete: "current-password",
        },
    );
    let choices = KeyKind::ALL.iter().map(|k| key_choice(&view, *k)).collect();
    let mut key_field = view.field("key", "field-key", FieldKind::Choice(choices));
    key_field.value = key.map(|k| k.as_str().to_string()).unwrap_or_default();
    let href = match return_to {
        Some(to) => Route::LoginSubmit
            .with_query(&serde_urlencoded::to_string([("return_to", to)]).unwrap_or_default()),
        None => Route::LoginSubmit.path().into(),
    };
    let submit = Action::post("submit", href, view.t("button-login"))
        .field(username_field)
        .field(password)
        .field(key_field);
    let keys_link = Action::get("keys", Route::MyKeys.path(), view.t("login-keys-link"));
    view.action(submit).action(keys_link)
}

/// The login page again with the lockout message.
pub fn locked_view(lang: Lang, return_to: Option<&str>, username: &str, locked: Locked) -> View {
    login_view(lang, return_to, username, None)
        .status(StatusCode::TOO_MANY_REQUESTS)
        .message_args(
            Level::Error,
            "login.locked",
            &[("minutes", locked.minutes.into())],
        )
}
