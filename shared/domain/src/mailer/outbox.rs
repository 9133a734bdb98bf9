//! The local outbox `Mailer`: keeps every mail in memory for the local mailbox page and tests.

use super::{Mail, MailError, Mailer};
use crate::clock::Clock;
use serde::Serialize;
use std::sync::{Arc, Mutex};
use time::format_description::well_known::Rfc3339;

/// A mail as the local mailbox shows it (the JSON of `GET /_local/outbox`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SentMail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub sent_at: String,
}

/// Every mail sent, oldest first.
pub struct Outbox {
    sent: Mutex<Vec<SentMail>>,
    clock: Arc<dyn Clock>,
    failing: Mutex<bool>,
}

impl Outbox {
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        Self {
            sent: Mutex::new(Vec::new()),
            clock,
            failing: Mutex::new(false),
        }
    }

    /// The mails sent to `address` (compared without regard to case), oldest first.
    pub fn sent_to(&self, address: &str) -> Vec<SentMail> {
        let address = address.trim().to_lowercase();
        self.all()
            .into_iter()
            .filter(|m| m.to.to_lowercase() == address)
            .collect()
    }

    pub fn all(&self) -> Vec<SentMail> {
        self.sent.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Makes every send fail until called with `false`, to test retries.
    pub fn set_failing(&self, failing: bool) {
        *self.failing.lock().unwrap_or_else(|e| e.into_inner()) = failing;
    }
}

#[async_trait::async_trait]
impl Mailer for Outbox {
    async fn send(&self, mail: &Mail) -> Result<(), MailError> {
        if *self.failing.lock().unwrap_or_else(|e| e.into_inner()) {
            return Err(MailError::Unavailable("the outbox was told to fail".into()));
        }
        let sent_at = self.clock.now().format(&Rfc3339).unwrap_or_default();
        self.sent
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(SentMail {
                to: mail.to.clone(),
                subject: mail.subject.clone(),
                text: mail.text.clone(),
                html: mail.html.clone(),
                sent_at,
            });
        Ok(())
    }
}
