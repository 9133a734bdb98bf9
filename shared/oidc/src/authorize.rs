//! The authorization endpoint: checks a service's request, sends the citizen to log in if need be
//! (the existing login with any key, the token's notice and the wizard included) and answers the
//! service with a code.
//!
//! Errors follow OpenID Connect Core §3.1.2.6 and RFC 6749 §4.1.2.1: until the client and its
//! redirect address are known to be registered, an error page of the service's own (400); from
//! then on a redirect to that address with `error`, `error_description`, `state` and `iss` (RFC 9207).
//!
//! After a login the citizen goes back to the service through a page of ours that goes on by
//! itself (`oidc.continue`): a browser applies the page's CSP `form-action 'self'` to every
//! redirect that follows a form's submission, so the login form's `303`s may not end at the
//! service's origin; a page that refreshes to it is a navigation of its own.

use crate::Oidc;
use crate::clients::{self, Client};
use crate::grants::{self, CodeGrant, PendingRequest};
use crate::levels::Level;
use crate::params::{Given, Params};
use axum::extract::State;
use axum::response::Response;
use http::StatusCode;
use keys_domain::App;
use keys_domain::audit;
use keys_domain::keys::KeyKind;
use keys_domain::lang::Lang;
use keys_domain::methods;
use keys_domain::record::Record;
use keys_domain::routes::Route;
use keys_domain::session::{Session, current_session_with_record};
use keys_web::refusal::Refusal;
use keys_web::steps::request::Page;
use keys_web::steps::views::OrUnavailable;
use keys_web::view::{Action, ActionStyle, Level as MessageLevel, Unrouted, View};
use keys_web::web::{Ctx, OIDC_REQUEST_COOKIE, SESSION_COOKIE};

/// `GET` and `POST /oidc/authorize` (POST: a form the service's page posts; Core §3.1.2.1 asks for GET and POST).
pub async fn handle(State(app): State<App>, oidc: Oidc, Given { ctx, params }: Given) -> Page {
    authorize(&app, &oidc, ctx, params).await
}

/// Where a refusal goes once the client and its redirect address are known.
struct Back<'a> {
    redirect_uri: &'a str,
    state: Option<&'a str>,
    issuer: &'a str,
}

impl Back<'_> {
    /// The redirect address with `pairs`, then `state` and `iss`.
    fn url(&self, pairs: &[(&str, &str)]) -> String {
        match url::Url::parse(self.redirect_uri) {
            Ok(mut url) => {
                {
                    let mut query = url.query_pairs_mut();
                    for (name, value) in pairs {
                        query.append_pair(name, value);
                    }
                    if let Some(state) = self.state {
                        query.append_pair("state", state);
                    }
                    query.append_pair("iss", self.issuer);
                }
                url.to_string()
            }
            // Registered addresses are absolute URLs (clients::acceptable_redirect).
            Err(_) => self.redirect_uri.to_string(),
        }
    }

    /// The refusal that sends the browser back to the service with `error`.
    fn error(&self, ctx: &Ctx, error: &str, description: &str) -> Refusal {
        tracing::info!(error, description, "authorization request refused");
        ctx.elsewhere(&self.error_url(error, description))
    }

    fn error_url(&self, error: &str, description: &str) -> String {
        self.url(&[("error", error), ("error_description", description)])
    }
}

/// Where the browser comes from when the service is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Came<'a> {
    /// Straight from the service (its link or redirect): a `303` back to it.
    FromService,
    /// Back from our own login forms, for the pending request with this id (consumed with the
    /// code): the `oidc.continue` page, which goes on by itself.
    BackFromLogin(&'a str),
}

/// The `oidc.continue` page: the citizen is logged in and goes on to `service` at `url` by
/// itself (a `refresh` meta element), or by its link.
pub fn continue_view(lang: Lang, url: &str, service: &str) -> View {
    let view = View::unrouted(Unrouted::OidcContinue, lang, "oidc-continue-title");
    let text = view.t_args(
        "oidc-continue-text",
        &[("service", service.to_string().into())],
    );
    let label = view.t_args(
        "oidc-continue-to",
        &[("service", service.to_string().into())],
    );
    view.block(keys_web::view::Block::Paragraph(text))
        .data("service", service.into())
        .action(Action::get("continue", url, label))
        .going_on_to(url)
}

