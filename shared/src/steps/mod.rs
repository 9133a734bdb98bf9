//! The handlers of every step; the function crates only mount them on their routes.

pub mod keys;
pub mod login;
pub mod pending;
pub mod token;

use crate::app::App;
use crate::session::{Session, current_session};
use crate::store::StoreError;
use crate::throttle;
use crate::web::Ctx;
use axum::response::Response;
use http::StatusCode;

/// A handler's answer: the page, or the page that explains why not.
pub type Page = Result<Response, Response>;

/// Turns a store failure into the 503 `error` view (and a log line without personal data).
pub trait OrUnavailable<T> {
    fn or_unavailable(self, ctx: &Ctx) -> Result<T, Response>;
}

impl<T> OrUnavailable<T> for Result<T, StoreError> {
    fn or_unavailable(self, ctx: &Ctx) -> Result<T, Response> {
        self.map_err(|err| {
            tracing::error!(path = %ctx.path, error = %err, "store failure");
            ctx.error(StatusCode::SERVICE_UNAVAILABLE, "unavailable")
        })
    }
}

/// The logged-in citizen's session, or a redirect to the login page that comes back here.
pub async fn require_session(app: &App, ctx: &Ctx) -> Result<Session, Response> {
    match current_session(app, ctx).await.or_unavailable(ctx)? {
        Some(session) => Ok(session),
        None => {
            let back =
                serde_urlencoded::to_string([("return_to", ctx.path.as_str())]).unwrap_or_default();
            Err(ctx.redirect(&format!("/login?{back}")))
        }
    }
}

/// Refuses the request with 429 when the client's address is over its rate limit.
pub async fn require_rate_allowance(app: &App, ctx: &Ctx) -> Result<(), Response> {
    if throttle::allow_request(app, &ctx.client_ip)
        .await
        .or_unavailable(ctx)?
    {
        Ok(())
    } else {
        Err(ctx.error(StatusCode::TOO_MANY_REQUESTS, "rate_limited"))
    }
}

/// `GET /`: My digital keys for a logged-in citizen, the login page for anyone else.
pub async fn home(axum::extract::State(app): axum::extract::State<App>, ctx: Ctx) -> Page {
    let session = current_session(&app, &ctx).await.or_unavailable(&ctx)?;
    Ok(ctx.redirect(if session.is_some() { "/keys" } else { "/login" }))
}
