//! A `Store` wrapper that counts the calls made through it (each one a DynamoDB round trip), for budgets and benchmarks.

use super::{Change, Condition, Item, Store, StoreError, Updated, Write};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// Counts every call by operation name, passing it on to the wrapped store.
pub struct CountingStore {
    inner: Arc<dyn Store>,
    calls: Mutex<BTreeMap<&'static str, usize>>,
    /// Calls on this partition are not counted (the outbox's delivery belongs to mail-dispatch).
    ignored_pk: Option<String>,
}

impl CountingStore {
    pub fn new(inner: Arc<dyn Store>) -> Self {
        Self {
            inner,
            calls: Mutex::new(BTreeMap::new()),
            ignored_pk: None,
        }
    }

    /// Leaves deletes and queries on the partition `pk` uncounted.
    pub fn ignoring(mut self, pk: &str) -> Self {
        self.ignored_pk = Some(pk.to_string());
        self
    }

    /// The calls counted since the last `take`, by operation; the count starts again at zero.
    pub fn take(&self) -> BTreeMap<&'static str, usize> {
        std::mem::take(&mut *self.calls.lock().unwrap_or_else(|p| p.into_inner()))
    }

    fn count(&self, op: &'static str, pk: &str) {
        if self
            .ignored_pk
            .as_deref()
            .is_some_and(|ignored| pk.starts_with(ignored))
        {
            return;
        }
        *self
            .calls
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(op)
            .or_default() += 1;
    }
}

#[async_trait::async_trait]
impl Store for CountingStore {
    async fn get(&self, pk: &str, sk: &str) -> Result<Option<Item>, StoreError> {
        self.count("GetItem", pk);
        self.inner.get(pk, sk).await
    }

    async fn query(&self, pk: &str, sk_prefix: &str) -> Result<Vec<Item>, StoreError> {
        self.count("Query", pk);
        self.inner.query(pk, sk_prefix).await
    }

    async fn put(&self, item: Item, condition: Option<Condition>) -> Result<(), StoreError> {
        self.count("PutItem", &item.pk);
        self.inner.put(item, condition).await
    }

    async fn delete(
        &self,
        pk: &str,
        sk: &str,
        condition: Option<Condition>,
    ) -> Result<(), StoreError> {
        self.count("DeleteItem", pk);
        self.inner.delete(pk, sk, condition).await
    }

    async fn transact(&self, writes: Vec<Write>) -> Result<(), StoreError> {
        self.count("TransactWriteItems", "");
        self.inner.transact(writes).await
    }

    async fn update(
        &self,
        pk: &str,
        sk: &str,
        change: Change,
        condition: Option<Condition>,
    ) -> Result<Updated, StoreError> {
        self.count("UpdateItem", pk);
        self.inner.update(pk, sk, change, condition).await
    }

    async fn increment(
        &self,
        pk: &str,
        sk: &str,
        attr: &str,
        expires_at: i64,
    ) -> Result<i64, StoreError> {
        self.count("UpdateItem", pk);
        self.inner.increment(pk, sk, attr, expires_at).await
    }
}
