//! One-time codes sent by e-mail (registration, e-mail change, login) on the citizen record: keyed-hashed, 5 tries taken before checking, an expiry.

use crate::app::App;
use crate::crypto::{
    keyed_hash, keyed_hash_matches, random_code, random_short_id, short_keyed_hash,
};
use crate::record::Record;
use crate::secrets::KeyPurpose;
use crate::store::{Change, Condition, Value, Write};
use serde::{Deserialize, Serialize};

/// Wrong tries a code allows; after them even the right code is refused.
pub const MAX_TRIES: i64 = 5;
/// Codes of one purpose a citizen may be sent per hour (the first one included).
pub const SENDS_PER_HOUR: i64 = 10;
/// Codes mailed to one address per hour, whoever asks for them: no citizen (nor many together)
/// can make the service mail a stranger more often than this.
pub const SENDS_PER_ADDRESS_PER_HOUR: i64 = 20;

/// The write that counts a code mailed to `address` this hour, on condition the address is under
/// [`SENDS_PER_ADDRESS_PER_HOUR`] (one windowed item per address and hour, keyed by a keyed hash
/// of the lowercased address: no address in the table). Goes into the commit that issues the code.
pub fn address_send_write(app: &App, address: &str) -> Write {
    let hour = app.clock.now_secs() / 3600;
    let hashed = short_keyed_hash(
        &app.secrets.key(KeyPurpose::ThrottleHash),
        "mailto",
        &address.trim().to_lowercase(),
    );
    Write::Update {
        pk: format!("mailto#{hashed}#{hour}"),
        sk: "mailto".into(),
        change: Change::new().add("sends", 1).expiring_at((hour + 2) * 3600),
        condition: Some(Condition::below("sends", SENDS_PER_ADDRESS_PER_HOUR)),
    }
}

/// What a code is for; each purpose has at most one live code per citizen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodePurpose {
    /// Step 3 of the wizard by e-mail.
    Registration,
    /// Verifies a new address in step 1 of the wizard.
    EmailChange,
    /// Logging on with the e-mail key.
    Login,
    /// The first proof of a forgotten password's recovery, mailed to the registered address.
    Recovery,
}

impl CodePurpose {
    fn as_str(self) -> &'static str {
        match self {
            CodePurpose::Registration => "registration",
            CodePurpose::EmailChange => "email_change",
            CodePurpose::Login => "login",
            CodePurpose::Recovery => "recovery",
        }
    }

    /// The record attribute that holds the live code.
    pub fn attr(self) -> String {
        format!("code_{}", self.as_str())
    }

    /// The record attribute that counts the code's tries.
    pub fn tries_attr(self) -> String {
        format!("code_{}_tries", self.as_str())
    }

    fn sends_attr(self) -> String {
        format!("sends_{}", self.as_str())
    }

    /// How long a code of this purpose lives.
    pub fn ttl_seconds(self, app: &App) -> i64 {
        match self {
            CodePurpose::Registration | CodePurpose::EmailChange => {
                app.settings.registration_code_ttl_seconds
            }
            CodePurpose::Login | CodePurpose::Recovery => app.settings.login_code_ttl_seconds,
        }
    }

    /// The conditions a try at this code is taken on: a code is there, with tries left.
    pub fn try_conditions(self) -> Vec<Condition> {
        vec![
            Condition::has(&self.attr()),
            Condition::below(&self.tries_attr(), MAX_TRIES),
        ]
    }
}

fn context(citizen_id: &str, purpose: CodePurpose, nonce: &str) -> String {
    format!("code/{}/{citizen_id}/{nonce}", purpose.as_str())
}

/// A code as the record keeps it: only its keyed hash.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredCode {
    hash: String,
    nonce: String,
    until: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    address: Option<String>,
}

/// The hourly count of codes sent.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
struct Sends {
    hour: i64,
    count: i64,
}

/// A code just issued: the digits to mail, once, and never to store or log.
#[derive(Debug, Clone)]
pub struct IssuedCode {
    pub code: String,
    pub expires_at: i64,
}

/// The citizen has been sent enough codes of this purpose this hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooManySends;

/// What uses a right code up: written with the change that acts on it, on condition the code is
/// still the one that was checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consume {
    pub purpose: CodePurpose,
    /// The stored code as checked.
    pub stored: String,
}

