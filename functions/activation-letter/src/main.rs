//! Lambda entry point of `activation-letter`: wiring only.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    keys_core::lambda::serve(activation_letter::router).await
}
