//! View models: what every page shows, rendered as HTML or as the JSON view contract (shared/ARCHITECTURE.md §4).

use crate::i18n::{Lang, t, t_args};
use askama::Template;
use fluent_bundle::FluentValue;
use http::StatusCode;
use keys_domain::routes::Route;
use serde::Serialize;
use serde_json::{Map, Value as Json, json};

/// How serious a message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Info,
    Success,
    Warning,
    Error,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Info => "info",
            Level::Success => "success",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

/// A message shown on the page; `field` ties an error to the input it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub level: Level,
    pub id: String,
    pub text: String,
    pub field: Option<String>,
}

/// An input of a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    pub label: String,
    pub kind: FieldKind,
    pub value: String,
    pub hint: Option<String>,
}

/// What sort of input a field is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldKind {
    Text {
        autocomplete: &'static str,
    },
    Password {
        autocomplete: &'static str,
    },
    Email,
    /// A numeric one-time code.
    Code,
    /// One of several values, as radio buttons.
    Choice(Vec<Choice>),
}

/// One option of a choice field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub hint: Option<String>,
}

/// How an action is presented: the main way forward, another way, or a plain link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionStyle {
    Primary,
    Secondary,
    Link,
}

/// Something the citizen can do from a page: a form (POST) or a link (GET).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub id: String,
    pub method: &'static str,
    pub href: String,
    pub label: String,
    pub fields: Vec<Field>,
    pub style: ActionStyle,
    /// An accessible name when the visible label alone is not enough (the notice's close cross).
    pub aria_label: Option<String>,
}

impl Action {
    pub fn post(id: &str, href: impl Into<String>, label: String) -> Self {
        Self {
            id: id.into(),
            method: "POST",
            href: href.into(),
            label,
            fields: Vec::new(),
            style: ActionStyle::Primary,
            aria_label: None,
        }
    }

    pub fn get(id: &str, href: impl Into<String>, label: String) -> Self {
        Self {
            method: "GET",
            style: ActionStyle::Link,
            ..Self::post(id, href, label)
        }
    }

    pub fn field(mut self, field: Field) -> Self {
        self.fields.push(field);
        self
    }

    pub fn style(mut self, style: ActionStyle) -> Self {
        self.style = style;
        self
    }

    pub fn aria_label(mut self, label: String) -> Self {
        self.aria_label = Some(label);
        self
    }

    pub fn is_post(&self) -> bool {
        self.method == "POST"
    }

    pub fn style_class(&self) -> &'static str {
        match self.style {
            ActionStyle::Primary => "primary",
            ActionStyle::Secondary => "secondary",
            ActionStyle::Link => "link",
        }
    }
}

/// A row of the My digital keys table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRow {
    pub name: String,
    pub state: String,
    pub active: bool,
    pub since: String,
}

/// A piece of page content besides messages and forms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Paragraph(String),
    /// A highlighted text (the phase-out notice, a warning never to share a code).
    Callout {
        level: Level,
        text: String,
    },
    /// A label and its value, such as the e-mail address being confirmed.
    Fact {
        label: String,
        value: String,
    },
    /// A bulleted list.
    List(Vec<String>),
    Keys {
        caption: String,
        headers: [String; 3],
        rows: Vec<KeyRow>,
    },
    /// An SVG image made by the service itself, with its text alternative.
    Svg {
        svg: String,
        alt: String,
    },
    /// A secret to copy by hand, grouped for reading.
    Secret {
        label: String,
        value: String,
    },
}

/// Everything one page says, whatever it is rendered as.
#[derive(Debug, Clone)]
pub struct View {
    pub step: &'static str,
    pub lang: Lang,
    pub status: StatusCode,
    pub title: String,
    pub messages: Vec<Message>,
    pub blocks: Vec<Block>,
    pub data: Map<String, Json>,
    pub actions: Vec<Action>,
    /// The wizard step (1 to 4) for the progress bar of `activate.*` pages.
    pub progress: Option<u8>,
    /// Where the service is published (`/prod` on API Gateway's default URL); set by `under`.
    pub base_path: String,
    /// An address the page goes on to by itself at once (a `refresh` meta element: no script, and
    /// not a form submission, so CSP's `form-action` does not hold back the navigation to a public
    /// service's origin); the page also links there.
    pub goes_on_to: Option<String>,
}