/// The answer to the service at `url`.
fn answer_service(ctx: &Ctx, came: Came<'_>, url: &str, service: &str) -> Response {
    if came == Came::FromService || ctx.json {
        return ctx.redirect(url);
    }
    let view = continue_view(ctx.lang, url, service);
    ctx.render(view)
}

/// What `prompt` asks for.
#[derive(Debug, Default, PartialEq, Eq)]
struct Prompt {
    none: bool,
    login: bool,
}

fn prompt(text: Option<&str>) -> Result<Prompt, &'static str> {
    let mut prompt = Prompt::default();
    let values: Vec<&str> = text
        .unwrap_or_default()
        .split(' ')
        .filter(|v| !v.is_empty())
        .collect();
    for value in &values {
        match *value {
            "none" => prompt.none = true,
            // There is no consent screen: services are registered by operators. Choosing an
            // account is logging in again.
            "login" | "select_account" => prompt.login = true,
            "consent" => {}
            _ => return Err("prompt has an unknown value"),
        }
    }
    if prompt.none && values.len() > 1 {
        return Err("prompt=none goes with no other value");
    }
    Ok(prompt)
}

/// A PKCE code challenge as RFC 7636 §4.2 allows: 43 to 128 unreserved characters.
fn valid_challenge(challenge: &str) -> bool {
    (43..=128).contains(&challenge.len())
        && challenge
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._~".contains(c))
}

/// A checked request, ready for a login or a code.
struct Checked {
    client: Client,
    request: PendingRequest,
    prompt: Prompt,
    lang: Option<Lang>,
}

/// Checks a request; a refusal is the answer to send.
async fn check(
    app: &App,
    oidc: &Oidc,
    ctx: &Ctx,
    params: Option<Params>,
) -> Result<Checked, Refusal> {
    let bad_page = |id: &str| ctx.refuse_with(StatusCode::BAD_REQUEST, id);
    let Some(params) = params else {
        return Err(bad_page("oidc.request_invalid"));
    };
    if matches!(
        params.repeated.as_deref(),
        Some("client_id" | "redirect_uri")
    ) {
        return Err(bad_page("oidc.request_invalid"));
    }
    let Some(client_id) = params.get("client_id") else {
        return Err(bad_page("oidc.client_unknown"));
    };
    let Some(client) = clients::get(app, client_id).await.or_unavailable(ctx)? else {
        return Err(bad_page("oidc.client_unknown"));
    };
    let Some(redirect_uri) = params
        .get("redirect_uri")
        .filter(|uri| client.redirects_to(uri))
    else {
        return Err(bad_page("oidc.redirect_uri"));
    };
    let back = Back {
        redirect_uri,
        state: params.get("state"),
        issuer: &oidc.issuer,
    };
    let refuse = |error: &str, description: &str| Err(back.error(ctx, error, description));
    if let Some(name) = &params.repeated {
        return refuse(
            "invalid_request",
            &format!("{name} is given more than once"),
        );
    }
    if params.has("request") {
        return refuse("request_not_supported", "request objects are not supported");
    }
    if params.has("request_uri") {
        return refuse("request_uri_not_supported", "request_uri is not supported");
    }
    match params.get("response_type") {
        Some("code") => {}
        None => return refuse("invalid_request", "response_type is missing"),
        Some(_) => {
            return refuse(
                "unsupported_response_type",
                "only response_type=code is supported",
            );
        }
    }
    if params
        .get("response_mode")
        .is_some_and(|mode| mode != "query")
    {
        return refuse("invalid_request", "only response_mode=query is supported");
    }
    let requested: Vec<&str> = params.get("scope").unwrap_or_default().split(' ').collect();
    if !requested.contains(&"openid") {
        return refuse("invalid_scope", "the openid scope is required");
    }
    let scopes: Vec<String> = client
        .scopes
        .iter()
        .filter(|s| requested.contains(&s.as_str()))
        .cloned()
        .collect();
    let Some(code_challenge) = params.get("code_challenge") else {
        return refuse("invalid_request", "code_challenge is required (PKCE, S256)");
    };
    if params.get("code_challenge_method") != Some("S256") {
        return refuse("invalid_request", "code_challenge_method must be S256");
    }
    if !valid_challenge(code_challenge) {
        return refuse("invalid_request", "code_challenge is not a S256 challenge");
    }
    let prompt = match prompt(params.get("prompt")) {
        Ok(prompt) => prompt,
        Err(why) => return refuse("invalid_request", why),
    };
    let max_age = match params.get("max_age").map(str::parse::<u32>) {
        None => None,
        Some(Ok(seconds)) => Some(i64::from(seconds)),
        Some(Err(_)) => return refuse("invalid_request", "max_age is not a number of seconds"),
    };
    if params.get("nonce").is_some_and(|n| n.len() > 512)
        || params.get("state").is_some_and(|s| s.len() > 2048)
    {
        return refuse("invalid_request", "nonce or state is too long");
    }
    let level = params
        .get("acr_values")
        .and_then(Level::requested)
        .map_or(client.min_level, |asked| asked.max(client.min_level));
    let lang = params
        .get("ui_locales")
        .and_then(|locales| locales.split(' ').find_map(Lang::parse));
    let request = PendingRequest {
        client_id: client.client_id.clone(),
        redirect_uri: redirect_uri.to_string(),
        scopes,
        state: params.get("state").map(String::from),
        nonce: params.get("nonce").map(String::from),
        code_challenge: code_challenge.to_string(),
        level,
        // `max_age=0` asks for a login made for this request, as `prompt=login` does.
        fresh_login: prompt.login || max_age == Some(0),
        stale_session: None,
        max_age,
        created_at: app.clock.now_secs(),
    };
    Ok(Checked {
        client,
        request,
        prompt,
        lang,
    })
}

