//! Digital keys web layer: the step handlers, the views (HTML by askama or the JSON view
//! contract), translations (Fluent), the e-mails and the HTTP glue (axum).

// Handlers answer `Result<Response, Response>`: the refusal is a page as large as the success.
#![allow(clippy::result_large_err)]

pub(crate) use keys_domain::{
    app, audit, codes, crypto, domain, flows, mailer, methods, routes, secrets, session, store,
    throttle, totp, wizard,
};

pub mod i18n;
pub mod mails;
pub mod steps;
pub mod view;
pub mod web;
