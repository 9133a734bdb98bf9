//! The store and mailer contract suites, against the in-memory adapters and the AWS emulator.
//!
//! The emulator half needs `AWS_ENDPOINT_URL` (tests/run.sh starts moto's server and sets it). It
//! fails, loudly, when that is missing rather than skipping or touching a real AWS account.

use blackbox::emulator;
use keys_core::clock::{Clock, ManualClock};
use keys_core::mailer::Mailer;
use keys_core::mailer::outbox::Outbox;
use keys_core::mailer::ses::{SesMailer, create_sender_identity};
use keys_core::store::dynamodb::{DynamoStore, create_table_if_missing};
use keys_core::store::memory::MemoryStore;
use keys_core::testing::{Delivered, mailer_contract, store_contract};
use std::sync::Arc;

fn clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::starting_now())
}

#[tokio::test]
async fn store_contract_in_memory() {
    let clock = clock();
    let store = Arc::new(MemoryStore::new(clock.clone()));
    store_contract(store, &clock, "memory").await;
    println!("store contract passed against: memory");
}

#[tokio::test]
async fn store_contract_on_the_emulator() {
    let config = emulator::config().await;
    let client = aws_sdk_dynamodb::Client::new(&config);
    let table = emulator::unique("contract");
    create_table_if_missing(&client, &table)
        .await
        .expect("create the table on the emulator");
    let ttl = client
        .describe_time_to_live()
        .table_name(&table)
        .send()
        .await
        .expect("describe TTL");
    let ttl = ttl.time_to_live_description().expect("TTL description");
    assert_eq!(
        ttl.attribute_name(),
        Some("expires_at"),
        "TTL is on expires_at"
    );
    let clock = clock();
    let store = Arc::new(DynamoStore::new(client, table, clock.clone()));
    store_contract(store, &clock, "emulator").await;
    println!(
        "store contract passed against: DynamoDB emulator at {}",
        emulator::endpoint()
    );
}

#[tokio::test]
async fn mailer_contract_with_the_outbox() {
    let outbox = Outbox::new(clock());
    mailer_contract(&outbox, "outbox", |to| {
        let mails = outbox.sent_to(&to);
        async move {
            mails
                .into_iter()
                .map(|m| Delivered {
                    to: m.to,
                    subject: m.subject,
                    text: m.text,
                    html: m.html,
                })
                .collect()
        }
    })
    .await;
    println!("mailer contract passed against: local outbox");
}

#[tokio::test]
async fn mailer_contract_on_the_emulator() {
    let config = emulator::config().await;
    let endpoint = emulator::endpoint();
    let client = aws_sdk_sesv2::Client::new(&config);
    let from = "no-reply@digital-keys.example.org";
    create_sender_identity(&client, from)
        .await
        .expect("register the sender on the emulator");
    let mailer = SesMailer::new(client, from, None);
    let ns = emulator::unique("ses");
    mailer_contract(&mailer, &ns, |to| async move {
        emulator::mails_to(&emulator::endpoint(), &to).await
    })
    .await;
    println!("mailer contract passed against: SES v2 emulator at {endpoint}");
}

#[tokio::test]
async fn an_unverified_sender_is_a_typed_rejection() {
    let config = emulator::config().await;
    let mailer = SesMailer::new(
        aws_sdk_sesv2::Client::new(&config),
        emulator::unique("nobody") + "@unverified.example.org",
        None,
    );
    let mail = keys_core::mailer::Mail {
        to: "x@example.org".into(),
        subject: "s".into(),
        text: "t".into(),
        html: "h".into(),
    };
    match mailer.send(&mail).await {
        Err(keys_core::mailer::MailError::Rejected(text)) => {
            assert!(
                !text.contains("x@example.org"),
                "addresses are scrubbed from errors: {text}"
            )
        }
        other => panic!("expected a rejection, got {other:?}"),
    }
}

#[test]
fn the_clock_is_the_stores_clock() {
    let clock = clock();
    let before = clock.now_secs();
    clock.advance(time::Duration::seconds(5));
    assert_eq!(clock.now_secs(), before + 5);
}
