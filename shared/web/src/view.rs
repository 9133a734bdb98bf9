//! View models: what every page shows, rendered as HTML or as the JSON view contract (shared/ARCHITECTURE.md §4).

use crate::i18n::{Lang, t, t_args};
use askama::Template;
use fluent_bundle::FluentValue;
use http::StatusCode;
use keys_domain::routes::Route;
use serde::Serialize;
use serde_json::{Map, Value as Json};

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
    /// A phrase of the text that links somewhere (the token error's "My digital keys").
    pub link: Option<Link>,
}

/// A text with one phrase in it that is a link: `before`, the link's `text`, `after`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub before: String,
    pub text: String,
    pub href: String,
    pub after: String,
}

impl Link {
    /// `text` with its first `phrase` linking to `href`; the whole text as a link's lead-in when
    /// the phrase is not in it (a translation that words it otherwise still gets the link).
    pub fn within(text: &str, phrase: &str, href: &str) -> Link {
        match text.find(phrase) {
            Some(at) if !phrase.is_empty() => Link {
                before: text[..at].to_string(),
                text: phrase.to_string(),
                href: href.to_string(),
                after: text[at + phrase.len()..].to_string(),
            },
            _ => Link {
                before: format!("{text} "),
                text: phrase.to_string(),
                href: href.to_string(),
                after: String::new(),
            },
        }
    }
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
    /// A paragraph with a link in it.
    Linked(Link),
    /// A section heading (`id` is its anchor, for links such as the recommendation's *Why?*).
    Heading {
        id: String,
        text: String,
    },
    /// The side panel of the login and token pages: a heading, a note and a link.
    Panel {
        heading: String,
        note: String,
        link: Link,
    },
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

/// A tab of the logged-in pages' frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    MyKeys,
    Profile,
    Info,
}

impl Tab {
    pub const ALL: [Tab; 3] = [Tab::MyKeys, Tab::Profile, Tab::Info];

    /// The tab a page belongs to, by its step id: the logged-in pages (My digital keys and the
    /// wizard it starts, My profile, Info); `None` for the pages before a login.
    pub fn of_step(step: &str) -> Option<Tab> {
        let under = |prefix: &str| step == prefix || step.starts_with(&format!("{prefix}."));
        if under("keys") || under("activate") {
            Some(Tab::MyKeys)
        } else if under("profile") {
            Some(Tab::Profile)
        } else if under("info") {
            Some(Tab::Info)
        } else {
            None
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            Tab::MyKeys => "keys",
            Tab::Profile => "profile",
            Tab::Info => "info",
        }
    }

    pub fn route(self) -> Route {
        match self {
            Tab::MyKeys => Route::MyKeys,
            Tab::Profile => Route::Profile,
            Tab::Info => Route::Info,
        }
    }

    fn label_id(self) -> &'static str {
        match self {
            Tab::MyKeys => "tab-keys",
            Tab::Profile => "tab-profile",
            Tab::Info => "tab-info",
        }
    }
}

