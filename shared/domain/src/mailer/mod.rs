//! The `Mailer` port: sends one e-mail with a text and an HTML part.

pub mod outbox;

/// An e-mail ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Sending failed; the caller decides whether to retry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MailError {
    #[error("the mail was rejected: {0}")]
    Rejected(String),
    #[error("the mail service is unavailable: {0}")]
    Unavailable(String),
}

/// Delivers mails: SES in AWS, the local outbox on a laptop.
#[async_trait::async_trait]
pub trait Mailer: Send + Sync {
    async fn send(&self, mail: &Mail) -> Result<(), MailError>;
}

/// The part of an address that may appear in logs: its domain only.
pub fn redact_address(address: &str) -> String {
    match address.rsplit_once('@') {
        Some((_, domain)) => format!("***@{domain}"),
        None => "***".into(),
    }
}

/// Replaces every address-like word in a text (an error message, say) by its redacted form.
pub fn scrub_addresses(text: &str) -> String {
    text.split(' ')
        .map(|word| {
            if word.contains('@') {
                redact_address(word)
            } else {
                word.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn scrubbing_removes_addresses_from_error_texts() {
        assert_eq!(
            super::scrub_addresses("identity jan@example.be failed"),
            "identity ***@example.be failed"
        );
    }

    #[test]
    fn redaction_keeps_only_the_domain() {
        assert_eq!(
            super::redact_address("jan.peeters@example.be"),
            "***@example.be"
        );
        assert_eq!(super::redact_address("nonsense"), "***");
    }
}
