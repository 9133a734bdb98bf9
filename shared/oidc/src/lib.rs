//! The OpenID Connect provider: public services receive a signed statement of who logged in and with what level of key.
//!
//! Code flow only, PKCE S256 required (OpenID Connect Core 1.0 as the Basic OP profile tests it,
//! RFC 7636, RFC 9207's `iss`, RP-Initiated Logout 1.0). Its state lives in the table through the
//! `Store` port ([`clients`], [`grants`]); ID tokens are signed through the [`signer::Signer`] port
//! (AWS KMS in Lambda, a local RSA key in the local runner). The handlers are mounted by the
//! `oidc-*` functions and the local runner, with a [`Provider`] as a request extension.

pub mod authorize;
pub mod backchannel;
pub mod clients;
pub mod dev;
pub mod discovery;
pub mod grants;
pub mod levels;
pub mod logout;
pub mod params;
pub mod settings;
pub mod signer;
pub mod token;
pub mod userinfo;

pub use settings::OidcSettings;

use axum::extract::FromRequestParts;
use axum::response::Response;
use http::StatusCode;
use http::request::Parts;
use keys_domain::App;
use keys_web::web::{Ctx, StepRouter};
use signer::Signer;
use std::sync::Arc;

/// What the provider's handlers need besides the `App`: its settings and, where the function
/// signs or publishes keys, the signer.
#[derive(Clone)]
pub struct Provider {
    settings: Arc<OidcSettings>,
    signer: Option<Arc<dyn Signer>>,
}

impl Provider {
    pub fn new(settings: OidcSettings, signer: Option<Arc<dyn Signer>>) -> Self {
        Self {
            settings: Arc::new(settings),
            signer,
        }
    }

    pub fn settings(&self) -> &OidcSettings {
        &self.settings
    }

    /// The signer, if this function has one (discovery, token and logout do).
    pub fn signer(&self) -> Option<&Arc<dyn Signer>> {
        self.signer.as_ref()
    }

    /// What delivers back-channel logout tokens for `app`, posting with `poster`: `None` without
    /// an issuer or a signer.
    pub fn logout_delivery(
        &self,
        app: App,
        poster: Arc<dyn backchannel::Poster>,
    ) -> Option<backchannel::Delivery> {
        Some(backchannel::Delivery {
            app,
            issuer: self.settings.issuer.clone()?,
            signer: self.signer.clone()?,
            poster,
        })
    }

    /// A function's routes with the provider attached and every common layer (`web::finish`).
    pub fn serve(&self, router: StepRouter, app: App) -> axum::Router {
        keys_web::web::finish(
            router.into_router().layer(axum::Extension(self.clone())),
            app,
        )
    }
}

/// The provider of this request, and the issuer it answers as.
pub struct Oidc {
    pub provider: Provider,
    /// `OIDC_ISSUER` (the local runner's default: its own address).
    pub issuer: String,
}

impl Oidc {
    /// The address of one of the provider's paths, under the issuer.
    pub fn endpoint(&self, route: keys_domain::routes::Route) -> String {
        format!("{}{}", self.issuer, route.path())
    }
}

impl FromRequestParts<App> for Oidc {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Response> {
        let Some(provider) = parts.extensions.get::<Provider>().cloned() else {
            tracing::error!(path = %parts.uri.path(), "the OpenID Connect provider is not wired");
            return Err(
                Ctx::from_parts(parts, app).error(StatusCode::SERVICE_UNAVAILABLE, "unavailable")
            );
        };
        // Never the request's own Host: every token carries the one issuer services registered
        // with, whatever address a request came to.
        let Some(issuer) = provider.settings.issuer.clone() else {
            tracing::error!("OIDC_ISSUER is not set: the provider cannot answer");
            return Err(
                Ctx::from_parts(parts, app).error(StatusCode::SERVICE_UNAVAILABLE, "unavailable")
            );
        };
        Ok(Oidc { provider, issuer })
    }
}

/// A JSON answer with the headers RFC 6749 §5.1 asks of token responses (no caching).
pub(crate) fn json_response(status: StatusCode, body: serde_json::Value) -> Response {
    use axum::response::IntoResponse;
    (
        status,
        [
            (http::header::CONTENT_TYPE, "application/json"),
            (http::header::PRAGMA, "no-cache"),
        ],
        body.to_string(),
    )
        .into_response()
}
