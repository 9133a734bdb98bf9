//! `surge`: the deadline surge and the bad day, run against a deployed stack (LocalStack on this
//! machine): `surge load`, many citizens at once through the API with each key, and `surge faults`,
//! the same journeys while DynamoDB and SES fail on purpose and a function is killed mid-step.
//!
//! Both are bounded (citizens, concurrency, seconds), talk to loopback only, print their figures
//! and check afterwards, reading the stack's table as the operators' tool does, that every citizen
//! is either fully switched or untouched and that every notification mail was delivered exactly
//! once. They exit non-zero when a check fails. tests/localstack.sh runs both; README.md gives
//! the command and the settings (the same as the stack journeys': `DK_BASE_URL`, `DK_ADMIN_URL`,
//! `DK_SES_MAILBOX_URL`, `DK_STACK_TABLE`, `MASTER_SECRET_ID`, `TOKEN_SUNSET_AT`, and for this
//! command `AWS_ENDPOINT_URL` (LocalStack), `DK_LOCALSTACK_LOG`, `DK_MAIL_DLQ_URL`, `MAIL_FROM`).

use blackbox::{Browser, Citizen, Page, Service};
use clap::{Parser, Subcommand};
use keys_core::keys::{KeyKind, KeyState};
use keys_core::lang::Lang;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Debug, Parser)]
#[command(about = "The deadline surge and the bad day on a deployed stack (LocalStack).")]
struct Cli {
    #[command(subcommand)]
    run: Run,
}

#[derive(Debug, Subcommand)]
enum Run {
    /// Many citizens at once: token logins, the wizard by e-mail and by app, e-mail and app logins,
    /// and a reminder campaign being dispatched, with per-step latency and the AWS calls made.
    Load {
        /// Citizens enrolled for the run (a quarter each: e-mail wizard twice, app wizard, token).
        #[arg(long, default_value_t = 48)]
        citizens: usize,
        /// Citizens walking at the same time.
        #[arg(long, default_value_t = 12)]
        concurrency: usize,
        /// The run stops (and fails) after this long.
        #[arg(long, default_value_t = 300)]
        max_seconds: u64,
    },
    /// The journeys under faults: DynamoDB errors and throttling, SES refusals, an SES outage that
    /// fills the dead-letter queue (then the redrive), and a function process killed mid-step.
    Faults {
        /// Citizens walking the e-mail wizard while DynamoDB and SES fail.
        #[arg(long, default_value_t = 24)]
        citizens: usize,
        /// Citizens walking at the same time.
        #[arg(long, default_value_t = 6)]
        concurrency: usize,
        /// The share of DynamoDB calls LocalStack refuses (ProvisionedThroughputExceeded).
        #[arg(long, default_value_t = 0.25)]
        dynamodb_error_probability: f64,
        /// The share of SES sends refused (TooManyRequests).
        #[arg(long, default_value_t = 0.3)]
        ses_error_probability: f64,
        /// The run stops (and fails) after this long.
        #[arg(long, default_value_t = 420)]
        max_seconds: u64,
    },
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let Some(stack) = Stack::from_env().await else {
        return std::process::ExitCode::from(2);
    };
    let (limit, run): (
        u64,
        std::pin::Pin<Box<dyn std::future::Future<Output = bool>>>,
    ) = match cli.run {
        Run::Load {
            citizens,
            concurrency,
            max_seconds,
        } => (
            max_seconds,
            Box::pin(load_run(stack, citizens, concurrency.max(1))),
        ),
        Run::Faults {
            citizens,
            concurrency,
            dynamodb_error_probability,
            ses_error_probability,
            max_seconds,
        } => (
            max_seconds,
            Box::pin(fault_run(
                stack,
                citizens,
                concurrency.max(1),
                dynamodb_error_probability,
                ses_error_probability,
            )),
        ),
    };
    match tokio::time::timeout(Duration::from_secs(limit), run).await {
        Ok(true) => std::process::ExitCode::SUCCESS,
        Ok(false) => std::process::ExitCode::FAILURE,
        Err(_) => {
            eprintln!("surge: the run did not end within {limit} s");
            std::process::ExitCode::FAILURE
        }
    }
}

/// The deployed stack and what the run reads besides its API.
struct Stack {
    service: Service,
    /// LocalStack's own endpoint (`AWS_ENDPOINT_URL`): its config endpoint and SQS.
    localstack: String,
    /// LocalStack's log, where it writes one line per AWS call (`AWS dynamodb.GetItem => 200`).
    log: Option<std::path::PathBuf>,
    /// The mail dead-letter queue's URL (stack output `MailDeadLetterQueueUrl`).
    mail_dlq: Option<String>,
    /// The operators' tool on the stack's table, sending mail through SES (the redrive).
    operators: keys_core::App,
}

impl Stack {
    async fn from_env() -> Option<Stack> {
        let service = Service::start().await;
        if !service.is_deployed() {
            eprintln!(
                "surge: runs against a deployed stack; set DK_BASE_URL (and DK_ADMIN_URL, DK_SES_MAILBOX_URL, DK_STACK_TABLE, MASTER_SECRET_ID) as tests/localstack.sh does"
            );
            return None;
        }
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let Some(localstack) = env("AWS_ENDPOINT_URL") else {
            eprintln!("surge: set AWS_ENDPOINT_URL to LocalStack's endpoint");
            return None;
        };
        let Some(table) = env("DK_STACK_TABLE") else {
            eprintln!("surge: set DK_STACK_TABLE (and MASTER_SECRET_ID) to read the outcomes");
            return None;
        };
        let mut target = keys_admin::connect::Target::new(
            keys_admin::connect::StoreChoice::DynamoDb,
            Some(table),
        );
        target.sends_mail = true;
        let operators = match keys_admin::connect::connect(&target).await {
            Ok(app) => app,
            Err(err) => {
                eprintln!("surge: cannot reach the stack's table: {err}");
                return None;
            }
        };
        Some(Stack {
            service,
            localstack: localstack.trim_end_matches('/').to_string(),
            log: env("DK_LOCALSTACK_LOG").map(Into::into),
            mail_dlq: env("DK_MAIL_DLQ_URL"),
            operators,
        })
    }
}

