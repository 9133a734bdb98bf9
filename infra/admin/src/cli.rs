//! The command line: clap's definitions of every command and option, and running them with the exit codes operators expect (0 ok, 1 rows rejected or a failure, 2 usage).

use crate::connect::{self, StoreChoice, Target};
use crate::holders;
use crate::import::{self, ImportOptions, RetryPolicy, source::Format};
use crate::lookup::{self, By};
use crate::progress;
use crate::remind::{self, RemindOptions};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

const EXAMPLES: &str = "\
Settings from the environment:
  MASTER_SECRET      the service's master secret (base64), or
  MASTER_SECRET_ID   the Secrets Manager secret holding it (required with --store dynamodb)
  TABLE_NAME         the table when --table is not given (default digital-keys)
  TOKEN_SUNSET_AT    the stack's TokenSunsetAt (RFC 3339); progress and remind need it on DynamoDB
  PUBLIC_URL         the service's address (else OIDC_ISSUER); office issue needs it on DynamoDB
  HELP_DESK_CONTACT, ACTIVATION_LETTER_DAYS   as the stack's HelpDeskContact, ActivationLetterDays
  AWS_ENDPOINT_URL   an emulator's endpoint (LocalStack, moto); AWS_REGION, AWS_PROFILE, ...

Exit codes: 0 done; 1 some rows rejected, not found, or a failure; 2 wrong usage.

Examples:
  keys-admin --table digital-keys import citizens.csv --dry-run
  keys-admin --table digital-keys import citizens.csv --rejects rejects.csv --concurrency 32
  keys-admin citizen show jan.peeters --json
  keys-admin citizen unlock 0000123
  keys-admin audit 0000123 > events.jsonl
  keys-admin progress --html phase-out.html
  keys-admin remind --campaign 2027-01-first --dry-run
  keys-admin remind --campaign 2027-01-first --rate 10
  OFFICER_PASSWORD=... keys-admin office officer-add --id e.peeters --name \"Els Peeters\"
  keys-admin office enrol --name \"An Peeters\" --email an@example.be --lang nl --nrn 85073003328
  keys-admin office issue <citizen id>";

/// The operators' tool of the digital keys service.
#[derive(Debug, Parser)]
#[command(name = "keys-admin", version, about, after_help = EXAMPLES)]
pub struct Cli {
    /// The store to work on: the service's DynamoDB table, or an empty in-process store (tests).
    #[arg(long, value_enum, global = true, default_value_t = StoreArg::Dynamodb)]
    pub store: StoreArg,

    /// The DynamoDB table (default: $TABLE_NAME, else digital-keys).
    #[arg(long, global = true, value_name = "NAME")]
    pub table: Option<String>,

    /// Print JSON instead of text (and no progress bar).
    #[arg(long, global = true)]
    pub json: bool,

