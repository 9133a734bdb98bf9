//! Cold start of every function: starts its `bootstrap` (as infra/build.sh wrote it under
//! target/lambda/) against a stand-in Lambda Runtime API and prints, per function, the init time
//! (exec to the first `next`), the first response time (event handed over to response posted),
//! the peak RSS, and the sizes of the binary and of the zip AWS receives. Figures, no assertions.
//!
//!     infra/build.sh host && cargo bench -p blackbox --bench cold_start
//!
//! The functions start with the DynamoDB, SES and Secrets Manager clients built (STORE=dynamodb,
//! MAILER=ses) but with MASTER_SECRET given, so no network call is timed: on AWS the Secrets Manager
//! read adds one round trip to the init time. Each first request is a GET of the function's first
//! route (`login`: the login page; mail-dispatch: an empty stream batch); none of them reaches
//! the table. A password check adds argon2id's 19 MiB block to `login`'s peak.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue};
use axum::routing::{get, post};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Notify;

/// What the stand-in Runtime API saw of one function's start.
#[derive(Default)]
struct Seen {
    first_next: Option<Instant>,
    response: Option<(Instant, String)>,
    handed_over: bool,
}

#[derive(Clone)]
struct Runtime {
    event: Arc<String>,
    seen: Arc<Mutex<Seen>>,
    responded: Arc<Notify>,
}

async fn next(State(runtime): State<Runtime>) -> (HeaderMap, String) {
    let first = {
        let mut seen = runtime.seen.lock().unwrap_or_else(|e| e.into_inner());
        if seen.first_next.is_none() {
            seen.first_next = Some(Instant::now());
        }
        let first = !seen.handed_over;
        seen.handed_over = true;
        first
    };
    if !first {
        // One invocation per cold start; the process is killed while it waits for the next.
        std::future::pending::<()>().await;
    }
    let mut headers = HeaderMap::new();
    let deadline = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() + 10_000)
        .unwrap_or_default();
    headers.insert(
        "lambda-runtime-aws-request-id",
        HeaderValue::from_static("cold-start-1"),
    );
    headers.insert(
        "lambda-runtime-deadline-ms",
        HeaderValue::from_str(&deadline.to_string()).expect("deadline header"),
    );
    headers.insert(
        "lambda-runtime-invoked-function-arn",
        HeaderValue::from_static("arn:aws:lambda:us-east-1:123456789012:function:bench"),
    );
    headers.insert(
        "lambda-runtime-trace-id",
        HeaderValue::from_static("Root=1-00000000-000000000000000000000000"),
    );
    (headers, runtime.event.as_str().to_string())
}

async fn response(
    State(runtime): State<Runtime>,
    Path((_, outcome)): Path<(String, String)>,
    body: String,
) -> &'static str {
    let mut seen = runtime.seen.lock().unwrap_or_else(|e| e.into_inner());
    seen.response = Some((Instant::now(), format!("{outcome}: {body}")));
    runtime.responded.notify_one();
    "{}"
}

/// An API Gateway REST API proxy event for `GET path` on stage `prod`, as the gateway sends it
/// (the stage only in the request context's path).
fn rest_event(path: &str) -> String {
    serde_json::json!({
        "resource": path, "path": path, "httpMethod": "GET",
        "headers": { "Accept": "text/html", "Host": "bench.execute-api.us-east-1.amazonaws.com" },
        "multiValueHeaders": { "Accept": ["text/html"], "Host": ["bench.execute-api.us-east-1.amazonaws.com"] },
        "queryStringParameters": null, "multiValueQueryStringParameters": null,
        "pathParameters": null, "stageVariables": null, "body": null, "isBase64Encoded": false,
        "requestContext": {
            "accountId": "123456789012", "apiId": "bench", "resourceId": "r", "stage": "prod",
            "requestId": "cold-start-1", "httpMethod": "GET", "path": format!("/prod{path}"),
            "resourcePath": path, "protocol": "HTTP/1.1", "requestTimeEpoch": 0,
            "identity": { "sourceIp": "192.0.2.1", "userAgent": "cold-start-bench" }
        }
    })
    .to_string()
}

/// Peak resident set of a process, from /proc (VmHWM), in KiB.
fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

struct Figures {
    init: Duration,
    first_response: Duration,
    peak_rss_kib: u64,
    answer: String,
}

