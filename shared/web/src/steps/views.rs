//! The page parts the steps share (key choices, code entry, buttons) and the answers to a refused request (unavailable, elsewhere, bad input, a refused code).

use crate::refusal::Refusal;
use crate::view::{Action, ActionStyle, Block, Choice, FieldKind, Level, View};
use crate::web::Ctx;
use http::StatusCode;
use keys_domain::codes::CodeCheck;
use keys_domain::flows::{BadInput, Elsewhere, Problem, Why};
use keys_domain::keys::KeyKind;
use keys_domain::methods;
use keys_domain::routes::Route;

/// The failures `or_unavailable` answers with 503: their texts name what failed, never a person.
pub trait Unavailable: std::fmt::Display {}
impl Unavailable for keys_domain::store::StoreError {}
impl Unavailable for keys_domain::citizens::DomainError {}

/// Turns a store failure into the refusal `Unavailable` (and a log line without personal data).
pub trait OrUnavailable<T> {
    fn or_unavailable(self, ctx: &Ctx) -> Result<T, Refusal>;
}

impl<T, E: Unavailable> OrUnavailable<T> for Result<T, E> {
    fn or_unavailable(self, ctx: &Ctx) -> Result<T, Refusal> {
        self.map_err(|err| ctx.unavailable(&err))
    }
}

/// Sends a refused guard to the page of the state the flow is in.
pub trait OrElsewhere<T> {
    fn or_elsewhere(self, ctx: &Ctx) -> Result<T, Refusal>;
}

impl<T> OrElsewhere<T> for Result<T, Elsewhere> {
    fn or_elsewhere(self, ctx: &Ctx) -> Result<T, Refusal> {
        self.map_err(|Elsewhere(route)| ctx.elsewhere(route.path()))
    }
}

/// The guide's side panel of the login and token pages: no new token can be had (or, after the
/// sunset, since when none works), and *Sign in here* to My digital keys for another key.
pub fn with_token_panel(view: View, token_ended_at: Option<i64>) -> View {
    let note = match token_ended_at {
        Some(ended) => view.t_args(
            "panel-token-ended",
            &[("date", crate::i18n::format_date(view.lang, ended).into())],
        ),
        None => view.t("panel-token-note"),
    };
    let link = crate::view::Link::within(
        &view.t("panel-other-key"),
        &view.t("panel-sign-in-here"),
        Route::MyKeys.path(),
    );
    let heading = view.t("panel-title");
    view.block(Block::Panel {
        heading,
        note,
        link,
    })
}

/// The field of a new password (`new_password`, for the browser's password manager).
pub fn new_password_field(view: &View) -> crate::view::Field {
    view.field(
        "new_password",
        "field-password-new",
        FieldKind::Password {
            autocomplete: "new-password",
        },
    )
}

/// The link that offers to log in again, as the main way forward.
pub fn login_again(view: &View) -> Action {
    Action::get("login", Route::Login.path(), view.t("logged-out-login"))
        .style(ActionStyle::Primary)
}

/// The page again with what was wrong about the code, and the status that goes with it.
pub fn code_refused_view(view: View, check: &CodeCheck) -> View {
    match check {
        CodeCheck::Wrong { tries_left } => view
            .status(StatusCode::UNAUTHORIZED)
            .message(Level::Error, "code.invalid", Some("code"))
            .message_args(
                Level::Info,
                "code.tries_left",
                &[("tries", (*tries_left).into())],
            ),
        CodeCheck::Exhausted => view.status(StatusCode::UNPROCESSABLE_ENTITY).message(
            Level::Error,
            "code.exhausted",
            Some("code"),
        ),
        CodeCheck::Missing | CodeCheck::Right { .. } => view
            .status(StatusCode::UNPROCESSABLE_ENTITY)
            .message(Level::Error, "code.expired", Some("code")),
    }
}

/// The page again asking for the code that was left empty.
pub fn code_required(view: View) -> View {
    view.status(StatusCode::UNPROCESSABLE_ENTITY).message(
        Level::Error,
        "field.required",
        Some("code"),
    )
}

/// The page again with the input that was not accepted.
pub fn input_refused(view: View, input: &BadInput) -> View {
    let status = match input.problem {
        Problem::Unprocessable => StatusCode::UNPROCESSABLE_ENTITY,
        Problem::Conflict => StatusCode::CONFLICT,
    };
    view.status(status)
        .message(Level::Error, input.message, Some(input.field))
}

