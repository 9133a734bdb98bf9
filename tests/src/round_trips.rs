//! Counts DynamoDB round trips per HTTP request along the journeys: the in-process runner over a
//! counting `Store` (on memory or on the emulator), one row per request.

use crate::{Service, emulator, listen};
use keys_core::dispatch::OUTBOX_PK;
use keys_core::store::counting::CountingStore;
use keys_core::testing::test_harness;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// The store calls one HTTP request made.
#[derive(Debug, Clone)]
pub struct Row {
    /// `POST /login` and the like (no query string).
    pub request: String,
    pub calls: BTreeMap<&'static str, usize>,
}

impl Row {
    pub fn total(&self) -> usize {
        self.calls.values().sum()
    }
}

/// Every request's row, in order.
pub struct Ledger {
    store: Arc<CountingStore>,
    rows: Mutex<Vec<Row>>,
}

impl Ledger {
    /// The rows recorded since the last call, and forgets them.
    pub fn take(&self) -> Vec<Row> {
        std::mem::take(&mut *self.rows.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

/// The table of `rows` as text: one line per request, then the total.
pub fn table(title: &str, rows: &[Row]) -> String {
    let mut out = format!("{title}\n");
    for (n, row) in rows.iter().enumerate() {
        let detail: Vec<String> = row
            .calls
            .iter()
            .map(|(op, c)| format!("{op}×{c}"))
            .collect();
        out.push_str(&format!(
            "  {:>2}  {:<34} {:>2}  {}\n",
            n + 1,
            row.request,
            row.total(),
            detail.join(" ")
        ));
    }
    let total: usize = rows.iter().map(Row::total).sum();
    out.push_str(&format!(
        "  total: {total} calls over {} requests\n",
        rows.len()
    ));
    out
}

fn counted_router(
    app: &mut keys_core::app::App,
    outbox: Option<Arc<keys_core::mailer::outbox::Outbox>>,
) -> (axum::Router, Arc<Ledger>) {
    let store = Arc::new(CountingStore::new(app.store.clone()).ignoring(OUTBOX_PK));
    app.store = store.clone();
    let ledger = Arc::new(Ledger {
        store,
        rows: Mutex::new(Vec::new()),
    });
    let recorder = ledger.clone();
    let router = local::router(app.clone(), outbox).layer(axum::middleware::from_fn(
        move |request: axum::extract::Request, next: axum::middleware::Next| {
            let ledger = recorder.clone();
            async move {
                let name = format!("{} {}", request.method(), request.uri().path());
                ledger.store.take();
                let response = next.run(request).await;
                let calls = ledger.store.take();
                if !name.contains(" /_local/") {
                    ledger
                        .rows
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .push(Row {
                            request: name,
                            calls,
                        });
                }
                response
            }
        },
    ));
    (router, ledger)
}

/// The in-process runner on the memory store, counting.
pub async fn on_memory() -> (Service, Arc<Ledger>) {
    let mut harness = test_harness(|_| {});
    let (router, ledger) = counted_router(&mut harness.app, Some(harness.outbox.clone()));
    let service = Service {
        base: listen(router).await,
        local: Some(harness),
        emulator: None,
    };
    (service, ledger)
}

/// The in-process runner on the emulator's DynamoDB and SES (`AWS_ENDPOINT_URL`), counting.
pub async fn on_emulator() -> (Service, Arc<Ledger>) {
    let mut wired = crate::wire_on_emulator("roundtrips", |_| {}).await;
    let (router, ledger) = counted_router(&mut wired.app, wired.outbox);
    let service = Service {
        base: listen(router).await,
        local: None,
        emulator: Some(emulator::endpoint()),
    };
    (service, ledger)
}
