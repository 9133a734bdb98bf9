//! The SES v2 `Mailer`: sends a MIME message (text and HTML alternatives, built by lettre).

use aws_sdk_sesv2::Client;
use aws_sdk_sesv2::error::{DisplayErrorContext, ProvideErrorMetadata};
use aws_sdk_sesv2::primitives::Blob;
use aws_sdk_sesv2::types::{Destination, EmailContent, RawMessage};
use keys_domain::mailer::{Mail, MailError, Mailer};
use lettre::message::{Mailbox, MultiPart};

/// Amazon SES v2 (or an emulator of it, by `AWS_ENDPOINT_URL`).
pub struct SesMailer {
    client: Client,
    from: String,
    configuration_set: Option<String>,
}

impl SesMailer {
    pub fn new(client: Client, from: impl Into<String>, configuration_set: Option<String>) -> Self {
        Self {
            client,
            from: from.into(),
            configuration_set,
        }
    }
}

/// The mail as MIME: `multipart/alternative` with a text and an HTML part, UTF-8 throughout.
pub fn to_mime(from: &str, mail: &Mail) -> Result<Vec<u8>, MailError> {
    let from: Mailbox = from
        .parse()
        .map_err(|_| MailError::Rejected("the sender address is invalid".into()))?;
    let to: Mailbox = mail
        .to
        .parse()
        .map_err(|_| MailError::Rejected("the recipient address is invalid".into()))?;
    let message = lettre::Message::builder()
        .from(from)
        .to(to)
        .subject(mail.subject.clone())
        .multipart(MultiPart::alternative_plain_html(
            mail.text.clone(),
            mail.html.clone(),
        ))
        .map_err(|e| MailError::Rejected(e.to_string()))?;
    Ok(message.formatted())
}

/// The `event` field of the log line every failed send writes (SES throttling, an outage, a
/// refusal); the template's metric filters count it.
pub const SEND_FAILED_EVENT: &str = "ses.send_failed";

#[async_trait::async_trait]
impl Mailer for SesMailer {
    async fn send(&self, mail: &Mail) -> Result<(), MailError> {
        let raw = RawMessage::builder()
            .data(Blob::new(to_mime(&self.from, mail)?))
            .build()
            .map_err(|e| MailError::Rejected(e.to_string()))?;
        self.client
            .send_email()
            .from_email_address(&self.from)
            .destination(Destination::builder().to_addresses(&mail.to).build())
            .content(EmailContent::builder().raw(raw).build())
            .set_configuration_set_name(self.configuration_set.clone())
            .send()
            .await
            .map(|_| ())
            .map_err(|err| {
                let rejected = err
                    .as_service_error()
                    .and_then(|e| e.code())
                    .is_some_and(|code| {
                        matches!(
                            code,
                            "MessageRejected"
                                | "BadRequestException"
                                | "MailFromDomainNotVerifiedException"
                        )
                    });
                let text =
                    keys_domain::mailer::scrub_addresses(&DisplayErrorContext(&err).to_string());
                let code = err
                    .as_service_error()
                    .and_then(|e| e.code())
                    .unwrap_or("no answer");
                // The template's SesSendFailureAlarm counts these lines (a metric filter on every
                // sending function's log group); no address is in them.
                tracing::warn!(
                    event = SEND_FAILED_EVENT,
                    code,
                    rejected,
                    "SES did not send a mail"
                );
                if rejected {
                    MailError::Rejected(text)
                } else {
                    MailError::Unavailable(text)
                }
            })
    }
}

/// Registers the sender with SES (an emulator needs it before it accepts mail; AWS sends a
/// verification mail, which the template's identity resource does in a deployment).
pub async fn create_sender_identity(client: &Client, from: &str) -> Result<(), MailError> {
    match client
        .create_email_identity()
        .email_identity(from)
        .send()
        .await
    {
        Ok(_) => Ok(()),
        Err(err)
            if err.as_service_error().and_then(|e| e.code()) == Some("AlreadyExistsException") =>
        {
            Ok(())
        }
        Err(err) => Err(MailError::Unavailable(
            keys_domain::mailer::scrub_addresses(&DisplayErrorContext(&err).to_string()),
        )),
    }
}

/// The SES account's maximum sending rate (mails per second), as `GetAccount` tells it.
pub async fn max_send_rate(client: &Client) -> Result<f64, MailError> {
    let account = client.get_account().send().await.map_err(|err| {
        MailError::Unavailable(keys_domain::mailer::scrub_addresses(
            &DisplayErrorContext(&err).to_string(),
        ))
    })?;
    account
        .send_quota()
        .map(|quota| quota.max_send_rate())
        .filter(|rate| *rate > 0.0)
        .ok_or_else(|| MailError::Unavailable("the account has no sending quota".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the service accepts as an address (`keys_domain::input::valid_address`) is exactly
    /// what this mailer can address: the form never lets through an address SES's MIME cannot
    /// carry, and never refuses one it can.
    #[test]
    fn the_services_address_check_agrees_with_the_mailers_parser() {
        let samples = [
            "jan.peeters@example.be",
            "o'brien+keys@sub.example.org",
            "jan@bücher.example",
            "a,b@example.com",
            "a@b@example.com",
            "jan@example..be",
            "jan@.example.be",
            "\"quoted\"@example.be",
            "jan@[127.0.0.1]",
            "josé@example.be",
            "jan@exa_mple.be",
            ".jan@example.be",
            "jan.@example.be",
            "j..an@example.be",
            "jan@-example.be",
        ];
        for text in samples {
            let ours = keys_domain::input::valid_address(text);
            if let Some(address) = &ours {
                let mail = Mail {
                    to: address.clone(),
                    subject: "s".into(),
                    text: "t".into(),
                    html: "<p>t</p>".into(),
                };
                assert!(
                    to_mime("sender@example.be", &mail).is_ok(),
                    "{text}: accepted by the service, refused by the mailer"
                );
            } else {
                let simple = !text.contains(['"', '[']) && text.is_ascii();
                if simple {
                    assert!(
                        text.parse::<Mailbox>().is_err(),
                        "{text}: refused by the service, accepted by the mailer"
                    );
                }
            }
        }
    }
}