/// The page again with a refused card or app code.
pub fn code_message(view: View, message: &str) -> View {
    view.status(StatusCode::UNAUTHORIZED)
        .message(Level::Error, message, Some("code"))
}

/// A refused transition: the page the flow is on, or `page` again saying why.
pub(super) fn show_refusal(ctx: &Ctx, why: Why, page: impl FnOnce() -> View) -> Refusal {
    let view = match why {
        Why::Elsewhere(route) => return ctx.elsewhere(route.path()),
        Why::Input(input) => input_refused(page(), &input),
        Why::Code(check) => code_refused_view(page(), &check),
        Why::CodeMessage(message) => code_message(page(), message),
        Why::PairCode { tries_left } => code_message(page(), "code.invalid").message_args(
            Level::Info,
            "code.tries_left",
            &[("tries", i64::from(tries_left).into())],
        ),
        Why::PairingRestarts => page().status(StatusCode::UNPROCESSABLE_ENTITY).message(
            Level::Error,
            "app.restart",
            None,
        ),
    };
    ctx.refuse(view)
}

/// A page that asks for a mailed code: `sent` says where it went, the `junk_id` callout where
/// else to look, then the code field posted to `submit` (labelled `submit_label`) and `others`.
pub fn code_entry_view(
    view: View,
    sent: String,
    junk_id: &str,
    submit: (Route, &str),
    others: Vec<Action>,
) -> View {
    code_entry_view_labelled(view, sent, junk_id, "field-code", submit, others)
}

/// [`code_entry_view`] whose field is labelled `label_id` (the wizard's *Registration code*).
pub fn code_entry_view_labelled(
    view: View,
    sent: String,
    junk_id: &str,
    label_id: &str,
    submit: (Route, &str),
    others: Vec<Action>,
) -> View {
    let junk = view.t(junk_id);
    let code = view.field("code", label_id, FieldKind::Code);
    let (route, label) = submit;
    let submit = Action::post("submit", route.path(), view.t(label)).field(code);
    let view = view
        .block(Block::Paragraph(sent))
        .block(Block::Callout {
            level: Level::Info,
            text: junk,
        })
        .action(submit);
    others.into_iter().fold(view, View::action)
}

/// The choice of key `kind` on a page: its name and its one-line description.
pub fn key_choice(view: &View, kind: KeyKind) -> Choice {
    Choice {
        value: kind.as_str().into(),
        label: view.t(methods::of(kind).name_id()),
        hint: Some(view.t(methods::of(kind).hint_id())),
    }
}

/// A secondary form button of `view` that posts to `route`.
pub fn secondary(view: &View, id: &str, route: Route, label_id: &str) -> Action {
    Action::post(id, route.path(), view.t(label_id)).style(ActionStyle::Secondary)
}

/// The table of a citizen's keys: every key of the service, those the citizen has with their
/// state and since when, and those still to activate (My digital keys, the office's console).
pub fn keys_table(view: &View, keys: &[keys_domain::keys::Key], caption_id: &str) -> Block {
    use keys_domain::keys::KeyState;
    let rows = methods::ALL
        .iter()
        .filter_map(|method| {
            let kind = method.kind();
            let name = view.t(method.name_id());
            match keys.iter().find(|k| k.kind == kind) {
                Some(k) => Some(crate::view::KeyRow {
                    name,
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
                    .map(|at| crate::i18n::format_date(view.lang, at))
                    .unwrap_or_default(),
                }),
                None if method.activatable() => Some(crate::view::KeyRow {
                    name,
                    state: view.t("state-not-activated"),
                    active: false,
                    since: String::new(),
                }),
                // A key no one can activate any more (a new token) is not offered.
                None => None,
            }
        })
        .collect();
    Block::Keys {
        caption: view.t(caption_id),
        headers: [
            view.t("keys-col-key"),
            view.t("keys-col-state"),
            view.t("keys-col-since"),
        ],
        rows,
    }
}

/// The choice of one of the four languages (`lang`), `current` checked: the mails' language in
/// My profile, the citizen's language at an office's enrolment.
pub fn language_field(
    view: &View,
    label_id: &str,
    current: crate::i18n::Lang,
) -> crate::view::Field {
    let choices = crate::i18n::Lang::ALL
        .iter()
        .map(|lang| Choice {
            value: lang.code().into(),
            label: lang.endonym().into(),
            hint: None,
        })
        .collect();
    let mut field = view.field("lang", label_id, FieldKind::Choice(choices));
    field.value = current.code().into();
    field
}
