//! Registered clients (the public services): stored in the table, registered by operators.
//!
//! A client is one item `oidc-client#<client_id>` / `client` holding its record as JSON. A secret is
//! 256 random bits, shown once at registration and stored only as a keyed hash (HMAC-SHA256 under
//! a key derived from the master secret), compared in constant time.

use crate::levels::Level;
use jsonwebtoken::jwk::JwkSet;
use keys_domain::App;
use keys_domain::crypto::{keyed_hash, keyed_hash_matches, random_id, random_short_id};
use keys_domain::secrets::KeyPurpose;
use keys_domain::store::{Condition, Item, StoreError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The scopes the provider knows: `openid` (required: the subject), `email` (address and whether
/// it is verified).
pub const SCOPES: [&str; 2] = ["openid", "email"];

const SECRET_CONTEXT: &str = "oidc-client-secret";

/// How a client authenticates at the token endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthMethod {
    /// HTTP Basic with the client id and its secret (RFC 6749 §2.3.1).
    ClientSecretBasic,
    /// A JWT signed with the client's own private key (OpenID Connect Core §9, RFC 7523).
    PrivateKeyJwt,
}

impl AuthMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            AuthMethod::ClientSecretBasic => "client_secret_basic",
            AuthMethod::PrivateKeyJwt => "private_key_jwt",
        }
    }
}

/// A registered client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Client {
    pub client_id: String,
    /// The service's name, for people (operators, pages).
    pub name: String,
    /// Its name in each language the pages speak (`nl`, `fr`, `de`, `en`), where it differs.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub display_names: BTreeMap<String, String>,
    /// Compared exactly, character for character.
    pub redirect_uris: Vec<String>,
    /// Where RP-Initiated Logout may send the citizen afterwards, compared exactly.
    pub post_logout_redirect_uris: Vec<String>,
    /// Where the service receives logout tokens when a session it logged into ends
    /// (Back-Channel Logout 1.0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backchannel_logout_uri: Option<String>,
    /// The scopes it may receive (always `openid`).
    pub scopes: Vec<String>,
    /// The weakest login it accepts; a weaker session is sent to log in again.
    pub min_level: Level,
    pub auth_method: AuthMethod,
    /// Keyed hash of the secret (`client_secret_basic`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_hash: Option<String>,
    /// The client's public keys (`private_key_jwt`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwks: Option<JwkSet>,
    /// Clients of one sector receive the same pairwise `sub` for a citizen; by default each client
    /// is its own sector.
    pub sector: String,
    pub created_at: i64,
}

/// What an operator registers (the dev endpoint and `oidc-client register` read it as JSON).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Registration {
    /// Chosen by the operator (letters, digits, `.`, `_`, `-`; 3 to 64), or made up.
    #[serde(default)]
    pub client_id: Option<String>,
    pub name: String,
    /// The service's name per language code (`nl`, `fr`, `de`, `en`), shown on the login page.
    #[serde(default)]
    pub display_names: BTreeMap<String, String>,
    pub redirect_uris: Vec<String>,
    #[serde(default)]
    pub post_logout_redirect_uris: Vec<String>,
    /// Where the service receives logout tokens (https; http only on loopback).
    #[serde(default)]
    pub backchannel_logout_uri: Option<String>,
    /// Besides `openid`, which every client has.
    #[serde(default)]
    pub scopes: Vec<String>,
    /// `password`, `email-code` (the default), `two-factor` or `strong` ([`Level`]).
    #[serde(default)]
    pub min_level: Option<Level>,
    /// `client_secret_basic` (the default) or `private_key_jwt` (then `jwks` is required).
    #[serde(default)]
    pub token_endpoint_auth_method: Option<AuthMethod>,
    #[serde(default)]
    pub jwks: Option<JwkSet>,
    #[serde(default)]
    pub sector: Option<String>,
}

/// A registered client and, for `client_secret_basic`, its secret (shown this once).
#[derive(Debug, Clone)]
pub struct Registered {
    pub client: Client,
    pub client_secret: Option<String>,
}

/// Why a registration was refused.
#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    #[error("{0}")]
    Invalid(String),
    #[error("a client with this id exists")]
    Taken,
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn pk(client_id: &str) -> String {
    format!("oidc-client#{client_id}")
}

fn invalid(text: impl Into<String>) -> RegisterError {
    RegisterError::Invalid(text.into())
}