/// What a session is worth to a pending request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    /// It answers the request: a code.
    Will,
    /// Recent and fresh enough, but its key is weaker than the service asks: a stronger key.
    TooWeak,
    /// A (new) login is needed: `prompt=login`, `max_age`, or none made for this request.
    LogIn,
}

/// Whether `session` answers `request`. A login made inside the request (a session created after
/// it, other than the one seen then) satisfies `prompt=login` and `max_age` whatever the clock
/// does afterwards (OpenID Connect Core §3.1.2.1: `max_age` is checked when the request comes,
/// not again when the login it asked for comes back).
fn verdict(
    app: &App,
    session: &Session,
    request: &PendingRequest,
    session_cookie: Option<&str>,
) -> Verdict {
    let now = app.clock.now_secs();
    let seen_before = request.stale_session.is_some()
        && session_cookie.map(|c| grants::session_fingerprint(app, c)) == request.stale_session;
    let inside = session.created_at >= request.created_at && !seen_before;
    let young_enough = inside
        || request
            .max_age
            .is_none_or(|max| now - session.created_at <= max);
    let fresh_enough = inside || !request.fresh_login;
    let strong_enough = Level::of_session(session) >= request.level;
    match (young_enough && fresh_enough, strong_enough) {
        (true, true) => Verdict::Will,
        (true, false) => Verdict::TooWeak,
        (false, _) => Verdict::LogIn,
    }
}

