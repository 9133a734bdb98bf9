//! The DynamoDB `Store`: one table, keys `pk`/`sk`, TTL attribute `expires_at`, strongly consistent reads.

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::operation::update_item::UpdateItemError;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, AttributeValue, BillingMode, ConditionCheck, Delete, KeySchemaElement,
    KeyType, Put, ReturnValue, ReturnValuesOnConditionCheckFailure, ScalarAttributeType,
    StreamSpecification, StreamViewType, TimeToLiveSpecification, TransactWriteItem, Update,
};
use keys_domain::clock::Clock;
use keys_domain::store::{
    Change, Condition, EXPIRES_AT, Item, Store, StoreError, Updated, Value, Write,
    validate_transaction,
};
use std::collections::HashMap;
use std::sync::Arc;

/// How often a transaction cancelled only by other transactions or throttling is sent.
const TRANSACTION_TRIES: u64 = 4;

type Attributes = HashMap<String, AttributeValue>;

/// The table, reached through the AWS SDK (AWS, LocalStack or moto, by `AWS_ENDPOINT_URL`).
pub struct DynamoStore {
    client: Client,
    table: String,
    clock: Arc<dyn Clock>,
}

impl DynamoStore {
    pub fn new(client: Client, table: impl Into<String>, clock: Arc<dyn Clock>) -> Self {
        Self {
            client,
            table: table.into(),
            clock,
        }
    }

    fn key(pk: &str, sk: &str) -> Attributes {
        HashMap::from([
            ("pk".to_string(), AttributeValue::S(pk.to_string())),
            ("sk".to_string(), AttributeValue::S(sk.to_string())),
        ])
    }
}

/// Creates the table as `infra/template.yaml` declares it, for emulators and the local runner.
/// An existing table is left as it is.
pub async fn create_table_if_missing(client: &Client, table: &str) -> Result<(), StoreError> {
    let exists = client.describe_table().table_name(table).send().await;
    if exists.is_ok() {
        return Ok(());
    }
    let attribute = |name: &str| {
        AttributeDefinition::builder()
            .attribute_name(name)
            .attribute_type(ScalarAttributeType::S)
            .build()
            .map_err(|e| StoreError::Invalid(e.to_string()))
    };
    let key = |name: &str, kind: KeyType| {
        KeySchemaElement::builder()
            .attribute_name(name)
            .key_type(kind)
            .build()
            .map_err(|e| StoreError::Invalid(e.to_string()))
    };
    client
        .create_table()
        .table_name(table)
        .attribute_definitions(attribute("pk")?)
        .attribute_definitions(attribute("sk")?)
        .key_schema(key("pk", KeyType::Hash)?)
        .key_schema(key("sk", KeyType::Range)?)
        .billing_mode(BillingMode::PayPerRequest)
        .stream_specification(
            StreamSpecification::builder()
                .stream_enabled(true)
                .stream_view_type(StreamViewType::NewImage)
                .build()
                .map_err(|e| StoreError::Invalid(e.to_string()))?,
        )
        .send()
        .await
        .map_err(unavailable)?;
    client
        .update_time_to_live()
        .table_name(table)
        .time_to_live_specification(
            TimeToLiveSpecification::builder()
                .enabled(true)
                .attribute_name(EXPIRES_AT)
                .build()
                .map_err(|e| StoreError::Invalid(e.to_string()))?,
        )
        .send()
        .await
        .map_err(unavailable)?;
    Ok(())
}

/// A failed call as one line that says what failed: DynamoDB's error code and message, or that
/// the endpoint did not answer in time or could not be reached (not the SDK's whole debug dump).
fn unavailable<E, R>(err: SdkError<E, R>) -> StoreError
where
    E: std::error::Error + ProvideErrorMetadata + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    let text = match &err {
        SdkError::ServiceError(service) => {
            let e = service.err();
            format!(
                "{}: {}",
                e.code().unwrap_or("DynamoDB error"),
                e.message().unwrap_or("no message")
            )
        }
        SdkError::TimeoutError(_) => "DynamoDB did not answer in time (timeout)".to_string(),
        SdkError::DispatchFailure(failure) if failure.is_timeout() => {
            "DynamoDB did not answer in time (connect timeout)".to_string()
        }
        SdkError::DispatchFailure(failure) if failure.is_io() => {
            "DynamoDB's endpoint cannot be reached (connection failed)".to_string()
        }
        other => {
            let full = DisplayErrorContext(other).to_string();
            full.chars().take(300).collect()
        }
    };
    StoreError::Unavailable(text)
}