    /// Seconds to wait for a connection to DynamoDB (or the emulator) before giving up.
    #[arg(long, global = true, default_value_t = 5, value_name = "SECONDS",
          value_parser = clap::value_parser!(u64).range(1..=300))]
    pub connect_timeout: u64,

    /// Seconds one DynamoDB call may take, retries included, before the tool gives up.
    #[arg(long, global = true, default_value_t = 30, value_name = "SECONDS",
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub operation_timeout: u64,

    /// Who runs the command, named on every audit event it causes (an unlock, say): default
    /// $KEYS_ADMIN_OPERATOR, else the login name ($USER).
    #[arg(long, global = true, value_name = "ID")]
    pub operator: Option<String>,

    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// The operator's id for the audit trail (`--operator`, $KEYS_ADMIN_OPERATOR, $USER).
    pub fn operator_id(&self) -> String {
        let from_env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let id = self
            .operator
            .clone()
            .or_else(|| from_env("KEYS_ADMIN_OPERATOR"))
            .or_else(|| from_env("USER"))
            .unwrap_or_else(|| "unknown".into());
        format!("operator:{}", id.trim())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StoreArg {
    Memory,
    Dynamodb,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import citizens with their token cards and legacy password hashes.
    #[command(after_help = IMPORT_HELP)]
    Import(ImportArgs),
    /// Look a citizen up or clear their login lockout.
    #[command(subcommand)]
    Citizen(CitizenCommand),
    /// A citizen's audit events, oldest first, as JSON lines.
    Audit(Who),
    /// The phase-out's figures: token holders, activations, token logins, notice choices and the
    /// forecast at the sunset (from the service's counters; never a scan).
    Progress(ProgressArgs),
    /// Mail every citizen who still holds an active token a reminder, once per campaign.
    #[command(after_help = REMIND_HELP)]
    Remind(RemindArgs),
    /// List who still holds an active token, for letters: CSV of id, name, lang, card_serial
    /// (no address, no secret), with a count by language.
    Holders(HoldersArgs),
    /// Registration offices: officers, citizens enrolled in person, activation letters.
    #[command(subcommand, after_help = OFFICE_HELP)]
    Office(OfficeCommand),
    /// Notification mails: send again those the stream could not deliver (the dead-letter
    /// queue's redrive).
    #[command(subcommand)]
    Mail(MailCommand),
}

#[derive(Debug, Subcommand)]
pub enum MailCommand {
    /// Send every notification mail still waiting in the outbox that was queued more than
    /// --older-than minutes ago (those the stream gave up on; newer ones it is still retrying),
    /// through SES (MAIL_FROM and SES_CONFIGURATION_SET as the stack's). Then purge the mail
    /// dead-letter queue.
    Redrive {
        /// Leave mails queued more recently than this to the stream's retries.
        #[arg(long, value_name = "MINUTES", default_value_t = 15)]
        older_than: u32,
    },
}

const OFFICE_HELP: &str = "\
The console at /office does the same for officers (password and app code; issuing asks for a
new app code). A letter's code works once, for ActivationLetterDays (30 by default) and five
wrong tries; issuing another letter replaces it. `issue` needs PUBLIC_URL (or OIDC_ISSUER), the
service's address, which the mailed link starts with. Every command is audited with --operator.";

#[derive(Debug, Subcommand)]
pub enum OfficeCommand {
    /// Add an officer with the officer role; the password is read from $OFFICER_PASSWORD or the
    /// first line of standard input; prints the authenticator app's secret once.
    OfficerAdd {
        /// The staff id the officer logs in with.
        #[arg(long)]
        id: String,
        /// The officer's name.
        #[arg(long)]
        name: String,
    },
    /// Give the officer role back (`officer`) or take it away (`none`).
    OfficerRole {
        /// The officer's staff id.
        id: String,
        #[arg(value_enum)]
        role: RoleArg,
    },
    /// Enrol a citizen whose identity document was checked in person; prints the citizen's id.
    Enrol {
        #[arg(long)]
        name: String,
        /// The citizen's personal e-mail address.
        #[arg(long)]
        email: String,
        #[arg(long, value_parser = ["nl", "fr", "de", "en"])]
        lang: String,
        /// The national register number (kept only as a keyed hash).
        #[arg(long)]
        nrn: Option<String>,
    },
    /// Issue an activation letter for a citizen or an enrolment (by id): prints the code for the
    /// letter and mails the link.
    Issue {
        /// The citizen's id (`citizen show`) or the enrolment's (`office enrol`).
        citizen_id: String,
    },
    /// Show a citizen's activation letter.
    Letter { citizen_id: String },
    /// Revoke a citizen's activation letter: its code stops working.
    Revoke { citizen_id: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RoleArg {
    Officer,
    None,
}

#[derive(Debug, Args)]
pub struct HoldersArgs {
    /// Write the CSV to this file instead of standard output (the count goes to standard error).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ProgressArgs {
    /// Also write the report as an HTML page with charts to this file.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,

    /// How many of the last days the text table shows (the JSON and HTML have them all).
    #[arg(long, default_value_t = 30, value_name = "N")]
    pub days: usize,
}

const REMIND_HELP: &str = "\
Each citizen whose token is still active gets the campaign's mail once, in their own language,
with the sunset date and the two ways to switch; it goes through the outbox and SES like the
service's other mails. Citizens who switched meanwhile are skipped. An interrupted run (Ctrl-C
lets the mails in flight finish) is finished by running the same command again: nobody gets the
mail twice. --rate defaults to half the SES account's maximum send rate, leaving the other half
to the service's own code mails.";

#[derive(Debug, Args)]
pub struct RemindArgs {
    /// The campaign's name (lowercase letters, digits and dashes, e.g. 2027-01-first).
    #[arg(long, value_name = "NAME")]
    pub campaign: String,

