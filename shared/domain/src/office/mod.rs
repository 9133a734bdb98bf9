//! Registration offices: officers and their console sessions, citizens enrolled in person, and the activation letters officers issue.
//!
//! Officers are staff, not citizens: their accounts live in their own items (`officer#…`), log
//! in with a password and an authenticator app's code, and hold the `officer` role, which every
//! console request checks. Issuing a letter asks for a fresh app code again (step-up).

pub mod enrolments;
pub mod letters;
pub mod officers;
