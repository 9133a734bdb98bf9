//! The composition root: which adapters serve the service (its wiring settings) and the `App` wired into AWS (DynamoDB, SES, Secrets Manager) or local adapters.

use crate::dynamodb::DynamoStore;
use crate::ses::SesMailer;
use keys_domain::app::App;
use keys_domain::clock::{Clock, SystemClock};
use keys_domain::config::{ConfigError, Runner, Settings, bad, number};
use keys_domain::mailer::Mailer;
use keys_domain::mailer::outbox::Outbox;
use keys_domain::secrets::{MasterSecret, Secrets};
use keys_domain::store::Store;
use keys_domain::store::memory::MemoryStore;
use std::sync::Arc;

/// Which `Store` adapter to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreKind {
    Memory,
    DynamoDb,
}

/// Which `Mailer` adapter to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailerKind {
    Outbox,
    Ses,
}

/// How the service is wired: its adapters and what they need, and the local runner's port (the
/// policy they serve is [`Settings`]).
#[derive(Debug, Clone)]
pub struct Wiring {
    /// The local runner's port on 127.0.0.1.
    pub port: u16,
    pub store: StoreKind,
    pub mailer: MailerKind,
    pub table_name: String,
    pub mail_from: String,
    /// SES configuration set, if any.
    pub ses_configuration_set: Option<String>,
    /// Base64 of a 32-byte master secret; the local runner makes one up when it is absent.
    pub master_secret: Option<String>,
    /// Secrets Manager secret (ARN or name) holding the master secret, read once at cold start
    /// when `master_secret` is absent: the secret never sits in a function's configuration.
    pub master_secret_id: Option<String>,
}

impl Wiring {
    /// Reads the process environment.
    pub fn from_env(runner: Runner) -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok(), runner)
    }

    /// Reads the wiring through `lookup`: the local runner defaults to the in-memory store and
    /// the local outbox, a Lambda to DynamoDB and SES.
    pub fn from_lookup(
        lookup: impl Fn(&str) -> Option<String>,
        runner: Runner,
    ) -> Result<Self, ConfigError> {
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let local = runner == Runner::Local;
        let store = match get("STORE").as_deref() {
            None if local => StoreKind::Memory,
            None => StoreKind::DynamoDb,
            Some("memory") => StoreKind::Memory,
            Some("dynamodb") => StoreKind::DynamoDb,
            Some(other) => {
                return Err(bad("STORE", format!("'{other}' is not memory or dynamodb")));
            }
        };
        let mailer = match get("MAILER").as_deref() {
            None if local => MailerKind::Outbox,
            None => MailerKind::Ses,
            Some("outbox") => MailerKind::Outbox,
            Some("ses") => MailerKind::Ses,
            Some(other) => return Err(bad("MAILER", format!("'{other}' is not outbox or ses"))),
        };
        Ok(Self {
            port: number(&get, "PORT", 3000)?,
            store,
            mailer,
            table_name: get("TABLE_NAME").unwrap_or_else(|| "digital-keys".into()),
            mail_from: get("MAIL_FROM").unwrap_or_else(|| "no-reply@digital-keys.local".into()),
            ses_configuration_set: get("SES_CONFIGURATION_SET"),
            master_secret: get("MASTER_SECRET"),
            master_secret_id: get("MASTER_SECRET_ID"),
        })
    }

    /// Whether the master secret comes from somewhere that outlives the process.
    pub fn keeps_its_secret(&self) -> bool {
        self.master_secret.is_some() || self.master_secret_id.is_some()
    }
}

/// What the local runner keeps besides the `App`: the outbox it shows on its mailbox page, and
/// the wiring it was made with.
pub struct Wired {
    pub app: App,
    pub outbox: Option<Arc<Outbox>>,
    pub wiring: Wiring,
}

/// The service cannot start with these settings.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Config(#[from] keys_domain::config::ConfigError),
    #[error(transparent)]
    Secret(#[from] keys_domain::secrets::BadMasterSecret),
    #[error("MASTER_SECRET or MASTER_SECRET_ID is required outside the local runner")]
    NoSecret,
    #[error("the master secret could not be read from Secrets Manager: {0}")]
    SecretUnreadable(String),
}

/// Reads the environment (policy and wiring) and connects the adapters it names.
pub async fn from_env(runner: Runner) -> Result<Wired, StartupError> {
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let settings = Settings::from_env(runner, clock.now())?;
    let wiring = Wiring::from_env(runner)?;
    wire(settings, wiring, clock, runner).await
}

