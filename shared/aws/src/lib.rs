//! The AWS adapters (DynamoDB store, SES v2 mailer, the SDK's HTTPS client) and the wiring of the `App`.

pub mod dynamodb;
#[cfg(feature = "kms")]
pub mod kms;
pub mod permissions;
pub mod sdk;
pub mod ses;
pub mod wiring;
