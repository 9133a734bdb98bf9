//! Import throughput and memory: N generated citizens (random card codes, one precomputed argon2id hash for all) imported through `keys_admin::import::run`, printing rows/s and peak RSS.
//!
//! `cargo bench -p keys-admin --bench import [-- --rows 100000 --concurrency 16]` runs it twice
//! in one process: on a store that keeps nothing (the importer's own cost and memory: reading,
//! checking, keyed-hashing the 24 codes, the lanes) and on the in-memory store (which holds every
//! citizen, so its memory grows with the rows). Peak RSS is VmHWM from /proc/self/status, reset
//! before each run through /proc/self/clear_refs. With `AWS_ENDPOINT_URL` and `--table NAME` it
//! also imports `--dynamodb-rows` citizens into that table (created if missing) on the emulator.

use clap::Parser;
use keys_admin::import::{self, ImportOptions};
use keys_domain::App;
use keys_domain::store::{Condition, Item, Store, StoreError, Write};
use rand::Rng;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

#[derive(Debug, Parser)]
struct Args {
    /// Citizens to generate and import.
    #[arg(long, default_value_t = 100_000)]
    rows: usize,
    /// Rows written at the same time.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// A DynamoDB table on the emulator at AWS_ENDPOINT_URL to import into as well.
    #[arg(long)]
    table: Option<String>,
    /// Citizens to import into DynamoDB (moto slows down and grows with every transaction).
    #[arg(long, default_value_t = 300)]
    dynamodb_rows: usize,
    /// cargo bench passes --bench to every harness-less benchmark.
    #[arg(long, hide = true)]
    bench: bool,
}

/// A store that keeps nothing: every write succeeds, every read finds nothing.
struct NullStore;

#[async_trait::async_trait]
impl Store for NullStore {
    async fn get(&self, _: &str, _: &str) -> Result<Option<Item>, StoreError> {
        Ok(None)
    }
    async fn query(&self, _: &str, _: &str) -> Result<Vec<Item>, StoreError> {
        Ok(Vec::new())
    }
    async fn put(&self, _: Item, _: Option<Condition>) -> Result<(), StoreError> {
        Ok(())
    }
    async fn delete(&self, _: &str, _: &str, _: Option<Condition>) -> Result<(), StoreError> {
        Ok(())
    }
    async fn transact(&self, _: Vec<Write>) -> Result<(), StoreError> {
        Ok(())
    }
    async fn update(
        &self,
        pk: &str,
        sk: &str,
        change: keys_domain::store::Change,
        _: Option<Condition>,
    ) -> Result<keys_domain::store::Updated, StoreError> {
        Ok(keys_domain::store::Updated::Changed(
            change.applied_to(None, pk, sk),
        ))
    }
    async fn increment(&self, _: &str, _: &str, _: &str, _: i64) -> Result<i64, StoreError> {
        Ok(1)
    }
}

/// A field of /proc/self/status, in kB.
fn status_kb(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Resets VmHWM to the current RSS (Linux 4.0 and later).
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// Writes `rows` citizens as CSV: random card codes, the same password hash for all.
fn generate(path: &Path, rows: usize, password_hash: &str) -> std::io::Result<u64> {
    let file = std::fs::File::create(path)?;
    let mut writer = csv::Writer::from_writer(std::io::BufWriter::new(file));
    let mut header = vec![
        "id".to_string(),
        "username".into(),
        "password_hash".into(),
        "email".into(),
        "lang".into(),
        "card_serial".into(),
    ];
    header.extend((1..=24).map(|n| format!("code{n}")));
    writer.write_record(&header)?;
    let mut rng = rand::thread_rng();
    for n in 0..rows {
        let mut record = vec![
            format!("c{n:08}"),
            format!("citizen.{n}"),
            password_hash.to_string(),
            format!("citizen.{n}@example.be"),
            ["nl", "fr", "de", "en"][n % 4].to_string(),
            format!("TK-{n:08}"),
        ];
        record.extend((0..24).map(|_| format!("{:06}", rng.gen_range(0..1_000_000))));
        writer.write_record(&record)?;
    }
    writer.flush()?;
    Ok(std::fs::metadata(path)?.len())
}

struct Figures {
    rows: u64,
    new: u64,
    seconds: f64,
    peak_kb: Option<u64>,
}

async fn measure(app: &App, file: &Path, concurrency: usize) -> Figures {
    let peak_reset = reset_peak();
    let mut options = ImportOptions::new(file);
    options.concurrency = concurrency;
    options.restart = true;
    let started = Instant::now();
    let summary = match import::run(app, &options, Arc::new(AtomicBool::new(false))).await {
        Ok(summary) => summary,
        Err(err) => panic!("the import failed: {err}"),
    };
    let seconds = started.elapsed().as_secs_f64();
    assert!(summary.clean(), "{summary:?}");
    Figures {
        rows: summary.rows,
        new: summary.new,
        seconds,
        peak_kb: if peak_reset {
            status_kb("VmHWM:")
        } else {
            None
        },
    }
}

fn row(store: &str, figures: &Figures) {
    println!(
        "| {store} | {} | {} | {:.2} | {:.0} | {} |",
        figures.rows,
        figures.new,
        figures.seconds,
        figures.rows as f64 / figures.seconds,
        figures
            .peak_kb
            .map(|kb| format!("{:.1}", kb as f64 / 1024.0))
            .unwrap_or_else(|| "n/a".into())
    );
}

async fn dynamodb_app(table: &str) -> App {
    use keys_domain::clock::{Clock, SystemClock};
    use keys_domain::config::{Runner, Settings};
    use rand::RngCore;
    let mut secret = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut secret);
    let secret = {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode(secret)
    };
    let aws = keys_aws::sdk::from_env().await;
    let client = aws_sdk_dynamodb::Client::new(&aws);
    if let Err(err) = keys_aws::dynamodb::create_table_if_missing(&client, table).await {
        panic!("cannot create table {table}: {err}");
    }
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let lookup = |name: &str| match name {
        "STORE" => Some("dynamodb".to_string()),
        "MAILER" => Some("outbox".to_string()),
        "TABLE_NAME" => Some(table.to_string()),
        "MASTER_SECRET" => Some(secret.clone()),
        _ => None,
    };
    let settings = match Settings::from_lookup(lookup, Runner::Local, clock.now()) {
        Ok(settings) => settings,
        Err(err) => panic!("settings: {err}"),
    };
    let wiring = match keys_aws::wiring::Wiring::from_lookup(lookup, Runner::Local) {
        Ok(wiring) => wiring,
        Err(err) => panic!("wiring: {err}"),
    };
    match keys_aws::wiring::wire_with(settings, wiring, clock, Runner::Local, Some(aws)).await {
        Ok(wired) => wired.app,
        Err(err) => panic!("wiring: {err}"),
    }
}

