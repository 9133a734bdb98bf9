//! Lambda entry point of `confirmation`: wiring only.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    keys_core::lambda::serve(confirmation::router).await
}
