//! `keys-admin remind`: mails every citizen who still holds an active token this campaign's reminder in their own language, through the outbox, at most at the sending rate and once per campaign.

use keys_domain::App;
use keys_domain::citizens::DomainError;
use keys_domain::progress::{self, SHARDS};
use keys_domain::reminders::{self, Campaign, Pacer, Reminder};
use keys_domain::store::StoreError;
use serde::Serialize;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;
use tokio::task::JoinSet;

/// What `remind` is asked to do.
#[derive(Debug, Clone)]
pub struct RemindOptions {
    pub campaign: Campaign,
    /// Mails queued per second at most.
    pub per_second: f64,
    /// Count who would get the mail; write nothing.
    pub dry_run: bool,
    /// Citizens handled at the same time.
    pub concurrency: usize,
    /// Show a progress bar on standard error.
    pub progress: bool,
}

/// Why the reminders could not start.
#[derive(Debug, thiserror::Error)]
pub enum RemindError {
    #[error(
        "the token's sunset ({0}) has passed: a reminder would announce a date gone by; tell the remaining holders another way"
    )]
    AfterSunset(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What a run did (or, in a dry run, would do).
#[derive(Debug, Clone, Default, Serialize)]
pub struct RemindSummary {
    pub campaign: String,
    pub dry_run: bool,
    /// Citizens listed in the token holders' index.
    pub holders: u64,
    /// Reminders queued now (dry run: that would be queued).
    pub queued: u64,
    /// Holders who had this campaign's reminder from an earlier run.
    pub already_sent: u64,
    /// Listed citizens whose token was no longer active when they were read.
    pub no_token: u64,
    /// Holders whose reminder could not be queued (the store failed); a rerun takes them.
    pub failed: u64,
    /// Whether the run was stopped (Ctrl-C) before every holder was read.
    pub stopped: bool,
    pub seconds: f64,
}

impl RemindSummary {
    /// Whether every holder was handled.
    pub fn clean(&self) -> bool {
        self.failed == 0 && !self.stopped
    }

    pub fn text(&self) -> String {
        let verb = if self.dry_run {
            "would be queued"
        } else {
            "queued"
        };
        let mut out = format!(
            "campaign {}: {} token holder(s) read in {:.1} s\n  reminders {verb}: {}\n  already reminded in this campaign: {}\n  no longer on a token: {}\n",
            self.campaign,
            self.holders,
            self.seconds,
            self.queued,
            self.already_sent,
            self.no_token
        );
        if self.failed > 0 {
            out.push_str(&format!(
                "  failed (store unavailable): {}; run the same command again\n",
                self.failed
            ));
        }
        if self.stopped {
            out.push_str("  stopped before the end; run the same command again to go on\n");
        }
        if self.dry_run {
            out.push_str("  (dry run: nothing was written or sent)\n");
        }
        out
    }
}

/// Reads the token holders' index shard by shard and reminds each holder, the sends paced at
/// `per_second`. Stopping (`stop`) lets the citizens in flight finish; a rerun skips who had it.
pub async fn run(
    app: &App,
    options: &RemindOptions,
    stop: Arc<AtomicBool>,
) -> Result<RemindSummary, RemindError> {
    if !reminders::before_sunset(app) {
        return Err(RemindError::AfterSunset(progress::iso_day(
            keys_domain::calendar::local_date(app.settings.token_sunset_at),
        )));
    }
    let started = Instant::now();
    let sunset = app.settings.token_sunset_at.unix_timestamp();
    let compose = Arc::new(move |citizen: &keys_domain::citizens::Citizen| {
        keys_web::mails::reminder(citizen.lang, &citizen.email, sunset)
    });
    let pacer = (!options.dry_run).then(|| Arc::new(Pacer::new(options.per_second)));
    let bar = options.progress.then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {elapsed_precise} {pos} holders read ({per_sec}) {msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        bar
    });
    let mut summary = RemindSummary {
        campaign: options.campaign.name().to_string(),
        dry_run: options.dry_run,
        ..RemindSummary::default()
    };
    let mut running: JoinSet<Result<Reminder, DomainError>> = JoinSet::new();
    let tally =
        |summary: &mut RemindSummary, done: Result<Result<Reminder, DomainError>, _>| match done {
            Ok(Ok(Reminder::Queued)) => summary.queued += 1,
            Ok(Ok(Reminder::AlreadySent)) => summary.already_sent += 1,
            Ok(Ok(Reminder::NoToken)) => summary.no_token += 1,
            Ok(Err(err)) => {
                eprintln!("keys-admin: a reminder could not be queued: {err}");
                summary.failed += 1;
            }
            Err(_) => summary.failed += 1,
        };
    'shards: for shard in 0..SHARDS {
        let holders = progress::holders_in_shard(app, shard).await?;
        for ck in holders {
            if stop.load(Ordering::SeqCst) {
                summary.stopped = true;
                break 'shards;
            }
            while running.len() >= options.concurrency.max(1) {
                if let Some(done) = running.join_next().await {
                    tally(&mut summary, done);
                }
            }
            summary.holders += 1;
            if let Some(bar) = &bar {
                bar.inc(1);
            }
            let app = app.clone();
            let campaign = options.campaign.clone();
            let compose = compose.clone();
            let pacer = pacer.clone();
            running.spawn(async move {
                reminders::remind(&app, &ck, &campaign, compose.as_ref(), pacer.as_deref()).await
            });
        }
    }
    while let Some(done) = running.join_next().await {
        tally(&mut summary, done);
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    summary.seconds = (started.elapsed().as_secs_f64() * 10.0).round() / 10.0;
    Ok(summary)
}
