//! The test kit: the `Store` and `Mailer` contract suites (memory and the AWS emulator) and the in-memory test `App`.

use keys_domain::clock::{Clock, ManualClock};
pub use keys_domain::harness::{TestApp, test_app, test_app_with, test_harness};
use keys_domain::mailer::{Mail, Mailer};
use keys_domain::store::{Change, Condition, Item, Store, StoreError, Updated, Value, Write};
use std::future::Future;
use std::sync::Arc;
use time::Duration;

/// Runs every store check. `ns` keeps runs apart on a shared table; `clock` is the adapter's clock.
pub async fn store_contract(store: Arc<dyn Store>, clock: &ManualClock, ns: &str) {
    round_trip(store.as_ref(), ns).await;
    conditional_writes(store.as_ref(), ns).await;
    expiry_is_enforced_at_read_time(store.as_ref(), clock, ns).await;
    queries_by_prefix_in_order(store.as_ref(), clock, ns).await;
    transactions_are_all_or_nothing(store.as_ref(), ns).await;
    transactions_are_validated(store.as_ref(), ns).await;
    counters(store.as_ref(), clock, ns).await;
    updates(store.as_ref(), ns).await;
    updates_in_transactions(store.as_ref(), ns).await;
    concurrent_attempts_are_bounded(store.clone(), ns).await;
    concurrent_creates_have_one_winner(store, ns).await;
}

async fn updates(store: &dyn Store, ns: &str) {
    let pk = format!("{ns}#updates");
    let created = store
        .update(
            &pk,
            "u",
            Change::new().set_s("name", "Jan").add("tries", 1),
            Some(Condition::lacks("name")),
        )
        .await
        .and_then(Updated::changed)
        .expect("an update creates a missing item");
    assert_eq!(created.s("name"), Some("Jan"));
    assert_eq!(created.n("tries"), Some(1), "a missing number counts as 0");
    let after = store
        .update(
            &pk,
            "u",
            Change::new().add("tries", 1).set_n("at", 7).remove("name"),
            Some(Condition::All(vec![
                Condition::has("name"),
                Condition::below("tries", 2),
            ])),
        )
        .await
        .and_then(Updated::changed)
        .expect("the conditions hold");
    assert_eq!(
        (after.n("tries"), after.n("at"), after.s("name")),
        (Some(2), Some(7), None),
        "the item as it is after the update"
    );
    assert_eq!(
        store
            .update(
                &pk,
                "u",
                Change::new().add("tries", 1),
                Some(Condition::below("tries", 2))
            )
            .await,
        Ok(Updated::Refused(Some(after.clone()))),
        "tries is 2, not below 2: refused, with the item as it is"
    );
    assert_eq!(
        store
            .update(
                &pk,
                "u",
                Change::new().add("tries", 1),
                Some(Condition::has("name"))
            )
            .await,
        Ok(Updated::Refused(Some(after.clone()))),
        "name was removed"
    );
    assert_eq!(
        store
            .update(
                &pk,
                "none",
                Change::new().add("tries", 1),
                Some(Condition::Present)
            )
            .await,
        Ok(Updated::Refused(None)),
        "no item: refused with none"
    );
    let either = Condition::Any(vec![Condition::has("name"), Condition::below("tries", 3)]);
    let again = store
        .update(&pk, "u", Change::new().add("tries", -2), Some(either))
        .await
        .and_then(Updated::changed)
        .expect("one of the two holds");
    assert_eq!(again.n("tries"), Some(0));
    assert_eq!(store.get(&pk, "u").await.expect("get"), Some(again));
    assert!(matches!(
        store
            .update(&pk, "u", Change::new().set_n("a", 1).add("a", 1), None)
            .await,
        Err(StoreError::Invalid(_))
    ));
}