/// A redirect address a client may register: absolute, https (http only on loopback), no fragment.
pub fn acceptable_redirect(uri: &str) -> bool {
    let Ok(url) = url::Url::parse(uri) else {
        return false;
    };
    let loopback = matches!(url.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
    let scheme_ok = url.scheme() == "https" || (url.scheme() == "http" && loopback);
    scheme_ok
        && url.fragment().is_none()
        && url.host_str().is_some()
        && url.username().is_empty()
        && url.password().is_none()
        && uri.len() <= 2048
}

fn valid_client_id(id: &str) -> bool {
    (3..=64).contains(&id.len())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
}

/// Registers a client: checks the registration, stores it, and answers its secret once.
pub async fn register(app: &App, registration: Registration) -> Result<Registered, RegisterError> {
    let name = registration.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(invalid("name: 1 to 100 characters"));
    }
    let fit_name = |name: &str| {
        !name.trim().is_empty()
            && name.chars().count() <= 100
            && !name.chars().any(char::is_control)
    };
    let mut display_names = BTreeMap::new();
    for (lang, shown) in &registration.display_names {
        if keys_domain::lang::Lang::parse(lang).is_none_or(|l| l.code() != lang) {
            return Err(invalid(format!(
                "display_names: '{lang}' is not one of nl, fr, de, en"
            )));
        }
        if !fit_name(shown) {
            return Err(invalid("display_names: 1 to 100 characters each"));
        }
        display_names.insert(lang.clone(), shown.trim().to_string());
    }
    if registration.redirect_uris.is_empty() {
        return Err(invalid("redirect_uris: at least one"));
    }
    if let Some(bad) = registration
        .redirect_uris
        .iter()
        .chain(&registration.post_logout_redirect_uris)
        .chain(&registration.backchannel_logout_uri)
        .find(|uri| !acceptable_redirect(uri))
    {
        return Err(invalid(format!(
            "'{bad}' is not an absolute https address without fragment (http only on loopback)"
        )));
    }
    let mut scopes = vec!["openid".to_string()];
    for scope in registration.scopes {
        if !SCOPES.contains(&scope.as_str()) {
            return Err(invalid(format!(
                "scope '{scope}' is not one of {}",
                SCOPES.join(", ")
            )));
        }
        if !scopes.contains(&scope) {
            scopes.push(scope);
        }
    }
    let client_id = match registration.client_id {
        Some(id) if valid_client_id(&id) => id,
        Some(_) => {
            return Err(invalid(
                "client_id: 3 to 64 letters, digits, '.', '_' or '-'",
            ));
        }
        None => random_short_id().replace(['-', '_'], "x"),
    };
    let auth_method = registration
        .token_endpoint_auth_method
        .unwrap_or(AuthMethod::ClientSecretBasic);
    let (secret, secret_hash, jwks) = match auth_method {
        AuthMethod::ClientSecretBasic => {
            if registration.jwks.is_some() {
                return Err(invalid("jwks: only for private_key_jwt"));
            }
            let secret = random_id();
            let hash = keyed_hash(&secret_key(app), SECRET_CONTEXT, &secret);
            (Some(secret), Some(hash), None)
        }
        AuthMethod::PrivateKeyJwt => {
            let Some(jwks) = registration.jwks else {
                return Err(invalid("jwks: required for private_key_jwt"));
            };
            let usable = !jwks.keys.is_empty()
                && jwks.keys.iter().all(|k| {
                    jsonwebtoken::DecodingKey::from_jwk(k).is_ok()
                        && !matches!(
                            k.algorithm,
                            jsonwebtoken::jwk::AlgorithmParameters::OctetKey(_)
                        )
                });
            if !usable {
                return Err(invalid("jwks: public RSA or EC keys"));
            }
            (None, None, Some(jwks))
        }
    };
    let sector = registration
        .sector
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| client_id.clone());
    let client = Client {
        client_id: client_id.clone(),
        name,
        display_names,
        redirect_uris: registration.redirect_uris,
        post_logout_redirect_uris: registration.post_logout_redirect_uris,
        backchannel_logout_uri: registration.backchannel_logout_uri,
        scopes,
        min_level: registration.min_level.unwrap_or(Level::EmailCode),
        auth_method,
        secret_hash,
        jwks,
        sector,
        created_at: app.clock.now_secs(),
    };
    let record = serde_json::to_string(&client).map_err(|e| invalid(e.to_string()))?;
    let item = Item::new(pk(&client_id), "client").with_s("record", record);
    match app.store.put(item, Some(Condition::Absent)).await {
        Ok(()) => {}
        Err(StoreError::ConditionFailed) => return Err(RegisterError::Taken),
        Err(other) => return Err(other.into()),
    }
    tracing::info!(client = %client_id, method = auth_method.as_str(), "OpenID Connect client registered");
    Ok(Registered {
        client,
        client_secret: secret,
    })
}

/// The registered client with this id, if any.
pub async fn get(app: &App, client_id: &str) -> Result<Option<Client>, StoreError> {
    if !valid_client_id(client_id) {
        return Ok(None);
    }
    let Some(item) = app.store.get(&pk(client_id), "client").await? else {
        return Ok(None);
    };
    Ok(item
        .s("record")
        .and_then(|json| serde_json::from_str(json).ok()))
}

