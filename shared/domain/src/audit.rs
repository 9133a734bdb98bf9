//! Audit events: every login attempt and key change leaves a record in the table and the log.

use crate::app::App;
use crate::crypto::random_short_id;
use crate::store::{Item, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use time::format_description::well_known::Rfc3339;

/// Orders the events one process records within the same instant.
static SEQUENCE: AtomicU64 = AtomicU64::new(0);

/// How long audit events are kept (about 13 months).
const KEEP_SECONDS: i64 = 400 * 24 * 3600;

/// Records what happened. Audit must never break the citizen's request, so a failure is only logged.
pub async fn record(app: &App, event: &str, citizen_id: Option<&str>, outcome: &str) {
    let who = citizen_id.unwrap_or("unknown");
    tracing::info!(audit = event, citizen = who, outcome, "audit");
    if let Err(err) = app.store.put(entry(app, event, who, outcome), None).await {
        tracing::error!(audit = event, error = %err, "audit event could not be stored");
    }
}

/// The transaction write that records an event together with the change it is about.
pub fn write(app: &App, event: &str, citizen_id: &str, outcome: &str) -> Write {
    Write::Put {
        item: entry(app, event, citizen_id, outcome),
        condition: None,
    }
}

/// Where the request an audit event comes from: client address, user agent, request id (the API
/// Gateway's, which is also in the function's log lines and the `x-request-id` header).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestInfo {
    pub ip: String,
    pub user_agent: String,
    pub request_id: String,
}

/// The longest user agent kept in an audit event.
pub const USER_AGENT_MAX_CHARS: usize = 256;

tokio::task_local! {
    static REQUEST: RequestInfo;
    static ACTOR: String;
}

/// Runs `work` (an operator's command) with `actor` (the operator's id) on every audit event it
/// records: who did it, besides whom it was about.
pub async fn acting_as<F: std::future::Future>(actor: String, work: F) -> F::Output {
    ACTOR.scope(actor, work).await
}

/// The operator or officer whose action is being recorded, if any.
pub fn current_actor() -> Option<String> {
    ACTOR.try_with(Clone::clone).ok()
}

/// Runs `work` (a request's handling) with `info` for the audit events it records.
pub async fn within<F: std::future::Future>(info: RequestInfo, work: F) -> F::Output {
    REQUEST.scope(info, work).await
}

/// The request being handled, if any (not in a tool or a stream handler).
pub fn current_request() -> Option<RequestInfo> {
    REQUEST.try_with(Clone::clone).ok()
}

fn entry(app: &App, event: &str, who: &str, outcome: &str) -> Item {
    let now = app.clock.now();
    let stamp = now.format(&Rfc3339).unwrap_or_default();
    let item = Item::new(
        format!("audit#{who}"),
        format!(
            "{stamp}#{:012}#{}",
            SEQUENCE.fetch_add(1, Ordering::Relaxed),
            random_short_id()
        ),
    )
    .expiring_at(now.unix_timestamp() + KEEP_SECONDS)
    .with_s("event", event)
    .with_s("outcome", outcome)
    .with_n("at", now.unix_timestamp());
    let item = match current_actor() {
        Some(actor) => item.with_s("actor", actor),
        None => item,
    };
    match current_request() {
        Some(request) => item
            .with_s("ip", request.ip)
            .with_s(
                "user_agent",
                request
                    .user_agent
                    .chars()
                    .take(USER_AGENT_MAX_CHARS)
                    .collect::<String>(),
            )
            .with_s("request_id", request.request_id),
        None => item,
    }
}

/// The audit events of a citizen, oldest first, as (event, outcome) pairs.
pub async fn events_of(
    app: &App,
    citizen_id: &str,
) -> Result<Vec<(String, String)>, crate::store::StoreError> {
    Ok(app
        .store
        .query(&format!("audit#{citizen_id}"), "")
        .await?
        .into_iter()
        .map(|item| {
            (
                item.s("event").unwrap_or_default().to_string(),
                item.s("outcome").unwrap_or_default().to_string(),
            )
        })
        .collect())
}
