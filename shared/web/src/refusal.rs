//! Why a step stopped short of the page it was asked for (`StepError`), carried with the request's context as a `Refusal` until it becomes a response at the edge.

use crate::view::View;
use crate::web::{Ctx, error_view};
use axum::response::{IntoResponse, Response};
use http::StatusCode;

/// Why a step answers with something other than the page it was asked for.
#[derive(Debug)]
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
#[derive(Debug)]
pub struct Refusal(Box<(StepError, Ctx)>);

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