/// The frame of a logged-in page: whom it greets and which tab is open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub name: String,
    pub tab: Tab,
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
    /// The logged-in frame (welcome, sign out, tabs), when the page is one of a session.
    pub frame: Option<Frame>,
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
            frame: None,
        }
    }

    /// The page as a logged-in citizen sees it: greeted as `name`, under `tab`.
    pub fn framed(mut self, name: &str, tab: Tab) -> Self {
        self.frame = Some(Frame {
            name: name.to_string(),
            tab,
        });
        self
    }

    /// Whether a form of the page asks for a password (the page loads the show-password control).
    pub fn has_password_field(&self) -> bool {
        self.actions.iter().any(|a| {
            a.fields
                .iter()
                .any(|f| matches!(f.kind, FieldKind::Password { .. }))
        })
    }

    /// Where the show-password control's script is, under the base path.
    pub fn show_password_script(&self) -> String {
        under_base(&self.base_path, Route::ShowPasswordScript.path())
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
            link: None,
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
            link: None,
        });
        self
    }

    /// The last message's phrase `phrase_id` (translated) links to `href`.
    pub fn linking(mut self, phrase_id: &str, href: &str) -> Self {
        let phrase = self.t(phrase_id);
        if let Some(message) = self.messages.last_mut() {
            message.link = Some(Link::within(&message.text, &phrase, href));
        }
        self
    }

    /// A paragraph `id` whose phrase `phrase_id` links to `href`.
    pub fn linked_paragraph(self, id: &str, phrase_id: &str, href: &str) -> Self {
        let link = Link::within(&self.t(id), &self.t(phrase_id), href);
        self.block(Block::Linked(link))
    }

    /// A section heading with its anchor.
    pub fn heading(self, anchor: &str, text_id: &str) -> Self {
        let text = self.t(text_id);
        self.block(Block::Heading {
            id: anchor.into(),
            text,
        })
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
        let links = self
            .blocks
            .iter_mut()
            .filter_map(|block| match block {
                Block::Linked(link) | Block::Panel { link, .. } => Some(link),
                _ => None,
            })
            .chain(self.messages.iter_mut().filter_map(|m| m.link.as_mut()));
        for link in links {
            link.href = under_base(base, &link.href);
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

    /// The JSON view contract, as a value (tests and callers that add to it).
    pub fn to_json(&self, csrf: &str) -> Json {
        serde_json::to_value(self.json_view(csrf)).unwrap_or(Json::Null)
    }

    /// The JSON view contract, printed: serialized straight from the view, without building a
    /// `serde_json::Value` first (a page's largest cost in CPU after the store, issue 29).
    pub fn to_json_string(&self, csrf: &str) -> String {
        serde_json::to_string(&self.json_view(csrf)).unwrap_or_default()
    }

    fn json_view<'a>(&'a self, csrf: &'a str) -> JsonView<'a> {
        JsonView {
            actions: self
                .actions
                .iter()
                .map(|a| JsonAction {
                    fields: JsonFields(a),
                    href: &a.href,
                    id: &a.id,
                    method: a.method,
                })
                .collect(),
            csrf,
            data: &self.data,
            frame: self.frame.as_ref().map(|frame| JsonFrame {
                sign_out: JsonSignOut {
                    fields: ["csrf"],
                    href: under_base(&self.base_path, Route::MyKeysSignOut.path()),
                    method: "POST",
                },
                tabs: Tab::ALL
                    .iter()
                    .map(|tab| JsonTab {
                        current: *tab == frame.tab,
                        href: under_base(&self.base_path, tab.route().path()),
                        id: tab.id(),
                    })
                    .collect(),
                welcome: &frame.name,
            }),
            lang: self.lang,
            messages: self
                .messages
                .iter()
                .map(|m| JsonMessage {
                    field: m.field.as_deref(),
                    id: &m.id,
                    level: m.level,
                    text: &m.text,
                })
                .collect(),
            step: self.step,
        }
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

/// A tab of the frame as the page shows it.
struct TabLink {
    href: String,
    label: String,
    current: bool,
}

/// The frame's header as the page shows it.
struct FrameParts {
    welcome: String,
    sign_out_href: String,
    sign_out: String,
    tabs_label: String,
    tabs: Vec<TabLink>,
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
    frame: Option<FrameParts>,
    show_password: String,
    hide_password: String,
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
            frame: view.frame.as_ref().map(|frame| FrameParts {
                welcome: t_args(
                    lang,
                    "frame-welcome",
                    &[("name", frame.name.clone().into())],
                ),
                sign_out_href: under_base(&view.base_path, Route::MyKeysSignOut.path()),
                sign_out: t(lang, "button-sign-out"),
                tabs_label: t(lang, "frame-tabs"),
                tabs: Tab::ALL
                    .iter()
                    .map(|tab| TabLink {
                        href: under_base(&view.base_path, tab.route().path()),
                        label: t(lang, tab.label_id()),
                        current: *tab == frame.tab,
                    })
                    .collect(),
            }),
            show_password: t(lang, "show-password"),
            hide_password: t(lang, "hide-password"),
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

/// The JSON view contract's shape (shared/ARCHITECTURE.md §4), borrowed from a [`View`]. Fields
/// are in the order `serde_json::Value` printed them (sorted), so the printed view is unchanged.
#[derive(Serialize)]
struct JsonView<'a> {
    actions: Vec<JsonAction<'a>>,
    csrf: &'a str,
    data: &'a Map<String, Json>,
    #[serde(skip_serializing_if = "Option::is_none")]
    frame: Option<JsonFrame<'a>>,
    lang: Lang,
    messages: Vec<JsonMessage<'a>>,
    step: &'a str,
}

#[derive(Serialize)]
struct JsonMessage<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
    id: &'a str,
    level: Level,
    text: &'a str,
}

#[derive(Serialize)]
struct JsonAction<'a> {
    fields: JsonFields<'a>,
    href: &'a str,
    id: &'a str,
    method: &'a str,
}

/// An action's field names, and `csrf` for a form that posts.
struct JsonFields<'a>(&'a Action);

impl Serialize for JsonFields<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let action = self.0;
        let mut seq = serializer.serialize_seq(None)?;
        for field in &action.fields {
            seq.serialize_element(field.name.as_str())?;
        }
        if action.is_post() {
            seq.serialize_element("csrf")?;
        }
        seq.end()
    }
}

#[derive(Serialize)]
struct JsonFrame<'a> {
    sign_out: JsonSignOut,
    tabs: Vec<JsonTab>,
    welcome: &'a str,
}

#[derive(Serialize)]
struct JsonSignOut {
    fields: [&'static str; 1],
    href: String,
    method: &'static str,
}

#[derive(Serialize)]
struct JsonTab {
    current: bool,
    href: String,
    id: &'static str,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
