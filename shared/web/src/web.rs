//! HTTP glue shared by every function: request context, CSRF, forms, security headers, routes.

use crate::i18n::{Lang, t};
use crate::view::{Action, Level, View};
use axum::Router;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request, State};
use axum::handler::Handler;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::MethodRouter;
use cookie::{Cookie, SameSite};
use http::header::{self, HeaderValue};
use http::request::Parts;
use http::{HeaderMap, StatusCode};
use keys_domain::app::App;
use keys_domain::crypto::{keyed_hash, keyed_hash_matches, random_id};
use keys_domain::routes::{Method, Route};
use keys_domain::secrets::KeyPurpose;
use serde::de::DeserializeOwned;
use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;

/// The largest form body accepted; anything larger is refused with 413 before it is parsed.
pub const MAX_FORM_BYTES: usize = 16 * 1024;
/// The longest single form value accepted.
pub const MAX_FIELD_CHARS: usize = 1024;

pub const LANG_COOKIE: &str = "dk_lang";
pub const CSRF_COOKIE: &str = "dk_csrf";
pub const SESSION_COOKIE: &str = "dk_session";
pub const FLOW_COOKIE: &str = "dk_flow";
/// A browser the citizen logged in from (`ck.secret`, for [`DEVICE_SECONDS`](keys_domain::session::DEVICE_SECONDS)):
/// its password checks have their own counter, so strangers' guesses cannot lock the owner out.
pub const DEVICE_COOKIE: &str = "dk_device";
/// A service's authorization request waiting for this browser's login (keys_oidc), so the wizard's
/// confirmation can offer to continue to the service.
pub const OIDC_REQUEST_COOKIE: &str = "dk_oidc";
/// An officer's console session (registration offices): never a citizen's session.
pub const OFFICE_COOKIE: &str = "dk_office";
/// The activation letter a citizen opened by its mailed link (`<citizen id>.<link token>`).
pub const LETTER_COOKIE: &str = "dk_letter";

/// A cookie's name as set: `__Host-` before it over https (only this host may set it, on `/`,
/// Secure: a sibling subdomain cannot plant a session or a CSRF seed); as is over plain http
/// (the local runner), where browsers refuse `__Host-` cookies.
pub fn cookie_name(https: bool, name: &str) -> String {
    if https {
        format!("__Host-{name}")
    } else {
        name.to_string()
    }
}

/// What every handler knows about the request it answers: language, format, cookies, client.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub lang: Lang,
    /// The client asked for the JSON view contract.
    pub json: bool,
    /// The client's address, for rate limits (never logged in full).
    pub client_ip: String,
    /// The path asked for, for links back to the same page.
    pub path: String,
    /// The request's method.
    pub method: http::Method,
    cookies: HashMap<String, String>,
    query: Vec<(String, String)>,
    csrf_seed: String,
    /// The session cookie the CSRF token is bound to ("" when logged out).
    csrf_session: String,
    /// The officer's console cookie the CSRF token is bound to as well ("" when none).
    csrf_office: String,
    csrf_key: [u8; 32],
    https: bool,
    /// The prefix of every path this service writes into a page, a redirect or a link.
    base_path: String,
    set_cookies: Vec<String>,
    /// The public service whose login this request serves (its name, the address that cancels
    /// it): every login page rendered for it names the service ([`View::asked_by_service`]).
    pub asking: Option<(String, String)>,
    /// Whom the request's live session greets, once a handler has read it ([`Ctx::signed_in_as`]):
    /// every logged-in page it renders then carries the frame (header and tabs).
    signed_in: std::sync::Arc<std::sync::OnceLock<String>>,
}

impl FromRequestParts<App> for Ctx {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        Ok(Ctx::from_parts(parts, app))
    }
}

fn query_pairs(parts: &Parts) -> Vec<(String, String)> {
    parts
        .uri
        .query()
        .and_then(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(q).ok())
        .unwrap_or_default()
}

fn parse_cookies(headers: &HeaderMap) -> HashMap<String, String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .map(|c| (c.name().to_string(), c.value().to_string()))
        .collect()
}

fn client_ip(parts: &Parts) -> String {
    client_ip_of(&parts.extensions)
}