async fn cold_start(binary: &std::path::Path, event: String) -> Figures {
    let runtime = Runtime {
        event: Arc::new(event),
        seen: Arc::default(),
        responded: Arc::new(Notify::new()),
    };
    let router = Router::new()
        .route("/2018-06-01/runtime/invocation/next", get(next))
        .route(
            "/2018-06-01/runtime/invocation/{id}/{outcome}",
            post(response),
        )
        .with_state(runtime.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    let server = tokio::spawn(async move { axum::serve(listener, router).await });

    let started = Instant::now();
    let mut child = tokio::process::Command::new(binary)
        .env_clear()
        .env("AWS_LAMBDA_RUNTIME_API", address.to_string())
        .env("AWS_LAMBDA_FUNCTION_NAME", "bench")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .env("AWS_LAMBDA_LOG_STREAM_NAME", "bench")
        .env("AWS_LAMBDA_LOG_GROUP_NAME", "bench")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ACCESS_KEY_ID", "bench")
        .env("AWS_SECRET_ACCESS_KEY", "bench")
        .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("STORE", "dynamodb")
        .env("MAILER", "ses")
        .env("TABLE_NAME", "bench")
        .env("MAIL_FROM", "no-reply@bench.example")
        .env("TOKEN_SUNSET_AT", "2027-03-01T00:00:00Z")
        .env("HELP_DESK_CONTACT", "02 000 00 00")
        // The OpenID Connect functions build their KMS client at start; no first request signs.
        .env("OIDC_SIGNING_KEY_IDS", "bench-signing-key")
        .env("OIDC_ISSUER", "https://bench.example/prod")
        .env(
            "MASTER_SECRET",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        )
        .env("BASE_PATH", "/prod")
        .env("AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH", "true")
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap_or_else(|e| panic!("start {}: {e}", binary.display()));
    let pid = child.id().expect("pid");
    let waited = tokio::time::timeout(Duration::from_secs(20), runtime.responded.notified()).await;
    let rss = peak_rss_kib(pid).unwrap_or_default();
    let _ = child.start_kill();
    let output = child.wait_with_output().await.ok();
    server.abort();
    if waited.is_err() {
        let stderr = output
            .map(|o| String::from_utf8_lossy(&o.stderr).into_owned())
            .unwrap_or_default();
        panic!(
            "{} gave no response within 20 s: {stderr}",
            binary.display()
        );
    }
    let seen = runtime.seen.lock().unwrap_or_else(|e| e.into_inner());
    let first_next = seen.first_next.expect("asked for an event");
    let (responded, body) = seen.response.clone().expect("a response");
    // What the function answered: the HTTP status, or the stream batch's answer.
    let answer = serde_json::from_str::<serde_json::Value>(
        body.split_once(": ").map_or("", |(_, json)| json),
    )
    .ok()
    .and_then(|json| {
        json.get("statusCode")
            .map(|status| format!("HTTP {status}"))
    })
    .unwrap_or(body);
    Figures {
        init: first_next - started,
        first_response: responded - first_next,
        peak_rss_kib: rss,
        answer,
    }
}

#[tokio::main]
async fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let functions: Vec<(&str, String)> = local::functions()
        .into_iter()
        .map(|(name, router)| {
            // The login page for `login` (a whole page: template, translations); elsewhere the
            // first GET route, which without a session answers a redirect.
            let gets: Vec<&str> = router
                .routes()
                .into_iter()
                .filter(|r| r.method() == keys_core::routes::Method::Get)
                .map(|r| r.path())
                .collect();
            let first = if gets.contains(&"/login") {
                "/login"
            } else {
                gets.first().copied().unwrap_or("/")
            };
            (name, rest_event(first))
        })
        .chain([("mail-dispatch", r#"{"Records": []}"#.to_string())])
        .collect();
    println!(
        "cold start of each function's bootstrap (target/lambda/<function>/bootstrap), {} cores",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!(
        "{:<16} {:>9} {:>14} {:>12} {:>12} {:>10}  first answer",
        "function", "init ms", "1st resp ms", "peak RSS MB", "binary MB", "zip MB"
    );
    let mut worst_init = Duration::ZERO;
    for (name, event) in functions {
        let binary = root.join("target/lambda").join(name).join("bootstrap");
        assert!(
            binary.exists(),
            "{} is missing: run infra/build.sh host first",
            binary.display()
        );
        // The first start warms the page cache, as a Lambda's code is local before init; then 5.
        cold_start(&binary, event.clone()).await;
        let mut runs = Vec::new();
        for _ in 0..5 {
            runs.push(cold_start(&binary, event.clone()).await);
        }
        runs.sort_by_key(|f| f.init);
        let median = &runs[runs.len() / 2];
        let peak = runs
            .iter()
            .map(|f| f.peak_rss_kib)
            .max()
            .unwrap_or_default();
        worst_init = worst_init.max(median.init);
        let size = |path: std::path::PathBuf| {
            std::fs::metadata(path).map_or(0.0, |m| m.len() as f64 / 1_048_576.0)
        };
        let answer: String = median.answer.chars().take(60).collect();
        println!(
            "{:<16} {:>9.1} {:>14.1} {:>12.1} {:>12.2} {:>10.2}  {}",
            name,
            median.init.as_secs_f64() * 1000.0,
            median.first_response.as_secs_f64() * 1000.0,
            peak as f64 / 1024.0,
            size(binary.clone()),
            size(root.join("target/lambda").join(format!("{name}.zip"))),
            answer.replace('\n', " ")
        );
    }
    println!(
        "median of 5 starts each; slowest init {:.1} ms",
        worst_init.as_secs_f64() * 1000.0
    );
}