    /// Mails queued per second at most (default: half the SES account's maximum send rate).
    #[arg(long, value_name = "PER_SECOND")]
    pub rate: Option<f64>,

    /// Count who would get the mail; write and send nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// Citizens handled at the same time.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: u16,
}

const IMPORT_HELP: &str = "\
Columns (CSV header, any order) or fields (JSON lines):
  id, username, password_hash, email, lang (nl|fr|de|en), card_serial,
  code1 .. code24 (CSV) or codes: [24 strings] (JSON lines); each code has 6 digits;
  optionally name (the citizen's name, greeted on every page; at most 100 characters) and
  national_register_number (11 digits with their check number; kept only as a keyed hash).
Password hashes: argon2id, argon2i, bcrypt ($2a$/$2b$/$2y$), pbkdf2-sha256 and scrypt PHC strings.

A bad row is listed in the rejects file (line, id, reason; never a secret) and the rest goes on.
Rerunning is safe: citizens already there are counted as such and left unchanged. An interrupted
import (Ctrl-C finishes the rows in flight) leaves FILE.checkpoint; the same command goes on after it.";

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The file to import (.csv, or .jsonl / .ndjson).
    pub file: PathBuf,

    /// The file's format (default: from its extension).
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,

    /// Where to list rejected rows (default: FILE.rejects.csv).
    #[arg(long, value_name = "FILE")]
    pub rejects: Option<PathBuf>,

    /// Citizens written at the same time.
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: u16,

    /// Check every row, against the table too, and write nothing but the rejects file.
    #[arg(long)]
    pub dry_run: bool,

    /// Ignore a checkpoint left by an interrupted run and read the file from the top.
    #[arg(long)]
    pub restart: bool,

    /// At most this many rows written per second (default: as fast as the table takes them);
    /// keeps an import during opening hours from taking the live service's table capacity.
    #[arg(long, value_name = "ROWS", value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub rate: Option<u32>,

    /// Tries per row while the store is unavailable (throttled), with exponential back-off.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub retries: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Csv,
    Jsonl,
}

#[derive(Debug, Subcommand)]
pub enum CitizenCommand {
    /// A citizen's keys and their states, activation dates, masked e-mail, language, lockout.
    Show(Who),
    /// Clear a citizen's login lockout and failed-login count (as a successful login does).
    Unlock(UnlockArgs),
}

#[derive(Debug, Args)]
pub struct Who {
    /// The citizen's id, username or e-mail address (an argument with @ is read as an address).
    #[arg(value_name = "ID|USERNAME|EMAIL")]
    pub query: String,

    /// Read the argument only as an id, a username, an e-mail address or a national register
    /// number (`nrn`: found through its keyed hash; the number is never printed).
    #[arg(long, value_enum)]
    pub by: Option<ByArg>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ByArg {
    Id,
    Username,
    Email,
    Nrn,
}

#[derive(Debug, Args)]
pub struct UnlockArgs {
    #[command(flatten)]
    pub who: Who,

