//! The domain layer: citizens and keys, codes, flows, key methods, routes, and the ports with their in-process adapters.

pub mod addresses;
pub mod app;
pub mod audit;
pub mod budget;
pub mod calendar;
pub mod citizens;
pub mod clock;
pub mod codes;
pub mod config;
pub mod crypto;
pub mod dispatch;
pub mod flows;
#[cfg(any(test, feature = "harness"))]
pub mod harness;
pub mod input;
pub mod keys;
pub mod lang;
pub mod legacy_passwords;
pub mod logout_notices;
pub mod mailer;
pub mod methods;
pub mod national_number;
pub mod office;
pub mod passwords;
pub mod progress;
pub mod record;
pub mod recovery;
pub mod reminders;
pub mod routes;
pub mod secrets;
pub mod service_request;
pub mod session;
pub mod store;
pub mod support;
pub mod switch;
pub mod throttle;
pub mod totp;

pub use app::App;
