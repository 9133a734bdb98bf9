//! Sessions and login flows on the citizen record: random secrets in cookies (`ck.secret`), only their keyed hashes in the table.

use crate::app::App;
use crate::crypto::{keyed_hash, random_id};
pub use crate::flows::login::LoginFlow;
use crate::keys::KeyKind;
use crate::record::{CommitError, Record, split_cookie};
use crate::secrets::KeyPurpose;
use crate::store::{Condition, StoreError};
use serde::{Deserialize, Serialize};

/// How long a login may take from password to key code.
pub const FLOW_SECONDS: i64 = 15 * 60;
/// A session's idle time is refreshed at most this often, to spare writes.
const TOUCH_EVERY_SECONDS: i64 = 60;
/// A citizen has at most this many sessions (browsers); a new one ends the oldest beyond it.
pub const MAX_SESSIONS: usize = 8;
/// How long a browser the citizen logged in from stays known (its device cookie's lifetime).
pub const DEVICE_SECONDS: i64 = 180 * 24 * 3600;
/// Known browsers kept per citizen; the oldest is forgotten beyond.
pub const MAX_DEVICES: usize = 8;

/// How recent a login must be for an address change or a key activation (step-up): older
/// sessions log in again (password and a current key) first.
pub const STEP_UP_SECONDS: i64 = 15 * 60;
/// A citizen has at most this many login flows under way; a new one ends the oldest beyond it.
const MAX_FLOWS: usize = 4;
/// How many of the citizen's last logins the record keeps (for support staff).
pub const LAST_LOGINS: usize = 5;
/// The record attribute that counts the generations of the citizen's OpenID Connect grants.
const GRANT_GENERATION: &str = "grants_gen";

/// One of the citizen's last logins: when, and with which key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastLogin {
    pub at: i64,
    pub key: KeyKind,
}

impl Record {
    /// The citizen's last logins, newest first.
    pub fn last_logins(&self) -> Vec<LastLogin> {
        self.s("logins")
            .and_then(|json| serde_json::from_str(json).ok())
            .unwrap_or_default()
    }
}

fn hashed(app: &App, kind: &str, secret: &str) -> String {
    keyed_hash(&app.secrets.key(KeyPurpose::SessionHash), kind, secret)
}

/// The record attribute of the session with this secret.
pub fn session_attr(app: &App, secret: &str) -> String {
    format!("s_{}", hashed(app, "session", secret))
}

/// The session an activation letter opens on the record `ck`: (attribute, stored value,
/// cookie value). Wizard-only, resting on no key until the wizard activates one.
pub fn letter_session(app: &App, ck: &str) -> (String, String, String) {
    let secret = random_id();
    let now = app.clock.now_secs();
    let stored = StoredSession {
        key: KeyKind::Email,
        rests_on: None,
        created: now,
        seen: now,
        until: session_expiry(app, now, now),
        services: Vec::new(),
        wizard_only: true,
        letter: true,
    };
    (
        session_attr(app, &secret),
        json(&stored),
        format!("{ck}.{secret}"),
    )
}

/// The record attribute of the known browser (device cookie) with this secret; its failed
/// password checks are counted in `<attr>_n`.
pub fn device_attr(app: &App, secret: &str) -> String {
    format!("d_{}", hashed(app, "device", secret))
}

/// The record attribute of the login flow with this secret.
pub fn flow_attr(app: &App, secret: &str) -> String {
    format!("f_{}", hashed(app, "flow", secret))
}

/// A session as the record keeps it.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredSession {
    key: KeyKind,
    /// The key activated in this session since (by its code), which the session now rests on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    rests_on: Option<KeyKind>,
    created: i64,
    seen: i64,
    until: i64,
    /// The public services this session logged into that want to hear when it ends (OpenID
    /// Connect clients with a back-channel logout address), by client id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    services: Vec<String>,
    /// A token login in the grace window after the sunset: it opens the wizard and nothing else
    /// (no service, no My digital keys), even once a new key is active.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    wizard_only: bool,
    /// Opened by an activation letter (its mailed link and its printed code,
    /// [`crate::office::letters`]): wizard-only, and usable without the token.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    letter: bool,
}

/// A part of the record that lasts until a time (a known browser).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Lasting {
    until: i64,
}

/// A login flow as the record keeps it.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredFlow {
    flow: LoginFlow,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    return_to: Option<String>,
    until: i64,
}