fn is_condition_failure<E: ProvideErrorMetadata, R>(err: &SdkError<E, R>) -> bool {
    err.as_service_error()
        .and_then(|e| e.code())
        .is_some_and(|code| code == "ConditionalCheckFailedException")
}

fn to_attribute(value: &Value) -> AttributeValue {
    match value {
        Value::S(s) => AttributeValue::S(s.clone()),
        Value::N(n) => AttributeValue::N(n.to_string()),
        Value::Bool(b) => AttributeValue::Bool(*b),
    }
}

fn to_attributes(item: &Item) -> Attributes {
    let mut map = DynamoStore::key(&item.pk, &item.sk);
    for (name, value) in &item.attrs {
        map.insert(name.clone(), to_attribute(value));
    }
    if let Some(at) = item.expires_at {
        map.insert(EXPIRES_AT.to_string(), AttributeValue::N(at.to_string()));
    }
    map
}

/// The item a DynamoDB stream record's image holds, read as the table's items are.
#[cfg(feature = "stream")]
pub fn item_from_image(image: serde_dynamo::Item) -> Result<Item, StoreError> {
    from_attributes(image.into())
}

fn from_attributes(mut map: Attributes) -> Result<Item, StoreError> {
    let mut take_s = |name: &str| match map.remove(name) {
        Some(AttributeValue::S(s)) => Ok(s),
        _ => Err(StoreError::Invalid(format!("item without a string {name}"))),
    };
    let pk = take_s("pk")?;
    let sk = take_s("sk")?;
    let mut item = Item::new(pk, sk);
    for (name, value) in map {
        let value =
            match value {
                AttributeValue::S(s) => Value::S(s),
                AttributeValue::Bool(b) => Value::Bool(b),
                AttributeValue::N(n) => Value::N(n.parse().map_err(|_| {
                    StoreError::Invalid(format!("attribute {name} is not an integer"))
                })?),
                _ => {
                    return Err(StoreError::Invalid(format!(
                        "attribute {name} has an unsupported type"
                    )));
                }
            };
        if let (EXPIRES_AT, Value::N(at)) = (name.as_str(), &value) {
            item.expires_at = Some(*at);
            continue;
        }
        item.attrs.insert(name, value);
    }
    Ok(item)
}

/// A condition expression with its placeholders, as DynamoDB wants it.
#[derive(Default)]
struct Expression {
    names: HashMap<String, String>,
    values: Attributes,
    counter: usize,
}

impl Expression {
    fn expires(&mut self, now: i64) -> (&'static str, &'static str) {
        self.names.insert("#exp".into(), EXPIRES_AT.into());
        self.values
            .insert(":now".into(), AttributeValue::N(now.to_string()));
        ("#exp", ":now")
    }

    fn render(&mut self, condition: &Condition, now: i64) -> String {
        match condition {
            Condition::Absent => {
                let (exp, now) = self.expires(now);
                format!("(attribute_not_exists(pk) OR {exp} <= {now})")
            }
            Condition::Present => {
                let (exp, now) = self.expires(now);
                format!("(attribute_exists(pk) AND (attribute_not_exists({exp}) OR {exp} > {now}))")
            }
            Condition::Equals(name, value) => {
                let present = self.render(&Condition::Present, now);
                self.counter += 1;
                let (n, v) = (format!("#a{}", self.counter), format!(":v{}", self.counter));
                self.names.insert(n.clone(), name.clone());
                self.values.insert(v.clone(), to_attribute(value));
                format!("({present} AND {n} = {v})")
            }
            Condition::All(all) if all.is_empty() => {
                "(attribute_exists(pk) OR attribute_not_exists(pk))".into()
            }
            Condition::All(all) => {
                let parts: Vec<String> = all.iter().map(|c| self.render(c, now)).collect();
                format!("({})", parts.join(" AND "))
            }
            Condition::Any(any) if any.is_empty() => {
                "(attribute_exists(pk) AND attribute_not_exists(pk))".into()
            }
            Condition::Any(any) => {
                let parts: Vec<String> = any.iter().map(|c| self.render(c, now)).collect();
                format!("({})", parts.join(" OR "))
            }
            Condition::Has(name) => {
                let present = self.render(&Condition::Present, now);
                let n = self.name(name);
                format!("({present} AND attribute_exists({n}))")
            }
            Condition::Lacks(name) => {
                let absent = self.render(&Condition::Absent, now);
                let n = self.name(name);
                format!("({absent} OR attribute_not_exists({n}))")
            }
            Condition::Below(name, limit) => {
                let absent = self.render(&Condition::Absent, now);
                let n = self.name(name);
                let v = self.value(AttributeValue::N(limit.to_string()));
                format!("({absent} OR attribute_not_exists({n}) OR {n} < {v})")
            }
        }
    }

