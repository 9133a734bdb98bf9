//! Look-ups for support staff: find a citizen by id or username, show their keys, clear a login lockout, read their audit trail.

use crate::mask;
use keys_domain::App;
use keys_domain::citizens::{self, Citizen};
use keys_domain::legacy_passwords;
use keys_domain::store::StoreError;
use keys_domain::support;
use serde::Serialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// How to read the argument that names a citizen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    Id,
    Username,
    /// The citizen registered with this e-mail address (the help desk's look-up).
    Email,
    /// The citizen whose national register number this is (through its keyed hash).
    NationalNumber,
}

/// The citizen could not be found, or not told apart.
#[derive(Debug, thiserror::Error)]
pub enum LookupError {
    #[error("no citizen has the id, username or address {0}")]
    NotFound(String),
    #[error("not a national register number: 11 digits whose last two check the first nine")]
    NotANationalNumber,
    #[error(
        "{query} is the id of citizen {by_id} and the username of citizen {by_username}: pass --by id or --by username"
    )]
    Ambiguous {
        query: String,
        by_id: String,
        by_username: String,
    },
    #[error("{count} citizens are registered with this address (ids {ids}): show one by its id")]
    SeveralWithAddress { count: usize, ids: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The citizen `query` names: by id or by username as `by` says, else whichever matches.
pub async fn resolve(app: &App, query: &str, by: Option<By>) -> Result<Citizen, LookupError> {
    let query = query.trim();
    if by == Some(By::Email) || (by.is_none() && query.contains('@')) {
        return by_address(app, query).await;
    }
    if by == Some(By::NationalNumber) {
        let Some(number) = keys_domain::national_number::NationalNumber::parse(query) else {
            return Err(LookupError::NotANationalNumber);
        };
        return keys_domain::national_number::citizen_with(app, &number)
            .await?
            .and_then(|record| record.citizen())
            .ok_or(LookupError::NotFound(
                "that national register number".into(),
            ));
    }
    let by_id = match by {
        Some(By::Username) => None,
        _ => citizens::citizen(app, query).await?,
    };
    let by_username = match by {
        Some(By::Id) => None,
        _ => citizens::citizen_by_username(app, query).await?,
    };
    match (by_id, by_username) {
        (Some(a), Some(b)) if a.id != b.id => Err(LookupError::Ambiguous {
            query: query.to_string(),
            by_id: a.id,
            by_username: b.id,
        }),
        (Some(citizen), _) | (None, Some(citizen)) => Ok(citizen),
        (None, None) => Err(LookupError::NotFound(query.to_string())),
    }
}

/// The one citizen registered with the address `query` (never printed: it may be a stranger's).
async fn by_address(app: &App, query: &str) -> Result<Citizen, LookupError> {
    let mut found: Vec<Citizen> = keys_domain::addresses::citizens_with(app, query)
        .await?
        .into_iter()
        .filter_map(|record| record.citizen())
        .collect();
    match found.len() {
        0 => Err(LookupError::NotFound(mask::email(query))),
        1 => Ok(found.remove(0)),
        count => Err(LookupError::SeveralWithAddress {
            count,
            ids: found
                .iter()
                .map(|c| c.id.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        }),
    }
}

/// An instant as RFC 3339 (UTC), for epoch seconds.
fn instant(epoch_seconds: Option<i64>) -> Option<String> {
    epoch_seconds
        .and_then(|at| OffsetDateTime::from_unix_timestamp(at).ok())
        .and_then(|at| at.format(&Rfc3339).ok())
}

/// One key of a citizen, as shown.
#[derive(Debug, Clone, Serialize)]
pub struct KeyView {
    pub kind: &'static str,
    pub state: &'static str,
    pub activated_at: Option<String>,
    pub deactivated_at: Option<String>,
}

/// One login as support staff see it.
#[derive(Debug, Clone, Serialize)]
pub struct LoginView {
    pub at: Option<String>,
    pub key: &'static str,
}

/// A citizen as support staff see them: the address masked, no hash, no code.
#[derive(Debug, Clone, Serialize)]
pub struct CitizenView {
    pub id: String,
    pub username: String,
    pub email: String,
    pub lang: &'static str,
    /// The paper token card's serial number, when the import gave one.
    pub card_serial: Option<String>,
    /// The last logins, newest first: when (RFC 3339) and with which key.
    pub last_logins: Vec<LoginView>,
    /// The password hash's format (`argon2id`, or a legacy one rehashed at the next login).
    pub password_hash_format: Option<&'static str>,
    /// Minutes left of a login lockout, if the username is locked out now.
    pub locked_minutes: Option<i64>,
    pub keys: Vec<KeyView>,
}

/// What `citizen show` prints, from one read of the citizen's record.
pub async fn show(app: &App, citizen: &Citizen) -> Result<CitizenView, StoreError> {
    let record = citizens::record_of(app, &citizen.id).await?;
    let Some(record) = record else {
        // Gone since it was found: nothing more to show than what was found.
        return Ok(CitizenView {
            id: citizen.id.clone(),
            username: citizen.username.clone(),
            email: mask::email(&citizen.email),
            lang: citizen.lang.code(),
            card_serial: None,
            last_logins: Vec::new(),
            password_hash_format: None,
            locked_minutes: None,
            keys: Vec::new(),
        });
    };
    let keys = record
        .keys()
        .into_iter()
        .map(|key| KeyView {
            kind: key.kind.as_str(),
            state: key.state.as_str(),
            activated_at: instant(key.activated_at),
            deactivated_at: instant(key.deactivated_at),
        })
        .collect();
    let password_hash_format = record
        .citizen()
        .and_then(|c| legacy_passwords::format_of(c.password_hash()))
        .map(|format| format.name());
    Ok(CitizenView {
        id: citizen.id.clone(),
        username: citizen.username.clone(),
        email: mask::email(&citizen.email),
        lang: citizen.lang.code(),
        card_serial: record.card_serial().map(str::to_string),
        last_logins: record
            .last_logins()
            .into_iter()
            .map(|login| LoginView {
                at: instant(Some(login.at)),
                key: login.key.as_str(),
            })
            .collect(),
        password_hash_format,
        locked_minutes: record.locked(app.clock.now_secs()).map(|l| l.minutes),
        keys,
    })
}

impl CitizenView {
    /// The view for a person.
    pub fn text(&self) -> String {
        let mut out = format!(
            "citizen   {}\nusername  {}\ne-mail    {}\nlanguage  {}\ncard      {}\npassword  {}\nlockout   {}\nkeys\n",
            self.id,
            self.username,
            self.email,
            self.lang,
            self.card_serial.as_deref().unwrap_or("(no serial)"),
            self.password_hash_format.unwrap_or("unrecognised hash"),
            match self.locked_minutes {
                Some(minutes) => format!("locked for {minutes} more minute(s)"),
                None => "none".to_string(),
            }
        );
        if self.keys.is_empty() {
            out.push_str("  (none)\n");
        }
        for key in &self.keys {
            out.push_str(&format!("  {:<6} {:<9}", key.kind, key.state));
            if let Some(at) = &key.activated_at {
                out.push_str(&format!(" activated {at}"));
            }
            if let Some(at) = &key.deactivated_at {
                out.push_str(&format!(" deactivated {at}"));
            }
            out.push('\n');
        }
        out.push_str("last logins\n");
        if self.last_logins.is_empty() {
            out.push_str("  (none since the import)\n");
        }
        for login in &self.last_logins {
            out.push_str(&format!(
                "  {} with {}\n",
                login.at.as_deref().unwrap_or("?"),
                login.key
            ));
        }
        out
    }
}

/// What `citizen unlock` did.
#[derive(Debug, Clone, Serialize)]
pub struct UnlockView {
    pub id: String,
    pub username: String,
    pub dry_run: bool,
    /// Whether the username was locked out when the command ran.
    pub was_locked: bool,
    /// Minutes that were left of the lockout.
    pub locked_minutes: Option<i64>,
}

/// Clears the citizen's login lockout and failure count (a dry run only reports it).
pub async fn unlock(app: &App, citizen: &Citizen, dry_run: bool) -> Result<UnlockView, StoreError> {
    let was = if dry_run {
        support::lockout(app, citizen).await?
    } else {
        support::unlock(app, citizen).await?
    };
    Ok(UnlockView {
        id: citizen.id.clone(),
        username: citizen.username.clone(),
        dry_run,
        was_locked: was.is_some(),
        locked_minutes: was.map(|l| l.minutes),
    })
}

impl UnlockView {
    /// The outcome for a person.
    pub fn text(&self) -> String {
        match (self.dry_run, self.locked_minutes) {
            (true, Some(minutes)) => format!(
                "{} ({}) is locked for {minutes} more minute(s); run without --dry-run to unlock\n",
                self.username, self.id
            ),
            (true, None) => format!("{} ({}) is not locked\n", self.username, self.id),
            (false, Some(minutes)) => format!(
                "unlocked {} ({}): {minutes} minute(s) of lockout cleared\n",
                self.username, self.id
            ),
            (false, None) => format!(
                "{} ({}) was not locked; the failed-login count is reset\n",
                self.username, self.id
            ),
        }
    }
}

/// One audit event as a JSON line.
#[derive(Debug, Clone, Serialize)]
pub struct AuditLine {
    pub citizen: String,
    pub at: Option<String>,
    pub event: String,
    pub outcome: String,
    /// The operator who caused it, for the events an operator's command wrote.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
}

/// The audit events of the citizen `query` names (an id, or a username); the events of an id
/// that no longer has a citizen are found too.
pub async fn audit(app: &App, query: &str, by: Option<By>) -> Result<Vec<AuditLine>, LookupError> {
    let id = match resolve(app, query, by).await {
        Ok(citizen) => citizen.id,
        // An id whose citizen is gone still has its trail; never a number's text as an id.
        Err(LookupError::NotFound(_)) if by.is_none() || by == Some(By::Id) => {
            query.trim().to_string()
        }
        Err(err) => return Err(err),
    };
    let events = support::audit_events(app, &id).await?;
    if events.is_empty() && citizens::citizen(app, &id).await?.is_none() {
        return Err(LookupError::NotFound(query.trim().to_string()));
    }
    Ok(events
        .into_iter()
        .map(|event| AuditLine {
            citizen: id.clone(),
            at: instant(event.at),
            event: event.event,
            outcome: event.outcome,
            by: event.actor,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use keys_domain::citizens::{PreparedCitizen, enrol_prepared};
    use keys_domain::harness::test_app;
    use keys_domain::keys::CARD_SIZE;
    use keys_domain::lang::Lang;

    async fn enrol(app: &App, id: &str, username: &str) {
        let prepared = PreparedCitizen {
            id: id.into(),
            username: username.into(),
            name: None,
            email: format!("{username}@example.be"),
            lang: Lang::Fr,
            password_hash: bcrypt::hash("old password", 4).expect("bcrypt"),
            card: (1..=CARD_SIZE).map(|n| (n, format!("{n:06}"))).collect(),
            card_serial: None,
            national_number: None,
        };
        enrol_prepared(app, &prepared).await.expect("enrolled");
    }

    #[tokio::test]
    async fn the_help_desk_finds_a_citizen_by_address_and_never_prints_it() {
        let (app, _clock) = test_app();
        enrol(&app, "c-1", "marie").await;
        let found = resolve(&app, " Marie@Example.BE ", None)
            .await
            .expect("by address");
        assert_eq!(found.id, "c-1");
        let found = resolve(&app, "marie@example.be", Some(By::Email))
            .await
            .expect("by address, said so");
        assert_eq!(found.id, "c-1");
        let missing = resolve(&app, "stranger@example.be", None)
            .await
            .expect_err("no one");
        assert!(!missing.to_string().contains("stranger@"), "{missing}");
        // Two citizens sharing one address are told apart by id.
        let prepared = PreparedCitizen {
            id: "c-2".into(),
            username: "marie2".into(),
            name: None,
            email: "marie@example.be".into(),
            lang: Lang::Nl,
            password_hash: bcrypt::hash("old password", 4).expect("bcrypt"),
            card: (1..=CARD_SIZE).map(|n| (n, format!("{n:06}"))).collect(),
            card_serial: None,
            national_number: None,
        };
        enrol_prepared(&app, &prepared).await.expect("enrolled");
        assert!(matches!(
            resolve(&app, "marie@example.be", None).await,
            Err(LookupError::SeveralWithAddress { count: 2, .. })
        ));
    }

    #[tokio::test]
    async fn citizens_are_found_by_id_or_username_and_shown_masked() {
        let (app, _clock) = test_app();
        enrol(&app, "c-1", "marie").await;
        enrol(&app, "marie", "other").await;
        let by_id = resolve(&app, "c-1", None).await.expect("by id");
        assert_eq!(by_id.username, "marie");
        assert!(matches!(
            resolve(&app, "marie", None).await,
            Err(LookupError::Ambiguous { .. })
        ));
        let by_username = resolve(&app, "MARIE", Some(By::Username))
            .await
            .expect("name");
        assert_eq!(by_username.id, "c-1");
        assert!(matches!(
            resolve(&app, "nobody", None).await,
            Err(LookupError::NotFound(_))
        ));
        let view = show(&app, &by_id).await.expect("show");
        assert_eq!(view.email, "m***@example.be");
        assert_eq!(view.lang, "fr");
        assert_eq!(view.password_hash_format, Some("bcrypt"));
        assert_eq!(view.keys.len(), 1);
        assert_eq!((view.keys[0].kind, view.keys[0].state), ("token", "active"));
        assert_eq!(
            view.keys[0].activated_at.as_deref(),
            Some("2026-11-22T10:00:00Z")
        );
        let text = view.text();
        assert!(text.contains("m***@example.be") && !text.contains("marie@"));
        let json = serde_json::to_string(&view).expect("json");
        assert!(!json.contains("marie@example.be") && !json.contains("$2b$"));
    }

    #[tokio::test]
    async fn a_citizen_is_found_by_the_national_number_kept_only_as_a_hash() {
        let (app, _clock) = test_app();
        let number = keys_domain::national_number::NationalNumber::parse("85.07.30-033.28");
        let prepared = PreparedCitizen {
            id: "c-9".into(),
            username: "an".into(),
            name: Some("An Janssens".into()),
            email: "an@example.be".into(),
            lang: Lang::Nl,
            password_hash: bcrypt::hash("old password", 4).expect("bcrypt"),
            card: (1..=CARD_SIZE).map(|n| (n, format!("{n:06}"))).collect(),
            card_serial: None,
            national_number: number.clone(),
        };
        enrol_prepared(&app, &prepared).await.expect("enrolled");
        let found = resolve(&app, "85073003328", Some(By::NationalNumber))
            .await
            .expect("found");
        assert_eq!(found.id, "c-9");
        let record = keys_domain::citizens::record_of(&app, "c-9")
            .await
            .expect("read")
            .expect("there");
        let kept = record.s(keys_domain::national_number::ATTR).expect("kept");
        assert!(!kept.contains("85073003328"), "only a keyed hash is kept");
        assert!(matches!(
            resolve(&app, "85073003329", Some(By::NationalNumber)).await,
            Err(LookupError::NotANationalNumber)
        ));
        // Another citizen with the same number is refused.
        let twin = PreparedCitizen {
            id: "c-10".into(),
            username: "an2".into(),
            email: "an2@example.be".into(),
            ..prepared
        };
        assert!(matches!(
            enrol_prepared(&app, &twin).await,
            Err(keys_domain::citizens::EnrolError::NationalNumberTaken)
        ));
        let trail = audit(&app, "85073003328", Some(By::NationalNumber))
            .await
            .expect("the trail of the citizen the number finds");
        assert!(trail.iter().all(|line| line.citizen == "c-9"));
    }

    #[tokio::test]
    async fn unlock_and_audit() {
        let (app, _clock) = test_app();
        enrol(&app, "c-1", "marie").await;
        let ck = keys_domain::record::citizen_key(&app, "marie");
        for _ in 0..keys_domain::throttle::FAILURES_BEFORE_LOCK {
            let (attempt, mut record) = keys_domain::throttle::take_attempt(&app, &ck, Vec::new())
                .await
                .expect("attempt");
            if let keys_domain::throttle::Attempt::Taken { n } = attempt {
                record.attempt_failed(&app, n);
                record.commit(&app).await.expect("failure");
            }
        }
        let citizen = resolve(&app, "c-1", None).await.expect("found");
        let dry = unlock(&app, &citizen, true).await.expect("dry run");
        assert!(dry.was_locked);
        assert!(
            show(&app, &citizen)
                .await
                .expect("show")
                .locked_minutes
                .is_some()
        );
        let done = keys_domain::audit::acting_as(
            "operator:helpdesk-07".into(),
            unlock(&app, &citizen, false),
        )
        .await
        .expect("unlock");
        assert_eq!(done.locked_minutes, Some(1));
        assert_eq!(
            show(&app, &citizen).await.expect("show").locked_minutes,
            None
        );
        let lines = audit(&app, "marie", None).await.expect("audit");
        assert_eq!(lines.len(), 1);
        assert_eq!(
            (lines[0].event.as_str(), lines[0].outcome.as_str()),
            ("admin.unlock", "cleared")
        );
        assert_eq!(lines[0].by.as_deref(), Some("operator:helpdesk-07"));
        assert!(matches!(
            audit(&app, "nobody", None).await,
            Err(LookupError::NotFound(_))
        ));
    }
}