/// The pages no one route stands for: shown wherever a request ends that way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unrouted {
    /// A request that failed or was refused (`error`).
    Error,
    /// Back to a public service after the login (`oidc.continue`).
    OidcContinue,
    /// A public service asks for a stronger key than the login's (`oidc.stronger_key`).
    OidcStrongerKey,
}

impl Unrouted {
    /// The page's step id.
    pub const fn step(self) -> &'static str {
        match self {
            Unrouted::Error => "error",
            Unrouted::OidcContinue => "oidc.continue",
            Unrouted::OidcStrongerKey => "oidc.stronger_key",
        }
    }
}

impl View {
    /// The page `route` shows (its step id is the route's), titled with the translation `title_id`.
    pub fn new(route: Route, lang: Lang, title_id: &str) -> Self {
        Self::with_step(route.step(), lang, title_id)
    }

    /// A page no one route stands for.
    pub fn unrouted(page: Unrouted, lang: Lang, title_id: &str) -> Self {
        Self::with_step(page.step(), lang, title_id)
    }

    fn with_step(step: &'static str, lang: Lang, title_id: &str) -> Self {
        debug_assert!(step != "-", "a route without a page has no view");
        Self {
            step,
            lang,
            status: StatusCode::OK,
            title: t(lang, title_id),
            messages: Vec::new(),
            blocks: Vec::new(),
            data: Map::new(),
            actions: Vec::new(),
            progress: None,
            base_path: String::new(),
            goes_on_to: None,
        }
    }

    /// The login page for a public service's request: it names the service first and offers to
    /// cancel (back to the service with `access_denied`, at `cancel_href`).
    pub fn asked_by_service(mut self, service: &str, cancel_href: &str) -> Self {
        let text = self.t_args("oidc-asking", &[("service", service.to_string().into())]);
        self.blocks.insert(
            0,
            Block::Callout {
                level: Level::Info,
                text,
            },
        );
        let label = self.t_args("oidc-cancel", &[("service", service.to_string().into())]);
        self.data("service", service.into())
            .action(Action::get("cancel", cancel_href, label).style(ActionStyle::Secondary))
    }

    /// The page goes on to `url` by itself ([`View::goes_on_to`]).
    pub fn going_on_to(mut self, url: impl Into<String>) -> Self {
        self.goes_on_to = Some(url.into());
        self
    }

    /// The translation of `id` in this page's language.
    pub fn t(&self, id: &str) -> String {
        t(self.lang, id)
    }

    pub fn t_args(&self, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        t_args(self.lang, id, args)
    }

    pub fn status(mut self, status: StatusCode) -> Self {
        self.status = status;
        self
    }

    pub fn paragraph(mut self, id: &str) -> Self {
        let text = self.t(id);
        self.blocks.push(Block::Paragraph(text));
        self
    }

    pub fn block(mut self, block: Block) -> Self {
        self.blocks.push(block);
        self
    }

    pub fn data(mut self, name: &str, value: Json) -> Self {
        self.data.insert(name.into(), value);
        self
    }

    pub fn action(mut self, action: Action) -> Self {
        self.actions.push(action);
        self
    }

    pub fn progress(mut self, step: u8) -> Self {
        self.progress = Some(step);
        self
    }

    /// Adds a message `id` translated, optionally tied to a field.
    pub fn message(mut self, level: Level, id: &str, field: Option<&str>) -> Self {
        let text = self.t(&message_key(id));
        self.messages.push(Message {
            level,
            id: id.into(),
            text,
            field: field.map(Into::into),
        });
        self
    }

