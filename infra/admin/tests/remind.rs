//! Progress, reminders and the token holders' list in-process on the memory store: the counters after an import, reminders once per campaign in each citizen's language (also when interrupted), skipping who switched, paced at the rate, none after the sunset; the HTML report.

mod common;

use common::{Flaky, Row, cheap_hash, csv_line, row, scratch, write_csv};
use keys_admin::import::{self, ImportOptions};
use keys_admin::progress;
use keys_admin::remind::{self, RemindOptions, RemindSummary};
use keys_domain::App;
use keys_domain::citizens::{self};
use keys_domain::harness::{TestApp, test_harness};
use keys_domain::keys::KeyKind;
use keys_domain::reminders::Campaign;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

/// A harness with `n` citizens imported (languages nl, fr, de, en in turn).
async fn imported(n: usize) -> (TestApp, Vec<Row>) {
    let harness = test_harness(|_| {});
    let hash = cheap_hash("an old password");
    let rows: Vec<Row> = (0..n).map(|i| row(i, &hash)).collect();
    let dir = scratch("remind");
    let file = dir.join("citizens.csv");
    let mut lines: Vec<String> = rows.iter().map(csv_line).collect();
    lines.push("broken,row".to_string());
    write_csv(&file, &lines);
    let mut options = ImportOptions::new(&file);
    options.concurrency = 4;
    let summary = import::run(&harness.app, &options, Arc::new(AtomicBool::new(false)))
        .await
        .expect("the import runs");
    assert_eq!((summary.new, summary.rejected), (n as u64, 1));
    (harness, rows)
}

fn options(campaign: &str) -> RemindOptions {
    RemindOptions {
        campaign: Campaign::parse(campaign).expect("a campaign name"),
        per_second: 10_000.0,
        dry_run: false,
        concurrency: 4,
        progress: false,
    }
}

async fn remind(app: &App, options: &RemindOptions) -> RemindSummary {
    remind::run(app, options, Arc::new(AtomicBool::new(false)))
        .await
        .expect("the reminders run")
}

/// The reminder's subject starts so in each language.
fn subject_start(lang: &str) -> &'static str {
    match lang {
        "nl" => "Uw token werkt niet meer vanaf",
        "fr" => "Votre token ne fonctionnera plus",
        "de" => "Ihr Token funktioniert ab dem",
        _ => "Your token stops working on",
    }
}

#[tokio::test]
async fn every_token_holder_gets_the_reminder_once_in_their_own_language() {
    let (harness, rows) = imported(12).await;
    let app = &harness.app;
    let report = progress::read(app).await.expect("progress");
    assert_eq!(report.forecast.token_holders, 12);
    assert_eq!(report.totals.token_added, 12);

    let mut dry = options("first");
    dry.dry_run = true;
    let would = remind(app, &dry).await;
    assert_eq!((would.holders, would.queued, would.dry_run), (12, 12, true));
    assert!(harness.outbox.all().is_empty(), "a dry run sends nothing");

    let sent = remind(app, &options("first")).await;
    assert_eq!((sent.holders, sent.queued, sent.already_sent), (12, 12, 0));
    assert!(sent.clean());
    for row in &rows {
        let mails = harness.outbox.sent_to(&row.email);
        assert_eq!(mails.len(), 1, "one reminder to {}", row.email);
        assert!(
            mails[0].subject.starts_with(subject_start(&row.lang)),
            "{}: {}",
            row.lang,
            mails[0].subject
        );
    }

    let again = remind(app, &options("first")).await;
    assert_eq!((again.queued, again.already_sent), (0, 12));
    assert_eq!(harness.outbox.all().len(), 12, "nobody twice in a campaign");
    let report = progress::read(app).await.expect("progress");
    assert_eq!(report.totals.reminded, 12);

    let events = keys_admin::lookup::audit(app, &rows[0].id, None)
        .await
        .expect("audit");
    assert!(
        events
            .iter()
            .any(|e| serde_json::to_string(e).is_ok_and(|j| j.contains("reminder.queued"))),
        "the reminder is in the citizen's audit trail"
    );
}