// --- Figures --------------------------------------------------------------------------------

/// How the ledger names a 5xx that is the service's own page with `Retry-After`.
const SERVICE_RETRY: &str = "the service's page with Retry-After:";
/// How the ledger names the gateway's answer when the function was killed mid-request (on AWS the
/// template's DEFAULT_5XX gateway response: the retry page; LocalStack applies its status only).
const KILLED: &str = "the gateway's answer for a killed function";

/// Each step's latencies and answers.
#[derive(Default)]
struct Ledger {
    steps: Mutex<BTreeMap<&'static str, Figures>>,
    /// Every 5xx, by what answered it: the service's view (with or without Retry-After) or the gateway.
    server_errors: Mutex<BTreeMap<String, usize>>,
}

#[derive(Default)]
struct Figures {
    millis: Vec<f64>,
    statuses: BTreeMap<u16, usize>,
}

impl Ledger {
    fn record(&self, step: &'static str, elapsed: Duration, status: u16) {
        let mut steps = self.steps.lock().unwrap_or_else(|p| p.into_inner());
        let figures = steps.entry(step).or_default();
        figures.millis.push(elapsed.as_secs_f64() * 1000.0);
        *figures.statuses.entry(status).or_default() += 1;
    }

    fn server_error(&self, kind: String) {
        *self
            .server_errors
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(kind)
            .or_default() += 1;
    }

    /// The API requests timed (the operators' tool's reminders are not API requests).
    fn requests(&self) -> usize {
        let steps = self.steps.lock().unwrap_or_else(|p| p.into_inner());
        steps
            .iter()
            .filter(|(step, _)| !step.starts_with(REMINDER_STEP))
            .map(|(_, f)| f.millis.len())
            .sum()
    }

    fn count_of(&self, step: &str) -> usize {
        let steps = self.steps.lock().unwrap_or_else(|p| p.into_inner());
        steps.get(step).map_or(0, |f| f.millis.len())
    }

    fn server_errors(&self) -> BTreeMap<String, usize> {
        self.server_errors
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// One line per step: requests, p50 / p95 / p99 / max latency, answers by status class.
    fn table(&self) -> String {
        let steps = self.steps.lock().unwrap_or_else(|p| p.into_inner());
        let mut out = format!(
            "  {:<38} {:>5} {:>7} {:>7} {:>7} {:>7}  {}\n",
            "step", "reqs", "p50 ms", "p95 ms", "p99 ms", "max ms", "answers"
        );
        for (step, figures) in steps.iter() {
            let mut sorted = figures.millis.clone();
            sorted.sort_by(f64::total_cmp);
            let at = |q: f64| {
                let index = ((sorted.len() as f64 - 1.0) * q).round() as usize;
                sorted.get(index).copied().unwrap_or(0.0)
            };
            let answers: Vec<String> = figures
                .statuses
                .iter()
                .map(|(status, n)| format!("{status}×{n}"))
                .collect();
            out.push_str(&format!(
                "  {:<38} {:>5} {:>7.0} {:>7.0} {:>7.0} {:>7.0}  {}\n",
                step,
                sorted.len(),
                at(0.50),
                at(0.95),
                at(0.99),
                sorted.last().copied().unwrap_or(0.0),
                answers.join(" ")
            ));
        }
        out
    }
}

/// The AWS calls LocalStack logged since `from` (a byte offset of its log), by operation.
fn aws_calls_since(log: &std::path::Path, from: u64) -> BTreeMap<String, (usize, usize)> {
    use std::io::{Read, Seek};
    let mut calls: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let Ok(mut file) = std::fs::File::open(log) else {
        return calls;
    };
    let mut text = String::new();
    if file.seek(std::io::SeekFrom::Start(from)).is_err() || file.read_to_string(&mut text).is_err()
    {
        return calls;
    }
    for line in text.lines() {
        let Some(rest) = line.split(" : AWS ").nth(1) else {
            continue;
        };
        let mut parts = rest.split(" => ");
        let (Some(operation), Some(answer)) = (parts.next(), parts.next()) else {
            continue;
        };
        if !(operation.starts_with("dynamodb.") || operation.starts_with("sesv2.")) {
            continue;
        }
        let entry = calls.entry(operation.to_string()).or_default();
        if answer.starts_with('2') {
            entry.0 += 1;
        } else {
            entry.1 += 1;
        }
    }
    calls
}

fn log_offset(log: &Option<std::path::PathBuf>) -> u64 {
    log.as_ref()
        .and_then(|path| std::fs::metadata(path).ok())
        .map_or(0, |m| m.len())
}

fn calls_table(calls: &BTreeMap<String, (usize, usize)>, requests: usize) -> String {
    let mut out = String::new();
    let (mut ok, mut refused) = (0, 0);
    for (operation, (good, bad)) in calls {
        ok += good;
        refused += bad;
        out.push_str(&format!(
            "  {operation:<34} {good:>6} answered, {bad:>5} refused\n"
        ));
    }
    let table_calls: usize = calls
        .iter()
        .filter(|(op, _)| op.starts_with("dynamodb."))
        .map(|(_, (good, bad))| good + bad)
        .sum();
    out.push_str(&format!(
        "  all: {ok} answered, {refused} refused; DynamoDB calls per API request: {:.2}\n",
        table_calls as f64 / requests.max(1) as f64
    ));
    out
}

// --- Walking citizens --------------------------------------------------------------------------

/// One citizen's browser, walking and timing each step.
struct Walker {
    browser: Browser,
    ledger: Arc<Ledger>,
    /// Under faults: a 5xx is answered by trying again, as a citizen does, up to this many times.
    tries: usize,
}

/// A step that did not end where the journey expected.
#[derive(Debug)]
struct Stuck(String);

impl Walker {
    fn new(service: &Service, lang: &str, ledger: Arc<Ledger>, tries: usize) -> Walker {
        Walker {
            browser: service.browser(lang),
            ledger,
            tries,
        }
    }

