//! Brute-force defences on the citizen record: an attempt is taken before a password or code is checked, five failures lock with doubling waits.

use crate::app::App;
use crate::record::{Record, SORT_KEY, record_pk};
use crate::store::{Change, Condition, StoreError};

/// Consecutive failures that lock an account.
pub const FAILURES_BEFORE_LOCK: i64 = 5;
/// The first wait; each later lockout doubles it.
pub const FIRST_WAIT_SECONDS: i64 = 60;
/// The longest wait.
pub const LONGEST_WAIT_SECONDS: i64 = 3600;
/// Failures older than this are forgotten.
pub const FORGET_AFTER_SECONDS: i64 = 24 * 3600;

/// The account is locked for this many more minutes (rounded up).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Locked {
    pub minutes: i64,
}

fn minutes_until(now: i64, until: i64) -> i64 {
    ((until - now) + 59) / 60
}

/// How taking an attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    /// Taken: this is attempt `n` since the last success (counted as a failure until a success
    /// forgives it).
    Taken { n: i64 },
    /// The account is locked: nothing may be checked now.
    Locked(Locked),
    /// Another condition did not hold (no such citizen, the flow or the code is gone); the
    /// record as it is tells which.
    Refused,
}

/// Takes an attempt on the record with citizen key `ck` before a password or code is checked:
/// one `UpdateItem` that adds one to its `attempts` on condition that the account is not locked,
/// is under the limit and `conditions` hold, and answers the record (as changed, or as it is).
/// Parallel requests never get more guesses than sequential ones.
pub async fn take_attempt(
    app: &App,
    ck: &str,
    conditions: Vec<Condition>,
) -> Result<(Attempt, Record), StoreError> {
    take(app, ck, conditions, Vec::new(), true).await
}

/// Takes an attempt as [`take_attempt`] does, also adding one to each of `counts` (a code's tries).
pub async fn take_attempt_counting(
    app: &App,
    ck: &str,
    conditions: Vec<Condition>,
    counts: Vec<String>,
) -> Result<(Attempt, Record), StoreError> {
    take(app, ck, conditions, counts, true).await
}

/// Takes a password check for a browser the citizen logged in from before (its device cookie):
/// counted on that browser's own counter (`<device>_n`, at most [`FAILURES_BEFORE_LOCK`]), not
/// on the account's, so a lockout strangers caused does not stop the owner. Answers whether it
/// was taken (the browser is known and has checks left) and the record.
pub async fn take_device_attempt(
    app: &App,
    ck: &str,
    device: &str,
) -> Result<(bool, Record), StoreError> {
    let counter = format!("{device}_n");
    take_try(
        app,
        ck,
        vec![
            Condition::has("username"),
            Condition::has(device),
            Condition::below(&counter, FAILURES_BEFORE_LOCK),
        ],
        vec![counter],
    )
    .await
}

/// Takes a try that does not count towards the lockout (a wizard's code, logged in already):
/// adds one to each of `counts` on condition `conditions` hold, and answers the record.
pub async fn take_try(
    app: &App,
    ck: &str,
    conditions: Vec<Condition>,
    counts: Vec<String>,
) -> Result<(bool, Record), StoreError> {
    let change = counts
        .iter()
        .fold(Change::new(), |change, name| change.add(name, 1));
    let updated = app
        .store
        .update(
            &record_pk(ck),
            SORT_KEY,
            change,
            Some(Condition::All(conditions)),
        )
        .await?;
    Ok(Record::from_updated(ck, updated))
}

