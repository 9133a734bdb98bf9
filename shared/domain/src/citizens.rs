//! Citizens: their profile, enrolment (one transaction with the token and its card), lookups by id or username, and the keys their record holds.

use crate::app::App;
use crate::crypto::{self, keyed_hash};
use crate::keys::{CARD_SIZE, Key, KeyKind, KeyState, card_code_context};
use crate::lang::Lang;
use crate::record::{Record, SORT_KEY, citizen_key, record_pk};
use crate::secrets::KeyPurpose;
use crate::store::{Condition, Item, StoreError, Value, Write};
use std::collections::BTreeMap;

/// A citizen's profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citizen {
    pub id: String,
    pub username: String,
    /// The name the citizen is greeted with (the import's, an office's or a strong key's), if known.
    pub name: Option<String>,
    pub email: String,
    pub lang: Lang,
    password_hash: String,
}

/// A new citizen to enrol, as an operator's import or the local runner provides one.
#[derive(Debug, Clone)]
pub struct NewCitizen {
    pub username: String,
    pub name: Option<String>,
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
    #[error("another citizen has this national register number")]
    NationalNumberTaken,
    /// Another citizen's username looks the same (`input::look_alike_form`).
    #[error("the username looks like another citizen's")]
    LookAlike,
    #[error("the username, password or address is not acceptable: {0}")]
    Invalid(&'static str),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Hash(#[from] crypto::PasswordHashError),
}

/// The item that finds a citizen's record by id (for support staff and tools, never a login).
fn id_pk(id: &str) -> String {
    format!("id#{id}")
}

pub use crate::input::normalise_username;

/// A citizen ready to be written: the password already hashed (a PHC string, argon2id or a
/// legacy format an import brings) and the card's codes in clear (stored keyed-hashed).
#[derive(Debug, Clone)]
pub struct PreparedCitizen {
    pub id: String,
    pub username: String,
    /// The citizen's name as greeted on every page ([`valid_name`]), if known.
    pub name: Option<String>,
    pub email: String,
    pub lang: Lang,
    pub password_hash: String,
    pub card: BTreeMap<u8, String>,
    /// The paper card's serial number, as the old system printed it (support staff ask for it).
    pub card_serial: Option<String>,
    /// The national register number, kept only as its keyed hash (an index finds the citizen).
    pub national_number: Option<crate::national_number::NationalNumber>,
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
    if crate::input::username_problem(username).is_some() {
        return Err(EnrolError::Invalid("username"));
    }
    if let Some(password) = password
        && crate::input::password_problem(password, username, email).is_some()
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
        name: new.name.as_deref().and_then(valid_name),
        email: crate::input::valid_address(&new.email)
            .unwrap_or_else(|| new.email.trim().to_string()),
        lang: new.lang,
        password_hash,
        card,
        card_serial: None,
        national_number: None,
    };
    match enrol_prepared(app, &prepared).await? {
        Enrolled::New => {}
        Enrolled::AlreadyThere => return Err(EnrolError::UsernameTaken),
    }
    let citizen = Citizen {
        id: prepared.id,
        username: prepared.username,
        name: prepared.name,
        email: prepared.email,
        lang: prepared.lang,
        password_hash: prepared.password_hash,
    };
    Ok((citizen, prepared.card))
}

