//! Lambda entry point of `mail-dispatch`: DynamoDB stream batches in, partial-batch failures out.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    keys_core::lambda::serve_mail_dispatch().await
}
