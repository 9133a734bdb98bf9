//! Discovery (OpenID Connect Discovery 1.0 §3) and the JWKS of the ID-token signing keys.

use crate::clients::{AuthMethod, SCOPES};
use crate::levels::Level;
use crate::signer;
use crate::{Oidc, json_response};
use axum::extract::State;
use axum::response::Response;
use http::StatusCode;
use keys_domain::App;
use keys_domain::lang::Lang;
use keys_domain::routes::Route;
use serde_json::{Value, json};

/// The provider's metadata at `issuer`.
pub fn metadata(oidc: &Oidc) -> Value {
    json!({
        "issuer": oidc.issuer,
        "authorization_endpoint": oidc.endpoint(Route::OidcAuthorize),
        "token_endpoint": oidc.endpoint(Route::OidcToken),
        "userinfo_endpoint": oidc.endpoint(Route::OidcUserinfo),
        "jwks_uri": oidc.endpoint(Route::OidcJwks),
        "end_session_endpoint": oidc.endpoint(Route::OidcLogout),
        "scopes_supported": SCOPES,
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "token_endpoint_auth_methods_supported": [
            AuthMethod::ClientSecretBasic.as_str(),
            AuthMethod::PrivateKeyJwt.as_str(),
        ],
        "token_endpoint_auth_signing_alg_values_supported": ["RS256", "PS256", "ES256"],
        "code_challenge_methods_supported": ["S256"],
        "acr_values_supported": Level::ALL.iter().map(|l| l.acr()).collect::<Vec<_>>(),
        "claims_supported": [
            "iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "acr", "amr", "sid", "email",
            "email_verified",
        ],
        "ui_locales_supported": Lang::ALL.iter().map(|l| l.code()).collect::<Vec<_>>(),
        "claims_parameter_supported": false,
        "request_parameter_supported": false,
        "request_uri_parameter_supported": false,
        "authorization_response_iss_parameter_supported": true,
        "backchannel_logout_supported": true,
        "backchannel_logout_session_supported": true,
    })
}

/// `GET /.well-known/openid-configuration`.
pub async fn configuration(oidc: Oidc) -> Response {
    json_response(StatusCode::OK, metadata(&oidc))
}

/// `GET /oidc/jwks`: every published signing key (two during a rotation).
pub async fn jwks(State(_app): State<App>, oidc: Oidc) -> Response {
    let Some(signer) = oidc.provider.signer() else {
        tracing::error!("JWKS: no signer wired");
        return json_response(
            StatusCode::SERVICE_UNAVAILABLE,
            json!({ "error": "temporarily_unavailable" }),
        );
    };
    match signer::jwks(signer.as_ref()).await {
        Ok(set) => json_response(
            StatusCode::OK,
            serde_json::to_value(set).unwrap_or_else(|_| json!({ "keys": [] })),
        ),
        Err(err) => {
            tracing::error!(error = %err, "JWKS: public keys unavailable");
            json_response(
                StatusCode::SERVICE_UNAVAILABLE,
                json!({ "error": "temporarily_unavailable" }),
            )
        }
    }
}