/// A logged-in citizen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub citizen_id: String,
    /// The key the citizen logged in with.
    pub key: KeyKind,
    /// The key activated in this session since, which it now rests on.
    pub rests_on: Option<KeyKind>,
    pub created_at: i64,
    pub last_seen: i64,
    /// The record's grant generation when the session was read: OpenID Connect grants issued
    /// from it hold only while the generation stays ([`Record::grant_generation`]).
    pub grant_generation: i64,
    /// Opened by a token login in the grace window: the wizard only ([`Record::wizard_session`]).
    pub wizard_only: bool,
    /// Opened by an activation letter (wizard-only too).
    pub letter: bool,
    /// The record attribute that holds it.
    attr: String,
    /// The citizen key of the record that holds it.
    ck: String,
}

impl Session {
    /// Whether the login that opened this session (password and a key) is recent enough for an
    /// address change or a key activation ([`STEP_UP_SECONDS`]).
    pub fn logged_in_recently(&self, app: &App) -> bool {
        app.clock.now_secs() - self.created_at <= STEP_UP_SECONDS
    }

    /// The record attribute that holds this session.
    pub fn attr(&self) -> &str {
        &self.attr
    }

    /// The citizen key of the record that holds this session.
    pub fn ck(&self) -> &str {
        &self.ck
    }

    /// The key this session stands on now: the one activated in it since, else the login's.
    pub fn current_key(&self) -> KeyKind {
        self.rests_on.unwrap_or(self.key)
    }

    /// Ends the session (one write; its cookie is the caller's to clear), with its audit event.
    pub async fn end(self, app: &App, reason: &str) -> Result<(), StoreError> {
        let mut record = Record::load(app, &self.ck).await?;
        record.end_session(&self);
        record.audit(app, "session.end", reason);
        match record.commit(app).await {
            Ok(()) | Err(CommitError::Conflict { .. }) => Ok(()),
            Err(CommitError::Store(err)) => Err(err),
        }
    }
}

/// The live session a cookie names (one read), for callers outside the steps (the OpenID
/// Connect provider); the steps load the whole record with it.
pub async fn current_session(
    app: &App,
    cookie: Option<&str>,
) -> Result<Option<Session>, StoreError> {
    let Some((ck, secret)) = cookie_parts(cookie) else {
        return Ok(None);
    };
    Ok(Record::load(app, ck).await?.session(app, secret))
}

/// The live session a cookie names with the record that holds it (one read), for callers that
/// also ask which keys the citizen has (the OpenID Connect provider's step-up).
pub async fn current_session_with_record(
    app: &App,
    cookie: Option<&str>,
) -> Result<Option<(Session, Record)>, StoreError> {
    let Some((ck, secret)) = cookie_parts(cookie) else {
        return Ok(None);
    };
    let record = Record::load(app, ck).await?;
    Ok(record.session(app, secret).map(|session| (session, record)))
}

/// Remembers on the citizen's record that `session` logged into the service `client_id`, which
/// hears of the session's end (Back-Channel Logout); a write that raced another is tried again.
pub async fn remember_service(
    app: &App,
    session: &Session,
    client_id: &str,
) -> Result<(), StoreError> {
    for _ in 0..4 {
        let mut record = Record::load(app, &session.ck).await?;
        if !record.remember_service(session, client_id) {
            return Ok(());
        }
        match record.commit(app).await {
            Ok(()) => return Ok(()),
            Err(CommitError::Conflict { .. }) => continue,
            Err(CommitError::Store(err)) => return Err(err),
        }
    }
    Err(StoreError::Unavailable(
        "the session's record kept changing".into(),
    ))
}

/// Whether what an OpenID Connect grant rests on still stands (one read): the session it was
/// issued from is live (not signed out, expired or resting on a key since deactivated) and the
/// citizen's grant generation is the one it was issued under (no sign-out everywhere, password,
/// key or address change since).
pub async fn grant_stands(
    app: &App,
    ck: &str,
    session_attr: &str,
    generation: i64,
) -> Result<bool, StoreError> {
    let record = Record::load(app, ck).await?;
    Ok(record.grant_generation() == generation && record.session_at(app, session_attr).is_some())
}

fn session_expiry(app: &App, created_at: i64, last_seen: i64) -> i64 {
    (last_seen + app.settings.session_idle_seconds)
        .min(created_at + app.settings.session_absolute_seconds)
}

fn json<T: Serialize>(value: &T) -> String {
    // Plain structs of strings and numbers always serialise.
    serde_json::to_string(value).unwrap_or_default()
}

