//! The operators' tool (`keys-admin`): import citizens with their token cards and legacy password hashes, look citizens up, unlock them, read their audit trail, follow the phase-out, remind and list the token holders, redrive the mails the stream could not deliver, and the registration offices' officers, enrolments and activation letters.
//!
//! Everything goes through `keys_domain`'s public functions on the same ports as the Lambda
//! functions (the in-memory store for tests, DynamoDB for real); this crate never builds a table
//! item or knows a key. `main.rs` is the command line over these modules.

pub mod cli;
pub mod connect;
pub mod holders;
pub mod import;
pub mod lookup;
pub mod mail;
pub mod mask;
pub mod office;
pub mod progress;
pub mod remind;
