//! Benchmark (not a test): resident memory of password hashing in the local runner and a warm function.
//!
//! Run: `cargo bench -p blackbox --bench password_memory`. Each part runs in a fresh child
//! process (this binary again, with `PASSWORD_MEMORY_PART` set), so one part's heap does not show
//! in the other's figures.

use keys_core::citizens::{self, NewCitizen};
use keys_core::lang::Lang;
use keys_core::testing::test_harness;
use std::net::{IpAddr, Ipv4Addr};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::{Duration, Instant};

const PART: &str = "PASSWORD_MEMORY_PART";
const ENROLMENTS: usize = 10_000;
const ENROL_CONCURRENCY: usize = 64;
const LOGINS: usize = 2_000;
const LOGIN_CLIENTS: usize = 32;
const INVOCATIONS: usize = 50;
/// The machine is shared: a part whose RSS passes this many MiB (default 2048) stops there.
const CEILING: &str = "PASSWORD_MEMORY_CEILING_MIB";
/// A part stopped at the ceiling exits with this code.
const STOPPED: i32 = 3;

static ENROLLED: AtomicUsize = AtomicUsize::new(0);
static LOGGED_IN: AtomicUsize = AtomicUsize::new(0);
static INVOKED: AtomicUsize = AtomicUsize::new(0);

/// VmRSS and VmHWM (peak) of this process, in MiB.
fn memory() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| {
                rest.trim()
                    .trim_end_matches("kB")
                    .trim()
                    .parse::<f64>()
                    .ok()
            })
            .map(|kib| kib / 1024.0)
            .unwrap_or(f64::NAN)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn report(label: &str) {
    let (rss, peak) = memory();
    println!("  {label:<44} RSS {rss:7.1} MiB   peak {peak:7.1} MiB");
}

