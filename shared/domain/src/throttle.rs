//! Brute-force defences: a per-username lockout with doubling waits and a generous per-IP rate limit.

use crate::app::App;
use crate::crypto::keyed_hash;
use crate::domain::{DomainError, normalise_username};
use crate::secrets::KeyPurpose;
use crate::store::{Condition, Item, StoreError, Value};

/// Consecutive failures that lock an account.
pub const FAILURES_BEFORE_LOCK: i64 = 5;
/// The first wait; each later lockout doubles it.
pub const FIRST_WAIT_SECONDS: i64 = 60;
/// The longest wait.
pub const LONGEST_WAIT_SECONDS: i64 = 3600;
/// Requests per client address per minute on the login steps.
pub const REQUESTS_PER_IP_PER_MINUTE: i64 = 300;
/// A lockout record with no failure for this long is forgotten.
const FORGET_AFTER_SECONDS: i64 = 24 * 3600;

fn lockout_pk(app: &App, username: &str) -> String {
    let key = app.secrets.key(KeyPurpose::ThrottleHash);
    format!(
        "lockout#{}",
        keyed_hash(&key, "username", &normalise_username(username))
    )
}

/// The account is locked for this many more minutes (rounded up).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Locked {
    pub minutes: i64,
}

fn minutes_until(now: i64, until: i64) -> i64 {
    ((until - now) + 59) / 60
}

/// Whether the username may try now. Works the same whether or not the account exists.
pub async fn check_lockout(app: &App, username: &str) -> Result<Option<Locked>, StoreError> {
    let now = app.clock.now_secs();
    let item = app.store.get(&lockout_pk(app, username), "lockout").await?;
    Ok(item
        .and_then(|i| i.n("locked_until"))
        .filter(|until| *until > now)
        .map(|until| Locked {
            minutes: minutes_until(now, until),
        }))
}

/// Counts a failure; returns the lockout it caused, if it caused one.
pub async fn record_failure(app: &App, username: &str) -> Result<Option<Locked>, DomainError> {
    let pk = lockout_pk(app, username);
    for _ in 0..5 {
        let now = app.clock.now_secs();
        let current = app.store.get(&pk, "lockout").await?;
        let version = current.as_ref().and_then(|i| i.n("version")).unwrap_or(0);
        let mut failures = current.as_ref().and_then(|i| i.n("failures")).unwrap_or(0) + 1;
        let mut level = current.as_ref().and_then(|i| i.n("level")).unwrap_or(0);
        let mut locked_until = current
            .as_ref()
            .and_then(|i| i.n("locked_until"))
            .unwrap_or(0);
        let mut locked = None;
        if failures >= FAILURES_BEFORE_LOCK {
            let wait = (FIRST_WAIT_SECONDS << level.min(10)).min(LONGEST_WAIT_SECONDS);
            locked_until = now + wait;
            level += 1;
            failures = 0;
            locked = Some(Locked {
                minutes: minutes_until(now, locked_until),
            });
        }
        let item = Item::new(&pk, "lockout")
            .expiring_at(now.max(locked_until) + FORGET_AFTER_SECONDS)
            .with_n("failures", failures)
            .with_n("level", level)
            .with_n("locked_until", locked_until)
            .with_n("version", version + 1);
        let condition = match current {
            Some(_) => Condition::equals("version", Value::N(version)),
            None => Condition::Absent,
        };
        match app.store.put(item, Some(condition)).await {
            Ok(()) => return Ok(locked),
            Err(StoreError::ConditionFailed) => continue,
            Err(other) => return Err(other.into()),
        }
    }
    Err(DomainError::KeptChanging("lockout record"))
}

/// A success forgets the failures.
pub async fn record_success(app: &App, username: &str) -> Result<(), StoreError> {
    app.store
        .delete(&lockout_pk(app, username), "lockout", None)
        .await
}

/// Counts a request from `client_ip`; `false` when the address is over its limit for this minute.
pub async fn allow_request(app: &App, client_ip: &str) -> Result<bool, StoreError> {
    let now = app.clock.now_secs();
    let window = now / 60;
    let key = app.secrets.key(KeyPurpose::ThrottleHash);
    let pk = format!("ratelimit#{}", keyed_hash(&key, "ip", client_ip));
    let count = app
        .store
        .increment(&pk, &window.to_string(), "count", (window + 2) * 60)
        .await?;
    Ok(count <= REQUESTS_PER_IP_PER_MINUTE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::harness::test_app;
    use time::Duration;

    #[tokio::test]
    async fn five_failures_lock_for_a_minute_then_the_wait_doubles() {
        let (app, clock) = test_app();
        for _ in 0..4 {
            assert_eq!(record_failure(&app, "Jan").await, Ok(None));
        }
        assert_eq!(check_lockout(&app, "jan").await, Ok(None));
        assert_eq!(
            record_failure(&app, "jan").await,
            Ok(Some(Locked { minutes: 1 }))
        );
        assert_eq!(
            check_lockout(&app, " JAN ").await,
            Ok(Some(Locked { minutes: 1 }))
        );
        clock.advance(Duration::seconds(61));
        assert_eq!(check_lockout(&app, "jan").await, Ok(None));
        for _ in 0..4 {
            record_failure(&app, "jan").await.expect("failure");
        }
        assert_eq!(
            record_failure(&app, "jan").await,
            Ok(Some(Locked { minutes: 2 }))
        );
        for _ in 0..8 {
            clock.advance(Duration::hours(2));
            for _ in 0..5 {
                record_failure(&app, "jan").await.expect("failure");
            }
        }
        assert_eq!(
            check_lockout(&app, "jan").await,
            Ok(Some(Locked { minutes: 60 })),
            "capped at an hour"
        );
    }

    #[tokio::test]
    async fn success_resets_the_count() {
        let (app, _clock) = test_app();
        for _ in 0..4 {
            record_failure(&app, "piet").await.expect("failure");
        }
        record_success(&app, "piet").await.expect("success");
        for _ in 0..4 {
            assert_eq!(record_failure(&app, "piet").await, Ok(None));
        }
    }

    #[tokio::test]
    async fn the_ip_limit_is_per_minute() {
        let (app, clock) = test_app();
        for _ in 0..REQUESTS_PER_IP_PER_MINUTE {
            assert_eq!(allow_request(&app, "192.0.2.1").await, Ok(true));
        }
        assert_eq!(allow_request(&app, "192.0.2.1").await, Ok(false));
        assert_eq!(
            allow_request(&app, "192.0.2.2").await,
            Ok(true),
            "other addresses are not affected"
        );
        clock.advance(Duration::seconds(60));
        assert_eq!(allow_request(&app, "192.0.2.1").await, Ok(true));
    }
}