/// On the imported citizens: the progress read from the counters, then a reminder campaign's
/// dry run and real run without a rate limit (mails queued in the outbox, as the tool does).
async fn follow_and_remind(app: &App, concurrency: usize) {
    use keys_admin::remind::{self, RemindOptions};
    let started = Instant::now();
    let report = match keys_admin::progress::read(app).await {
        Ok(report) => report,
        Err(err) => panic!("progress: {err}"),
    };
    println!();
    println!(
        "progress: {} token holders, read from the day counters in {:.1} ms",
        report.forecast.token_holders,
        started.elapsed().as_secs_f64() * 1000.0
    );
    let queuing = App {
        deliver_in_process: false,
        ..app.clone()
    };
    let mut options = RemindOptions {
        campaign: match keys_domain::reminders::Campaign::parse("bench") {
            Ok(campaign) => campaign,
            Err(why) => panic!("{why}"),
        },
        per_second: 1e9,
        dry_run: true,
        concurrency,
        progress: false,
    };
    println!("| remind | holders | queued | seconds | holders/s | peak RSS MB (VmHWM) |");
    println!("| --- | --- | --- | --- | --- | --- |");
    for dry_run in [true, false] {
        options.dry_run = dry_run;
        let peak_reset = reset_peak();
        let started = Instant::now();
        let summary = match remind::run(&queuing, &options, Arc::new(AtomicBool::new(false))).await
        {
            Ok(summary) => summary,
            Err(err) => panic!("remind: {err}"),
        };
        let seconds = started.elapsed().as_secs_f64();
        assert!(summary.clean(), "{summary:?}");
        println!(
            "| {} | {} | {} | {seconds:.2} | {:.0} | {} |",
            if dry_run {
                "dry run"
            } else {
                "queue the mails"
            },
            summary.holders,
            summary.queued,
            summary.holders as f64 / seconds,
            if peak_reset {
                status_kb("VmHWM:")
                    .map(|kb| format!("{:.1}", kb as f64 / 1024.0))
                    .unwrap_or_else(|| "n/a".into())
            } else {
                "n/a".into()
            }
        );
    }
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let dir: PathBuf =
        std::env::temp_dir().join(format!("keys-admin-bench-{}", std::process::id()));
    if let Err(err) = std::fs::create_dir_all(&dir) {
        panic!("cannot create {}: {err}", dir.display());
    }
    let password_hash = match keys_domain::crypto::hash_password("one password for every row") {
        Ok(hash) => hash,
        Err(err) => panic!("hash: {err}"),
    };
    let file = dir.join("citizens.csv");
    let generated = Instant::now();
    let bytes = match generate(&file, args.rows, &password_hash) {
        Ok(bytes) => bytes,
        Err(err) => panic!("cannot write {}: {err}", file.display()),
    };
    println!(
        "keys-admin import benchmark: {} rows, {:.1} MB of CSV (generated in {:.1} s), concurrency {}, {} CPUs",
        args.rows,
        bytes as f64 / 1e6,
        generated.elapsed().as_secs_f64(),
        args.concurrency,
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!();
    println!("| store | rows | new | seconds | rows/s | peak RSS MB (VmHWM) |");
    println!("| --- | --- | --- | --- | --- | --- |");
    let _ = std::io::stdout().flush();

    let harness = keys_domain::harness::test_harness(|_| {});
    let null = App {
        store: Arc::new(NullStore),
        ..harness.app.clone()
    };
    row(
        "nothing kept",
        &measure(&null, &file, args.concurrency).await,
    );
    row(
        "memory",
        &measure(&harness.app, &file, args.concurrency).await,
    );
    follow_and_remind(&harness.app, args.concurrency).await;
    // Last: listing the items copies them all.
    println!(
        "(the memory store holds {} items at the end)",
        harness.store.raw_items().len()
    );

    match (std::env::var("AWS_ENDPOINT_URL"), args.table.as_deref()) {
        (Ok(endpoint), Some(table)) => {
            let small = dir.join("citizens-dynamodb.csv");
            if let Err(err) = generate(&small, args.dynamodb_rows, &password_hash) {
                panic!("cannot write {}: {err}", small.display());
            }
            let app = dynamodb_app(table).await;
            println!();
            println!("DynamoDB at {endpoint}, table {table}:");
            row("dynamodb", &measure(&app, &small, args.concurrency).await);
        }
        (Ok(_), None) => {
            println!("(AWS_ENDPOINT_URL is set: pass --table NAME to import into DynamoDB too)")
        }
        _ => {}
    }
    let _ = std::fs::remove_dir_all(&dir);
}
