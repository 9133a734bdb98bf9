//! The independent relying party of the OpenID Connect tests: Authlib (tests/oidc_client.py), one
//! Python process driven a JSON command a line.

use serde_json::Value;
use std::process::Stdio;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};

/// The Python of the suite's venv (tests/venv.sh): `DK_PYTHON`, beside `DK_MOTO_SERVER`, or `.venv`.
pub fn python() -> String {
    if let Ok(python) = std::env::var("DK_PYTHON") {
        return python;
    }
    if let Ok(moto) = std::env::var("DK_MOTO_SERVER") {
        return std::path::Path::new(&moto)
            .with_file_name("python")
            .to_string_lossy()
            .into_owned();
    }
    let venv = concat!(env!("CARGO_MANIFEST_DIR"), "/../.venv/bin/python");
    assert!(
        std::path::Path::new(venv).exists(),
        "THE OPENID CONNECT TEST CANNOT RUN: no Python with Authlib. Run tests/venv.sh (or tests/run.sh)."
    );
    venv.to_string()
}

/// The Authlib relying party, one process per test.
pub struct Rp {
    _child: Child,
    stdin: ChildStdin,
    lines: tokio::io::Lines<BufReader<ChildStdout>>,
}

impl Rp {
    pub async fn start() -> Rp {
        let mut child = Command::new(python())
            .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/oidc_client.py"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("start tests/oidc_client.py");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        Rp {
            _child: child,
            stdin,
            lines: BufReader::new(stdout).lines(),
        }
    }

    /// Sends one command; answers its JSON (which may be `{"error": …}`).
    pub async fn try_call(&mut self, command: Value) -> Value {
        let line = format!("{command}\n");
        self.stdin
            .write_all(line.as_bytes())
            .await
            .expect("write to the relying party");
        let answer = self
            .lines
            .next_line()
            .await
            .expect("read the relying party")
            .expect("the relying party answered");
        serde_json::from_str(&answer).expect("JSON from the relying party")
    }

    /// Sends one command that must succeed.
    pub async fn call(&mut self, command: Value) -> Value {
        let answer = self.try_call(command.clone()).await;
        assert!(
            answer.get("error").is_none(),
            "the relying party failed at {command}: {}\n{}",
            answer["error"],
            answer["trace"].as_str().unwrap_or_default()
        );
        answer
    }
}
