//! The token endpoint: authenticates the client, redeems a code with its PKCE verifier and answers
//! an ID token and an access token (OpenID Connect Core §3.1.3, RFC 6749 §4.1.3, RFC 7636 §4.6).

use crate::clients::{self, AuthMethod, Client};
use crate::grants::{self, CodeGrant, Redeemed};
use crate::levels;
use crate::params::{self, Params};
use crate::signer::{self, SignerError};
use crate::{Oidc, json_response};
use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use http::{HeaderMap, StatusCode, header};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use keys_domain::App;
use keys_domain::audit;
use keys_domain::routes::Route;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// The assertion type of `private_key_jwt` (RFC 7523 §2.2).
pub const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// A token endpoint error (RFC 6749 §5.2).
struct TokenError {
    status: StatusCode,
    error: &'static str,
    description: String,
    basic_challenge: bool,
}

impl TokenError {
    fn new(error: &'static str, description: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            error,
            description: description.into(),
            basic_challenge: false,
        }
    }

    fn client(description: impl Into<String>, basic: bool) -> Self {
        Self {
            status: StatusCode::UNAUTHORIZED,
            error: "invalid_client",
            description: description.into(),
            basic_challenge: basic,
        }
    }

    fn server(what: &str) -> Self {
        tracing::error!(what, "token endpoint failure");
        Self {
            status: StatusCode::SERVICE_UNAVAILABLE,
            error: "temporarily_unavailable",
            description: "try again in a moment".into(),
            basic_challenge: false,
        }
    }

    fn into_response(self) -> Response {
        tracing::info!(error = self.error, description = %self.description, "token request refused");
        let mut response = json_response(
            self.status,
            json!({ "error": self.error, "error_description": self.description }),
        );
        if self.basic_challenge
            && let Ok(value) = http::HeaderValue::from_str("Basic realm=\"digital-keys\"")
        {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, value);
        }
        response
    }
}

/// The ID token's claims (OpenID Connect Core §2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdTokenClaims {
    pub iss: String,
    pub sub: String,
    pub aud: String,
    pub exp: i64,
    pub iat: i64,
    pub auth_time: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nonce: Option<String>,
    pub acr: String,
    pub amr: Vec<String>,
    /// The session the citizen logged in with, as this service knows it (Back-Channel Logout
    /// §2.1): its logout tokens carry the same.
    pub sid: String,
}

/// `POST /oidc/token`.
pub async fn token(
    State(app): State<App>,
    oidc: Oidc,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match exchange(&app, &oidc, &headers, &body).await {
        Ok(answer) => answer,
        Err(error) => error.into_response(),
    }
}