    /// Sends what `request` builds (again after a 5xx, up to `tries` times), times each answer
    /// and answers the last page. `target` is the path the request goes to: a 5xx that came from
    /// the page a form redirected to (the form was taken) is answered as a citizen does, by
    /// reloading that page, not by sending the form again.
    async fn timed<F, Fut>(
        &self,
        step: &'static str,
        target: &str,
        request: F,
    ) -> Result<Page, Stuck>
    where
        F: Fn() -> Fut,
        Fut: std::future::Future<Output = reqwest::Response>,
    {
        let mut reload: Option<reqwest::Url> = None;
        for attempt in 1..=self.tries {
            let started = Instant::now();
            let response = match &reload {
                Some(url) => match self.browser.client.get(url.clone()).send().await {
                    Ok(response) => response,
                    Err(err) => return Err(Stuck(format!("{step}: reload: {err}"))),
                },
                None => request().await,
            };
            let status = response.status().as_u16();
            if status >= 500 {
                if !response.url().path().ends_with(target) {
                    reload = Some(response.url().clone());
                }
                let retry_after = response
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string);
                let body = response.text().await.unwrap_or_default();
                self.ledger.record(step, started.elapsed(), status);
                let view: Option<serde_json::Value> = serde_json::from_str(&body).ok();
                // The service's own views have a step; the gateway's answers do not.
                let kind = match view.as_ref().filter(|v| v["step"].is_string()) {
                    Some(view) => {
                        let ids: Vec<&str> = view["messages"]
                            .as_array()
                            .map(|m| m.iter().filter_map(|m| m["id"].as_str()).collect())
                            .unwrap_or_default();
                        format!(
                            "{status}, {} {} ({})",
                            if retry_after.is_some() {
                                SERVICE_RETRY
                            } else {
                                "the service's page WITHOUT Retry-After:"
                            },
                            view["step"].as_str().unwrap_or_default(),
                            ids.join(", ")
                        )
                    }
                    None => format!(
                        "{status}, from the gateway: {}",
                        body.chars().take(60).collect::<String>()
                    ),
                };
                self.ledger.server_error(kind);
                if attempt < self.tries {
                    tokio::time::sleep(Duration::from_millis(300)).await;
                    continue;
                }
                return Err(Stuck(format!("{step}: {status} after {attempt} tries")));
            }
            let page = self.browser.page(response).await;
            self.ledger.record(step, started.elapsed(), page.status);
            return Ok(page);
        }
        Err(Stuck(format!("{step}: no try")))
    }

    async fn get(&self, step: &'static str, path: &str) -> Result<Page, Stuck> {
        self.timed(step, path, || self.browser.get_raw(path)).await
    }

    async fn act(
        &self,
        step: &'static str,
        page: &Page,
        id: &str,
        fields: &[(&str, &str)],
    ) -> Result<Page, Stuck> {
        let target = page.action(id)["href"].as_str().unwrap_or_default();
        self.timed(step, target, || self.browser.act_raw(page, id, fields))
            .await
    }
}

fn expect(page: Page, step: &str) -> Result<Page, Stuck> {
    if page.step() == step {
        Ok(page)
    } else {
        Err(Stuck(format!(
            "expected {step}, got {} ({}): {}",
            page.step(),
            page.status,
            page.json["messages"]
        )))
    }
}

/// The mails LocalStack's SES delivered, counted by recipient and subject.
async fn mailbox(service: &Service) -> BTreeMap<(String, String), Vec<blackbox::ReceivedMail>> {
    let mut by = BTreeMap::<(String, String), Vec<blackbox::ReceivedMail>>::new();
    let Ok(url) = std::env::var("DK_SES_MAILBOX_URL") else {
        panic!(
            "surge reads the mails at DK_SES_MAILBOX_URL (LocalStack's /_aws/ses); {} has no other mailbox",
            service.base
        );
    };
    for (to, mail) in blackbox::emulator::localstack_mailbox(&url).await {
        by.entry((to, mail.subject.clone())).or_default().push(mail);
    }
    by
}