fn secret_key(app: &App) -> [u8; 32] {
    app.secrets.key(KeyPurpose::SessionHash)
}

impl Client {
    /// Its names as the pending request keeps them for the login page
    /// ([`keys_domain::service_request`]).
    pub fn names_json(&self) -> String {
        keys_domain::service_request::names_json(&self.name, &self.display_names)
    }

    /// Its name in `lang`.
    pub fn name_in(&self, lang: keys_domain::lang::Lang) -> &str {
        self.display_names
            .get(lang.code())
            .map_or(self.name.as_str(), String::as_str)
    }

    /// Whether `secret` is this client's secret (constant time).
    pub fn secret_matches(&self, app: &App, secret: &str) -> bool {
        self.secret_hash
            .as_deref()
            .is_some_and(|hash| keyed_hash_matches(&secret_key(app), SECRET_CONTEXT, secret, hash))
    }

    /// Whether `uri` is one of its redirect addresses, exactly.
    pub fn redirects_to(&self, uri: &str) -> bool {
        self.redirect_uris.iter().any(|r| r == uri)
    }

    /// Whether `uri` is one of its post-logout addresses, exactly.
    pub fn logs_out_to(&self, uri: &str) -> bool {
        self.post_logout_redirect_uris.iter().any(|r| r == uri)
    }

    /// The pairwise subject of a citizen for this client's sector (OpenID Connect Core §8.1): a
    /// keyed hash of sector and citizen id, the same for every client of the sector and unlinkable
    /// across sectors.
    pub fn subject(&self, app: &App, citizen_id: &str) -> String {
        keyed_hash(
            &app.secrets.key(KeyPurpose::SessionHash),
            "oidc-pairwise-sub",
            &format!("{}\u{0}{citizen_id}", self.sector),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use keys_domain::harness::test_app;

    fn basic(redirect: &str) -> Registration {
        Registration {
            name: "Tax office".into(),
            redirect_uris: vec![redirect.into()],
            scopes: vec!["email".into()],
            ..Default::default()
        }
    }

    #[tokio::test]
    async fn a_client_is_stored_with_only_a_hash_of_its_secret() {
        let (app, _) = test_app();
        let registered = register(&app, basic("https://tax.example/cb"))
            .await
            .expect("registered");
        let secret = registered.client_secret.expect("a secret");
        let client = get(&app, &registered.client.client_id)
            .await
            .expect("store")
            .expect("found");
        assert_eq!(client.scopes, ["openid", "email"]);
        assert_eq!(client.min_level, Level::EmailCode);
        assert!(client.secret_matches(&app, &secret));
        assert!(!client.secret_matches(&app, &format!("{secret}x")));
        let stored = app
            .store
            .get(&pk(&client.client_id), "client")
            .await
            .expect("store")
            .expect("item");
        assert!(!stored.s("record").unwrap_or_default().contains(&secret));
        assert!(client.redirects_to("https://tax.example/cb"));
        assert!(!client.redirects_to("https://tax.example/cb/"));
    }

    #[tokio::test]
    async fn bad_registrations_are_refused() {
        let (app, _) = test_app();
        for uri in [
            "http://tax.example/cb",
            "https://tax.example/cb#x",
            "/cb",
            "https://user:pw@tax.example/cb",
        ] {
            assert!(
                matches!(
                    register(&app, basic(uri)).await,
                    Err(RegisterError::Invalid(_))
                ),
                "{uri}"
            );
        }
        let mut unknown_scope = basic("https://tax.example/cb");
        unknown_scope.scopes = vec!["phone".into()];
        assert!(register(&app, unknown_scope).await.is_err());
        let mut no_keys = basic("https://tax.example/cb");
        no_keys.token_endpoint_auth_method = Some(AuthMethod::PrivateKeyJwt);
        assert!(register(&app, no_keys).await.is_err());
        let mut named = basic("http://127.0.0.1:8080/cb");
        named.client_id = Some("tax".into());
        register(&app, named.clone()).await.expect("loopback http");
        assert!(matches!(
            register(&app, named).await,
            Err(RegisterError::Taken)
        ));
    }

    #[tokio::test]
    async fn subjects_are_pairwise_per_sector() {
        let (app, _) = test_app();
        let a = register(&app, basic("https://a.example/cb"))
            .await
            .expect("a")
            .client;
        let b = register(&app, basic("https://b.example/cb"))
            .await
            .expect("b")
            .client;
        let mut c_reg = basic("https://c.example/cb");
        c_reg.sector = Some(a.client_id.clone());
        let c = register(&app, c_reg).await.expect("c").client;
        assert_ne!(a.subject(&app, "citizen-1"), b.subject(&app, "citizen-1"));
        assert_eq!(a.subject(&app, "citizen-1"), c.subject(&app, "citizen-1"));
        assert_ne!(a.subject(&app, "citizen-1"), a.subject(&app, "citizen-2"));
    }
}
