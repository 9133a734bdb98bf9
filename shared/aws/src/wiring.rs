//! The composition root: the `App` wired from settings into AWS (DynamoDB, SES, Secrets Manager) or local adapters.

use crate::dynamodb::DynamoStore;
use crate::ses::SesMailer;
use keys_domain::app::App;
use keys_domain::clock::{Clock, SystemClock};
use keys_domain::config::{MailerKind, Runner, Settings, StoreKind};
use keys_domain::mailer::Mailer;
use keys_domain::mailer::outbox::Outbox;
use keys_domain::secrets::{MasterSecret, Secrets};
use keys_domain::store::Store;
use keys_domain::store::memory::MemoryStore;
use std::sync::Arc;

/// What the local runner keeps besides the `App`: the outbox it shows on its mailbox page.
pub struct Wired {
    pub app: App,
    pub outbox: Option<Arc<Outbox>>,
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

/// Reads the environment and connects the adapters it names.
pub async fn from_env(runner: Runner) -> Result<Wired, StartupError> {
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let settings = Settings::from_env(runner, clock.now())?;
    wire(settings, clock, runner).await
}

/// Connects the adapters the settings name, with the AWS settings of the environment.
pub async fn wire(
    settings: Settings,
    clock: Arc<dyn Clock>,
    runner: Runner,
) -> Result<Wired, StartupError> {
    let needs_aws = settings.store == StoreKind::DynamoDb
        || settings.mailer == MailerKind::Ses
        || (settings.master_secret.is_none() && settings.master_secret_id.is_some());
    let aws = if needs_aws {
        Some(crate::sdk::from_env().await)
    } else {
        None
    };
    wire_with(settings, clock, runner, aws).await
}

/// Connects the adapters the settings name through `aws` (its credentials and endpoint): the
/// IAM test gives each function its own role's credentials this way.
pub async fn wire_with(
    settings: Settings,
    clock: Arc<dyn Clock>,
    runner: Runner,
    aws: Option<aws_config::SdkConfig>,
) -> Result<Wired, StartupError> {
    let secrets: Arc<dyn Secrets> = match (&settings.master_secret, &settings.master_secret_id) {
        (Some(text), _) => Arc::new(MasterSecret::from_base64(text)?),
        (None, Some(id)) => {
            let client =
                aws_sdk_secretsmanager::Client::new(aws.as_ref().ok_or(StartupError::NoSecret)?);
            Arc::new(read_master_secret(&client, id).await?)
        }
        (None, None) if runner == Runner::Local => Arc::new(MasterSecret::random()),
        (None, None) => return Err(StartupError::NoSecret),
    };
    let store: Arc<dyn Store> = match (&aws, settings.store) {
        (Some(aws), StoreKind::DynamoDb) => Arc::new(DynamoStore::new(
            aws_sdk_dynamodb::Client::new(aws),
            settings.table_name.clone(),
            clock.clone(),
        )),
        _ => Arc::new(MemoryStore::new(clock.clone())),
    };
    let mut outbox = None;
    let mailer: Arc<dyn Mailer> = match (&aws, settings.mailer) {
        (Some(aws), MailerKind::Ses) => Arc::new(SesMailer::new(
            aws_sdk_sesv2::Client::new(aws),
            settings.mail_from.clone(),
            settings.ses_configuration_set.clone(),
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
    Ok(Wired { app, outbox })
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
