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
}

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
        let current = self.live(&table, pk, sk, now).cloned();
        if !holds(condition.as_ref(), current.as_ref()) {
            return Ok(Updated::Refused(current));
        }
        let item = change.applied_to(current, pk, sk);
        table.insert((pk.to_string(), sk.to_string()), item.clone());
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
