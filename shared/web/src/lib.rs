//! The web layer: step handlers, views (askama HTML or the JSON contract), translations, e-mails and the HTTP glue.

// Handlers answer `Result<Response, Response>`: the refusal is a page as large as the success.
#![allow(clippy::result_large_err)]

pub(crate) use keys_domain::{
    app, audit, budget, codes, crypto, domain, flows, input, legacy_passwords, mailer, methods,
    passwords, record, routes, secrets, service_request, session, store, throttle, totp, wizard,
};

pub mod i18n;
pub mod mails;
pub mod steps;
pub mod view;
pub mod web;