    /// Adds a message whose text has arguments.
    pub fn message_args(
        mut self,
        level: Level,
        id: &str,
        args: &[(&str, FluentValue<'_>)],
    ) -> Self {
        let text = self.t_args(&message_key(id), args);
        self.messages.push(Message {
            level,
            id: id.into(),
            text,
            field: None,
        });
        self
    }

    /// A labelled field in this page's language.
    pub fn field(&self, name: &str, label_id: &str, kind: FieldKind) -> Field {
        Field {
            name: name.into(),
            label: self.t(label_id),
            kind,
            value: String::new(),
            hint: None,
        }
    }

    /// The same view as published under `base` (the API stage or a custom domain's base path):
    /// every action's path and the page's own links carry it.
    pub fn under(mut self, base: &str) -> Self {
        for action in &mut self.actions {
            action.href = under_base(base, &action.href);
        }
        self.base_path = base.to_string();
        self
    }

    /// Where the page's stylesheet is, under the base path.
    pub fn stylesheet(&self) -> String {
        under_base(
            &self.base_path,
            keys_domain::routes::Route::Stylesheet.path(),
        )
    }

    /// The JSON view contract.
    pub fn to_json(&self, csrf: &str) -> Json {
        let messages: Vec<Json> = self
            .messages
            .iter()
            .map(|m| {
                let mut obj = json!({ "level": m.level, "id": m.id, "text": m.text });
                if let Some(field) = &m.field {
                    obj["field"] = json!(field);
                }
                obj
            })
            .collect();
        let actions: Vec<Json> = self
            .actions
            .iter()
            .map(|a| {
                let mut fields: Vec<&str> = a.fields.iter().map(|f| f.name.as_str()).collect();
                if a.is_post() {
                    fields.push("csrf");
                }
                json!({ "id": a.id, "method": a.method, "href": a.href, "fields": fields })
            })
            .collect();
        json!({
            "step": self.step,
            "lang": self.lang,
            "messages": messages,
            "data": self.data,
            "actions": actions,
            "csrf": csrf,
        })
    }

    /// The HTML page.
    pub fn to_html(&self, csrf: &str) -> Result<String, askama::Error> {
        Page::new(self, csrf).render()
    }

    /// The error message tied to `field`, if any.
    pub fn error_for(&self, field: &str) -> Option<&Message> {
        self.messages
            .iter()
            .find(|m| m.level == Level::Error && m.field.as_deref() == Some(field))
    }
}

/// Message ids use dots (`code.invalid`); Fluent ids use dashes (`msg-code-invalid`).
fn message_key(id: &str) -> String {
    format!("msg-{}", id.replace(['.', '_'], "-"))
}

/// A link of the language switch.
struct LangLink {
    code: &'static str,
    name: &'static str,
    current: bool,
}

/// A step of the wizard's progress bar.
struct ProgressStep {
    number: u8,
    label: String,
    state: &'static str,
}

/// The askama template of every page.
#[derive(Template)]
#[template(path = "page.html")]
struct Page<'a> {
    view: &'a View,
    csrf: &'a str,
    service: String,
    skip: String,
    lang_label: String,
    langs: Vec<LangLink>,
    progress_label: String,
    steps: Vec<ProgressStep>,
    errors_title: String,
    footer: String,
}

impl<'a> Page<'a> {
    fn new(view: &'a View, csrf: &'a str) -> Self {
        let lang = view.lang;
        let steps = match view.progress {
            None => Vec::new(),
            Some(current) => [
                "wizard-step-email",
                "wizard-step-select",
                "wizard-step-activate",
                "wizard-step-done",
            ]
            .iter()
            .zip(1u8..)
            .map(|(id, number)| ProgressStep {
                number,
                label: t(lang, id),
                state: match number.cmp(&current) {
                    std::cmp::Ordering::Less => "done",
                    std::cmp::Ordering::Equal => "current",
                    std::cmp::Ordering::Greater => "todo",
                },
            })
            .collect(),
        };
        Self {
            view,
            csrf,
            service: t(lang, "service-name"),
            skip: t(lang, "skip-to-content"),
            lang_label: t(lang, "language-switch"),
            langs: Lang::ALL
                .iter()
                .map(|l| LangLink {
                    code: l.code(),
                    name: l.endonym(),
                    current: *l == lang,
                })
                .collect(),
            progress_label: t(lang, "wizard-progress"),
            steps,
            errors_title: t(lang, "errors-title"),
            footer: t(lang, "footer-personal"),
        }
    }

