//! The import in-process on the memory store: good and bad rows, reruns, interruption and resuming, throttling, a store that goes down, legacy hashes.

mod common;

use common::{
    Flaky, Row, cheap_hash, csv_line, json_line, rejects, row, scratch, state_of, write_csv,
};
use keys_admin::import::{self, ImportOptions, RetryPolicy, Summary};
use keys_domain::App;
use keys_domain::harness::test_harness;
use keys_domain::legacy_passwords::verify_legacy;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

/// Retries that do not make the tests wait.
fn quick_retries() -> RetryPolicy {
    RetryPolicy {
        attempts: 4,
        first_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(5),
    }
}

fn options(file: &Path) -> ImportOptions {
    let mut options = ImportOptions::new(file);
    options.concurrency = 8;
    options.retry = quick_retries();
    options
}

async fn import(app: &App, file: &Path) -> Summary {
    import::run(app, &options(file), Arc::new(AtomicBool::new(false)))
        .await
        .expect("the import runs")
}

/// Good rows, with every kind of bad row between them; returns the file, the good rows, and
/// each bad row's line with a piece of its expected reason.
fn mixed_file(
    dir: &Path,
    app_table_row: &Row,
) -> (std::path::PathBuf, Vec<Row>, Vec<(u64, &'static str)>) {
    let hash = cheap_hash("an old password");
    let good: Vec<Row> = (1..=10).map(|n| row(n, &hash)).collect();
    let mut lines: Vec<String> = good.iter().map(csv_line).collect();
    let mut bad = Vec::new();
    // Line numbers count the header as line 1.
    let mut push = |lines: &mut Vec<String>, line: String, reason: &'static str| {
        lines.push(line);
        bad.push((lines.len() as u64 + 1, reason));
    };
    let broken = csv_line(&row(101, &hash)).replacen("citizen.101,", "\"citizen.101,", 1);
    push(&mut lines, broken, "broken quoting");
    let mut unknown_hash = row(102, &hash);
    unknown_hash.password_hash = "5f4dcc3b5aa765d61d8327deb882cf99".into();
    push(
        &mut lines,
        csv_line(&unknown_hash),
        "password_hash: not a recognised format",
    );
    let mut md5crypt = row(103, &hash);
    md5crypt.password_hash = "$1$saltsalt$qjXMvbEw8oaL.CzflDugX/".into();
    push(
        &mut lines,
        csv_line(&md5crypt),
        "password_hash: not a recognised format",
    );
    let mut short_card = row(104, &hash);
    short_card.codes.pop();
    push(
        &mut lines,
        csv_line(&short_card),
        "wrong number of fields: 29",
    );
    let mut five_digits = row(105, &hash);
    five_digits.codes[4] = "12345".into();
    push(
        &mut lines,
        csv_line(&five_digits),
        "card codes: not 6 digits at position 5",
    );
    let mut letters = row(106, &hash);
    letters.codes[23] = "12a456".into();
    push(
        &mut lines,
        csv_line(&letters),
        "card codes: not 6 digits at position 24",
    );
    let mut bad_email = row(107, &hash);
    bad_email.email = "citizen.107.example.be".into();
    push(
        &mut lines,
        csv_line(&bad_email),
        "email: not a valid address",
    );
    let mut dup_in_file = row(108, &hash);
    dup_in_file.username = good[2].username.to_uppercase();
    push(
        &mut lines,
        csv_line(&dup_in_file),
        "username: duplicate, it belongs to citizen c-000003",
    );
    let mut dup_in_table = row(109, &hash);
    dup_in_table.username = app_table_row.username.clone();
    push(
        &mut lines,
        csv_line(&dup_in_table),
        "username: duplicate, it belongs to citizen c-000500",
    );
    let mut unknown_lang = row(110, &hash);
    unknown_lang.lang = "es".into();
    push(
        &mut lines,
        csv_line(&unknown_lang),
        "lang: not one of nl, fr, de, en",
    );
    let mut id_taken = row(111, &hash);
    id_taken.id = app_table_row.id.clone();
    push(
        &mut lines,
        csv_line(&id_taken),
        "id: already belongs to a citizen with another username",
    );
    // A blank line is skipped, not rejected; the good rows go on after the bad ones.
    lines.push(String::new());
    let more: Vec<Row> = (11..=14).map(|n| row(n, &hash)).collect();
    lines.extend(more.iter().map(csv_line));
    let file = dir.join("citizens.csv");
    write_csv(&file, &lines);
    (file, good.into_iter().chain(more).collect(), bad)
}