/// Waits (up to a minute) for the newest mail to `to` with `subject` beyond `seen` of them.
async fn next_mail(
    service: &Service,
    to: &str,
    subject: &str,
    seen: usize,
) -> Result<blackbox::ReceivedMail, Stuck> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let mails: Vec<_> = service
            .mails_to(to)
            .await
            .into_iter()
            .filter(|m| m.subject == subject)
            .collect();
        if mails.len() > seen {
            return mails.last().cloned().ok_or_else(|| Stuck("no mail".into()));
        }
        if Instant::now() > deadline {
            return Err(Stuck(format!("no new mail '{subject}'")));
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

fn subject(lang: Lang, id: &str) -> String {
    keys_core::i18n::t(lang, id)
}

/// The login page, then username, password and the choice of `key`: the key's own page.
async fn password_step(
    walker: &Walker,
    citizen: &Citizen,
    step: &'static str,
    key: &str,
    expected: &str,
) -> Result<Page, Stuck> {
    let login = expect(walker.get("GET /login", "/login").await?, "login")?;
    let page = walker
        .act(
            step,
            &login,
            "submit",
            &[
                ("username", &citizen.username),
                ("password", &citizen.password),
                ("key", key),
            ],
        )
        .await?;
    expect(page, expected)
}

/// Token login to the notice.
async fn token_login(walker: &Walker, citizen: &Citizen) -> Result<Page, Stuck> {
    let token = password_step(
        walker,
        citizen,
        "POST /login (token)",
        "token",
        "login.token",
    )
    .await?;
    let code = citizen.card_code(&token.json["data"]["challenge_index"]);
    let notice = walker
        .act(
            "POST /login/token (card code)",
            &token,
            "submit",
            &[("code", &code)],
        )
        .await?;
    expect(notice, "login.token.notice")
}

/// From the notice to step 3 of the wizard with `key` chosen.
async fn to_step_3(walker: &Walker, notice: &Page, key: &str) -> Result<Page, Stuck> {
    let step1 = walker
        .act("notice: activate", notice, "activate", &[])
        .await?;
    let step1 = expect(step1, "activate.email")?;
    let step2 = walker
        .act("step 1: confirm e-mail", &step1, "confirm", &[])
        .await?;
    let step2 = expect(step2, "activate.select")?;
    let step = if key == "email" {
        "step 2: select key (e-mail)"
    } else {
        "step 2: select key (app)"
    };
    walker.act(step, &step2, "submit", &[("key", key)]).await
}

/// A token login to step 3 of the e-mail wizard: the page and the registration code mailed.
async fn to_email_code(
    walker: &Walker,
    service: &Service,
    citizen: &Citizen,
    lang: Lang,
) -> Result<(Page, String), Stuck> {
    let notice = token_login(walker, citizen).await?;
    let step3 = expect(
        to_step_3(walker, &notice, "email").await?,
        "activate.email_code",
    )?;
    let code = next_mail(
        service,
        &citizen.email,
        &subject(lang, "mail-registration-subject"),
        0,
    )
    .await?
    .code();
    Ok((step3, code))
}

/// The e-mail wizard from a token login to its confirmation, then End session.
async fn email_wizard(
    walker: &Walker,
    service: &Service,
    citizen: &Citizen,
    lang: Lang,
) -> Result<(), Stuck> {
    let (step3, code) = to_email_code(walker, service, citizen, lang).await?;
    let done = walker
        .act(
            "step 3: registration code",
            &step3,
            "submit",
            &[("code", &code)],
        )
        .await?;
    let done = expect(done, "activate.done")?;
    walker.act("end session", &done, "end_session", &[]).await?;
    Ok(())
}

/// The app wizard: the QR code read, paired with an independent TOTP; answers the phone's secret
/// and the time step the pairing used.
async fn app_wizard(
    walker: &Walker,
    service: &Service,
    citizen: &Citizen,
) -> Result<(Vec<u8>, u64), Stuck> {
    let notice = token_login(walker, citizen).await?;
    let install = expect(
        to_step_3(walker, &notice, "app").await?,
        "activate.app.install",
    )?;
    let pair = walker
        .act("app: install → pair", &install, "next", &[])
        .await?;
    let pair = expect(pair, "activate.app.pair")?;
    let started = Instant::now();
    let html = walker.browser.html("/activate/app/pair").await;
    walker
        .ledger
        .record("app: pair page (HTML, QR)", started.elapsed(), 200);
    let (_, secret) = blackbox::qr::scan_html(&html);
    let now = service.now_secs();
    let code = totp_lite::totp_custom::<totp_lite::Sha1>(30, 6, &secret, now);
    let done = walker
        .act("app: pairing code", &pair, "submit", &[("code", &code)])
        .await?;
    let done = expect(done, "activate.done")?;
    walker.act("end session", &done, "end_session", &[]).await?;
    Ok((secret, now / 30))
}

async fn email_login(
    walker: &Walker,
    service: &Service,
    citizen: &Citizen,
    lang: Lang,
) -> Result<(), Stuck> {
    let login_subject = subject(lang, "mail-login-subject");
    let seen = service
        .mails_to(&citizen.email)
        .await
        .iter()
        .filter(|m| m.subject == login_subject)
        .count();
    let asked = password_step(
        walker,
        citizen,
        "POST /login (e-mail)",
        "email",
        "login.email",
    )
    .await?;
    let code = next_mail(service, &citizen.email, &login_subject, seen)
        .await?
        .code();
    let keys = walker
        .act(
            "POST /login/email (code)",
            &asked,
            "submit",
            &[("code", &code)],
        )
        .await?;
    expect(keys, "keys").map(|_| ())
}

async fn app_login(
    walker: &Walker,
    service: &Service,
    citizen: &Citizen,
    secret: &[u8],
    paired_step: u64,
) -> Result<(), Stuck> {
    // A code of a later time step than the pairing's, as the phone shows it then.
    while service.now_secs() / 30 <= paired_step {
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let asked = password_step(walker, citizen, "POST /login (app)", "app", "login.app").await?;
    let code = totp_lite::totp_custom::<totp_lite::Sha1>(30, 6, secret, service.now_secs());
    let keys = walker
        .act(
            "POST /login/app (code)",
            &asked,
            "submit",
            &[("code", &code)],
        )
        .await?;
    expect(keys, "keys").map(|_| ())
}

// --- Outcomes ---------------------------------------------------------------------------------

/// What a citizen's record says after the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// Token retired and the new key active.
    Switched(KeyKind),
    /// Token still active, no new key active.
    Untouched,
    /// Anything else: a new key active beside an active token, or no active key at all.
    HalfSwitched,
}

async fn outcome_of(app: &keys_core::App, citizen: &Citizen) -> Outcome {
    use keys_core::citizens;
    let Ok(Some(found)) = citizens::citizen_by_username(app, &citizen.username).await else {
        return Outcome::HalfSwitched;
    };
    let Ok(keys) = citizens::keys(app, &found.id).await else {
        return Outcome::HalfSwitched;
    };
    let active = |kind: KeyKind| {
        keys.iter()
            .any(|k| k.kind == kind && k.state == KeyState::Active)
    };
    match (
        active(KeyKind::Token),
        active(KeyKind::Email),
        active(KeyKind::App),
    ) {
        (false, true, false) => Outcome::Switched(KeyKind::Email),
        (false, false, true) => Outcome::Switched(KeyKind::App),
        (true, false, false) => Outcome::Untouched,
        _ => Outcome::HalfSwitched,
    }
}

/// An app key paired in the run: the phone's secret and the time step the pairing used.
type AppKey = (Vec<u8>, u64);

/// A citizen of the run, what they set out to do and what they can be expected to have received.
struct Walked {
    citizen: Citizen,
    lang: Lang,
    reminded: bool,
}

/// Mails counted against what each citizen's outcome calls for.
#[derive(Debug, Default)]
struct MailCheck {
    expected: usize,
    delivered: usize,
    duplicated: usize,
    missing: usize,
    unexpected: usize,
}

/// Waits until every expected notification arrived (up to `wait`), then counts.
async fn check_mails(
    service: &Service,
    walked: &[(Walked, Outcome)],
    sunset: i64,
    wait: Duration,
) -> MailCheck {
    let deadline = Instant::now() + wait;
    loop {
        let box_ = mailbox(service).await;
        let mut check = MailCheck::default();
        for (w, outcome) in walked {
            let count = |id: &str| {
                box_.get(&(w.citizen.email.clone(), subject(w.lang, id)))
                    .map_or(0, Vec::len)
            };
            let reminder = keys_core::mails::reminder(w.lang, &w.citizen.email, sunset).subject;
            let reminders = box_
                .get(&(w.citizen.email.clone(), reminder))
                .map_or(0, Vec::len);
            let switched = matches!(outcome, Outcome::Switched(_));
            for (got, wanted) in [
                (count("mail-token-off-subject"), usize::from(switched)),
                (count("mail-key-on-subject"), usize::from(switched)),
                (reminders, usize::from(w.reminded)),
            ] {
                check.expected += wanted;
                check.delivered += got.min(wanted);
                if wanted == 1 && got > 1 {
                    check.duplicated += got - 1;
                }
                if wanted == 0 && got > 0 {
                    check.unexpected += got;
                }
                if got < wanted {
                    check.missing += wanted - got;
                }
            }
        }
        if check.missing == 0 || Instant::now() > deadline {
            return check;
        }
        tokio::time::sleep(Duration::from_millis(1000)).await;
    }
}

fn outcome_counts(walked: &[(Walked, Outcome)]) -> (usize, usize, usize) {
    let switched = walked
        .iter()
        .filter(|(_, o)| matches!(o, Outcome::Switched(_)))
        .count();
    let untouched = walked
        .iter()
        .filter(|(_, o)| *o == Outcome::Untouched)
        .count();
    let half = walked
        .iter()
        .filter(|(_, o)| *o == Outcome::HalfSwitched)
        .count();
    (switched, untouched, half)
}

const LANGS: [(&str, Lang); 4] = [
    ("nl", Lang::Nl),
    ("fr", Lang::Fr),
    ("de", Lang::De),
    ("en", Lang::En),
];

async fn enrol(service: &Service, count: usize) -> Vec<(Citizen, Lang)> {
    let mut enrolled = Vec::with_capacity(count);
    let mut pending = futures::stream::iter((0..count).map(|n| {
        let (code, lang) = LANGS[n % LANGS.len()];
        async move { (service.new_citizen(code).await, lang) }
    }))
    .buffered(4);
    use futures::StreamExt;
    while let Some(citizen) = pending.next().await {
        enrolled.push(citizen);
    }
    enrolled
}

// --- The load run ------------------------------------------------------------------------------

async fn load_run(stack: Stack, count: usize, concurrency: usize) -> bool {
    use futures::StreamExt;
    let service = &stack.service;
    let started = Instant::now();
    let enrolled = enrol(service, count).await;
    println!(
        "surge load: {} citizens enrolled in {:.1} s (the enrolment runner), {concurrency} at a time from now on",
        enrolled.len(),
        started.elapsed().as_secs_f64()
    );
    let ledger = Arc::new(Ledger::default());
    let window = log_offset(&stack.log);
    let redirects_before = blackbox::REDIRECTS_FOLLOWED.load(std::sync::atomic::Ordering::Relaxed);
    let run_started = Instant::now();
    let app = &stack.operators;
    let campaign = keys_core::reminders::Campaign::parse(&format!("surge-{}", std::process::id()))
        .expect("a campaign name");
    let sunset = app.settings.token_sunset_at.unix_timestamp();
    let failures = Arc::new(Mutex::new(Vec::<String>::new()));

    // A quarter each: the e-mail wizard (two quarters), the app wizard, a token login that keeps
    // the token (and gets the campaign's reminder, dispatched while the others walk).
    let journeys = enrolled.iter().enumerate().map(|(n, (citizen, lang))| {
        let ledger = ledger.clone();
        let failures = failures.clone();
        let campaign = campaign.clone();
        async move {
            let walker = Walker::new(service, lang_code(*lang), ledger.clone(), 1);
            let walked = match n % 4 {
                0 | 1 => email_wizard(&walker, service, citizen, *lang)
                    .await
                    .map(|()| Walked {
                        citizen: citizen.clone(),
                        lang: *lang,
                        reminded: false,
                    })
                    .map(|w| (w, None)),
                2 => app_wizard(&walker, service, citizen).await.map(|app| {
                    (
                        Walked {
                            citizen: citizen.clone(),
                            lang: *lang,
                            reminded: false,
                        },
                        Some(app),
                    )
                }),
                _ => {
                    let kept = match token_login(&walker, citizen).await {
                        Ok(notice) => walker
                            .act("notice: close (keep the token)", &notice, "close", &[])
                            .await
                            .and_then(|p| expect(p, "keys")),
                        Err(stuck) => Err(stuck),
                    };
                    let reminded = kept.is_ok() && remind(app, citizen, &campaign, &ledger).await;
                    kept.map(|_| {
                        (
                            Walked {
                                citizen: citizen.clone(),
                                lang: *lang,
                                reminded,
                            },
                            None,
                        )
                    })
                }
            };
            match walked {
                Ok(walked) => Some((n, walked)),
                Err(Stuck(why)) => {
                    failures
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .push(format!("citizen {n} (first part): {why}"));
                    None
                }
            }
        }
    });
    let first: Vec<_> = futures::stream::iter(journeys)
        .buffer_unordered(concurrency)
        .collect()
        .await;
    let first: Vec<(usize, (Walked, Option<AppKey>))> = first.into_iter().flatten().collect();

    // Then each logs in again with the key now theirs: e-mail, app, or the token kept.
    let logins = first.iter().map(|(n, (walked, app_key))| {
        let ledger = ledger.clone();
        let failures = failures.clone();
        async move {
            let walker = Walker::new(service, lang_code(walked.lang), ledger, 1);
            let result = match (n % 4, app_key) {
                (0 | 1, _) => email_login(&walker, service, &walked.citizen, walked.lang).await,
                (2, Some((secret, step))) => {
                    app_login(&walker, service, &walked.citizen, secret, *step).await
                }
                _ => token_login(&walker, &walked.citizen).await.map(|_| ()),
            };
            if let Err(Stuck(why)) = result {
                failures
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push(format!("citizen {n} (login): {why}"));
            }
        }
    });
    futures::stream::iter(logins)
        .buffer_unordered(concurrency)
        .collect::<Vec<()>>()
        .await;
    let walking = run_started.elapsed();
    let redirects =
        blackbox::REDIRECTS_FOLLOWED.load(std::sync::atomic::Ordering::Relaxed) - redirects_before;

    let mut walked = Vec::new();
    for (_, (w, _)) in first {
        let outcome = outcome_of(app, &w.citizen).await;
        walked.push((w, outcome));
    }
    let mails = check_mails(service, &walked, sunset, Duration::from_secs(90)).await;
    let calls = stack
        .log
        .as_ref()
        .map(|log| aws_calls_since(log, window))
        .unwrap_or_default();
    let (switched, untouched, half) = outcome_counts(&walked);
    let requests = ledger.requests();
    let failures = failures.lock().unwrap_or_else(|p| p.into_inner()).clone();
    let server_errors: usize = ledger.server_errors().values().sum();

    let http_requests = requests + redirects;
    println!(
        "surge load: {} citizens, {concurrency} at a time: {requests} steps, {http_requests} HTTP requests with the {redirects} redirects followed, in {:.1} s ({:.1} requests/s)",
        enrolled.len(),
        walking.as_secs_f64(),
        http_requests as f64 / walking.as_secs_f64().max(0.001)
    );
    print!("{}", ledger.table());
    if stack.log.is_some() {
        println!(
            "surge load: AWS calls LocalStack answered during the run (functions, mail-dispatch, the reminders):"
        );
        print!("{}", calls_table(&calls, http_requests));
    } else {
        println!("surge load: DK_LOCALSTACK_LOG not set: AWS calls not counted");
    }
    println!(
        "surge load: citizens checked {}, switched {switched}, untouched {untouched}, half-switched {half}",
        walked.len()
    );
    println!(
        "surge load: notification mails expected {}, delivered {}, duplicated {}, missing {}, unexpected {}; 5xx {server_errors}; journeys stuck {}",
        mails.expected,
        mails.delivered,
        mails.duplicated,
        mails.missing,
        mails.unexpected,
        failures.len()
    );
    for failure in failures.iter().take(10) {
        println!("  stuck: {failure}");
    }
    let ok = failures.is_empty()
        && half == 0
        && server_errors == 0
        && mails.missing == 0
        && mails.duplicated == 0
        && mails.unexpected == 0
        && walked.len() == enrolled.len()
        && ledger.count_of("POST /login/email (code)") > 0
        && ledger.count_of("POST /login/app (code)") > 0;
    println!("surge load: {}", if ok { "passed" } else { "FAILED" });
    ok
}

fn lang_code(lang: Lang) -> &'static str {
    LANGS
        .iter()
        .find(|(_, l)| *l == lang)
        .map_or("en", |(code, _)| code)
}