/// The citizen key and secret a cookie names.
pub fn cookie_parts(cookie: Option<&str>) -> Option<(&str, &str)> {
    cookie.and_then(split_cookie)
}

/// A login flow with where it is kept.
#[derive(Debug, Clone)]
pub struct FlowRecord {
    pub flow: LoginFlow,
    /// Where to go after login, already checked against the allowed origins.
    pub return_to: Option<String>,
    attr: String,
    until: i64,
}

impl FlowRecord {
    /// The record attribute that holds this flow.
    pub fn attr(&self) -> &str {
        &self.attr
    }
}

impl Record {
    /// The live session with this secret (the cookie's), if any.
    pub fn session(&self, app: &App, secret: &str) -> Option<Session> {
        self.session_at(app, &session_attr(app, secret))
    }

    /// The live session held in attribute `attr`, if any; never a wizard-only one.
    pub fn session_at(&self, app: &App, attr: &str) -> Option<Session> {
        self.session_reaching(app, attr, false)
    }

    /// The live session with this secret for a wizard page: any session, or one a token login
    /// opened in the grace window after the sunset (while the window lasts and the token is
    /// active, or once it rests on the new key).
    pub fn wizard_session(&self, app: &App, secret: &str) -> Option<Session> {
        self.session_reaching(app, &session_attr(app, secret), true)
    }

    fn session_reaching(&self, app: &App, attr: &str, wizard: bool) -> Option<Session> {
        let stored: StoredSession = serde_json::from_str(self.s(attr)?).ok()?;
        if stored.until <= app.clock.now_secs() || (stored.wizard_only && !wizard) {
            return None;
        }
        let usable = match (stored.wizard_only, stored.rests_on) {
            (_, Some(rests_on)) => self.key_usable(app, rests_on),
            (true, None) if stored.letter => true,
            (true, None) => {
                app.settings.in_token_grace(app.clock.now()) && self.key_active(KeyKind::Token)
            }
            (false, None) => self.key_usable(app, stored.key),
        };
        if !usable {
            return None;
        }
        Some(Session {
            citizen_id: self.citizen_id()?.to_string(),
            key: stored.key,
            rests_on: stored.rests_on,
            created_at: stored.created,
            last_seen: stored.seen,
            grant_generation: self.grant_generation(),
            wizard_only: stored.wizard_only,
            letter: stored.letter,
            attr: attr.to_string(),
            ck: self.ck.clone(),
        })
    }

    /// The generation of the citizen's OpenID Connect grants: every event that ends the
    /// citizen's other sessions (sign out everywhere, a password, key or address change) starts a
    /// new one, and grants issued under an older one no longer hold.
    pub fn grant_generation(&self) -> i64 {
        self.n(GRANT_GENERATION).unwrap_or(0)
    }

    /// Whether a login with `key` can be made, and a session resting on it still holds: the key
    /// is active (and the token before its sunset). A session never outlives what it was opened
    /// with.
    pub fn key_usable(&self, app: &App, key: KeyKind) -> bool {
        match key {
            KeyKind::Token => {
                app.clock.now() < app.settings.token_sunset_at && self.key_active(KeyKind::Token)
            }
            other => self.key_active(other),
        }
    }

    /// The session the wizard kept through a key activation now rests on the new key (the
    /// citizen just proved it with a code), so it outlives the token it was opened with; it
    /// still says which key the login was made with.
    pub fn rest_session_on(&mut self, session: &Session, key: KeyKind) {
        let Some(mut stored) = self
            .s(&session.attr)
            .and_then(|text| serde_json::from_str::<StoredSession>(text).ok())
        else {
            return;
        };
        stored.rests_on = Some(key);
        self.set_s(&session.attr, json(&stored));
    }

    /// Whether the browser with device `secret` logged in to this citizen before (and is still
    /// remembered).
    pub fn knows_device(&self, app: &App, secret: &str) -> bool {
        let attr = device_attr(app, secret);
        self.s(&attr)
            .and_then(|text| serde_json::from_str::<Lasting>(text).ok())
            .is_some_and(|device| device.until > app.clock.now_secs())
    }