#[tokio::test]
async fn bad_rows_are_listed_with_line_and_reason_and_the_rest_is_imported_once() {
    let harness = test_harness(|_| {});
    let app = harness.app.clone();
    let dir = scratch("mixed");
    // A citizen already in the table, whose username a row of the file also claims.
    let there = row(500, &cheap_hash("x"));
    let there_prepared = keys_domain::citizens::PreparedCitizen {
        id: there.id.clone(),
        username: there.username.clone(),
        name: None,
        email: there.email.clone(),
        lang: keys_domain::lang::Lang::Nl,
        password_hash: there.password_hash.clone(),
        card: (1..=24u8).zip(there.codes.iter().cloned()).collect(),
        card_serial: None,
        national_number: None,
    };
    keys_domain::citizens::enrol_prepared(&app, &there_prepared)
        .await
        .expect("enrolled");
    let (file, good, bad) = mixed_file(&dir, &there);

    let first = import(&app, &file).await;
    assert!(first.complete, "{first:?}");
    assert_eq!(first.rows as usize, good.len() + bad.len());
    assert_eq!(first.new as usize, good.len());
    assert_eq!(first.already_there, 0);
    assert_eq!(first.rejected as usize, bad.len());
    assert!(!first.clean(), "rejected rows make exit code 1");
    let listed = rejects(&dir.join("citizens.csv.rejects.csv"));
    assert_eq!(listed.len(), bad.len(), "{listed:#?}");
    for (line, reason) in &bad {
        let found = listed.iter().find(|(l, _, _)| l == line);
        let (_, _, text) =
            found.unwrap_or_else(|| panic!("line {line} is not listed: {listed:#?}"));
        assert!(
            text.contains(reason),
            "line {line}: {text:?} should say {reason:?}"
        );
    }
    // The rejects file names no address, hash or card code of any row.
    let rejects_text = std::fs::read_to_string(dir.join("citizens.csv.rejects.csv")).expect("read");
    assert!(
        !rejects_text.contains('@') && !rejects_text.contains('$'),
        "{rejects_text}"
    );
    for code in good.iter().chain([&there]).flat_map(|r| r.codes.iter()) {
        assert!(!rejects_text.contains(code.as_str()), "a card code leaked");
    }
    for row in &good {
        assert_eq!(
            state_of(&app, row).await,
            Some(true),
            "{} imported whole",
            row.id
        );
    }
    assert!(
        !dir.join("citizens.csv.checkpoint").exists(),
        "a finished import leaves no checkpoint"
    );

    // Run again: nothing new, every good row already there, the same rejects again.
    let items_before = harness.store.raw_items();
    let second = import(&app, &file).await;
    assert!(second.complete);
    assert_eq!(second.new, 0);
    assert_eq!(second.already_there as usize, good.len());
    assert_eq!(second.rejected as usize, bad.len());
    assert_eq!(
        harness.store.raw_items(),
        items_before,
        "a rerun changes nothing"
    );
    assert_eq!(
        rejects(&dir.join("citizens.csv.rejects.csv")).len(),
        bad.len()
    );
    std::fs::remove_dir_all(&dir).expect("clean");
}