fn client_ip_of(extensions: &http::Extensions) -> String {
    if let Some(ConnectInfo(addr)) = extensions.get::<ConnectInfo<SocketAddr>>() {
        return addr.ip().to_string();
    }
    // Behind API Gateway's REST API the client is the request context's source IP, which the
    // gateway sets itself (a client cannot forge it as it could an X-Forwarded-For header).
    if let Some(lambda_http::request::RequestContext::ApiGatewayV1(context)) =
        extensions.get::<lambda_http::request::RequestContext>()
        && let Some(ip) = &context.identity.source_ip
    {
        return ip.clone();
    }
    "unknown".into()
}

/// The request's id: API Gateway's (also in the function's REPORT lines), else a new one.
fn request_id_of(extensions: &http::Extensions) -> String {
    if let Some(lambda_http::request::RequestContext::ApiGatewayV1(context)) =
        extensions.get::<lambda_http::request::RequestContext>()
        && let Some(id) = &context.request_id
    {
        return id.clone();
    }
    keys_domain::crypto::random_short_id()
}

impl Ctx {
    pub fn from_parts(parts: &Parts, app: &App) -> Self {
        let cookies = parse_cookies(&parts.headers);
        let query = query_pairs(parts);
        let from_query = query
            .iter()
            .find(|(name, _)| name == "lang")
            .and_then(|(_, v)| Lang::parse(v));
        let lang = from_query
            .or_else(|| cookies.get(LANG_COOKIE).and_then(|c| Lang::parse(c)))
            .or_else(|| {
                parts
                    .headers
                    .get(header::ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok())
                    .and_then(Lang::from_accept_language)
            })
            .unwrap_or(Lang::DEFAULT);
        let json = parts
            .headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|accept| accept.contains("application/json"));
        let https = app.settings.https;
        let existing_seed = cookies
            .get(&cookie_name(https, CSRF_COOKIE))
            .filter(|s| s.len() >= 32 && s.len() <= 64)
            .cloned();
        let csrf_session = cookies
            .get(&cookie_name(https, SESSION_COOKIE))
            .cloned()
            .unwrap_or_default();
        let csrf_office = cookies
            .get(&cookie_name(https, OFFICE_COOKIE))
            .cloned()
            .unwrap_or_default();
        let mut ctx = Ctx {
            lang,
            json,
            client_ip: client_ip(parts),
            method: parts.method.clone(),
            path: parts.uri.path().to_string(),
            csrf_seed: existing_seed.clone().unwrap_or_else(random_id),
            csrf_session,
            csrf_office,
            csrf_key: app.secrets.key(KeyPurpose::Csrf),
            cookies,
            query,
            https,
            base_path: app.settings.base_path.clone(),
            set_cookies: Vec::new(),
            asking: None,
            signed_in: Default::default(),
        };
        if existing_seed.is_none() {
            let seed = ctx.csrf_seed.clone();
            ctx.set_cookie(CSRF_COOKIE, &seed);
        }
        if let Some(lang) = from_query {
            ctx.push_cookie(
                LANG_COOKIE,
                lang.code(),
                Some(cookie::time::Duration::days(365)),
            );
        }
        ctx
    }

    /// The request's session is the citizen greeted as `name`: its logged-in pages carry the frame.
    pub fn signed_in_as(&self, name: &str) {
        let _ = self.signed_in.set(name.to_string());
    }

    /// The first value of a query parameter.
    pub fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value of a request cookie (`name` without its `__Host-` prefix).
    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.cookies
            .get(&cookie_name(self.https, name))
            .map(String::as_str)
    }

    /// A new CSRF seed at login and logout, the token bound to the new session (or to none).
    fn rotate_csrf(&mut self, session: &str) {
        self.csrf_seed = random_id();
        self.csrf_session = session.to_string();
        let seed = self.csrf_seed.clone();
        self.push_cookie(CSRF_COOKIE, &seed, None);
    }

    /// Sets a browser-session cookie (no expiry, HttpOnly, SameSite=Lax, Secure over https). A
    /// new session cookie also rotates the CSRF token.
    pub fn set_cookie(&mut self, name: &str, value: &str) {
        if name == SESSION_COOKIE {
            self.rotate_csrf(value);
        }
        if name == OFFICE_COOKIE {
            self.csrf_office = value.to_string();
            let session = self.csrf_session.clone();
            self.rotate_csrf(&session);
        }
        self.push_cookie(name, value, None);
    }

    /// Sets a cookie for this host on every path, HttpOnly, SameSite=Lax, Secure over https:
    /// for the browser session, or for `max_age` (zero: forget it).
    fn push_cookie(&mut self, name: &str, value: &str, max_age: Option<cookie::time::Duration>) {
        let mut cookie = Cookie::build((cookie_name(self.https, name), value.to_string()))
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(self.https);
        if let Some(max_age) = max_age {
            cookie = cookie.max_age(max_age);
        }
        self.set_cookies.push(cookie.build().to_string());
    }

    /// Sets a cookie that outlives the browser session (`seconds`), HttpOnly, SameSite=Lax.
    pub fn set_lasting_cookie(&mut self, name: &str, value: &str, seconds: i64) {
        self.push_cookie(name, value, Some(cookie::time::Duration::seconds(seconds)));
    }

    /// Tells the browser to forget a cookie. Forgetting the session also rotates the CSRF token.
    pub fn clear_cookie(&mut self, name: &str) {
        if name == SESSION_COOKIE {
            self.rotate_csrf("");
        }
        if name == OFFICE_COOKIE {
            self.csrf_office.clear();
            let session = self.csrf_session.clone();
            self.rotate_csrf(&session);
        }
        self.push_cookie(name, "", Some(cookie::time::Duration::ZERO));
    }

    /// The CSRF token forms carry: a keyed hash of the browser's CSRF cookie and of its session
    /// cookie, so a token is good for one session only (a planted seed is worth nothing) and
    /// changes at login and logout.
    pub fn csrf_token(&self) -> String {
        keyed_hash(&self.csrf_key, "csrf", &self.csrf_input())
    }

    fn csrf_input(&self) -> String {
        if self.csrf_office.is_empty() {
            format!("{}|{}", self.csrf_seed, self.csrf_session)
        } else {
            format!(
                "{}|{}|{}",
                self.csrf_seed, self.csrf_session, self.csrf_office
            )
        }
    }

    fn csrf_matches(&self, token: &str) -> bool {
        self.cookie(CSRF_COOKIE).is_some()
            && keyed_hash_matches(&self.csrf_key, "csrf", &self.csrf_input(), token)
    }

    fn finish(&self, mut response: Response) -> Response {
        let headers = response.headers_mut();
        for cookie in &self.set_cookies {
            if let Ok(value) = HeaderValue::from_str(cookie) {
                headers.append(header::SET_COOKIE, value);
            }
        }
        headers.insert(
            header::VARY,
            HeaderValue::from_static("Accept, Accept-Language, Cookie"),
        );
        response
    }

    /// A path of this service as the browser must ask for it: under the base path.
    pub fn public_path(&self, path: &str) -> String {
        crate::view::under_base(&self.base_path, path)
    }

    /// Renders a view as HTML, or as JSON when the client asked for it.
    pub fn render(&self, view: View) -> Response {
        if view.status.is_client_error() {
            // Refused input, failed logins, CSRF failures, lockouts, denials: logged with the
            // request's id (never the input itself).
            let messages: Vec<&str> = view.messages.iter().map(|m| m.id.as_str()).collect();
            tracing::info!(
                audit = "request.refused",
                status = view.status.as_u16(),
                step = view.step,
                messages = ?messages,
                path = %self.path,
                "audit"
            );
        }
        let view = match (self.signed_in.get(), crate::view::Tab::of_step(view.step)) {
            (Some(name), Some(tab)) => view.framed(name, tab),
            _ => view,
        };
        let view = match &self.asking {
            Some((service, cancel)) if view.step == "login" => {
                view.asked_by_service(service, cancel)
            }
            _ => view,
        };
        let view = view.under(&self.base_path);
        let csrf = self.csrf_token();
        let response = if self.json {
            let body = view.to_json_string(&csrf);
            (
                view.status,
                [(header::CONTENT_TYPE, "application/json")],
                body,
            )
                .into_response()
        } else {
            match view.to_html(&csrf) {
                Ok(html) => (
                    view.status,
                    [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                    html,
                )
                    .into_response(),
                Err(err) => {
                    tracing::error!(step = view.step, error = %err, "page could not be rendered");
                    (
                        StatusCode::INTERNAL_SERVER_ERROR,
                        t(self.lang, "msg-internal"),
                    )
                        .into_response()
                }
            }
        };
        self.finish(response)
    }

    /// Answers `303 See Other` to `to` (post/redirect/get); a path of this service is sent under
    /// the base path, an allowed return URL of another origin as it is.
    pub fn redirect(&self, to: &str) -> Response {
        let to = self.public_path(to);
        let location = HeaderValue::from_str(&to).unwrap_or_else(|_| HeaderValue::from_static("/"));
        self.finish((StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response())
    }

    /// The `error` view: what went wrong, and a way back.
    pub fn error(&self, status: StatusCode, message_id: &str) -> Response {
        self.render(error_view(self.lang, status, message_id))
    }
}

/// The `error` step: a message and the way back.
pub fn error_view(lang: Lang, status: StatusCode, message_id: &str) -> View {
    View::unrouted(crate::view::Unrouted::Error, lang, "error-title")
        .status(status)
        .message(Level::Error, message_id, None)
        .action(Action::get(
            "back",
            Route::Home.path(),
            t(lang, "button-back"),
        ))
}

/// Whether a `Content-Type` is exactly a URL-encoded form (parameters such as a charset aside):
/// `application/x-www-form-urlencoded-evil` is not.
pub fn is_form_content_type(value: &str) -> bool {
    value.split(';').next().is_some_and(|essence| {
        essence
            .trim()
            .eq_ignore_ascii_case("application/x-www-form-urlencoded")
    })
}

/// A posted form, parsed and CSRF-checked; anything wrong is answered with a 4xx view.
pub struct FormPost<T> {
    pub ctx: Ctx,
    pub form: T,
}

impl<T: DeserializeOwned + Send> FromRequest<App> for FormPost<T> {
    type Rejection = Response;

    async fn from_request(req: Request, app: &App) -> Result<Self, Response> {
        let (parts, body) = req.into_parts();
        let ctx = Ctx::from_parts(&parts, app);
        let is_form = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(is_form_content_type);
        if !is_form {
            return Err(ctx.error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "input.not_a_form"));
        }
        let Ok(bytes) = axum::body::to_bytes(body, MAX_FORM_BYTES).await else {
            return Err(ctx.error(StatusCode::PAYLOAD_TOO_LARGE, "input.too_large"));
        };
        let Ok(pairs) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes) else {
            return Err(ctx.error(StatusCode::BAD_REQUEST, "input.invalid"));
        };
        let token = pairs
            .iter()
            .find(|(name, _)| name == "csrf")
            .map(|(_, v)| v.as_str());
        if !token.is_some_and(|token| ctx.csrf_matches(token)) {
            return Err(ctx.error(StatusCode::FORBIDDEN, "csrf.invalid"));
        }
        let unfit = pairs.iter().any(|(name, value)| {
            name.len() > 64
                || value.chars().count() > MAX_FIELD_CHARS
                || value.chars().any(char::is_control)
        });
        if unfit {
            return Err(ctx.error(StatusCode::BAD_REQUEST, "input.invalid"));
        }
        match serde_urlencoded::from_bytes::<T>(&bytes) {
            Ok(form) => Ok(FormPost { ctx, form }),
            Err(_) => Err(ctx.error(StatusCode::BAD_REQUEST, "input.invalid")),
        }
    }
}