async fn authorize(app: &App, oidc: &Oidc, mut ctx: Ctx, params: Option<Params>) -> Page {
    let Checked {
        client,
        mut request,
        prompt,
        lang,
    } = check(app, oidc, &ctx, params).await?;
    if let Some(lang) = lang {
        ctx.lang = lang;
    }
    let cookie = ctx.cookie(SESSION_COOKIE).map(String::from);
    let current = current_session_with_record(app, cookie.as_deref())
        .await
        .or_unavailable(&ctx)?;
    // The session seen now is never a login made for this request, even within the same second.
    request.stale_session = match (&current, cookie.as_deref()) {
        (Some(_), Some(cookie)) => Some(grants::session_fingerprint(app, cookie)),
        _ if request.fresh_login => Some(String::new()),
        _ => None,
    };
    let judged = current
        .as_ref()
        .map(|(session, _)| verdict(app, session, &request, cookie.as_deref()));
    if let (Some((session, _)), Some(Verdict::Will)) = (&current, judged) {
        return answer_with_code(
            app,
            oidc,
            &mut ctx,
            &client,
            &request,
            session,
            Came::FromService,
        )
        .await;
    }
    let back = Back {
        redirect_uri: &request.redirect_uri,
        state: request.state.as_deref(),
        issuer: &oidc.issuer,
    };
    if prompt.none {
        return Err(back.error(
            &ctx,
            "login_required",
            "the citizen is not logged in as the request requires",
        ));
    }
    if let (Some((session, _)), Some(Verdict::LogIn)) = (&current, judged) {
        // A login is needed although there is a session (prompt=login, max_age): only a new
        // one will do.
        request.fresh_login = true;
        tracing::info!(client = %client.client_id, session_level = Level::of_session(session).name(), "a new login is needed");
    }
    let ttl = oidc.provider.settings().request_ttl_seconds;
    let id = grants::save_request(app, &request, &client.names_json(), ttl)
        .await
        .or_unavailable(&ctx)?;
    ctx.set_cookie(OIDC_REQUEST_COOKIE, &id);
    if let (Some((session, record)), Some(Verdict::TooWeak)) = (&current, judged) {
        tracing::info!(client = %client.client_id, level = request.level.name(), session_level = Level::of_session(session).name(), "a stronger key is needed");
        return Ok(ctx.render(stronger_key_view(
            app, &ctx, &client, &request, &id, session, record,
        )));
    }
    Ok(ctx.redirect(&login_address(&id, lang)))
}

/// The login page that comes back to the request `id` afterwards.
fn login_address(id: &str, lang: Option<Lang>) -> String {
    let resume = Route::OidcResume
        .with_query(&serde_urlencoded::to_string([("request", id)]).unwrap_or_default());
    let mut query = vec![("return_to", resume)];
    if let Some(lang) = lang {
        query.push(("lang", lang.code().to_string()));
    }
    Route::Login.with_query(&serde_urlencoded::to_string(query).unwrap_or_default())
}

/// The keys the citizen can log in with now.
fn usable_keys(app: &App, record: &Record) -> Vec<KeyKind> {
    KeyKind::ALL
        .into_iter()
        .filter(|k| record.key_usable(app, *k))
        .collect()
}

/// The `oidc.stronger_key` page: the service asks for a stronger key than the session's. With
/// such a key, the citizen logs in with it; without one, the wizard activates one (and its
/// confirmation goes on to the service); either way *Cancel* answers the service `access_denied`.
fn stronger_key_view(
    app: &App,
    ctx: &Ctx,
    client: &Client,
    request: &PendingRequest,
    id: &str,
    session: &Session,
    record: &Record,
) -> View {
    let service = client.name_in(ctx.lang).to_string();
    let view = View::unrouted(Unrouted::OidcStrongerKey, ctx.lang, "oidc-stronger-title");
    let used = view.t(methods::of(session.current_key()).name_id());
    let text = view.t_args(
        "oidc-stronger-text",
        &[("service", service.clone().into()), ("key", used.into())],
    );
    let reaching = request.level.keys_reaching();
    let usable: Vec<KeyKind> = usable_keys(app, record)
        .into_iter()
        .filter(|k| reaching.contains(k))
        .collect();
    // A new token can never be activated: the wizard offers the others.
    let names: Vec<String> = reaching
        .iter()
        .filter(|k| **k != KeyKind::Token)
        .map(|k| view.t(methods::of(*k).name_id()))
        .collect();
    let mut view = view
        .block(keys_web::view::Block::Paragraph(text))
        .data("service", service.clone().into())
        .data("level", request.level.acr().into())
        .data(
            "keys",
            serde_json::json!(reaching.iter().map(|k| k.as_str()).collect::<Vec<_>>()),
        )
        .data(
            "usable",
            serde_json::json!(usable.iter().map(|k| k.as_str()).collect::<Vec<_>>()),
        );
    if let Some(key) = usable.first() {
        let key_name = view.t(methods::of(*key).name_id());
        let label = view.t_args("oidc-stronger-login", &[("key", key_name.into())]);
        view = view.action(Action::get("login", login_address(id, None), label));
    } else if !names.is_empty() {
        let list = names.join(", ");
        let hint = view.t_args("oidc-stronger-none", &[("keys", list.into())]);
        let label = view.t("oidc-stronger-activate");
        view = view
            .block(keys_web::view::Block::Paragraph(hint))
            .action(Action::post(
                "activate",
                Route::MyKeysActivate.path(),
                label,
            ));
    } else {
        view = view.message(MessageLevel::Info, "oidc.no_key_strong_enough", None);
    }
    let cancel = view.t_args("oidc-cancel", &[("service", service.into())]);
    view.action(
        Action::get(
            "cancel",
            keys_domain::service_request::cancel_href(id),
            cancel,
        )
        .style(ActionStyle::Secondary),
    )
}

