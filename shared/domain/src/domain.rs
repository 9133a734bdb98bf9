//! The domain: citizens, their digital keys and token cards, as items of the single table.

use crate::app::App;
use crate::crypto::{self, keyed_hash};
use crate::lang::Lang;
use crate::secrets::KeyPurpose;
use crate::store::{Condition, Item, StoreError, Write};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How many numbered codes a token card has.
pub const CARD_SIZE: u8 = 24;

/// A kind of digital key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KeyKind {
    Token,
    Email,
    App,
}

impl KeyKind {
    pub const ALL: [KeyKind; 3] = [KeyKind::Token, KeyKind::Email, KeyKind::App];

    pub fn as_str(self) -> &'static str {
        match self {
            KeyKind::Token => "token",
            KeyKind::Email => "email",
            KeyKind::App => "app",
        }
    }

    pub fn parse(text: &str) -> Option<KeyKind> {
        KeyKind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// The translation id of the key's name (its method's).
    pub fn name_id(self) -> &'static str {
        crate::methods::of(self).name_id()
    }

    /// The translation id of the key's one-line description (its method's).
    pub fn hint_id(self) -> &'static str {
        crate::methods::of(self).hint_id()
    }

    pub fn sort_key(self) -> String {
        format!("key#{}", self.as_str())
    }
}

/// Whether a key can be used to log in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KeyState {
    Active,
    Inactive,
}

impl KeyState {
    pub fn as_str(self) -> &'static str {
        match self {
            KeyState::Active => "active",
            KeyState::Inactive => "inactive",
        }
    }
}

/// A citizen's key and its history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    pub kind: KeyKind,
    pub state: KeyState,
    /// Epoch seconds.
    pub activated_at: Option<i64>,
    pub deactivated_at: Option<i64>,
}

/// A citizen's profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citizen {
    pub id: String,
    pub username: String,
    pub email: String,
    pub lang: Lang,
    password_hash: String,
}

/// A new citizen to enrol, as an operator's import or the local runner provides one.
#[derive(Debug, Clone)]
pub struct NewCitizen {
    pub username: String,
    pub password: String,
    pub email: String,
    pub lang: Lang,
}

