//! The authorization endpoint: checks a service's request, sends the citizen to log in if need be
//! (the existing login with any key, the token's notice and the wizard included) and answers the
//! service with a code.
//!
//! Errors follow OpenID Connect Core §3.1.2.6 and RFC 6749 §4.1.2.1: until the client and its
//! redirect address are known to be registered, an error page of the service's own (400); from
//! then on a redirect to that address with `error`, `error_description`, `state` and `iss` (RFC 9207).

use crate::Oidc;
use crate::clients::{self, Client};
use crate::grants::{self, CodeGrant, PendingRequest};
use crate::levels::Level;
use crate::params::{self, Params};
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use http::StatusCode;
use keys_domain::App;
use keys_domain::audit;
use keys_domain::lang::Lang;
use keys_domain::routes::Route;
use keys_domain::session::{Session, current_session};
use keys_web::steps::{OrUnavailable, Page};
use keys_web::web::{Ctx, OIDC_REQUEST_COOKIE, SESSION_COOKIE};

/// `GET /oidc/authorize`.
pub async fn get(State(app): State<App>, oidc: Oidc, ctx: Ctx, RawQuery(query): RawQuery) -> Page {
    authorize(
        &app,
        &oidc,
        ctx,
        params::from_request(query.as_deref(), None),
    )
    .await
}

/// `POST /oidc/authorize` (a form the service's page posts; Core §3.1.2.1 asks for GET and POST).
pub async fn post(State(app): State<App>, oidc: Oidc, ctx: Ctx, body: Bytes) -> Page {
    if body.len() > params::MAX_BODY_BYTES {
        return Err(ctx.error(StatusCode::PAYLOAD_TOO_LARGE, "input.too_large"));
    }
    authorize(&app, &oidc, ctx, Params::parse_bytes(&body)).await
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

    fn error(&self, ctx: &Ctx, error: &str, description: &str) -> Response {
        tracing::info!(error, description, "authorization request refused");
        ctx.redirect(&self.url(&[("error", error), ("error_description", description)]))
    }
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
) -> Result<Checked, Response> {
    let bad_page = |id: &str| ctx.error(StatusCode::BAD_REQUEST, id);
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
        fresh_login: prompt.login,
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

/// Whether `session` answers `request` without a new login.
fn session_will_do(
    app: &App,
    session: &Session,
    request: &PendingRequest,
    session_cookie: Option<&str>,
) -> bool {
    let now = app.clock.now_secs();
    let strong_enough = Level::of_key(session.key) >= request.level;
    let young_enough = request
        .max_age
        .is_none_or(|max| now - session.created_at <= max);
    let fresh_enough = !request.fresh_login
        || (session.created_at >= request.created_at
            && request.stale_session.is_some()
            && session_cookie.map(|c| grants::session_fingerprint(app, c))
                != request.stale_session);
    strong_enough && young_enough && fresh_enough
}

async fn authorize(app: &App, oidc: &Oidc, mut ctx: Ctx, params: Option<Params>) -> Page {
    let Checked {
        client,
        mut request,
        prompt,
        lang,
    } = check(app, oidc, &ctx, params).await?;
    let cookie = ctx.cookie(SESSION_COOKIE).map(String::from);
    let session = current_session(app, cookie.as_deref())
        .await
        .or_unavailable(&ctx)?;
    if let Some(session) = session
        .as_ref()
        .filter(|s| session_will_do(app, s, &request, cookie.as_deref()))
    {
        return answer_with_code(app, oidc, &mut ctx, &client, &request, session, None).await;
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
    if let Some(session) = &session {
        // A login is needed although there is a session (prompt=login, max_age, too weak a
        // key): only a new one will do.
        request.fresh_login = true;
        request.stale_session = cookie
            .as_deref()
            .map(|c| grants::session_fingerprint(app, c));
        tracing::info!(client = %client.client_id, level = request.level.name(), session_level = Level::of_key(session.key).name(), "a new login is needed");
    } else if request.fresh_login {
        request.stale_session = Some(String::new());
    }
    let id = grants::save_request(app, &request, oidc.provider.settings().request_ttl_seconds)
        .await
        .or_unavailable(&ctx)?;
    ctx.set_cookie(OIDC_REQUEST_COOKIE, &id);
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

/// `GET /oidc/authorize/resume?request=…`: where the login comes back to; answers the service
/// with a code, or sends the citizen to log in (again).
pub async fn resume(State(app): State<App>, oidc: Oidc, mut ctx: Ctx) -> Page {
    let id = ctx.query("request").unwrap_or_default().to_string();
    let request = grants::load_request(&app, &id).await.or_unavailable(&ctx)?;
    let Some(request) = request else {
        ctx.clear_cookie(OIDC_REQUEST_COOKIE);
        return Err(ctx.error(StatusCode::BAD_REQUEST, "oidc.request_expired"));
    };
    let Some(client) = clients::get(&app, &request.client_id)
        .await
        .or_unavailable(&ctx)?
    else {
        return Err(ctx.error(StatusCode::BAD_REQUEST, "oidc.client_unknown"));
    };
    let cookie = ctx.cookie(SESSION_COOKIE).map(String::from);
    let session = current_session(&app, cookie.as_deref())
        .await
        .or_unavailable(&ctx)?;
    match session.filter(|s| session_will_do(&app, s, &request, cookie.as_deref())) {
        Some(session) => {
            answer_with_code(
                &app,
                &oidc,
                &mut ctx,
                &client,
                &request,
                &session,
                Some(&id),
            )
            .await
        }
        None => Ok(ctx.redirect(&login_address(&id, None))),
    }
}

/// Issues the code and sends the citizen back to the service with it.
async fn answer_with_code(
    app: &App,
    oidc: &Oidc,
    ctx: &mut Ctx,
    client: &Client,
    request: &PendingRequest,
    session: &Session,
    consume: Option<&str>,
) -> Page {
    let grant = CodeGrant {
        client_id: client.client_id.clone(),
        redirect_uri: request.redirect_uri.clone(),
        code_challenge: request.code_challenge.clone(),
        nonce: request.nonce.clone(),
        scopes: request.scopes.clone(),
        citizen_id: session.citizen_id.clone(),
        key: session.key,
        auth_time: session.created_at,
        issued_at: app.clock.now_secs(),
        grant_id: grants::new_grant_id(),
    };
    let settings = oidc.provider.settings();
    let keep = settings
        .code_ttl_seconds
        .max(settings.access_token_ttl_seconds);
    let Some(code) = grants::issue_code(app, &grant, keep, consume)
        .await
        .or_unavailable(ctx)?
    else {
        ctx.clear_cookie(OIDC_REQUEST_COOKIE);
        return Err(ctx.error(StatusCode::BAD_REQUEST, "oidc.request_expired"));
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
    Ok(ctx.redirect(&back.url(&[("code", &code)])))
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
    fn challenges_are_43_to_128_unreserved_characters() {
        assert!(valid_challenge(&"a".repeat(43)));
        assert!(!valid_challenge(&"a".repeat(42)));
        assert!(!valid_challenge(&"a".repeat(129)));
        assert!(!valid_challenge(&format!("{}+", "a".repeat(43))));
    }
}