/// `GET /oidc/authorize/resume?request=…`: where the login comes back to; answers the service
/// with a code (through the `oidc.continue` page), offers a stronger key, or sends the citizen to
/// log in (again).
pub async fn resume(State(app): State<App>, oidc: Oidc, mut ctx: Ctx) -> Page {
    let id = ctx.query("request").unwrap_or_default().to_string();
    let request = grants::load_request(&app, &id).await.or_unavailable(&ctx)?;
    let Some(request) = request else {
        ctx.clear_cookie(OIDC_REQUEST_COOKIE);
        return Err(ctx.refuse_with(StatusCode::BAD_REQUEST, "oidc.request_expired"));
    };
    let Some(client) = clients::get(&app, &request.client_id)
        .await
        .or_unavailable(&ctx)?
    else {
        return Err(ctx.refuse_with(StatusCode::BAD_REQUEST, "oidc.client_unknown"));
    };
    let cookie = ctx.cookie(SESSION_COOKIE).map(String::from);
    let current = current_session_with_record(&app, cookie.as_deref())
        .await
        .or_unavailable(&ctx)?;
    let Some((session, record)) = current else {
        return Ok(ctx.redirect(&login_address(&id, None)));
    };
    match verdict(&app, &session, &request, cookie.as_deref()) {
        Verdict::Will => {
            answer_with_code(
                &app,
                &oidc,
                &mut ctx,
                &client,
                &request,
                &session,
                Came::BackFromLogin(&id),
            )
            .await
        }
        Verdict::TooWeak => Ok(ctx.render(stronger_key_view(
            &app, &ctx, &client, &request, &id, &session, &record,
        ))),
        Verdict::LogIn => Ok(ctx.redirect(&login_address(&id, None))),
    }
}

/// `GET /oidc/authorize/cancel?request=…`: the citizen cancelled the login; the service is
/// answered `access_denied` (RFC 6749 §4.1.2.1) and the request is gone.
pub async fn cancel(State(app): State<App>, oidc: Oidc, mut ctx: Ctx) -> Page {
    let id = ctx.query("request").unwrap_or_default().to_string();
    // Only the browser the request waits for may cancel it.
    if ctx.cookie(OIDC_REQUEST_COOKIE) != Some(id.as_str()) {
        return Err(ctx.refuse_with(StatusCode::BAD_REQUEST, "oidc.request_expired"));
    }
    let request = grants::load_request(&app, &id).await.or_unavailable(&ctx)?;
    ctx.clear_cookie(OIDC_REQUEST_COOKIE);
    let Some(request) = request else {
        return Err(ctx.refuse_with(StatusCode::BAD_REQUEST, "oidc.request_expired"));
    };
    if !grants::drop_request(&app, &id).await.or_unavailable(&ctx)? {
        return Err(ctx.refuse_with(StatusCode::BAD_REQUEST, "oidc.request_expired"));
    }
    audit::record(&app, "oidc.cancel", None, "access_denied").await;
    let back = Back {
        redirect_uri: &request.redirect_uri,
        state: request.state.as_deref(),
        issuer: &oidc.issuer,
    };
    tracing::info!(client = %request.client_id, "the citizen cancelled the login");
    Ok(ctx.redirect(&back.error_url("access_denied", "the citizen cancelled the login")))
}

