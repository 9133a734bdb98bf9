//! The `Store` port: DynamoDB's single-table semantics (conditional writes, transactions, TTL).

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
}

impl Condition {
    pub fn equals(name: &str, value: Value) -> Self {
        Condition::Equals(name.to_string(), value)
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
}

impl Write {
    pub fn key(&self) -> (&str, &str) {
        match self {
            Write::Put { item, .. } => (&item.pk, &item.sk),
            Write::Delete { pk, sk, .. } | Write::Check { pk, sk, .. } => (pk, sk),
        }
    }

    pub fn condition(&self) -> Option<&Condition> {
        match self {
            Write::Put { condition, .. } | Write::Delete { condition, .. } => condition.as_ref(),
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
        if !keys.insert(write.key()) {
            return Err(StoreError::Invalid(
                "a transaction writes each item once".into(),
            ));
        }
    }
    Ok(())
}