/// Writes a prepared citizen (the record with profile, active token and card, the id's index
/// item, the token holders' index item, the address's index item and the day's count) in one
/// transaction: all or nothing.
/// Idempotent: the same id and username again is `AlreadyThere`; the username under another id
/// is `UsernameTaken`.
pub async fn enrol_prepared(app: &App, new: &PreparedCitizen) -> Result<Enrolled, EnrolError> {
    let username = new.username.trim();
    check_new(username, &new.email, None)?;
    if new.card.len() != usize::from(CARD_SIZE)
        || (1..=CARD_SIZE).any(|n| !new.card.contains_key(&n))
    {
        return Err(EnrolError::Invalid("card"));
    }
    let id = new.id.as_str();
    let ck = citizen_key(app, username);
    let now = app.clock.now_secs();
    let code_key = app.secrets.key(KeyPurpose::CodeHash);
    let mut record = profile_item(app, id, username, &new.email, new.lang, &new.password_hash)
        .with_s(&KeyKind::Token.attr(), KeyState::Active.as_str())
        .with_n(&format!("{}_on", KeyKind::Token.attr()), now)
        .with_n("card_size", i64::from(CARD_SIZE));
    if let Some(serial) = &new.card_serial {
        record.set("card_serial", Value::S(serial.clone()));
    }
    if let Some(name) = new.name.as_deref().and_then(valid_name) {
        record.set("name", Value::S(name));
    }
    if let Some(number) = &new.national_number {
        record.set(crate::national_number::ATTR, Value::S(number.hashed(app)));
    }
    for (number, code) in &new.card {
        record.set(
            &format!("c{number}"),
            Value::S(keyed_hash(&code_key, &card_code_context(id, *number), code)),
        );
    }
    let mut writes = vec![
        record_put(record),
        id_index(id, &ck),
        // One citizen per look: no username may pass for another one.
        look_alike_index(app, username, &ck),
        // A token holder: listed for the reminders, counted for the progress report.
        crate::progress::holder_put(&ck),
        // Found by its address when the username is forgotten.
        crate::addresses::listed(app, &new.email, &ck),
    ];
    // Found by the token card's serial at a registration office.
    if let Some(serial) = &new.card_serial {
        writes.push(card_serial_index(app, serial, &ck));
    }
    // Found by the number (an office, later eID or itsme): one citizen per number.
    let number_write = new.national_number.as_ref().map(|number| {
        writes.push(crate::national_number::listed(app, number, &ck));
        writes.len() - 1
    });
    let mut tally = crate::progress::Tally::default();
    tally.count(crate::progress::Counted::TokenHolderAdded);
    tally.count(crate::progress::Counted::TokenHolderAddedIn(new.lang));
    writes.extend(tally.write(app));
    match app.store.transact(writes).await {
        Ok(()) => Ok(Enrolled::New),
        Err(StoreError::TransactionCanceled { failed }) if failed.contains(&0) => {
            let owner = Record::load(app, &ck).await?;
            if owner.citizen_id() == Some(id) {
                Ok(Enrolled::AlreadyThere)
            } else {
                Err(EnrolError::UsernameTaken)
            }
        }
        Err(StoreError::TransactionCanceled { failed })
            if number_write.is_some_and(|at| failed.contains(&at)) =>
        {
            Err(EnrolError::NationalNumberTaken)
        }
        Err(StoreError::TransactionCanceled { failed }) if failed.contains(&2) => {
            Err(EnrolError::LookAlike)
        }
        Err(StoreError::TransactionCanceled { .. }) => Err(EnrolError::IdTaken),
        Err(other) => Err(other.into()),
    }
}

/// A new citizen's record item with the profile and password and no key: its key is the keyed
/// hash of `username`. The caller adds the keys (an import's token, or none for an office's
/// citizen, whose wizard activates the first).
pub fn profile_item(
    app: &App,
    id: &str,
    username: &str,
    email: &str,
    lang: Lang,
    password_hash: &str,
) -> Item {
    let ck = citizen_key(app, username);
    Item::new(record_pk(&ck), SORT_KEY)
        .with_s("id", id)
        .with_s("username", username.trim())
        .with_s(
            "email",
            crate::input::valid_address(email).unwrap_or_else(|| email.trim().to_string()),
        )
        .with_s("lang", lang.code())
        .with_s("password", password_hash)
        .with_n("created_at", app.clock.now_secs())
}

/// The write of a new citizen's record: on condition no citizen has the username (a username's
/// failure count may be there before its citizen; the new record replaces it).
pub fn record_put(record: Item) -> Write {
    Write::Put {
        item: record,
        condition: Some(Condition::lacks("username")),
    }
}

/// The index item that keeps a username's look-alike form for the record `ck`: on condition no
/// other citizen's username looks the same (the same record again, an import rerun, is fine).
pub fn look_alike_index(app: &App, username: &str, ck: &str) -> Write {
    let form = crate::input::look_alike_form(username);
    Write::Put {
        item: Item::new(
            format!(
                "lookalike#{}",
                crypto::short_keyed_hash(
                    &app.secrets.key(KeyPurpose::ThrottleHash),
                    "look-alike",
                    &form
                )
            ),
            "lookalike",
        )
        .with_s("ck", ck),
        condition: Some(Condition::Any(vec![
            Condition::Absent,
            Condition::equals("ck", Value::S(ck.to_string())),
        ])),
    }
}

/// The index item that finds the record `ck` by the citizen's id, on condition no one has the id.
pub fn id_index(id: &str, ck: &str) -> Write {
    Write::Put {
        item: Item::new(id_pk(id), "id").with_s("ck", ck),
        condition: Some(Condition::Absent),
    }
}