/// Issues the code and sends the citizen back to the service with it.
async fn answer_with_code(
    app: &App,
    oidc: &Oidc,
    ctx: &mut Ctx,
    client: &Client,
    request: &PendingRequest,
    session: &Session,
    came: Came<'_>,
) -> Page {
    let consume = match came {
        Came::FromService => None,
        Came::BackFromLogin(id) => Some(id),
    };
    let grant = CodeGrant {
        client_id: client.client_id.clone(),
        redirect_uri: request.redirect_uri.clone(),
        code_challenge: request.code_challenge.clone(),
        nonce: request.nonce.clone(),
        scopes: request.scopes.clone(),
        citizen_id: session.citizen_id.clone(),
        key: session.key,
        rests_on: session.rests_on,
        level: Level::of_session(session),
        auth_time: session.created_at,
        issued_at: app.clock.now_secs(),
        grant_id: grants::new_grant_id(),
        rests: grants::RestsOn::session(session),
    };
    let settings = oidc.provider.settings();
    let keep = settings
        .code_ttl_seconds
        .max(settings.access_token_ttl_seconds);
    if client.backchannel_logout_uri.is_some() {
        // The session's end will be told to this service (Back-Channel Logout); before the code,
        // so a failure here leaves the request to be answered again.
        keys_domain::session::remember_service(app, session, &client.client_id)
            .await
            .or_unavailable(ctx)?;
    }
    let Some(code) = grants::issue_code(app, &grant, keep, consume)
        .await
        .or_unavailable(ctx)?
    else {
        ctx.clear_cookie(OIDC_REQUEST_COOKIE);
        return Err(ctx.refuse_with(StatusCode::BAD_REQUEST, "oidc.request_expired"));
    };
    if consume.is_some() {
        ctx.clear_cookie(OIDC_REQUEST_COOKIE);
    }
    audit::record(app, "oidc.code", Some(&session.citizen_id), "issued").await;
    tracing::info!(client = %client.client_id, "authorization code issued");
    let back = Back {
        redirect_uri: &request.redirect_uri,
        state: request.state.as_deref(),
        issuer: &oidc.issuer,
    };
    let url = back.url(&[("code", &code)]);
    Ok(answer_service(ctx, came, &url, client.name_in(ctx.lang)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prompt_values_are_read_as_the_spec_says() {
        assert_eq!(prompt(None), Ok(Prompt::default()));
        assert_eq!(
            prompt(Some("login")),
            Ok(Prompt {
                none: false,
                login: true
            })
        );
        assert_eq!(
            prompt(Some("none")),
            Ok(Prompt {
                none: true,
                login: false
            })
        );
        assert!(prompt(Some("none login")).is_err());
        assert!(prompt(Some("sometimes")).is_err());
        assert_eq!(prompt(Some("consent")), Ok(Prompt::default()));
    }

    #[test]
    fn the_continue_page_goes_on_by_itself_without_a_script() {
        let url = "https://tax.example/cb?code=abc&state=s&iss=https%3A%2F%2Fkeys.example";
        let html = continue_view(Lang::Fr, url, "Impôts")
            .to_html("")
            .expect("rendered");
        assert!(
            html.contains(
                r#"<meta http-equiv="refresh" content="0; url=https://tax.example/cb?code=abc&#38;state=s&#38;iss=https%3A%2F%2Fkeys.example">"#
            ) || html.contains(
                r#"<meta http-equiv="refresh" content="0; url=https://tax.example/cb?code=abc&amp;state=s&amp;iss=https%3A%2F%2Fkeys.example">"#
            ),
            "{html}"
        );
        assert!(html.contains("Impôts"), "it names the service");
        assert!(html.contains(r#"<html lang="fr">"#));
        assert!(!html.contains("<script"), "no script: the CSP forbids it");
        assert!(
            html.matches("href=\"https://tax.example/cb?code=abc")
                .count()
                == 1,
            "a link for whoever's browser does not refresh"
        );
    }

    #[test]
    fn challenges_are_43_to_128_unreserved_characters() {
        assert!(valid_challenge(&"a".repeat(43)));
        assert!(!valid_challenge(&"a".repeat(42)));
        assert!(!valid_challenge(&"a".repeat(129)));
        assert!(!valid_challenge(&format!("{}+", "a".repeat(43))));
    }
}