#[tokio::test]
async fn json_lines_are_checked_the_same_way() {
    let harness = test_harness(|_| {});
    let dir = scratch("jsonl");
    let hash = cheap_hash("pw");
    let good = row(1, &hash);
    let mut short_card = row(2, &hash);
    short_card.codes.truncate(23);
    let mut numeric_code =
        serde_json::from_str::<serde_json::Value>(&json_line(&row(4, &hash))).expect("json");
    numeric_code["codes"][0] = serde_json::json!(123456);
    let lines = [
        json_line(&good),
        json_line(&short_card),
        numeric_code.to_string(),
        "{\"id\": \"c-5\", \"username\": ".to_string(),
        r#"{"id": "c-6", "username": "six"}"#.to_string(),
    ];
    let file = dir.join("citizens.jsonl");
    std::fs::write(&file, lines.join("\n")).expect("write");
    let summary = import(&harness.app, &file).await;
    assert_eq!(summary.new, 1, "{summary:?}");
    let listed = rejects(&dir.join("citizens.jsonl.rejects.csv"));
    let reason = |line: u64| {
        listed
            .iter()
            .find(|(l, _, _)| *l == line)
            .map(|(_, _, r)| r.clone())
            .unwrap_or_else(|| panic!("line {line} not listed: {listed:?}"))
    };
    assert!(reason(2).contains("card codes: 23 given"));
    assert!(reason(3).contains("card codes: not 6 digits at position 1"));
    assert!(reason(4).contains("not valid JSON"));
    assert!(reason(5).contains("missing field `password_hash`"));
    assert_eq!(listed.len(), 4);
    assert_eq!(state_of(&harness.app, &good).await, Some(true));
    std::fs::remove_dir_all(&dir).expect("clean");
}

#[tokio::test]
async fn an_interrupted_import_goes_on_after_its_checkpoint() {
    let harness = test_harness(|_| {});
    let dir = scratch("interrupted");
    let hash = cheap_hash("pw");
    // 2000 rows; every tenth has an unknown language and is rejected.
    let rows: Vec<Row> = (1..=2000)
        .map(|n| {
            let mut row = row(n, &hash);
            if n % 10 == 0 {
                row.lang = "xx".into();
            }
            row
        })
        .collect();
    let is_bad = |row: &Row| row.lang == "xx";
    let bad_lines: Vec<u64> = (1..=2000u64)
        .filter(|n| n % 10 == 0)
        .map(|n| n + 1)
        .collect();
    let file = dir.join("citizens.csv");
    write_csv(&file, &rows.iter().map(csv_line).collect::<Vec<_>>());

    // Ctrl-C after 600 citizens were sent to the store.
    let stop = Arc::new(AtomicBool::new(false));
    let mut flaky = Flaky::around(&harness.app);
    flaky.stop_after = Some((600, stop.clone()));
    let app = App {
        store: Arc::new(flaky),
        ..harness.app.clone()
    };
    let first = import::run(&app, &options(&file), stop)
        .await
        .expect("first run");
    assert!(!first.complete && first.interrupted, "{first:?}");
    let done = first.done_through_line;
    assert!(done > 1 && done < 2001, "stopped half-way, at line {done}");
    let bad_through_done = bad_lines.iter().filter(|&&line| line <= done).count() as u64;
    assert!(
        first.new >= done - 1 - bad_through_done && first.new < 700,
        "{first:?}"
    );
    let checkpoint = keys_admin::import::checkpoint::load(&dir.join("citizens.csv.checkpoint"))
        .expect("read")
        .expect("a checkpoint");
    assert_eq!(checkpoint.line, done);
    // Every good row up to the checkpoint is there whole; none anywhere is half-written.
    let mut present = 0;
    for (index, row) in rows.iter().enumerate() {
        let state = state_of(&harness.app, row).await;
        assert_ne!(state, Some(false), "{} is half-written", row.id);
        if (index as u64) + 2 <= done && !is_bad(row) {
            assert_eq!(state, Some(true), "{} is before the checkpoint", row.id);
        }
        present += usize::from(state.is_some());
    }
    assert_eq!(present as u64, first.new);

    // The same command again: goes on after the checkpoint and finishes.
    let second = import(&harness.app, &file).await;
    assert!(second.complete, "{second:?}");
    assert_eq!(second.resumed_after_line, Some(done));
    assert_eq!(
        second.rows,
        2001 - done,
        "only the rows after the checkpoint are read"
    );
    assert_eq!(
        first.new + second.new,
        1800,
        "every citizen written exactly once"
    );
    assert_eq!(
        second.already_there,
        first.new - (done - 1 - bad_through_done),
        "rows written after the checkpoint line"
    );
    for row in &rows {
        let expected = (!is_bad(row)).then_some(true);
        assert_eq!(state_of(&harness.app, row).await, expected, "{}", row.id);
    }
    assert!(!dir.join("citizens.csv.checkpoint").exists());
    // Each bad row is listed once, although the rows after the checkpoint were read twice.
    let listed: Vec<u64> = {
        let mut lines: Vec<u64> = rejects(&dir.join("citizens.csv.rejects.csv"))
            .into_iter()
            .map(|(line, _, _)| line)
            .collect();
        lines.sort_unstable();
        lines
    };
    assert_eq!(listed, bad_lines);
    std::fs::remove_dir_all(&dir).expect("clean");
}

