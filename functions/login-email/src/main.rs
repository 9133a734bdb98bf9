//! Lambda entry point of `login-email`: wiring only.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    keys_core::lambda::serve(login_email::router).await
}
