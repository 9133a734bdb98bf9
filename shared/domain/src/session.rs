//! Sessions and login flows: random ids in cookies, only their keyed hashes in the table.

use crate::app::App;
use crate::crypto::{keyed_hash, random_id};
use crate::domain::{DomainError, KeyKind};
pub use crate::flows::login::LoginFlow;
use crate::secrets::KeyPurpose;
use crate::store::{Item, StoreError};

/// How long a login may take from password to key code.
pub const FLOW_SECONDS: i64 = 15 * 60;
/// A session's idle time is refreshed at most this often, to spare writes.
const TOUCH_EVERY_SECONDS: i64 = 60;

fn hashed(app: &App, kind: &str, id: &str) -> String {
    format!(
        "{kind}#{}",
        keyed_hash(&app.secrets.key(KeyPurpose::SessionHash), kind, id)
    )
}

/// A logged-in citizen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub citizen_id: String,
    /// The key the citizen logged in with.
    pub key: KeyKind,
    pub created_at: i64,
    pub last_seen: i64,
    pk: String,
}

impl Session {
    /// Ends the session: deletes it (its cookie is the caller's to clear).
    pub async fn end(self, app: &App) -> Result<(), StoreError> {
        app.store.delete(&self.pk, "session", None).await
    }
}

fn session_expiry(app: &App, created_at: i64, last_seen: i64) -> i64 {
    (last_seen + app.settings.session_idle_seconds)
        .min(created_at + app.settings.session_absolute_seconds)
}

/// Starts a session for the citizen; answers the session id, for the caller's cookie.
pub async fn start_session(
    app: &App,
    citizen_id: &str,
    key: KeyKind,
) -> Result<String, StoreError> {
    let id = random_id();
    let now = app.clock.now_secs();
    let item = Item::new(hashed(app, "session", &id), "session")
        .expiring_at(session_expiry(app, now, now))
        .with_s("citizen", citizen_id)
        .with_s("key", key.as_str())
        .with_n("created_at", now)
        .with_n("last_seen", now);
    app.store.put(item, None).await?;
    Ok(id)
}

/// The live session with id `cookie` (the session cookie's value), if any; keeps it alive while
/// it is used.
pub async fn current_session(
    app: &App,
    cookie: Option<&str>,
) -> Result<Option<Session>, StoreError> {
    let Some(id) = cookie else {
        return Ok(None);
    };
    let pk = hashed(app, "session", id);
    let Some(item) = app.store.get(&pk, "session").await? else {
        return Ok(None);
    };
    let (Some(citizen_id), Some(key), Some(created_at), Some(last_seen)) = (
        item.s("citizen"),
        item.s("key").and_then(KeyKind::parse),
        item.n("created_at"),
        item.n("last_seen"),
    ) else {
        return Ok(None);
    };
    let now = app.clock.now_secs();
    let mut last = last_seen;
    if now - last_seen >= TOUCH_EVERY_SECONDS {
        let mut touched = item.clone();
        touched.set("last_seen", crate::store::Value::N(now));
        touched.expires_at = Some(session_expiry(app, created_at, now));
        app.store
            .put(touched, Some(crate::store::Condition::Present))
            .await
            .or_else(|e| match e {
                StoreError::ConditionFailed => Ok(()),
                other => Err(other),
            })?;
        last = now;
    }
    Ok(Some(Session {
        citizen_id: citizen_id.to_string(),
        key,
        created_at,
        last_seen: last,
        pk,
    }))
}

/// A login flow with its stored identity.
#[derive(Debug, Clone)]
pub struct FlowRecord {
    pub flow: LoginFlow,
    /// Where to go after login, already checked against the allowed origins.
    pub return_to: Option<String>,
    pk: String,
    expires_at: i64,
}

impl FlowRecord {
    /// Stores the flow's new state, keeping its expiry.
    pub async fn save(&mut self, app: &App, flow: LoginFlow) -> Result<(), DomainError> {
        self.flow = flow;
        Ok(app
            .store
            .put(
                flow_item(
                    &self.pk,
                    &self.flow,
                    self.return_to.as_deref(),
                    self.expires_at,
                )?,
                None,
            )
            .await?)
    }

