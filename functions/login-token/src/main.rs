//! Lambda entry point of `login-token`: wiring only.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    keys_core::lambda::serve(login_token::router).await
}
