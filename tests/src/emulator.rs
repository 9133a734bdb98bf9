//! The AWS emulator the tests use (moto's server, started by tests/run.sh): its endpoint, SDK
//! configuration, and the mails its SES accepted, parsed back from their MIME.

use keys_core::testing::Delivered;

/// The emulator's endpoint, or a loud failure that says how to get one. Never a real AWS account.
pub fn endpoint() -> String {
    match std::env::var("AWS_ENDPOINT_URL") {
        Ok(url) if url.starts_with("http://127.0.0.1") || url.starts_with("http://localhost") => {
            url
        }
        Ok(url) => panic!(
            "AWS_ENDPOINT_URL={url} is not a loopback emulator; refusing to run emulator tests against it"
        ),
        Err(_) => panic!(
            "EMULATOR TESTS CANNOT RUN: AWS_ENDPOINT_URL is not set. Run tests/run.sh, which starts \
             moto's server on loopback and sets it."
        ),
    }
}

/// The AWS SDK configuration for the emulator.
pub async fn config() -> aws_config::SdkConfig {
    endpoint();
    keys_core::aws::from_env().await
}

/// A name no other test run uses.
pub fn unique(prefix: &str) -> String {
    format!(
        "{prefix}-{}",
        keys_core::crypto::random_short_id()
            .to_lowercase()
            .replace(['-', '_'], "")
    )
}

/// The mails the emulator at `endpoint` accepted for `to` in its SES, oldest first.
pub async fn mails_to(endpoint: &str, to: &str) -> Vec<Delivered> {
    let data: serde_json::Value = reqwest::get(format!("{endpoint}/moto-api/data.json"))
        .await
        .expect("emulator data")
        .json()
        .await
        .expect("emulator data is JSON");
    let raw = data["ses"]["RawMessage"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    raw.iter()
        .filter_map(|m| m["raw_data"].as_str())
        .filter_map(parse_raw_mail)
        .filter(|m| m.to == to)
        .collect()
}

/// A raw MIME mail as SES received it: its first recipient, subject, text and HTML (LF lines).
fn parse_raw_mail(raw: &str) -> Option<Delivered> {
    let m = mail_parser::MessageParser::default().parse(raw.as_bytes())?;
    Some(Delivered {
        to: m.to()?.first()?.address()?.to_string(),
        subject: m.subject().unwrap_or_default().to_string(),
        text: m
            .body_text(0)
            .map(|t| t.replace("\r\n", "\n"))
            .unwrap_or_default(),
        html: m
            .body_html(0)
            .map(|t| t.replace("\r\n", "\n"))
            .unwrap_or_default(),
    })
}

/// The mails LocalStack's SES recorded for `to` (its `/_aws/ses` endpoint), oldest first.
pub async fn localstack_mails_to(mailbox_url: &str, to: &str) -> Vec<crate::ReceivedMail> {
    localstack_mailbox(mailbox_url)
        .await
        .into_iter()
        .filter(|(recipient, _)| recipient == to)
        .map(|(_, mail)| mail)
        .collect()
}

/// Every mail LocalStack's SES recorded, with its first recipient, oldest first.
pub async fn localstack_mailbox(mailbox_url: &str) -> Vec<(String, crate::ReceivedMail)> {
    let data: serde_json::Value = reqwest::get(mailbox_url)
        .await
        .expect("LocalStack's SES mailbox")
        .json()
        .await
        .expect("LocalStack's SES mailbox is JSON");
    let messages = data["messages"].as_array().cloned().unwrap_or_default();
    messages
        .iter()
        .filter_map(|m| {
            if let Some(raw) = m["RawData"].as_str() {
                let mail = parse_raw_mail(raw)?;
                return Some((
                    mail.to,
                    crate::ReceivedMail {
                        subject: mail.subject,
                        text: mail.text,
                        html: mail.html,
                    },
                ));
            }
            let to = m["Destination"]["ToAddresses"]
                .as_array()?
                .first()?
                .as_str()?;
            Some((
                to.to_string(),
                crate::ReceivedMail {
                    subject: m["Subject"].as_str().unwrap_or_default().to_string(),
                    text: m["Body"]["text_part"]
                        .as_str()
                        .unwrap_or_default()
                        .to_string(),
                    html: m["Body"]["html_part"]
                        .as_str()
                        .unwrap_or_default()
                        .to_string(),
                },
            ))
        })
        .collect()
}
