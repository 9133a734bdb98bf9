//! Benchmark (not a test): password-login throughput per core over HTTP next to raw argon2id.
//!
//! Raw is argon2id verification with the same parameters; both run on long-lived threads. Run:
//! `cargo bench -p blackbox --bench login_throughput`.

use blackbox::Service;
use std::time::{Duration, Instant};

const ROUNDS: usize = 40;
/// Each figure is the best of this many runs, raw and HTTP taking turns, so that a burst of
/// other work on the machine does not decide the ratio.
const REPEATS: usize = 3;

/// Threads started once that verify on command, so the raw figure is not paid for with a new
/// thread (and a new allocator arena) each run, as the service's password threads are long-lived.
struct RawThreads {
    commands: Vec<std::sync::mpsc::Sender<usize>>,
    done: std::sync::mpsc::Receiver<()>,
}

impl RawThreads {
    fn start(threads: usize) -> RawThreads {
        let phc = keys_core::crypto::hash_password("benchmark password").expect("hash");
        let (done_tx, done) = std::sync::mpsc::channel();
        let commands = (0..threads)
            .map(|_| {
                let (tx, rx) = std::sync::mpsc::channel::<usize>();
                let (phc, done_tx) = (phc.clone(), done_tx.clone());
                std::thread::spawn(move || {
                    for rounds in rx {
                        for _ in 0..rounds {
                            assert!(keys_core::crypto::verify_password(
                                "benchmark password",
                                &phc
                            ));
                        }
                        done_tx.send(()).expect("report");
                    }
                });
                tx
            })
            .collect();
        RawThreads { commands, done }
    }

    fn verify_per_second(&self, threads: usize) -> f64 {
        let start = Instant::now();
        for command in &self.commands[..threads] {
            command.send(ROUNDS).expect("command");
        }
        for _ in 0..threads {
            self.done.recv().expect("done");
        }
        (threads * ROUNDS) as f64 / start.elapsed().as_secs_f64()
    }
}

async fn logins_per_second(
    service: &Service,
    username: &str,
    password: &str,
    clients: usize,
) -> f64 {
    // A fresh minute on the runner's manual clock: the per-IP limit (300 a minute) counts the
    // runs together otherwise.
    service.pass_time(60).await;
    let start = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..clients {
        let browser = blackbox::Browser::new(&service.base, "en", false);
        let (username, password) = (username.to_string(), password.to_string());
        tasks.spawn(async move {
            let csrf = browser.get("/login").await.json["csrf"]
                .as_str()
                .expect("csrf")
                .to_string();
            for _ in 0..ROUNDS {
                let response = browser
                    .client
                    .post(browser.url("/login"))
                    .form(&[
                        ("username", username.as_str()),
                        ("password", &password),
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
    while let Some(done) = tasks.join_next().await {
        done.expect("client");
    }
    (clients * ROUNDS) as f64 / start.elapsed().as_secs_f64()
}

#[tokio::main]
async fn main() {
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let service = Service::start_with(|_| {}).await;
    let citizen = service.new_citizen("en").await;
    // Warm up: the first verification also hashes the dummy password used for unknown usernames.
    logins_per_second(&service, &citizen.username, &citizen.password, 1).await;
    std::thread::sleep(Duration::from_millis(200));

    println!(
        "login_throughput: argon2id m=19456 KiB, t=2, p=1; {ROUNDS} rounds per client, best of {REPEATS}; {cores} cores"
    );
    // Warm up the threads and their allocator arenas too: each verification takes 19 MiB.
    let raw = RawThreads::start(cores);
    raw.verify_per_second(cores);
    let (mut raw_one, mut raw_all, mut http_one, mut http_all) = (0f64, 0f64, 0f64, 0f64);
    for _ in 0..REPEATS {
        raw_one = raw_one.max(raw.verify_per_second(1));
        http_one = http_one
            .max(logins_per_second(&service, &citizen.username, &citizen.password, 1).await);
        raw_all = raw_all.max(raw.verify_per_second(cores));
        http_all = http_all.max(
            logins_per_second(&service, &citizen.username, &citizen.password, cores * 2).await,
        );
    }
    println!("  raw argon2id verify      1 thread : {raw_one:7.1}/s  ({raw_one:.1}/s per core)");
    println!(
        "  raw argon2id verify {cores:>2} threads: {raw_all:7.1}/s  ({:.1}/s per core)",
        raw_all / cores as f64
    );
    println!("  POST /login (password)   1 client : {http_one:7.1}/s  ({http_one:.1}/s per core)");
    println!(
        "  POST /login (password) {:>2} clients: {http_all:7.1}/s  ({:.1}/s per core)",
        cores * 2,
        http_all / cores as f64
    );
    println!(
        "  POST /login per core / raw per core: {:.2} at 1 client, {:.2} at {} clients",
        http_one / raw_one,
        http_all / raw_all,
        cores * 2
    );
    let overhead_ms = (1.0 / http_one - 1.0 / raw_one) * 1000.0;
    if overhead_ms > 0.0 {
        println!("  HTTP overhead per login at 1 client: {overhead_ms:.2} ms");
    } else {
        println!(
            "  HTTP overhead per login at 1 client: below this run's noise ({overhead_ms:.2} ms)"
        );
    }
}
