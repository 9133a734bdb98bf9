//! A demo public service beside the local runner, on another origin: it logs citizens in through the provider (code + PKCE, the ID token checked against the JWKS), shows the validated claims, and ends its session when a back-channel logout token comes.
//!
//! It is a demonstration for newcomers and integrators, not a library: the tests use Authlib as
//! the independent relying party.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use keys_core::App;
use keys_oidc::clients::{self, Registration};
use serde::Deserialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The demo's client id at the provider.
pub const CLIENT_ID: &str = "demo-service";
const COOKIE: &str = "demo_session";

/// The demo service's state: its registration, the logins under way and its own sessions.
pub struct DemoService {
    /// The runner's clock (the demo lives in its process): tokens' expiry is judged by it.
    clock: Arc<dyn keys_core::clock::Clock>,
    base: String,
    issuer: String,
    secret: String,
    http: reqwest::Client,
    /// state → (PKCE verifier, nonce)
    pending: Mutex<HashMap<String, (String, String)>>,
    /// the demo's session cookie → what it knows of the citizen
    sessions: Mutex<HashMap<String, Seen>>,
    /// How many back-channel logouts came, and the last one's `sid`.
    logouts: Mutex<Vec<String>>,
}

/// A citizen logged in at the demo.
#[derive(Clone)]
struct Seen {
    claims: Value,
    userinfo: Value,
    id_token: String,
}

fn random() -> String {
    URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>())
}

impl DemoService {
    /// Registers the demo at the provider (`CLIENT_ID`, at `base`, e.g. `http://localhost:3001`)
    /// and answers its state; `None` when a client of that id exists already (its secret was
    /// shown once, to whoever registered it).
    pub async fn register(
        app: &App,
        base: &str,
        issuer: &str,
    ) -> Result<Option<Arc<Self>>, String> {
        let registration = Registration {
            client_id: Some(CLIENT_ID.into()),
            name: "Demo public service".into(),
            display_names: [
                ("nl".to_string(), "Demodienst".to_string()),
                ("fr".to_string(), "Service de démonstration".to_string()),
                ("de".to_string(), "Demodienst".to_string()),
            ]
            .into_iter()
            .collect(),
            redirect_uris: vec![format!("{base}/callback")],
            post_logout_redirect_uris: vec![format!("{base}/")],
            backchannel_logout_uri: Some(format!("{base}/backchannel")),
            scopes: vec!["email".into()],
            ..Default::default()
        };
        let registered = match clients::register(app, registration).await {
            Ok(registered) => registered,
            Err(clients::RegisterError::Taken) => return Ok(None),
            Err(err) => return Err(err.to_string()),
        };
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(10))
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Some(Arc::new(Self {
            clock: app.clock.clone(),
            base: base.to_string(),
            issuer: issuer.to_string(),
            secret: registered.client_secret.unwrap_or_default(),
            http,
            pending: Mutex::new(HashMap::new()),
            sessions: Mutex::new(HashMap::new()),
            logouts: Mutex::new(Vec::new()),
        })))
    }

    /// The demo's pages.
    pub fn router(self: Arc<Self>) -> Router {
        Router::new()
            .route("/", get(home))
            .route("/login", get(login))
            .route("/callback", get(callback))
            .route("/logout", get(logout))
            .route("/backchannel", post(backchannel))
            .with_state(self)
    }

    async fn keys(&self) -> Result<JwkSet, String> {
        self.http
            .get(format!("{}/oidc/jwks", self.issuer))
            .send()
            .await
            .map_err(|e| e.without_url().to_string())?
            .json()
            .await
            .map_err(|e| e.without_url().to_string())
    }

    /// Checks a JWT of the provider's (signature by a published key, issuer, audience the demo).
    async fn verify(&self, token: &str) -> Result<(jsonwebtoken::Header, Value), String> {
        let header = jsonwebtoken::decode_header(token).map_err(|e| e.to_string())?;
        let keys = self.keys().await?;
        let jwk = header
            .kid
            .as_deref()
            .and_then(|kid| keys.find(kid))
            .ok_or("no published key has the token's kid")?;
        let key = DecodingKey::from_jwk(jwk).map_err(|e| e.to_string())?;
        let mut validation = Validation::new(Algorithm::RS256);
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[CLIENT_ID]);
        // Expiry on the runner's clock, with a minute's leeway.
        validation.validate_exp = false;
        let claims = jsonwebtoken::decode::<Value>(token, &key, &validation)
            .map_err(|e| e.to_string())?
            .claims;
        let now = self.clock.now_secs();
        if claims["exp"].as_i64().is_none_or(|exp| exp + 60 < now) {
            return Err("the token has expired".into());
        }
        Ok((header, claims))
    }
}

