//! `keys-admin import`: citizens with their token cards and legacy password hashes, from a CSV or JSON-lines file, streamed, concurrent, idempotent and resumable.
//!
//! How it runs:
//! - one thread reads the file lazily, line by line ([`source`]), and checks each row
//!   ([`validate`]); a bad row goes to the rejects file with its line number and reason;
//! - good rows go to `concurrency` lanes chosen by the username's look-alike form, each with a
//!   short bounded queue, so the memory in use does not grow with the file and two rows with one
//!   username, or look-alike ones, are written in file order (the later one is refused);
//! - each lane writes a row through `citizens::enrol_prepared` (one transaction per citizen, so a
//!   citizen is never half-written), retrying with back-off while the store is unavailable
//!   ([`write`]); a row already there is counted as such, which makes a rerun change nothing;
//! - the checkpoint next to the input ([`checkpoint`]) records the last line up to which every
//!   row is done, every second and at the end; a stop request (Ctrl-C) ends the reading, lets
//!   the rows being written finish (rows still queued are left for the rerun) and writes it; a
//!   rerun goes on after it.

pub mod checkpoint;
pub mod source;
pub mod validate;
pub mod write;

use checkpoint::{Checkpoint, Fingerprint};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use keys_domain::App;
use serde::Serialize;
use source::{CsvHeader, Format, Line, Lines};
use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::io::{BufReader, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
pub use write::RetryPolicy;
use write::RowOutcome;

/// What to import and how.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub file: PathBuf,
    /// The format; from the file's extension when `None`.
    pub format: Option<Format>,
    /// Where rejected rows are listed; `FILE.rejects.csv` when `None`.
    pub rejects: Option<PathBuf>,
    /// Rows written at the same time.
    pub concurrency: usize,
    /// Check every row (against the table too) and write nothing but the rejects file.
    pub dry_run: bool,
    /// Ignore a checkpoint and read the file from the top.
    pub restart: bool,
    pub retry: RetryPolicy,
    /// Show a progress bar on standard error.
    pub progress: bool,
    /// How often the checkpoint is written while the import runs.
    pub checkpoint_every: Duration,
    /// At most this many rows handed to the writers per second (`None`: as fast as the table
    /// takes them), so an import during opening hours leaves the live service its capacity.
    pub rows_per_second: Option<u32>,
}

impl ImportOptions {
    /// The defaults for `file`: format by extension, 16 rows at a time, no progress bar.
    pub fn new(file: impl Into<PathBuf>) -> Self {
        Self {
            file: file.into(),
            format: None,
            rejects: None,
            concurrency: 16,
            dry_run: false,
            restart: false,
            retry: RetryPolicy::default(),
            progress: false,
            checkpoint_every: Duration::from_secs(1),
            rows_per_second: None,
        }
    }
}

/// What an import did. Counts are of this run (after the checkpoint when it resumed).
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub file: String,
    pub format: &'static str,
    pub dry_run: bool,
    /// The run went on after this line of an earlier, interrupted run.
    pub resumed_after_line: Option<u64>,
    /// Data rows read (blank lines and the CSV header not counted).
    pub rows: u64,
    /// Citizens written (a dry run: that would be written).
    pub new: u64,
    /// Citizens that were there already with the same id and username: unchanged.
    pub already_there: u64,
    pub rejected: u64,
    /// The rejects file, when a row was rejected.
    pub rejects_file: Option<String>,
    /// Valid rows by password hash format (legacy ones are rehashed at the next login).
    pub password_hashes: BTreeMap<&'static str, u64>,
    /// Every row of the file is done.
    pub complete: bool,
    /// A stop was requested (Ctrl-C) before the end.
    pub interrupted: bool,
    /// The store stayed unavailable: the import stopped, the checkpoint is before the row.
    pub store_failure: Option<String>,
    /// Every row up to this line is done (what the checkpoint holds when not complete).
    pub done_through_line: u64,
    pub checkpoint_file: Option<String>,
    pub elapsed_seconds: f64,
    pub rows_per_second: f64,
    /// Things the operator should know (a checkpoint ignored, ...).
    pub notes: Vec<String>,
}

