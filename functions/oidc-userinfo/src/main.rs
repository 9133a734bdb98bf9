//! Lambda entry point of `oidc-userinfo`: wiring only (the App and the provider's settings; no signer).

use keys_core::config::Runner;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    keys_core::telemetry::init(true);
    let wired = keys_core::wiring::from_env(Runner::Lambda).await?;
    let settings = keys_oidc::OidcSettings::from_env(Runner::Lambda)?;
    let provider = keys_oidc::Provider::new(settings, None);
    lambda_http::run(provider.serve(oidc_userinfo::router(), wired.app)).await
}
