//! Lambda entry point of `select-key`: wiring only.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    keys_core::lambda::serve(select_key::router).await
}
