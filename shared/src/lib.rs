//! Digital keys core: domain, flows, views, translations, and the ports with their adapters.

// Handlers answer `Result<Response, Response>`: the refusal is a page as large as the success.
#![allow(clippy::result_large_err)]

pub mod app;
pub mod audit;
pub mod aws;
pub mod clock;
pub mod codes;
pub mod config;
pub mod crypto;
pub mod dispatch;
pub mod domain;
pub mod flows;
pub mod i18n;
pub mod lambda;
pub mod mailer;
pub mod mails;
pub mod permissions;
pub mod routes;
pub mod secrets;
pub mod session;
pub mod steps;
pub mod store;
pub mod telemetry;
pub mod testing;
pub mod throttle;
pub mod totp;
pub mod view;
pub mod web;
pub mod wiring;
pub mod wizard;

pub use app::App;
