//! The DynamoDB stream batches Lambda hands `mail-dispatch` and `oidc-backchannel`: the items a batch inserted, and the partial-batch response that names the records to retry.

use aws_lambda_events::event::streams::{DynamoDbBatchItemFailure, DynamoDbEventResponse};
use keys_domain::store::Item;

/// A batch of stream records as Lambda hands it over.
pub use aws_lambda_events::event::dynamodb::Event as Batch;

/// The records of a batch that inserted an item: each record's sequence number (what the
/// partial-batch response names) with the item, read as the table's items are. A record whose
/// image is not an item of ours is logged and left out (retrying it would not change it).
pub fn inserted_items(event: &Batch) -> Vec<(String, Item)> {
    event
        .records
        .iter()
        .filter(|record| record.event_name == "INSERT")
        .filter_map(
            |record| match keys_aws::dynamodb::item_from_image(record.change.new_image.clone()) {
                Ok(item) => Some((
                    record.change.sequence_number.clone().unwrap_or_default(),
                    item,
                )),
                Err(err) => {
                    tracing::error!(error = %err, "stream record that is no item of ours; not retried");
                    None
                }
            },
        )
        .collect()
}

/// The partial-batch response naming the records to retry (by sequence number), so that one
/// failure does not send the rest of the batch again.
pub fn retry(sequences: Vec<String>) -> DynamoDbEventResponse {
    let mut response = DynamoDbEventResponse::default();
    response.batch_item_failures = sequences
        .into_iter()
        .map(|sequence| {
            let mut failure = DynamoDbBatchItemFailure::default();
            failure.item_identifier = Some(sequence);
            failure
        })
        .collect();
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A batch as Lambda delivers it from a table stream (NEW_IMAGE view): an outbox mail, a
    /// removal (TTL), and an image without a sort key.
    fn batch() -> Batch {
        serde_json::from_value(json!({ "Records": [
            {
                "eventID": "1", "eventName": "INSERT", "eventVersion": "1.1",
                "eventSource": "aws:dynamodb", "awsRegion": "eu-west-1",
                "dynamodb": {
                    "ApproximateCreationDateTime": 1_767_225_600.0,
                    "Keys": { "pk": {"S": "outbox#3"}, "sk": {"S": "mail#a"} },
                    "NewImage": {
                        "pk": {"S": "outbox#3"}, "sk": {"S": "mail#a"}, "to": {"S": "a@example.org"},
                        "tries": {"N": "2"}, "sent": {"BOOL": false}, "expires_at": {"N": "1767312000"}
                    },
                    "SequenceNumber": "111", "SizeBytes": 120, "StreamViewType": "NEW_IMAGE"
                },
                "eventSourceARN": "arn:aws:dynamodb:eu-west-1:123456789012:table/keys/stream/2026"
            },
            {
                "eventID": "2", "eventName": "REMOVE", "eventVersion": "1.1",
                "eventSource": "aws:dynamodb", "awsRegion": "eu-west-1",
                "dynamodb": {
                    "Keys": { "pk": {"S": "outbox#3"}, "sk": {"S": "mail#b"} },
                    "SequenceNumber": "112", "SizeBytes": 40, "StreamViewType": "NEW_IMAGE"
                }
            },
            {
                "eventID": "3", "eventName": "INSERT", "eventVersion": "1.1",
                "eventSource": "aws:dynamodb", "awsRegion": "eu-west-1",
                "dynamodb": {
                    "NewImage": { "pk": {"S": "outbox#3"} },
                    "SequenceNumber": "113", "SizeBytes": 40, "StreamViewType": "NEW_IMAGE"
                }
            }
        ]}))
        .expect("a DynamoDB stream event")
    }

    #[test]
    fn a_batch_gives_the_items_it_inserted_with_their_sequence_numbers() {
        let inserted = inserted_items(&batch());
        assert_eq!(
            inserted.len(),
            1,
            "the removal and the image without sk are left out"
        );
        let (sequence, item) = &inserted[0];
        assert_eq!(sequence, "111");
        assert_eq!((item.pk.as_str(), item.sk.as_str()), ("outbox#3", "mail#a"));
        assert_eq!(item.s("to"), Some("a@example.org"));
        assert_eq!(item.n("tries"), Some(2));
        assert_eq!(item.expires_at, Some(1_767_312_000));
    }

    #[test]
    fn the_response_names_the_records_to_retry() {
        assert_eq!(
            serde_json::to_value(retry(vec!["111".into(), "113".into()])).expect("json"),
            json!({ "batchItemFailures": [{ "itemIdentifier": "111" }, { "itemIdentifier": "113" }] })
        );
        assert_eq!(
            serde_json::to_value(retry(Vec::new())).expect("json"),
            json!({ "batchItemFailures": [] })
        );
    }
}