/// The ledger's line for the reminders the operators' tool queues during the run.
const REMINDER_STEP: &str = "reminder queued (operators' tool)";

/// Queues this campaign's reminder for one citizen as `keys-admin remind` does (the mail goes out
/// through the outbox, the stream, mail-dispatch and SES).
async fn remind(
    app: &keys_core::App,
    citizen: &Citizen,
    campaign: &keys_core::reminders::Campaign,
    ledger: &Ledger,
) -> bool {
    let ck = keys_core::record::citizen_key(app, &citizen.username);
    let sunset = app.settings.token_sunset_at.unix_timestamp();
    let compose = move |c: &keys_core::citizens::Citizen| {
        keys_core::mails::reminder(c.lang, &c.email, sunset)
    };
    // At most 20 a second (the stack's SES sandbox rate is 1; LocalStack does not enforce it).
    static PACER: std::sync::OnceLock<keys_core::reminders::Pacer> = std::sync::OnceLock::new();
    let pacer = PACER.get_or_init(|| keys_core::reminders::Pacer::new(20.0));
    let started = Instant::now();
    let queued = keys_core::reminders::remind(app, &ck, campaign, &compose, Some(pacer)).await;
    let ok = matches!(queued, Ok(keys_core::reminders::Reminder::Queued));
    ledger.record(REMINDER_STEP, started.elapsed(), if ok { 200 } else { 500 });
    ok
}

