//! The wizard's state in the table (one item per citizen) and the one-transaction switch to a new key.

use crate::app::App;
use crate::audit;
use crate::dispatch::{self, Queued};
use crate::domain::{self, Citizen, DomainError, KeyKind, KeyState, citizen_pk};
pub use crate::flows::wizard::{Guard, Wizard};
use crate::mailer::Mail;
use crate::store::{Item, StoreError, Value, Write};

/// A wizard left alone this long starts again at step 1.
pub const WIZARD_SECONDS: i64 = 30 * 60;

const SORT_KEY: &str = "wizard";

/// The write that stores the wizard's new state (for a transaction).
pub fn save_write(app: &App, citizen_id: &str, wizard: &Wizard) -> Result<Write, DomainError> {
    Ok(Write::Put {
        item: wizard_item(app, citizen_id, wizard)?,
        condition: None,
    })
}

fn as_json(wizard: &Wizard) -> Result<String, DomainError> {
    serde_json::to_string(wizard).map_err(|e| DomainError::Unwritable {
        what: "wizard",
        reason: e.to_string(),
    })
}

fn wizard_item(app: &App, citizen_id: &str, wizard: &Wizard) -> Result<Item, DomainError> {
    Ok(Item::new(citizen_pk(citizen_id), SORT_KEY)
        .expiring_at(app.clock.now_secs() + WIZARD_SECONDS)
        .with_s("wizard", as_json(wizard)?))
}

/// Stores the wizard's new state.
pub async fn save(app: &App, citizen_id: &str, wizard: &Wizard) -> Result<(), DomainError> {
    let item = wizard_item(app, citizen_id, wizard)?;
    Ok(app.store.put(item, None).await?)
}

/// The citizen's wizard, if one is under way.
pub async fn load(app: &App, citizen_id: &str) -> Result<Option<Wizard>, StoreError> {
    Ok(app
        .store
        .get(&citizen_pk(citizen_id), SORT_KEY)
        .await?
        .and_then(|item| serde_json::from_str(item.s("wizard")?).ok()))
}

/// The notification mails of a switch, in the citizen's language: the first goes only when the
/// switch deactivates the token.
#[derive(Debug, Clone)]
pub struct SwitchNotices {
    pub token_deactivated: Mail,
    pub key_activated: Mail,
}

/// How a switch ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Switched {
    /// The key is active; the token was deactivated in the same transaction if it was active.
    Activated { token_deactivated: bool },
    /// The key was already active (another tab or a double submit got there first).
    AlreadyActive,
    /// The code was used or changed meanwhile; nothing changed.
    CodeUsed,
}

/// The switch: in one transaction the new key becomes active, the token inactive (on condition it
/// still was active), the code is consumed (`consume`), the two notification mails are queued, the
/// audit event is written and the wizard moves to its confirmation. All of it or nothing.
pub async fn switch_to(
    app: &App,
    citizen: &Citizen,
    kind: KeyKind,
    guard: Guard,
    extra: Vec<(String, Value)>,
    notices: &SwitchNotices,
) -> Result<Switched, DomainError> {
    if kind == KeyKind::Token {
        return Err(DomainError::TokenNeverActivated);
    }
    for _ in 0..3 {
        let keys = domain::keys(app, &citizen.id).await?;
        let current = keys.iter().find(|k| k.kind == kind);
        if current.is_some_and(|k| k.state == KeyState::Active) {
            return Ok(Switched::AlreadyActive);
        }
        let token = keys
            .iter()
            .find(|k| k.kind == KeyKind::Token && k.state == KeyState::Active);
        let now = app.clock.now_secs();
        let done = save_write(app, &citizen.id, &Wizard::Done { activated: kind })?;
        let mut writes = match &guard {
            Guard::Code(consume) => vec![consume.clone(), done],
            Guard::Wizard(was) => vec![expecting(done, was)?],
        };
        writes.push(domain::activate_key_write(
            &citizen.id,
            kind,
            current,
            now,
            extra.clone(),
        ));
        let mut queued: Vec<Queued> = Vec::new();
        if let Some(token) = token {
            writes.push(domain::deactivate_token_write(&citizen.id, token, now));
            queued.push(dispatch::queue_mail(notices.token_deactivated.clone()));
        }
        queued.push(dispatch::queue_mail(notices.key_activated.clone()));
        writes.extend(queued.iter().map(|q| q.write(app)));
        writes.push(audit::write(
            app,
            "key.activate",
            &citizen.id,
            kind.as_str(),
        ));
        match app.store.transact(writes).await {
            Ok(()) => {
                tracing::info!(
                    audit = "key.activate",
                    citizen = %citizen.id,
                    key = kind.as_str(),
                    token_deactivated = token.is_some(),
                    "audit"
                );
                dispatch::after_commit(app, &queued).await;
                return Ok(Switched::Activated {
                    token_deactivated: token.is_some(),
                });
            }
            Err(StoreError::TransactionCanceled { failed }) if failed.contains(&0) => {
                let again = domain::key(app, &citizen.id, kind).await?;
                return Ok(if again.is_some_and(|k| k.state == KeyState::Active) {
                    Switched::AlreadyActive
                } else {
                    Switched::CodeUsed
                });
            }
            // The keys changed between reading and writing (another key was activated meanwhile):
            // read them again and build the transaction anew.
            Err(StoreError::TransactionCanceled { .. }) => continue,
            Err(other) => return Err(other.into()),
        }
    }
    Err(DomainError::KeptChanging("keys"))
}

/// The wizard write made conditional on the stored state still being `was`.
fn expecting(write: Write, was: &Wizard) -> Result<Write, DomainError> {
    let json = as_json(was)?;
    match write {
        Write::Put { item, .. } => Ok(Write::Put {
            item,
            condition: Some(crate::store::Condition::equals("wizard", Value::S(json))),
        }),
        other => Ok(other),
    }
}

/// The e-mail change: in one transaction the address becomes `new` (on condition it still was the
/// old one), the code is consumed, the old address is told (`notice`), the audit event is written and the
/// wizard moves to step 2. `false` when the code or the address changed meanwhile.
pub async fn change_email(
    app: &App,
    citizen: &Citizen,
    new: &str,
    consume: Write,
    notice: Mail,
) -> Result<bool, DomainError> {
    let Some(profile) = domain::change_email_write(app, &citizen.id, &citizen.email, new).await?
    else {
        return Ok(false);
    };
    let notice = dispatch::queue_mail(notice);
    let writes = vec![
        consume,
        profile,
        notice.write(app),
        audit::write(app, "email.change", &citizen.id, "verified"),
        save_write(app, &citizen.id, &Wizard::SelectKey)?,
    ];
    match app.store.transact(writes).await {
        Ok(()) => {
            tracing::info!(audit = "email.change", citizen = %citizen.id, "audit");
            dispatch::after_commit(app, std::slice::from_ref(&notice)).await;
            Ok(true)
        }
        Err(StoreError::TransactionCanceled { .. }) => Ok(false),
        Err(other) => Err(other.into()),
    }
}