impl Summary {
    /// Whether the run calls for exit code 0: complete, nothing rejected.
    pub fn clean(&self) -> bool {
        self.complete && self.rejected == 0 && self.store_failure.is_none()
    }

    /// The summary for a person.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let verb = if self.dry_run {
            "would import"
        } else {
            "imported"
        };
        if let Some(line) = self.resumed_after_line {
            out.push_str(&format!(
                "resumed after line {line} (checkpoint of an earlier run)\n"
            ));
        }
        out.push_str(&format!(
            "{}: {} rows read; {verb} {} new, {} already there, {} rejected ({:.0} rows/s)\n",
            self.file, self.rows, self.new, self.already_there, self.rejected, self.rows_per_second
        ));
        if !self.password_hashes.is_empty() {
            let formats: Vec<String> = self
                .password_hashes
                .iter()
                .map(|(name, count)| format!("{name} {count}"))
                .collect();
            out.push_str(&format!("password hashes: {}\n", formats.join(", ")));
        }
        if let Some(rejects) = &self.rejects_file {
            out.push_str(&format!("rejected rows, with line and reason: {rejects}\n"));
        }
        for note in &self.notes {
            out.push_str(&format!("note: {note}\n"));
        }
        if let Some(failure) = &self.store_failure {
            out.push_str(&format!("stopped: {failure}\n"));
        }
        if !self.complete {
            out.push_str(&format!(
                "not finished: every row up to line {} is done; run the same command again to go on{}\n",
                self.done_through_line,
                self.checkpoint_file
                    .as_ref()
                    .map(|c| format!(" (checkpoint {c})"))
                    .unwrap_or_default()
            ));
        }
        out
    }
}

/// Why an import could not run at all (nothing about a single row).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot tell the format of {0}: name it .csv or .jsonl, or pass --format")]
    UnknownFormat(String),
    #[error("{what} {path}: {source}")]
    Io {
        what: &'static str,
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {reason}")]
    Header { path: String, reason: String },
    #[error("the reading thread failed: {0}")]
    Reader(String),
}

fn io_error<'a>(
    what: &'static str,
    path: &'a Path,
) -> impl FnOnce(std::io::Error) -> ImportError + 'a {
    move |source| ImportError::Io {
        what,
        path: path.display().to_string(),
        source,
    }
}

/// Removes a file; none there is fine.
fn remove_if_present(path: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(path) {
        Err(err) if err.kind() != std::io::ErrorKind::NotFound => Err(err),
        _ => Ok(()),
    }
}

/// Keeps only the rejects of lines up to `line` in the rejects file (if there is one).
fn keep_rejects_through(path: &Path, line: u64) -> std::io::Result<()> {
    let mut reader = match csv::Reader::from_path(path) {
        Ok(reader) => reader,
        Err(err) => {
            return match err.into_kind() {
                csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::NotFound => Ok(()),
                csv::ErrorKind::Io(io) => Err(io),
                other => Err(std::io::Error::other(format!("{other:?}"))),
            };
        }
    };
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".tmp");
    let temporary = PathBuf::from(temporary);
    let mut writer = csv::Writer::from_path(&temporary).map_err(std::io::Error::other)?;
    writer
        .write_record(["line", "id", "reason"])
        .map_err(std::io::Error::other)?;
    for record in reader.records() {
        let record = record.map_err(std::io::Error::other)?;
        let number: u64 = record
            .get(0)
            .and_then(|n| n.parse().ok())
            .unwrap_or(u64::MAX);
        if number <= line {
            writer
                .write_record(&record)
                .map_err(std::io::Error::other)?;
        }
    }
    writer.flush()?;
    drop(writer);
    std::fs::rename(&temporary, path)
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A row on its way to a lane.
struct Job {
    line: u64,
    citizen: keys_domain::citizens::PreparedCitizen,
}

/// What the reading thread hands on, in file order.
enum Event {
    Row {
        line: u64,
        start: u64,
        end: u64,
        valid: Box<validate::Valid>,
    },
    Reject {
        line: u64,
        end: u64,
        id: Option<String>,
        reason: String,
    },
    Blank {
        line: u64,
        end: u64,
    },
}