/// The outcome of checking a submitted code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeCheck {
    /// Right: `consume` uses the code up (with the change that acts on it); `address` is what a
    /// change code verifies.
    Right {
        consume: Consume,
        address: Option<String>,
    },
    /// Wrong; this many tries are left.
    Wrong { tries_left: i64 },
    /// Wrong too often: only a new code helps.
    Exhausted,
    /// No live code: never sent, expired, or already used.
    Missing,
}

impl Record {
    fn live_code(&self, app: &App, purpose: CodePurpose) -> Option<(String, StoredCode)> {
        let json = self.s(&purpose.attr())?;
        let stored: StoredCode = serde_json::from_str(json).ok()?;
        (stored.until > app.clock.now_secs()).then(|| (json.to_string(), stored))
    }

    /// Issues a new code, replacing any earlier one of the same purpose (whose tries it does not
    /// inherit), within the hourly sending limit. `address` is the new address a change code
    /// verifies.
    pub fn issue_code(
        &mut self,
        app: &App,
        purpose: CodePurpose,
        address: Option<&str>,
    ) -> Result<IssuedCode, TooManySends> {
        let now = app.clock.now_secs();
        let hour = now / 3600;
        let sends = self
            .s(&purpose.sends_attr())
            .and_then(|json| serde_json::from_str::<Sends>(json).ok())
            .filter(|sends| sends.hour == hour)
            .unwrap_or(Sends { hour, count: 0 });
        if sends.count >= SENDS_PER_HOUR {
            return Err(TooManySends);
        }
        let sends = Sends {
            hour,
            count: sends.count + 1,
        };
        self.set_s(
            &purpose.sends_attr(),
            serde_json::to_string(&sends).unwrap_or_default(),
        );
        let code = random_code();
        let nonce = random_short_id();
        let citizen_id = self.citizen_id().unwrap_or_default().to_string();
        let expires_at = now + purpose.ttl_seconds(app);
        let stored = StoredCode {
            hash: keyed_hash(
                &app.secrets.key(KeyPurpose::CodeHash),
                &context(&citizen_id, purpose, &nonce),
                &code,
            ),
            nonce,
            until: expires_at,
            address: address.map(String::from),
        };
        self.set_s(
            &purpose.attr(),
            serde_json::to_string(&stored).unwrap_or_default(),
        );
        self.set_n(&purpose.tries_attr(), 0);
        Ok(IssuedCode { code, expires_at })
    }

    /// Checks `submitted` against the live code of `purpose`, whose try was already taken (the
    /// record is as the try left it: `tries` counts this one).
    pub fn check_code(&self, app: &App, purpose: CodePurpose, submitted: &str) -> CodeCheck {
        let Some((json, stored)) = self.live_code(app, purpose) else {
            return CodeCheck::Missing;
        };
        let tries = self.n(&purpose.tries_attr()).unwrap_or(0);
        if tries > MAX_TRIES {
            return CodeCheck::Exhausted;
        }
        let submitted = submitted.trim();
        let well_formed = submitted.len() == 6 && submitted.bytes().all(|b| b.is_ascii_digit());
        let citizen_id = self.citizen_id().unwrap_or_default();
        let key = app.secrets.key(KeyPurpose::CodeHash);
        if well_formed
            && keyed_hash_matches(
                &key,
                &context(citizen_id, purpose, &stored.nonce),
                submitted,
                &stored.hash,
            )
        {
            return CodeCheck::Right {
                consume: Consume {
                    purpose,
                    stored: json,
                },
                address: stored.address,
            };
        }
        if tries >= MAX_TRIES {
            CodeCheck::Exhausted
        } else {
            CodeCheck::Wrong {
                tries_left: MAX_TRIES - tries,
            }
        }
    }

    /// Why a try at the code of `purpose` could not be taken: gone, or out of tries.
    pub fn code_unavailable(&self, app: &App, purpose: CodePurpose) -> CodeCheck {
        match self.live_code(app, purpose) {
            None => CodeCheck::Missing,
            Some(_) => CodeCheck::Exhausted,
        }
    }

    /// Uses the checked code up, on condition it is still the one checked.
    pub fn consume_code(&mut self, consume: &Consume) {
        self.require(Condition::equals(
            &consume.purpose.attr(),
            Value::S(consume.stored.clone()),
        ));
        self.remove(&consume.purpose.attr());
        self.remove(&consume.purpose.tries_attr());
    }

    /// Withdraws the live code of `purpose`, if any (the citizen cancelled, or it was not sent).
    pub fn withdraw_code(&mut self, purpose: CodePurpose) {
        self.remove(&purpose.attr());
        self.remove(&purpose.tries_attr());
    }