#[tokio::test]
async fn throttled_writes_are_retried() {
    let harness = test_harness(|_| {});
    let dir = scratch("throttled");
    let hash = cheap_hash("pw");
    let rows: Vec<Row> = (1..=300).map(|n| row(n, &hash)).collect();
    let file = dir.join("citizens.csv");
    write_csv(&file, &rows.iter().map(csv_line).collect::<Vec<_>>());
    let mut flaky = Flaky::around(&harness.app);
    flaky.throttle_every = Some(3);
    let flaky = Arc::new(flaky);
    let app = App {
        store: flaky.clone(),
        ..harness.app.clone()
    };
    let summary = import(&app, &file).await;
    assert!(summary.clean(), "{summary:?}");
    assert_eq!(summary.new, 300);
    let throttled: Vec<u32> = flaky
        .throttled
        .lock()
        .expect("lock")
        .values()
        .copied()
        .collect();
    let twice = throttled.iter().filter(|&&t| t == 2).count();
    assert!(
        twice > 50,
        "about a third of the 300 citizens were throttled twice, not {twice}"
    );
    for row in &rows {
        assert_eq!(state_of(&harness.app, row).await, Some(true));
    }
    std::fs::remove_dir_all(&dir).expect("clean");
}

#[tokio::test]
async fn a_store_that_stays_down_stops_the_import_before_the_row_it_could_not_write() {
    let harness = test_harness(|_| {});
    let dir = scratch("down");
    let hash = cheap_hash("pw");
    let rows: Vec<Row> = (1..=500).map(|n| row(n, &hash)).collect();
    let file = dir.join("citizens.csv");
    write_csv(&file, &rows.iter().map(csv_line).collect::<Vec<_>>());
    harness.store.fail_after_writes(200);
    let first = import(&harness.app, &file).await;
    assert!(!first.complete, "{first:?}");
    assert!(
        first
            .store_failure
            .as_deref()
            .is_some_and(|f| f.contains("injected fault"))
    );
    assert_eq!(first.new, 200);
    assert!(first.done_through_line <= 201, "{first:?}");
    assert_eq!(first.rejected, 0, "an unavailable store rejects no row");
    harness.store.heal();
    let second = import(&harness.app, &file).await;
    assert!(second.clean(), "{second:?}");
    assert_eq!(first.new + second.new, 500);
    for row in &rows {
        assert_eq!(state_of(&harness.app, row).await, Some(true));
    }
    std::fs::remove_dir_all(&dir).expect("clean");
}

#[tokio::test]
async fn a_dry_run_writes_nothing_and_finds_the_same_problems() {
    let harness = test_harness(|_| {});
    let dir = scratch("dry");
    let hash = cheap_hash("pw");
    let rows: Vec<Row> = (1..=5).map(|n| row(n, &hash)).collect();
    let mut lines: Vec<String> = rows.iter().map(csv_line).collect();
    let mut duplicate = row(6, &hash);
    duplicate.username = rows[0].username.clone();
    lines.push(csv_line(&duplicate));
    lines.push(csv_line(&rows[1]));
    let file = dir.join("citizens.csv");
    write_csv(&file, &lines);
    let mut dry = options(&file);
    dry.dry_run = true;
    let summary = import::run(&harness.app, &dry, Arc::new(AtomicBool::new(false)))
        .await
        .expect("dry run");
    assert!(summary.dry_run && summary.complete);
    assert_eq!(
        (summary.new, summary.already_there, summary.rejected),
        (5, 1, 1)
    );
    let listed = rejects(&dir.join("citizens.csv.rejects.csv"));
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].0, 7);
    assert!(
        listed[0]
            .2
            .contains("duplicate within the file (first at line 2)")
    );
    assert!(
        harness.store.raw_items().is_empty(),
        "a dry run writes nothing"
    );
    assert!(!dir.join("citizens.csv.checkpoint").exists());
    std::fs::remove_dir_all(&dir).expect("clean");
}