// --- The fault run -----------------------------------------------------------------------------

/// Sets one of LocalStack's settings at run time (its config endpoint, `ENABLE_CONFIG_UPDATES=1`).
async fn set_localstack(stack: &Stack, variable: &str, value: f64) -> bool {
    let answer = reqwest::Client::new()
        .post(format!("{}/_localstack/config", stack.localstack))
        .json(&serde_json::json!({ "variable": variable, "value": value }))
        .send()
        .await;
    match answer {
        Ok(response) if response.status().is_success() => true,
        Ok(response) => {
            eprintln!(
                "surge: LocalStack refused {variable}={value}: {} (start it with ENABLE_CONFIG_UPDATES=1)",
                response.status()
            );
            false
        }
        Err(err) => {
            eprintln!("surge: LocalStack's config endpoint: {err}");
            false
        }
    }
}

/// One call of SQS's JSON protocol on LocalStack.
async fn sqs(stack: &Stack, operation: &str, body: serde_json::Value) -> Option<serde_json::Value> {
    let response = reqwest::Client::new()
        .post(&stack.localstack)
        .header("x-amz-target", format!("AmazonSQS.{operation}"))
        .header("content-type", "application/x-amz-json-1.0")
        .json(&body)
        .send()
        .await
        .ok()?;
    if !response.status().is_success() {
        eprintln!("surge: SQS {operation}: {}", response.status());
        return None;
    }
    response.json().await.ok()
}

async fn dead_letters(stack: &Stack) -> Option<u64> {
    let url = stack.mail_dlq.as_ref()?;
    let answer = sqs(
        stack,
        "GetQueueAttributes",
        serde_json::json!({ "QueueUrl": url, "AttributeNames": ["ApproximateNumberOfMessages"] }),
    )
    .await?;
    answer["Attributes"]["ApproximateNumberOfMessages"]
        .as_str()?
        .parse()
        .ok()
}

