//! The in-memory `Store`: DynamoDB's semantics in one process, for the local runner and tests.

use super::{
    Change, Condition, Item, Store, StoreError, Updated, Value, Write, validate_transaction,
};
use crate::clock::Clock;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

type Table = BTreeMap<(String, String), Item>;

/// A table in a mutex. Writes happen under one lock, so transactions are atomic.
pub struct MemoryStore {
    table: Mutex<Table>,
    clock: Arc<dyn Clock>,
    faults: Mutex<Option<FaultPlan>>,
    writes: std::sync::atomic::AtomicU64,
}

/// Every this many writes, items expired for longer than [`SWEEP_GRACE_SECONDS`] are dropped, as
/// DynamoDB's TTL sweep does (a local runner left on does not grow without bound).
pub const SWEEP_EVERY_WRITES: u64 = 1024;
/// How long an expired item stays before the sweep drops it (DynamoDB takes up to days).
pub const SWEEP_GRACE_SECONDS: i64 = 3600;

/// Makes the store fail on purpose, to prove that a failure half-way loses nothing.
#[derive(Debug, Clone)]
pub struct FaultPlan {
    /// The number of write calls (put, delete, transact, increment) to let through before failing.
    pub after_writes: usize,
}

impl MemoryStore {
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        Self {
            table: Mutex::new(BTreeMap::new()),
            clock,
            faults: Mutex::new(None),
            writes: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// From now on, fail the write call that comes after `after_writes` successful ones.
    pub fn fail_after_writes(&self, after_writes: usize) {
        *lock(&self.faults) = Some(FaultPlan { after_writes });
    }

    /// Stops failing on purpose.
    pub fn heal(&self) {
        *lock(&self.faults) = None;
    }

    /// Every item, expired ones too, as DynamoDB would still hold them before its TTL sweep.
    pub fn raw_items(&self) -> Vec<Item> {
        lock(&self.table).values().cloned().collect()
    }

    fn check_fault(&self) -> Result<(), StoreError> {
        let mut faults = lock(&self.faults);
        if let Some(plan) = faults.as_mut() {
            if plan.after_writes == 0 {
                return Err(StoreError::Unavailable("injected fault".into()));
            }
            plan.after_writes -= 1;
        }
        Ok(())
    }

    /// Counts a write; every [`SWEEP_EVERY_WRITES`] drops the items long expired.
    fn sweep_now_and_then(&self, table: &mut Table) {
        let written = self
            .writes
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            + 1;
        if written.is_multiple_of(SWEEP_EVERY_WRITES) {
            let now = self.clock.now_secs();
            table.retain(|_, item| {
                item.expires_at
                    .is_none_or(|at| at + SWEEP_GRACE_SECONDS > now)
            });
        }
    }

    fn live<'a>(&self, table: &'a Table, pk: &str, sk: &str, now: i64) -> Option<&'a Item> {
        table
            .get(&(pk.to_string(), sk.to_string()))
            .filter(|item| !item.is_expired(now))
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn holds(condition: Option<&Condition>, live: Option<&Item>) -> bool {
    condition.is_none_or(|c| c.holds_for(live))
}

#[async_trait::async_trait]
impl Store for MemoryStore {
    async fn get(&self, pk: &str, sk: &str) -> Result<Option<Item>, StoreError> {
        let table = lock(&self.table);
        Ok(self.live(&table, pk, sk, self.clock.now_secs()).cloned())
    }

    async fn query(&self, pk: &str, sk_prefix: &str) -> Result<Vec<Item>, StoreError> {
        let now = self.clock.now_secs();
        let table = lock(&self.table);
        Ok(table
            .range((pk.to_string(), sk_prefix.to_string())..)
            .take_while(|((p, s), _)| p == pk && s.starts_with(sk_prefix))
            .map(|(_, item)| item)
            .filter(|item| !item.is_expired(now))
            .cloned()
            .collect())
    }

    async fn put(&self, item: Item, condition: Option<Condition>) -> Result<(), StoreError> {
        self.check_fault()?;
        let now = self.clock.now_secs();
        let mut table = lock(&self.table);
        self.sweep_now_and_then(&mut table);
        if !holds(
            condition.as_ref(),
            self.live(&table, &item.pk, &item.sk, now),
        ) {
            return Err(StoreError::ConditionFailed);
        }
        table.insert((item.pk.clone(), item.sk.clone()), item);
        Ok(())
    }