fn session_of(demo: &DemoService, headers: &HeaderMap) -> Option<(String, Seen)> {
    let cookie = headers
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())?
        .split(';')
        .find_map(|c| c.trim().strip_prefix(&format!("{COOKIE}=")))?
        .to_string();
    let seen = demo.sessions.lock().ok()?.get(&cookie).cloned()?;
    Some((cookie, seen))
}

#[derive(Template)]
#[template(
    source = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Demo public service</title></head>
<body data-step="{% if claims.is_empty() %}demo.home{% else %}demo.logged_in{% endif %}">
<main>
<h1>Demo public service</h1>
<p>A public service on its own origin that logs citizens in with Digital keys (OpenID Connect).</p>
{% if let Some(m) = message %}<p role="status">{{ m }}</p>{% endif %}
{% if claims.is_empty() %}
<p><a id="login" href="/login">Log in with Digital keys</a></p>
{% else %}
<table><caption>The ID token's claims, as this service validated them</caption>
<thead><tr><th scope="col">claim</th><th scope="col">value</th></tr></thead>
<tbody>{% for (name, value) in claims %}<tr><th scope="row">{{ name }}</th><td><code>{{ value }}</code></td></tr>{% endfor %}</tbody>
</table>
<table><caption>What userinfo answered</caption>
<thead><tr><th scope="col">claim</th><th scope="col">value</th></tr></thead>
<tbody>{% for (name, value) in userinfo %}<tr><th scope="row">{{ name }}</th><td><code>{{ value }}</code></td></tr>{% endfor %}</tbody>
</table>
<p><a id="logout" href="/logout">Log out</a></p>
{% endif %}
<p>Back-channel logouts received: {{ logouts }}.</p>
</main></body></html>"#,
    ext = "html"
)]
struct HomePage {
    claims: Vec<(String, String)>,
    userinfo: Vec<(String, String)>,
    message: Option<String>,
    logouts: usize,
}

#[derive(Deserialize)]
struct Said {
    message: Option<String>,
}

