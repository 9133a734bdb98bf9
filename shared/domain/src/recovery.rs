//! The ways back in that start from a login page: the usernames registered with an address are mailed to it (the same answer whether or not it is known), and every request of a forgotten username or password counts against its client address.

use crate::addresses;
use crate::app::App;
use crate::crypto::short_keyed_hash;
use crate::lang::Lang;
use crate::mailer::Mail;
use crate::record::{CommitError, Record};
use crate::secrets::KeyPurpose;
use crate::store::{Change, Condition, StoreError, Write};

/// Requests one client address may make per hour, whatever address they name.
pub const REQUESTS_PER_CLIENT_PER_HOUR: i64 = 10;
/// Username reminders one address may receive per hour.
pub const REMINDERS_PER_ADDRESS_PER_HOUR: i64 = 3;

/// A windowed counter of this hour, on condition it is under `limit`.
fn counter(pk: String, limit: i64, hour: i64) -> Write {
    Write::Update {
        pk,
        sk: "recovery".into(),
        change: Change::new()
            .add("requests", 1)
            .expiring_at((hour + 2) * 3600),
        condition: Some(Condition::below("requests", limit)),
    }
}

fn hashed(app: &App, context: &str, text: &str) -> String {
    short_keyed_hash(&app.secrets.key(KeyPurpose::ThrottleHash), context, text)
}

/// Counts one recovery request (a forgotten username or password) of `client_ip` this hour;
/// `false` once it has made [`REQUESTS_PER_CLIENT_PER_HOUR`] (nothing is looked up then).
pub async fn count_client_request(app: &App, client_ip: &str) -> Result<bool, StoreError> {
    let hour = app.clock.now_secs() / 3600;
    let client = counter(
        format!(
            "recovery#ip#{}#{hour}",
            hashed(app, "recovery-ip", client_ip)
        ),
        REQUESTS_PER_CLIENT_PER_HOUR,
        hour,
    );
    match app.store.transact(vec![client]).await {
        Ok(()) => Ok(true),
        Err(StoreError::TransactionCanceled { .. }) => Ok(false),
        Err(other) => Err(other),
    }
}

/// How a request for the usernames ended. The citizen is told the same in every case but the
/// first: a stranger learns nothing about the address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reminded {
    /// The client address has made too many requests this hour: nothing was looked up.
    TooManyRequests,
    /// The usernames went to the address.
    Sent,
    /// No citizen has this address: nothing was sent.
    Unknown,
    /// The address has had its reminders this hour: nothing more was sent.
    AddressLimited,
}

/// Mails the usernames registered with `address` to it (`mail` writes the reminder, in the
/// language of the first of them, to the address as registered, from the usernames). One request of `client_ip` is counted
/// first, whether or not the address is known.
pub async fn remind_usernames(
    app: &App,
    client_ip: &str,
    address: &str,
    mail: impl FnOnce(Lang, &str, &[String]) -> Mail,
) -> Result<Reminded, StoreError> {
    if !count_client_request(app, client_ip).await? {
        return Ok(Reminded::TooManyRequests);
    }
    let hour = app.clock.now_secs() / 3600;
    let mut records = addresses::citizens_with(app, address).await?;
    if records.is_empty() {
        tracing::info!(audit = "recovery.username", outcome = "unknown", "audit");
        return Ok(Reminded::Unknown);
    }
    let usernames: Vec<String> = records
        .iter()
        .filter_map(|r| r.s("username").map(String::from))
        .collect();
    let mut first: Record = records.swap_remove(0);
    let lang = first.citizen().map(|c| c.lang).unwrap_or(Lang::DEFAULT);
    let to = first.s("email").unwrap_or(address).to_string();
    first.queue_mail(app, mail(lang, &to, &usernames));
    first.also(counter(
        format!(
            "recovery#address#{}#{hour}",
            hashed(app, "recovery-address", &to.to_lowercase())
        ),
        REMINDERS_PER_ADDRESS_PER_HOUR,
        hour,
    ));
    first.audit(app, "recovery.username", "sent");
    match first.commit(app).await {
        Ok(()) => Ok(Reminded::Sent),
        Err(CommitError::Conflict { .. }) => {
            tracing::info!(
                audit = "recovery.username",
                outcome = "address_limited",
                "audit"
            );
            Ok(Reminded::AddressLimited)
        }
        Err(CommitError::Store(err)) => Err(err),
    }
}
