//! Lambda entry point of `my-keys`: wiring only.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    keys_core::lambda::serve(my_keys::router).await
}
