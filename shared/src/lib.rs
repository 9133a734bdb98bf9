//! One name for the layers under `shared/` (domain, web, AWS adapters; the test kit with `testing`) and the Lambda entry.

pub use keys_aws::sdk as aws;
pub use keys_aws::{permissions, wiring};
pub use keys_domain::{
    App, app, audit, citizens, clock, codes, config, crypto, dispatch, flows, keys, lang,
    logout_notices, methods, national_number, office, passwords, progress, record, reminders,
    routes, secrets, session, support, switch, throttle, totp,
};
pub use keys_web::{i18n, mails, steps, view, web};

#[cfg(feature = "testing")]
pub use keys_testkit as testing;

pub mod lambda;
#[cfg(feature = "stream")]
pub mod stream;
pub mod telemetry;

/// Persistence: the port with its in-memory adapter, and the DynamoDB adapter.
pub mod store {
    pub use keys_aws::dynamodb;
    pub use keys_domain::store::*;
}

/// E-mail: the port with its local outbox, and the SES v2 adapter.
pub mod mailer {
    pub use keys_aws::ses;
    pub use keys_domain::mailer::*;
}