/// Hands out turns at a steady rate: the n-th turn comes n / rate seconds after the first.
struct Pace {
    started: tokio::time::Instant,
    every: Duration,
    turns: u32,
}

impl Pace {
    fn new(rows_per_second: u32) -> Self {
        Self {
            started: tokio::time::Instant::now(),
            every: Duration::from_secs(1) / rows_per_second.max(1),
            turns: 0,
        }
    }

    async fn wait_for_turn(&mut self) {
        tokio::time::sleep_until(self.started + self.every * self.turns).await;
        self.turns = self.turns.saturating_add(1);
    }
}

/// Which lines are done: everything read, less the rows still in a lane.
struct Tracker {
    /// Rows handed to a lane and not finished: line → its start offset.
    pending: BTreeMap<u64, u64>,
    read_line: u64,
    read_end: u64,
}

impl Tracker {
    /// The last line up to which everything is done, and the offset after it.
    fn watermark(&self) -> (u64, u64) {
        match self.pending.first_key_value() {
            Some((&line, &start)) => (line - 1, start),
            None => (self.read_line, self.read_end),
        }
    }
}

/// The rejects file, opened at the first reject.
struct Rejects {
    path: PathBuf,
    append: bool,
    writer: Option<csv::Writer<std::fs::File>>,
    failed: Option<String>,
}

impl Rejects {
    fn write(&mut self, line: u64, id: Option<&str>, reason: &str) {
        if self.writer.is_none() && self.failed.is_none() {
            let opened = std::fs::OpenOptions::new()
                .create(true)
                .append(self.append)
                .write(true)
                .truncate(!self.append)
                .open(&self.path);
            match opened {
                Ok(file) => {
                    let empty = file.metadata().map(|m| m.len() == 0).unwrap_or(true);
                    let mut writer = csv::Writer::from_writer(file);
                    if empty && let Err(err) = writer.write_record(["line", "id", "reason"]) {
                        self.failed = Some(err.to_string());
                    }
                    self.writer = Some(writer);
                }
                Err(err) => self.failed = Some(err.to_string()),
            }
        }
        if let Some(writer) = self.writer.as_mut()
            && let Err(err) =
                writer.write_record([line.to_string().as_str(), id.unwrap_or_default(), reason])
        {
            self.failed = Some(err.to_string());
        }
    }

    fn flush(&mut self) {
        if let Some(writer) = self.writer.as_mut()
            && let Err(err) = writer.flush()
        {
            self.failed = Some(err.to_string());
        }
    }
}

/// What the reading thread, the lanes and the loop share.
struct Shared {
    tracker: Mutex<Tracker>,
    rejects: Mutex<Rejects>,
    rows: AtomicU64,
    new: AtomicU64,
    already_there: AtomicU64,
    rejected: AtomicU64,
    /// The store stayed unavailable: stop, and leave the rows still queued undone.
    halted: AtomicBool,
    store_failure: Mutex<Option<String>>,
}

impl Shared {
    fn reject(&self, line: u64, id: Option<&str>, reason: &str) {
        self.rejected.fetch_add(1, Ordering::Relaxed);
        lock(&self.rejects).write(line, id, reason);
    }
}

/// A lane: writes (or checks) its rows one after the other.
async fn lane(
    app: App,
    shared: Arc<Shared>,
    mut jobs: mpsc::Receiver<Job>,
    stop: Arc<AtomicBool>,
    dry_run: bool,
    retry: RetryPolicy,
) {
    while let Some(job) = jobs.recv().await {
        // After a stop request or a store failure, rows still queued are left undone (the
        // checkpoint stays before them); only the row being written finishes.
        if shared.halted.load(Ordering::SeqCst) || stop.load(Ordering::SeqCst) {
            continue;
        }
        let outcome = if dry_run {
            write::check(&app, &job.citizen, &retry).await
        } else {
            write::enrol(&app, &job.citizen, &retry).await
        };
        match outcome {
            RowOutcome::New => {
                shared.new.fetch_add(1, Ordering::Relaxed);
            }
            RowOutcome::AlreadyThere => {
                shared.already_there.fetch_add(1, Ordering::Relaxed);
            }
            RowOutcome::Rejected(reason) => shared.reject(job.line, Some(&job.citizen.id), &reason),
            RowOutcome::StoreDown(reason) => {
                shared.halted.store(true, Ordering::SeqCst);
                lock(&shared.store_failure).get_or_insert(reason);
                // The row stays pending: the checkpoint does not pass it.
                continue;
            }
        }
        lock(&shared.tracker).pending.remove(&job.line);
    }
}