/// A function's router that remembers its routes (declared in [`keys_domain::routes`]), the single
/// source of truth for the template.
#[derive(Default)]
pub struct StepRouter {
    paths: BTreeMap<&'static str, MethodRouter<App>>,
    routes: Vec<Route>,
}

impl StepRouter {
    pub fn new() -> Self {
        Self::default()
    }

    /// Serves `route` (its method and path) with `handler`.
    pub fn serve<H, T>(mut self, route: Route, handler: H) -> Self
    where
        H: Handler<T, App>,
        T: 'static,
    {
        let path = route.path();
        let existing = self.paths.remove(path).unwrap_or_default();
        let methods = match route.method() {
            Method::Get => existing.get(handler),
            Method::Post => existing.post(handler),
        };
        self.paths.insert(path, methods);
        self.routes.push(route);
        self
    }

    /// The routes, sorted by method and path.
    pub fn routes(&self) -> Vec<Route> {
        let mut routes = self.routes.clone();
        routes.sort_by_key(|r| (r.method(), r.path()));
        routes
    }

    /// Joins another function's routes (the local runner serves them all).
    pub fn merge(mut self, other: StepRouter) -> Self {
        for (path, router) in other.paths {
            let existing = self.paths.remove(path).unwrap_or_default();
            self.paths.insert(path, existing.merge(router));
        }
        self.routes.extend(other.routes);
        self
    }