    fn name(&mut self, name: &str) -> String {
        self.counter += 1;
        let placeholder = format!("#a{}", self.counter);
        self.names.insert(placeholder.clone(), name.to_string());
        placeholder
    }

    fn value(&mut self, value: AttributeValue) -> String {
        self.counter += 1;
        let placeholder = format!(":v{}", self.counter);
        self.values.insert(placeholder.clone(), value);
        placeholder
    }

    /// The update expression of a change (SET, ADD as `if_not_exists + n`, REMOVE).
    fn change(&mut self, change: &Change) -> String {
        let mut sets = Vec::new();
        for (name, value) in &change.set {
            let n = self.name(name);
            let v = self.value(to_attribute(value));
            sets.push(format!("{n} = {v}"));
        }
        for (name, by) in &change.add {
            let n = self.name(name);
            let zero = self.value(AttributeValue::N("0".into()));
            let v = self.value(AttributeValue::N(by.to_string()));
            sets.push(format!("{n} = if_not_exists({n}, {zero}) + {v}"));
        }
        if let Some(at) = change.expires_at {
            self.names.insert("#exp".into(), EXPIRES_AT.into());
            let v = self.value(AttributeValue::N(at.to_string()));
            sets.push(format!("#exp = {v}"));
        }
        let mut expression = String::new();
        if !sets.is_empty() {
            expression = format!("SET {}", sets.join(", "));
        }
        if !change.remove.is_empty() {
            let removed: Vec<String> = change.remove.iter().map(|r| self.name(r)).collect();
            expression = format!("{expression} REMOVE {}", removed.join(", "));
        }
        expression.trim().to_string()
    }

    fn names(&self) -> Option<HashMap<String, String>> {
        (!self.names.is_empty()).then(|| self.names.clone())
    }

    fn values(&self) -> Option<Attributes> {
        (!self.values.is_empty()).then(|| self.values.clone())
    }
}

fn invalid(err: impl std::fmt::Display) -> StoreError {
    StoreError::Invalid(err.to_string())
}

