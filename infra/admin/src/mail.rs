//! The mail dead-letter queue's redrive: notification mails whose stream records ran out of retries, sent again from the outbox.
//!
//! `mail-dispatch` removes an outbox item once its mail is sent, so the items left in the outbox
//! are the mails not sent. A stream batch that failed all its retries goes to the dead-letter
//! queue as a pointer to the stream's records (which the stream never delivers again); what it
//! points at is what this sends: every outbox mail queued before `--older-than`, so mails the
//! stream is still retrying are left to it.

use keys_domain::App;
use keys_domain::dispatch::{Sweep, deliver_waiting};

/// What the redrive did, for the operator.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Redrive {
    pub older_than_minutes: u32,
    #[serde(flatten)]
    pub sweep: Sweep,
}

impl Redrive {
    /// The report as text, with what to do next.
    pub fn text(&self) -> String {
        let Sweep {
            sent,
            failed,
            recent,
        } = self.sweep;
        let mut out = format!(
            "mails sent from the outbox: {sent}\nrefused by SES (still waiting): {failed}\nqueued in the last {} minutes (left to the stream): {recent}\n",
            self.older_than_minutes
        );
        if failed == 0 {
            out.push_str(
                "Every mail older than that is sent: purge the mail dead-letter queue (stack output MailDeadLetterQueueUrl), `aws sqs purge-queue --queue-url URL`.\n",
            );
        } else {
            out.push_str("Some mails were refused again: check SES (sending paused? quota?) and run this again; leave the dead-letter queue until none is refused.\n");
        }
        out
    }

    /// Whether nothing was refused.
    pub fn clean(&self) -> bool {
        self.sweep.failed == 0
    }
}

/// Sends every outbox mail queued more than `older_than_minutes` ago.
pub async fn redrive(app: &App, older_than_minutes: u32) -> Result<Redrive, String> {
    let queued_before = app.clock.now_secs() - i64::from(older_than_minutes) * 60;
    let sweep = deliver_waiting(app, queued_before)
        .await
        .map_err(|err| format!("cannot read the outbox: {err}"))?;
    Ok(Redrive {
        older_than_minutes,
        sweep,
    })
}
