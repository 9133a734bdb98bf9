//! Writing one row through `citizens::enrol_prepared` (or checking it, for a dry run), retrying with exponential back-off while the store is unavailable (throttled).

use keys_domain::App;
use keys_domain::citizens::{self, EnrolError, Enrolled, PreparedCitizen};
use keys_domain::store::StoreError;
use rand::Rng;
use std::time::Duration;

/// How often and how long to retry a row while the store is unavailable.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Tries in all, the first included.
    pub attempts: u32,
    /// The wait after the first failure; each later wait doubles, up to `max_delay`.
    pub first_delay: Duration,
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            attempts: 10,
            first_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(5),
        }
    }
}

impl RetryPolicy {
    /// The wait before try `attempt + 1` (after `attempt` failures): exponential, capped, with
    /// jitter (half to all of it) so throttled writers do not retry in step.
    pub fn delay(&self, attempt: u32) -> Duration {
        let exponential = self.first_delay.saturating_mul(
            1u32.checked_shl(attempt.saturating_sub(1))
                .unwrap_or(u32::MAX),
        );
        let capped = exponential.min(self.max_delay);
        capped.mul_f64(rand::thread_rng().gen_range(0.5..=1.0))
    }
}

/// How one row ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowOutcome {
    /// Written now (a dry run: would be written).
    New,
    /// This citizen (same id and username) was already there: nothing changed.
    AlreadyThere,
    /// The row cannot be imported, for this reason (no secret in it).
    Rejected(String),
    /// The store stayed unavailable through every retry: the row is not done.
    StoreDown(String),
}

/// A store error's text, shortened for a report.
fn short(text: &str) -> String {
    const MAX: usize = 300;
    match text.char_indices().nth(MAX) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// The reason for a username another citizen holds, naming that citizen when it can be read.
async fn username_taken(app: &App, username: &str) -> String {
    match citizens::citizen_by_username(app, username).await {
        Ok(Some(owner)) => format!(
            "username: duplicate, it belongs to citizen {} (an earlier row of this file, or already in the table)",
            owner.id
        ),
        _ => "username: duplicate, it belongs to another citizen (an earlier row of this file, or already in the table)".into(),
    }
}

const ID_TAKEN: &str = "id: already belongs to a citizen with another username";

/// Retries `attempt_once` while it answers `Err(transient)`.
async fn with_retries<F, Fut>(policy: &RetryPolicy, mut attempt_once: F) -> RowOutcome
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<RowOutcome, String>>,
{
    let mut failures = 0;
    loop {
        match attempt_once().await {
            Ok(outcome) => return outcome,
            Err(transient) => {
                failures += 1;
                if failures >= policy.attempts.max(1) {
                    return RowOutcome::StoreDown(format!(
                        "the store stayed unavailable through {failures} tries: {}",
                        short(&transient)
                    ));
                }
                tokio::time::sleep(policy.delay(failures)).await;
            }
        }
    }
}

/// Writes the citizen: one all-or-nothing transaction, idempotent by id and username.
pub async fn enrol(app: &App, citizen: &PreparedCitizen, policy: &RetryPolicy) -> RowOutcome {
    with_retries(policy, || async {
        match citizens::enrol_prepared(app, citizen).await {
            Ok(Enrolled::New) => Ok(RowOutcome::New),
            Ok(Enrolled::AlreadyThere) => Ok(RowOutcome::AlreadyThere),
            Err(EnrolError::UsernameTaken) => Ok(RowOutcome::Rejected(
                username_taken(app, &citizen.username).await,
            )),
            // DynamoDB also cancels a transaction for throttling or a concurrent transaction on
            // the same items, with no condition failed; only a citizen really holding the id
            // makes the row a reject, anything else is tried again.
            Err(EnrolError::IdTaken) => match citizens::citizen(app, &citizen.id).await {
                Ok(Some(_)) => Ok(RowOutcome::Rejected(ID_TAKEN.into())),
                Ok(None) => Err("the transaction was cancelled with no citizen holding the id (throttled or conflicting)".into()),
                Err(err) => Err(err.to_string()),
            },
            Err(EnrolError::NationalNumberTaken) => Ok(RowOutcome::Rejected(
                "national_register_number: another citizen has it".into(),
            )),
            Err(EnrolError::LookAlike) => Ok(RowOutcome::Rejected(
                "username: looks like another citizen's username (the same letters in another script, or another case form)".into(),
            )),
            Err(EnrolError::Invalid(what)) => Ok(RowOutcome::Rejected(format!(
                "{what}: refused by the domain's checks"
            ))),
            Err(EnrolError::Store(StoreError::Unavailable(reason))) => Err(reason),
            Err(EnrolError::Store(other)) => Ok(RowOutcome::Rejected(format!(
                "the store refused the row: {}",
                short(&other.to_string())
            ))),
            Err(EnrolError::Hash(_)) => Ok(RowOutcome::Rejected(
                "password_hash: refused by the domain".into(),
            )),
        }
    })
    .await
}

/// What `enrol` would do, from reads only: nothing is written.
pub async fn check(app: &App, citizen: &PreparedCitizen, policy: &RetryPolicy) -> RowOutcome {
    let transient = |err: StoreError| match err {
        StoreError::Unavailable(reason) => Err(reason),
        other => Ok(RowOutcome::Rejected(format!(
            "the store refused a read: {}",
            short(&other.to_string())
        ))),
    };
    with_retries(policy, || async {
        match citizens::citizen(app, &citizen.id).await {
            Ok(Some(there)) => {
                return Ok(
                    if citizens::normalise_username(&there.username)
                        == citizens::normalise_username(&citizen.username)
                    {
                        RowOutcome::AlreadyThere
                    } else {
                        RowOutcome::Rejected(ID_TAKEN.into())
                    },
                );
            }
            Ok(None) => {}
            Err(err) => return transient(err),
        }
        match citizens::citizen_by_username(app, &citizen.username).await {
            Ok(Some(_)) => Ok(RowOutcome::Rejected(
                username_taken(app, &citizen.username).await,
            )),
            Ok(None) => Ok(RowOutcome::New),
            Err(err) => transient(err),
        }
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_up_to_the_cap_with_jitter() {
        let policy = RetryPolicy {
            attempts: 10,
            first_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(1),
        };
        for (attempt, full) in [
            (1, 100),
            (2, 200),
            (3, 400),
            (4, 800),
            (5, 1000),
            (30, 1000),
        ] {
            let wait = policy.delay(attempt);
            let full = Duration::from_millis(full);
            assert!(wait <= full && wait >= full / 2, "{attempt}: {wait:?}");
        }
    }

    #[test]
    fn store_texts_are_shortened() {
        assert_eq!(short("short"), "short");
        assert_eq!(short(&"é".repeat(400)).chars().count(), 301);
    }
}
