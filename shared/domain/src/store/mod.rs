//! The `Store` port: DynamoDB's single-table semantics (conditional writes, transactions, TTL).

pub mod counting;
pub mod memory;

use std::collections::BTreeMap;

/// An attribute value. Only what the service needs: strings, integers, booleans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    S(String),
    N(i64),
    Bool(bool),
}

/// The name of the TTL attribute, in epoch seconds.
pub const EXPIRES_AT: &str = "expires_at";

/// One item of the table: its key, its expiry and its other attributes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub pk: String,
    pub sk: String,
    /// Epoch seconds after which the item counts as absent, whether or not DynamoDB deleted it yet.
    pub expires_at: Option<i64>,
    pub attrs: BTreeMap<String, Value>,
}

impl Item {
    pub fn new(pk: impl Into<String>, sk: impl Into<String>) -> Self {
        Self {
            pk: pk.into(),
            sk: sk.into(),
            expires_at: None,
            attrs: BTreeMap::new(),
        }
    }

    pub fn expiring_at(mut self, epoch_seconds: i64) -> Self {
        self.expires_at = Some(epoch_seconds);
        self
    }

    pub fn with(mut self, name: &str, value: Value) -> Self {
        self.set(name, value);
        self
    }

    pub fn with_s(self, name: &str, value: impl Into<String>) -> Self {
        self.with(name, Value::S(value.into()))
    }

    pub fn with_n(self, name: &str, value: i64) -> Self {
        self.with(name, Value::N(value))
    }

    pub fn with_bool(self, name: &str, value: bool) -> Self {
        self.with(name, Value::Bool(value))
    }

    pub fn set(&mut self, name: &str, value: Value) {
        self.attrs.insert(name.to_string(), value);
    }

    pub fn s(&self, name: &str) -> Option<&str> {
        match self.attrs.get(name) {
            Some(Value::S(s)) => Some(s),
            _ => None,
        }
    }

    pub fn n(&self, name: &str) -> Option<i64> {
        match self.attrs.get(name) {
            Some(Value::N(n)) => Some(*n),
            _ => None,
        }
    }

    pub fn bool(&self, name: &str) -> Option<bool> {
        match self.attrs.get(name) {
            Some(Value::Bool(b)) => Some(*b),
            _ => None,
        }
    }

    /// Whether the item is past its expiry at `now` (epoch seconds).
    pub fn is_expired(&self, now: i64) -> bool {
        self.expires_at.is_some_and(|at| at <= now)
    }
}

/// A condition on the current state of one item. An expired item counts as absent everywhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    /// There is no live item with this key.
    Absent,
    /// There is a live item with this key.
    Present,
    /// There is a live item and its attribute equals the value.
    Equals(String, Value),
    /// All of these hold.
    All(Vec<Condition>),
    /// At least one of these holds.
    Any(Vec<Condition>),
    /// There is a live item and it has this attribute.
    Has(String),
    /// There is no live item, or it lacks this attribute.
    Lacks(String),
    /// There is no live item, or it lacks this attribute, or the attribute is a number below this.
    Below(String, i64),
}

impl Condition {
    pub fn equals(name: &str, value: Value) -> Self {
        Condition::Equals(name.to_string(), value)
    }

    pub fn has(name: &str) -> Self {
        Condition::Has(name.to_string())
    }

    pub fn lacks(name: &str) -> Self {
        Condition::Lacks(name.to_string())
    }

    pub fn below(name: &str, limit: i64) -> Self {
        Condition::Below(name.to_string(), limit)
    }

