//! Lambda entry point of `activate-app`: wiring only.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    keys_core::lambda::serve(activate_app::router).await
}