    /// The address a live code of `purpose` was sent for, if there is one.
    pub fn pending_address(&self, app: &App, purpose: CodePurpose) -> Option<String> {
        self.live_code(app, purpose)
            .and_then(|(_, stored)| stored.address)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::harness::{test_app, test_app_with};
    use crate::store::{Item, Value};
    use time::Duration;

    fn record() -> Record {
        Record::for_tests(
            Item::new("citizen#ck", "citizen")
                .with_s("id", "c1")
                .with_s("username", "jan"),
        )
    }

    /// A try as `take_attempt` counts it, made on the record in memory.
    fn tried(mut record: Record, purpose: CodePurpose) -> Record {
        let tries = record.n(&purpose.tries_attr()).unwrap_or(0);
        record.set(&purpose.tries_attr(), Value::N(tries + 1));
        record
    }

    #[test]
    fn a_right_code_is_consumed_on_condition_it_is_unchanged() {
        let (app, _) = test_app();
        let mut record = record();
        let issued = record
            .issue_code(&app, CodePurpose::Registration, None)
            .expect("issued");
        let record = tried(record, CodePurpose::Registration);
        let CodeCheck::Right { consume, .. } =
            record.check_code(&app, CodePurpose::Registration, &issued.code)
        else {
            panic!("the right code is right");
        };
        let mut record = record;
        record.consume_code(&consume);
        assert_eq!(
            record.check_code(&app, CodePurpose::Registration, &issued.code),
            CodeCheck::Missing
        );
    }

    #[test]
    fn five_wrong_tries_exhaust_the_code() {
        let (app, _) = test_app();
        let mut record = record();
        let issued = record
            .issue_code(&app, CodePurpose::Login, None)
            .expect("issued");
        let wrong = if issued.code == "000000" {
            "111111"
        } else {
            "000000"
        };
        for left in (1..MAX_TRIES).rev() {
            record = tried(record, CodePurpose::Login);
            assert_eq!(
                record.check_code(&app, CodePurpose::Login, wrong),
                CodeCheck::Wrong { tries_left: left }
            );
        }
        record = tried(record, CodePurpose::Login);
        assert_eq!(
            record.check_code(&app, CodePurpose::Login, "12ab"),
            CodeCheck::Exhausted,
            "the fifth wrong try, even a malformed one, exhausts it"
        );
        assert_eq!(
            record.code_unavailable(&app, CodePurpose::Login),
            CodeCheck::Exhausted,
            "then no try is taken"
        );
        record
            .issue_code(&app, CodePurpose::Login, None)
            .expect("new code");
        assert_eq!(record.n(&CodePurpose::Login.tries_attr()), Some(0));
    }

    #[test]
    fn a_code_expires_at_its_ttl() {
        let (app, clock) = test_app_with(|s| s.registration_code_ttl_seconds = 60);
        let mut record = record();
        let issued = record
            .issue_code(&app, CodePurpose::Registration, None)
            .expect("issued");
        clock.advance(Duration::seconds(61));
        let record = tried(record, CodePurpose::Registration);
        assert_eq!(
            record.check_code(&app, CodePurpose::Registration, &issued.code),
            CodeCheck::Missing
        );
    }

    #[test]
    fn codes_are_kept_only_hashed() {
        let (app, _) = test_app();
        let mut record = record();
        let issued = record
            .issue_code(&app, CodePurpose::EmailChange, Some("new@example.org"))
            .expect("issued");
        let stored = record
            .s(&CodePurpose::EmailChange.attr())
            .unwrap_or_default();
        assert!(!stored.contains(&issued.code), "{stored}");
        assert_eq!(
            record.pending_address(&app, CodePurpose::EmailChange),
            Some("new@example.org".into())
        );
    }

    #[test]
    fn sending_is_limited_per_hour() {
        let (app, clock) = test_app();
        let mut record = record();
        for _ in 0..SENDS_PER_HOUR {
            assert!(record.issue_code(&app, CodePurpose::Login, None).is_ok());
        }
        assert_eq!(
            record.issue_code(&app, CodePurpose::Login, None).err(),
            Some(TooManySends)
        );
        assert!(
            record
                .issue_code(&app, CodePurpose::Registration, None)
                .is_ok()
        );
        clock.advance(Duration::hours(1));
        assert!(record.issue_code(&app, CodePurpose::Login, None).is_ok());
    }
}