async fn updates_in_transactions(store: &dyn Store, ns: &str) {
    let pk = format!("{ns}#txupdates");
    store
        .put(
            Item::new(&pk, "a").with_n("n", 1).with_s("keep", "yes"),
            None,
        )
        .await
        .expect("put");
    let refused = store
        .transact(vec![
            Write::Update {
                pk: pk.clone(),
                sk: "a".into(),
                change: Change::new().add("n", 1),
                condition: None,
            },
            Write::Check {
                pk: pk.clone(),
                sk: "b".into(),
                condition: Condition::Present,
            },
        ])
        .await;
    assert_eq!(
        refused,
        Err(StoreError::TransactionCanceled { failed: vec![1] })
    );
    assert_eq!(
        store
            .get(&pk, "a")
            .await
            .expect("get")
            .and_then(|i| i.n("n")),
        Some(1)
    );
    store
        .transact(vec![
            Write::Update {
                pk: pk.clone(),
                sk: "a".into(),
                change: Change::new().add("n", 1).remove("missing"),
                condition: Some(Condition::below("n", 2)),
            },
            Write::Update {
                pk: pk.clone(),
                sk: "b".into(),
                change: Change::new().set_s("made", "by update"),
                condition: Some(Condition::Absent),
            },
        ])
        .await
        .expect("both updates");
    let a = store.get(&pk, "a").await.expect("get").expect("a");
    assert_eq!(
        (a.n("n"), a.s("keep")),
        (Some(2), Some("yes")),
        "other attributes stay"
    );
    assert_eq!(
        store
            .get(&pk, "b")
            .await
            .expect("get")
            .and_then(|i| i.s("made").map(String::from)),
        Some("by update".to_string())
    );
}

/// Fifty attempts at once on a counter limited to five: exactly five get through.
async fn concurrent_attempts_are_bounded(store: Arc<dyn Store>, ns: &str) {
    let pk = format!("{ns}#attempts");
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let store = store.clone();
            let pk = pk.clone();
            tokio::spawn(async move {
                store
                    .update(
                        &pk,
                        "a",
                        Change::new().add("attempts", 1),
                        Some(Condition::below("attempts", 5)),
                    )
                    .await
            })
        })
        .collect();
    let mut taken = 0;
    for task in tasks {
        match task.await.expect("task") {
            Ok(Updated::Changed(_)) => taken += 1,
            Ok(Updated::Refused(_)) => {}
            Err(other) => panic!("unexpected {other}"),
        }
    }
    assert_eq!(taken, 5, "exactly five attempts taken of fifty");
}

async fn round_trip(store: &dyn Store, ns: &str) {
    let pk = format!("{ns}#roundtrip");
    assert_eq!(
        store.get(&pk, "a").await,
        Ok(None),
        "a missing item is None"
    );
    let item = Item::new(&pk, "a")
        .with_s("name", "Jan Peeters – é ü ß")
        .with_n("count", -42)
        .with_bool("active", true);
    store.put(item.clone(), None).await.expect("put");
    assert_eq!(store.get(&pk, "a").await.expect("get"), Some(item.clone()));
    let replaced = Item::new(&pk, "a").with_n("count", 7);
    store
        .put(replaced.clone(), None)
        .await
        .expect("unconditional put replaces");
    assert_eq!(store.get(&pk, "a").await.expect("get"), Some(replaced));
    store.delete(&pk, "a", None).await.expect("delete");
    assert_eq!(store.get(&pk, "a").await, Ok(None));
    store
        .delete(&pk, "a", None)
        .await
        .expect("deleting nothing is fine");
}

async fn conditional_writes(store: &dyn Store, ns: &str) {
    let pk = format!("{ns}#conditions");
    let first = Item::new(&pk, "k").with_s("state", "active");
    store
        .put(first.clone(), Some(Condition::Absent))
        .await
        .expect("create");
    assert_eq!(
        store
            .put(
                Item::new(&pk, "k").with_s("state", "other"),
                Some(Condition::Absent)
            )
            .await,
        Err(StoreError::ConditionFailed),
        "a second create fails as a typed error"
    );
    assert_eq!(
        store.get(&pk, "k").await.expect("get"),
        Some(first),
        "a failed write changes nothing"
    );
    let active = Condition::equals("state", Value::S("active".into()));
    store
        .put(
            Item::new(&pk, "k").with_s("state", "inactive"),
            Some(active.clone()),
        )
        .await
        .expect("update on condition");
    assert_eq!(
        store
            .put(
                Item::new(&pk, "k").with_s("state", "x"),
                Some(active.clone())
            )
            .await,
        Err(StoreError::ConditionFailed)
    );
    assert_eq!(
        store.delete(&pk, "k", Some(active)).await,
        Err(StoreError::ConditionFailed)
    );
    assert_eq!(
        store
            .put(
                Item::new(&pk, "none").with_n("n", 1),
                Some(Condition::Present)
            )
            .await,
        Err(StoreError::ConditionFailed),
        "Present fails on a missing item"
    );
    let both = Condition::All(vec![
        Condition::Present,
        Condition::equals("state", Value::S("inactive".into())),
    ]);
    store
        .delete(&pk, "k", Some(both))
        .await
        .expect("conditional delete");
    assert_eq!(store.get(&pk, "k").await, Ok(None));
}