/// How the reading thread ended.
enum ReadEnd {
    EndOfFile,
    Stopped,
}

/// Reads, parses and checks lines, handing them on in order until the end, a stop, or a closed channel.
fn read_rows(
    mut lines: Lines<BufReader<std::fs::File>>,
    header: Option<CsvHeader>,
    events: mpsc::Sender<Event>,
    stop: Arc<AtomicBool>,
    shared: Arc<Shared>,
) -> std::io::Result<ReadEnd> {
    loop {
        if stop.load(Ordering::SeqCst) || shared.halted.load(Ordering::SeqCst) {
            return Ok(ReadEnd::Stopped);
        }
        let Some(Line {
            number,
            start,
            end,
            text,
        }) = lines.next_line()?
        else {
            return Ok(ReadEnd::EndOfFile);
        };
        // A byte-order mark some editors put at the start of a file is no part of the first row.
        let text = text.map(|text| match text.strip_prefix('\u{feff}') {
            Some(rest) if number == 1 => rest.to_string(),
            _ => text,
        });
        let event = match text {
            Ok(text) if text.trim().is_empty() => Event::Blank { line: number, end },
            Ok(text) => {
                let parsed = match &header {
                    Some(header) => header.row(&text),
                    None => source::json_row(&text),
                };
                match parsed {
                    Ok(raw) => match validate::validate(raw) {
                        Ok(valid) => Event::Row {
                            line: number,
                            start,
                            end,
                            valid: Box::new(valid),
                        },
                        Err(invalid) => Event::Reject {
                            line: number,
                            end,
                            id: invalid.id,
                            reason: invalid.reasons.join("; "),
                        },
                    },
                    Err(reason) => Event::Reject {
                        line: number,
                        end,
                        id: None,
                        reason,
                    },
                }
            }
            Err(reason) => Event::Reject {
                line: number,
                end,
                id: None,
                reason,
            },
        };
        if events.blocking_send(event).is_err() {
            return Ok(ReadEnd::Stopped);
        }
    }
}

fn fingerprint_hash(text: &str) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

/// In a dry run nothing is written, so the table cannot tell a username that comes twice in
/// the file: this remembers each row's username and id as 64-bit fingerprints (16 bytes a row,
/// the one thing in a dry run that grows with the file).
#[derive(Default)]
struct SeenInFile {
    usernames: HashMap<u64, (u64, u64)>,
    ids: HashMap<u64, u64>,
}

enum Seen {
    First,
    SameCitizenAgain,
    Duplicate(String),
}

impl SeenInFile {
    fn see(&mut self, line: u64, valid: &validate::Valid) -> Seen {
        let username = fingerprint_hash(&valid.username_key);
        let id = fingerprint_hash(&valid.citizen.id);
        if let Some(&(first_line, first_id)) = self.usernames.get(&username) {
            return if first_id == id {
                Seen::SameCitizenAgain
            } else {
                Seen::Duplicate(format!(
                    "username: duplicate within the file (first at line {first_line})"
                ))
            };
        }
        if self.ids.contains_key(&id) {
            return Seen::Duplicate(
                "id: duplicate within the file, with another username".to_string(),
            );
        }
        self.usernames.insert(username, (line, id));
        self.ids.insert(id, username);
        Seen::First
    }
}

const LANE_QUEUE: usize = 2;

