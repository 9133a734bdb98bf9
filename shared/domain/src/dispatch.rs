//! Mail dispatch: notification mails written to the outbox in a transaction, delivered from the stream.

use crate::app::App;
use crate::crypto::random_short_id;
use crate::mailer::{Mail, MailError};
use crate::store::{Item, Write};

/// How long an undelivered outbox item is kept for inspection (a week).
const KEEP_SECONDS: i64 = 7 * 24 * 3600;

/// The prefix of the outbox's partitions: one item per undelivered mail, sort key `mail#<id>`.
pub const OUTBOX_PK: &str = "outbox";
/// The outbox is spread over this many partitions (`outbox#0` …), so a deadline surge of switches
/// does not make one partition hot.
pub const OUTBOX_SHARDS: u32 = 16;

/// The partition of the outbox that the mail with sort key `sk` is in.
fn outbox_pk(sk: &str) -> String {
    let shard = sk
        .bytes()
        .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)))
        % OUTBOX_SHARDS;
    format!("{OUTBOX_PK}#{shard}")
}

/// Whether `pk` is one of the outbox's partitions.
pub fn is_outbox(pk: &str) -> bool {
    pk.strip_prefix(OUTBOX_PK)
        .and_then(|rest| rest.strip_prefix('#'))
        .and_then(|n| n.parse::<u32>().ok())
        .is_some_and(|n| n < OUTBOX_SHARDS)
}

/// A notification mail on its way: written to the outbox in a transaction, then delivered.
#[derive(Debug, Clone)]
pub struct Queued {
    pub sk: String,
    pub mail: Mail,
}

/// Queues `mail` for delivery; put `write()` into the transaction it belongs to.
pub fn queue_mail(mail: Mail) -> Queued {
    Queued {
        sk: format!("mail#{}", random_short_id()),
        mail,
    }
}

impl Queued {
    /// The transaction write that puts the mail in the outbox.
    pub fn write(&self, app: &App) -> Write {
        let item = Item::new(outbox_pk(&self.sk), &self.sk)
            .expiring_at(app.clock.now_secs() + KEEP_SECONDS)
            .with_s("to", &self.mail.to)
            .with_s("subject", &self.mail.subject)
            .with_s("text", &self.mail.text)
            .with_s("html", &self.mail.html);
        Write::Put {
            item,
            condition: None,
        }
    }
}

/// After the transaction committed: delivers the mails here when this process is the dispatcher
/// (the local runner); in Lambda the stream does it. A failed mail stays in the outbox.
pub async fn after_commit(app: &App, queued: &[Queued]) {
    if !app.deliver_in_process {
        return;
    }
    for mail in queued {
        let Some(_claim) = Claim::take(&mail.sk) else {
            continue;
        };
        let _ = deliver(app, &mail.sk, &mail.mail).await;
    }
}

/// The outbox items this process is delivering right now: the local runner's sweep and the
/// delivery right after a commit never send the same mail at the same time.
fn in_flight() -> &'static std::sync::Mutex<std::collections::HashSet<String>> {
    static IN_FLIGHT: std::sync::OnceLock<std::sync::Mutex<std::collections::HashSet<String>>> =
        std::sync::OnceLock::new();
    IN_FLIGHT.get_or_init(Default::default)
}

/// This process's claim on one outbox item while it delivers it; released when dropped.
pub struct Claim(String);

impl Claim {
    /// The claim on `sk`, unless another delivery in this process holds it.
    pub fn take(sk: &str) -> Option<Claim> {
        let mut set = in_flight()
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        set.insert(sk.to_string()).then(|| Claim(sk.to_string()))
    }
}

impl Drop for Claim {
    fn drop(&mut self) {
        in_flight()
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .remove(&self.0);
    }
}

/// Delivers every mail still waiting in the outbox (the local runner's retry, every half minute);
/// answers how many were sent.
pub async fn deliver_pending(app: &App) -> Result<usize, crate::store::StoreError> {
    Ok(deliver_waiting(app, i64::MAX).await?.sent)
}

/// What a sweep of the outbox found and did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Sweep {
    /// Mails sent (and removed from the outbox).
    pub sent: usize,
    /// Mails the mailer refused; they stay for the next sweep.
    pub failed: usize,
    /// Mails queued too recently to be the stream's failures: left to the stream.
    pub recent: usize,
}