    /// Remembers this browser after a successful login: answers the device cookie's value (a
    /// new one unless `current` is already known), the oldest beyond [`MAX_DEVICES`] forgotten.
    pub fn remember_device(&mut self, app: &App, current: Option<&str>) -> Option<String> {
        if current.is_some_and(|secret| self.knows_device(app, secret)) {
            return None;
        }
        let now = app.clock.now_secs();
        let mut known: Vec<(String, i64)> = self
            .names_with_prefix("d_")
            .filter(|name| !name.ends_with("_n"))
            .filter_map(|name| {
                let device: Lasting = serde_json::from_str(self.s(name)?).ok()?;
                Some((name.to_string(), device.until))
            })
            .collect();
        known.sort_by_key(|(_, until)| *until);
        let excess = (known.len() + 1).saturating_sub(MAX_DEVICES);
        for (attr, _) in known.into_iter().take(excess) {
            self.remove(&format!("{attr}_n"));
            self.remove(&attr);
        }
        let secret = random_id();
        let lasting = Lasting {
            until: now + DEVICE_SECONDS,
        };
        self.set_s(&device_attr(app, &secret), json(&lasting));
        Some(format!("{}.{secret}", self.ck))
    }

    /// Forgets every known browser ("sign out on all devices").
    pub fn forget_devices(&mut self) {
        let all: Vec<String> = self.names_with_prefix("d_").map(String::from).collect();
        for attr in all {
            self.remove(&attr);
        }
    }

    /// Keeps a session alive while it is used (written at most once a minute).
    pub fn touch_session(&mut self, app: &App, session: &mut Session) {
        let now = app.clock.now_secs();
        if now - session.last_seen < TOUCH_EVERY_SECONDS {
            return;
        }
        session.last_seen = now;
        let stored = StoredSession {
            key: session.key,
            rests_on: session.rests_on,
            created: session.created_at,
            seen: now,
            until: session_expiry(app, session.created_at, now),
            services: self.services_of(&session.attr),
            wizard_only: session.wizard_only,
            letter: session.letter,
        };
        // Only over the session as read: a sign-out or a service remembered meanwhile wins.
        let unchanged = self.unchanged(&session.attr);
        self.require(unchanged);
        self.set_s(&session.attr, json(&stored));
    }

    /// The services the session in attribute `attr` logged into and must tell when it ends.
    fn services_of(&self, attr: &str) -> Vec<String> {
        self.s(attr)
            .and_then(|text| serde_json::from_str::<StoredSession>(text).ok())
            .map(|stored| stored.services)
            .unwrap_or_default()
    }

    /// Remembers that `session` logged into the service `client_id`, which wants to hear when it
    /// ends (Back-Channel Logout); only if the session is still there. `false`: known already.
    pub fn remember_service(&mut self, session: &Session, client_id: &str) -> bool {
        let Some(mut stored) = self
            .s(&session.attr)
            .and_then(|text| serde_json::from_str::<StoredSession>(text).ok())
        else {
            return false;
        };
        if stored.services.iter().any(|c| c == client_id) {
            return false;
        }
        stored.services.push(client_id.to_string());
        // Only over the session as read: two services remembered at once are both kept.
        let unchanged = self.unchanged(&session.attr);
        self.require(unchanged);
        self.set_s(&session.attr, json(&stored));
        true
    }

    /// Notes that the session in `attr` ends with this write: the services it logged into get a
    /// logout notice in the same write ([`crate::logout_notices`]).
    pub(crate) fn note_session_end(&mut self, attr: &str) {
        let services = self.services_of(attr);
        if let (false, Some(citizen_id)) = (services.is_empty(), self.citizen_id()) {
            let citizen_id = citizen_id.to_string();
            self.ended_sessions
                .extend(
                    services
                        .into_iter()
                        .map(|client_id| crate::logout_notices::Notice {
                            client_id,
                            citizen_id: citizen_id.clone(),
                            session: attr.to_string(),
                        }),
                );
        }
    }

    /// The live sessions, oldest first, as (attribute, created).
    fn live_sessions(&self, now: i64) -> Vec<(String, i64)> {
        let mut live: Vec<(String, i64)> = self
            .names_with_prefix("s_")
            .filter_map(|name| {
                let stored: StoredSession = serde_json::from_str(self.s(name)?).ok()?;
                (stored.until > now).then(|| (name.to_string(), stored.created))
            })
            .collect();
        live.sort_by_key(|(_, created)| *created);
        live
    }

    /// Starts a session logged in with `key`; answers the cookie value. The oldest sessions
    /// beyond the limit end.
    pub fn start_session(&mut self, app: &App, key: KeyKind) -> String {
        self.open_session(app, key, false)
    }

    /// Starts a wizard-only session of a token login in the grace window after the sunset;
    /// returns the cookie value.
    pub fn start_wizard_only_session(&mut self, app: &App) -> String {
        self.open_session(app, KeyKind::Token, true)
    }

