//! The AWS emulator for the DynamoDB tests: a moto server of this test's own on a free loopback port, stopped when done (its memory goes with it), else the suite's (`AWS_ENDPOINT_URL`).

use keys_domain::App;
use keys_domain::clock::{Clock, SystemClock};
use keys_domain::config::{Runner, Settings};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A running emulator; one this test started is stopped when it is dropped.
pub struct Emulator {
    pub endpoint: String,
    child: Option<Child>,
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(child) = self.child.as_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// moto's server: `DK_MOTO_SERVER`, else the workspace's `.venv` (tests/venv.sh makes it).
fn moto_server() -> Option<std::path::PathBuf> {
    if let Ok(path) = std::env::var("DK_MOTO_SERVER") {
        return Some(path.into());
    }
    let venv = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/moto_server");
    venv.exists().then_some(venv)
}

/// The emulator: one started here when moto's server can be found (`DK_MOTO_SERVER`, which
/// tests/run.sh sets, or the workspace's `.venv`), else the suite's at `AWS_ENDPOINT_URL`.
/// Never a real AWS account.
pub fn start() -> Emulator {
    let Some(moto) = moto_server() else {
        let Ok(url) = std::env::var("AWS_ENDPOINT_URL") else {
            panic!(
                "EMULATOR TESTS CANNOT RUN: set DK_MOTO_SERVER to moto's server or AWS_ENDPOINT_URL \
                 to a loopback emulator (tests/run.sh does both; tests/venv.sh installs moto in .venv)"
            );
        };
        assert!(
            url.starts_with("http://127.0.0.1") || url.starts_with("http://localhost"),
            "AWS_ENDPOINT_URL={url} is not a loopback emulator; refusing to run emulator tests against it"
        );
        return Emulator {
            endpoint: url,
            child: None,
        };
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port();
    // moto's own server handles requests on several threads, and its transactions are not atomic
    // against each other (a transaction restores a copy of the table taken before another's
    // writes); the suite's wrapper (tests/moto_server.py) serves one request at a time, as the
    // suite's own emulator does. It runs on the Python beside `moto_server`.
    let wrapper =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/moto_server.py");
    let python = moto.with_file_name("python");
    let mut command = if wrapper.exists() && python.exists() {
        let mut command = Command::new(&python);
        command.arg(&wrapper);
        command
    } else {
        Command::new(&moto)
    };
    let child = command
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|err| panic!("cannot start {}: {err}", moto.display()));
    let emulator = Emulator {
        endpoint: format!("http://127.0.0.1:{port}"),
        child: Some(child),
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "moto's server did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    emulator
}

/// The environment the binary runs with against the emulator.
pub fn env(endpoint: &str, secret: &str) -> Vec<(&'static str, String)> {
    vec![
        ("AWS_ENDPOINT_URL", endpoint.to_string()),
        ("AWS_REGION", "us-east-1".into()),
        ("AWS_ACCESS_KEY_ID", "test".into()),
        ("AWS_SECRET_ACCESS_KEY", "test".into()),
        ("AWS_EC2_METADATA_DISABLED", "true".into()),
        ("MASTER_SECRET", secret.to_string()),
    ]
}

/// The service's key schema (`pk`, `sk`), without the stream `create_table_if_missing` adds:
/// moto keeps every stream record and copies the whole table, stream included, for each
/// transaction, so its memory grows by gigabytes over a few hundred imported citizens.
async fn create_table(client: &aws_sdk_dynamodb::Client, table: &str) {
    use aws_sdk_dynamodb::types::{
        AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType,
    };
    let attribute = |name: &str| {
        AttributeDefinition::builder()
            .attribute_name(name)
            .attribute_type(ScalarAttributeType::S)
            .build()
            .expect("attribute")
    };
    let key = |name: &str, kind: KeyType| {
        KeySchemaElement::builder()
            .attribute_name(name)
            .key_type(kind)
            .build()
            .expect("key")
    };
    client
        .create_table()
        .table_name(table)
        .attribute_definitions(attribute("pk"))
        .attribute_definitions(attribute("sk"))
        .key_schema(key("pk", KeyType::Hash))
        .key_schema(key("sk", KeyType::Range))
        .billing_mode(BillingMode::PayPerRequest)
        .send()
        .await
        .expect("create the table");
}

/// A new table on the emulator and an `App` on it with this master secret, as the binary builds one.
pub async fn app(endpoint: &str, table: &str, secret: &str) -> App {
    use aws_sdk_dynamodb::config::{Credentials, Region};
    let aws = keys_aws::sdk::loader()
        .endpoint_url(endpoint)
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(
            "test",
            "test",
            None,
            None,
            "keys-admin-tests",
        ))
        .load()
        .await;
    create_table(&aws_sdk_dynamodb::Client::new(&aws), table).await;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let lookup = |name: &str| match name {
        "STORE" => Some("dynamodb".to_string()),
        "MAILER" => Some("outbox".to_string()),
        "TABLE_NAME" => Some(table.to_string()),
        "MASTER_SECRET" => Some(secret.to_string()),
        _ => None,
    };
    let settings = Settings::from_lookup(lookup, Runner::Local, clock.now()).expect("settings");
    let wiring = keys_aws::wiring::Wiring::from_lookup(lookup, Runner::Local).expect("wiring");
    keys_aws::wiring::wire_with(settings, wiring, clock, Runner::Local, Some(aws))
        .await
        .expect("wired")
        .app
}

/// A random master secret, base64, as `MASTER_SECRET` takes it.
pub fn secret() -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// A table name no other run uses.
pub fn table(prefix: &str) -> String {
    format!("{prefix}-{}-{}", std::process::id(), rand::random::<u32>())
}