/// What can go wrong in the domain and its flows: the store failed, or a rule could not be kept.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A token is never activated: no new token can be had.
    #[error("a token is never activated")]
    TokenNeverActivated,
    /// The records a change depends on kept changing between reading and writing.
    #[error("the {0} kept changing")]
    KeptChanging(&'static str),
    /// A state could not be written as JSON.
    #[error("the {what} could not be written: {reason}")]
    Unwritable { what: &'static str, reason: String },
}

/// Why a citizen could not be enrolled.
#[derive(Debug, thiserror::Error)]
pub enum EnrolError {
    #[error("the username is taken")]
    UsernameTaken,
    #[error("another citizen has this id")]
    IdTaken,
    #[error("the username, password or address is not acceptable: {0}")]
    Invalid(&'static str),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Hash(#[from] crypto::PasswordHashError),
}

pub fn citizen_pk(id: &str) -> String {
    format!("citizen#{id}")
}

fn username_pk(username: &str) -> String {
    format!("username#{}", normalise_username(username))
}

/// Usernames compare without regard to case or surrounding spaces.
pub fn normalise_username(username: &str) -> String {
    username.trim().to_lowercase()
}

/// A citizen ready to be written: the password already hashed (a PHC string, argon2id or a
/// legacy format an import brings) and the card's codes in clear (stored keyed-hashed).
#[derive(Debug, Clone)]
pub struct PreparedCitizen {
    pub id: String,
    pub username: String,
    pub email: String,
    pub lang: Lang,
    pub password_hash: String,
    pub card: BTreeMap<u8, String>,
}

/// How writing a prepared citizen ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enrolled {
    /// The citizen was written now.
    New,
    /// A citizen with this id and username was already there (an import run again): nothing changed.
    AlreadyThere,
}

/// Checks a username, an address and a password's length as enrolment does.
fn check_new(username: &str, email: &str, password: Option<&str>) -> Result<(), EnrolError> {
    if username.is_empty()
        || username.chars().count() > 128
        || username.chars().any(char::is_control)
    {
        return Err(EnrolError::Invalid("username"));
    }
    if let Some(password) = password
        && (password.chars().count() < 8 || password.chars().count() > 256)
    {
        return Err(EnrolError::Invalid("password"));
    }
    if !looks_like_address(email) {
        return Err(EnrolError::Invalid("email"));
    }
    Ok(())
}

/// Enrols a citizen with an active token and a fresh card; returns the citizen and the card's codes.
pub async fn enrol(
    app: &App,
    new: NewCitizen,
) -> Result<(Citizen, BTreeMap<u8, String>), EnrolError> {
    let username = new.username.trim().to_string();
    check_new(&username, &new.email, Some(&new.password))?;
    let password_hash = crate::passwords::hash(new.password.clone()).await?;
    let card: BTreeMap<u8, String> = (1..=CARD_SIZE)
        .map(|n| (n, crypto::random_code()))
        .collect();
    let prepared = PreparedCitizen {
        id: crypto::random_short_id(),
        username,
        email: new.email.trim().to_string(),
        lang: new.lang,
        password_hash,
        card,
    };
    match enrol_prepared(app, &prepared).await? {
        Enrolled::New => {}
        Enrolled::AlreadyThere => return Err(EnrolError::UsernameTaken),
    }
    let citizen = Citizen {
        id: prepared.id,
        username: prepared.username,
        email: prepared.email,
        lang: prepared.lang,
        password_hash: prepared.password_hash,
    };
    Ok((citizen, prepared.card))
}

/// Writes a prepared citizen (profile, username, active token, card) in one transaction: all or
/// nothing. Idempotent: the same id and username again is `AlreadyThere`; the username under
/// another id is `UsernameTaken`.
pub async fn enrol_prepared(app: &App, new: &PreparedCitizen) -> Result<Enrolled, EnrolError> {
    let username = new.username.trim();
    check_new(username, &new.email, None)?;
    if new.card.len() != usize::from(CARD_SIZE)
        || (1..=CARD_SIZE).any(|n| !new.card.contains_key(&n))
    {
        return Err(EnrolError::Invalid("card"));
    }
    let id = new.id.as_str();
    let now = app.clock.now_secs();
    let code_key = app.secrets.key(KeyPurpose::CodeHash);
    let mut card_item = Item::new(citizen_pk(id), "card").with_n("size", i64::from(CARD_SIZE));
    for (number, code) in &new.card {
        card_item.set(
            &format!("c{number}"),
            crate::store::Value::S(keyed_hash(
                &code_key,
                &crate::methods::token::card_context(id, *number),
                code,
            )),
        );
    }
    let profile = Item::new(citizen_pk(id), "profile")
        .with_s("username", username)
        .with_s("email", new.email.trim())
        .with_s("lang", new.lang.code())
        .with_s("password", &new.password_hash)
        .with_n("created_at", now);
    let token = Item::new(citizen_pk(id), KeyKind::Token.sort_key())
        .with_s("state", KeyState::Active.as_str())
        .with_n("activated_at", now);
    let index = Item::new(username_pk(username), "username").with_s("citizen", id);
    let writes = vec![
        Write::Put {
            item: index,
            condition: Some(Condition::Absent),
        },
        Write::Put {
            item: profile,
            condition: Some(Condition::Absent),
        },
        Write::Put {
            item: token,
            condition: Some(Condition::Absent),
        },
        Write::Put {
            item: card_item,
            condition: Some(Condition::Absent),
        },
    ];
    match app.store.transact(writes).await {
        Ok(()) => Ok(Enrolled::New),
        Err(StoreError::TransactionCanceled { failed }) if failed.contains(&0) => {
            let owner = app.store.get(&username_pk(username), "username").await?;
            if owner.as_ref().and_then(|i| i.s("citizen")) == Some(id) {
                Ok(Enrolled::AlreadyThere)
            } else {
                Err(EnrolError::UsernameTaken)
            }
        }
        Err(StoreError::TransactionCanceled { .. }) => Err(EnrolError::IdTaken),
        Err(other) => Err(other.into()),
    }
}

/// A light check that a text is an e-mail address (one @, something either side, a dot after it).
pub fn looks_like_address(text: &str) -> bool {
    let text = text.trim();
    match text.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !text.contains(char::is_whitespace)
                && text.len() <= 254
                && !domain.contains('@')
        }
        None => false,
    }
}

fn citizen_from(id: &str, item: &Item) -> Option<Citizen> {
    Some(Citizen {
        id: id.to_string(),
        username: item.s("username")?.to_string(),
        email: item.s("email")?.to_string(),
        lang: item
            .s("lang")
            .and_then(Lang::parse)
            .unwrap_or(Lang::DEFAULT),
        password_hash: item.s("password")?.to_string(),
    })
}

/// The citizen with this id.
pub async fn citizen(app: &App, id: &str) -> Result<Option<Citizen>, StoreError> {
    let item = app.store.get(&citizen_pk(id), "profile").await?;
    Ok(item.and_then(|item| citizen_from(id, &item)))
}

/// The citizen with this username, if any.
pub async fn citizen_by_username(app: &App, username: &str) -> Result<Option<Citizen>, StoreError> {
    let Some(index) = app.store.get(&username_pk(username), "username").await? else {
        return Ok(None);
    };
    match index.s("citizen") {
        Some(id) => citizen(app, id).await,
        None => Ok(None),
    }
}

