//! One-time codes sent by e-mail (registration, e-mail change, login): TTL items, keyed-hashed, 5 tries.

use crate::app::App;
use crate::crypto::{keyed_hash, keyed_hash_matches, random_code, random_short_id};
use crate::domain::{DomainError, citizen_pk};
use crate::secrets::KeyPurpose;
use crate::store::{Condition, Item, StoreError, Value, Write};

/// Wrong tries a code allows; after them even the right code is refused.
pub const MAX_TRIES: i64 = 5;
/// Codes of one purpose a citizen may be sent per hour (the first one included).
pub const SENDS_PER_HOUR: i64 = 10;

/// What a code is for; each purpose has at most one live code per citizen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodePurpose {
    /// Step 3 of the wizard by e-mail.
    Registration,
    /// Verifies a new address in step 1 of the wizard.
    EmailChange,
    /// Logging on with the e-mail key.
    Login,
}

impl CodePurpose {
    fn as_str(self) -> &'static str {
        match self {
            CodePurpose::Registration => "registration",
            CodePurpose::EmailChange => "email_change",
            CodePurpose::Login => "login",
        }
    }

    fn sort_key(self) -> String {
        format!("code#{}", self.as_str())
    }

    /// How long a code of this purpose lives.
    pub fn ttl_seconds(self, app: &App) -> i64 {
        match self {
            CodePurpose::Registration | CodePurpose::EmailChange => {
                app.settings.registration_code_ttl_seconds
            }
            CodePurpose::Login => app.settings.login_code_ttl_seconds,
        }
    }
}

fn context(citizen_id: &str, purpose: CodePurpose, nonce: &str) -> String {
    format!("code/{}/{citizen_id}/{nonce}", purpose.as_str())
}

/// A code just issued: the digits to mail, once, and never to store or log.
#[derive(Debug, Clone)]
pub struct IssuedCode {
    pub code: String,
    pub expires_at: i64,
}

/// Issues a new code, replacing any earlier one of the same purpose (whose tries it does not
/// inherit). `address` is the new address a change code verifies.
pub async fn issue(
    app: &App,
    citizen_id: &str,
    purpose: CodePurpose,
    address: Option<&str>,
) -> Result<IssuedCode, StoreError> {
    let code = random_code();
    let nonce = random_short_id();
    let now = app.clock.now_secs();
    let expires_at = now + purpose.ttl_seconds(app);
    let hash = keyed_hash(
        &app.secrets.key(KeyPurpose::CodeHash),
        &context(citizen_id, purpose, &nonce),
        &code,
    );
    let mut item = Item::new(citizen_pk(citizen_id), purpose.sort_key())
        .expiring_at(expires_at)
        .with_s("hash", hash)
        .with_s("nonce", nonce)
        .with_n("tries", 0)
        .with_n("issued_at", now);
    if let Some(address) = address {
        item = item.with_s("address", address);
    }
    app.store.put(item, None).await?;
    Ok(IssuedCode { code, expires_at })
}

/// Counts a sending of a code of `purpose`; `false` when the citizen has had enough this hour.
pub async fn allow_send(
    app: &App,
    citizen_id: &str,
    purpose: CodePurpose,
) -> Result<bool, StoreError> {
    let now = app.clock.now_secs();
    let window = now / 3600;
    let count = app
        .store
        .increment(
            &citizen_pk(citizen_id),
            &format!("sends#{}#{window}", purpose.as_str()),
            "count",
            (window + 1) * 3600,
        )
        .await?;
    Ok(count <= SENDS_PER_HOUR)
}

/// The outcome of checking a submitted code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeCheck {
    /// Right: `consume` is the write that uses the code up (put it in the transaction that acts on
    /// it); it fails if the code changed or was used meanwhile. `address` is what a change code
    /// verifies.
    Right {
        consume: Write,
        address: Option<String>,
    },
    /// Wrong; this many tries are left.
    Wrong { tries_left: i64 },
    /// Wrong too often: only a new code helps.
    Exhausted,
    /// No live code: never sent, expired, or already used.
    Missing,
}

/// Checks `submitted` against the live code of `purpose`, counting a wrong try.
pub async fn check(
    app: &App,
    citizen_id: &str,
    purpose: CodePurpose,
    submitted: &str,
) -> Result<CodeCheck, DomainError> {
    let pk = citizen_pk(citizen_id);
    let sk = purpose.sort_key();
    for _ in 0..5 {
        let Some(item) = app.store.get(&pk, &sk).await? else {
            return Ok(CodeCheck::Missing);
        };
        let (Some(hash), Some(nonce), Some(tries)) =
            (item.s("hash"), item.s("nonce"), item.n("tries"))
        else {
            return Ok(CodeCheck::Missing);
        };
        if tries >= MAX_TRIES {
            return Ok(CodeCheck::Exhausted);
        }
        let submitted = submitted.trim();
        let well_formed = submitted.len() == 6 && submitted.bytes().all(|b| b.is_ascii_digit());
        let key = app.secrets.key(KeyPurpose::CodeHash);
        let unchanged = Condition::All(vec![
            Condition::equals("nonce", Value::S(nonce.to_string())),
            Condition::equals("tries", Value::N(tries)),
        ]);
        if well_formed
            && keyed_hash_matches(&key, &context(citizen_id, purpose, nonce), submitted, hash)
        {
            return Ok(CodeCheck::Right {
                consume: Write::Delete {
                    pk,
                    sk,
                    condition: Some(unchanged),
                },
                address: item.s("address").map(String::from),
            });
        }
        let mut counted = item.clone();
        counted.set("tries", Value::N(tries + 1));
        match app.store.put(counted, Some(unchanged)).await {
            Ok(()) if tries + 1 >= MAX_TRIES => return Ok(CodeCheck::Exhausted),
            Ok(()) => {
                return Ok(CodeCheck::Wrong {
                    tries_left: MAX_TRIES - tries - 1,
                });
            }
            Err(StoreError::ConditionFailed) => continue,
            Err(other) => return Err(other.into()),
        }
    }
    Err(DomainError::KeptChanging("code"))
}

