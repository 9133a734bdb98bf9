//! The citizen record: one item per citizen (profile, keys, card, sessions, login flows, wizard, codes, lockout), read in one call and changed in one write.
//!
//! Its key is the keyed hash of the normalised username (`ck`), so a login finds it without an
//! index, and the session and flow cookies carry `ck` in front of their secret so every later
//! request finds it in one read. A request loads the record once, its steps change it in memory
//! (collecting one `Change`, the conditions it rests on, and the other items to write with it:
//! audit events, outbox mails, counters), and `commit` writes it all in one `UpdateItem` or one
//! transaction. Short-lived parts carry their own expiry and count as absent once past it; a
//! write removes the expired ones it sees.
//!
//! This module holds the record's storage (load, change, conditions, commit, audit). Each concern
//! that keeps its part on the record adds its methods in its own module, beside its rules:
//! [`crate::citizens`] (profile, keys, password check), [`crate::session`] (logins, sessions,
//! login flows), [`crate::switch`] (the wizard's state, the switch, the address change),
//! [`crate::codes`] (mailed codes) and [`crate::throttle`] (attempts and lockouts).

use crate::app::App;
use crate::crypto::keyed_hash;
use crate::dispatch::{self, Queued};
use crate::input::normalise_username;
use crate::mailer::Mail;
use crate::secrets::KeyPurpose;
use crate::store::{Change, Condition, Item, StoreError, Updated, Value, Write};

/// The record's sort key.
pub const SORT_KEY: &str = "citizen";

/// The citizen key of a username: a keyed hash, so the table never holds usernames as keys.
pub fn citizen_key(app: &App, username: &str) -> String {
    keyed_hash(
        &app.secrets.key(KeyPurpose::ThrottleHash),
        "username",
        &normalise_username(username),
    )
}

/// The partition key of the record with citizen key `ck`.
pub fn record_pk(ck: &str) -> String {
    format!("citizen#{ck}")
}

/// A cookie value `ck.secret`: the record it belongs to, and its secret.
pub fn split_cookie(cookie: &str) -> Option<(&str, &str)> {
    let (ck, secret) = cookie.split_once('.')?;
    let plausible = |s: &str| {
        !s.is_empty()
            && s.len() <= 64
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    (plausible(ck) && plausible(secret)).then_some((ck, secret))
}

/// How a commit ended when it could not write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommitError {
    /// A condition did not hold (the record changed meanwhile): nothing was written. `failed`
    /// lists the positions of the writes that failed: 0 is the record, then the others in order.
    Conflict { failed: Vec<usize> },
    /// The store failed.
    Store(StoreError),
}

impl std::fmt::Display for CommitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CommitError::Conflict { failed } => {
                write!(f, "the record changed meanwhile (writes {failed:?})")
            }
            CommitError::Store(err) => write!(f, "{err}"),
        }
    }
}

impl std::error::Error for CommitError {}

impl From<StoreError> for CommitError {
    fn from(err: StoreError) -> Self {
        CommitError::Store(err)
    }
}

/// A citizen's record as read, and the write being prepared on it.
#[derive(Debug, Clone)]
pub struct Record {
    /// The citizen key.
    pub ck: String,
    /// The item as read (or as the last write answered); empty when there is none.
    item: Item,
    change: Change,
    conditions: Vec<Condition>,
    others: Vec<Write>,
    queued: Vec<Queued>,
    /// The phase-out's counters this write adds to (one day item, [`crate::progress`]).
    pub(crate) tally: crate::progress::Tally,
    /// The expiry the record's own item should get (only for a stub that counts a username's
    /// failures and holds no citizen).
    pub(crate) stub_expiry: Option<i64>,
    /// The services to tell of the sessions this write ends (Back-Channel Logout).
    pub(crate) ended_sessions: Vec<crate::logout_notices::Notice>,
}