    /// The plain axum router, without the common layers (see [`finish`]).
    pub fn into_router(self) -> Router<App> {
        self.paths
            .into_iter()
            .fold(Router::new(), |router, (path, methods)| {
                router.route(path, methods)
            })
    }
}

/// Adds what every deployment of a router shares: security headers, the 404 and 405 views, state.
pub fn finish(router: Router<App>, app: App) -> Router {
    router
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(
            app.clone(),
            security_headers,
        ))
        .layer(middleware::from_fn(request_context))
        .with_state(app)
}

async fn not_found(ctx: Ctx) -> Response {
    ctx.error(StatusCode::NOT_FOUND, "page.not_found")
}

async fn method_not_allowed(ctx: Ctx) -> Response {
    ctx.error(StatusCode::METHOD_NOT_ALLOWED, "page.method_not_allowed")
}

/// Every request is handled knowing where it comes from (client address, user agent, request
/// id) for the audit events it records, in a log span with its id; the answer carries the id
/// (`x-request-id`) so a citizen can quote it to the help desk.
async fn request_context(request: Request, next: Next) -> Response {
    use tracing::Instrument;
    let info = keys_domain::audit::RequestInfo {
        ip: client_ip_of(request.extensions()),
        user_agent: request
            .headers()
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .chars()
            .take(keys_domain::audit::USER_AGENT_MAX_CHARS)
            .collect(),
        request_id: request_id_of(request.extensions()),
    };
    let span = tracing::info_span!("request", id = %info.request_id);
    let id = HeaderValue::from_str(&info.request_id).ok();
    let mut response = keys_domain::audit::within(info, next.run(request))
        .instrument(span)
        .await;
    if let Some(id) = id {
        response.headers_mut().insert("x-request-id", id);
    }
    response
}