#[tokio::test]
async fn a_campaign_interrupted_and_run_again_reminds_every_holder_exactly_once() {
    let (harness, rows) = imported(24).await;
    let stop = Arc::new(AtomicBool::new(false));
    // An operator's Ctrl-C at the seventh reminder's transaction.
    let mut flaky = Flaky::around(&harness.app);
    flaky.stop_after = Some((7, stop.clone()));
    let mut stopping = harness.app.clone();
    stopping.store = Arc::new(flaky);
    let first = remind::run(&stopping, &options("autumn"), stop)
        .await
        .expect("the reminders run");
    assert!(first.stopped, "{first:?}");
    assert!(
        first.queued >= 7 && first.queued < 24,
        "stopped half-way: {first:?}"
    );
    assert!(!first.clean());

    let rest = remind(&harness.app, &options("autumn")).await;
    assert_eq!(rest.queued + rest.already_sent, 24);
    assert_eq!(rest.already_sent, first.queued);
    for row in &rows {
        assert_eq!(
            harness.outbox.sent_to(&row.email).len(),
            1,
            "exactly one reminder to {}",
            row.email
        );
    }
}

#[tokio::test]
async fn holders_who_switched_leave_the_index_and_the_figures_and_get_no_reminder() {
    let (harness, rows) = imported(8).await;
    let app = &harness.app;
    for row in &rows[..3] {
        let mut record = citizens::record_of(app, &row.id)
            .await
            .expect("read")
            .expect("the citizen");
        record.activate_key(KeyKind::Email, app.clock.now_secs(), Vec::new());
        assert!(record.deactivate_token(app.clock.now_secs()));
        record.commit(app).await.expect("the switch is written");
    }
    let report = progress::read(app).await.expect("progress");
    assert_eq!(report.forecast.token_holders, 5);
    assert_eq!(report.totals.token_retired, 3);
    let summary = remind(app, &options("winter")).await;
    assert_eq!((summary.holders, summary.queued), (5, 5));
    for row in &rows[..3] {
        assert!(harness.outbox.sent_to(&row.email).is_empty());
    }
    // Listed but no longer holding a token (the index and the token disagree): skipped.
    let mut record = citizens::record_of(app, &rows[0].id)
        .await
        .expect("read")
        .expect("the citizen");
    record.also(keys_domain::progress::holder_put(&record.ck.clone()));
    record.commit(app).await.expect("written");
    let summary = remind(app, &options("spring")).await;
    assert_eq!(
        (summary.holders, summary.queued, summary.no_token),
        (6, 5, 1)
    );
}

#[tokio::test(start_paused = true)]
async fn the_sends_keep_to_the_rate() {
    let (harness, _) = imported(9).await;
    let mut paced = options("paced");
    paced.per_second = 4.0;
    paced.concurrency = 8;
    let started = tokio::time::Instant::now();
    let summary = remind(&harness.app, &paced).await;
    assert_eq!(summary.queued, 9);
    // Nine sends at four a second: the first at once, the ninth two seconds later (tokio's clock,
    // paused and moved on only by the waits, so this is the pacing and not the machine's speed).
    assert_eq!(started.elapsed(), std::time::Duration::from_secs(2));
}

#[tokio::test]
async fn no_reminder_goes_after_the_sunset() {
    let (harness, _) = imported(2).await;
    harness
        .clock
        .set(harness.app.settings.token_sunset_at + time::Duration::hours(1));
    let refused = remind::run(
        &harness.app,
        &options("late"),
        Arc::new(AtomicBool::new(false)),
    )
    .await;
    assert!(matches!(refused, Err(remind::RemindError::AfterSunset(_))));
    assert!(harness.outbox.all().is_empty());
}

#[tokio::test]
async fn the_report_draws_its_charts_with_the_figures_beside_them() {
    let (harness, _) = imported(4).await;
    harness.clock.advance(time::Duration::days(3));
    let report = progress::read(&harness.app).await.expect("progress");
    assert_eq!(report.days.len(), 4, "the import's day and three more");
    assert!(report.days.iter().all(|d| d.token_holders == 4));
    let html = report.html().expect("the report renders");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<html lang=\"en\">"));
    assert_eq!(html.matches("<figure").count(), 4);
    assert_eq!(html.matches("<svg role=\"img\" aria-label=").count(), 4);
    assert!(
        html.contains("stroke-dasharray") || html.contains("<polyline"),
        "lines are drawn"
    );
    assert!(html.contains("<th scope=\"row\">2026-11-25</th><td>4</td>"));
    let text = report.text(30);
    assert!(text.contains("citizens with an active token          4"));
    let json = serde_json::to_value(&report).expect("JSON");
    assert_eq!(json["forecast"]["token_holders"], 4);
    assert_eq!(json["days"][0]["token_added"], 4);
}

