//! The login page (username, password, choice of key) and its lockout message, shown by the login step and by every login code step.

use super::views::key_choice;
use crate::i18n::{Lang, format_date};
use crate::view::{Action, Block, FieldKind, Level, View};
use http::StatusCode;
use keys_domain::app::App;
use keys_domain::keys::KeyKind;
use keys_domain::methods;
use keys_domain::routes::Route;
use keys_domain::throttle::Locked;

/// What the login page offers now: the keys that can log in (the token only before the sunset),
/// and once the sunset has passed, since when the token no longer works.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginOffer {
    pub keys: Vec<KeyKind>,
    /// The sunset (epoch seconds), once it has passed.
    pub token_ended_at: Option<i64>,
    /// The end of the grace window (epoch seconds) while it lasts: the token opens the wizard.
    pub token_grace_until: Option<i64>,
}

impl LoginOffer {
    /// The offer at the service's clock.
    pub fn now(app: &App) -> Self {
        let (now, sunset) = (app.clock.now(), app.settings.token_sunset_at);
        Self {
            keys: methods::offered_at_login(now, sunset, app.settings.token_grace_until()),
            token_ended_at: (now >= sunset).then(|| sunset.unix_timestamp()),
            token_grace_until: app
                .settings
                .in_token_grace(now)
                .then(|| app.settings.token_grace_until().unix_timestamp()),
        }
    }
}

/// The login page; `return_to` (already checked) rides on the form's address.
pub fn login_view(
    lang: Lang,
    offer: &LoginOffer,
    return_to: Option<&str>,
    username: &str,
    key: Option<KeyKind>,
) -> View {
    let mut view = View::new(Route::Login, lang, "login-title");
    if return_to == Some(Route::MyKeys.path()) {
        // *Sign in here* (the side panel) or a link to My digital keys: the login says where it goes.
        view = view.block(Block::Callout {
            level: Level::Info,
            text: crate::i18n::t(lang, "login-to-keys"),
        });
    }
    let mut view = view.paragraph("login-intro").block(Block::Callout {
        level: Level::Info,
        text: crate::i18n::t(lang, "login-personal"),
    });
    if let Some(ended) = offer.token_ended_at {
        let text = match offer.token_grace_until {
            Some(until) => view.t_args(
                "login-token-grace",
                &[
                    ("date", format_date(lang, ended).into()),
                    ("until", format_date(lang, until).into()),
                ],
            ),
            None => view.t_args(
                "login-token-ended",
                &[("date", format_date(lang, ended).into())],
            ),
        };
        view = view.block(Block::Callout {
            level: Level::Warning,
            text,
        });
    }
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
    let offered: Vec<&str> = offer.keys.iter().map(|k| k.as_str()).collect();
    let view = view.data("keys", serde_json::json!(offered));
    let choices = offer.keys.iter().map(|k| key_choice(&view, *k)).collect();
    let mut key_field = view.field("key", "field-key", FieldKind::Choice(choices));
    key_field.value = key
        .filter(|k| offer.keys.contains(k))
        .map(|k| k.as_str().to_string())
        .unwrap_or_default();
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
    let forgotten = Action::get(
        "forgotten_username",
        Route::ForgottenUsername.path(),
        view.t("login-forgotten-username"),
    );
    let forgotten_password = Action::get(
        "forgotten_password",
        Route::ForgottenPassword.path(),
        view.t("login-forgotten-password"),
    );
    let view = view
        .action(submit)
        .action(forgotten)
        .action(forgotten_password)
        .action(keys_link);
    let view = super::views::with_token_panel(view, offer.token_ended_at);
    match offer.token_ended_at {
        Some(_) => {
            let way_out = Action::get(
                "token_ended",
                Route::TokenUnavailable.path(),
                view.t("login-token-ended-link"),
            );
            view.action(way_out)
        }
        None => view,
    }
}

/// The login page again with the lockout message.
pub fn locked_view(
    lang: Lang,
    offer: &LoginOffer,
    return_to: Option<&str>,
    username: &str,
    locked: Locked,
) -> View {
    login_view(lang, offer, return_to, username, None)
        .status(StatusCode::TOO_MANY_REQUESTS)
        .message_args(
            Level::Error,
            "login.locked",
            &[("minutes", locked.minutes.into())],
        )
}