/// Waits until the outbox holds the same mails for 10 s (the stream has nothing left in flight),
/// at most 90 s; answers how many it holds then.
async fn outbox_settles(app: &keys_core::App) -> usize {
    use keys_core::dispatch::{OUTBOX_PK, OUTBOX_SHARDS};
    let started = Instant::now();
    let mut last = usize::MAX;
    let mut still_since = Instant::now();
    loop {
        let mut count = 0;
        for shard in 0..OUTBOX_SHARDS {
            count += app
                .store
                .query(&format!("{OUTBOX_PK}#{shard}"), "mail#")
                .await
                .map_or(0, |items| items.len());
        }
        if count != last {
            last = count;
            still_since = Instant::now();
        }
        if still_since.elapsed() >= Duration::from_secs(10)
            || started.elapsed() > Duration::from_secs(90)
        {
            return count;
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
}

/// The function processes LocalStack's host executor runs for `function` (by their environment).
fn processes_of(function: &str) -> Vec<i32> {
    let wanted = format!("AWS_LAMBDA_FUNCTION_NAME={function}");
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<i32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/environ")).is_ok_and(|environ| {
                environ
                    .split(|b| *b == 0)
                    .any(|var| var == wanted.as_bytes())
            })
        })
        .collect()
}

fn kill(pid: i32) {
    // SAFETY: kill(2) with a pid read from /proc and SIGKILL; no memory is shared.
    unsafe {
        libc::kill(pid, libc::SIGKILL);
    }
}

