//! The in-memory test `App` (memory store, outbox, movable clock, fixed secret), for tests and the `harness` feature only.

use crate::clock::ManualClock;
use std::sync::Arc;

/// An `App` on the in-memory adapters, a movable clock and a fixed secret, for unit tests.
pub struct TestApp {
    pub app: crate::app::App,
    pub clock: Arc<ManualClock>,
    pub store: Arc<crate::store::memory::MemoryStore>,
    pub outbox: Arc<crate::mailer::outbox::Outbox>,
}

/// A test `App` whose settings `adjust` may change.
pub fn test_harness(adjust: impl FnOnce(&mut crate::config::Settings)) -> TestApp {
    use crate::config::{Runner, Settings};
    let clock = Arc::new(ManualClock::new(
        time::macros::datetime!(2026-11-22 10:00 UTC),
    ));
    let mut settings = match Settings::from_lookup(
        |_| None,
        Runner::Local,
        crate::clock::Clock::now(clock.as_ref()),
    ) {
        Ok(settings) => settings,
        Err(err) => panic!("default settings: {err}"),
    };
    adjust(&mut settings);
    let store = Arc::new(crate::store::memory::MemoryStore::new(clock.clone()));
    let outbox = Arc::new(crate::mailer::outbox::Outbox::new(clock.clone()));
    let app = crate::app::App {
        store: store.clone(),
        mailer: outbox.clone(),
        clock: clock.clone(),
        secrets: Arc::new(crate::secrets::MasterSecret::new([42; 32])),
        settings: Arc::new(settings),
        deliver_in_process: true,
    };
    TestApp {
        app,
        clock,
        store,
        outbox,
    }
}

/// A test `App` with default settings and its clock.
pub fn test_app() -> (crate::app::App, Arc<ManualClock>) {
    test_app_with(|_| {})
}

/// A test `App` with adjusted settings and its clock.
pub fn test_app_with(
    adjust: impl FnOnce(&mut crate::config::Settings),
) -> (crate::app::App, Arc<ManualClock>) {
    let harness = test_harness(adjust);
    (harness.app, harness.clock)
}
