//! The local runner: mounts every function's router on one listener, plus dev-only endpoints.

pub mod demo_service;

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use keys_core::App;
use keys_core::citizens::{self, EnrolError, NewCitizen};
use keys_core::i18n::Lang;
use keys_core::mailer::outbox::{Outbox, SentMail};
use keys_core::web::StepRouter;
use serde::Deserialize;
use serde_json::json;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;

/// Every HTTP function by its binary name, with its router.
pub fn functions() -> Vec<(&'static str, StepRouter)> {
    vec![
        ("login", login::router()),
        ("login-token", login_token::router()),
        ("login-email", login_email::router()),
        ("login-app", login_app::router()),
        ("my-keys", my_keys::router()),
        ("confirm-email", confirm_email::router()),
        ("select-key", select_key::router()),
        ("activate-email", activate_email::router()),
        ("activate-app", activate_app::router()),
        ("confirmation", confirmation::router()),
        ("oidc-discovery", oidc_discovery::router()),
        ("oidc-authorize", oidc_authorize::router()),
        ("oidc-token", oidc_token::router()),
        ("oidc-userinfo", oidc_userinfo::router()),
        ("oidc-logout", oidc_logout::router()),
        ("office", office::router()),
        ("activation-letter", activation_letter::router()),
    ]
}

/// Every function by its binary name, with what it does on AWS (its role must grant exactly that).
pub fn needs() -> Vec<(&'static str, &'static [keys_core::permissions::Need])> {
    vec![
        ("login", login::NEEDS),
        ("login-token", login_token::NEEDS),
        ("login-email", login_email::NEEDS),
        ("login-app", login_app::NEEDS),
        ("my-keys", my_keys::NEEDS),
        ("confirm-email", confirm_email::NEEDS),
        ("select-key", select_key::NEEDS),
        ("activate-email", activate_email::NEEDS),
        ("activate-app", activate_app::NEEDS),
        ("confirmation", confirmation::NEEDS),
        ("mail-dispatch", mail_dispatch::NEEDS),
        ("oidc-discovery", oidc_discovery::NEEDS),
        ("oidc-authorize", oidc_authorize::NEEDS),
        ("oidc-token", oidc_token::NEEDS),
        ("oidc-userinfo", oidc_userinfo::NEEDS),
        ("oidc-logout", oidc_logout::NEEDS),
        ("oidc-backchannel", oidc_backchannel::NEEDS),
        ("office", office::NEEDS),
        ("activation-letter", activation_letter::NEEDS),
    ]
}

/// Every function's routes, as one router.
pub fn all_steps() -> StepRouter {
    functions()
        .into_iter()
        .fold(StepRouter::new(), |all, (_, router)| all.merge(router))
}

#[derive(Clone)]
struct Local {
    app: App,
    outbox: Option<Arc<Outbox>>,
}

/// The whole service with the dev-only endpoints under `/_local/`, without an OpenID Connect
/// issuer (its endpoints answer 503: see [`router_at`]).
pub fn router(app: App, outbox: Option<Arc<Outbox>>) -> Router {
    router_with(app, outbox, provider(None))
}

/// The whole service at `base` (its own address, `http://127.0.0.1:PORT[/base]`), which is also
/// the OpenID Connect issuer, signing with the process's generated key.
pub fn router_at(app: App, outbox: Option<Arc<Outbox>>, base: &str) -> Router {
    let provider = provider_at(&app, base);
    router_with(app, outbox, provider)
}

/// The OpenID Connect provider of a runner at `base`: the issuer is its own address.
pub fn provider_at(app: &App, base: &str) -> keys_oidc::Provider {
    provider(Some(format!("{base}{}", app.settings.base_path)))
}

/// Delivers back-channel logout tokens from this process, every half second (Lambda has the
/// table's stream and `oidc-backchannel`): a task on the current runtime.
pub fn deliver_logouts(app: App, provider: &keys_oidc::Provider) {
    let poster = match keys_oidc::backchannel::HttpsPoster::new() {
        Ok(poster) => Arc::new(poster),
        Err(err) => {
            tracing::error!(error = %err, "no HTTP client: back-channel logouts are not delivered");
            return;
        }
    };
    match provider.logout_delivery(app, poster) {
        Some(delivery) => {
            tokio::spawn(delivery.sweep_every(std::time::Duration::from_millis(500)));
        }
        None => tracing::error!("no issuer or signer: back-channel logouts are not delivered"),
    }
}

/// The OpenID Connect provider with default settings, `issuer`, and the process's generated key.
pub fn provider(issuer: Option<String>) -> keys_oidc::Provider {
    let signer = keys_oidc::signer::LocalSigner::shared()
        .inspect_err(|err| tracing::error!(error = %err, "no ID-token key"))
        .ok()
        .map(|s| s as Arc<dyn keys_oidc::signer::Signer>);
    let settings = keys_oidc::OidcSettings {
        issuer,
        ..Default::default()
    };
    keys_oidc::Provider::new(settings, signer)
}

