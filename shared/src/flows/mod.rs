//! The flows as explicit state machines: each transition one function from the current state and
//! what the handler found out to the next state and the effects to run, or a refusal.

pub mod login;
pub mod wizard;

use crate::routes::Route;

/// An audit event a transition asks for: what happened and how it ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Audit {
    pub event: &'static str,
    pub outcome: &'static str,
}

impl Audit {
    pub const fn new(event: &'static str, outcome: &'static str) -> Self {
        Self { event, outcome }
    }
}

/// Why an input is not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// Missing or malformed (422).
    Unprocessable,
    /// Acceptable, but in conflict with what is already so (409).
    Conflict,
}

/// A field's input the flow does not accept: the page again with `message` tied to `field`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadInput {
    pub field: &'static str,
    pub message: &'static str,
    pub problem: Problem,
}

impl BadInput {
    pub const fn unprocessable(field: &'static str, message: &'static str) -> Self {
        Self {
            field,
            message,
            problem: Problem::Unprocessable,
        }
    }
}

/// The flow is not in a state for this request: the citizen belongs on `Route`'s page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Elsewhere(pub Route);
