//! Look-ups and repairs for the operators' tool (keys-admin): a citizen's audit trail, lockout state and unlock.
//!
//! Kept apart from the flows so a change of the table's layout has one small place to follow:
//! `audit_events` reads the items `audit::entry` writes (partition `audit#<citizen id>`, the
//! attributes `event`, `outcome`, `at`); the password hash and the lockout come from the citizen
//! record.

use crate::app::App;
use crate::citizens::Citizen;
use crate::record::{CommitError, Record, citizen_key};
use crate::store::StoreError;
use crate::throttle::Locked;
use serde::Serialize;

/// One audit event of a citizen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEvent {
    /// When it happened, epoch seconds (`None` for an item that lacks it).
    pub at: Option<i64>,
    pub event: String,
    pub outcome: String,
    /// The operator or officer who caused it (`keys-admin --operator`), if one did.
    pub actor: Option<String>,
}

/// The partition `audit::entry` writes a citizen's events under (mirrors audit.rs).
fn audit_pk(citizen_id: &str) -> String {
    format!("audit#{citizen_id}")
}

/// The audit events of a citizen (still kept: about 13 months), oldest first.
pub async fn audit_events(app: &App, citizen_id: &str) -> Result<Vec<AuditEvent>, StoreError> {
    Ok(app
        .store
        .query(&audit_pk(citizen_id), "")
        .await?
        .into_iter()
        .map(|item| AuditEvent {
            at: item.n("at"),
            event: item.s("event").unwrap_or_default().to_string(),
            outcome: item.s("outcome").unwrap_or_default().to_string(),
            actor: item.s("actor").map(str::to_string),
        })
        .collect())
}

/// The citizen's stored password hash (a PHC or bcrypt string), for checks such as
/// `legacy_passwords::format_of`. Never print or log it.
pub async fn password_hash(app: &App, citizen_id: &str) -> Result<Option<String>, StoreError> {
    Ok(crate::citizens::citizen(app, citizen_id)
        .await?
        .map(|c| c.password_hash().to_string()))
}

/// Whether the citizen's username is locked out of logging in now, and for how long.
pub async fn lockout(app: &App, citizen: &Citizen) -> Result<Option<Locked>, StoreError> {
    let record = Record::load(app, &citizen_key(app, &citizen.username)).await?;
    Ok(record.locked(app.clock.now_secs()))
}

/// Clears the citizen's login lockout and failure count (as a successful login does) and records
/// an `admin.unlock` audit event, in one write. Returns the lockout that was in force, if any.
pub async fn unlock(app: &App, citizen: &Citizen) -> Result<Option<Locked>, StoreError> {
    let mut record = Record::load(app, &citizen_key(app, &citizen.username)).await?;
    let was = record.locked(app.clock.now_secs());
    record.unlock();
    let outcome = if was.is_some() {
        "cleared"
    } else {
        "not_locked"
    };
    record.audit(app, "admin.unlock", outcome);
    match record.commit(app).await {
        Ok(()) => Ok(was),
        Err(CommitError::Conflict { .. }) => Err(StoreError::ConditionFailed),
        Err(CommitError::Store(err)) => Err(err),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::citizens::{PreparedCitizen, enrol_prepared};
    use crate::harness::test_app;
    use crate::lang::Lang;

    async fn citizen(app: &App) -> Citizen {
        let prepared = PreparedCitizen {
            id: "c-1".into(),
            username: "Jan".into(),
            name: None,
            email: "jan@example.be".into(),
            lang: Lang::Nl,
            password_hash: crate::crypto::hash_password("a password").expect("hash"),
            card: (1..=crate::keys::CARD_SIZE)
                .map(|n| (n, format!("{:06}", n)))
                .collect(),
            card_serial: None,
            national_number: None,
        };
        enrol_prepared(app, &prepared).await.expect("enrolled");
        crate::citizens::citizen(app, "c-1")
            .await
            .expect("read")
            .expect("there")
    }

    #[tokio::test]
    async fn unlock_clears_a_lockout_and_is_audited() {
        let (app, _clock) = test_app();
        let jan = citizen(&app).await;
        let ck = citizen_key(&app, "jan");
        for _ in 0..crate::throttle::FAILURES_BEFORE_LOCK {
            let (attempt, mut record) = crate::throttle::take_attempt(&app, &ck, Vec::new())
                .await
                .expect("attempt");
            if let crate::throttle::Attempt::Taken { n } = attempt {
                record.attempt_failed(&app, n);
                record.commit(&app).await.expect("failure");
            }
        }
        assert_eq!(lockout(&app, &jan).await, Ok(Some(Locked { minutes: 1 })));
        assert_eq!(unlock(&app, &jan).await, Ok(Some(Locked { minutes: 1 })));
        assert_eq!(lockout(&app, &jan).await, Ok(None));
        assert_eq!(unlock(&app, &jan).await, Ok(None), "nothing left to clear");
        let events = audit_events(&app, "c-1").await.expect("events");
        let outcomes: Vec<(&str, &str)> = events
            .iter()
            .map(|e| (e.event.as_str(), e.outcome.as_str()))
            .collect();
        assert_eq!(
            outcomes,
            [("admin.unlock", "cleared"), ("admin.unlock", "not_locked")]
        );
        assert!(events.iter().all(|e| e.at == Some(app.clock.now_secs())));
    }

    #[tokio::test]
    async fn the_stored_hash_is_the_one_enrolled() {
        let (app, _clock) = test_app();
        let jan = citizen(&app).await;
        let stored = password_hash(&app, &jan.id)
            .await
            .expect("read")
            .expect("a hash");
        assert!(crate::legacy_passwords::is_current(&stored));
        assert!(crate::crypto::verify_password("a password", &stored));
        assert_eq!(password_hash(&app, "nobody").await, Ok(None));
    }

    #[tokio::test]
    async fn audit_events_are_the_citizens_own() {
        let (app, _clock) = test_app();
        crate::audit::record(&app, "login.password", Some("c-1"), "success").await;
        crate::audit::record(&app, "login.password", Some("c-2"), "failure").await;
        let events = audit_events(&app, "c-1").await.expect("events");
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].outcome, "success");
        assert_eq!(audit_events(&app, "c-3").await, Ok(vec![]));
    }
}