/// [`router`] with the OpenID Connect provider given (settings and signer from the environment).
pub fn router_with(app: App, outbox: Option<Arc<Outbox>>, oidc: keys_oidc::Provider) -> Router {
    let dev = dev_router(app.clone(), outbox)
        .merge(keys_oidc::dev::router(app.clone()))
        .layer(axum::middleware::from_fn(loopback_host_only));
    oidc.serve(all_steps(), app).merge(dev)
}

/// Whether a `Host` header names this machine (`localhost`, `127.0.0.1`, `[::1]`, any port).
pub fn is_loopback_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or_default(),
        None => host.split(':').next().unwrap_or_default(),
    };
    matches!(
        name.to_ascii_lowercase().as_str(),
        "localhost" | "127.0.0.1" | "::1"
    )
}

/// The dev-only endpoints answer only requests addressed to this machine by name: a page on
/// another site whose name resolves to 127.0.0.1 (DNS rebinding) sends its own `Host` and is
/// refused, so it cannot enrol citizens or read the mailbox.
async fn loopback_host_only(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let host = request
        .headers()
        .get(axum::http::header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !is_loopback_host(host) {
        tracing::warn!(audit = "local.host_refused", "audit");
        return (
            axum::http::StatusCode::FORBIDDEN,
            "the dev endpoints answer requests to localhost only\n",
        )
            .into_response();
    }
    next.run(request).await
}

/// The dev-only endpoints alone: enrol citizens (`POST /_local/citizens`), the outbox and mailbox.
pub fn dev_router(app: App, outbox: Option<Arc<Outbox>>) -> Router {
    let local = Local { app, outbox };
    Router::new()
        .route("/_local/citizens", post(create_citizen))
        .route("/_local/officers", post(create_officer))
        .route("/_local/officers/role", post(set_officer_role))
        .route("/_local/outbox", get(outbox_json))
        .route("/_local/mailbox", get(mailbox_page))
        .with_state(local)
}

/// What `POST /_local/citizens` may say about the citizen to create; everything is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CitizenRequest {
    pub username: Option<String>,
    pub password: Option<String>,
    pub email: Option<String>,
    pub lang: Option<String>,
    /// The name the pages greet the citizen with.
    pub name: Option<String>,
}

/// A citizen enrolled with a fresh token card, as the dev endpoint and the start-up banner show it.
pub struct Enrolled {
    pub username: String,
    pub password: String,
    pub email: String,
    pub card: BTreeMap<u8, String>,
}

/// Enrols a citizen with an active token; what is not given is made up.
pub async fn enrol_citizen(app: &App, request: CitizenRequest) -> Result<Enrolled, EnrolError> {
    let suffix = keys_core::crypto::random_short_id()
        .to_lowercase()
        .replace(['-', '_'], "");
    let username = request
        .username
        .unwrap_or_else(|| format!("citizen-{}", &suffix[..10]));
    let password = request
        .password
        .unwrap_or_else(|| format!("pw-{}", keys_core::crypto::random_short_id()));
    let email = request
        .email
        .unwrap_or_else(|| format!("{}@example.org", username.to_lowercase()));
    let lang = request
        .lang
        .as_deref()
        .and_then(Lang::parse)
        .unwrap_or(Lang::DEFAULT);
    let new = NewCitizen {
        username: username.clone(),
        name: request.name,
        password: password.clone(),
        email: email.clone(),
        lang,
    };
    let (_, card) = citizens::enrol(app, new).await?;
    Ok(Enrolled {
        username,
        password,
        email,
        card,
    })
}

async fn create_citizen(State(local): State<Local>, body: axum::body::Bytes) -> Response {
    let request = if body.iter().all(u8::is_ascii_whitespace) {
        CitizenRequest::default()
    } else {
        match serde_json::from_slice(&body) {
            Ok(request) => request,
            Err(err) => {
                return (
                    http_status(400),
                    axum::Json(json!({ "error": err.to_string() })),
                )
                    .into_response();
            }
        }
    };
    match enrol_citizen(&local.app, request).await {
        Ok(enrolled) => {
            let card: BTreeMap<String, String> = enrolled
                .card
                .iter()
                .map(|(n, c)| (n.to_string(), c.clone()))
                .collect();
            (
                http_status(201),
                axum::Json(json!({
                    "username": enrolled.username,
                    "password": enrolled.password,
                    "email": enrolled.email,
                    "token_card": card,
                })),
            )
                .into_response()
        }
        Err(
            err @ (EnrolError::UsernameTaken
            | EnrolError::NationalNumberTaken
            | EnrolError::LookAlike),
        ) => (
            http_status(409),
            axum::Json(json!({ "error": err.to_string() })),
        )
            .into_response(),
        Err(EnrolError::Invalid(what)) => (
            http_status(400),
            axum::Json(json!({ "error": format!("{what} is not acceptable") })),
        )
            .into_response(),
        Err(other) => (
            http_status(503),
            axum::Json(json!({ "error": other.to_string() })),
        )
            .into_response(),
    }
}