    async fn delete(
        &self,
        pk: &str,
        sk: &str,
        condition: Option<Condition>,
    ) -> Result<(), StoreError> {
        self.check_fault()?;
        let now = self.clock.now_secs();
        let mut table = lock(&self.table);
        self.sweep_now_and_then(&mut table);
        if !holds(condition.as_ref(), self.live(&table, pk, sk, now)) {
            return Err(StoreError::ConditionFailed);
        }
        table.remove(&(pk.to_string(), sk.to_string()));
        Ok(())
    }

    async fn transact(&self, writes: Vec<Write>) -> Result<(), StoreError> {
        validate_transaction(&writes)?;
        self.check_fault()?;
        let now = self.clock.now_secs();
        let mut table = lock(&self.table);
        self.sweep_now_and_then(&mut table);
        let failed: Vec<usize> = writes
            .iter()
            .enumerate()
            .filter(|(_, w)| {
                let (pk, sk) = w.key();
                !holds(w.condition(), self.live(&table, pk, sk, now))
            })
            .map(|(i, _)| i)
            .collect();
        if !failed.is_empty() {
            return Err(StoreError::TransactionCanceled { failed });
        }
        for write in writes {
            match write {
                Write::Put { item, .. } => {
                    table.insert((item.pk.clone(), item.sk.clone()), item);
                }
                Write::Delete { pk, sk, .. } => {
                    table.remove(&(pk, sk));
                }
                Write::Check { .. } => {}
                Write::Update { pk, sk, change, .. } => {
                    let current = self.live(&table, &pk, &sk, now).cloned();
                    let item = change.applied_to(current, &pk, &sk);
                    table.insert((pk, sk), item);
                }
            }
        }
        Ok(())
    }

    async fn update(
        &self,
        pk: &str,
        sk: &str,
        change: Change,
        condition: Option<Condition>,
    ) -> Result<Updated, StoreError> {
        change.validate()?;
        self.check_fault()?;
        let now = self.clock.now_secs();
        let mut table = lock(&self.table);
        self.sweep_now_and_then(&mut table);
        let key = (pk.to_string(), sk.to_string());
        let live = table.get(&key).filter(|item| !item.is_expired(now));
        if !holds(condition.as_ref(), live) {
            return Ok(Updated::Refused(live.cloned()));
        }
        // Changed in place of the stored one: one copy of the record (the answer), not two.
        let current = table.remove(&key).filter(|item| !item.is_expired(now));
        let item = change.applied_to(current, pk, sk);
        table.insert(key, item.clone());
        Ok(Updated::Changed(item))
    }

    async fn increment(
        &self,
        pk: &str,
        sk: &str,
        attr: &str,
        expires_at: i64,
    ) -> Result<i64, StoreError> {
        self.check_fault()?;
        let now = self.clock.now_secs();
        let mut table = lock(&self.table);
        self.sweep_now_and_then(&mut table);
        let key = (pk.to_string(), sk.to_string());
        let mut item = match self.live(&table, pk, sk, now) {
            Some(live) => live.clone(),
            None => Item::new(pk, sk).expiring_at(expires_at),
        };
        let next = item.n(attr).unwrap_or(0) + 1;
        item.set(attr, Value::N(next));
        table.insert(key, item);
        Ok(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;

    #[tokio::test]
    async fn items_long_expired_are_swept_away() {
        let clock = Arc::new(ManualClock::new(
            time::macros::datetime!(2026-11-22 09:00 UTC),
        ));
        let store = MemoryStore::new(clock.clone());
        let now = clock.now_secs();
        for n in 0..SWEEP_EVERY_WRITES {
            let item = Item::new(format!("code#{n}"), "code").expiring_at(now + 60);
            store.put(item, None).await.expect("put");
        }
        assert_eq!(store.raw_items().len(), SWEEP_EVERY_WRITES as usize);
        clock.advance(time::Duration::seconds(60 + SWEEP_GRACE_SECONDS));
        for n in 0..SWEEP_EVERY_WRITES {
            let item = Item::new(format!("kept#{n}"), "kept");
            store.put(item, None).await.expect("put");
        }
        let left = store.raw_items();
        assert_eq!(
            left.len(),
            SWEEP_EVERY_WRITES as usize,
            "only what never expires"
        );
        assert!(left.iter().all(|item| item.pk.starts_with("kept#")));
    }
}
