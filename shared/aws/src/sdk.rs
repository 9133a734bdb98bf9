//! The AWS SDK settings every client starts from: one HTTPS client (rustls with ring) and the
//! environment's region, credentials and endpoint (`AWS_ENDPOINT_URL` for LocalStack or moto).

use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode};

/// The HTTPS client of every AWS SDK client (the SDK's default would bring aws-lc besides ring).
pub fn https_client() -> aws_sdk_dynamodb::config::SharedHttpClient {
    aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(CryptoMode::Ring))
        .build_https()
}

/// The SDK's configuration loader with this service's HTTPS client; callers may set more.
pub fn loader() -> aws_config::ConfigLoader {
    aws_config::defaults(aws_config::BehaviorVersion::latest()).http_client(https_client())
}

/// The SDK's configuration from the environment.
pub async fn from_env() -> aws_config::SdkConfig {
    loader().load().await
}

/// The SDK's configuration from the environment, giving up on a connection after `connect` and
/// on a call (with its retries) after `operation`: a tool pointed at an endpoint that never
/// answers fails instead of waiting.
pub async fn from_env_within(
    connect: std::time::Duration,
    operation: std::time::Duration,
) -> aws_config::SdkConfig {
    let timeouts = aws_config::timeout::TimeoutConfig::builder()
        .connect_timeout(connect)
        .operation_timeout(operation)
        .build();
    loader().timeout_config(timeouts).load().await
}
