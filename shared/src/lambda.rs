//! Lambda entry: what every function's `main.rs` calls to serve its router.

use crate::app::App;
use crate::config::Runner;
use crate::web::{StepRouter, finish};

/// Serves one function's router in AWS Lambda behind API Gateway.
pub async fn serve(router: fn() -> StepRouter) -> Result<(), lambda_http::Error> {
    crate::telemetry::init(true);
    let wired = App::from_env(Runner::Lambda).await.inspect_err(|err| {
        tracing::error!(error = %err, "cannot start");
    })?;
    lambda_http::run(finish(router().into_router(), wired.app)).await
}