async fn home(
    State(demo): State<Arc<DemoService>>,
    headers: HeaderMap,
    Query(said): Query<Said>,
) -> Response {
    let seen = session_of(&demo, &headers).map(|(_, seen)| seen);
    let rows = |value: Option<&Value>| -> Vec<(String, String)> {
        value
            .and_then(Value::as_object)
            .map(|object| {
                object
                    .iter()
                    .map(|(name, value)| (name.clone(), value.to_string()))
                    .collect()
            })
            .unwrap_or_default()
    };
    let claims = rows(seen.as_ref().map(|s| &s.claims));
    let userinfo = rows(seen.as_ref().map(|s| &s.userinfo));
    let logouts = demo.logouts.lock().map(|l| l.len()).unwrap_or_default();
    let page = HomePage {
        claims,
        userinfo,
        message: said.message,
        logouts,
    };
    match page.render() {
        Ok(html) => Html(html).into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

async fn login(State(demo): State<Arc<DemoService>>) -> Response {
    let (state, nonce, verifier) = (random(), random(), random());
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    if let Ok(mut pending) = demo.pending.lock() {
        pending.insert(state.clone(), (verifier, nonce.clone()));
    }
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("response_type", "code")
        .append_pair("client_id", CLIENT_ID)
        .append_pair("redirect_uri", &format!("{}/callback", demo.base))
        .append_pair("scope", "openid email")
        .append_pair("state", &state)
        .append_pair("nonce", &nonce)
        .append_pair("code_challenge", &challenge)
        .append_pair("code_challenge_method", "S256")
        .finish();
    Redirect::to(&format!("{}/oidc/authorize?{query}", demo.issuer)).into_response()
}

#[derive(Deserialize)]
struct Answered {
    code: Option<String>,
    state: Option<String>,
    iss: Option<String>,
    error: Option<String>,
}

fn back_home(message: &str) -> Response {
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("message", message)
        .finish();
    Redirect::to(&format!("/?{query}")).into_response()
}

async fn callback(
    State(demo): State<Arc<DemoService>>,
    Query(answer): Query<Answered>,
) -> Response {
    let Some((verifier, nonce)) = answer
        .state
        .as_ref()
        .and_then(|state| demo.pending.lock().ok()?.remove(state))
    else {
        return back_home("This answer is not for a login this service started.");
    };
    if answer.iss.as_deref() != Some(demo.issuer.as_str()) {
        return back_home("The answer came from another issuer.");
    }
    if let Some(error) = answer.error {
        return back_home(&format!("The login did not happen: {error}."));
    }
    let Some(code) = answer.code else {
        return back_home("The answer has no code.");
    };
    let tokens: Value = match demo
        .http
        .post(format!("{}/oidc/token", demo.issuer))
        .basic_auth(CLIENT_ID, Some(&demo.secret))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", &format!("{}/callback", demo.base)),
            ("code_verifier", verifier.as_str()),
        ])
        .send()
        .await
    {
        Ok(response) => response.json().await.unwrap_or_default(),
        Err(_) => return back_home("The token endpoint did not answer."),
    };
    let Some(id_token) = tokens["id_token"].as_str() else {
        return back_home("The token endpoint refused the code.");
    };
    let claims = match demo.verify(id_token).await {
        Ok((_, claims)) if claims["nonce"].as_str() == Some(nonce.as_str()) => claims,
        Ok(_) => return back_home("The ID token's nonce is not this login's."),
        Err(why) => return back_home(&format!("The ID token is not valid: {why}.")),
    };
    let userinfo = match tokens["access_token"].as_str() {
        Some(access) => match demo
            .http
            .get(format!("{}/oidc/userinfo", demo.issuer))
            .bearer_auth(access)
            .send()
            .await
        {
            Ok(response) => response.json().await.unwrap_or_default(),
            Err(_) => Value::Null,
        },
        None => Value::Null,
    };
    let cookie = random();
    if let Ok(mut sessions) = demo.sessions.lock() {
        sessions.insert(
            cookie.clone(),
            Seen {
                claims,
                userinfo,
                id_token: id_token.to_string(),
            },
        );
    }
    (
        [(
            header::SET_COOKIE,
            format!("{COOKIE}={cookie}; Path=/; HttpOnly; SameSite=Lax"),
        )],
        Redirect::to("/"),
    )
        .into_response()
}

/// RP-Initiated Logout: the demo's session ends here and at the provider.
async fn logout(State(demo): State<Arc<DemoService>>, headers: HeaderMap) -> Response {
    let Some((cookie, seen)) = session_of(&demo, &headers) else {
        return Redirect::to("/").into_response();
    };
    if let Ok(mut sessions) = demo.sessions.lock() {
        sessions.remove(&cookie);
    }
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("id_token_hint", &seen.id_token)
        .append_pair("post_logout_redirect_uri", &format!("{}/", demo.base))
        .append_pair("client_id", CLIENT_ID)
        .finish();
    Redirect::to(&format!("{}/oidc/logout?{query}", demo.issuer)).into_response()
}

/// Back-Channel Logout 1.0 §2.6: the token checked, then every demo session of that `sid` ends.
async fn backchannel(State(demo): State<Arc<DemoService>>, body: String) -> StatusCode {
    let Some(token) = url::form_urlencoded::parse(body.as_bytes())
        .find(|(name, _)| name == "logout_token")
        .map(|(_, token)| token.into_owned())
    else {
        return StatusCode::BAD_REQUEST;
    };
    let (header, claims) = match demo.verify(&token).await {
        Ok(verified) => verified,
        Err(why) => {
            tracing::warn!(why, "demo service: logout token refused");
            return StatusCode::BAD_REQUEST;
        }
    };
    let event = &claims["events"][keys_oidc::backchannel::EVENT];
    if header.typ.as_deref() != Some(keys_oidc::backchannel::TYP)
        || !event.is_object()
        || claims.get("nonce").is_some()
    {
        return StatusCode::BAD_REQUEST;
    }
    let Some(sid) = claims["sid"].as_str() else {
        return StatusCode::BAD_REQUEST;
    };
    if let Ok(mut sessions) = demo.sessions.lock() {
        sessions.retain(|_, seen| seen.claims["sid"].as_str() != Some(sid));
    }
    if let Ok(mut logouts) = demo.logouts.lock() {
        logouts.push(sid.to_string());
    }
    tracing::info!("demo service: back-channel logout");
    StatusCode::OK
}
