//! Failure budgets per client address and for the whole service: a password check takes a slot of each before it runs, a right password gives them back, so one address spraying a password over many usernames gets few guesses.
//!
//! The per-account lockout ([`crate::throttle`]) bounds guesses at one username; these bound
//! guesses across usernames. Each budget is a windowed counter item (`budget#ip#<keyed hash of
//! the address>#<hour>`, and `budget#all#<minute>#<shard>` spread over [`SHARDS`] items so a
//! surge does not make one item hot), taken with a conditional `ADD` in one transaction before
//! the password is checked (so checks in flight count too) and given back in the login's own
//! write when the password was right. When the whole service sees more failures than its
//! budget, each address gets only [`BUSY_IP_FAILURES_PER_HOUR`].

use crate::app::App;
use crate::crypto::short_keyed_hash;
use crate::record::Record;
use crate::secrets::KeyPurpose;
use crate::store::{Change, Condition, StoreError, Write};

/// Items the service-wide budget is spread over.
pub const SHARDS: u64 = 16;
/// An address's failures per hour while the whole service is over its budget.
pub const BUSY_IP_FAILURES_PER_HOUR: i64 = 10;
const SK: &str = "budget";
const COUNT: &str = "failures";

/// The budget slots one password check holds, to give back if the password was right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slots {
    items: Vec<String>,
}

/// How taking the slots ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Budget {
    /// The check may run.
    Taken(Slots),
    /// This address has used its failures for this hour.
    AddressSpent,
}

fn ip_item(app: &App, client_ip: &str, hour: i64) -> String {
    let hashed = short_keyed_hash(&app.secrets.key(KeyPurpose::ThrottleHash), "ip", client_ip);
    format!("budget#ip#{hashed}#{hour}")
}

fn take_write(pk: &str, limit: i64, expires_at: i64) -> Write {
    Write::Update {
        pk: pk.to_string(),
        sk: SK.to_string(),
        change: Change::new().add(COUNT, 1).expiring_at(expires_at),
        condition: Some(Condition::below(COUNT, limit)),
    }
}

/// Takes a slot of the client address's budget and one of the service's before a password is
/// checked (one transaction).
pub async fn take(app: &App, client_ip: &str) -> Result<Budget, StoreError> {
    let now = app.clock.now_secs();
    let (hour, minute) = (now / 3600, now / 60);
    let ip = ip_item(app, client_ip, hour);
    let shard = rand::random::<u64>() % SHARDS;
    let all = format!("budget#all#{minute}#{shard}");
    let per_shard = ((app.settings.failures_per_minute + SHARDS as i64 - 1) / SHARDS as i64).max(1);
    let writes = vec![
        take_write(&ip, app.settings.ip_failures_per_hour, (hour + 2) * 3600),
        take_write(&all, per_shard, (minute + 2) * 60),
    ];
    match app.store.transact(writes).await {
        Ok(()) => Ok(Budget::Taken(Slots {
            items: vec![ip, all],
        })),
        Err(StoreError::TransactionCanceled { failed }) if failed.contains(&0) => {
            Ok(Budget::AddressSpent)
        }
        Err(StoreError::TransactionCanceled { .. }) => {
            // The service is over its budget: every address gets only a few failures.
            let busy = BUSY_IP_FAILURES_PER_HOUR.min(app.settings.ip_failures_per_hour);
            match app
                .store
                .transact(vec![take_write(&ip, busy, (hour + 2) * 3600)])
                .await
            {
                Ok(()) => {
                    tracing::warn!(audit = "login.budget", outcome = "service_busy", "audit");
                    Ok(Budget::Taken(Slots { items: vec![ip] }))
                }
                Err(StoreError::TransactionCanceled { .. }) => Ok(Budget::AddressSpent),
                Err(err) => Err(err),
            }
        }
        Err(err) => Err(err),
    }
}

impl Slots {
    /// The password was right: the slots go back, in the login's own write.
    pub fn give_back(&self, record: &mut Record) {
        for pk in &self.items {
            record.also(Write::Update {
                pk: pk.clone(),
                sk: SK.to_string(),
                change: Change::new().add(COUNT, -1),
                condition: None,
            });
        }
    }
}