#[tokio::test]
async fn a_report_of_a_single_day_still_draws_its_figures() {
    // The first day after an import: one day of data, where a line needs two.
    let (harness, _) = imported(3).await;
    let report = progress::read(&harness.app).await.expect("progress");
    assert_eq!(report.days.len(), 1);
    let html = report.html().expect("the report renders");
    assert!(
        html.matches("<circle").count() >= 4,
        "each chart marks its one day"
    );
}

#[tokio::test]
async fn the_report_names_the_sunset_on_the_brussels_calendar() {
    // A sunset at midnight in Brussels is the day before in UTC; the report gives Brussels's day.
    let (harness, _) = imported(1).await;
    let mut app = harness.app.clone();
    let mut settings = (*app.settings).clone();
    settings.token_sunset_at = time::macros::datetime!(2027-02-14 23:00 UTC);
    app.settings = std::sync::Arc::new(settings);
    let report = progress::read(&app).await.expect("progress");
    assert_eq!(report.sunset, "2027-02-15");
    assert!(report.text(7).contains("Europe/Brussels calendar"));
}

#[tokio::test]
async fn the_report_counts_by_language_and_who_switched_after_a_reminder() {
    // nl, fr, de, en, nl, fr: then everyone is reminded, and the first two switch.
    let (harness, rows) = imported(6).await;
    let app = &harness.app;
    let summary = remind(app, &options("first")).await;
    assert_eq!(summary.queued, 6);
    for row in &rows[..2] {
        let mut record = citizens::record_of(app, &row.id)
            .await
            .expect("read")
            .expect("the citizen");
        record.activate_key(KeyKind::Email, app.clock.now_secs(), Vec::new());
        assert!(record.deactivate_token(app.clock.now_secs()));
        record.commit(app).await.expect("the switch is written");
    }
    let report = progress::read(app).await.expect("progress");
    assert_eq!(report.totals.switched_after_reminder, 2);
    let nl = report.totals.by_lang["nl"];
    assert_eq!((nl.token_added, nl.token_retired), (2, 1));
    let de = report.totals.by_lang["de"];
    assert_eq!((de.token_added, de.token_retired), (1, 0));
    let text = report.text(7);
    assert!(text.contains("reminded, then switched"), "{text}");
    assert!(text.contains("nl 1 (retired 1)"), "{text}");
}

#[tokio::test]
async fn the_holders_list_has_who_still_holds_a_token_and_no_address() {
    let (harness, rows) = imported(5).await;
    let app = &harness.app;
    // The first switches: no longer on the list.
    let mut record = citizens::record_of(app, &rows[0].id)
        .await
        .expect("read")
        .expect("the citizen");
    record.activate_key(KeyKind::Email, app.clock.now_secs(), Vec::new());
    assert!(record.deactivate_token(app.clock.now_secs()));
    record.commit(app).await.expect("the switch is written");
    let mut out = Vec::new();
    let summary = keys_admin::holders::export(app, &mut out)
        .await
        .expect("export");
    assert_eq!(summary.written, 4);
    let text = String::from_utf8(out).expect("UTF-8");
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("id,name,lang,card_serial"));
    let listed: Vec<&str> = lines.map(|l| l.split(',').next().unwrap_or("")).collect();
    assert_eq!(listed.len(), 4);
    assert!(
        !listed.contains(&rows[0].id.as_str()),
        "the one who switched"
    );
    for row in &rows[1..] {
        assert!(listed.contains(&row.id.as_str()), "{}", row.id);
        assert!(!text.contains(&row.email), "no address on the list");
    }
    assert_eq!(summary.by_lang.values().sum::<usize>(), 4);
    assert!(summary.text().contains("4 token holder(s) written"));
}
