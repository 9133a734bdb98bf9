//! DynamoDB round trips per request along both journeys, on the emulator's DynamoDB (moto at
//! `AWS_ENDPOINT_URL`) and on the memory store: a table per journey with every request's calls by
//! operation, and the total. Counts, not timings; the suite's budgets are in tests/round_trips.rs.
//!
//!     AWS_ENDPOINT_URL=http://127.0.0.1:PORT cargo bench --profile dev -p blackbox --bench round_trip_counts
//!
//! (tests/run.sh starts moto and runs it once.) Without `AWS_ENDPOINT_URL` it says so and fails.

use blackbox::round_trips::{on_emulator, on_memory, table};

#[tokio::main]
async fn main() {
    if std::env::var("AWS_ENDPOINT_URL").is_err() {
        eprintln!(
            "ROUND-TRIP BENCHMARK CANNOT RUN: AWS_ENDPOINT_URL is not set (start moto's server, \
             as tests/run.sh does)"
        );
        std::process::exit(2);
    }
    let (service, ledger) = on_emulator().await;
    blackbox::journeys::email_journey(&service, "nl").await;
    println!(
        "{}",
        table("e-mail journey, DynamoDB on the emulator", &ledger.take())
    );
    blackbox::journeys::app_journey(&service, "en").await;
    println!(
        "{}",
        table("app journey, DynamoDB on the emulator", &ledger.take())
    );
    let (service, ledger) = on_memory().await;
    blackbox::journeys::email_journey(&service, "fr").await;
    println!("{}", table("e-mail journey, memory store", &ledger.take()));
}