fn card_serial_pk(app: &App, serial: &str) -> String {
    format!(
        "serial#{}",
        crypto::short_keyed_hash(
            &app.secrets.key(KeyPurpose::ThrottleHash),
            "card-serial",
            &serial.trim().to_uppercase(),
        )
    )
}

/// The index item that finds a citizen by the token card's serial number (a registration
/// office asks for it); the newest card with a serial wins.
fn card_serial_index(app: &App, serial: &str, ck: &str) -> Write {
    Write::Put {
        item: Item::new(card_serial_pk(app, serial), "serial").with_s("ck", ck),
        condition: None,
    }
}

/// The record of the citizen whose token card has this serial number, if any.
pub async fn record_by_card_serial(app: &App, serial: &str) -> Result<Option<Record>, StoreError> {
    let Some(index) = app
        .store
        .get(&card_serial_pk(app, serial), "serial")
        .await?
    else {
        return Ok(None);
    };
    let Some(ck) = index.s("ck") else {
        return Ok(None);
    };
    let record = Record::load(app, ck).await?;
    let same = record
        .card_serial()
        .is_some_and(|kept| kept.trim().eq_ignore_ascii_case(serial.trim()));
    Ok(same.then_some(record))
}

/// The longest name kept, in characters.
pub const MAX_NAME_CHARS: usize = 100;

/// A name as the service keeps it: trimmed, inner runs of white space made one space, no control
/// characters, at most [`MAX_NAME_CHARS`]; `None` for an empty or unusable one.
pub fn valid_name(text: &str) -> Option<String> {
    let name = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!name.is_empty()
        && name.chars().count() <= MAX_NAME_CHARS
        && !name.chars().any(char::is_control))
    .then_some(name)
}

impl Citizen {
    /// The name the pages greet the citizen with: the name, or else the username.
    pub fn greeting_name(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.username)
    }
}

/// Whether a text is an address the mailer can send to ([`crate::input::valid_address`]).
pub fn looks_like_address(text: &str) -> bool {
    crate::input::valid_address(text).is_some()
}

/// The citizen with this id (two reads: the id's index, then the record; never on a login).
pub async fn citizen(app: &App, id: &str) -> Result<Option<Citizen>, StoreError> {
    Ok(record_of(app, id).await?.and_then(|r| r.citizen()))
}

/// The record of the citizen with this id, if there is one.
pub async fn record_of(app: &App, id: &str) -> Result<Option<Record>, StoreError> {
    let Some(index) = app.store.get(&id_pk(id), "id").await? else {
        return Ok(None);
    };
    let Some(ck) = index.s("ck") else {
        return Ok(None);
    };
    let record = Record::load(app, ck).await?;
    Ok(record.is_citizen().then_some(record))
}

/// The citizen with this username, if any (one read).
pub async fn citizen_by_username(app: &App, username: &str) -> Result<Option<Citizen>, StoreError> {
    Ok(Record::load(app, &citizen_key(app, username))
        .await?
        .citizen())
}

impl Citizen {
    /// The stored password hash (a PHC string), for a rehash after login.
    pub fn password_hash(&self) -> &str {
        &self.password_hash
    }

    /// Checks the password at argon2id's full cost, on the password pool's threads.
    pub async fn password_matches(&self, password: &str) -> bool {
        crate::passwords::verify(password.to_string(), self.password_hash.clone()).await
    }
}

/// Spends a password check's time for a username that does not exist.
pub async fn password_check_of_nobody(password: &str) {
    crate::passwords::verify_of_nobody(password.to_string()).await;
}

/// All of a citizen's keys, in the order token, e-mail, app (by id: for tools and tests).
pub async fn keys(app: &App, citizen_id: &str) -> Result<Vec<Key>, StoreError> {
    Ok(record_of(app, citizen_id)
        .await?
        .map(|r| r.keys())
        .unwrap_or_default())
}

/// The state of one key of a citizen; a key never activated is `None` (by id: for tools and tests).
pub async fn key(app: &App, citizen_id: &str, kind: KeyKind) -> Result<Option<Key>, StoreError> {
    Ok(keys(app, citizen_id)
        .await?
        .into_iter()
        .find(|k| k.kind == kind))
}