#[async_trait::async_trait]
impl Store for DynamoStore {
    async fn get(&self, pk: &str, sk: &str) -> Result<Option<Item>, StoreError> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(Self::key(pk, sk)))
            .consistent_read(true)
            .send()
            .await
            .map_err(unavailable)?;
        let now = self.clock.now_secs();
        match out.item {
            Some(map) => Ok(Some(from_attributes(map)?).filter(|i| !i.is_expired(now))),
            None => Ok(None),
        }
    }

    async fn query(&self, pk: &str, sk_prefix: &str) -> Result<Vec<Item>, StoreError> {
        let now = self.clock.now_secs();
        let mut items = Vec::new();
        let mut start: Option<Attributes> = None;
        loop {
            let mut request = self
                .client
                .query()
                .table_name(&self.table)
                .consistent_read(true)
                .expression_attribute_values(":pk", AttributeValue::S(pk.to_string()))
                .set_exclusive_start_key(start.take());
            request = if sk_prefix.is_empty() {
                request.key_condition_expression("pk = :pk")
            } else {
                request
                    .key_condition_expression("pk = :pk AND begins_with(sk, :prefix)")
                    .expression_attribute_values(
                        ":prefix",
                        AttributeValue::S(sk_prefix.to_string()),
                    )
            };
            let out = request.send().await.map_err(unavailable)?;
            for map in out.items.unwrap_or_default() {
                let item = from_attributes(map)?;
                if !item.is_expired(now) {
                    items.push(item);
                }
            }
            match out.last_evaluated_key {
                Some(key) if !key.is_empty() => start = Some(key),
                _ => break,
            }
        }
        Ok(items)
    }

    async fn put(&self, item: Item, condition: Option<Condition>) -> Result<(), StoreError> {
        let mut expr = Expression::default();
        let condition = condition.map(|c| expr.render(&c, self.clock.now_secs()));
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(to_attributes(&item)))
            .set_condition_expression(condition)
            .set_expression_attribute_names(expr.names())
            .set_expression_attribute_values(expr.values())
            .send()
            .await
            .map(|_| ())
            .map_err(|e| {
                if is_condition_failure(&e) {
                    StoreError::ConditionFailed
                } else {
                    unavailable(e)
                }
            })
    }

    async fn delete(
        &self,
        pk: &str,
        sk: &str,
        condition: Option<Condition>,
    ) -> Result<(), StoreError> {
        let mut expr = Expression::default();
        let condition = condition.map(|c| expr.render(&c, self.clock.now_secs()));
        self.client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(Self::key(pk, sk)))
            .set_condition_expression(condition)
            .set_expression_attribute_names(expr.names())
            .set_expression_attribute_values(expr.values())
            .send()
            .await
            .map(|_| ())
            .map_err(|e| {
                if is_condition_failure(&e) {
                    StoreError::ConditionFailed
                } else {
                    unavailable(e)
                }
            })
    }

    async fn transact(&self, writes: Vec<Write>) -> Result<(), StoreError> {
        validate_transaction(&writes)?;
        let now = self.clock.now_secs();
        let mut items = Vec::with_capacity(writes.len());
        for write in &writes {
            let mut expr = Expression::default();
            let condition = write.condition().map(|c| expr.render(c, now));
            let entry = match write {
                Write::Put { item, .. } => TransactWriteItem::builder().put(
                    Put::builder()
                        .table_name(&self.table)
                        .set_item(Some(to_attributes(item)))
                        .set_condition_expression(condition)
                        .set_expression_attribute_names(expr.names())
                        .set_expression_attribute_values(expr.values())
                        .build()
                        .map_err(invalid)?,
                ),
                Write::Delete { pk, sk, .. } => TransactWriteItem::builder().delete(
                    Delete::builder()
                        .table_name(&self.table)
                        .set_key(Some(Self::key(pk, sk)))
                        .set_condition_expression(condition)
                        .set_expression_attribute_names(expr.names())
                        .set_expression_attribute_values(expr.values())
                        .build()
                        .map_err(invalid)?,
                ),
                Write::Check { pk, sk, .. } => TransactWriteItem::builder().condition_check(
                    ConditionCheck::builder()
                        .table_name(&self.table)
                        .set_key(Some(Self::key(pk, sk)))
                        .set_condition_expression(condition)
                        .set_expression_attribute_names(expr.names())
                        .set_expression_attribute_values(expr.values())
                        .build()
                        .map_err(invalid)?,
                ),
                Write::Update { pk, sk, change, .. } => {
                    let expression = expr.change(change);
                    TransactWriteItem::builder().update(
                        Update::builder()
                            .table_name(&self.table)
                            .set_key(Some(Self::key(pk, sk)))
                            .update_expression(expression)
                            .set_condition_expression(condition)
                            .set_expression_attribute_names(expr.names())
                            .set_expression_attribute_values(expr.values())
                            .build()
                            .map_err(invalid)?,
                    )
                }
            };
            items.push(entry.build());
        }
        let mut attempt = 0;
        loop {
            let sent = self
                .client
                .transact_write_items()
                .set_transact_items(Some(items.clone()))
                .send()
                .await;
            let err = match sent {
                Ok(_) => return Ok(()),
                Err(err) => err,
            };
            let Some(TransactWriteItemsError::TransactionCanceledException(canceled)) =
                err.as_service_error()
            else {
                return Err(unavailable(err));
            };
            let reasons = canceled.cancellation_reasons();
            let failed: Vec<usize> = reasons
                .iter()
                .enumerate()
                .filter(|(_, r)| r.code() == Some("ConditionalCheckFailed"))
                .map(|(i, _)| i)
                .collect();
            if !failed.is_empty() {
                return Err(StoreError::TransactionCanceled { failed });
            }
            // No condition failed: another transaction was writing one of the same items (the
            // shared counters make that likelier in a surge) or an item was throttled. Nothing
            // was written, so the same transaction is tried again after a short random pause;
            // then it is an outage, not the citizen's conflict.
            attempt += 1;
            if attempt >= TRANSACTION_TRIES {
                return Err(unavailable(err));
            }
            let pause = rand::random::<u64>() % (20 * attempt) + 5;
            tokio::time::sleep(std::time::Duration::from_millis(pause)).await;
        }
    }

    async fn update(
        &self,
        pk: &str,
        sk: &str,
        change: Change,
        condition: Option<Condition>,
    ) -> Result<Updated, StoreError> {
        change.validate()?;
        let mut expr = Expression::default();
        let condition = condition.map(|c| expr.render(&c, self.clock.now_secs()));
        let expression = expr.change(&change);
        let out = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(Self::key(pk, sk)))
            .update_expression(expression)
            .set_condition_expression(condition)
            .set_expression_attribute_names(expr.names())
            .set_expression_attribute_values(expr.values())
            .return_values(ReturnValue::AllNew)
            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
            .send()
            .await;
        let now = self.clock.now_secs();
        match out {
            Ok(out) => match out.attributes {
                Some(map) => Ok(Updated::Changed(from_attributes(map)?)),
                None => Err(StoreError::Invalid("no item after an update".into())),
            },
            Err(err) => match err.as_service_error() {
                Some(UpdateItemError::ConditionalCheckFailedException(failed)) => {
                    let current = match failed.item() {
                        Some(map) => {
                            Some(from_attributes(map.clone())?).filter(|item| !item.is_expired(now))
                        }
                        None => None,
                    };
                    Ok(Updated::Refused(current))
                }
                _ => Err(unavailable(err)),
            },
        }
    }

    async fn increment(
        &self,
        pk: &str,
        sk: &str,
        attr: &str,
        expires_at: i64,
    ) -> Result<i64, StoreError> {
        let now = self.clock.now_secs();
        for _ in 0..4 {
            // A live (or missing) item: add one, keeping the expiry it has.
            let added = self
                .client
                .update_item()
                .table_name(&self.table)
                .set_key(Some(Self::key(pk, sk)))
                .update_expression(
                    "SET #c = if_not_exists(#c, :zero) + :one, #exp = if_not_exists(#exp, :exp)",
                )
                .condition_expression(
                    "attribute_not_exists(pk) OR attribute_not_exists(#exp) OR #exp > :now",
                )
                .expression_attribute_names("#c", attr)
                .expression_attribute_names("#exp", EXPIRES_AT)
                .expression_attribute_values(":zero", AttributeValue::N("0".into()))
                .expression_attribute_values(":one", AttributeValue::N("1".into()))
                .expression_attribute_values(":exp", AttributeValue::N(expires_at.to_string()))
                .expression_attribute_values(":now", AttributeValue::N(now.to_string()))
                .return_values(ReturnValue::UpdatedNew)
                .send()
                .await;
            match added {
                Ok(out) => {
                    return match out.attributes.and_then(|mut a| a.remove(attr)) {
                        Some(AttributeValue::N(n)) => n.parse().map_err(invalid),
                        _ => Err(StoreError::Invalid("counter missing after update".into())),
                    };
                }
                Err(e) if is_condition_failure(&e) => {}
                Err(e) => return Err(unavailable(e)),
            }
            // An expired item DynamoDB has not swept yet: start a new count over it.
            let fresh = Item::new(pk, sk).expiring_at(expires_at).with_n(attr, 1);
            let mut expr = Expression::default();
            let (exp, now_ph) = expr.expires(now);
            let condition = format!("{exp} <= {now_ph}");
            let restarted = self
                .client
                .put_item()
                .table_name(&self.table)
                .set_item(Some(to_attributes(&fresh)))
                .condition_expression(condition)
                .set_expression_attribute_names(expr.names())
                .set_expression_attribute_values(expr.values())
                .send()
                .await;
            match restarted {
                Ok(_) => return Ok(1),
                Err(e) if is_condition_failure(&e) => continue,
                Err(e) => return Err(unavailable(e)),
            }
        }
        Err(StoreError::Unavailable(
            "counter kept changing under concurrent updates".into(),
        ))
    }
}