/// Withdraws the live code of `purpose`, if any (the citizen cancelled).
pub async fn withdraw(app: &App, citizen_id: &str, purpose: CodePurpose) -> Result<(), StoreError> {
    app.store
        .delete(&citizen_pk(citizen_id), &purpose.sort_key(), None)
        .await
}

/// The address a live code of `purpose` was sent for, if there is one.
pub async fn pending_address(
    app: &App,
    citizen_id: &str,
    purpose: CodePurpose,
) -> Result<Option<String>, StoreError> {
    Ok(app
        .store
        .get(&citizen_pk(citizen_id), &purpose.sort_key())
        .await?
        .and_then(|item| item.s("address").map(String::from)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::harness::{test_app, test_app_with};
    use time::Duration;

    #[tokio::test]
    async fn a_right_code_gives_the_write_that_consumes_it_once() {
        let (app, _) = test_app();
        let issued = issue(&app, "c1", CodePurpose::Registration, None)
            .await
            .expect("issued");
        let CodeCheck::Right { consume, .. } =
            check(&app, "c1", CodePurpose::Registration, &issued.code)
                .await
                .expect("checked")
        else {
            panic!("the right code is right");
        };
        app.store
            .transact(vec![consume.clone()])
            .await
            .expect("consumed");
        assert_eq!(
            app.store.transact(vec![consume]).await,
            Err(StoreError::TransactionCanceled { failed: vec![0] }),
            "a code is used once"
        );
        assert_eq!(
            check(&app, "c1", CodePurpose::Registration, &issued.code).await,
            Ok(CodeCheck::Missing)
        );
    }

    #[tokio::test]
    async fn five_wrong_tries_exhaust_the_code() {
        let (app, _) = test_app();
        let issued = issue(&app, "c1", CodePurpose::Login, None)
            .await
            .expect("issued");
        let wrong = if issued.code == "000000" {
            "111111"
        } else {
            "000000"
        };
        for left in (1..MAX_TRIES).rev() {
            assert_eq!(
                check(&app, "c1", CodePurpose::Login, wrong).await,
                Ok(CodeCheck::Wrong { tries_left: left })
            );
        }
        assert_eq!(
            check(&app, "c1", CodePurpose::Login, "12ab").await,
            Ok(CodeCheck::Exhausted),
            "the fifth wrong try, even a malformed one, exhausts it"
        );
        assert_eq!(
            check(&app, "c1", CodePurpose::Login, &issued.code).await,
            Ok(CodeCheck::Exhausted),
            "then even the right code is refused"
        );
        let again = issue(&app, "c1", CodePurpose::Login, None)
            .await
            .expect("new code");
        assert!(matches!(
            check(&app, "c1", CodePurpose::Login, &again.code).await,
            Ok(CodeCheck::Right { .. })
        ));
    }

    #[tokio::test]
    async fn a_code_expires_at_its_ttl_even_before_the_store_deletes_it() {
        let (app, clock) = test_app_with(|s| s.registration_code_ttl_seconds = 60);
        let issued = issue(&app, "c1", CodePurpose::Registration, None)
            .await
            .expect("issued");
        clock.advance(Duration::seconds(61));
        assert_eq!(
            check(&app, "c1", CodePurpose::Registration, &issued.code).await,
            Ok(CodeCheck::Missing)
        );
    }

    #[tokio::test]
    async fn codes_are_stored_only_hashed() {
        let harness = crate::harness::test_harness(|_| {});
        let issued = issue(
            &harness.app,
            "c1",
            CodePurpose::EmailChange,
            Some("new@example.org"),
        )
        .await
        .expect("issued");
        let stored = format!("{:?}", harness.store.raw_items());
        assert!(
            !stored.contains(&format!("\"{}\"", issued.code)),
            "{stored}"
        );
        assert_eq!(
            pending_address(&harness.app, "c1", CodePurpose::EmailChange).await,
            Ok(Some("new@example.org".into()))
        );
    }

    #[tokio::test]
    async fn sending_is_limited_per_hour() {
        let (app, clock) = test_app();
        for _ in 0..SENDS_PER_HOUR {
            assert_eq!(allow_send(&app, "c1", CodePurpose::Login).await, Ok(true));
        }
        assert_eq!(allow_send(&app, "c1", CodePurpose::Login).await, Ok(false));
        assert_eq!(
            allow_send(&app, "c1", CodePurpose::Registration).await,
            Ok(true)
        );
        clock.advance(Duration::hours(1));
        assert_eq!(allow_send(&app, "c1", CodePurpose::Login).await, Ok(true));
    }
}