    /// Evaluates the condition against the live item (or its absence).
    pub fn holds_for(&self, live: Option<&Item>) -> bool {
        match self {
            Condition::Absent => live.is_none(),
            Condition::Present => live.is_some(),
            Condition::Equals(name, value) => {
                live.is_some_and(|i| i.attrs.get(name) == Some(value))
            }
            Condition::All(all) => all.iter().all(|c| c.holds_for(live)),
            Condition::Any(any) => any.iter().any(|c| c.holds_for(live)),
            Condition::Has(name) => live.is_some_and(|i| i.attrs.contains_key(name)),
            Condition::Lacks(name) => !live.is_some_and(|i| i.attrs.contains_key(name)),
            Condition::Below(name, limit) => match live.and_then(|i| i.attrs.get(name)) {
                None => true,
                Some(Value::N(n)) => n < limit,
                Some(_) => false,
            },
        }
    }
}

/// A change to some attributes of one item, as DynamoDB's `UpdateItem` makes it: the other
/// attributes stay as they are. A missing item is created (with only what the change gives it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Change {
    /// Attributes to set.
    pub set: Vec<(String, Value)>,
    /// Numbers to add to (a missing attribute counts as 0).
    pub add: Vec<(String, i64)>,
    /// Attributes to remove.
    pub remove: Vec<String>,
    /// A new expiry, if the change gives one.
    pub expires_at: Option<i64>,
}

impl Change {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn set(mut self, name: &str, value: Value) -> Self {
        self.set.push((name.to_string(), value));
        self
    }

    pub fn set_s(self, name: &str, value: impl Into<String>) -> Self {
        self.set(name, Value::S(value.into()))
    }

    pub fn set_n(self, name: &str, value: i64) -> Self {
        self.set(name, Value::N(value))
    }

    pub fn add(mut self, name: &str, by: i64) -> Self {
        self.add.push((name.to_string(), by));
        self
    }

    pub fn remove(mut self, name: &str) -> Self {
        if !self.remove.iter().any(|r| r == name) {
            self.remove.push(name.to_string());
        }
        self
    }

    pub fn expiring_at(mut self, epoch_seconds: i64) -> Self {
        self.expires_at = Some(epoch_seconds);
        self
    }

    /// Whether the change does nothing.
    pub fn is_empty(&self) -> bool {
        self.set.is_empty()
            && self.add.is_empty()
            && self.remove.is_empty()
            && self.expires_at.is_none()
    }

    /// The change made to `item` (a fresh item when there is none).
    pub fn applied_to(&self, item: Option<Item>, pk: &str, sk: &str) -> Item {
        let mut item = item.unwrap_or_else(|| Item::new(pk, sk));
        for name in &self.remove {
            item.attrs.remove(name);
        }
        for (name, value) in &self.set {
            item.set(name, value.clone());
        }
        for (name, by) in &self.add {
            let now = item.n(name).unwrap_or(0);
            item.set(name, Value::N(now + by));
        }
        if let Some(at) = self.expires_at {
            item.expires_at = Some(at);
        }
        item
    }

    /// Checks that no attribute is named twice (DynamoDB refuses overlapping paths).
    pub fn validate(&self) -> Result<(), StoreError> {
        let mut names = std::collections::HashSet::new();
        let all = self
            .set
            .iter()
            .map(|(n, _)| n)
            .chain(self.add.iter().map(|(n, _)| n))
            .chain(self.remove.iter());
        for name in all {
            if name == "pk" || name == "sk" || name == EXPIRES_AT || !names.insert(name) {
                return Err(StoreError::Invalid(format!(
                    "a change names each attribute once and never the key or expiry ({name})"
                )));
            }
        }
        if self.is_empty() {
            return Err(StoreError::Invalid("a change must change something".into()));
        }
        Ok(())
    }
}

/// How an update ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Updated {
    /// The condition held: the item after the change.
    Changed(Item),
    /// The condition did not hold; nothing changed. The live item as it is, if there is one.
    Refused(Option<Item>),
}

impl Updated {
    /// The item after the change; a refusal as `ConditionFailed`.
    pub fn changed(self) -> Result<Item, StoreError> {
        match self {
            Updated::Changed(item) => Ok(item),
            Updated::Refused(_) => Err(StoreError::ConditionFailed),
        }
    }
}