    fn error_for(&self, field: &str) -> Option<&Message> {
        self.view.error_for(field)
    }

    fn has_errors(&self) -> bool {
        self.view.messages.iter().any(|m| m.level == Level::Error)
    }
}

/// `path` under `base`, when it is a path of this service (`/…`, not `//host…` or a full URL).
pub fn under_base(base: &str, path: &str) -> String {
    if !base.is_empty() && path.starts_with('/') && !path.starts_with("//") {
        format!("{base}{path}")
    } else {
        path.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(lang: Lang) -> View {
        let view = View::new(Route::LoginToken, lang, "login-token-title")
            .data("challenge_index", json!(18));
        let code = view.field("code", "field-code", FieldKind::Code);
        view.message(Level::Error, "code.invalid", Some("code"))
            .action(Action::post("submit", "/login/token", t(lang, "button-continue")).field(code))
            .action(Action::get("back", "/login", t(lang, "button-back")))
    }

    #[test]
    fn json_has_the_contract_shape() {
        let json = sample(Lang::Fr).to_json("tok");
        assert_eq!(json["step"], "login.token");
        assert_eq!(json["lang"], "fr");
        assert_eq!(json["data"]["challenge_index"], 18);
        assert_eq!(json["messages"][0]["level"], "error");
        assert_eq!(json["messages"][0]["id"], "code.invalid");
        assert_eq!(json["messages"][0]["field"], "code");
        assert_eq!(
            json["actions"][0],
            json!({"id": "submit", "method": "POST", "href": "/login/token", "fields": ["code", "csrf"]})
        );
        assert_eq!(json["actions"][1]["fields"], json!([]));
        assert_eq!(json["csrf"], "tok");
    }

    #[test]
    fn html_labels_fields_and_ties_errors_to_them() {
        let html = sample(Lang::En).to_html("tok").expect("renders");
        assert!(html.contains(r#"<html lang="en">"#));
        assert!(html.contains(r#"autocomplete="one-time-code""#));
        assert!(html.contains(r#"inputmode="numeric""#));
        assert!(html.contains(r#"aria-describedby="code-error""#), "{html}");
        assert!(html.contains(r#"aria-invalid="true""#));
        assert!(html.contains(r#"<label for="field-submit-code""#));
        assert!(html.contains(r#"name="csrf" value="tok""#));
    }

    #[test]
    fn html_escapes_what_it_shows() {
        let view = View::unrouted(Unrouted::Error, Lang::En, "error-title").block(Block::Fact {
            label: "x".into(),
            value: "<script>alert(1)</script>".into(),
        });
        let html = view.to_html("t").expect("renders");
        assert!(!html.contains("<script>alert(1)"));
        assert!(
            html.contains("&lt;script&gt;") || html.contains("&#60;script&#62;"),
            "{html}"
        );
    }

    #[test]
    fn a_view_published_under_a_base_path_links_under_it() {
        let view = sample(Lang::En)
            .action(Action::get(
                "back",
                "https://service.example/x",
                "Back".into(),
            ))
            .under("/prod");
        let json = view.to_json("t");
        assert_eq!(json["actions"][0]["href"], "/prod/login/token");
        assert_eq!(json["actions"][1]["href"], "/prod/login");
        assert_eq!(
            json["actions"][2]["href"], "https://service.example/x",
            "another origin's URL is left as it is"
        );
        let html = view.to_html("t").expect("html");
        assert!(html.contains(r#"href="/prod/assets/style.css""#), "{html}");
        assert!(html.contains(r#"action="/prod/login/token""#), "{html}");
    }

    #[test]
    fn the_wizard_shows_its_progress_with_the_current_step_marked() {
        let view = View::new(Route::SelectKey, Lang::Nl, "select-title").progress(2);
        let html = view.to_html("t").expect("renders");
        assert_eq!(html.matches(r#"aria-current="step""#).count(), 1);
        assert!(html.contains("class=\"progress\""));
    }
}
