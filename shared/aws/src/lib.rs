//! Digital keys AWS adapters: the DynamoDB store, the SES v2 mailer, the SDK's HTTPS client, and
//! the composition root that wires the `App` from settings.

pub(crate) use keys_domain::{app, clock, config, mailer, secrets, store};

pub mod dynamodb;
pub mod sdk;
pub mod ses;
pub mod wiring;
