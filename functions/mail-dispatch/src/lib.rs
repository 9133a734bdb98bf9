//! Function `mail-dispatch`: delivers the outbox's notification mails from the table's stream.

use keys_core::permissions::Need;

/// What this function does on AWS; its role in the SAM template grants exactly this.
pub const NEEDS: &[Need] = &[
    Need::OutboxDelete,
    Need::SendMail,
    Need::MasterSecret,
    Need::DeadLetters,
];