impl Record {
    /// Counts an event of the phase-out in the same write as the record's change.
    pub fn count(&mut self, counted: crate::progress::Counted) {
        self.tally.count(counted);
    }

    fn from_item(ck: &str, item: Option<Item>) -> Record {
        Record {
            ck: ck.to_string(),
            item: item.unwrap_or_else(|| Item::new(record_pk(ck), SORT_KEY)),
            change: Change::new(),
            conditions: Vec::new(),
            others: Vec::new(),
            queued: Vec::new(),
            tally: Default::default(),
            stub_expiry: None,
            ended_sessions: Vec::new(),
        }
    }

    /// The record with citizen key `ck` (one read); an empty one when there is none.
    pub async fn load(app: &App, ck: &str) -> Result<Record, StoreError> {
        let item = app.store.get(&record_pk(ck), SORT_KEY).await?;
        Ok(Record::from_item(ck, item))
    }

    /// A record from what an update answered.
    pub(crate) fn from_updated(ck: &str, updated: Updated) -> (bool, Record) {
        match updated {
            Updated::Changed(item) => (true, Record::from_item(ck, Some(item))),
            Updated::Refused(item) => (false, Record::from_item(ck, item)),
        }
    }

    /// A record built from a whole item.
    #[cfg(any(test, feature = "harness"))]
    fn new_item(item: Item) -> Record {
        let ck = item
            .pk
            .strip_prefix("citizen#")
            .unwrap_or_default()
            .to_string();
        Record::from_item(&ck, Some(item))
    }

    /// A record as read, for unit tests.
    #[cfg(any(test, feature = "harness"))]
    pub fn for_tests(item: Item) -> Record {
        Record::new_item(item)
    }

    pub fn pk(&self) -> String {
        record_pk(&self.ck)
    }

    /// Whether the record holds a citizen (not only a username's failure count).
    pub fn is_citizen(&self) -> bool {
        self.s("username").is_some()
    }

    /// The citizen's id, when the record holds one.
    pub fn citizen_id(&self) -> Option<&str> {
        self.s("id")
    }

    // ---- reading, as the record stands after the changes made so far ----

    /// A string attribute, as changed so far.
    pub fn s(&self, name: &str) -> Option<&str> {
        if self.change.remove.iter().any(|r| r == name) {
            return None;
        }
        if let Some((_, Value::S(s))) = self.change.set.iter().rev().find(|(n, _)| n == name) {
            return Some(s);
        }
        self.item.s(name)
    }