    /// Ends the flow: deletes it (its cookie is the caller's to clear).
    pub async fn end(self, app: &App) -> Result<(), StoreError> {
        app.store.delete(&self.pk, "login", None).await
    }
}

fn flow_item(
    pk: &str,
    flow: &LoginFlow,
    return_to: Option<&str>,
    expires_at: i64,
) -> Result<Item, DomainError> {
    let json = serde_json::to_string(flow).map_err(|e| DomainError::Unwritable {
        what: "login flow",
        reason: e.to_string(),
    })?;
    let mut item = Item::new(pk, "login")
        .expiring_at(expires_at)
        .with_s("flow", json);
    if let Some(to) = return_to {
        item = item.with_s("return_to", to);
    }
    Ok(item)
}

/// Starts a login flow; answers the flow id, for the caller's cookie.
pub async fn start_flow(
    app: &App,
    flow: LoginFlow,
    return_to: Option<String>,
) -> Result<String, DomainError> {
    let id = random_id();
    let expires_at = app.clock.now_secs() + FLOW_SECONDS;
    app.store
        .put(
            flow_item(
                &hashed(app, "flow", &id),
                &flow,
                return_to.as_deref(),
                expires_at,
            )?,
            None,
        )
        .await?;
    Ok(id)
}

/// The live login flow with id `cookie` (the flow cookie's value), if any.
pub async fn current_flow(
    app: &App,
    cookie: Option<&str>,
) -> Result<Option<FlowRecord>, StoreError> {
    let Some(id) = cookie else {
        return Ok(None);
    };
    let pk = hashed(app, "flow", id);
    let Some(item) = app.store.get(&pk, "login").await? else {
        return Ok(None);
    };
    let Some(flow) = item
        .s("flow")
        .and_then(|json| serde_json::from_str(json).ok())
    else {
        return Ok(None);
    };
    Ok(Some(FlowRecord {
        flow,
        return_to: item.s("return_to").map(String::from),
        expires_at: item.expires_at.unwrap_or(0),
        pk,
    }))
}

/// A return address after login, if it is a local path or on an allowed origin.
pub fn allowed_return_to(app: &App, candidate: &str) -> Option<String> {
    let candidate = candidate.trim();
    if candidate.len() > 2048 || candidate.chars().any(char::is_control) {
        return None;
    }
    if candidate.starts_with('/') && !candidate.starts_with("//") && !candidate.contains('\\') {
        return Some(candidate.to_string());
    }
    let url = url::Url::parse(candidate).ok()?;
    if url.scheme() != "https"
        && url.host_str() != Some("localhost")
        && url.host_str() != Some("127.0.0.1")
    {
        return None;
    }
    let origin = url.origin().ascii_serialization();
    app.settings
        .allowed_return_origins
        .contains(&origin)
        .then(|| url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::harness::test_app_with;

    #[test]
    fn only_local_paths_and_allowed_origins_are_returned_to() {
        let (app, _) =
            test_app_with(|s| s.allowed_return_origins = vec!["https://tax.example".into()]);
        assert_eq!(allowed_return_to(&app, "/keys").as_deref(), Some("/keys"));
        assert_eq!(
            allowed_return_to(&app, "https://tax.example/return?x=1").as_deref(),
            Some("https://tax.example/return?x=1")
        );
        assert_eq!(allowed_return_to(&app, "//evil.example/"), None);
        assert_eq!(allowed_return_to(&app, "https://evil.example/"), None);
        assert_eq!(
            allowed_return_to(&app, "https://tax.example.evil.example/"),
            None
        );
        assert_eq!(allowed_return_to(&app, "http://tax.example/"), None);
        assert_eq!(allowed_return_to(&app, "javascript:alert(1)"), None);
        assert_eq!(allowed_return_to(&app, "/\\evil.example"), None);
    }
}
