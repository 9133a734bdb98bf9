//! Lambda entry point of `activate-email`: wiring only.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    keys_core::lambda::serve(activate_email::router).await
}