    /// A number attribute, as changed so far.
    pub fn n(&self, name: &str) -> Option<i64> {
        if self.change.remove.iter().any(|r| r == name) {
            return None;
        }
        let base = match self.change.set.iter().rev().find(|(n, _)| n == name) {
            Some((_, Value::N(n))) => Some(*n),
            Some(_) => None,
            None => self.item.n(name),
        };
        let added: i64 = self
            .change
            .add
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, by)| by)
            .sum();
        match (base, added) {
            (base, 0) => base,
            (base, added) => Some(base.unwrap_or(0) + added),
        }
    }

    /// The names of the attributes that start with `prefix`, as read.
    pub fn names_with_prefix<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.item
            .attrs
            .keys()
            .filter(move |name| name.starts_with(prefix))
            .map(String::as_str)
    }

    /// The item as read (for tests and the operators' tools).
    pub fn item(&self) -> &Item {
        &self.item
    }

    // ---- changing ----

    /// Sets an attribute in the write being prepared.
    pub fn set(&mut self, name: &str, value: Value) {
        self.change.set.retain(|(n, _)| n != name);
        self.change.add.retain(|(n, _)| n != name);
        self.change.remove.retain(|n| n != name);
        self.change.set.push((name.to_string(), value));
    }

    pub fn set_s(&mut self, name: &str, value: impl Into<String>) {
        self.set(name, Value::S(value.into()));
    }

    pub fn set_n(&mut self, name: &str, value: i64) {
        self.set(name, Value::N(value));
    }

    /// Adds to a number attribute in the write being prepared (atomically, whatever it is then).
    pub fn add(&mut self, name: &str, by: i64) {
        if let Some((_, Value::N(n))) = self.change.set.iter_mut().find(|(n, _)| n == name) {
            *n += by;
            return;
        }
        self.change.remove.retain(|n| n != name);
        match self.change.add.iter_mut().find(|(n, _)| n == name) {
            Some((_, total)) => *total += by,
            None => self.change.add.push((name.to_string(), by)),
        }
    }

    /// Removes an attribute in the write being prepared (nothing when it is not there).
    pub fn remove(&mut self, name: &str) {
        self.change.set.retain(|(n, _)| n != name);
        self.change.add.retain(|(n, _)| n != name);
        let there = self.item.attrs.contains_key(name);
        if there && !self.change.remove.iter().any(|r| r == name) {
            self.change.remove.push(name.to_string());
        }
    }

    /// The write must only happen if `condition` holds for the record.
    pub fn require(&mut self, condition: Condition) {
        if !self.conditions.contains(&condition) {
            self.conditions.push(condition);
        }
    }

    /// Another item's write, made together with the record's.
    pub fn also(&mut self, write: Write) -> usize {
        self.others.push(write);
        self.others.len()
    }

    /// Records an audit event in the same write. `citizen_id` is the citizen's id.
    pub fn audit(&mut self, app: &App, event: &str, outcome: &str) {
        let who = match self.citizen_id() {
            Some(id) => id.to_string(),
            None => format!("anon#{}", &self.ck[..self.ck.len().min(16)]),
        };
        tracing::info!(audit = event, citizen = %who, outcome, "audit");
        let write = crate::audit::write(app, event, &who, outcome);
        self.others.push(write);
    }

    /// Queues a notification mail in the outbox, in the same write.
    pub fn queue_mail(&mut self, app: &App, mail: Mail) {
        let queued = dispatch::queue_mail(mail);
        self.others.push(queued.write(app));
        self.queued.push(queued);
    }

    /// Whether the write being prepared would write anything.
    pub fn has_changes(&self) -> bool {
        !self.change.is_empty() || !self.others.is_empty() || !self.tally.is_empty()
    }

    /// Writes what was prepared: one `UpdateItem` of the record, or one transaction with the
    /// other items. Nothing is written when a condition does not hold.
    pub async fn commit(&mut self, app: &App) -> Result<(), CommitError> {
        if !self.has_changes() {
            return Ok(());
        }
        let now = app.clock.now_secs();
        self.prune_expired(now);
        let mut change = std::mem::take(&mut self.change);
        if let Some(at) = self.stub_expiry.take() {
            change.expires_at = Some(at);
        }
        let condition = match self.conditions.len() {
            0 => None,
            1 => self.conditions.first().cloned(),
            _ => Some(Condition::All(self.conditions.clone())),
        };
        let mut others = std::mem::take(&mut self.others);
        others.extend(std::mem::take(&mut self.tally).write(app));
        others.extend(
            std::mem::take(&mut self.ended_sessions)
                .iter()
                .map(|notice| crate::logout_notices::write(app, notice)),
        );
        let queued = std::mem::take(&mut self.queued);
        self.conditions.clear();
        let pk = self.pk();
        if others.is_empty() {
            return match app.store.update(&pk, SORT_KEY, change, condition).await? {
                Updated::Changed(item) => {
                    self.item = item;
                    Ok(())
                }
                Updated::Refused(item) => {
                    if let Some(item) = item {
                        self.item = item;
                    }
                    Err(CommitError::Conflict { failed: vec![0] })
                }
            };
        }
        let mut writes = Vec::with_capacity(others.len() + 1);
        let record_written = !change.is_empty();
        if record_written {
            writes.push(Write::Update {
                pk: pk.clone(),
                sk: SORT_KEY.into(),
                change: change.clone(),
                condition,
            });
        } else if let Some(condition) = condition {
            writes.push(Write::Check {
                pk: pk.clone(),
                sk: SORT_KEY.into(),
                condition,
            });
        }
        let offset = if writes.is_empty() { 1 } else { 0 };
        writes.extend(others);
        match app.store.transact(writes).await {
            Ok(()) => {
                if record_written {
                    let item = std::mem::replace(&mut self.item, Item::new(&pk, SORT_KEY));
                    self.item = change.applied_to(Some(item), &pk, SORT_KEY);
                }
                dispatch::after_commit(app, &queued).await;
                Ok(())
            }
            Err(StoreError::TransactionCanceled { failed }) => Err(CommitError::Conflict {
                failed: failed.into_iter().map(|i| i + offset).collect(),
            }),
            Err(other) => Err(other.into()),
        }
    }

    /// Forgets what was prepared and not written.
    pub fn discard(&mut self) {
        self.change = Change::new();
        self.conditions.clear();
        self.others.clear();
        self.queued.clear();
        self.tally = Default::default();
        self.ended_sessions.clear();
    }

    /// Removes the short-lived parts past their expiry (sessions, flows, codes, the wizard).
    fn prune_expired(&mut self, now: i64) {
        let expired: Vec<String> = self
            .item
            .attrs
            .iter()
            .filter_map(|(name, value)| {
                let until = until_of(name, value)?;
                (until <= now).then(|| name.clone())
            })
            .collect();
        for name in expired {
            if name.starts_with("code_") {
                self.remove(&format!("{name}_tries"));
            }
            if name.starts_with("d_") {
                self.remove(&format!("{name}_n"));
            }

            let touched = self.change.set.iter().any(|(n, _)| *n == name)
                || self.change.add.iter().any(|(n, _)| *n == name);
            if !touched {
                if name.starts_with("s_") && !self.change.remove.contains(&name) {
                    // A session that expired: the services it logged into hear of it now.
                    self.note_session_end(&name);
                }
                self.remove(&name);
            }
        }
    }
}