async fn expiry_is_enforced_at_read_time(store: &dyn Store, clock: &ManualClock, ns: &str) {
    let pk = format!("{ns}#expiry");
    let now = clock.now_secs();
    store
        .put(
            Item::new(&pk, "code")
                .expiring_at(now + 10)
                .with_s("hash", "h"),
            None,
        )
        .await
        .expect("put");
    store
        .put(Item::new(&pk, "keep").with_s("hash", "h"), None)
        .await
        .expect("put");
    let live = store
        .get(&pk, "code")
        .await
        .expect("get")
        .expect("live before expiry");
    assert_eq!(live.expires_at, Some(now + 10));
    clock.advance(Duration::seconds(10));
    assert_eq!(
        store.get(&pk, "code").await,
        Ok(None),
        "an item is absent from its expires_at on"
    );
    let listed: Vec<String> = store
        .query(&pk, "")
        .await
        .expect("query")
        .into_iter()
        .map(|i| i.sk)
        .collect();
    assert_eq!(listed, ["keep"], "query hides expired items");
    assert_eq!(
        store
            .put(
                Item::new(&pk, "code").with_s("hash", "x"),
                Some(Condition::Present)
            )
            .await,
        Err(StoreError::ConditionFailed),
        "an expired item is not Present"
    );
    assert_eq!(
        store.delete(&pk, "code", Some(Condition::Present)).await,
        Err(StoreError::ConditionFailed),
        "an expired item cannot be consumed"
    );
    store
        .put(
            Item::new(&pk, "code").with_s("hash", "new"),
            Some(Condition::Absent),
        )
        .await
        .expect("an expired item counts as absent for a create");
    assert_eq!(
        store
            .get(&pk, "code")
            .await
            .expect("get")
            .and_then(|i| i.s("hash").map(String::from)),
        Some("new".into())
    );
}

async fn queries_by_prefix_in_order(store: &dyn Store, clock: &ManualClock, ns: &str) {
    let pk = format!("{ns}#query");
    let now = clock.now_secs();
    for sk in ["key#token", "key#app", "profile", "key#email"] {
        store
            .put(Item::new(&pk, sk).with_s("v", sk), None)
            .await
            .expect("put");
    }
    store
        .put(Item::new(&pk, "key#zzz").expiring_at(now - 1), None)
        .await
        .expect("put expired");
    let keys: Vec<String> = store
        .query(&pk, "key#")
        .await
        .expect("query")
        .into_iter()
        .map(|i| i.sk)
        .collect();
    assert_eq!(keys, ["key#app", "key#email", "key#token"]);
    let other = format!("{ns}#query-other");
    assert!(store.query(&other, "").await.expect("query").is_empty());
}

async fn transactions_are_all_or_nothing(store: &dyn Store, ns: &str) {
    let pk = format!("{ns}#tx");
    store
        .put(Item::new(&pk, "key#token").with_s("state", "active"), None)
        .await
        .expect("seed");
    store
        .put(Item::new(&pk, "code").with_s("hash", "h"), None)
        .await
        .expect("seed");
    store
        .put(Item::new(&pk, "profile").with_s("lang", "nl"), None)
        .await
        .expect("seed");
    let switch = |token_state: &str| {
        vec![
            Write::Put {
                item: Item::new(&pk, "key#email").with_s("state", "active"),
                condition: Some(Condition::Absent),
            },
            Write::Put {
                item: Item::new(&pk, "key#token").with_s("state", "inactive"),
                condition: Some(Condition::equals("state", Value::S(token_state.into()))),
            },
            Write::Delete {
                pk: pk.clone(),
                sk: "code".into(),
                condition: Some(Condition::Present),
            },
            Write::Check {
                pk: pk.clone(),
                sk: "profile".into(),
                condition: Condition::Present,
            },
        ]
    };
    assert_eq!(
        store.transact(switch("gone")).await,
        Err(StoreError::TransactionCanceled { failed: vec![1] }),
        "the failing write is named"
    );
    assert_eq!(
        store.get(&pk, "key#email").await,
        Ok(None),
        "nothing of a cancelled transaction is written"
    );
    assert!(
        store.get(&pk, "code").await.expect("get").is_some(),
        "nothing of a cancelled transaction is deleted"
    );
    store.transact(switch("active")).await.expect("the switch");
    assert_eq!(
        store
            .get(&pk, "key#email")
            .await
            .expect("get")
            .and_then(|i| i.s("state").map(String::from)),
        Some("active".into())
    );
    assert_eq!(
        store
            .get(&pk, "key#token")
            .await
            .expect("get")
            .and_then(|i| i.s("state").map(String::from)),
        Some("inactive".into())
    );
    assert_eq!(store.get(&pk, "code").await, Ok(None));
    match store.transact(switch("active")).await {
        Err(StoreError::TransactionCanceled { failed }) => {
            assert!(
                failed.contains(&0) && failed.contains(&1) && failed.contains(&2),
                "{failed:?}"
            )
        }
        other => panic!("a repeated switch must be cancelled, got {other:?}"),
    }
}