async fn exchange(
    app: &App,
    oidc: &Oidc,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Response, TokenError> {
    if body.len() > params::MAX_BODY_BYTES {
        return Err(TokenError::new("invalid_request", "the body is too large"));
    }
    let form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let params = Params::parse_bytes(body)
        .filter(|_| form)
        .ok_or_else(|| TokenError::new("invalid_request", "the body must be a form"))?;
    if let Some(name) = &params.repeated {
        return Err(TokenError::new(
            "invalid_request",
            format!("{name} is given more than once"),
        ));
    }
    let client = authenticate(app, oidc, headers, &params).await?;
    match params.get("grant_type") {
        Some("authorization_code") => {}
        None => return Err(TokenError::new("invalid_request", "grant_type is missing")),
        Some(_) => {
            return Err(TokenError::new(
                "unsupported_grant_type",
                "only authorization_code is supported",
            ));
        }
    }
    let code = params
        .get("code")
        .ok_or_else(|| TokenError::new("invalid_request", "code is missing"))?;
    let grant = match grants::find_code(app, code)
        .await
        .map_err(|_| TokenError::server("code lookup"))?
    {
        Redeemed::Unknown => return Err(TokenError::new("invalid_grant", "the code is not valid")),
        Redeemed::Replayed(grant) if grant.client_id == client.client_id => {
            // Its own client presents a used code again: what it issued is revoked (RFC 6749
            // §4.1.2). Another client's replay changes nothing of the owner's grant.
            grants::revoke(app, &grant.grant_id)
                .await
                .map_err(|_| TokenError::server("grant revocation"))?;
            audit::record(app, "oidc.code", None, "replayed").await;
            return Err(TokenError::new(
                "invalid_grant",
                "the code was used before: what it issued is revoked",
            ));
        }
        Redeemed::Replayed(_) => {
            audit::record(app, "oidc.code", None, "wrong_client").await;
            return Err(TokenError::new(
                "invalid_grant",
                "the code was issued to another client",
            ));
        }
        Redeemed::Live(grant) => grant,
    };
    check_grant(app, oidc, &client, &grant, &params)?;
    let stands = grant
        .rests
        .stands(app)
        .await
        .map_err(|_| TokenError::server("session lookup"))?;
    if !stands {
        return Err(TokenError::new(
            "invalid_grant",
            "the login this code was issued from has ended",
        ));
    }
    let settings = oidc.provider.settings();
    let Some((access_token, _)) =
        grants::exchange(app, code, &grant, settings.access_token_ttl_seconds)
            .await
            .map_err(|_| TokenError::server("code exchange"))?
    else {
        return Err(TokenError::new("invalid_grant", "the code was used before"));
    };
    let now = app.clock.now_secs();
    let claims = IdTokenClaims {
        iss: oidc.issuer.clone(),
        sub: client.subject(app, &grant.citizen_id),
        aud: client.client_id.clone(),
        exp: now + settings.id_token_ttl_seconds,
        iat: now,
        auth_time: grant.auth_time,
        nonce: grant.nonce.clone(),
        acr: grant.level.acr().to_string(),
        amr: levels::amr(grant.key, grant.rests_on),
        sid: crate::backchannel::sid(app, &client, &grant.rests.session),
    };
    let Some(signer) = oidc.provider.signer() else {
        grants::revoke(app, &grant.grant_id).await.ok();
        return Err(TokenError::server("no signer wired"));
    };
    let id_token = match signer::sign_jwt(signer.as_ref(), &claims).await {
        Ok(token) => token,
        Err(err) => {
            grants::revoke(app, &grant.grant_id).await.ok();
            let what = match err {
                SignerError::Unavailable(_) => "signing service",
                SignerError::BadKey(_) => "signing key",
            };
            tracing::error!(error = %err, "ID token not signed");
            return Err(TokenError::server(what));
        }
    };
    audit::record(app, "oidc.token", Some(&grant.citizen_id), "issued").await;
    tracing::info!(client = %client.client_id, "tokens issued");
    Ok(json_response(
        StatusCode::OK,
        json!({
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": settings.access_token_ttl_seconds,
            "id_token": id_token,
            "scope": grant.scopes.join(" "),
        }),
    )
    .into_response())
}

/// The code belongs to this client and redirect address, is still valid, and the verifier fits.
fn check_grant(
    app: &App,
    oidc: &Oidc,
    client: &Client,
    grant: &CodeGrant,
    params: &Params,
) -> Result<(), TokenError> {
    if grant.client_id != client.client_id {
        return Err(TokenError::new(
            "invalid_grant",
            "the code was issued to another client",
        ));
    }
    if app.clock.now_secs() > grant.issued_at + oidc.provider.settings().code_ttl_seconds {
        return Err(TokenError::new("invalid_grant", "the code has expired"));
    }
    if params.get("redirect_uri") != Some(grant.redirect_uri.as_str()) {
        return Err(TokenError::new(
            "invalid_grant",
            "redirect_uri differs from the authorization request's",
        ));
    }
    let Some(verifier) = params.get("code_verifier") else {
        return Err(TokenError::new(
            "invalid_request",
            "code_verifier is required (PKCE)",
        ));
    };
    if !pkce_matches(verifier, &grant.code_challenge) {
        return Err(TokenError::new(
            "invalid_grant",
            "code_verifier does not match the code_challenge",
        ));
    }
    Ok(())
}

/// RFC 7636 §4.6: `BASE64URL-ENCODE(SHA256(ASCII(code_verifier))) == code_challenge`, for a
/// verifier of 43 to 128 unreserved characters; compared in constant time.
pub fn pkce_matches(verifier: &str, challenge: &str) -> bool {
    let well_formed = (43..=128).contains(&verifier.len())
        && verifier
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._~".contains(c));
    let computed = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    well_formed && bool::from(computed.as_bytes().ct_eq(challenge.as_bytes()))
}

/// The client, authenticated as it registered: HTTP Basic with its secret, or a signed assertion.
async fn authenticate(
    app: &App,
    oidc: &Oidc,
    headers: &HeaderMap,
    params: &Params,
) -> Result<Client, TokenError> {
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "));
    if let Some(credentials) = basic {
        if params.has("client_assertion") {
            return Err(TokenError::new(
                "invalid_request",
                "one client authentication at a time",
            ));
        }
        return authenticate_basic(app, credentials.trim()).await;
    }
    if params.has("client_secret") {
        return Err(TokenError::client(
            "client_secret_post is not supported: use client_secret_basic",
            false,
        ));
    }
    match (
        params.get("client_assertion_type"),
        params.get("client_assertion"),
    ) {
        (Some(JWT_BEARER), Some(assertion)) => {
            authenticate_assertion(app, oidc, assertion, params.get("client_id")).await
        }
        (Some(_), _) => Err(TokenError::client(
            "unsupported client_assertion_type",
            false,
        )),
        _ => Err(TokenError::client(
            "client authentication is required",
            true,
        )),
    }
}

/// RFC 6749 §2.3.1: `Basic base64(urlencode(id) ":" urlencode(secret))`.
async fn authenticate_basic(app: &App, credentials: &str) -> Result<Client, TokenError> {
    let refused = || TokenError::client("the client id or secret is wrong", true);
    let decoded = STANDARD.decode(credentials).map_err(|_| refused())?;
    let text = String::from_utf8(decoded).map_err(|_| refused())?;
    let (id, secret) = text.split_once(':').ok_or_else(refused)?;
    let form_decode = |part: &str| {
        percent_encoding::percent_decode_str(&part.replace('+', " "))
            .decode_utf8()
            .map(|s| s.into_owned())
    };
    let (id, secret) = (
        form_decode(id).map_err(|_| refused())?,
        form_decode(secret).map_err(|_| refused())?,
    );
    let client = clients::get(app, &id)
        .await
        .map_err(|_| TokenError::server("client lookup"))?
        .ok_or_else(refused)?;
    if client.auth_method != AuthMethod::ClientSecretBasic || !client.secret_matches(app, &secret) {
        return Err(refused());
    }
    Ok(client)
}

/// The claims a client assertion must carry (RFC 7523 §3, OpenID Connect Core §9).
#[derive(Debug, Deserialize)]
struct Assertion {
    iss: String,
    sub: String,
    exp: i64,
    jti: String,
}

/// `private_key_jwt`: a JWT signed with one of the client's registered keys, issued and subject
/// the client, for this token endpoint (or the issuer), not expired, never used before.
async fn authenticate_assertion(
    app: &App,
    oidc: &Oidc,
    assertion: &str,
    claimed_id: Option<&str>,
) -> Result<Client, TokenError> {
    let refused =
        |why: &str| TokenError::client(format!("the client assertion is not valid: {why}"), false);
    let header = jsonwebtoken::decode_header(assertion).map_err(|_| refused("not a JWT"))?;
    if !matches!(
        header.alg,
        Algorithm::RS256 | Algorithm::PS256 | Algorithm::ES256
    ) {
        return Err(refused("alg must be RS256, PS256 or ES256"));
    }
    let unverified: Assertion = jsonwebtoken::dangerous::insecure_decode::<Assertion>(assertion)
        .map_err(|_| refused("iss, sub, exp and jti are required"))?
        .claims;
    if claimed_id.is_some_and(|id| id != unverified.iss) {
        return Err(refused("client_id differs from iss"));
    }
    let client = clients::get(app, &unverified.iss)
        .await
        .map_err(|_| TokenError::server("client lookup"))?
        .ok_or_else(|| refused("unknown client"))?;
    if client.auth_method != AuthMethod::PrivateKeyJwt {
        return Err(refused(
            "the client does not authenticate with private_key_jwt",
        ));
    }
    let jwks = client
        .jwks
        .as_ref()
        .ok_or_else(|| refused("no registered keys"))?;
    let jwk = match &header.kid {
        Some(kid) => jwks.find(kid),
        None if jwks.keys.len() == 1 => jwks.keys.first(),
        None => None,
    }
    .ok_or_else(|| refused("no registered key has this kid"))?;
    let key = DecodingKey::from_jwk(jwk).map_err(|_| refused("the registered key is unusable"))?;
    let mut validation = Validation::new(header.alg);
    // Time is checked below on the service's clock; the audience is one of two addresses.
    validation.validate_exp = false;
    validation.required_spec_claims.clear();
    validation.set_audience(&[oidc.endpoint(Route::OidcToken), oidc.issuer.clone()]);
    let verified = jsonwebtoken::decode::<Assertion>(assertion, &key, &validation)
        .map_err(|_| refused("signature or audience"))?
        .claims;
    if verified.sub != client.client_id || verified.iss != client.client_id {
        return Err(refused("iss and sub must be the client_id"));
    }
    if verified.exp <= app.clock.now_secs() {
        return Err(refused("expired"));
    }
    if verified.jti.is_empty() || verified.jti.len() > 256 {
        return Err(refused("jti"));
    }
    let first = grants::first_use_of_assertion(app, &client.client_id, &verified.jti, verified.exp)
        .await
        .map_err(|_| TokenError::server("assertion replay check"))?;
    if !first {
        return Err(refused("this assertion was used before"));
    }
    Ok(client)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_s256_is_rfc_7636_appendix_b() {
        // RFC 7636 Appendix B's example.
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        assert!(pkce_matches(verifier, challenge));
        assert!(!pkce_matches(&verifier.replace('d', "e"), challenge));
        assert!(!pkce_matches("short", challenge));
        assert!(!pkce_matches(challenge, verifier), "plain is not S256");
    }
}