impl Citizen {
    /// Checks the password at argon2id's full cost, on the password pool's threads.
    pub async fn password_matches(&self, password: &str) -> bool {
        crate::passwords::verify(password.to_string(), self.password_hash.clone()).await
    }
}

/// Spends a password check's time for a username that does not exist.
pub async fn password_check_of_nobody(password: &str) {
    crate::passwords::verify_of_nobody(password.to_string()).await;
}

/// All of a citizen's keys, in the order token, e-mail, app.
pub async fn keys(app: &App, citizen_id: &str) -> Result<Vec<Key>, StoreError> {
    let items = app.store.query(&citizen_pk(citizen_id), "key#").await?;
    let mut keys: Vec<Key> = items
        .iter()
        .filter_map(|item| {
            let kind = KeyKind::parse(item.sk.strip_prefix("key#")?)?;
            let state = if item.s("state") == Some("active") {
                KeyState::Active
            } else {
                KeyState::Inactive
            };
            Some(Key {
                kind,
                state,
                activated_at: item.n("activated_at"),
                deactivated_at: item.n("deactivated_at"),
            })
        })
        .collect();
    keys.sort_by_key(|k| KeyKind::ALL.iter().position(|x| *x == k.kind));
    Ok(keys)
}

/// The state of one key of a citizen; a key never activated is `None`.
pub async fn key(app: &App, citizen_id: &str, kind: KeyKind) -> Result<Option<Key>, StoreError> {
    Ok(keys(app, citizen_id)
        .await?
        .into_iter()
        .find(|k| k.kind == kind))
}

/// The write that makes `kind` active now, on condition that it is not active already. `extra`
/// carries what the key needs besides its state (the app key's sealed secret).
pub fn activate_key_write(
    citizen_id: &str,
    kind: KeyKind,
    current: Option<&Key>,
    now: i64,
    extra: Vec<(String, crate::store::Value)>,
) -> Write {
    let mut item = Item::new(citizen_pk(citizen_id), kind.sort_key())
        .with_s("state", KeyState::Active.as_str())
        .with_n("activated_at", now);
    for (name, value) in extra {
        item.set(&name, value);
    }
    let condition = match current {
        None => Condition::Absent,
        Some(_) => Condition::equals(
            "state",
            crate::store::Value::S(KeyState::Inactive.as_str().into()),
        ),
    };
    Write::Put {
        item,
        condition: Some(condition),
    }
}

/// The write that deactivates the token now, on condition that it still is active.
pub fn deactivate_token_write(citizen_id: &str, token: &Key, now: i64) -> Write {
    let mut item = Item::new(citizen_pk(citizen_id), KeyKind::Token.sort_key())
        .with_s("state", KeyState::Inactive.as_str())
        .with_n("deactivated_at", now);
    if let Some(at) = token.activated_at {
        item = item.with_n("activated_at", at);
    }
    Write::Put {
        item,
        condition: Some(Condition::equals(
            "state",
            crate::store::Value::S(KeyState::Active.as_str().into()),
        )),
    }
}

/// The write that changes the citizen's address from `old` to `new`, on condition it still is `old`.
pub async fn change_email_write(
    app: &App,
    citizen_id: &str,
    old: &str,
    new: &str,
) -> Result<Option<Write>, StoreError> {
    let Some(mut profile) = app.store.get(&citizen_pk(citizen_id), "profile").await? else {
        return Ok(None);
    };
    if profile.s("email") != Some(old) {
        return Ok(None);
    }
    profile.set("email", crate::store::Value::S(new.trim().to_string()));
    Ok(Some(Write::Put {
        item: profile,
        condition: Some(Condition::equals(
            "email",
            crate::store::Value::S(old.to_string()),
        )),
    }))
}

/// The kinds a citizen could still activate (no double activation; never a token).
pub fn activatable(keys: &[Key]) -> Vec<KeyKind> {
    crate::methods::ALL
        .into_iter()
        .filter(|method| method.activatable())
        .map(|method| method.kind())
        .filter(|kind| {
            !keys
                .iter()
                .any(|k| k.kind == *kind && k.state == KeyState::Active)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_checked_lightly() {
        assert!(looks_like_address("jan.peeters@example.be"));
        assert!(!looks_like_address("jan.peeters@example"));
        assert!(!looks_like_address("jan peeters@example.be"));
        assert!(!looks_like_address("@example.be"));
        assert!(!looks_like_address("jan@@example.be"));
    }

    #[test]
    fn usernames_compare_without_case() {
        assert_eq!(normalise_username("  Jan.Peeters "), "jan.peeters");
    }
}
