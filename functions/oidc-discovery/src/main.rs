//! Lambda entry point of `oidc-discovery`: wiring only (the App, the provider's settings and the KMS signer).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    keys_core::lambda::serve_oidc_signing(oidc_discovery::router).await
}
