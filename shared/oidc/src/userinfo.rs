//! The userinfo endpoint: claims about the citizen for a bearer access token (OpenID Connect Core §5.3, RFC 6750).

use crate::grants;
use crate::params::{self, Params};
use crate::{Oidc, json_response};
use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use http::{HeaderMap, HeaderValue, StatusCode, header};
use keys_domain::App;
use keys_domain::citizens::{self};
use keys_domain::keys::{KeyKind, KeyState};
use serde_json::{Map, Value, json};

fn refused(status: StatusCode, error: &'static str) -> Response {
    let mut response = json_response(status, json!({ "error": error }));
    let challenge = format!("Bearer realm=\"digital-keys\", error=\"{error}\"");
    if let Ok(value) = HeaderValue::from_str(&challenge) {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, value);
    }
    response
}

/// `GET /oidc/userinfo` (the token in `Authorization: Bearer`).
pub async fn get(State(app): State<App>, oidc: Oidc, headers: HeaderMap) -> Response {
    answer(&app, &oidc, bearer(&headers)).await
}

/// `POST /oidc/userinfo` (the token in the header or, RFC 6750 §2.2, as the form's `access_token`).
pub async fn post(State(app): State<App>, oidc: Oidc, headers: HeaderMap, body: Bytes) -> Response {
    if let Some(token) = bearer(&headers) {
        return answer(&app, &oidc, Some(token)).await;
    }
    if body.len() > params::MAX_BODY_BYTES {
        return refused(StatusCode::BAD_REQUEST, "invalid_request");
    }
    let token = Params::parse_bytes(&body).and_then(|p| p.get("access_token").map(String::from));
    answer(&app, &oidc, token).await
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_string())
}

async fn answer(app: &App, _oidc: &Oidc, token: Option<String>) -> Response {
    let Some(token) = token else {
        return refused(StatusCode::UNAUTHORIZED, "invalid_request");
    };
    let access = match grants::access(app, &token).await {
        Ok(Some(access)) => access,
        Ok(None) => return refused(StatusCode::UNAUTHORIZED, "invalid_token"),
        Err(err) => {
            tracing::error!(error = %err, "userinfo: store failure");
            return json_response(
                StatusCode::SERVICE_UNAVAILABLE,
                json!({ "error": "temporarily_unavailable" }),
            );
        }
    };
    let client = match crate::clients::get(app, &access.client_id).await {
        Ok(Some(client)) => client,
        Ok(None) => return refused(StatusCode::UNAUTHORIZED, "invalid_token"),
        Err(err) => {
            tracing::error!(error = %err, "userinfo: store failure");
            return json_response(
                StatusCode::SERVICE_UNAVAILABLE,
                json!({ "error": "temporarily_unavailable" }),
            );
        }
    };
    let mut claims = Map::new();
    claims.insert(
        "sub".into(),
        Value::String(client.subject(app, &access.citizen_id)),
    );
    if access.scopes.iter().any(|s| s == "email") {
        let citizen = citizens::citizen(app, &access.citizen_id).await;
        let email_key = citizens::key(app, &access.citizen_id, KeyKind::Email).await;
        match (citizen, email_key) {
            (Ok(Some(citizen)), Ok(key)) => {
                claims.insert("email".into(), Value::String(citizen.email));
                // The address is verified when the e-mail key (activated by a code sent there,
                // and kept so by every address change) is active.
                let verified = key.is_some_and(|k| k.state == KeyState::Active);
                claims.insert("email_verified".into(), Value::Bool(verified));
            }
            (Ok(None), _) => return refused(StatusCode::UNAUTHORIZED, "invalid_token"),
            (Err(err), _) | (_, Err(err)) => {
                tracing::error!(error = %err, "userinfo: store failure");
                return json_response(
                    StatusCode::SERVICE_UNAVAILABLE,
                    json!({ "error": "temporarily_unavailable" }),
                );
            }
        }
    }
    json_response(StatusCode::OK, Value::Object(claims))
}
