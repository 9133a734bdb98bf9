//! Lambda entry point of `oidc-authorize`: wiring only (the App and the provider's settings; no signer).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    keys_core::lambda::serve_oidc(oidc_authorize::router).await
}
