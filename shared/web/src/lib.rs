//! The web layer: step handlers, views (askama HTML or the JSON contract), translations, e-mails and the HTTP glue.

// Handlers answer `Result<Response, Response>`: the refusal is a page as large as the success.
#![allow(clippy::result_large_err)]

pub mod i18n;
pub mod mails;
pub mod steps;
pub mod view;
pub mod web;
