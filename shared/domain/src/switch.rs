//! The wizard's state on the citizen record and the switch to a new key, written in one transaction with its notices and audit event.

use crate::app::App;
use crate::codes::Consume;
use crate::flows::wizard::{Guard, Wizard};
use crate::keys::{KeyKind, KeyState};
use crate::mailer::Mail;
use crate::record::Record;
use crate::session::Session;
use crate::store::{Condition, Value};
use serde::{Deserialize, Serialize};

/// A wizard left alone this long starts again at step 1.
pub const WIZARD_SECONDS: i64 = 30 * 60;

const ATTR: &str = "wizard";

/// The wizard as the record keeps it.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredWizard {
    wizard: Wizard,
    until: i64,
}

/// The notification mails of a switch, in the citizen's language: the first goes only when the
/// switch deactivates the token.
#[derive(Debug, Clone)]
pub struct SwitchNotices {
    pub token_deactivated: Mail,
    pub key_activated: Mail,
    /// "Your new key is active" to the address the citizen had before a recent change too, so
    /// that the owner hears of it when someone else changed the address.
    pub key_activated_to_previous: Option<Mail>,
}

/// How long the address before a change keeps getting the notices of key activations.
pub const PREVIOUS_EMAIL_SECONDS: i64 = 30 * 24 * 3600;

const PREVIOUS_EMAIL: &str = "email_previous";

#[derive(Debug, Clone, Serialize, Deserialize)]
struct PreviousEmail {
    address: String,
    until: i64,
}

/// How preparing a switch ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Switched {
    /// The key becomes active (and the token inactive, if it was) once the record is committed.
    Activated { token_deactivated: bool },
    /// The key was already active (another tab or a double submit got there first).
    AlreadyActive,
}

impl Record {
    /// The citizen's wizard, if one is under way.
    pub fn wizard(&self, app: &App) -> Option<Wizard> {
        let stored: StoredWizard = serde_json::from_str(self.s(ATTR)?).ok()?;
        (stored.until > app.clock.now_secs()).then_some(stored.wizard)
    }

    /// Stores the wizard's new state (for another half hour).
    pub fn save_wizard(&mut self, app: &App, wizard: &Wizard) {
        let stored = StoredWizard {
            wizard: wizard.clone(),
            until: app.clock.now_secs() + WIZARD_SECONDS,
        };
        self.set_s(ATTR, serde_json::to_string(&stored).unwrap_or_default());
    }

    /// The write rests on the wizard still being as it was read.
    pub fn require_wizard_unchanged(&mut self) {
        let unchanged = self.unchanged(ATTR);
        self.require(unchanged);
    }

    /// Prepares the switch: the new key becomes active, the token inactive (on condition it still
    /// was active), the code is consumed or the wizard must still be as read (`guard`), the two
    /// notification mails are queued, the audit event is written, the wizard moves to its
    /// confirmation and every other session of the citizen ends. Committed as one transaction.
    pub fn switch_to(
        &mut self,
        app: &App,
        kind: KeyKind,
        guard: &Guard,
        extra: Vec<(String, Value)>,
        notices: &SwitchNotices,
        keep: Option<&Session>,
    ) -> Switched {
        if self.key(kind).is_some_and(|k| k.state == KeyState::Active) {
            return Switched::AlreadyActive;
        }
        let now = app.clock.now_secs();
        match guard {
            Guard::Code(consume) => self.consume_code(consume),
            Guard::Wizard(_) => self.require_wizard_unchanged(),
        }
        self.activate_key(kind, now, extra);
        let token_deactivated = self.deactivate_token(now);
        if token_deactivated {
            self.queue_mail(app, notices.token_deactivated.clone());
        }
        self.queue_mail(app, notices.key_activated.clone());
        if let Some(previous) = &notices.key_activated_to_previous {
            self.queue_mail(app, previous.clone());
        }
        self.audit(app, "key.activate", kind.as_str());
        self.count(crate::progress::Counted::KeyActivated(kind));
        self.save_wizard(app, &Wizard::Done { activated: kind });
        self.end_sessions_except(keep);
        if let Some(kept) = keep {
            self.rest_session_on(kept, kind);
        }
        Switched::Activated { token_deactivated }
    }

    /// The address the citizen had before a change of the last [`PREVIOUS_EMAIL_SECONDS`].
    pub fn previous_email(&self, app: &App) -> Option<String> {
        let previous: PreviousEmail = serde_json::from_str(self.s(PREVIOUS_EMAIL)?).ok()?;
        (previous.until > app.clock.now_secs()).then_some(previous.address)
    }

    /// Prepares the e-mail change: the address becomes `new` (on condition it still was the old
    /// one), the code is consumed, the old address is told (`notice`), the audit event is written
    /// and every other session ends (the wizard, or My profile, then goes its own way).
    pub fn change_email(
        &mut self,
        app: &App,
        new: &str,
        consume: &Consume,
        notice: Mail,
        keep: Option<&Session>,
    ) {
        let old = self.s("email").unwrap_or_default().to_string();
        self.require(Condition::equals("email", Value::S(old.clone())));
        let previous = PreviousEmail {
            address: old,
            until: app.clock.now_secs() + PREVIOUS_EMAIL_SECONDS,
        };
        if let Ok(text) = serde_json::to_string(&previous) {
            self.set_s(PREVIOUS_EMAIL, text);
        }
        self.consume_code(consume);
        if !crate::addresses::same_list(app, &previous.address, new) {
            let ck = self.ck.clone();
            self.also(crate::addresses::unlisted(app, &previous.address, &ck));
            self.also(crate::addresses::listed(app, new, &ck));
        }
        self.set_s("email", new.trim());
        self.queue_mail(app, notice);
        self.audit(app, "email.change", "verified");
        self.end_sessions_except(keep);
    }
}
