//! Look-ups and repairs for the operators' tool (keys-admin): a citizen's audit trail, lockout state and unlock.
//!
//! Kept apart from the flows so a change of the table's layout has one small place to follow:
//! `audit_events` reads the items `audit::entry` writes (partition `audit#<citizen id>`, the
//! attributes `event`, `outcome`, `at`), `password_hash` reads the profile item `enrol_prepared`
//! writes (attribute `password`), and the lockout goes through `throttle`'s own functions.

use crate::app::App;
use crate::domain::Citizen;
use crate::store::StoreError;
use crate::throttle::{self, Locked};
use serde::Serialize;

/// One audit event of a citizen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEvent {
    /// When it happened, epoch seconds (`None` for an item that lacks it).
    pub at: Option<i64>,
    pub event: String,
    pub outcome: String,
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
        })
        .collect())
}

/// The citizen's stored password hash (a PHC or bcrypt string), for checks such as
/// `legacy_passwords::format_of`. Never print or log it.
pub async fn password_hash(app: &App, citizen_id: &str) -> Result<Option<String>, StoreError> {
    Ok(app
        .store
        .get(&crate::domain::citizen_pk(citizen_id), "profile")
        .await?
        .and_then(|item| item.s("password").map(str::to_string)))
}

/// Whether the citizen's username is locked out of logging in now, and for how long.
pub async fn lockout(app: &App, citizen: &Citizen) -> Result<Option<Locked>, StoreError> {
    throttle::check_lockout(app, &citizen.username).await
}

/// Clears the citizen's login lockout and failure count (as a successful login does) and records
/// an `admin.unlock` audit event. Returns the lockout that was in force, if any.
pub async fn unlock(app: &App, citizen: &Citizen) -> Result<Option<Locked>, StoreError> {
    let was = lockout(app, citizen).await?;
    throttle::record_success(app, &citizen.username).await?;
    let outcome = if was.is_some() {
        "cleared"
    } else {
        "not_locked"
    };
    crate::audit::record(app, "admin.unlock", Some(&citizen.id), outcome).await;
    Ok(was)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{PreparedCitizen, enrol_prepared};
    use crate::harness::test_app;
    use crate::lang::Lang;

    async fn citizen(app: &App) -> Citizen {
        let prepared = PreparedCitizen {
            id: "c-1".into(),
            username: "Jan".into(),
            email: "jan@example.be".into(),
            lang: Lang::Nl,
            password_hash: crate::crypto::hash_password("a password").expect("hash"),
            card: (1..=crate::domain::CARD_SIZE)
                .map(|n| (n, format!("{:06}", n)))
                .collect(),
        };
        enrol_prepared(app, &prepared).await.expect("enrolled");
        crate::domain::citizen(app, "c-1")
            .await
            .expect("read")
            .expect("there")
    }

    #[tokio::test]
    async fn unlock_clears_a_lockout_and_is_audited() {
        let (app, _clock) = test_app();
        let jan = citizen(&app).await;
        for _ in 0..throttle::FAILURES_BEFORE_LOCK {
            throttle::record_failure(&app, "jan")
                .await
                .expect("failure");
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