impl Record {
    /// The citizen the record holds, if it holds one.
    pub fn citizen(&self) -> Option<Citizen> {
        Some(Citizen {
            id: self.s("id")?.to_string(),
            username: self.s("username")?.to_string(),
            name: self.s("name").map(str::to_string),
            email: self.s("email")?.to_string(),
            lang: self
                .s("lang")
                .and_then(Lang::parse)
                .unwrap_or(Lang::DEFAULT),
            password_hash: self.s("password")?.to_string(),
        })
    }

    /// Whether `password` is the citizen's; an old system's hash that matches is rehashed to the
    /// service's argon2id in the record (written with the login).
    pub async fn check_password(&mut self, password: &str) -> bool {
        let stored = self.citizen().map(|c| c.password_hash().to_string());
        match stored.as_deref() {
            Some(phc) if crate::legacy_passwords::is_current(phc) => {
                crate::passwords::verify(password.to_string(), phc.to_string()).await
            }
            // Imported from the old system (bcrypt, PBKDF2, scrypt, argon2i…): checked off
            // the async threads, then rehashed to the service's argon2id in the same write.
            Some(phc) => {
                let (given, old) = (password.to_string(), phc.to_string());
                let right = tokio::task::spawn_blocking(move || {
                    crate::legacy_passwords::verify_legacy(&given, &old)
                })
                .await
                .ok()
                .flatten();
                match right {
                    Some(true) => {
                        if let Ok(rehashed) = crate::passwords::hash(password.to_string()).await {
                            self.set_s("password", rehashed);
                        }
                        true
                    }
                    Some(false) => false,
                    None => crate::passwords::verify(password.to_string(), phc.to_string()).await,
                }
            }
            None => false,
        }
    }

    /// The paper token card's serial number, when the import gave one.
    pub fn card_serial(&self) -> Option<&str> {
        self.s("card_serial")
    }

    /// All of the citizen's keys, in the order token, e-mail, app.
    pub fn keys(&self) -> Vec<Key> {
        KeyKind::ALL
            .into_iter()
            .filter_map(|kind| self.key(kind))
            .collect()
    }

    /// One key of the citizen; a key never activated is `None`.
    pub fn key(&self, kind: KeyKind) -> Option<Key> {
        let attr = kind.attr();
        let state = match self.s(&attr)? {
            "active" => KeyState::Active,
            _ => KeyState::Inactive,
        };
        Some(Key {
            kind,
            state,
            activated_at: self.n(&format!("{attr}_on")),
            deactivated_at: self.n(&format!("{attr}_off")),
        })
    }

    /// Whether the citizen's key of `kind` is active.
    pub fn key_active(&self, kind: KeyKind) -> bool {
        self.key(kind).is_some_and(|k| k.state == KeyState::Active)
    }

    /// Makes `kind` active now, on condition it is not active already. `extra` is what the key
    /// keeps besides its state (the app key's sealed secret and last time step).
    pub fn activate_key(&mut self, kind: KeyKind, now: i64, extra: Vec<(String, Value)>) {
        let attr = kind.attr();
        self.require(Condition::Any(vec![
            Condition::lacks(&attr),
            Condition::equals(&attr, Value::S(KeyState::Inactive.as_str().into())),
        ]));
        self.set_s(&attr, KeyState::Active.as_str());
        self.set_n(&format!("{attr}_on"), now);
        self.remove(&format!("{attr}_off"));
        for (name, value) in extra {
            self.set(&format!("{}_{name}", kind.as_str()), value);
        }
    }

    /// Deactivates the token now if it is active (on condition it still is); whether it was.
    pub fn deactivate_token(&mut self, now: i64) -> bool {
        let attr = KeyKind::Token.attr();
        if self.s(&attr) != Some(KeyState::Active.as_str()) {
            return false;
        }
        self.require(Condition::equals(
            &attr,
            Value::S(KeyState::Active.as_str().into()),
        ));
        self.set_s(&attr, KeyState::Inactive.as_str());
        self.set_n(&format!("{attr}_off"), now);
        let ck = self.ck.clone();
        self.also(crate::progress::holder_delete(&ck));
        self.count(crate::progress::Counted::TokenRetired);
        let lang = self
            .s("lang")
            .and_then(Lang::parse)
            .unwrap_or(Lang::DEFAULT);
        self.count(crate::progress::Counted::TokenRetiredIn(lang));
        // A reminder of any campaign came first: the switch answers it.
        if self.names_with_prefix("reminded_").next().is_some() {
            self.count(crate::progress::Counted::SwitchedAfterReminder);
        }
        true
    }
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