async fn fault_run(
    stack: Stack,
    count: usize,
    concurrency: usize,
    dynamodb_errors: f64,
    ses_errors: f64,
) -> bool {
    use futures::StreamExt;
    let service = &stack.service;
    let app = &stack.operators;
    let sunset = app.settings.token_sunset_at.unix_timestamp();
    let ledger = Arc::new(Ledger::default());
    let outage_citizens = 4;
    let kill_tries = 12;
    let enrolled = enrol(service, count + outage_citizens + kill_tries).await;
    let (walking, rest) = enrolled.split_at(count);
    let (outage, killed) = rest.split_at(outage_citizens);
    let window = log_offset(&stack.log);
    let mut ok = true;

    // 1. DynamoDB refuses a share of calls and SES a share of sends while citizens switch; each
    //    5xx is answered by trying again, as a citizen does.
    ok &= set_localstack(&stack, "DYNAMODB_ERROR_PROBABILITY", dynamodb_errors).await;
    ok &= set_localstack(&stack, "DK_SES_ERROR_PROBABILITY", ses_errors).await;
    let started = Instant::now();
    let stuck = Arc::new(Mutex::new(Vec::<String>::new()));
    futures::stream::iter(walking.iter().enumerate().map(|(n, (citizen, lang))| {
        let ledger = ledger.clone();
        let stuck = stuck.clone();
        async move {
            let walker = Walker::new(service, lang_code(*lang), ledger, 8);
            if let Err(Stuck(why)) = email_wizard(&walker, service, citizen, *lang).await {
                stuck
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push(format!("citizen {n}: {why}"));
            }
        }
    }))
    .buffer_unordered(concurrency)
    .collect::<Vec<()>>()
    .await;
    ok &= set_localstack(&stack, "DYNAMODB_ERROR_PROBABILITY", 0.0).await;
    ok &= set_localstack(&stack, "DK_SES_ERROR_PROBABILITY", 0.0).await;
    let faulty_seconds = started.elapsed().as_secs_f64();
    let calls = stack
        .log
        .as_ref()
        .map(|log| aws_calls_since(log, window))
        .unwrap_or_default();
    let mut walked = Vec::new();
    for (citizen, lang) in walking {
        let outcome = outcome_of(app, citizen).await;
        walked.push((
            Walked {
                citizen: citizen.clone(),
                lang: *lang,
                reminded: false,
            },
            outcome,
        ));
    }
    let first_mails = check_mails(service, &walked, sunset, Duration::from_secs(90)).await;

    // 2. SES down: switches whose notifications run out of stream retries into the dead-letter
    //    queue; then SES back, and the redrive sends them from the outbox.
    let mut at_step_3 = Vec::new();
    for (citizen, lang) in outage {
        let walker = Walker::new(service, lang_code(*lang), ledger.clone(), 8);
        let reached = to_email_code(&walker, service, citizen, *lang).await;
        match reached {
            Ok((step3, code)) => at_step_3.push((walker, citizen, *lang, step3, code)),
            Err(Stuck(why)) => {
                println!("surge faults: an outage citizen did not reach step 3: {why}");
                ok = false;
            }
        }
    }
    let dlq_before = dead_letters(&stack).await.unwrap_or(0);
    ok &= set_localstack(&stack, "DK_SES_ERROR_PROBABILITY", 1.0).await;
    for (walker, _, _, step3, code) in &at_step_3 {
        match walker
            .act(
                "step 3: registration code",
                step3,
                "submit",
                &[("code", code)],
            )
            .await
        {
            Ok(done) if done.step() == "activate.done" => {}
            other => {
                println!("surge faults: a switch during the SES outage: {other:?}");
                ok = false;
            }
        }
    }
    // Every outage batch goes through its retries (about 25 s each on LocalStack) to the queue.
    let outage_started = Instant::now();
    let mut dead = dlq_before;
    let mut stable_since = Instant::now();
    while outage_started.elapsed() < Duration::from_secs(150) {
        tokio::time::sleep(Duration::from_secs(2)).await;
        let now = dead_letters(&stack).await.unwrap_or(dead);
        if now != dead {
            dead = now;
            stable_since = Instant::now();
        }
        if dead > dlq_before && stable_since.elapsed() > Duration::from_secs(35) {
            break;
        }
    }
    ok &= set_localstack(&stack, "DK_SES_ERROR_PROBABILITY", 0.0).await;
    let dead_lettered = dead.saturating_sub(dlq_before);
    // Batches still in their retries deliver now; what stays in the outbox once it is still is
    // what the stream gave up on (the operator's `--older-than` waits the same way).
    let settled = outbox_settles(app).await;
    let redrive = keys_admin::mail::redrive(app, 0).await;
    let redriven = match &redrive {
        Ok(report) => report.sweep,
        Err(err) => {
            println!("surge faults: the redrive failed: {err}");
            ok = false;
            Default::default()
        }
    };
    if let Some(url) = &stack.mail_dlq {
        sqs(&stack, "PurgeQueue", serde_json::json!({ "QueueUrl": url })).await;
    }
    let mut outage_walked = Vec::new();
    for (_, citizen, lang, _, _) in &at_step_3 {
        let outcome = outcome_of(app, citizen).await;
        outage_walked.push((
            Walked {
                citizen: (*citizen).clone(),
                lang: *lang,
                reminded: false,
            },
            outcome,
        ));
    }
    let outage_mails = check_mails(service, &outage_walked, sunset, Duration::from_secs(30)).await;

    // 3. A function process killed in the middle of the switch: the submit's answer comes from
    //    the gateway; the citizen tries again; the record is whole either way.
    let mut landed = 0;
    let mut kill_walked = Vec::new();
    let mut kill_answers = BTreeMap::<u16, usize>::new();
    for (n, (citizen, lang)) in killed.iter().enumerate() {
        let walker = Walker::new(service, lang_code(*lang), ledger.clone(), 1);
        let ready = to_email_code(&walker, service, citizen, *lang).await;
        let Ok((step3, code)) = ready else {
            continue;
        };
        // Alternately early (the switch may not have begun) and later (it may have committed).
        let delay = Duration::from_millis(if n % 2 == 0 {
            3 * n as u64
        } else {
            20 + 10 * n as u64
        });
        let fields = [("code", code.as_str())];
        let submit = walker.browser.act_raw(&step3, "submit", &fields);
        let killer = async {
            tokio::time::sleep(delay).await;
            for pid in processes_of("digital-keys-activate-email") {
                kill(pid);
            }
        };
        let (answer, ()) = tokio::join!(submit, killer);
        let status = answer.status().as_u16();
        *kill_answers.entry(status).or_default() += 1;
        if status >= 500 {
            landed += 1;
            let retry_after = answer.headers().get("retry-after").is_some();
            ledger.server_error(format!(
                "{status}, {KILLED}{}",
                if retry_after {
                    " (with Retry-After)"
                } else {
                    ""
                }
            ));
            // Whether the switch had committed when the process died, then the citizen presses
            // the button again.
            let before_retry = outcome_of(app, citizen).await;
            let again = walker
                .timed(
                    "step 3: again after the kill",
                    "/activate/email-code",
                    || walker.browser.act_raw(&step3, "submit", &fields),
                )
                .await;
            if let Ok(page) = &again {
                println!(
                    "surge faults: killed mid-step after {} ms: {status}; the switch {}; the same submit again answered {} ({})",
                    delay.as_millis(),
                    if matches!(before_retry, Outcome::Switched(_)) {
                        "had committed"
                    } else {
                        "had not happened"
                    },
                    page.status,
                    page.step()
                );
            }
        }
        kill_walked.push((
            Walked {
                citizen: citizen.clone(),
                lang: *lang,
                reminded: false,
            },
            outcome_of(app, citizen).await,
        ));
        if landed >= 4 {
            break;
        }
    }
    let kill_mails = check_mails(service, &kill_walked, sunset, Duration::from_secs(60)).await;

    let all: Vec<&(Walked, Outcome)> = walked
        .iter()
        .chain(outage_walked.iter())
        .chain(kill_walked.iter())
        .collect();
    let half = all
        .iter()
        .filter(|(_, o)| *o == Outcome::HalfSwitched)
        .count();
    let (switched, untouched, _) = outcome_counts(&walked);
    let server_errors = ledger.server_errors();
    let raw_errors: usize = server_errors
        .iter()
        .filter(|(kind, _)| {
            !(kind.starts_with(&format!("503, {SERVICE_RETRY}"))
                || kind.starts_with(&format!("503, {KILLED}")))
        })
        .map(|(_, n)| *n)
        .sum();
    let stuck = stuck.lock().unwrap_or_else(|p| p.into_inner()).clone();
    let mails = [&first_mails, &outage_mails, &kill_mails];
    let sum = |f: fn(&MailCheck) -> usize| mails.iter().map(|m| f(m)).sum::<usize>();

    println!(
        "surge faults: {count} citizens through the e-mail wizard, {concurrency} at a time, in {faulty_seconds:.1} s with DynamoDB refusing {:.0} % of calls and SES {:.0} % of sends",
        dynamodb_errors * 100.0,
        ses_errors * 100.0
    );
    print!("{}", ledger.table());
    if stack.log.is_some() {
        println!("surge faults: AWS calls during the faulty minutes (refused = injected):");
        print!("{}", calls_table(&calls, ledger.requests()));
    }
    println!("surge faults: 5xx answers by kind:");
    for (kind, n) in &server_errors {
        println!("  {n:>5}  {kind}");
    }
    println!(
        "surge faults: journeys that gave up after 8 tries: {} (their citizens are checked like the others)",
        stuck.len()
    );
    for why in stuck.iter().take(5) {
        println!("  gave up: {why}");
    }
    println!(
        "surge faults: SES outage: {} switches, {dead_lettered} stream batches dead-lettered, {settled} mails left in the outbox, redrive sent {} (refused {}, recent {})",
        at_step_3.len(),
        redriven.sent,
        redriven.failed,
        redriven.recent
    );
    println!(
        "surge faults: kills of digital-keys-activate-email mid-submit: {landed} landed of {} tries (answers {kill_answers:?})",
        kill_walked.len()
    );
    println!(
        "surge faults: citizens checked {}, switched {switched} + {} + {}, untouched {untouched}, half-switched {half}",
        all.len(),
        outcome_counts(&outage_walked).0,
        outcome_counts(&kill_walked).0
    );
    println!(
        "surge faults: notification mails expected {}, delivered {}, duplicated {}, lost {}, unexpected {}; 5xx other than the retry page {raw_errors}",
        sum(|m| m.expected),
        sum(|m| m.delivered),
        sum(|m| m.duplicated),
        sum(|m| m.missing),
        sum(|m| m.unexpected)
    );
    ok &= half == 0
        && raw_errors == 0
        && sum(|m| m.duplicated) == 0
        && sum(|m| m.missing) == 0
        && sum(|m| m.unexpected) == 0
        && dead_lettered > 0
        && redriven.sent > 0
        && landed > 0
        && server_errors
            .keys()
            .any(|k| k.starts_with(&format!("503, {SERVICE_RETRY}")));
    println!("surge faults: {}", if ok { "passed" } else { "FAILED" });
    ok
}