/// What every 503 (a store or service the step needs failed) tells the browser to wait before
/// trying again; API Gateway's own 5xx answers say the same (the template's gateway responses).
pub const RETRY_AFTER_SECONDS: &str = "5";

async fn security_headers(State(app): State<App>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let is_asset = path == Route::Stylesheet.path() || path == Route::ShowPasswordScript.path();
    let mut response = next.run(request).await;
    let status = response.status();
    let headers = response.headers_mut();
    let mut set = |name: &'static str, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    set(
        "content-security-policy",
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    set("x-content-type-options", "nosniff");
    set("x-frame-options", "DENY");
    set("referrer-policy", "no-referrer");
    set("cross-origin-opener-policy", "same-origin");
    set(
        "permissions-policy",
        "camera=(), microphone=(), geolocation=()",
    );
    if is_asset {
        set("cache-control", "public, max-age=3600");
    } else {
        set("cache-control", "no-store");
    }
    if status == StatusCode::SERVICE_UNAVAILABLE {
        // Nothing was promised done: the page says to try again in a moment, and this says when.
        set("retry-after", RETRY_AFTER_SECONDS);
    }
    if app.settings.https {
        set(
            "strict-transport-security",
            "max-age=31536000; includeSubDomains",
        );
    }
    response
}

/// The show-password control's script: pages with a password field load it; without it they
/// work all the same (the field stays hidden text).
pub async fn show_password_script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("../assets/show-password.js"),
    )
        .into_response()
}

/// The stylesheet every page links to.
pub async fn stylesheet() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("../assets/style.css"),
    )
        .into_response()
}