    /// Only report whether the citizen is locked out.
    #[arg(long)]
    pub dry_run: bool,
}

impl From<ByArg> for By {
    fn from(by: ByArg) -> By {
        match by {
            ByArg::Id => By::Id,
            ByArg::Username => By::Username,
            ByArg::Email => By::Email,
            ByArg::Nrn => By::NationalNumber,
        }
    }
}

/// Prints what a command did: `value` as JSON with `--json`, else `text` for a person; whether
/// it could be printed.
fn print_report<T: serde::Serialize>(
    json: bool,
    value: &T,
    text: impl FnOnce(&T) -> String,
) -> bool {
    if json {
        print_json(value)
    } else {
        print!("{}", text(value));
        true
    }
}

fn print_json<T: serde::Serialize>(value: &T) -> bool {
    match serde_json::to_string(value) {
        Ok(text) => {
            println!("{text}");
            true
        }
        Err(err) => {
            eprintln!("cannot write JSON: {err}");
            false
        }
    }
}

fn failure(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("keys-admin: {message}");
    ExitCode::FAILURE
}

/// Stops the import on Ctrl-C (or SIGTERM): the rows in flight finish and the checkpoint is
/// written. A second Ctrl-C ends the process at once (exit 130); the checkpoint written last
/// still holds, and a rerun is correct anyway.
fn stop_on_signal(stop: Arc<AtomicBool>) {
    tokio::spawn(async move {
        #[cfg(unix)]
        let mut terminate =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
        loop {
            #[cfg(unix)]
            let terminated = async {
                match terminate.as_mut() {
                    Some(signal) => {
                        signal.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            #[cfg(not(unix))]
            let terminated = std::future::pending::<()>();
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = terminated => {}
            }
            if stop.swap(true, Ordering::SeqCst) {
                eprintln!("keys-admin: stopped at once");
                std::process::exit(130);
            }
            eprintln!(
                "keys-admin: stopping: finishing the work in flight (an import also writes its checkpoint); again to stop at once"
            );
        }
    });
}

/// Runs the parsed command line; the exit code follows the conventions above.
pub async fn run(cli: Cli) -> ExitCode {
    // Every audit event the command causes names the operator.
    let operator = cli.operator_id();
    keys_domain::audit::acting_as(operator, run_command(cli)).await
}

async fn run_command(cli: Cli) -> ExitCode {
    let target = Target {
        store: match cli.store {
            StoreArg::Memory => StoreChoice::Memory,
            StoreArg::Dynamodb => StoreChoice::DynamoDb,
        },
        table: cli.table.clone(),
        connect_timeout: std::time::Duration::from_secs(cli.connect_timeout),
        operation_timeout: std::time::Duration::from_secs(cli.operation_timeout),
        sends_mail: matches!(cli.command, Command::Mail(_)),
    };
    if target.sends_mail
        && target.store == StoreChoice::DynamoDb
        && std::env::var("MAIL_FROM").map_or(true, |v| v.trim().is_empty())
    {
        eprintln!(
            "keys-admin: set MAIL_FROM to the stack's sender (MailFrom): the redrive sends the mails itself"
        );
        return ExitCode::from(2);
    }
    let needs_sunset = matches!(cli.command, Command::Progress(_) | Command::Remind(_));
    if needs_sunset
        && target.store == StoreChoice::DynamoDb
        && std::env::var("TOKEN_SUNSET_AT").map_or(true, |v| v.trim().is_empty())
    {
        eprintln!(
            "keys-admin: set TOKEN_SUNSET_AT to the stack's TokenSunsetAt (e.g. 2027-03-01T00:00:00+01:00): the forecast and the reminders' date depend on it"
        );
        return ExitCode::from(2);
    }
    let app = match connect::connect(&target).await {
        Ok(app) => app,
        Err(err) => return failure(err),
    };
    match cli.command {
        Command::Import(args) => {
            let mut options = ImportOptions::new(args.file);
            options.format = args.format.map(|format| match format {
                FormatArg::Csv => Format::Csv,
                FormatArg::Jsonl => Format::Jsonl,
            });
            options.rejects = args.rejects;
            options.concurrency = usize::from(args.concurrency);
            options.dry_run = args.dry_run;
            options.restart = args.restart;
            options.rows_per_second = args.rate;
            options.retry = RetryPolicy {
                attempts: args.retries,
                ..RetryPolicy::default()
            };
            options.progress = !cli.json && std::io::stderr().is_terminal();
            let stop = Arc::new(AtomicBool::new(false));
            stop_on_signal(stop.clone());
            match import::run(&app, &options, stop).await {
                Ok(summary) => {
                    exit(print_report(cli.json, &summary, import::Summary::text) && summary.clean())
                }
                Err(err @ import::ImportError::UnknownFormat(_)) => {
                    eprintln!("keys-admin: {err}");
                    ExitCode::from(2)
                }
                Err(err) => failure(err),
            }
        }
        Command::Citizen(CitizenCommand::Show(who)) => {
            let found = lookup::resolve(&app, &who.query, who.by.map(By::from)).await;
            let citizen = match found {
                Ok(citizen) => citizen,
                Err(err) => return failure(err),
            };
            match lookup::show(&app, &citizen).await {
                Ok(view) => exit(print_report(cli.json, &view, lookup::CitizenView::text)),
                Err(err) => failure(err),
            }
        }
        Command::Citizen(CitizenCommand::Unlock(args)) => {
            let who = args.who;
            let citizen = match lookup::resolve(&app, &who.query, who.by.map(By::from)).await {
                Ok(citizen) => citizen,
                Err(err) => return failure(err),
            };
            match lookup::unlock(&app, &citizen, args.dry_run).await {
                Ok(view) => exit(print_report(cli.json, &view, lookup::UnlockView::text)),
                Err(err) => failure(err),
            }
        }
        Command::Audit(who) => match lookup::audit(&app, &who.query, who.by.map(By::from)).await {
            Ok(lines) => exit(lines.iter().all(print_json)),
            Err(err) => failure(err),
        },
        Command::Progress(args) => {
            let report = match progress::read(&app).await {
                Ok(report) => report,
                Err(err) => return failure(err),
            };
            if let Some(path) = &args.html {
                let written = report
                    .html()
                    .and_then(|page| std::fs::write(path, page).map_err(|err| err.to_string()));
                if let Err(err) = written {
                    return failure(format!("cannot write {}: {err}", path.display()));
                }
            }
            exit(print_report(cli.json, &report, |report| {
                let mut text = report.text(args.days);
                if let Some(path) = &args.html {
                    text.push_str(&format!("\nreport with charts: {}\n", path.display()));
                }
                text
            }))
        }
        Command::Holders(args) => {
            let outcome = match &args.out {
                Some(path) => match std::fs::File::create(path) {
                    Ok(file) => holders::export(&app, file).await,
                    Err(err) => return failure(format!("cannot write {}: {err}", path.display())),
                },
                None => holders::export(&app, std::io::stdout().lock()).await,
            };
            match outcome {
                Ok(summary) if cli.json => {
                    // The rows went to the file; without one the JSON would mix with the CSV.
                    eprintln!("{}", serde_json::to_string(&summary).unwrap_or_default());
                    ExitCode::SUCCESS
                }
                Ok(summary) => {
                    eprint!("{}", summary.text());
                    ExitCode::SUCCESS
                }
                Err(err) => failure(err),
            }
        }
        Command::Office(command) => run_office(&app, cli.json, command).await,
        Command::Mail(MailCommand::Redrive { older_than }) => {
            match crate::mail::redrive(&app, older_than).await {
                Ok(redrive) => exit(
                    print_report(cli.json, &redrive, crate::mail::Redrive::text) && redrive.clean(),
                ),
                Err(err) => failure(err),
            }
        }
        Command::Remind(args) => {
            let campaign = match keys_domain::reminders::Campaign::parse(&args.campaign) {
                Ok(campaign) => campaign,
                Err(why) => {
                    eprintln!("keys-admin: --campaign {}: {why}", args.campaign);
                    return ExitCode::from(2);
                }
            };
            let per_second = match args.rate {
                Some(rate) if rate.is_finite() && rate > 0.0 => rate,
                Some(_) => {
                    eprintln!("keys-admin: --rate must be a positive number of mails a second");
                    return ExitCode::from(2);
                }
                None if target.store == StoreChoice::Memory || args.dry_run => 100.0,
                None => match ses_half_rate().await {
                    Ok(rate) => rate,
                    Err(err) => return failure(err),
                },
            };
            let options = RemindOptions {
                campaign,
                per_second,
                dry_run: args.dry_run,
                concurrency: usize::from(args.concurrency),
                progress: !cli.json && std::io::stderr().is_terminal(),
            };
            let stop = Arc::new(AtomicBool::new(false));
            stop_on_signal(stop.clone());
            match remind::run(&app, &options, stop).await {
                Ok(summary) => exit(
                    print_report(cli.json, &summary, remind::RemindSummary::text)
                        && summary.clean(),
                ),
                Err(err) => failure(err),
            }
        }
    }
}

async fn run_office(app: &keys_domain::app::App, json: bool, command: OfficeCommand) -> ExitCode {
    use crate::office;
    let printed = |text: Result<String, String>| match text {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(err) => failure(err),
    };
    match command {
        OfficeCommand::OfficerAdd { id, name } => {
            let password = match std::env::var("OFFICER_PASSWORD") {
                Ok(password) if !password.is_empty() => password,
                _ => {
                    let mut line = String::new();
                    if std::io::stdin().read_line(&mut line).is_err() || line.trim().is_empty() {
                        eprintln!(
                            "keys-admin: give the officer's password in $OFFICER_PASSWORD or on standard input"
                        );
                        return ExitCode::from(2);
                    }
                    line.trim_end_matches(['\r', '\n']).to_string()
                }
            };
            match office::add_officer(app, &id, &name, &password).await {
                Ok(added) => exit(print_report(json, &added, office::OfficerAdded::text)),
                Err(err) => failure(err),
            }
        }
        OfficeCommand::OfficerRole { id, role } => {
            printed(office::set_role(app, &id, role == RoleArg::Officer).await)
        }
        OfficeCommand::Enrol {
            name,
            email,
            lang,
            nrn,
        } => {
            let lang =
                keys_domain::lang::Lang::parse(&lang).unwrap_or(keys_domain::lang::Lang::DEFAULT);
            match office::enrol(app, &name, &email, lang, nrn.as_deref()).await {
                Ok(enrolled) => exit(print_report(json, &enrolled, |e| {
                    format!(
                        "enrolled; citizen id {} (issue the letter next)\n",
                        e.citizen_id
                    )
                })),
                Err(err) => failure(err),
            }
        }
        OfficeCommand::Issue { citizen_id } => match office::issue(app, &citizen_id).await {
            Ok(issued) => exit(print_report(json, &issued, office::Issued::text)),
            Err(err) => failure(err),
        },
        OfficeCommand::Letter { citizen_id } => match office::letter(app, &citizen_id).await {
            Ok(letter) => exit(print_report(json, &letter, office::LetterView::text)),
            Err(err) => failure(err),
        },
        OfficeCommand::Revoke { citizen_id } => printed(office::revoke(app, &citizen_id).await),
    }
}

/// Half the SES account's maximum send rate: the other half stays for the service's code mails.
async fn ses_half_rate() -> Result<f64, String> {
    let config = keys_aws::sdk::from_env().await;
    let client = aws_sdk_sesv2::Client::new(&config);
    keys_aws::ses::max_send_rate(&client)
        .await
        .map(|rate| (rate / 2.0).max(1.0))
        .map_err(|err| format!("cannot read the SES account's sending quota ({err}); pass --rate"))
}

fn exit(ok: bool) -> ExitCode {
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