async fn transactions_are_validated(store: &dyn Store, ns: &str) {
    let pk = format!("{ns}#txv");
    let twice = vec![
        Write::Put {
            item: Item::new(&pk, "a"),
            condition: None,
        },
        Write::Delete {
            pk: pk.clone(),
            sk: "a".into(),
            condition: None,
        },
    ];
    assert!(matches!(
        store.transact(twice).await,
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        store.transact(Vec::new()).await,
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(store.get(&pk, "a").await, Ok(None));
}

async fn counters(store: &dyn Store, clock: &ManualClock, ns: &str) {
    let pk = format!("{ns}#counter");
    let now = clock.now_secs();
    for expected in 1..=3 {
        assert_eq!(
            store.increment(&pk, "w", "count", now + 60).await,
            Ok(expected)
        );
    }
    let item = store
        .get(&pk, "w")
        .await
        .expect("get")
        .expect("counter item");
    assert_eq!(
        item.expires_at,
        Some(now + 60),
        "a live counter keeps its first expiry"
    );
    clock.advance(Duration::seconds(61));
    let later = clock.now_secs();
    assert_eq!(
        store.increment(&pk, "w", "count", later + 60).await,
        Ok(1),
        "an expired counter starts again"
    );
    let item = store
        .get(&pk, "w")
        .await
        .expect("get")
        .expect("counter item");
    assert_eq!(item.expires_at, Some(later + 60));
}

async fn concurrent_creates_have_one_winner(store: Arc<dyn Store>, ns: &str) {
    let pk = format!("{ns}#race");
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..8 {
        let store = store.clone();
        let pk = pk.clone();
        tasks.spawn(async move {
            store
                .put(
                    Item::new(&pk, "one").with_n("writer", n),
                    Some(Condition::Absent),
                )
                .await
        });
    }
    let mut won = 0;
    while let Some(result) = tasks.join_next().await {
        match result.expect("task") {
            Ok(()) => won += 1,
            Err(StoreError::ConditionFailed) => {}
            Err(other) => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(won, 1, "exactly one conditional create wins");
}

/// A mail as an adapter's read-back shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivered {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Sends mails through `mailer` and checks, through `read_back(address)`, what arrived where.
pub async fn mailer_contract<F, Fut>(mailer: &dyn Mailer, ns: &str, read_back: F)
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = Vec<Delivered>>,
{
    let first = format!("first.{ns}@example.org");
    let second = format!("second.{ns}@example.org");
    let mail = Mail {
        to: first.clone(),
        subject: "Uw digitale sleutel – clé numérique – Schlüssel".into(),
        text: "Beveiligingscode: 123456\nCode de sécurité".into(),
        html: "<p>Beveiligingscode: <strong>123456</strong></p>".into(),
    };
    mailer.send(&mail).await.expect("send the first mail");
    let other = Mail {
        to: second.clone(),
        subject: "Other".into(),
        text: "Other".into(),
        html: "<p>Other</p>".into(),
    };
    mailer.send(&other).await.expect("send the second mail");

    let got = read_back(first.clone()).await;
    assert_eq!(got.len(), 1, "exactly one mail reached {first}: {got:?}");
    assert_eq!(got[0].to, first);
    assert_eq!(got[0].subject, mail.subject);
    assert_eq!(got[0].text.trim_end(), mail.text);
    assert_eq!(got[0].html.trim_end(), mail.html);
    let got = read_back(second.clone()).await;
    assert_eq!(got.len(), 1, "exactly one mail reached {second}");
    assert_eq!(got[0].subject, "Other");
}
