//! The local runner's dev-only endpoint to register clients (`POST /_local/oidc/clients`); operators use `oidc-client`.

use crate::clients::{self, RegisterError, Registration};
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use http::StatusCode;
use keys_domain::App;
use serde_json::json;

/// `POST /_local/oidc/clients` with a registration as JSON (`clients::Registration`); answers the
/// client (and its secret, shown this once) with 201.
pub fn router(app: App) -> Router {
    Router::new()
        .route("/_local/oidc/clients", post(register))
        .with_state(app)
}

/// The answer to a registration, as the dev endpoint and `oidc-client register` print it.
pub fn registered_json(registered: &clients::Registered) -> serde_json::Value {
    let client = &registered.client;
    json!({
        "client_id": client.client_id,
        "client_secret": registered.client_secret,
        "name": client.name,
        "display_names": client.display_names,
        "redirect_uris": client.redirect_uris,
        "post_logout_redirect_uris": client.post_logout_redirect_uris,
        "backchannel_logout_uri": client.backchannel_logout_uri,
        "scopes": client.scopes,
        "min_level": client.min_level,
        "token_endpoint_auth_method": client.auth_method,
        "sector": client.sector,
    })
}

async fn register(State(app): State<App>, body: axum::body::Bytes) -> Response {
    let registration: Registration = match serde_json::from_slice(&body) {
        Ok(registration) => registration,
        Err(err) => {
            return (
                StatusCode::BAD_REQUEST,
                axum::Json(json!({ "error": err.to_string() })),
            )
                .into_response();
        }
    };
    match clients::register(&app, registration).await {
        Ok(registered) => (
            StatusCode::CREATED,
            axum::Json(registered_json(&registered)),
        )
            .into_response(),
        Err(RegisterError::Invalid(why)) => {
            (StatusCode::BAD_REQUEST, axum::Json(json!({ "error": why }))).into_response()
        }
        Err(RegisterError::Taken) => (
            StatusCode::CONFLICT,
            axum::Json(json!({ "error": "a client with this id exists" })),
        )
            .into_response(),
        Err(RegisterError::Store(err)) => (
            StatusCode::SERVICE_UNAVAILABLE,
            axum::Json(json!({ "error": err.to_string() })),
        )
            .into_response(),
    }
}
