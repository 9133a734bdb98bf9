//! Lambda entry: what every function's `main.rs` calls to serve its router.

use crate::config::Runner;
use crate::web::{StepRouter, finish};

/// What every function does first: logging, then the App from the environment. A function that
/// cannot start says why in its log before it ends.
async fn start() -> Result<crate::wiring::Wired, lambda_http::Error> {
    crate::telemetry::init(true);
    let wired = crate::wiring::from_env(Runner::Lambda)
        .await
        .inspect_err(|err| {
            tracing::error!(error = %err, "cannot start");
        })?;
    Ok(wired)
}

/// Logs why a function cannot start, and hands the error on.
fn cannot_start<E: std::fmt::Display>(err: E) -> E {
    tracing::error!(error = %err, "cannot start");
    err
}

/// Serves one function's router in AWS Lambda behind API Gateway.
pub async fn serve(router: fn() -> StepRouter) -> Result<(), lambda_http::Error> {
    let wired = start().await?;
    lambda_http::run(finish(router().into_router(), wired.app)).await
}

/// Serves an OpenID Connect function's router that signs nothing (authorize, userinfo).
#[cfg(feature = "oidc")]
pub async fn serve_oidc(router: fn() -> StepRouter) -> Result<(), lambda_http::Error> {
    let wired = start().await?;
    let settings = keys_oidc::OidcSettings::from_env(Runner::Lambda).map_err(cannot_start)?;
    let provider = keys_oidc::Provider::new(settings, None);
    lambda_http::run(provider.serve(router(), wired.app)).await
}

/// The provider with its KMS signer, for the functions that sign or publish keys.
#[cfg(feature = "oidc-signer")]
async fn signing_provider()
-> Result<(crate::wiring::Wired, keys_oidc::Provider), lambda_http::Error> {
    let wired = start().await?;
    let settings = keys_oidc::OidcSettings::from_env(Runner::Lambda).map_err(cannot_start)?;
    let signer = keys_aws::kms::signer_from_settings(&settings, Runner::Lambda)
        .await
        .map_err(cannot_start)?;
    Ok((wired, keys_oidc::Provider::new(settings, Some(signer))))
}

/// Serves an OpenID Connect function's router with the KMS signer (discovery, token, logout).
#[cfg(feature = "oidc-signer")]
pub async fn serve_oidc_signing(router: fn() -> StepRouter) -> Result<(), lambda_http::Error> {
    let (wired, provider) = signing_provider().await?;
    lambda_http::run(provider.serve(router(), wired.app)).await
}

/// Runs `oidc-backchannel` on the table's stream: signs and posts the logout tokens of the
/// notices a batch inserted, answering partial-batch failures.
#[cfg(all(feature = "oidc-signer", feature = "stream"))]
pub async fn serve_logout_notices() -> Result<(), lambda_http::Error> {
    use aws_lambda_events::event::dynamodb::Event;
    use lambda_http::lambda_runtime::{self, LambdaEvent, service_fn};
    use std::sync::Arc;
    let (wired, provider) = signing_provider().await?;
    let poster = Arc::new(keys_oidc::backchannel::HttpsPoster::new().map_err(cannot_start)?);
    let delivery = provider
        .logout_delivery(wired.app, poster)
        .ok_or_else(|| cannot_start("no issuer or signer for logout tokens"))?;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Event>| {
        let delivery = delivery.clone();
        async move {
            let records = event.payload.records.len();
            let inserted = crate::stream::inserted_items(&event.payload);
            let to_retry = delivery.deliver_inserted(inserted).await;
            tracing::info!(
                records,
                to_retry = to_retry.len(),
                "stream batch of logout notices"
            );
            Ok::<_, lambda_http::Error>(crate::stream::retry(to_retry))
        }
    }))
    .await
}
/// Runs `mail-dispatch` on the table's stream: sends the outbox mails a batch inserted,
/// answering partial-batch failures.
#[cfg(feature = "stream")]
pub async fn serve_mail_dispatch() -> Result<(), lambda_http::Error> {
    use aws_lambda_events::event::dynamodb::Event;
    use lambda_http::lambda_runtime::{self, LambdaEvent, service_fn};
    let wired = start().await?;
    let app = wired.app;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Event>| {
        let app = app.clone();
        async move {
            let records = event.payload.records.len();
            let inserted = crate::stream::inserted_items(&event.payload);
            let to_retry = crate::dispatch::deliver_inserted(&app, inserted).await;
            tracing::info!(
                records,
                to_retry = to_retry.len(),
                "stream batch of notification mails"
            );
            Ok::<_, lambda_http::Error>(crate::stream::retry(to_retry))
        }
    }))
    .await
}
