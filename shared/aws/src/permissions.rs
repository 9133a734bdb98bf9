//! What each function may do on AWS, declared once by the function and checked against its role.
//!
//! Every function crate exports `NEEDS`; a test holds each role in `infra/template.yaml` to exactly
//! the actions below, and another runs the journeys with each function holding only its role's
//! grants on an emulator that enforces IAM.

/// One thing a function's code does on AWS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Need {
    /// Reads and writes the table through the `Store`: get, query, put, conditional update,
    /// delete, and transactions of puts, deletes and condition checks.
    Table,
    /// Reads whether a mail is still in the table's outbox and deletes it once delivered
    /// (mail-dispatch; it gets the mails from the stream, and a retried record's mail is sent only
    /// while its item is there).
    OutboxDelete,
    /// Sends mail through SES v2 `SendEmail` with raw MIME content (the `Mailer`).
    SendMail,
    /// Reads the master secret from Secrets Manager once, at cold start.
    MasterSecret,
    /// Failed stream batches go to the dead-letter queue (Lambda sends them with the function's role).
    DeadLetters,
    /// Signs ID tokens with the KMS signing key (keys_oidc: the token endpoint).
    SignIdTokens,
    /// Reads the signing keys' public halves from KMS (keys_oidc: the JWKS, checking logout hints).
    SigningPublicKeys,
    /// Reads registered clients and deletes delivered logout notices (oidc-backchannel; it reads
    /// the notices from the stream).
    LogoutNotices,
    /// Failed stream batches of logout notices go to their dead-letter queue.
    LogoutDeadLetters,
}

impl Need {
    /// The statement id (`Sid`) that grants it in the template.
    pub fn sid(self) -> &'static str {
        match self {
            Need::Table | Need::OutboxDelete | Need::LogoutNotices => "Table",
            Need::SendMail => "SendMail",
            Need::MasterSecret => "MasterSecret",
            Need::DeadLetters | Need::LogoutDeadLetters => "DeadLetters",
            Need::SignIdTokens | Need::SigningPublicKeys => "SigningKey",
        }
    }

    /// The IAM actions AWS authorises it under (the Service Authorization Reference: DynamoDB checks
    /// a transaction's items as PutItem, DeleteItem and ConditionCheckItem; SES v2 `SendEmail` with
    /// raw content is authorised as `ses:SendRawEmail` besides `ses:SendEmail`).
    pub fn iam_actions(self) -> &'static [&'static str] {
        match self {
            Need::Table => &[
                "dynamodb:ConditionCheckItem",
                "dynamodb:DeleteItem",
                "dynamodb:GetItem",
                "dynamodb:PutItem",
                "dynamodb:Query",
                "dynamodb:UpdateItem",
            ],
            Need::OutboxDelete => &["dynamodb:DeleteItem", "dynamodb:GetItem"],
            Need::SendMail => &["ses:SendEmail", "ses:SendRawEmail"],
            Need::MasterSecret => &["secretsmanager:GetSecretValue"],
            Need::DeadLetters | Need::LogoutDeadLetters => &["sqs:SendMessage"],
            Need::LogoutNotices => &["dynamodb:DeleteItem", "dynamodb:GetItem"],
            Need::SignIdTokens => &["kms:Sign"],
            Need::SigningPublicKeys => &["kms:GetPublicKey"],
        }
    }
}

/// What every step function behind the API needs besides mail.
pub const STEP: &[Need] = &[Need::Table, Need::MasterSecret];

/// What a step function that sends codes by mail needs.
pub const STEP_SENDING_MAIL: &[Need] = &[Need::Table, Need::MasterSecret, Need::SendMail];

/// The actions a set of needs grants, grouped by statement id, sorted.
pub fn actions_by_sid(
    needs: &[Need],
) -> std::collections::BTreeMap<&'static str, std::collections::BTreeSet<&'static str>> {
    let mut by_sid: std::collections::BTreeMap<_, std::collections::BTreeSet<_>> =
        Default::default();
    for need in needs {
        by_sid
            .entry(need.sid())
            .or_default()
            .extend(need.iam_actions().iter().copied());
    }
    by_sid
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn needs_group_into_statements() {
        let grouped = actions_by_sid(&[Need::OutboxDelete, Need::SendMail, Need::MasterSecret]);
        assert_eq!(grouped["Table"].len(), 2);
        assert!(grouped["SendMail"].contains("ses:SendRawEmail"));
        assert!(!grouped.contains_key("DeadLetters"));
        assert_eq!(actions_by_sid(STEP_SENDING_MAIL).len(), 3);
    }
}