    /// Starts the wizard-only session an activation letter opens (no login is counted: the
    /// citizen logs in once the new key is active); returns the cookie value.
    pub fn start_letter_session(&mut self, app: &App) -> String {
        let (attr, stored, cookie) = letter_session(app, &self.ck);
        self.set_s(&attr, stored);
        cookie
    }

    fn open_session(&mut self, app: &App, key: KeyKind, wizard_only: bool) -> String {
        let secret = random_id();
        let now = app.clock.now_secs();
        let live = self.live_sessions(now);
        let excess = (live.len() + 1).saturating_sub(MAX_SESSIONS);
        for (attr, _) in live.into_iter().take(excess) {
            self.note_session_end(&attr);
            self.remove(&attr);
        }
        let stored = StoredSession {
            key,
            rests_on: None,
            created: now,
            seen: now,
            until: session_expiry(app, now, now),
            services: Vec::new(),
            wizard_only,
            letter: false,
        };
        let attr = session_attr(app, &secret);
        self.set_s(&attr, json(&stored));
        self.count(crate::progress::Counted::LoggedIn(key));
        let mut logins = self.last_logins();
        logins.insert(0, LastLogin { at: now, key });
        logins.truncate(LAST_LOGINS);
        self.set_s("logins", json(&logins));
        format!("{}.{secret}", self.ck)
    }

    /// Ends one session.
    pub fn end_session(&mut self, session: &Session) {
        self.note_session_end(&session.attr);
        self.remove(&session.attr);
    }

    /// Ends every session but `keep` (a key or address change, "log out everywhere"), and every
    /// OpenID Connect grant of the citizen, `keep`'s too (a new grant generation).
    pub fn end_sessions_except(&mut self, keep: Option<&Session>) {
        self.add(GRANT_GENERATION, 1);
        let others: Vec<String> = self
            .names_with_prefix("s_")
            .filter(|name| keep.is_none_or(|k| k.attr != *name))
            .map(String::from)
            .collect();
        for attr in others {
            self.note_session_end(&attr);
            self.remove(&attr);
        }
    }

    /// How many live sessions the citizen has.
    pub fn session_count(&self, app: &App) -> usize {
        self.live_sessions(app.clock.now_secs()).len()
    }

    /// The live login flow with this secret (the cookie's), if any.
    pub fn flow(&self, app: &App, secret: &str) -> Option<FlowRecord> {
        let attr = flow_attr(app, secret);
        let stored: StoredFlow = serde_json::from_str(self.s(&attr)?).ok()?;
        if stored.until <= app.clock.now_secs() {
            return None;
        }
        Some(FlowRecord {
            flow: stored.flow,
            return_to: stored.return_to,
            attr,
            until: stored.until,
        })
    }

    /// Starts a login flow; answers the cookie value. The oldest flows beyond the limit end.
    pub fn start_flow(&mut self, app: &App, flow: LoginFlow, return_to: Option<String>) -> String {
        let secret = random_id();
        let now = app.clock.now_secs();
        let mut live: Vec<(String, i64)> = self
            .names_with_prefix("f_")
            .filter_map(|name| {
                let stored: StoredFlow = serde_json::from_str(self.s(name)?).ok()?;
                (stored.until > now).then(|| (name.to_string(), stored.until))
            })
            .collect();
        live.sort_by_key(|(_, until)| *until);
        let excess = (live.len() + 1).saturating_sub(MAX_FLOWS);
        for (attr, _) in live.into_iter().take(excess) {
            self.remove(&attr);
        }
        let stored = StoredFlow {
            flow,
            return_to,
            until: now + FLOW_SECONDS,
        };
        let attr = flow_attr(app, &secret);
        self.set_s(&attr, json(&stored));
        format!("{}.{secret}", self.ck)
    }

    /// Stores the flow's new state, keeping its expiry; only if the flow is still there.
    pub fn save_flow(&mut self, record: &mut FlowRecord, flow: LoginFlow) {
        record.flow = flow;
        let stored = StoredFlow {
            flow: record.flow.clone(),
            return_to: record.return_to.clone(),
            until: record.until,
        };
        self.require(Condition::has(&record.attr));
        self.set_s(&record.attr, json(&stored));
    }

    /// Ends the flow, on condition it is still there (a flow is finished once).
    pub fn end_flow(&mut self, record: &FlowRecord) {
        self.require(Condition::has(&record.attr));
        self.remove(&record.attr);
    }

