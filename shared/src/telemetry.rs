//! Structured logs: JSON lines in Lambda, readable lines locally; never secrets or addresses.

use tracing_subscriber::EnvFilter;

/// Starts logging. `RUST_LOG` narrows or widens it (default `info`).
pub fn init(json: bool) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false);
    let _ = if json {
        builder
            .json()
            .with_current_span(false)
            .without_time()
            .try_init()
    } else {
        builder.compact().try_init()
    };
}
