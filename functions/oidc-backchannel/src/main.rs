//! Lambda entry point of `oidc-backchannel`: wiring only (the App, the provider's settings, the KMS signer, the HTTPS poster); DynamoDB stream batches in, partial-batch failures out.

use keys_core::config::Runner;
use lambda_http::lambda_runtime::{self, LambdaEvent, service_fn};
use std::sync::Arc;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    keys_core::telemetry::init(true);
    let wired = keys_core::wiring::from_env(Runner::Lambda).await?;
    let settings = keys_oidc::OidcSettings::from_env(Runner::Lambda)?;
    let signer = keys_aws::kms::signer_from_settings(&settings, Runner::Lambda).await?;
    let poster = Arc::new(keys_oidc::backchannel::HttpsPoster::new()?);
    let delivery = keys_oidc::Provider::new(settings, Some(signer))
        .logout_delivery(wired.app, poster)
        .ok_or("no issuer or signer for logout tokens")?;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<serde_json::Value>| {
        let delivery = delivery.clone();
        async move {
            Ok::<_, lambda_http::Error>(delivery.deliver_stream_batch(&event.payload).await)
        }
    }))
    .await
}
