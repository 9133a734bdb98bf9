//! The phase-out as operators and citizens live it: an import with good and bad rows, the progress, a reminder campaign, citizens switching by the wizard, then the progress and the campaign again.

use blackbox::journeys::into_step_3;
use blackbox::{Citizen, Service, token_login_to_notice};
use keys_admin::import::{self, ImportOptions};
use keys_admin::progress;
use keys_admin::remind::{self, RemindOptions, RemindSummary};
use keys_core::App;
use keys_core::reminders::Campaign;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

const LANGS: [&str; 4] = ["nl", "fr", "de", "en"];

/// The reminder's subject starts so in each language.
fn reminder_subject(lang: &str) -> &'static str {
    match lang {
        "nl" => "Uw token werkt niet meer vanaf",
        "fr" => "Votre token ne fonctionnera plus",
        "de" => "Ihr Token funktioniert ab dem",
        _ => "Your token stops working on",
    }
}

/// Citizen `n` of the old system: a bcrypt password (cost 4, as cheap as bcrypt goes) and a card.
fn old_citizen(n: usize) -> (Citizen, String, String) {
    let password = format!("old password number {n}");
    let hash = bcrypt::hash(&password, 4).expect("bcrypt");
    let card: BTreeMap<u8, String> = (1..=24u8)
        .map(|i| (i, format!("{:06}", n * 1000 + usize::from(i))))
        .collect();
    let citizen = Citizen {
        username: format!("phase.out.{n}"),
        password,
        email: format!("phase.out.{n}@example.be"),
        card,
    };
    (citizen, hash, LANGS[n % 4].to_string())
}

fn csv_line(fields: Vec<String>) -> String {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    writer.write_record(&fields).expect("csv");
    String::from_utf8(writer.into_inner().expect("csv")).expect("utf-8")
}

fn row(id: &str, citizen: &Citizen, hash: &str, lang: &str, codes: usize) -> String {
    let mut fields = vec![
        id.to_string(),
        citizen.username.clone(),
        hash.to_string(),
        citizen.email.clone(),
        lang.to_string(),
        format!("TK-{id}"),
    ];
    fields.extend(citizen.card.values().take(codes).cloned());
    csv_line(fields)
}

async fn remind(app: &App, campaign: &str) -> RemindSummary {
    let options = RemindOptions {
        campaign: Campaign::parse(campaign).expect("a campaign"),
        per_second: 1_000.0,
        dry_run: false,
        concurrency: 4,
        progress: false,
    };
    remind::run(app, &options, Arc::new(AtomicBool::new(false)))
        .await
        .expect("the reminders run")
}

