//! Lambda entry point of `login-app`: wiring only.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    keys_core::lambda::serve(login_app::router).await
}