async fn take(
    app: &App,
    ck: &str,
    conditions: Vec<Condition>,
    counts: Vec<String>,
    first_try: bool,
) -> Result<(Attempt, Record), StoreError> {
    let now = app.clock.now_secs();
    let conditions_again = conditions.clone();
    let counts_again = counts.clone();
    let mut all = vec![
        Condition::below("attempts", FAILURES_BEFORE_LOCK),
        Condition::below("locked_until", now + 1),
    ];
    all.extend(conditions);
    let change = counts.iter().fold(
        Change::new()
            .add("attempts", 1)
            .set_n("attempt_started", now),
        |change, name| change.add(name, 1),
    );
    let updated = app
        .store
        .update(&record_pk(ck), SORT_KEY, change, Some(Condition::All(all)))
        .await?;
    let (taken, record) = Record::from_updated(ck, updated);
    if taken {
        let n = record.n("attempts").unwrap_or(1);
        // Failures from long ago are forgotten: this one counts as the first.
        let n = if record.stale_failures(now) { 1 } else { n };
        return Ok((Attempt::Taken { n }, record));
    }
    if let Some(locked) = record.locked(now) {
        return Ok((Attempt::Locked(locked), record));
    }
    if record.n("attempts").unwrap_or(0) >= FAILURES_BEFORE_LOCK && first_try {
        // Attempts that never ended (a request stopped half-way) or long forgotten failures
        // hold the count at the limit without a lockout: start the count again, once.
        let mut reset = record.clone();
        reset.set_n("attempts", 0);
        reset.require(record.unchanged("attempts"));
        if reset.commit(app).await.is_ok() {
            return Box::pin(take(app, ck, conditions_again, counts_again, false)).await;
        }
    }
    Ok((Attempt::Refused, record))
}

impl Record {
    /// Whether the account is locked now, and for how long.
    pub fn locked(&self, now: i64) -> Option<Locked> {
        if let Some(until) = self.n("locked_until").filter(|until| *until > now) {
            return Some(Locked {
                minutes: minutes_until(now, until),
            });
        }
        // At the limit without a lockout: the last attempts are still being checked.
        let last = self
            .n("attempted_at")
            .unwrap_or(0)
            .max(self.n("attempt_started").unwrap_or(0));
        (self.n("attempts").unwrap_or(0) >= FAILURES_BEFORE_LOCK && now < last + FIRST_WAIT_SECONDS)
            .then(|| Locked {
                minutes: minutes_until(now, last + FIRST_WAIT_SECONDS),
            })
    }

    /// Whether the failures counted so far are older than a day.
    fn stale_failures(&self, now: i64) -> bool {
        self.n("attempted_at")
            .is_some_and(|at| now - at > FORGET_AFTER_SECONDS)
    }

    /// The attempt was right but the login goes on (a password before its key's code): it no
    /// longer counts, the earlier failures still do.
    pub fn attempt_forgiven(&mut self) {
        self.add("attempts", -1);
    }

    /// A success forgives the attempts and ends the doubling.
    pub fn attempt_succeeded(&mut self) {
        self.set_n("attempts", 0);
        self.remove("lock_level");
        self.remove("locked_until");
    }

    /// The attempt `n` (already counted) failed: the fifth locks the account, for a wait that
    /// doubles with each lockout. Answers the lockout it caused, if any.
    pub fn attempt_failed(&mut self, app: &App, n: i64) -> Option<Locked> {
        let now = app.clock.now_secs();
        if self.stale_failures(now) {
            self.set_n("attempts", n);
        }
        self.set_n("attempted_at", now);
        if n < FAILURES_BEFORE_LOCK {
            return None;
        }
        let level = self.n("lock_level").unwrap_or(0);
        let wait = (FIRST_WAIT_SECONDS << level.clamp(0, 10)).min(LONGEST_WAIT_SECONDS);
        self.set_n("locked_until", now + wait);
        self.set_n("lock_level", level + 1);
        self.set_n("attempts", 0);
        Some(Locked {
            minutes: minutes_until(now, now + wait),
        })
    }

    /// A failure for a username with no citizen: counted after the (equally costly) check, on a
    /// stub record that is forgotten a day after its last failure.
    pub fn stub_failed(&mut self, app: &App) -> Option<Locked> {
        let now = app.clock.now_secs();
        let n = if self.stale_failures(now) {
            1
        } else {
            self.n("attempts").unwrap_or(0) + 1
        };
        self.set_n("attempts", n);
        let locked = self.attempt_failed(app, n);
        let until = self.n("locked_until").unwrap_or(now).max(now);
        self.stub_expiry = Some(until + FORGET_AFTER_SECONDS);
        locked
    }

