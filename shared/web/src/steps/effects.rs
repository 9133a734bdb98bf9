//! What both effect interpreters share: why effects stopped (`Halt`), and the codes issued on a record and mailed once it is written.

use crate::i18n::Lang;
use crate::mails;
use crate::refusal::{Refusal, StepError};
use crate::view::{Level, View};
use crate::web::Ctx;
use http::StatusCode;
use keys_domain::app::App;
use keys_domain::codes::{self, CodePurpose};
use keys_domain::mailer::Mail;
use keys_domain::record::{CommitError, Record};

/// Why a code could not be sent: the message to show and its status.
#[derive(Debug)]
pub struct NotSent {
    pub status: StatusCode,
    pub message: &'static str,
}

impl NotSent {
    /// `view` with the reason shown as an error, under its status.
    pub fn shown_on(&self, view: View) -> View {
        view.status(self.status)
            .message(Level::Error, self.message, None)
    }
}

/// Why a transition's effects stopped before the end.
#[derive(Debug)]
pub enum Halt {
    /// A code could not be sent.
    NotSent(NotSent),
    /// The code or state the switch depended on was used or changed meanwhile.
    CodeUsed,
    /// The record changed meanwhile (a double submit): nothing was written.
    Conflict,
    /// The step stops here (the store failed, the account is locked out).
    Refused(Refusal),
}

impl From<Refusal> for Halt {
    fn from(refusal: Refusal) -> Self {
        Halt::Refused(refusal)
    }
}

/// The mail that carries a code of `purpose`.
pub(super) fn mail_for_code(
    lang: Lang,
    purpose: CodePurpose,
    to: &str,
    code: &str,
    ttl: i64,
) -> Mail {
    match purpose {
        CodePurpose::Registration => mails::registration_code_mail(lang, to, code, ttl),
        CodePurpose::EmailChange => mails::email_change_code_mail(lang, to, code, ttl),
        CodePurpose::Login => mails::login_code_mail(lang, to, code, ttl),
        CodePurpose::Recovery => mails::recovery_code_mail(lang, to, code, ttl),
    }
}

/// A code issued on the record, to mail once the record is written.
pub(super) struct CodeToSend {
    purpose: CodePurpose,
    to: String,
    code: String,
    /// The position in the commit of the write that counts it against the address's limit.
    address_write: usize,
}

/// A commit refused because an address has had its codes for this hour: the page that says so.
pub(super) fn address_limit_reached(sends: &[CodeToSend], failed: &[usize]) -> Option<Halt> {
    sends
        .iter()
        .any(|send| failed.contains(&send.address_write))
        .then(|| {
            tracing::warn!(audit = "code.address_limit", outcome = "refused", "audit");
            Halt::NotSent(NotSent {
                status: StatusCode::TOO_MANY_REQUESTS,
                message: "code.too_many_to_address",
            })
        })
}

/// Issues a code of `purpose` on the record, within the hourly sending limit; it is mailed once
/// the record is written. An e-mail-change code verifies the address it goes to.
pub(super) fn issue_code(
    app: &App,
    record: &mut Record,
    purpose: CodePurpose,
    to: &str,
    sends: &mut Vec<CodeToSend>,
) -> Result<(), Halt> {
    let verifies = (purpose == CodePurpose::EmailChange).then_some(to);
    match record.issue_code(app, purpose, verifies) {
        Ok(issued) => {
            let address_write = record.also(codes::address_send_write(app, to));
            sends.push(CodeToSend {
                purpose,
                to: to.to_string(),
                code: issued.code,
                address_write,
            });
            Ok(())
        }
        Err(codes::TooManySends) => Err(Halt::NotSent(NotSent {
            status: StatusCode::TOO_MANY_REQUESTS,
            message: "code.too_many_sends",
        })),
    }
}

/// Issues a recovery code on the record, to mail to `to` once it is written. A username no one
/// has (`to` is `None`) gets its code all the same, never mailed, so that its tries count alike;
/// past the hourly limit nothing new is issued, whoever asks: the pages say the same either way.
pub(super) fn issue_recovery_code(
    app: &App,
    record: &mut Record,
    to: Option<&str>,
    sends: &mut Vec<CodeToSend>,
) {
    let Ok(issued) = record.issue_code(app, CodePurpose::Recovery, None) else {
        tracing::info!(
            audit = "recovery.password",
            outcome = "too_many_sends",
            "audit"
        );
        return;
    };
    if let Some(to) = to {
        sends.push(CodeToSend {
            purpose: CodePurpose::Recovery,
            to: to.to_string(),
            code: issued.code,
            // The record's own hourly limit holds it; no address counter to refuse on.
            address_write: usize::MAX,
        });
    }
}

/// Mails the codes just written at once (the citizen is waiting for them); a code that cannot
/// be sent is withdrawn again.
pub(super) async fn mail_codes(
    app: &App,
    ctx: &Ctx,
    record: &mut Record,
    sends: Vec<CodeToSend>,
) -> Result<(), Halt> {
    for send in sends {
        let ttl = send.purpose.ttl_seconds(app);
        let mail = mail_for_code(ctx.lang, send.purpose, &send.to, &send.code, ttl);
        if let Err(err) = app.mailer.send(&mail).await {
            tracing::error!(path = %ctx.path, error = %err, "code mail not sent");
            record.withdraw_code(send.purpose);
            if let Err(CommitError::Store(err)) = record.commit(app).await {
                return Err(Halt::Refused(ctx.unavailable(&err)));
            }
            return Err(Halt::NotSent(NotSent {
                status: StatusCode::SERVICE_UNAVAILABLE,
                message: "mail.not_sent",
            }));
        }
    }
    Ok(())
}

/// The refusal of effects that stopped where no page of the step fits (a refusal's audit or save).
pub fn halted(ctx: &Ctx, halt: Halt) -> Refusal {
    match halt {
        Halt::Refused(refusal) => refusal,
        Halt::NotSent(_) | Halt::CodeUsed => Refusal::new(ctx, StepError::Unavailable),
        Halt::Conflict => ctx.conflict(),
    }
}
