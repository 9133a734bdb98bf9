//! Lambda entry point of `oidc-backchannel`: wiring only (the App, the provider's settings, the KMS signer, the HTTPS poster); DynamoDB stream batches in, partial-batch failures out.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    keys_core::lambda::serve_logout_notices().await
}
