//! The SES v2 `Mailer`: sends a simple text + HTML message from the configured sender.

use super::{Mail, MailError, Mailer};
use aws_sdk_sesv2::Client;
use aws_sdk_sesv2::error::{DisplayErrorContext, ProvideErrorMetadata};
use aws_sdk_sesv2::types::{Body, Content, Destination, EmailContent, Message};

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

fn content(text: &str) -> Result<Content, MailError> {
    Content::builder()
        .data(text)
        .charset("UTF-8")
        .build()
        .map_err(|e| MailError::Rejected(e.to_string()))
}

#[async_trait::async_trait]
impl Mailer for SesMailer {
    async fn send(&self, mail: &Mail) -> Result<(), MailError> {
        let message = Message::builder()
            .subject(content(&mail.subject)?)
            .body(
                Body::builder()
                    .text(content(&mail.text)?)
                    .html(content(&mail.html)?)
                    .build(),
            )
            .build();
        self.client
            .send_email()
            .from_email_address(&self.from)
            .destination(Destination::builder().to_addresses(&mail.to).build())
            .content(EmailContent::builder().simple(message).build())
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
                let text = super::scrub_addresses(&DisplayErrorContext(&err).to_string());
                if rejected {
                    MailError::Rejected(text)
                } else {
                    MailError::Unavailable(text)
                }
            })
    }
}