    /// Whether the attribute holds a value equal to `value` (for conditions on what was read).
    pub fn unchanged(&self, name: &str) -> Condition {
        match self.item().attrs.get(name) {
            Some(value) => Condition::equals(name, value.clone()),
            None => Condition::lacks(name),
        }
    }
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
    use crate::record::split_cookie;

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

    /// A citizen with an active e-mail key and `n` sessions, each logged into `services`.
    async fn with_sessions(app: &App, n: usize, services: &[&str]) -> Vec<Session> {
        let mut record = Record::load(app, "ck1").await.expect("load");
        record.set_s("id", "c1");
        record.set_s("username", "u1");
        record.set_s(&KeyKind::Email.attr(), "active");
        let cookies: Vec<String> = (0..n)
            .map(|_| record.start_session(app, KeyKind::Email))
            .collect();
        record.commit(app).await.expect("commit");
        let mut sessions = Vec::new();
        for cookie in cookies {
            let (_, secret) = split_cookie(&cookie).expect("cookie");
            let session = Record::load(app, "ck1")
                .await
                .expect("load")
                .session(app, secret)
                .expect("live");
            for service in services {
                remember_service(app, &session, service)
                    .await
                    .expect("remembered");
            }
            sessions.push(session);
        }
        sessions
    }

    async fn notices(app: &App) -> Vec<crate::logout_notices::Notice> {
        let mut all: Vec<_> = crate::logout_notices::pending(app)
            .await
            .expect("store")
            .into_iter()
            .map(|s| s.notice)
            .collect();
        all.sort_by(|a, b| (&a.session, &a.client_id).cmp(&(&b.session, &b.client_id)));
        all
    }

    #[tokio::test]
    async fn a_session_that_ends_tells_the_services_it_logged_into() {
        let (app, clock) = test_app_with(|_| {});
        let sessions = with_sessions(&app, 3, &["tax", "land"]).await;
        // Remembering twice changes nothing; touching the session keeps what it remembers.
        remember_service(&app, &sessions[0], "tax")
            .await
            .expect("again");
        clock.advance(time::Duration::seconds(120));
        let mut record = Record::load(&app, "ck1").await.expect("load");
        let mut first = record.session_at(&app, sessions[0].attr()).expect("live");
        record.touch_session(&app, &mut first);
        record.commit(&app).await.expect("touched");
        assert!(notices(&app).await.is_empty(), "nothing ended yet");

        // One session signs out: its two services hear of it, once each.
        first.end(&app, "sign_out").await.expect("ended");
        let told = notices(&app).await;
        assert_eq!(told.len(), 2, "{told:?}");
        assert!(
            told.iter()
                .all(|n| n.session == sessions[0].attr() && n.citizen_id == "c1")
        );

        // Signing out everywhere tells the services of the other two.
        let mut record = Record::load(&app, "ck1").await.expect("load");
        record.end_sessions_except(None);
        record.commit(&app).await.expect("signed out everywhere");
        assert_eq!(notices(&app).await.len(), 6);
    }

    #[tokio::test]
    async fn sessions_that_expire_or_are_pushed_out_tell_their_services_at_the_next_write() {
        let (app, clock) = test_app_with(|_| {});
        let sessions = with_sessions(&app, 1, &["tax"]).await;
        clock.advance(time::Duration::seconds(
            app.settings.session_idle_seconds + 1,
        ));
        let mut record = Record::load(&app, "ck1").await.expect("load");
        assert!(
            record.session_at(&app, sessions[0].attr()).is_none(),
            "expired"
        );
        record.set_s("lang", "nl");
        record.commit(&app).await.expect("a later write");
        let told = notices(&app).await;
        assert_eq!(told.len(), 1);
        assert_eq!(told[0].client_id, "tax");

        // The oldest session beyond the limit ends when a new one starts.
        let (app, _) = test_app_with(|_| {});
        let sessions = with_sessions(&app, MAX_SESSIONS, &["land"]).await;
        let mut record = Record::load(&app, "ck1").await.expect("load");
        record.start_session(&app, KeyKind::Email);
        record.commit(&app).await.expect("one more");
        let told = notices(&app).await;
        assert_eq!(told.len(), 1);
        let record = Record::load(&app, "ck1").await.expect("load");
        let ended: Vec<&Session> = sessions
            .iter()
            .filter(|s| record.session_at(&app, s.attr()).is_none())
            .collect();
        assert_eq!(ended.len(), 1, "one session was pushed out");
        assert_eq!(told[0].session, ended[0].attr());
    }
}
