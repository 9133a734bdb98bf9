//! The binary against DynamoDB on the AWS emulator (moto): an import killed half-way or stopped with Ctrl-C goes on after its checkpoint, and the support commands work on a persistent table.
//!
//! moto copies the whole table for every transaction (and keeps the copies: a few hundred
//! citizens take it past a gigabyte) and is not safe for concurrent transactions on one table
//! (it answers 500 now and then), so these imports are small and run one row at a time;
//! concurrency is tested on the memory store (tests/import.rs).

mod common;

use common::emulator::{self, Emulator};
use common::{Row, binary, cheap_hash, csv_line, row, scratch, state_of, write_csv};
use keys_admin::import::checkpoint;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn command(emulator: &Emulator, secret: &str, table: &str, args: &[&str]) -> Command {
    let mut command = Command::new(binary());
    command
        .args(["--table", table])
        .args(args)
        .env_remove("MASTER_SECRET_ID")
        .env_remove("TOKEN_SUNSET_AT")
        .env_remove("AWS_PROFILE")
        .envs(emulator::env(&emulator.endpoint, secret));
    command
}

fn finish(command: &mut Command) -> Output {
    command.output().expect("the binary runs")
}

fn spawn_import(emulator: &Emulator, secret: &str, table: &str, file: &Path) -> Child {
    command(
        emulator,
        secret,
        table,
        &[
            "--json",
            "import",
            file.to_str().expect("utf-8 path"),
            "--concurrency",
            "1",
            // Slow enough that a checkpoint (written every second) comes before the end
            // however fast the machine is.
            "--rate",
            "20",
        ],
    )
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .expect("the binary starts")
}

