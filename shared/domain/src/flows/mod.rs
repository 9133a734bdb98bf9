//! The flows as state machines: each transition checks the state and returns the next one and its effects, or a refusal.

pub mod login;
pub mod profile;
pub mod recovery;
pub mod wizard;

use crate::codes::CodeCheck;
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

/// Why a transition was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    /// The flow is elsewhere (or not under way): show that page.
    Elsewhere(Route),
    Input(BadInput),
    /// A mailed code was not the right one (or no longer live).
    Code(CodeCheck),
    /// A card or app code was refused with this message (`code.invalid`, `code.replayed`).
    CodeMessage(&'static str),
    /// The app's code did not match while pairing; this many tries are left with this secret.
    PairCode {
        tries_left: u8,
    },
    /// The app's code did not match too often: pairing starts again with a new secret.
    PairingRestarts,
}

/// A refused transition: why, and what the refusal still does (an audit event, a counted try).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused<Effect> {
    pub why: Why,
    pub effects: Vec<Effect>,
}

impl<Effect> From<Elsewhere> for Refused<Effect> {
    fn from(Elsewhere(route): Elsewhere) -> Self {
        Refused {
            why: Why::Elsewhere(route),
            effects: Vec::new(),
        }
    }
}

impl<Effect> From<BadInput> for Refused<Effect> {
    fn from(input: BadInput) -> Self {
        Refused {
            why: Why::Input(input),
            effects: Vec::new(),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The page a transition refused to go to another page sends the citizen to (and that the
    /// refusal does nothing else).
    pub fn elsewhere<T: std::fmt::Debug, E: std::fmt::Debug>(
        outcome: Result<T, Refused<E>>,
    ) -> Route {
        match outcome {
            Err(Refused {
                why: Why::Elsewhere(route),
                effects,
            }) if effects.is_empty() => route,
            other => panic!("expected a refusal to another page, got {other:?}"),
        }
    }
}