/// The expiry of a short-lived part of the record (a JSON object with `until`), if it is one.
pub fn until_of(name: &str, value: &Value) -> Option<i64> {
    let short_lived = ["s_", "f_", "d_", "code_", "wizard", "email_previous"]
        .iter()
        .any(|prefix| name.starts_with(prefix))
        && !name.ends_with("_tries")
        && !name.ends_with("_n");
    match value {
        Value::S(json) if short_lived => serde_json::from_str::<Until>(json).ok().map(|u| u.until),
        _ => None,
    }
}

#[derive(serde::Deserialize)]
struct Until {
    until: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_carry_the_citizen_key_and_a_secret() {
        assert_eq!(split_cookie("abc_-1.s3cr-t"), Some(("abc_-1", "s3cr-t")));
        assert_eq!(split_cookie("abc"), None);
        assert_eq!(split_cookie(".x"), None);
        assert_eq!(split_cookie("a.b.c"), None, "one dot only");
        assert_eq!(split_cookie("a b.c"), None);
    }

    #[test]
    fn reads_see_the_changes_made_so_far() {
        let item = Item::new("citizen#x", SORT_KEY)
            .with_n("attempts", 2)
            .with_s("email", "a@example.org")
            .with_s("wizard", "{}");
        let mut record = Record::new_item(item);
        assert_eq!(record.ck, "x");
        record.set_s("email", "b@example.org");
        record.remove("wizard");
        record.remove("never_there");
        assert_eq!(record.s("email"), Some("b@example.org"));
        assert_eq!(record.s("wizard"), None);
        assert_eq!(record.n("attempts"), Some(2));
        record.set_n("attempts", 0);
        assert_eq!(record.n("attempts"), Some(0));
        assert!(
            !record.change.remove.contains(&"never_there".to_string()),
            "removing what is not there writes nothing"
        );
    }
}
