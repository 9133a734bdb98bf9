//! Lambda entry point of `confirm-email`: wiring only.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    keys_core::lambda::serve(confirm_email::router).await
}