/// Ends this part (exit code [`STOPPED`]) as soon as its RSS passes the ceiling, saying how far
/// it got: the figures before this change would otherwise take the machine's memory.
fn watch_ceiling(progress: fn() -> String) {
    let ceiling = std::env::var(CEILING)
        .ok()
        .and_then(|mib| mib.parse::<f64>().ok())
        .unwrap_or(2048.0);
    std::thread::spawn(move || {
        loop {
            let (rss, _) = memory();
            if rss > ceiling {
                println!(
                    "  stopped: RSS {rss:.0} MiB passed the {ceiling:.0} MiB ceiling ({CEILING}) after {}",
                    progress()
                );
                std::process::exit(STOPPED);
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    });
}

fn citizen(i: usize) -> NewCitizen {
    NewCitizen {
        username: format!("citizen-{i:05}"),
        name: None,
        password: format!("password of citizen {i}"),
        email: format!("citizen-{i:05}@example.org"),
        lang: Lang::En,
    }
}

/// Part (a): an in-process local runner (every router, the in-memory store) through 10,000
/// enrolments, then a sustained password-login load over HTTP.
async fn runner() {
    let harness = test_harness(|_| {});
    let base = blackbox::listen(local::router(
        harness.app.clone(),
        Some(harness.outbox.clone()),
    ))
    .await;
    println!(
        "local runner: {ENROLMENTS} enrolments ({ENROL_CONCURRENCY} at a time), then {LOGINS} POST /login ({LOGIN_CLIENTS} clients)"
    );
    report("started");
    watch_ceiling(|| {
        format!(
            "{} enrolments and {} logins",
            ENROLLED.load(Relaxed),
            LOGGED_IN.load(Relaxed)
        )
    });

    let start = Instant::now();
    let mut running = tokio::task::JoinSet::new();
    let mut thousand = false;
    for i in 0..ENROLMENTS {
        if running.len() == ENROL_CONCURRENCY {
            running
                .join_next()
                .await
                .expect("an enrolment")
                .expect("enrolment task");
        }
        if !thousand && ENROLLED.load(Relaxed) >= 1_000 {
            report("after 1,000 enrolments");
            thousand = true;
        }
        let app = harness.app.clone();
        running.spawn(async move {
            citizens::enrol(&app, citizen(i)).await.expect("enrol");
            ENROLLED.fetch_add(1, Relaxed);
        });
    }
    while let Some(done) = running.join_next().await {
        done.expect("enrolment task");
    }
    let seconds = start.elapsed().as_secs_f64();
    report(&format!(
        "after {ENROLMENTS} enrolments ({:.1}/s)",
        ENROLMENTS as f64 / seconds
    ));

    // Each client logs in as its own citizen from its own loopback address: the per-IP limit
    // (300 a minute on the manual clock, which stands still) is not what is measured here.
    let start = Instant::now();
    let mut clients = tokio::task::JoinSet::new();
    for c in 0..LOGIN_CLIENTS {
        let rounds = LOGINS / LOGIN_CLIENTS + usize::from(c < LOGINS % LOGIN_CLIENTS);
        let new = citizen(c);
        let source = IpAddr::V4(Ipv4Addr::new(127, 0, 1, c as u8 + 1));
        let client = blackbox::client_builder(&base)
            .local_address(source)
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("HTTP client");
        let base = base.clone();
        clients.spawn(async move {
            let login: serde_json::Value = client
                .get(format!("{base}/login"))
                .header("accept", "application/json")
                .send()
                .await
                .expect("GET /login")
                .json()
                .await
                .expect("login view");
            let csrf = login["csrf"].as_str().expect("csrf").to_string();
            for _ in 0..rounds {
                let response = client
                    .post(format!("{base}/login"))
                    .header("accept", "application/json")
                    .form(&[
                        ("username", new.username.as_str()),
                        ("password", &new.password),
                        ("key", "token"),
                        ("csrf", &csrf),
                    ])
                    .send()
                    .await
                    .expect("POST /login");
                assert_eq!(
                    response.status().as_u16(),
                    303,
                    "a successful password step"
                );
            }
        });
    }
    while let Some(done) = clients.join_next().await {
        done.expect("client");
    }
    let seconds = start.elapsed().as_secs_f64();
    report(&format!(
        "after {LOGINS} password logins ({:.1}/s)",
        LOGINS as f64 / seconds
    ));
}

/// Part (b): what a warm login Lambda does, one invocation at a time on the runtime
/// `#[tokio::main]` gives every function: each invocation checks a password and hashes one.
async fn lambda() {
    let harness = test_harness(|_| {});
    let app = harness.app;
    let first = citizen(0);
    let (known, _) = citizens::enrol(&app, citizen(0)).await.expect("enrol");
    println!("warm function: {INVOCATIONS} invocations, each one password check and one hash");
    // The enrolment above is the cold start's hash; the figures below are the warm invocations.
    report("after start (one hash)");
    watch_ceiling(|| format!("{} invocations", INVOKED.load(Relaxed)));
    for n in 1..=INVOCATIONS {
        assert!(known.password_matches(&first.password).await);
        citizens::enrol(&app, citizen(n)).await.expect("enrol");
        INVOKED.fetch_add(1, Relaxed);
        if n == 1 || n == 5 || n == INVOCATIONS {
            report(&format!(
                "after {n} invocation{}",
                if n == 1 { "" } else { "s" }
            ));
        }
    }
}

fn main() {
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    match std::env::var(PART).as_deref() {
        Ok("runner") => tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .expect("runtime")
            .block_on(runner()),
        Ok("lambda") => tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .expect("runtime")
            .block_on(lambda()),
        _ => {
            println!("password_memory: argon2id m=19456 KiB, t=2, p=1; {cores} cores");
            let me = std::env::current_exe().expect("this benchmark's path");
            for part in ["runner", "lambda"] {
                let status = Command::new(&me)
                    .env(PART, part)
                    .status()
                    .expect("run a part");
                assert!(
                    status.success() || status.code() == Some(STOPPED),
                    "part {part} failed: {status}"
                );
            }
        }
    }
}
