//! Mail dispatch: notification mails written to the outbox in a transaction, delivered from the stream.

use crate::app::App;
use crate::crypto::random_short_id;
use crate::mailer::Mail;
use crate::store::{Item, Write};
use serde_json::{Value as Json, json};

/// How long an undelivered outbox item is kept for inspection (a week).
const KEEP_SECONDS: i64 = 7 * 24 * 3600;

/// The transaction write that queues `mail` for delivery.
pub fn queue_mail(app: &App, mail: &Mail) -> Write {
    let item = Item::new(format!("outbox#{}", random_short_id()), "mail")
        .expiring_at(app.clock.now_secs() + KEEP_SECONDS)
        .with_s("to", &mail.to)
        .with_s("subject", &mail.subject)
        .with_s("text", &mail.text)
        .with_s("html", &mail.html);
    Write::Put {
        item,
        condition: None,
    }
}

fn string_attribute(image: &Json, name: &str) -> Option<String> {
    image.get(name)?.get("S")?.as_str().map(String::from)
}

/// Delivers the outbox mails of a DynamoDB stream batch; answers the partial-batch response that
/// names the records to retry (by sequence number), so one failed mail does not resend the others.
pub async fn deliver_stream_batch(app: &App, event: &Json) -> Json {
    let mut failures = Vec::new();
    let records = event
        .get("Records")
        .and_then(Json::as_array)
        .cloned()
        .unwrap_or_default();
    for record in &records {
        let Some(dynamodb) = record.get("dynamodb") else {
            continue;
        };
        let sequence = dynamodb
            .get("SequenceNumber")
            .and_then(Json::as_str)
            .unwrap_or_default()
            .to_string();
        if record.get("eventName").and_then(Json::as_str) != Some("INSERT") {
            continue;
        }
        let Some(image) = dynamodb.get("NewImage") else {
            continue;
        };
        let (Some(pk), Some(sk)) = (string_attribute(image, "pk"), string_attribute(image, "sk"))
        else {
            continue;
        };
        if !pk.starts_with("outbox#") || sk != "mail" {
            continue;
        }
        let mail = match (
            string_attribute(image, "to"),
            string_attribute(image, "subject"),
            string_attribute(image, "text"),
            string_attribute(image, "html"),
        ) {
            (Some(to), Some(subject), Some(text), Some(html)) => Mail {
                to,
                subject,
                text,
                html,
            },
            _ => {
                tracing::error!(item = %pk, "outbox item without its mail; not retried");
                continue;
            }
        };
        match deliver(app, &pk, &mail).await {
            Ok(()) => {}
            Err(()) => failures.push(json!({ "itemIdentifier": sequence })),
        }
    }
    json!({ "batchItemFailures": failures })
}

/// Sends one outbox mail and removes its item. Sending twice is possible after a crash between the
/// two; losing a mail is not.
pub async fn deliver(app: &App, pk: &str, mail: &Mail) -> Result<(), ()> {
    if let Err(err) = app.mailer.send(mail).await {
        tracing::warn!(item = %pk, to = %crate::mailer::redact_address(&mail.to), error = %err, "mail not sent; will retry");
        return Err(());
    }
    if let Err(err) = app.store.delete(pk, "mail", None).await {
        tracing::warn!(item = %pk, error = %err, "mail sent but its outbox item stays");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::test_harness;

    fn stream_event(items: &[(&str, &str)]) -> Json {
        let records: Vec<Json> = items
            .iter()
            .enumerate()
            .map(|(n, (pk, to))| {
                json!({
                    "eventName": "INSERT",
                    "dynamodb": {
                        "SequenceNumber": format!("{}", 100 + n),
                        "NewImage": {
                            "pk": {"S": pk}, "sk": {"S": "mail"}, "to": {"S": to},
                            "subject": {"S": "Subject"}, "text": {"S": "Text"}, "html": {"S": "<p>Html</p>"}
                        }
                    }
                })
            })
            .collect();
        json!({ "Records": records })
    }

    #[tokio::test]
    async fn delivered_mails_leave_the_outbox_and_failures_are_named() {
        let harness = test_harness(|_| {});
        let app = &harness.app;
        let event = stream_event(&[
            ("outbox#a", "a@example.org"),
            ("citizen#x", "ignored@example.org"),
        ]);
        let answer = deliver_stream_batch(app, &event).await;
        assert_eq!(answer, json!({ "batchItemFailures": [] }));
        assert_eq!(harness.outbox.sent_to("a@example.org").len(), 1);
        assert!(
            harness.outbox.sent_to("ignored@example.org").is_empty(),
            "only outbox items are mails"
        );

        harness.outbox.set_failing(true);
        let answer =
            deliver_stream_batch(app, &stream_event(&[("outbox#b", "b@example.org")])).await;
        assert_eq!(
            answer,
            json!({ "batchItemFailures": [{ "itemIdentifier": "100" }] })
        );
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
        let write = queue_mail(&harness.app, &mail);
        let pk = write.key().0.to_string();
        harness
            .app
            .store
            .transact(vec![write])
            .await
            .expect("queued");
        assert!(
            harness
                .app
                .store
                .get(&pk, "mail")
                .await
                .expect("get")
                .is_some()
        );
        deliver(&harness.app, &pk, &mail).await.expect("delivered");
        assert_eq!(harness.app.store.get(&pk, "mail").await, Ok(None));
        assert_eq!(harness.outbox.sent_to("c@example.org").len(), 1);
    }
}
