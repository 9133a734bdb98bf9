//! Why a step stopped short of the page it was asked for (`StepError`), carried with the request's context as a `Refusal` until it becomes a response at the edge.

use crate::view::View;
use crate::web::{Ctx, error_view};
use axum::response::{IntoResponse, Response};
use http::StatusCode;

/// Why a step answers with something other than the page it was asked for.
pub enum StepError {
    /// The store (or another service the step depends on) failed: 503, nothing promised done.
    Unavailable,
    /// The record changed between reading and writing (a double submit): 409, nothing written.
    Conflict,
    /// The flow is on another page, or the request belongs elsewhere: a redirect there (a path of
    /// this service, or a public service's address).
    Elsewhere(String),
    /// A page that says why: the step's page again with a refused input or code, a lockout, a
    /// missing or malformed request (its status says which).
    Refused(View),
}

/// A step's refusal: why, with the request's context as the step left it (its language, format
/// and the cookies it set), so that it renders at the edge exactly as the step would have.
pub struct Refusal(Box<(StepError, Ctx)>);

/// Only what kind of refusal it is: the context's cookies and CSRF key, and the page's data
/// (an address, a username), never reach a log or a panic message.
impl std::fmt::Debug for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let why = match self.why() {
            StepError::Unavailable => "unavailable".to_string(),
            StepError::Conflict => "conflict".to_string(),
            StepError::Elsewhere(_) => "elsewhere".to_string(),
            StepError::Refused(view) => format!("refused ({}, {})", view.step, view.status),
        };
        write!(f, "Refusal({why})")
    }
}

impl Refusal {
    /// Why the step stopped.
    pub fn why(&self) -> &StepError {
        &self.0.0
    }

    /// The refusal with the context `ctx` has now.
    pub fn new(ctx: &Ctx, why: StepError) -> Self {
        Self(Box::new((why, ctx.clone())))
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let (why, ctx) = *self.0;
        match why {
            StepError::Unavailable => ctx.error(StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
            StepError::Conflict => ctx.error(StatusCode::CONFLICT, "conflict"),
            StepError::Elsewhere(to) => ctx.redirect(&to),
            StepError::Refused(view) => ctx.render(view),
        }
    }
}

impl Ctx {
    /// This page instead of the one asked for, saying why.
    pub fn refuse(&self, view: View) -> Refusal {
        Refusal::new(self, StepError::Refused(view))
    }

    /// The `error` page with `status` and message `message_id`.
    pub fn refuse_with(&self, status: StatusCode, message_id: &str) -> Refusal {
        self.refuse(error_view(self.lang, status, message_id))
    }

    /// A redirect to `to` instead of the page asked for.
    pub fn elsewhere(&self, to: &str) -> Refusal {
        Refusal::new(self, StepError::Elsewhere(to.to_string()))
    }

    /// The record changed meanwhile.
    pub fn conflict(&self) -> Refusal {
        Refusal::new(self, StepError::Conflict)
    }

    /// The store failed (`err` is logged: its text names what failed, never a person).
    pub fn unavailable(&self, err: &dyn std::fmt::Display) -> Refusal {
        tracing::error!(path = %self.path, error = %err, "store failure");
        Refusal::new(self, StepError::Unavailable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use keys_domain::routes::Route;

    #[test]
    fn a_refusal_shows_only_its_kind_when_debugged() {
        let view = View::new(Route::ConfirmEmail, Lang::En, "wizard-email-title")
            .data("email", "jan.peeters@example.be".into());
        let (app, _) = keys_domain::harness::test_app();
        let (parts, ()) = http::Request::builder()
            .uri("/activate/confirm-email")
            .body(())
            .expect("a request")
            .into_parts();
        let ctx = Ctx::from_parts(&parts, &app);
        let printed = format!("{:?}", ctx.refuse(view));
        assert_eq!(printed, "Refusal(refused (activate.email, 200 OK))");
        assert!(!printed.contains("jan.peeters"));
        assert_eq!(format!("{:?}", ctx.conflict()), "Refusal(conflict)");
    }
}