/// One write of a transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Write {
    Put {
        item: Item,
        condition: Option<Condition>,
    },
    Delete {
        pk: String,
        sk: String,
        condition: Option<Condition>,
    },
    Check {
        pk: String,
        sk: String,
        condition: Condition,
    },
    Update {
        pk: String,
        sk: String,
        change: Change,
        condition: Option<Condition>,
    },
}

impl Write {
    pub fn key(&self) -> (&str, &str) {
        match self {
            Write::Put { item, .. } => (&item.pk, &item.sk),
            Write::Delete { pk, sk, .. }
            | Write::Check { pk, sk, .. }
            | Write::Update { pk, sk, .. } => (pk, sk),
        }
    }

    pub fn condition(&self) -> Option<&Condition> {
        match self {
            Write::Put { condition, .. }
            | Write::Delete { condition, .. }
            | Write::Update { condition, .. } => condition.as_ref(),
            Write::Check { condition, .. } => Some(condition),
        }
    }
}

/// What can go wrong with a store call. Conditions and transactions fail as types, never panics.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    #[error("the condition on the write did not hold")]
    ConditionFailed,
    /// Nothing was written; `failed` lists the positions of the writes whose condition did not hold.
    #[error("the transaction was cancelled (conditions failed at {failed:?})")]
    TransactionCanceled { failed: Vec<usize> },
    #[error("the request was invalid: {0}")]
    Invalid(String),
    #[error("the store is unavailable: {0}")]
    Unavailable(String),
}

/// Persistence with DynamoDB's semantics, implemented over DynamoDB and in memory.
#[async_trait::async_trait]
pub trait Store: Send + Sync {
    /// The live item with this key, if any (strongly consistent).
    async fn get(&self, pk: &str, sk: &str) -> Result<Option<Item>, StoreError>;

    /// Live items under `pk` whose sort key starts with `sk_prefix`, in sort-key order.
    async fn query(&self, pk: &str, sk_prefix: &str) -> Result<Vec<Item>, StoreError>;

    /// Writes the whole item, if the condition holds.
    async fn put(&self, item: Item, condition: Option<Condition>) -> Result<(), StoreError>;

    /// Deletes the item, if the condition holds. Deleting nothing is not an error.
    async fn delete(
        &self,
        pk: &str,
        sk: &str,
        condition: Option<Condition>,
    ) -> Result<(), StoreError>;

    /// All the writes or none of them. At most 100 writes, each on a different item.
    async fn transact(&self, writes: Vec<Write>) -> Result<(), StoreError>;

    /// Changes some attributes of one item if the condition holds, and answers the item as it is
    /// afterwards, or as it is when the condition did not hold (one `UpdateItem`, either way).
    /// Meant for items without an expiry, or updated only before it (windowed counters): the
    /// condition sees an expired item as absent.
    async fn update(
        &self,
        pk: &str,
        sk: &str,
        change: Change,
        condition: Option<Condition>,
    ) -> Result<Updated, StoreError>;

    /// Adds one to a counter attribute and returns the new value. A missing or expired item starts
    /// at 1 with `expires_at`; a live one keeps its expiry.
    async fn increment(
        &self,
        pk: &str,
        sk: &str,
        attr: &str,
        expires_at: i64,
    ) -> Result<i64, StoreError>;
}

/// Checks the rules every adapter shares before a transaction is sent.
pub fn validate_transaction(writes: &[Write]) -> Result<(), StoreError> {
    if writes.is_empty() || writes.len() > 100 {
        return Err(StoreError::Invalid(format!(
            "a transaction takes 1 to 100 writes, not {}",
            writes.len()
        )));
    }
    let mut keys = std::collections::HashSet::new();
    for write in writes {
        if let Write::Update { change, .. } = write {
            change.validate()?;
        }
        if !keys.insert(write.key()) {
            return Err(StoreError::Invalid(
                "a transaction writes each item once".into(),
            ));
        }
    }
    Ok(())
}
