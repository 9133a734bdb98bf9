//! Lambda entry: what every function's `main.rs` calls to serve its router.

use crate::config::Runner;
use crate::web::{StepRouter, finish};

/// Serves one function's router in AWS Lambda behind API Gateway.
pub async fn serve(router: fn() -> StepRouter) -> Result<(), lambda_http::Error> {
    crate::telemetry::init(true);
    let wired = crate::wiring::from_env(Runner::Lambda)
        .await
        .inspect_err(|err| {
            tracing::error!(error = %err, "cannot start");
        })?;
    lambda_http::run(finish(router().into_router(), wired.app)).await
}

/// Runs `mail-dispatch` on the table's stream, answering partial-batch failures.
pub async fn serve_mail_dispatch() -> Result<(), lambda_http::Error> {
    use lambda_http::lambda_runtime::{self, LambdaEvent, service_fn};
    crate::telemetry::init(true);
    let wired = crate::wiring::from_env(Runner::Lambda)
        .await
        .inspect_err(|err| {
            tracing::error!(error = %err, "cannot start");
        })?;
    let app = wired.app;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<serde_json::Value>| {
        let app = app.clone();
        async move {
            Ok::<_, lambda_http::Error>(
                crate::dispatch::deliver_stream_batch(&app, &event.payload).await,
            )
        }
    }))
    .await
}