    /// The attempt `n`, taken before the check as a citizen's is, failed for a username no
    /// citizen has: counted as a citizen's would be, on a stub record forgotten a day after its
    /// last failure.
    pub fn stub_attempt_failed(&mut self, app: &App, n: i64) -> Option<Locked> {
        let now = app.clock.now_secs();
        let locked = self.attempt_failed(app, n);
        let until = locked.map_or(now, |locked| now + locked.minutes * 60);
        self.stub_expiry = Some(until + FORGET_AFTER_SECONDS);
        locked
    }

    /// A right password from a known browser: its failures and the account's lockout end (the
    /// owner is back), the key's code still to come.
    pub fn device_attempt_succeeded(&mut self, device: &str) {
        self.remove(&format!("{device}_n"));
        self.attempt_succeeded();
    }

    /// Ends a lockout (support staff, after checking who is asking).
    pub fn unlock(&mut self) {
        self.attempt_succeeded();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::harness::test_app;
    use crate::record::citizen_key;
    use time::Duration;

    async fn fail(app: &App, ck: &str) -> Option<Locked> {
        match take_attempt(app, ck, Vec::new()).await.expect("attempt") {
            (Attempt::Taken { n }, mut record) => {
                let locked = record.attempt_failed(app, n);
                record.commit(app).await.expect("commit");
                locked
            }
            (Attempt::Locked(locked), _) => Some(locked),
            (Attempt::Refused, _) => panic!("refused"),
        }
    }

    #[tokio::test]
    async fn five_failures_lock_for_a_minute_then_the_wait_doubles() {
        let (app, clock) = test_app();
        let ck = citizen_key(&app, "Jan");
        for _ in 0..4 {
            assert_eq!(fail(&app, &ck).await, None);
        }
        assert_eq!(fail(&app, &ck).await, Some(Locked { minutes: 1 }));
        let (attempt, _) = take_attempt(&app, &ck, Vec::new()).await.expect("attempt");
        assert_eq!(attempt, Attempt::Locked(Locked { minutes: 1 }));
        clock.advance(Duration::seconds(61));
        for _ in 0..4 {
            assert_eq!(fail(&app, &ck).await, None);
        }
        assert_eq!(fail(&app, &ck).await, Some(Locked { minutes: 2 }));
        for _ in 0..8 {
            clock.advance(Duration::hours(2));
            for _ in 0..5 {
                fail(&app, &ck).await;
            }
        }
        let (attempt, _) = take_attempt(&app, &ck, Vec::new()).await.expect("attempt");
        assert_eq!(
            attempt,
            Attempt::Locked(Locked { minutes: 60 }),
            "capped at an hour"
        );
    }

    #[tokio::test]
    async fn success_resets_the_count() {
        let (app, _clock) = test_app();
        let ck = citizen_key(&app, "piet");
        for _ in 0..4 {
            fail(&app, &ck).await;
        }
        let (attempt, mut record) = take_attempt(&app, &ck, Vec::new()).await.expect("attempt");
        assert_eq!(attempt, Attempt::Taken { n: 5 });
        record.attempt_succeeded();
        record.commit(&app).await.expect("commit");
        for _ in 0..4 {
            assert_eq!(fail(&app, &ck).await, None);
        }
    }

    #[tokio::test]
    async fn fifty_parallel_attempts_take_five() {
        let (app, _clock) = test_app();
        let ck = citizen_key(&app, "kim");
        let tasks: Vec<_> = (0..50)
            .map(|_| {
                let (app, ck) = (app.clone(), ck.clone());
                tokio::spawn(async move { take_attempt(&app, &ck, Vec::new()).await })
            })
            .collect();
        let mut taken = 0;
        for task in tasks {
            if let Ok(Ok((Attempt::Taken { .. }, _))) = task.await {
                taken += 1;
            }
        }
        assert_eq!(taken, 5);
    }

    #[tokio::test]
    async fn old_failures_are_forgotten() {
        let (app, clock) = test_app();
        let ck = citizen_key(&app, "old");
        for _ in 0..4 {
            fail(&app, &ck).await;
        }
        clock.advance(Duration::hours(25));
        let (attempt, _) = take_attempt(&app, &ck, Vec::new()).await.expect("attempt");
        assert_eq!(
            attempt,
            Attempt::Taken { n: 1 },
            "a day later the count starts again"
        );
    }
}