/// Connects the adapters `wiring` names, with the AWS settings of the environment.
pub async fn wire(
    settings: Settings,
    wiring: Wiring,
    clock: Arc<dyn Clock>,
    runner: Runner,
) -> Result<Wired, StartupError> {
    let needs_aws = wiring.store == StoreKind::DynamoDb
        || wiring.mailer == MailerKind::Ses
        || (wiring.master_secret.is_none() && wiring.master_secret_id.is_some());
    let aws = if needs_aws {
        Some(crate::sdk::from_env().await)
    } else {
        None
    };
    wire_with(settings, wiring, clock, runner, aws).await
}

/// Connects the adapters `wiring` names through `aws` (its credentials and endpoint): the IAM
/// test gives each function its own role's credentials this way.
pub async fn wire_with(
    settings: Settings,
    wiring: Wiring,
    clock: Arc<dyn Clock>,
    runner: Runner,
    aws: Option<aws_config::SdkConfig>,
) -> Result<Wired, StartupError> {
    let secrets: Arc<dyn Secrets> = match (&wiring.master_secret, &wiring.master_secret_id) {
        (Some(text), _) => Arc::new(MasterSecret::from_base64(text)?),
        (None, Some(id)) => {
            let client =
                aws_sdk_secretsmanager::Client::new(aws.as_ref().ok_or(StartupError::NoSecret)?);
            Arc::new(read_master_secret(&client, id).await?)
        }
        (None, None) if runner == Runner::Local => Arc::new(MasterSecret::random()),
        (None, None) => return Err(StartupError::NoSecret),
    };
    let store: Arc<dyn Store> = match (&aws, wiring.store) {
        (Some(aws), StoreKind::DynamoDb) => Arc::new(DynamoStore::new(
            aws_sdk_dynamodb::Client::new(aws),
            wiring.table_name.clone(),
            clock.clone(),
        )),
        _ => Arc::new(MemoryStore::new(clock.clone())),
    };
    let mut outbox = None;
    let mailer: Arc<dyn Mailer> = match (&aws, wiring.mailer) {
        (Some(aws), MailerKind::Ses) => Arc::new(SesMailer::new(
            aws_sdk_sesv2::Client::new(aws),
            wiring.mail_from.clone(),
            wiring.ses_configuration_set.clone(),
        )),
        _ => {
            let local = Arc::new(Outbox::new(clock.clone()));
            outbox = Some(local.clone());
            local
        }
    };
    let app = App {
        store,
        mailer,
        clock,
        secrets,
        deliver_in_process: runner == Runner::Local,
        settings: Arc::new(settings),
    };
    Ok(Wired {
        app,
        outbox,
        wiring,
    })
}

/// Reads the master secret from Secrets Manager (its `SecretString`: 32 bytes, base64).
async fn read_master_secret(
    client: &aws_sdk_secretsmanager::Client,
    id: &str,
) -> Result<MasterSecret, StartupError> {
    use aws_sdk_secretsmanager::error::DisplayErrorContext;
    let answer = client
        .get_secret_value()
        .secret_id(id)
        .send()
        .await
        .map_err(|err| StartupError::SecretUnreadable(DisplayErrorContext(err).to_string()))?;
    let text = answer
        .secret_string()
        .ok_or_else(|| StartupError::SecretUnreadable("the secret has no SecretString".into()))?;
    Ok(MasterSecret::from_base64(text)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(pairs: &[(&str, &str)], runner: Runner) -> Result<Wiring, ConfigError> {
        Wiring::from_lookup(
            |name| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())
            },
            runner,
        )
    }

    #[test]
    fn the_local_runner_defaults_to_local_adapters_and_a_lambda_to_aws() {
        let local = read(&[], Runner::Local).expect("defaults");
        assert_eq!(local.port, 3000);
        assert_eq!(local.store, StoreKind::Memory);
        assert_eq!(local.mailer, MailerKind::Outbox);
        assert!(!local.keeps_its_secret());
        let lambda = read(&[("MASTER_SECRET_ID", "keys/master")], Runner::Lambda).expect("ok");
        assert_eq!(lambda.store, StoreKind::DynamoDb);
        assert_eq!(lambda.mailer, MailerKind::Ses);
        assert_eq!(lambda.table_name, "digital-keys");
        assert!(lambda.keeps_its_secret());
    }

    #[test]
    fn nonsense_is_refused_by_name() {
        for (name, value) in [("STORE", "redis"), ("MAILER", "smtp"), ("PORT", "eighty")] {
            assert_eq!(
                read(&[(name, value)], Runner::Local).unwrap_err().name,
                name
            );
        }
    }
}