/// Delivers the outbox's mails queued at or before `queued_before` (epoch seconds) and leaves
/// later ones alone: the dead-letter queue's redrive, for mails whose stream records ran out of
/// retries (the stream never delivers them again; their outbox items are what is left of them).
pub async fn deliver_waiting(
    app: &App,
    queued_before: i64,
) -> Result<Sweep, crate::store::StoreError> {
    let mut sweep = Sweep::default();
    let mut waiting = Vec::new();
    for shard in 0..OUTBOX_SHARDS {
        waiting.extend(
            app.store
                .query(&format!("{OUTBOX_PK}#{shard}"), "mail#")
                .await?,
        );
    }
    for item in waiting {
        let Some(mail) = mail_of(&item) else {
            continue;
        };
        let queued_at = item.expires_at.map_or(i64::MIN, |at| at - KEEP_SECONDS);
        if queued_at > queued_before {
            sweep.recent += 1;
            continue;
        }
        // Claimed, then read again: a delivery right after its commit may have sent and removed
        // it since the outbox was read.
        let Some(_claim) = Claim::take(&item.sk) else {
            continue;
        };
        if app.store.get(&item.pk, &item.sk).await?.is_none() {
            continue;
        }
        match deliver(app, &item.sk, &mail).await {
            Ok(()) => sweep.sent += 1,
            Err(_) => sweep.failed += 1,
        }
    }
    Ok(sweep)
}

/// Delivers the outbox mails among newly written `items` (each with the caller's tag: a stream
/// record's sequence number, in stream order); answers the tags to retry. The stream retries from
/// the first tag answered on, so delivery stops at the first mail that fails and answers it and
/// every tag after it: a mail sent after a failed one would be sent again. A retried record's
/// mail is sent only while its outbox item is still there (delivered ones are removed), so a
/// batch retried after a crash does not send twice what it had sent. Other items are not mails
/// and are left alone.
pub async fn deliver_inserted<Tag>(app: &App, items: Vec<(Tag, Item)>) -> Vec<Tag> {
    let mut to_retry = Vec::new();
    let mut delivered = 0usize;
    let mut already_sent = 0usize;
    let mut items = items.into_iter();
    while let Some((tag, item)) = items.next() {
        if !is_outbox(&item.pk) || !item.sk.starts_with("mail#") {
            continue;
        }
        let Some(mail) = mail_of(&item) else {
            tracing::error!(item = %item.sk, "outbox item without its mail; not retried");
            continue;
        };
        let outcome = match app.store.get(&item.pk, &item.sk).await {
            Ok(None) => {
                already_sent += 1;
                continue;
            }
            Ok(Some(_)) => deliver(app, &item.sk, &mail).await.map_err(|_| ()),
            Err(err) => {
                tracing::warn!(item = %item.sk, error = %err, "outbox item not read; will retry");
                Err(())
            }
        };
        match outcome {
            Ok(()) => delivered += 1,
            Err(()) => {
                to_retry.push(tag);
                to_retry.extend(items.by_ref().map(|(tag, _)| tag));
            }
        }
    }
    tracing::info!(
        delivered,
        already_sent,
        to_retry = to_retry.len(),
        "notification mails delivered"
    );
    to_retry
}

/// The mail an outbox item holds, if it holds a whole one.
fn mail_of(item: &Item) -> Option<Mail> {
    Some(Mail {
        to: item.s("to")?.into(),
        subject: item.s("subject")?.into(),
        text: item.s("text")?.into(),
        html: item.s("html")?.into(),
    })
}

/// How many times a sent mail's outbox item is deleted before giving up (100, 200, 400 ms apart).
const DELETE_TRIES: u32 = 4;