/// What `POST /_local/officers` is told: the officer's id, name and password.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OfficerRequest {
    id: String,
    name: String,
    password: String,
}

/// Adds a registration office's officer; answers the authenticator app's secret (base32).
async fn create_officer(
    State(local): State<Local>,
    axum::Json(request): axum::Json<OfficerRequest>,
) -> Response {
    use keys_core::office::officers::{self, OfficerError};
    match officers::add(&local.app, &request.id, &request.name, &request.password).await {
        Ok(secret) => (
            http_status(201),
            axum::Json(json!({ "id": request.id, "app_secret": secret.base32() })),
        )
            .into_response(),
        Err(err @ OfficerError::Taken) => (
            http_status(409),
            axum::Json(json!({ "error": err.to_string() })),
        )
            .into_response(),
        Err(err @ OfficerError::Invalid(_)) => (
            http_status(400),
            axum::Json(json!({ "error": err.to_string() })),
        )
            .into_response(),
        Err(err) => (
            http_status(503),
            axum::Json(json!({ "error": err.to_string() })),
        )
            .into_response(),
    }
}

/// What `POST /_local/officers/role` is told: the officer and the role (`null`: none).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RoleRequest {
    id: String,
    role: Option<String>,
}

/// Gives or takes an officer's role.
async fn set_officer_role(
    State(local): State<Local>,
    axum::Json(request): axum::Json<RoleRequest>,
) -> Response {
    match keys_core::office::officers::set_role(&local.app, &request.id, request.role.as_deref())
        .await
    {
        Ok(()) => http_status(204).into_response(),
        Err(err) => (
            http_status(404),
            axum::Json(json!({ "error": err.to_string() })),
        )
            .into_response(),
    }
}

fn http_status(code: u16) -> axum::http::StatusCode {
    axum::http::StatusCode::from_u16(code).unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR)
}

#[derive(Deserialize)]
struct OutboxQuery {
    to: Option<String>,
}

fn mails(local: &Local, to: Option<&str>) -> Option<Vec<SentMail>> {
    let outbox = local.outbox.as_ref()?;
    Some(match to {
        Some(to) => outbox.sent_to(to),
        None => outbox.all(),
    })
}

async fn outbox_json(
    State(local): State<Local>,
    axum::extract::Query(query): axum::extract::Query<OutboxQuery>,
) -> Response {
    match mails(&local, query.to.as_deref()) {
        Some(mails) => axum::Json(mails).into_response(),
        None => (
            http_status(404),
            axum::Json(json!({ "error": "MAILER is not outbox: mails go to SES" })),
        )
            .into_response(),
    }
}

/// The local mailbox: every mail sent, newest first, for a person testing by hand.
#[derive(Template)]
#[template(
    source = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Local mailbox</title><link rel="stylesheet" href="/assets/style.css"></head>
<body><main id="main" class="wrap"><h1>Local mailbox</h1>
<p>Mails the local runner sent, newest first. Only the local runner has this page.</p>
{% if mails.is_empty() %}<p>No mails yet.</p>{% endif %}
{% for m in mails %}<article class="callout"><h2>{{ m.subject }}</h2>
<dl class="fact"><dt>To</dt><dd>{{ m.to }}</dd><dt>Sent</dt><dd>{{ m.sent_at }}</dd></dl>
<pre style="white-space: pre-wrap">{{ m.text }}</pre></article>{% endfor %}
</main></body></html>"#,
    ext = "html"
)]
struct Mailbox {
    mails: Vec<SentMail>,
}

async fn mailbox_page(
    State(local): State<Local>,
    axum::extract::Query(query): axum::extract::Query<OutboxQuery>,
) -> Response {
    let mut mails = mails(&local, query.to.as_deref()).unwrap_or_default();
    mails.reverse();
    match (Mailbox { mails }).render() {
        Ok(html) => axum::response::Html(html).into_response(),
        Err(err) => (http_status(500), err.to_string()).into_response(),
    }
}

/// The local runner's stand-in for the stream's retries: delivers the outbox's waiting mails at
/// every `interval`.
pub async fn redeliver_every(app: App, interval: std::time::Duration) {
    let mut ticks = tokio::time::interval(interval);
    loop {
        ticks.tick().await;
        match keys_core::dispatch::deliver_pending(&app).await {
            Ok(0) => {}
            Ok(sent) => tracing::info!(sent, "waiting notification mails delivered"),
            Err(err) => tracing::warn!(error = %err, "outbox not readable; will retry"),
        }
    }
}

/// Serves the router on `addr`, with the peer address available for rate limits.
pub async fn serve(listener: tokio::net::TcpListener, router: Router) -> std::io::Result<()> {
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .await
}
