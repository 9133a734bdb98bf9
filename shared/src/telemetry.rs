//! Structured logs: JSON lines in Lambda, readable lines locally; never secrets or addresses.

use tracing_subscriber::filter::Targets;

/// Starts logging. `RUST_LOG` narrows or widens it (default `info`), as `level` or
/// `target=level` pairs (`info,keys_domain=debug`): a target filter, without the regular-expression
/// engine a full env filter would link into every function.
pub fn init(json: bool) {
    let filter = std::env::var("RUST_LOG")
        .ok()
        .and_then(|text| text.parse::<Targets>().ok())
        .unwrap_or_else(|| Targets::new().with_default(tracing::Level::INFO));
    let builder = tracing_subscriber::fmt()
        .with_max_level(tracing::level_filters::LevelFilter::TRACE)
        .with_target(false);
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let _ = if json {
        builder
            .json()
            .with_current_span(false)
            .without_time()
            .finish()
            .with(filter)
            .try_init()
    } else {
        builder.compact().finish().with(filter).try_init()
    };
}