/// Sends one outbox mail (sort key `sk`) and removes its item; the mailer's refusal when it
/// could not be sent (the item stays for the next try). Sending twice is possible after a
/// crash between the two; losing a mail is not.
pub async fn deliver(app: &App, sk: &str, mail: &Mail) -> Result<(), MailError> {
    if let Err(err) = app.mailer.send(mail).await {
        tracing::warn!(item = %sk, to = %crate::mailer::redact_address(&mail.to), error = %err, "mail not sent; will retry");
        return Err(err);
    }
    // The mail is gone: its item must go too, or a redrive would send it again. The store's
    // client retries throttling itself; a few more tries, spaced out, ride out a bad minute.
    let mut pause = std::time::Duration::from_millis(100);
    for attempt in 1..=DELETE_TRIES {
        match app.store.delete(&outbox_pk(sk), sk, None).await {
            Ok(_) => return Ok(()),
            Err(err) if attempt == DELETE_TRIES => {
                tracing::warn!(item = %sk, error = %err, "mail sent but its outbox item stays");
            }
            Err(_) => {
                tokio::time::sleep(pause).await;
                pause *= 2;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::harness::test_harness;
    use std::sync::Arc;

    /// Outbox items as a stream batch brings them, tagged with their place in the batch; the
    /// outbox partitions' items are in the table, as the stream reports what was written.
    async fn written(app: &App, items: &[(&str, &str, &str)]) -> Vec<(usize, Item)> {
        let mut batch = Vec::new();
        for (n, (pk, sk, to)) in items.iter().enumerate() {
            // "outbox" stands for the mail's own partition.
            let pk = if *pk == OUTBOX_PK {
                outbox_pk(sk)
            } else {
                pk.to_string()
            };
            let item = Item::new(&pk, *sk)
                .with_s("to", *to)
                .with_s("subject", "Subject")
                .with_s("text", "Text")
                .with_s("html", "<p>Html</p>");
            if is_outbox(&pk) {
                app.store
                    .transact(vec![Write::Put {
                        item: item.clone(),
                        condition: None,
                    }])
                    .await
                    .expect("written");
            }
            batch.push((n, item));
        }
        batch
    }

    /// A mailer that refuses one address and hands every other mail to the test outbox.
    struct RefusingOne {
        refused: &'static str,
        outbox: Arc<crate::mailer::outbox::Outbox>,
    }

    #[async_trait::async_trait]
    impl crate::mailer::Mailer for RefusingOne {
        async fn send(&self, mail: &Mail) -> Result<(), MailError> {
            if mail.to == self.refused {
                return Err(MailError::Unavailable("refused on purpose".into()));
            }
            self.outbox.send(mail).await
        }
    }

    #[tokio::test]
    async fn delivered_mails_leave_the_outbox_and_failures_are_named() {
        let harness = test_harness(|_| {});
        let app = &harness.app;
        let items = written(
            app,
            &[
                ("outbox", "mail#a", "a@example.org"),
                ("citizen#x", "mail#x", "ignored@example.org"),
                ("outbox#99", "mail#y", "ignored@example.org"),
            ],
        )
        .await;
        assert!(deliver_inserted(app, items).await.is_empty());
        assert_eq!(harness.outbox.sent_to("a@example.org").len(), 1);
        assert!(
            harness.outbox.sent_to("ignored@example.org").is_empty(),
            "only outbox items are mails"
        );
        assert!(
            app.store
                .get(&outbox_pk("mail#a"), "mail#a")
                .await
                .expect("get")
                .is_none()
        );

        harness.outbox.set_failing(true);
        let items = written(
            app,
            &[
                ("outbox", "mail#b", "b@example.org"),
                ("outbox", "mail#c", "c@example.org"),
            ],
        )
        .await;
        assert_eq!(deliver_inserted(app, items).await, vec![0, 1]);
    }

    #[tokio::test]
    async fn a_batch_stops_at_its_first_failed_mail_and_its_retry_sends_nothing_twice() {
        let harness = test_harness(|_| {});
        let mut app = harness.app.clone();
        app.mailer = Arc::new(RefusingOne {
            refused: "b@example.org",
            outbox: harness.outbox.clone(),
        });
        let batch = [
            ("outbox", "mail#a", "a@example.org"),
            ("outbox", "mail#b", "b@example.org"),
            ("outbox", "mail#c", "c@example.org"),
        ];
        let items = written(&app, &batch).await;
        assert_eq!(
            deliver_inserted(&app, items.clone()).await,
            vec![1, 2],
            "the stream retries from the failed mail on, so the mail after it waits too"
        );
        assert_eq!(harness.outbox.sent_to("a@example.org").len(), 1);
        assert!(harness.outbox.sent_to("c@example.org").is_empty());

        // The stream retries from the failed record; then a crash makes it deliver the whole
        // batch again: nothing already sent goes twice.
        app.mailer = harness.app.mailer.clone();
        assert!(deliver_inserted(&app, items[1..].to_vec()).await.is_empty());
        assert!(deliver_inserted(&app, items).await.is_empty());
        for (_, _, to) in batch {
            assert_eq!(
                harness.outbox.sent_to(to).len(),
                1,
                "{to} got its mail once"
            );
        }
    }

    #[tokio::test]
    async fn the_redrive_sends_what_the_stream_gave_up_on_and_leaves_newer_mails_to_it() {
        let harness = test_harness(|_| {});
        let app = &harness.app;
        let mail = |to: &str| Mail {
            to: to.into(),
            subject: "S".into(),
            text: "T".into(),
            html: "H".into(),
        };
        let old = queue_mail(mail("old@example.org"));
        app.store
            .transact(vec![old.write(app)])
            .await
            .expect("queued");
        harness.clock.advance(time::Duration::minutes(20));
        let new = queue_mail(mail("new@example.org"));
        app.store
            .transact(vec![new.write(app)])
            .await
            .expect("queued");

        let fifteen_minutes_ago = app.clock.now_secs() - 15 * 60;
        harness.outbox.set_failing(true);
        let refused = deliver_waiting(app, fifteen_minutes_ago)
            .await
            .expect("swept");
        assert_eq!((refused.sent, refused.failed, refused.recent), (0, 1, 1));
        harness.outbox.set_failing(false);
        let sweep = deliver_waiting(app, fifteen_minutes_ago)
            .await
            .expect("swept");
        assert_eq!((sweep.sent, sweep.failed, sweep.recent), (1, 0, 1));
        assert_eq!(harness.outbox.sent_to("old@example.org").len(), 1);
        assert!(harness.outbox.sent_to("new@example.org").is_empty());
        let again = deliver_waiting(app, fifteen_minutes_ago)
            .await
            .expect("swept");
        assert_eq!(again.sent, 0, "a redrive run twice sends nothing twice");
    }

    #[test]
    fn the_outbox_is_spread_over_its_partitions() {
        let shards: std::collections::HashSet<String> = (0..200)
            .map(|_| {
                outbox_pk(
                    &queue_mail(Mail {
                        to: "a@example.org".into(),
                        subject: String::new(),
                        text: String::new(),
                        html: String::new(),
                    })
                    .sk,
                )
            })
            .collect();
        assert_eq!(shards.len(), OUTBOX_SHARDS as usize);
        assert!(shards.iter().all(|pk| is_outbox(pk)));
        assert!(!is_outbox("outbox") && !is_outbox("outbox#16") && !is_outbox("outboxx#1"));
    }

    #[tokio::test]
    async fn queued_mail_waits_in_the_table_until_delivered() {
        let harness = test_harness(|_| {});
        let mail = Mail {
            to: "c@example.org".into(),
            subject: "S".into(),
            text: "T".into(),
            html: "H".into(),
        };
        let queued = queue_mail(mail.clone());
        let sk = queued.sk.clone();
        harness
            .app
            .store
            .transact(vec![queued.write(&harness.app)])
            .await
            .expect("queued");
        assert!(
            harness
                .app
                .store
                .get(&outbox_pk(&sk), &sk)
                .await
                .expect("get")
                .is_some()
        );
        deliver(&harness.app, &sk, &mail).await.expect("delivered");
        assert_eq!(harness.app.store.get(&outbox_pk(&sk), &sk).await, Ok(None));
        assert_eq!(harness.outbox.sent_to("c@example.org").len(), 1);
    }

    /// A mail to `to` written to the outbox, as a commit writes it.
    async fn in_the_outbox(app: &App, to: &str) -> Queued {
        let queued = queue_mail(Mail {
            to: to.into(),
            subject: "S".into(),
            text: "T".into(),
            html: "H".into(),
        });
        app.store
            .transact(vec![queued.write(app)])
            .await
            .expect("queued");
        queued
    }

    #[tokio::test]
    async fn a_mail_that_failed_is_delivered_by_the_next_sweep_once() {
        let harness = test_harness(|_| {});
        let app = &harness.app;
        let queued = in_the_outbox(app, "d@example.org").await;
        harness.outbox.set_failing(true);
        after_commit(app, std::slice::from_ref(&queued)).await;
        assert_eq!(deliver_pending(app).await, Ok(0));
        assert!(harness.outbox.sent_to("d@example.org").is_empty());
        harness.outbox.set_failing(false);
        assert_eq!(deliver_pending(app).await, Ok(1));
        assert_eq!(deliver_pending(app).await, Ok(0), "delivered once");
        assert_eq!(harness.outbox.sent_to("d@example.org").len(), 1);
    }

    #[tokio::test]
    async fn the_sweep_never_sends_a_mail_that_a_delivery_after_its_commit_holds_or_sent() {
        let harness = test_harness(|_| {});
        let app = &harness.app;
        let queued = in_the_outbox(app, "e@example.org").await;
        // The delivery after the commit is under way: the sweep leaves the mail to it.
        let claim = Claim::take(&queued.sk).expect("the delivery's claim");
        assert!(Claim::take(&queued.sk).is_none(), "one claim at a time");
        assert_eq!(deliver_pending(app).await, Ok(0));
        // It sent and removed the mail; the sweep, which may have read the outbox before, sends
        // nothing either.
        deliver(app, &queued.sk, &queued.mail)
            .await
            .expect("delivered");
        drop(claim);
        assert_eq!(deliver_pending(app).await, Ok(0));
        assert_eq!(harness.outbox.sent_to("e@example.org").len(), 1);
    }
}