/// Waits until the running import's checkpoint has passed `line`.
fn wait_for_checkpoint(file: &Path, line: u64, child: &mut Child) -> u64 {
    let path = checkpoint::path_for(file);
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if let Ok(Some(saved)) = checkpoint::load(&path)
            && saved.line > line
        {
            return saved.line;
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the import ended ({status}) before its checkpoint passed line {line}");
        }
        assert!(Instant::now() < deadline, "no checkpoint past line {line}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn summary(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|_| {
        panic!(
            "not a JSON summary: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

fn rows_file(dir: &Path, count: usize) -> (std::path::PathBuf, Vec<Row>) {
    let hash = cheap_hash("an old password");
    let rows: Vec<Row> = (1..=count).map(|n| row(n, &hash)).collect();
    let file = dir.join("citizens.csv");
    write_csv(&file, &rows.iter().map(csv_line).collect::<Vec<_>>());
    (file, rows)
}

/// No citizen is half-written; those up to the checkpoint's line are all there.
async fn check_prefix(app: &keys_domain::App, rows: &[Row], done_through_line: u64) -> usize {
    let mut present = 0;
    for (index, row) in rows.iter().enumerate() {
        let state = state_of(app, row).await;
        assert_ne!(state, Some(false), "{} is half-written", row.id);
        // Line 1 is the header: row `index` is on line index + 2.
        if index as u64 + 2 <= done_through_line {
            assert_eq!(state, Some(true), "{} is before the checkpoint", row.id);
        }
        present += usize::from(state.is_some());
    }
    present
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_killed_half_way_goes_on_after_its_checkpoint() {
    let emulator = emulator::start();
    let (secret, table) = (emulator::secret(), emulator::table("admin-killed"));
    let app = emulator::app(&emulator.endpoint, &table, &secret).await;
    let dir = scratch("killed");
    let (file, rows) = rows_file(&dir, 80);

    let mut child = spawn_import(&emulator, &secret, &table, &file);
    wait_for_checkpoint(&file, 10, &mut child);
    child.kill().expect("kill the import");
    child.wait().expect("reaped");
    let saved = checkpoint::load(&checkpoint::path_for(&file))
        .expect("read")
        .expect("the checkpoint a crash leaves");
    assert!(saved.line > 10 && saved.line < 81, "{saved:?}");
    let present = check_prefix(&app, &rows, saved.line).await;
    assert!(present < rows.len(), "killed before the end");

    let output = finish(&mut command(
        &emulator,
        &secret,
        &table,
        &["--json", "import", file.to_str().expect("path")],
    ));
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let resumed = summary(&output);
    assert_eq!(resumed["resumed_after_line"], saved.line);
    assert_eq!(resumed["complete"], true);
    assert_eq!(resumed["rows"], 81 - saved.line);
    assert_eq!(
        resumed["new"].as_u64().expect("count") as usize,
        rows.len() - present,
        "the rerun writes exactly the citizens the killed run did not"
    );
    assert_eq!(check_prefix(&app, &rows, 81).await, rows.len());
    assert!(!checkpoint::path_for(&file).exists());

    // Once more from the top: nothing new, all already there.
    let output = finish(&mut command(
        &emulator,
        &secret,
        &table,
        &["--json", "import", file.to_str().expect("path")],
    ));
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let again = summary(&output);
    assert_eq!(
        (again["new"].as_u64(), again["already_there"].as_u64()),
        (Some(0), Some(80))
    );
    std::fs::remove_dir_all(&dir).expect("clean");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_finishes_the_rows_in_flight_and_leaves_a_checkpoint() {
    let emulator = emulator::start();
    let (secret, table) = (emulator::secret(), emulator::table("admin-interrupted"));
    let app = emulator::app(&emulator.endpoint, &table, &secret).await;
    let dir = scratch("interrupted");
    let (file, rows) = rows_file(&dir, 60);

    let mut child = spawn_import(&emulator, &secret, &table, &file);
    wait_for_checkpoint(&file, 8, &mut child);
    let signalled = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill -INT");
    assert!(signalled.success());
    let output = child.wait_with_output().expect("the import ends");
    assert_eq!(
        output.status.code(),
        Some(1),
        "an unfinished import exits with 1"
    );
    let stopped = summary(&output);
    assert_eq!(stopped["interrupted"], true);
    assert_eq!(stopped["complete"], false);
    let done = stopped["done_through_line"].as_u64().expect("a line");
    let saved = checkpoint::load(&checkpoint::path_for(&file))
        .expect("read")
        .expect("a checkpoint");
    assert_eq!(
        saved.line, done,
        "the checkpoint holds where the summary says"
    );
    assert!(done < 61);
    let present = check_prefix(&app, &rows, done).await;
    assert_eq!(present as u64, stopped["new"].as_u64().expect("count"));

    let output = finish(&mut command(
        &emulator,
        &secret,
        &table,
        &["--json", "import", file.to_str().expect("path")],
    ));
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let resumed = summary(&output);
    assert_eq!(resumed["resumed_after_line"], done);
    assert_eq!(check_prefix(&app, &rows, 61).await, rows.len());
    std::fs::remove_dir_all(&dir).expect("clean");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn support_commands_show_unlock_and_read_the_audit_trail() {
    let emulator = emulator::start();
    let (secret, table) = (emulator::secret(), emulator::table("admin-support"));
    let app = emulator::app(&emulator.endpoint, &table, &secret).await;
    let dir = scratch("support");
    let (file, rows) = rows_file(&dir, 3);
    let output = finish(&mut command(
        &emulator,
        &secret,
        &table,
        &["import", file.to_str().expect("path")],
    ));
    assert_eq!(output.status.code(), Some(0), "{output:?}");

    let citizen = &rows[0];
    let ck = keys_domain::record::citizen_key(&app, &citizen.username);
    for _ in 0..keys_domain::throttle::FAILURES_BEFORE_LOCK {
        let (attempt, mut record) = keys_domain::throttle::take_attempt(&app, &ck, Vec::new())
            .await
            .expect("an attempt");
        if let keys_domain::throttle::Attempt::Taken { n } = attempt {
            record.attempt_failed(&app, n);
            record.commit(&app).await.expect("a failed login");
        }
    }
    let output = finish(&mut command(
        &emulator,
        &secret,
        &table,
        &["--json", "citizen", "show", &citizen.username],
    ));
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let shown = summary(&output);
    assert_eq!(shown["id"], citizen.id.as_str());
    assert_eq!(shown["email"], "c***@example.be");
    assert_eq!(shown["lang"], citizen.lang.as_str());
    assert_eq!(shown["card_serial"], citizen.card_serial.as_str());
    assert_eq!(shown["password_hash_format"], "argon2id-legacy-params");
    assert_eq!(shown["locked_minutes"], 1);
    assert_eq!(shown["keys"][0]["kind"], "token");
    assert_eq!(shown["keys"][0]["state"], "active");
    assert!(shown["keys"][0]["activated_at"].is_string());
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(!printed.contains(&citizen.email) && !printed.contains(&citizen.password_hash));

    let output = finish(&mut command(
        &emulator,
        &secret,
        &table,
        &[
            "citizen",
            "unlock",
            "--operator",
            "helpdesk-07",
            &citizen.id,
        ],
    ));
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stdout).contains("unlocked"));
    let record = keys_domain::record::Record::load(&app, &ck)
        .await
        .expect("record");
    assert_eq!(
        record.locked(app.clock.now_secs()),
        None,
        "the lockout is gone"
    );

    let output = finish(&mut command(
        &emulator,
        &secret,
        &table,
        &["audit", &citizen.id],
    ));
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let events: Vec<serde_json::Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON line"))
        .collect();
    assert!(
        events.iter().any(|e| e["event"] == "admin.unlock"
            && e["outcome"] == "cleared"
            && e["by"] == "operator:helpdesk-07"
            && e["at"].is_string()),
        "the unlock names its operator: {events:?}"
    );
    let output = finish(&mut command(
        &emulator,
        &secret,
        &table,
        &["audit", "nobody"],
    ));
    assert_eq!(output.status.code(), Some(1));
    std::fs::remove_dir_all(&dir).expect("clean");
}

/// A command with the stack's sunset, as `progress` and `remind` need on DynamoDB.
fn sunset_command(emulator: &Emulator, secret: &str, table: &str, args: &[&str]) -> Command {
    let mut command = command(emulator, secret, table, args);
    command.env("TOKEN_SUNSET_AT", "2027-03-01T00:00:00+01:00");
    command
}

/// The mails waiting in the table's outbox (the tool queues them; the stream delivers them).
async fn outbox(app: &keys_domain::App) -> Vec<(String, String)> {
    use keys_domain::dispatch::{OUTBOX_PK, OUTBOX_SHARDS};
    let mut mails = Vec::new();
    for shard in 0..OUTBOX_SHARDS {
        for item in app
            .store
            .query(&format!("{OUTBOX_PK}#{shard}"), "mail#")
            .await
            .expect("the outbox")
        {
            mails.push((
                item.s("to").unwrap_or_default().to_string(),
                item.s("subject").unwrap_or_default().to_string(),
            ));
        }
    }
    mails.sort();
    mails
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn progress_and_reminders_work_on_a_dynamodb_table() {
    let emulator = emulator::start();
    let (secret, table) = (emulator::secret(), emulator::table("admin-remind"));
    let app = emulator::app(&emulator.endpoint, &table, &secret).await;
    let dir = scratch("remind");
    let (file, rows) = rows_file(&dir, 6);
    let output = finish(&mut command(
        &emulator,
        &secret,
        &table,
        // One row at a time: moto's transactions race otherwise (a counter's add is lost).
        &["import", file.to_str().expect("path"), "--concurrency", "1"],
    ));
    assert_eq!(output.status.code(), Some(0), "{output:?}");

    // The sunset is the stack's: without it the figures and the mails' date would be wrong.
    let output = finish(&mut command(&emulator, &secret, &table, &["progress"]));
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("TOKEN_SUNSET_AT"));

    let report_file = dir.join("report.html");
    let output = finish(&mut sunset_command(
        &emulator,
        &secret,
        &table,
        &[
            "--json",
            "progress",
            "--html",
            report_file.to_str().expect("path"),
        ],
    ));
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let report = summary(&output);
    assert_eq!(report["forecast"]["token_holders"], 6);
    assert_eq!(report["totals"]["token_added"], 6);
    assert_eq!(report["sunset"], "2027-03-01");
    let html = std::fs::read_to_string(&report_file).expect("the HTML report");
    assert_eq!(html.matches("<svg role=\"img\"").count(), 4);

    let output = finish(&mut sunset_command(
        &emulator,
        &secret,
        &table,
        &["--json", "remind", "--campaign", "first", "--dry-run"],
    ));
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(summary(&output)["queued"], 6);
    assert!(outbox(&app).await.is_empty(), "a dry run queues nothing");

    // moto's SES has no GetAccount: without --rate the tool says what to do and sends nothing.
    let output = finish(&mut sunset_command(
        &emulator,
        &secret,
        &table,
        &["remind", "--campaign", "first"],
    ));
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("pass --rate"));
    assert!(outbox(&app).await.is_empty());

    let output = finish(&mut sunset_command(
        &emulator,
        &secret,
        &table,
        &[
            "--json",
            "remind",
            "--campaign",
            "first",
            "--rate",
            "20",
            "--concurrency",
            "1",
        ],
    ));
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(summary(&output)["queued"], 6);
    let queued = outbox(&app).await;
    let mut expected: Vec<String> = rows.iter().map(|r| r.email.clone()).collect();
    expected.sort();
    assert_eq!(
        queued.iter().map(|(to, _)| to.clone()).collect::<Vec<_>>(),
        expected,
        "one reminder per holder in the outbox"
    );
    for row in &rows {
        let subject = &queued
            .iter()
            .find(|(to, _)| *to == row.email)
            .expect("a mail")
            .1;
        let start = match row.lang.as_str() {
            "nl" => "Uw token",
            "fr" => "Votre token",
            "de" => "Ihr Token",
            _ => "Your token",
        };
        assert!(subject.starts_with(start), "{}: {subject}", row.lang);
    }

    let output = finish(&mut sunset_command(
        &emulator,
        &secret,
        &table,
        &["--json", "remind", "--campaign", "first", "--rate", "20"],
    ));
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let again = summary(&output);
    assert_eq!(
        (again["queued"].as_u64(), again["already_sent"].as_u64()),
        (Some(0), Some(6))
    );
    assert_eq!(outbox(&app).await.len(), 6, "nobody twice");
    std::fs::remove_dir_all(&dir).expect("clean");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn office_commands_add_an_officer_enrol_issue_show_and_revoke_a_letter() {
    let emulator = emulator::start();
    let (secret, table) = (emulator::secret(), emulator::table("admin-office"));
    let app = emulator::app(&emulator.endpoint, &table, &secret).await;
    let run = |args: &[&str]| {
        finish(
            command(&emulator, &secret, &table, args)
                .env("OFFICER_PASSWORD", "counter lamp meadow 2031")
                .env("PUBLIC_URL", "https://keys.example")
                .env("KEYS_ADMIN_OPERATOR", "ops.jansen"),
        )
    };
    let added = run(&[
        "--json",
        "office",
        "officer-add",
        "--id",
        "E.Peeters",
        "--name",
        "Els Peeters",
    ]);
    assert_eq!(added.status.code(), Some(0), "{added:?}");
    let added: serde_json::Value = serde_json::from_slice(&added.stdout).expect("JSON");
    assert_eq!(added["id"], "e.peeters");
    assert_eq!(added["app_secret"].as_str().map(str::len), Some(32));
    let again = run(&[
        "office",
        "officer-add",
        "--id",
        "e.peeters",
        "--name",
        "Els Peeters",
    ]);
    assert_eq!(again.status.code(), Some(1), "an id is taken once");

    let enrolled = run(&[
        "--json",
        "office",
        "enrol",
        "--name",
        "An Peeters",
        "--email",
        "an@example.org",
        "--lang",
        "fr",
        "--nrn",
        "85073003328",
    ]);
    assert_eq!(enrolled.status.code(), Some(0), "{enrolled:?}");
    let enrolled: serde_json::Value = serde_json::from_slice(&enrolled.stdout).expect("JSON");
    let id = enrolled["citizen_id"]
        .as_str()
        .expect("citizen_id")
        .to_string();
    let bad = run(&[
        "office",
        "enrol",
        "--name",
        "Bo",
        "--email",
        "bo@example.org",
        "--lang",
        "nl",
        "--nrn",
        "85073003329",
    ]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("national register number"),
        "{bad:?}"
    );

    let issued = run(&["--json", "office", "issue", &id]);
    assert_eq!(issued.status.code(), Some(0), "{issued:?}");
    let issued: serde_json::Value = serde_json::from_slice(&issued.stdout).expect("JSON");
    let code = issued["activation_code"].as_str().expect("code");
    assert_eq!(code.len(), 19, "{code}");
    assert_eq!(issued["lang"], "fr");
    let letter = run(&["--json", "office", "letter", &id]);
    let letter: serde_json::Value = serde_json::from_slice(&letter.stdout).expect("JSON");
    assert_eq!(
        (letter["state"].as_str(), letter["usable"].as_bool()),
        (Some("issued"), Some(true))
    );
    assert_eq!(letter["issued_by"], "operator:ops.jansen");

    let revoked = run(&["office", "revoke", &id]);
    assert_eq!(revoked.status.code(), Some(0), "{revoked:?}");
    let twice = run(&["office", "revoke", &id]);
    assert_eq!(twice.status.code(), Some(1), "nothing left to revoke");
    let letter = run(&["--json", "office", "letter", &id]);
    let letter: serde_json::Value = serde_json::from_slice(&letter.stdout).expect("JSON");
    assert_eq!(letter["state"], "revoked");

    let events = keys_domain::support::audit_events(&app, &id)
        .await
        .expect("audit");
    let seen: Vec<(&str, &str, Option<&str>)> = events
        .iter()
        .map(|e| (e.event.as_str(), e.outcome.as_str(), e.actor.as_deref()))
        .collect();
    assert_eq!(
        seen,
        [
            ("office.enrol", "enrolled", Some("operator:ops.jansen")),
            ("office.letter", "issued", Some("operator:ops.jansen")),
            ("office.letter", "revoked", Some("operator:ops.jansen")),
        ]
    );
    let none = run(&["office", "officer-role", "e.peeters", "none"]);
    assert_eq!(none.status.code(), Some(0), "{none:?}");
    let officer = keys_domain::office::officers::find(&app, "e.peeters")
        .await
        .expect("read")
        .expect("there");
    assert_eq!(officer.role, None);
}