#[tokio::test]
async fn imported_legacy_hashes_still_check_the_old_password() {
    use argon2::password_hash::{PasswordHasher, SaltString};
    let harness = test_harness(|_| {});
    let dir = scratch("legacy");
    let bcrypt_hash = bcrypt::hash("bcrypt's old password", 4).expect("bcrypt");
    let pbkdf2_hash = pbkdf2::Pbkdf2
        .hash_password_customized(
            b"pbkdf2's old password",
            Some(pbkdf2::Algorithm::Pbkdf2Sha256.ident()),
            None,
            pbkdf2::Params {
                rounds: 1000,
                output_length: 32,
            },
            &SaltString::generate(&mut rand::rngs::OsRng),
        )
        .expect("pbkdf2")
        .to_string();
    let scrypt_hash = scrypt::Scrypt
        .hash_password_customized(
            b"scrypt's old password",
            None,
            None,
            scrypt::Params::new(8, 8, 1, 32).expect("params"),
            &SaltString::generate(&mut rand::rngs::OsRng),
        )
        .expect("scrypt")
        .to_string();
    let citizens = [
        (row(1, &bcrypt_hash), "bcrypt's old password"),
        (row(2, &pbkdf2_hash), "pbkdf2's old password"),
        (row(3, &scrypt_hash), "scrypt's old password"),
    ];
    let file = dir.join("citizens.jsonl");
    let lines: Vec<String> = citizens.iter().map(|(row, _)| json_line(row)).collect();
    std::fs::write(&file, lines.join("\n")).expect("write");
    let summary = import(&harness.app, &file).await;
    assert!(summary.clean(), "{summary:?}");
    assert_eq!(summary.password_hashes.get("bcrypt"), Some(&1));
    assert_eq!(summary.password_hashes.get("pbkdf2-sha256"), Some(&1));
    for (row, password) in &citizens {
        let stored = keys_domain::support::password_hash(&harness.app, &row.id)
            .await
            .expect("read")
            .expect("a stored hash");
        assert_eq!(
            &stored, &row.password_hash,
            "kept as the old system wrote it"
        );
        assert_eq!(verify_legacy(password, &stored), Some(true), "{}", row.id);
        assert_eq!(verify_legacy("not it", &stored), Some(false), "{}", row.id);
    }
    std::fs::remove_dir_all(&dir).expect("clean");
}

#[tokio::test]
async fn a_username_that_looks_like_another_citizens_is_rejected_with_the_reason() {
    let harness = test_harness(|_| {});
    let dir = scratch("look-alike");
    let hash = cheap_hash("pw");
    let latin = Row {
        username: "copex".into(),
        ..row(1, &hash)
    };
    let cyrillic = Row {
        username: "сорех".into(),
        ..row(2, &hash)
    };
    let folded = Row {
        username: "COPEX".into(),
        ..row(3, &hash)
    };
    let file = dir.join("citizens.csv");
    write_csv(
        &file,
        &[csv_line(&latin), csv_line(&cyrillic), csv_line(&folded)],
    );
    let summary = import(&harness.app, &file).await;
    assert_eq!((summary.new, summary.rejected), (1, 2), "{summary:?}");
    let listed = rejects(&dir.join("citizens.csv.rejects.csv"));
    // Rows are written in lanes at once: the rejects file lists them as they end, so by id.
    let reason_of = |id: &str| {
        listed
            .iter()
            .find(|(_, row_id, _)| row_id == id)
            .map(|(_, _, reason)| reason.clone())
            .unwrap_or_else(|| panic!("{id} rejected: {listed:?}"))
    };
    assert!(
        reason_of(&cyrillic.id).contains("looks like another citizen's username"),
        "{listed:?}"
    );
    assert!(
        reason_of(&folded.id).contains("username: duplicate"),
        "the same username once folded: {listed:?}"
    );
}