/// Imports the file into the store of `app`. Setting `stop` ends the reading, finishes the rows in
/// flight and writes the checkpoint.
pub async fn run(
    app: &App,
    options: &ImportOptions,
    stop: Arc<AtomicBool>,
) -> Result<Summary, ImportError> {
    let started = Instant::now();
    let path = options.file.as_path();
    let format = options
        .format
        .or_else(|| Format::from_path(path))
        .ok_or_else(|| ImportError::UnknownFormat(path.display().to_string()))?;
    let file = std::fs::File::open(path).map_err(io_error("cannot open", path))?;
    let metadata = file.metadata().map_err(io_error("cannot read", path))?;
    let fingerprint = Fingerprint::of(&metadata);
    let checkpoint_path = checkpoint::path_for(path);
    let mut notes = Vec::new();

    let mut reader = BufReader::with_capacity(64 * 1024, file);
    let mut header = None;
    let mut start = (0u64, 0u64);
    if format == Format::Csv {
        let mut lines = Lines::new(&mut reader, 0, 0);
        let first = lines
            .next_line()
            .map_err(io_error("cannot read", path))?
            .ok_or_else(|| ImportError::Header {
                path: path.display().to_string(),
                reason: "the file is empty (a CSV file starts with its header line)".into(),
            })?;
        let text = first.text.map_err(|reason| ImportError::Header {
            path: path.display().to_string(),
            reason,
        })?;
        header = Some(
            CsvHeader::parse(&text).map_err(|reason| ImportError::Header {
                path: path.display().to_string(),
                reason,
            })?,
        );
        start = (1, first.end);
    }

    let mut resumed_after_line = None;
    if options.dry_run {
        // A dry run neither reads nor writes the checkpoint.
    } else if options.restart {
        remove_if_present(&checkpoint_path).map_err(io_error("cannot remove", &checkpoint_path))?;
    } else if let Some(saved) =
        checkpoint::load(&checkpoint_path).map_err(io_error("cannot read", &checkpoint_path))?
    {
        if saved.fits(fingerprint, format.name()) && saved.line >= start.0 {
            start = (saved.line, saved.offset);
            resumed_after_line = Some(saved.line);
        } else {
            notes.push(format!(
                "the checkpoint {} is for another version of the file; read from the top (rows already imported count as already there)",
                checkpoint_path.display()
            ));
        }
    }
    reader
        .seek(SeekFrom::Start(start.1))
        .map_err(io_error("cannot read", path))?;

    let rejects_path = options.rejects.clone().unwrap_or_else(|| {
        let mut name = path.as_os_str().to_owned();
        name.push(".rejects.csv");
        PathBuf::from(name)
    });
    let append = resumed_after_line.is_some();
    match resumed_after_line {
        // Going on: the rows after the checkpoint are read again, so their rejects are dropped.
        Some(line) => keep_rejects_through(&rejects_path, line)
            .map_err(io_error("cannot rewrite", &rejects_path))?,
        // A fresh run lists only its own rejects.
        None => {
            remove_if_present(&rejects_path).map_err(io_error("cannot remove", &rejects_path))?
        }
    }

    let shared = Arc::new(Shared {
        tracker: Mutex::new(Tracker {
            pending: BTreeMap::new(),
            read_line: start.0,
            read_end: start.1,
        }),
        rejects: Mutex::new(Rejects {
            path: rejects_path.clone(),
            append,
            writer: None,
            failed: None,
        }),
        rows: AtomicU64::new(0),
        new: AtomicU64::new(0),
        already_there: AtomicU64::new(0),
        rejected: AtomicU64::new(0),
        halted: AtomicBool::new(false),
        store_failure: Mutex::new(None),
    });

    let bar = if options.progress {
        let bar =
            ProgressBar::with_draw_target(Some(fingerprint.len), ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template(
            "{elapsed_precise} [{bar:20}] {percent:>3}% eta {eta:>4}  {wide_msg}",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        // A resumed run starts part-way: the rate and ETA count only what this run reads.
        bar.set_position(start.1);
        bar.reset_eta();
        bar
    } else {
        ProgressBar::hidden()
    };
    let ticker = {
        let shared = shared.clone();
        let bar = bar.clone();
        tokio::spawn(async move {
            let began = Instant::now();
            loop {
                tokio::time::sleep(Duration::from_millis(200)).await;
                let rows = shared.rows.load(Ordering::Relaxed);
                let rate = rows as f64 / began.elapsed().as_secs_f64().max(0.001);
                bar.set_position(lock(&shared.tracker).read_end);
                bar.set_message(format!(
                    "{rows} rows, {rate:.0}/s, {} rejected, {} new, {} already there",
                    shared.rejected.load(Ordering::Relaxed),
                    shared.new.load(Ordering::Relaxed),
                    shared.already_there.load(Ordering::Relaxed)
                ));
            }
        })
    };

    let concurrency = options.concurrency.clamp(1, 1024);
    let mut lanes = Vec::with_capacity(concurrency);
    let mut lane_tasks = Vec::with_capacity(concurrency);
    for _ in 0..concurrency {
        let (sender, receiver) = mpsc::channel(LANE_QUEUE);
        lanes.push(sender);
        lane_tasks.push(tokio::spawn(lane(
            app.clone(),
            shared.clone(),
            receiver,
            stop.clone(),
            options.dry_run,
            options.retry,
        )));
    }

    let (event_sender, mut events) = mpsc::channel(256);
    let lines = Lines::new(reader, start.0, start.1);
    let reading = {
        let stop = stop.clone();
        let shared = shared.clone();
        tokio::task::spawn_blocking(move || read_rows(lines, header, event_sender, stop, shared))
    };

    let mut password_hashes: BTreeMap<&'static str, u64> = BTreeMap::new();
    let mut seen = options.dry_run.then(SeenInFile::default);
    let mut last_checkpoint = Instant::now();
    let save_checkpoint = |shared: &Shared| -> Result<u64, ImportError> {
        let (line, offset) = lock(&shared.tracker).watermark();
        lock(&shared.rejects).flush();
        checkpoint::save(
            &checkpoint_path,
            &Checkpoint::new(fingerprint, format.name(), line, offset),
        )
        .map_err(io_error("cannot write", &checkpoint_path))?;
        Ok(line)
    };

    let mut pace = options.rows_per_second.map(Pace::new);
    // Whether every event the reading thread sent was handled (the loop did not stop early).
    let mut drained = false;
    loop {
        let Some(event) = events.recv().await else {
            drained = true;
            break;
        };
        match event {
            Event::Blank { line, end } => {
                let mut tracker = lock(&shared.tracker);
                tracker.read_line = line;
                tracker.read_end = end;
            }
            Event::Reject {
                line,
                end,
                id,
                reason,
            } => {
                shared.rows.fetch_add(1, Ordering::Relaxed);
                shared.reject(line, id.as_deref(), &reason);
                let mut tracker = lock(&shared.tracker);
                tracker.read_line = line;
                tracker.read_end = end;
            }
            Event::Row {
                line,
                start,
                end,
                valid,
            } => {
                shared.rows.fetch_add(1, Ordering::Relaxed);
                *password_hashes.entry(valid.hash_format.name()).or_default() += 1;
                let seen_before = seen.as_mut().map(|seen| seen.see(line, &valid));
                {
                    let mut tracker = lock(&shared.tracker);
                    tracker.read_line = line;
                    tracker.read_end = end;
                }
                match seen_before {
                    Some(Seen::SameCitizenAgain) => {
                        shared.already_there.fetch_add(1, Ordering::Relaxed);
                    }
                    Some(Seen::Duplicate(reason)) => {
                        shared.reject(line, Some(&valid.citizen.id), &reason);
                    }
                    Some(Seen::First) | None => {
                        if let Some(pace) = pace.as_mut() {
                            pace.wait_for_turn().await;
                        }
                        lock(&shared.tracker).pending.insert(line, start);
                        // By the username's look-alike form: a duplicate or a look-alike is
                        // always written after the earlier line, and refused.
                        let look = keys_domain::input::look_alike_form(&valid.username_key);
                        let lane = (fingerprint_hash(&look) % concurrency as u64) as usize;
                        let job = Job {
                            line,
                            citizen: valid.citizen,
                        };
                        if lanes[lane].send(job).await.is_err() {
                            break;
                        }
                    }
                }
            }
        }
        if stop.load(Ordering::SeqCst) || shared.halted.load(Ordering::SeqCst) {
            break;
        }
        if !options.dry_run && last_checkpoint.elapsed() >= options.checkpoint_every {
            save_checkpoint(&shared)?;
            last_checkpoint = Instant::now();
        }
    }
    // Closing the channel ends the reading thread; closing the lanes lets them finish their queues.
    drop(events);
    drop(lanes);
    for task in lane_tasks {
        task.await
            .map_err(|err| ImportError::Reader(err.to_string()))?;
    }
    let read_end = reading
        .await
        .map_err(|err| ImportError::Reader(err.to_string()))?
        .map_err(io_error("cannot read", path))?;
    ticker.abort();

    let pending = lock(&shared.tracker).pending.len();
    let store_failure = lock(&shared.store_failure).clone();
    let complete = drained
        && matches!(read_end, ReadEnd::EndOfFile)
        && pending == 0
        && store_failure.is_none();
    lock(&shared.rejects).flush();
    let done_through_line = lock(&shared.tracker).watermark().0;
    let mut checkpoint_file = None;
    if !options.dry_run {
        if complete {
            remove_if_present(&checkpoint_path)
                .map_err(io_error("cannot remove", &checkpoint_path))?;
        } else {
            save_checkpoint(&shared)?;
            checkpoint_file = Some(checkpoint_path.display().to_string());
        }
    }
    if let Some(failed) = lock(&shared.rejects).failed.clone() {
        return Err(ImportError::Io {
            what: "cannot write",
            path: rejects_path.display().to_string(),
            source: std::io::Error::other(failed),
        });
    }
    bar.finish_and_clear();

    let rejected = shared.rejected.load(Ordering::Relaxed);
    let rows = shared.rows.load(Ordering::Relaxed);
    let elapsed = started.elapsed().as_secs_f64();
    Ok(Summary {
        file: path.display().to_string(),
        format: format.name(),
        dry_run: options.dry_run,
        resumed_after_line,
        rows,
        new: shared.new.load(Ordering::Relaxed),
        already_there: shared.already_there.load(Ordering::Relaxed),
        rejected,
        rejects_file: (rejected > 0).then(|| rejects_path.display().to_string()),
        password_hashes,
        complete,
        interrupted: stop.load(Ordering::SeqCst) && !complete,
        store_failure,
        done_through_line,
        checkpoint_file,
        elapsed_seconds: elapsed,
        rows_per_second: rows as f64 / elapsed.max(0.000_001),
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn going_on_keeps_only_the_rejects_up_to_the_checkpoint() {
        let dir = std::env::temp_dir().join(format!("keys-admin-rejects-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("citizens.csv.rejects.csv");
        keep_rejects_through(&path, 10).expect("no file is fine");
        assert!(!path.exists());
        std::fs::write(
            &path,
            "line,id,reason\n3,c3,\"lang: not one of nl, fr, de, en\"\n25,c25,email: not a valid address\n10,,broken quoting\n",
        )
        .expect("write");
        keep_rejects_through(&path, 10).expect("trim");
        assert_eq!(
            std::fs::read_to_string(&path).expect("read"),
            "line,id,reason\n3,c3,\"lang: not one of nl, fr, de, en\"\n10,,broken quoting\n"
        );
        std::fs::remove_dir_all(&dir).expect("clean");
    }

    #[test]
    fn the_watermark_stops_before_the_first_row_still_in_a_lane() {
        let mut tracker = Tracker {
            pending: BTreeMap::new(),
            read_line: 1,
            read_end: 40,
        };
        assert_eq!(tracker.watermark(), (1, 40));
        tracker.pending.insert(2, 40);
        tracker.pending.insert(3, 90);
        (tracker.read_line, tracker.read_end) = (4, 180);
        assert_eq!(tracker.watermark(), (1, 40));
        tracker.pending.remove(&2);
        assert_eq!(tracker.watermark(), (2, 90));
        tracker.pending.remove(&3);
        assert_eq!(tracker.watermark(), (4, 180));
    }
}
