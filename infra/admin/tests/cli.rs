//! The built binary: help everywhere, exit codes (0 ok, 1 rejects or failure, 2 usage), JSON output, and nothing secret in what it prints.

mod common;

use common::{Row, binary, cheap_hash, csv_line, row, scratch, write_csv};
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(binary())
        .args(args)
        .env_remove("MASTER_SECRET")
        .env_remove("MASTER_SECRET_ID")
        .env_remove("AWS_ENDPOINT_URL")
        .output()
        .expect("the binary runs")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn every_command_has_help() {
    for (args, mentions) in [
        (vec!["--help"], "import"),
        (vec!["import", "--help"], "--concurrency"),
        (vec!["citizen", "--help"], "unlock"),
        (vec!["citizen", "show", "--help"], "--by"),
        (vec!["citizen", "unlock", "--help"], "--dry-run"),
        (vec!["audit", "--help"], "ID|USERNAME"),
        (vec!["holders", "--help"], "card_serial"),
        (vec!["mail", "redrive", "--help"], "--older-than"),
        (vec!["--help"], "--operator"),
    ] {
        let output = run(&args);
        assert_eq!(output.status.code(), Some(0), "{args:?}");
        assert!(
            text(&output).contains(mentions),
            "{args:?} mentions {mentions}"
        );
    }
}

#[test]
fn wrong_usage_exits_with_2() {
    for args in [
        vec![],
        vec!["import"],
        vec!["import", "x.csv", "--concurrency", "0"],
        vec!["import", "x.csv", "--format", "xml"],
        vec!["--store", "redis", "audit", "x"],
        vec!["citizen", "forget", "x"],
        vec!["--store", "memory", "import", "citizens.txt"],
    ] {
        let output = run(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {}", text(&output));
    }
}

#[test]
fn dynamodb_needs_the_master_secret() {
    let output = run(&["--table", "t", "citizen", "show", "jan"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output).contains("MASTER_SECRET"), "{}", text(&output));
}

#[test]
fn an_unknown_citizen_exits_with_1() {
    let output = run(&["--store", "memory", "citizen", "show", "nobody"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output).contains("no citizen"));
}

/// What a printed report must never hold for these rows.
fn assert_no_secrets(printed: &str, rows: &[Row]) {
    for row in rows {
        assert!(!printed.contains(&row.email), "an address was printed");
        assert!(!printed.contains(&row.password_hash), "a hash was printed");
        let numbers: Vec<&str> = printed
            .split(|c: char| !c.is_ascii_digit())
            .filter(|run| !run.is_empty())
            .collect();
        for code in &row.codes {
            assert!(!numbers.contains(&code.as_str()), "a card code was printed");
        }
    }
}

#[test]
fn import_reports_as_json_and_exits_by_its_rejects() {
    let dir = scratch("cli");
    let hash = cheap_hash("pw");
    let rows: Vec<Row> = (1..=30).map(|n| row(n, &hash)).collect();
    let good = dir.join("good.csv");
    write_csv(&good, &rows.iter().map(csv_line).collect::<Vec<_>>());
    let good_path = good.to_str().expect("utf-8 path");
    let output = run(&["--store", "memory", "--json", "import", good_path]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let summary: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("one JSON object");
    assert_eq!(summary["new"], 30);
    assert_eq!(summary["rejected"], 0);
    assert_eq!(summary["complete"], true);
    assert_no_secrets(&text(&output), &rows);

    let mut bad_rows = rows.clone();
    bad_rows[3].email = "not an address".into();
    bad_rows[7].codes[0] = "1234567".into();
    let bad = dir.join("bad.jsonl");
    let lines: Vec<String> = bad_rows.iter().map(common::json_line).collect();
    std::fs::write(&bad, lines.join("\n")).expect("write");
    let rejects = dir.join("rejected.csv");
    let output = run(&[
        "--store",
        "memory",
        "import",
        bad.to_str().expect("utf-8 path"),
        "--rejects",
        rejects.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let printed = text(&output);
    assert!(
        printed.contains("28 new") && printed.contains("2 rejected"),
        "{printed}"
    );
    assert_no_secrets(&printed, &bad_rows);
    let listed = common::rejects(&rejects);
    assert_eq!(
        listed.iter().map(|(line, _, _)| *line).collect::<Vec<_>>(),
        [4, 8]
    );
    let rejects_text = std::fs::read_to_string(&rejects).expect("read");
    assert_no_secrets(&rejects_text, &bad_rows);

    // A dry run of the good file on the empty memory store: all would be new, nothing fails.
    let output = run(&[
        "--store",
        "memory",
        "--json",
        "import",
        good_path,
        "--dry-run",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let summary: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(summary["dry_run"], true);
    assert_eq!(summary["new"], 30);
    std::fs::remove_dir_all(&dir).expect("clean");
}

#[test]
fn a_file_without_its_columns_is_refused_whole() {
    let dir = scratch("header");
    let file = dir.join("citizens.csv");
    std::fs::write(&file, "id,username,email\nc1,jan,jan@example.be\n").expect("write");
    let output = run(&["--store", "memory", "import", file.to_str().expect("path")]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output).contains("missing columns password_hash"),
        "{}",
        text(&output)
    );
    std::fs::remove_dir_all(&dir).expect("clean");
}

/// Against an endpoint that accepts connections and never answers, the tool gives up after its
/// operation timeout with a short message saying what failed and what to check (a hang fails the
/// test after a minute).
#[test]
fn an_endpoint_that_never_answers_fails_with_a_clear_message() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let address = listener.local_addr().expect("its address");
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            held.push(stream);
        }
    });
    let mut child = Command::new(binary())
        .args(["--operation-timeout", "2", "citizen", "show", "jan.peeters"])
        .env("AWS_ENDPOINT_URL", format!("http://{address}"))
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env(
            "MASTER_SECRET",
            "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY=",
        )
        .env_remove("MASTER_SECRET_ID")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while child.try_wait().expect("waits").is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("keys-admin still waits for a silent endpoint after a minute");
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let output = child.wait_with_output().expect("its output");
    let said = text(&output);
    assert_eq!(output.status.code(), Some(1), "{said}");
    assert!(said.contains("did not answer in time"), "{said}");
    assert!(
        said.contains("AWS_ENDPOINT_URL"),
        "says what to check: {said}"
    );
    assert!(
        said.len() < 600,
        "one short message, not a debug dump: {said}"
    );
}

#[test]
fn the_mail_redrive_reports_what_it_sent_and_needs_the_sender_on_a_table() {
    let output = run(&["--store", "memory", "mail", "redrive"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert!(
        text(&output).contains("mails sent from the outbox: 0"),
        "{}",
        text(&output)
    );
    let output = Command::new(binary())
        .args(["--store", "dynamodb", "mail", "redrive"])
        .env("MASTER_SECRET_ID", "digital-keys/master-secret")
        .env_remove("MAIL_FROM")
        .output()
        .expect("the binary runs");
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(text(&output).contains("MAIL_FROM"), "{}", text(&output));
}
