//! Reminders to token holders: at most one mail per citizen per campaign, queued in the outbox with its mark, audit event and count in one transaction.

use crate::app::App;
use crate::citizens::{Citizen, DomainError};
use crate::keys::{KeyKind, KeyState};
use crate::mailer::Mail;
use crate::progress::Counted;
use crate::record::{CommitError, Record};
use crate::store::{Condition, Value};

/// A reminder campaign, by name: each token holder gets its mail once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Campaign(String);

/// The longest campaign name.
pub const CAMPAIGN_MAX_CHARS: usize = 40;

impl Campaign {
    /// A campaign name: 1 to 40 lowercase letters, digits and dashes, starting with a letter or
    /// digit (`2027-01-final`).
    pub fn parse(name: &str) -> Result<Campaign, &'static str> {
        let plausible = !name.is_empty()
            && name.len() <= CAMPAIGN_MAX_CHARS
            && !name.starts_with('-')
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if plausible {
            Ok(Campaign(name.to_string()))
        } else {
            Err(
                "a campaign name has 1 to 40 lowercase letters, digits and dashes, and starts with a letter or digit",
            )
        }
    }

    pub fn name(&self) -> &str {
        &self.0
    }

    /// The record's mark of this campaign's mail (when it was queued, epoch seconds).
    fn attr(&self) -> String {
        format!("reminded_{}", self.0)
    }
}

/// What reminding one citizen came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reminder {
    /// The mail was queued now (or, in a dry run, would be).
    Queued,
    /// This campaign's mail was queued before (an earlier, interrupted run).
    AlreadySent,
    /// The citizen no longer holds an active token (switched meanwhile), or is gone.
    NoToken,
}

/// Spaces the reminders out to at most a rate, whatever number of them are under way.
#[derive(Debug)]
pub struct Pacer {
    every: std::time::Duration,
    next: tokio::sync::Mutex<tokio::time::Instant>,
}

impl Pacer {
    /// At most `per_second` slots a second (a positive, finite rate).
    pub fn new(per_second: f64) -> Pacer {
        let per_second = if per_second.is_finite() && per_second > 0.0 {
            per_second
        } else {
            1.0
        };
        Pacer {
            every: std::time::Duration::from_secs_f64(1.0 / per_second),
            next: tokio::sync::Mutex::new(tokio::time::Instant::now()),
        }
    }

    /// Waits for the next slot.
    pub async fn wait(&self) {
        let at = {
            let mut next = self.next.lock().await;
            let at = (*next).max(tokio::time::Instant::now());
            *next = at + self.every;
            at
        };
        tokio::time::sleep_until(at).await;
    }
}

/// Whether reminders still make sense: before the token's sunset.
pub fn before_sunset(app: &App) -> bool {
    app.clock.now() < app.settings.token_sunset_at
}

/// Reminds the citizen with key `ck`: when the token is still active and this campaign's mail was
/// not queued yet, waits for the `pacer`'s next slot and queues `compose(citizen)` with the
/// campaign's mark, the audit event and the count, in one transaction that holds only if both are
/// still so. Without a pacer it is a dry run: it answers what it would do and writes nothing.
pub async fn remind(
    app: &App,
    ck: &str,
    campaign: &Campaign,
    compose: &(dyn Fn(&Citizen) -> Mail + Send + Sync),
    pacer: Option<&Pacer>,
) -> Result<Reminder, DomainError> {
    let dry_run = pacer.is_none();
    let attr = campaign.attr();
    for _ in 0..3 {
        let mut record = Record::load(app, ck).await?;
        let Some(citizen) = record.citizen() else {
            return Ok(Reminder::NoToken);
        };
        if record.key(KeyKind::Token).map(|k| k.state) != Some(KeyState::Active) {
            return Ok(Reminder::NoToken);
        }
        if record.n(&attr).is_some() {
            return Ok(Reminder::AlreadySent);
        }
        if dry_run {
            return Ok(Reminder::Queued);
        }
        record.require(Condition::lacks(&attr));
        record.require(Condition::equals(
            &KeyKind::Token.attr(),
            Value::S(KeyState::Active.as_str().into()),
        ));
        if let Some(pacer) = pacer {
            pacer.wait().await;
        }
        record.set_n(&attr, app.clock.now_secs());
        record.queue_mail(app, compose(&citizen));
        record.audit(app, "reminder.queued", campaign.name());
        record.count(Counted::Reminded);
        match record.commit(app).await {
            Ok(()) => return Ok(Reminder::Queued),
            // The record changed meanwhile (a login, a switch): read it again and decide anew.
            Err(CommitError::Conflict { .. }) => continue,
            Err(CommitError::Store(err)) => return Err(err.into()),
        }
    }
    Err(DomainError::KeptChanging("citizen record"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_pacer_gives_slots_at_its_rate_to_all_callers_together() {
        let pacer = std::sync::Arc::new(Pacer::new(4.0));
        let start = tokio::time::Instant::now();
        let mut waiting = tokio::task::JoinSet::new();
        for _ in 0..9 {
            let pacer = pacer.clone();
            waiting.spawn(async move { pacer.wait().await });
        }
        while waiting.join_next().await.is_some() {}
        // Nine slots at four a second: the first at once, the ninth two seconds later.
        assert_eq!(start.elapsed(), std::time::Duration::from_secs(2));
    }

    #[test]
    fn campaign_names_are_short_plain_words() {
        assert!(Campaign::parse("2027-01-final").is_ok());
        assert!(Campaign::parse("first").is_ok());
        for bad in ["", "-x", "Final", "a b", "a_b", "x#y", &"a".repeat(41)] {
            assert!(Campaign::parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            Campaign::parse("first").map(|c| c.attr()),
            Ok("reminded_first".to_string())
        );
    }
}
