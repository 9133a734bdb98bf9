//! DynamoDB round trips per request, counted (not timed) along both journeys: no request may make
//! more than 3 store calls, the whole e-mail migration journey no more than 30.

use blackbox::round_trips::{Row, on_memory, table};

/// Every request's budget (ARCHITECTURE.md §5 / README "Data": at most 2 reads and 1 write).
const PER_REQUEST: usize = 3;
/// The e-mail journey's budget: token login, wizard by e-mail, switch, e-mail login.
const EMAIL_JOURNEY: usize = 30;

fn over_budget(rows: &[Row]) -> Vec<String> {
    rows.iter()
        .filter(|r| r.total() > PER_REQUEST)
        .map(|r| format!("{} made {} calls", r.request, r.total()))
        .collect()
}

#[tokio::test]
async fn the_email_journey_keeps_its_round_trip_budgets() {
    let (service, ledger) = on_memory().await;
    blackbox::journeys::email_journey(&service, "nl").await;
    let rows = ledger.take();
    println!("{}", table("e-mail journey (memory store)", &rows));
    assert!(
        rows.len() >= 20,
        "the journey was counted: {} requests",
        rows.len()
    );
    assert_eq!(
        over_budget(&rows),
        Vec::<String>::new(),
        "requests over {PER_REQUEST} calls"
    );
    let total: usize = rows.iter().map(Row::total).sum();
    assert!(
        total <= EMAIL_JOURNEY,
        "the e-mail journey made {total} calls (budget {EMAIL_JOURNEY})"
    );
}

#[tokio::test]
async fn the_app_journey_keeps_the_per_request_budget() {
    let (service, ledger) = on_memory().await;
    blackbox::journeys::app_journey(&service, "fr").await;
    let rows = ledger.take();
    println!("{}", table("app journey (memory store)", &rows));
    assert!(
        rows.len() >= 20,
        "the journey was counted: {} requests",
        rows.len()
    );
    assert_eq!(
        over_budget(&rows),
        Vec::<String>::new(),
        "requests over {PER_REQUEST} calls"
    );
}
