//! Lambda entry point of `oidc-token`: wiring only (the App, the provider's settings and the KMS signer).

use keys_core::config::Runner;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    keys_core::telemetry::init(true);
    let wired = keys_core::wiring::from_env(Runner::Lambda).await?;
    let settings = keys_oidc::OidcSettings::from_env(Runner::Lambda)?;
    let signer = keys_aws::kms::signer_from_settings(&settings, Runner::Lambda).await?;
    let provider = keys_oidc::Provider::new(settings, Some(signer));
    lambda_http::run(provider.serve(oidc_token::router(), wired.app)).await
}