#[tokio::test]
async fn operators_import_follow_and_remind_while_citizens_switch() {
    let service = Service::start_with(|_| {}).await;
    let app = service.ports().app.clone();
    let nobody = progress::read(&app).await.expect("progress");
    assert_eq!(
        nobody.forecast.token_holders, 0,
        "a new service has no citizens"
    );

    // The file: eight good rows, two per language, and four bad ones.
    let citizens: Vec<(Citizen, String, String)> = (0..8).map(old_citizen).collect();
    let mut text = String::from("id,username,password_hash,email,lang,card_serial");
    for n in 1..=24 {
        text.push_str(&format!(",code{n}"));
    }
    text.push('\n');
    for (n, (citizen, hash, lang)) in citizens.iter().enumerate() {
        text.push_str(&row(&format!("po-{n}"), citizen, hash, lang, 24));
    }
    let (stranger, hash, _) = old_citizen(90);
    text.push_str(&row("po-bad-lang", &stranger, &hash, "xx", 24));
    text.push_str(&row("po-short-card", &stranger, &hash, "nl", 23));
    let mut no_address = stranger.clone();
    no_address.email = "not an address".into();
    text.push_str(&row("po-bad-email", &no_address, &hash, "nl", 24));
    text.push_str(&row("po-twice", &citizens[0].0, &citizens[0].1, "nl", 24));
    let dir = std::env::temp_dir().join(format!("phase-out-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a directory");
    let file = dir.join("token-holders.csv");
    std::fs::write(&file, text).expect("the file");
    let imported = import::run(
        &app,
        &ImportOptions::new(&file),
        Arc::new(AtomicBool::new(false)),
    )
    .await
    .expect("the import runs");
    assert_eq!((imported.new, imported.rejected), (8, 4), "{imported:?}");
    let rejects = std::fs::read_to_string(dir.join("token-holders.csv.rejects.csv"))
        .expect("the rejects file");
    for (line, id, reason) in [
        (10, "po-bad-lang", "lang"),
        // A short CSV line is refused before its fields are read, so without its id.
        (11, "", "wrong number of fields"),
        (12, "po-bad-email", "email"),
        (13, "po-twice", "username: duplicate"),
    ] {
        assert!(
            rejects
                .lines()
                .any(|l| l.starts_with(&format!("{line},{id},")) && l.contains(reason)),
            "line {line} rejected for its {reason}: {rejects}"
        );
    }

    let report = progress::read(&app).await.expect("progress");
    assert_eq!(report.forecast.token_holders, 8);

    // The first campaign: one mail each, in the citizen's own language.
    let first = remind(&app, "first").await;
    assert_eq!((first.holders, first.queued), (8, 8), "{first:?}");
    for (citizen, _, lang) in &citizens {
        let mails = service.mails_to(&citizen.email).await;
        assert_eq!(mails.len(), 1, "{}", citizen.email);
        assert!(
            mails[0].subject.starts_with(reminder_subject(lang)),
            "{lang}: {}",
            mails[0].subject
        );
    }

    // Three switch to the e-mail key by the wizard (their old bcrypt password still works);
    // one more logs in with the token and closes the notice.
    for (citizen, _, lang) in &citizens[..3] {
        let browser = service.browser(lang);
        let step3 = into_step_3(&browser, citizen, "email").await;
        assert_eq!(step3.step(), "activate.email_code", "{}", step3.json);
        let code = service.last_mail_to(&citizen.email).await.code();
        let done = browser.act(&step3, "submit", &[("code", &code)]).await;
        assert_eq!(done.step(), "activate.done", "{}", done.json);
    }
    let (closer, _, lang) = &citizens[3];
    let browser = service.browser(lang);
    let notice = token_login_to_notice(&browser, closer).await;
    let keys = browser.act(&notice, "close", &[]).await;
    assert_eq!(keys.step(), "keys", "{}", keys.json);

    // Support staff see the card and the last login.
    let found = keys_admin::lookup::resolve(&app, &closer.username, None)
        .await
        .expect("the citizen");
    let shown = keys_admin::lookup::show(&app, &found).await.expect("shown");
    assert_eq!(shown.card_serial.as_deref(), Some("TK-po-3"));
    assert_eq!(shown.last_logins.len(), 1);
    assert_eq!(shown.last_logins[0].key, "token");
    assert!(shown.text().contains("with token"), "{}", shown.text());

    let report = progress::read(&app).await.expect("progress");
    assert_eq!(report.forecast.token_holders, 5);
    let totals = &report.totals;
    assert_eq!(
        (
            totals.token_added,
            totals.token_retired,
            totals.activated_email,
            totals.activated_app
        ),
        (8, 3, 3, 0)
    );
    assert_eq!((totals.login_token, totals.notice_shown), (4, 4));
    assert_eq!(
        (
            totals.notice_activate,
            totals.notice_other_key,
            totals.notice_close
        ),
        (3, 0, 1)
    );
    assert_eq!(totals.reminded, 8);
    assert_eq!(report.days.last().map(|d| d.token_holders), Some(5));

    // The campaign again: nobody twice. Those who switched are no longer token holders.
    let mails_before: Vec<usize> = futures::future::join_all(
        citizens
            .iter()
            .map(|(c, _, _)| async { service.mails_to(&c.email).await.len() }),
    )
    .await;
    let again = remind(&app, "first").await;
    assert_eq!(
        (again.holders, again.queued, again.already_sent),
        (5, 0, 5),
        "{again:?}"
    );
    // A second campaign reaches the five still on a token, and not the three who switched.
    let second = remind(&app, "second").await;
    assert_eq!((second.holders, second.queued), (5, 5), "{second:?}");
    for (n, (citizen, _, lang)) in citizens.iter().enumerate() {
        let mails = service.mails_to(&citizen.email).await;
        let reminders = mails
            .iter()
            .filter(|m| m.subject.starts_with(reminder_subject(lang)))
            .count();
        let switched = n < 3;
        assert_eq!(reminders, if switched { 1 } else { 2 }, "{}", citizen.email);
        assert_eq!(
            mails.len(),
            mails_before[n] + usize::from(!switched),
            "{}: no other mail",
            citizen.email
        );
    }
    assert_eq!(
        progress::read(&app)
            .await
            .expect("progress")
            .totals
            .reminded,
        13
    );
    let _ = std::fs::remove_dir_all(&dir);
}
