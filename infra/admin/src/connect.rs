//! Connecting to the table: the same `App` the functions build (shared/aws's wiring), from the command line's store choice and the environment's master secret.

use keys_aws::wiring::Wiring;
use keys_domain::App;
use keys_domain::clock::{Clock, SystemClock};
use keys_domain::config::{Runner, Settings};
use std::sync::Arc;

/// Which store the tool works on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreChoice {
    /// The in-process store: empty at start, gone at exit (tests, trying a file out).
    Memory,
    /// The service's DynamoDB table (AWS, or an emulator by `AWS_ENDPOINT_URL`).
    DynamoDb,
}

/// What to connect to.
#[derive(Debug, Clone)]
pub struct Target {
    pub store: StoreChoice,
    /// The table; `TABLE_NAME` from the environment, else the service's default, when absent.
    pub table: Option<String>,
    /// How long to wait for a connection to the endpoint.
    pub connect_timeout: std::time::Duration,
    /// How long one call (with its retries) may take.
    pub operation_timeout: std::time::Duration,
    /// The command sends mail itself (the redrive): through SES on a table, with `MAIL_FROM` and
    /// `SES_CONFIGURATION_SET` from the environment. Otherwise the tool's mails go to the outbox
    /// and the stack's stream delivers them.
    pub sends_mail: bool,
}

impl Target {
    /// The store and table, with the command line's default timeouts (5 s to connect, 30 s a call).
    pub fn new(store: StoreChoice, table: Option<String>) -> Self {
        Self {
            store,
            table,
            connect_timeout: std::time::Duration::from_secs(5),
            operation_timeout: std::time::Duration::from_secs(30),
            sends_mail: false,
        }
    }
}

/// The tool cannot reach the store it was pointed at.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error(
        "MASTER_SECRET or MASTER_SECRET_ID is required with --store dynamodb: card codes and lockout records are keyed with the service's master secret"
    )]
    NoSecret,
    #[error(transparent)]
    Startup(#[from] keys_aws::wiring::StartupError),
    #[error(
        "cannot read table {table}: {reason}. Check --table (or TABLE_NAME), AWS_ENDPOINT_URL, AWS_REGION and the credentials"
    )]
    Unreachable { table: String, reason: String },
}

/// Builds the `App` over the chosen store, with the master secret from `MASTER_SECRET` (base64)
/// or `MASTER_SECRET_ID` (Secrets Manager), and checks a DynamoDB table can be read.
pub async fn connect(target: &Target) -> Result<App, ConnectError> {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let table = target.table.clone().or_else(|| env("TABLE_NAME"));
    let store = match target.store {
        StoreChoice::Memory => "memory",
        StoreChoice::DynamoDb => "dynamodb",
    };
    let mailer = if target.sends_mail && target.store == StoreChoice::DynamoDb {
        "ses"
    } else {
        "outbox"
    };
    // Only the settings the tool needs; nothing else of the environment can make it refuse to start.
    let lookup = |name: &str| match name {
        "STORE" => Some(store.to_string()),
        "MAILER" => Some(mailer.to_string()),
        "MAIL_FROM" | "SES_CONFIGURATION_SET" if mailer == "ses" => env(name),
        "TABLE_NAME" => table.clone(),
        "MASTER_SECRET"
        | "MASTER_SECRET_ID"
        | "TOKEN_SUNSET_AT"
        | "PUBLIC_URL"
        | "OIDC_ISSUER"
        | "ACTIVATION_LETTER_DAYS"
        | "HELP_DESK_CONTACT" => env(name),
        _ => None,
    };
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let settings = Settings::from_lookup(lookup, Runner::Local, clock.now())
        .map_err(keys_aws::wiring::StartupError::from)?;
    let wiring =
        Wiring::from_lookup(lookup, Runner::Local).map_err(keys_aws::wiring::StartupError::from)?;
    if target.store == StoreChoice::DynamoDb && !wiring.keeps_its_secret() {
        return Err(ConnectError::NoSecret);
    }
    let table_name = wiring.table_name.clone();
    let aws = match wiring.store {
        keys_aws::wiring::StoreKind::DynamoDb => Some(
            keys_aws::sdk::from_env_within(target.connect_timeout, target.operation_timeout).await,
        ),
        keys_aws::wiring::StoreKind::Memory => None,
    };
    let wired = keys_aws::wiring::wire_with(settings, wiring, clock, Runner::Local, aws).await?;
    let mut app = wired.app;
    // The tool sends no mail; nothing is delivered from this process.
    app.deliver_in_process = false;
    if target.store == StoreChoice::DynamoDb {
        // One read through the domain, so a wrong table, endpoint or credentials fail here
        // rather than on every row.
        keys_domain::citizens::citizen(&app, "keys-admin-reachability-check")
            .await
            .map_err(|err| ConnectError::Unreachable {
                table: table_name,
                reason: err.to_string(),
            })?;
    }
    Ok(app)
}
