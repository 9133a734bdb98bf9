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

/// A public service's own pages on loopback, as JSON for the view-contract client: `/cb` and
/// `/cb2` (authorization responses) and `/bye` (after logout) answer the address they were
/// reached at, so the citizen's client can end there; `POST /backchannel` keeps the logout tokens.
pub struct Pages {
    pub base: String,
    logouts: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Pages {
    pub async fn start() -> Pages {
        use axum::http::Uri;
        use axum::routing::{get, post};
        use serde_json::json;
        let base = std::sync::Arc::new(std::sync::OnceLock::<String>::new());
        let answer = |step: &'static str, base: std::sync::Arc<std::sync::OnceLock<String>>| {
            move |uri: Uri| {
                let base = base.clone();
                async move {
                    let url = format!("{}{uri}", base.get().cloned().unwrap_or_default());
                    axum::Json(json!({ "step": step, "url": url }))
                }
            }
        };
        let logouts = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let received = logouts.clone();
        let router = axum::Router::new()
            .route("/cb", get(answer("rp.callback", base.clone())))
            .route("/cb2", get(answer("rp.callback", base.clone())))
            .route("/bye", get(answer("rp.logged_out", base.clone())))
            .route(
                "/backchannel",
                post(move |body: String| {
                    let received = received.clone();
                    async move {
                        let token = url::form_urlencoded::parse(body.as_bytes())
                            .find(|(name, _)| name == "logout_token")
                            .map(|(_, token)| token.into_owned());
                        match (token, received.lock()) {
                            (Some(token), Ok(mut list)) => {
                                list.push(token);
                                axum::http::StatusCode::OK
                            }
                            _ => axum::http::StatusCode::BAD_REQUEST,
                        }
                    }
                }),
            );
        let address = crate::listen(router).await;
        let _ = base.set(address.clone());
        Pages {
            base: address,
            logouts,
        }
    }

    /// Waits up to `seconds` for the `n`th logout token (1-based) posted to `/backchannel`.
    pub async fn logout_token(&self, n: usize, seconds: u64) -> String {
        let started = std::time::Instant::now();
        loop {
            if let Some(token) = self.logouts.lock().ok().and_then(|l| l.get(n - 1).cloned()) {
                return token;
            }
            assert!(
                started.elapsed() < std::time::Duration::from_secs(seconds),
                "no logout token #{n} at {}/backchannel within {seconds} s",
                self.base
            );
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
    }
}
