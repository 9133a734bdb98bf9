//! The `local` binary as `cargo run` starts it: it prints how to log in and serves every language.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

#[tokio::test]
async fn cargo_run_serves_the_login_page_and_prints_the_demo_citizen() {
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_local"))
        .env("PORT", port.to_string())
        .env_remove("STORE")
        .env_remove("MAILER")
        .env_remove("TOKEN_SUNSET_AT")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the local runner");
    let stdout = child.stdout.take().expect("stdout");
    let running = Running(child);
    let mut banner = String::new();
    let mut lines = BufReader::new(stdout).lines();
    let started = Instant::now();
    while !banner.contains("more citizens") {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no banner: {banner}"
        );
        match lines.next() {
            Some(Ok(line)) => {
                banner.push_str(&line);
                banner.push('\n');
            }
            _ => panic!("the runner stopped early: {banner}"),
        }
    }
    assert!(
        banner.contains(&format!("http://127.0.0.1:{port}/login")),
        "{banner}"
    );
    assert!(
        banner.contains("username 'demo'") && banner.contains("password 'tulip-harbour-lantern'"),
        "{banner}"
    );
    assert!(
        banner.contains("24: "),
        "the whole card is printed: {banner}"
    );
    assert!(banner.contains("/_local/mailbox"), "{banner}");

    let client = reqwest::Client::new();
    for lang in ["nl", "fr", "de", "en"] {
        let html = client
            .get(format!("http://127.0.0.1:{port}/login?lang={lang}"))
            .send()
            .await
            .expect("GET");
        assert_eq!(html.status().as_u16(), 200);
        assert!(
            html.text()
                .await
                .expect("html")
                .contains(&format!(r#"<html lang="{lang}""#))
        );
        let json: serde_json::Value = client
            .get(format!("http://127.0.0.1:{port}/login?lang={lang}"))
            .header("accept", "application/json")
            .send()
            .await
            .expect("GET")
            .json()
            .await
            .expect("json");
        assert_eq!(
            (json["step"].as_str(), json["lang"].as_str()),
            (Some("login"), Some(lang))
        );
    }
    drop(running);
}

#[test]
fn nonsense_settings_stop_the_runner_with_a_clear_message() {
    let output = Command::new(env!("CARGO_BIN_EXE_local"))
        .env("STORE", "redis")
        .output()
        .expect("run the local runner");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("STORE") && stderr.contains("redis"),
        "{stderr}"
    );
}
