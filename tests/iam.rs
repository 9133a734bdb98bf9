//! Least privilege proven, not read: the journeys run with each function holding only its own
//! role's grants from infra/template.yaml, on a moto server of its own that enforces IAM, so a grant
//! missing from a role fails here. Each function's router runs with an `App` wired through its own
//! credentials, as in Lambda (no in-process mail delivery); the notifications go out through
//! `mail-dispatch`'s stream handler with `mail-dispatch`'s credentials.
//!
//! moto checks actions, not resources (a statement matches only `Resource: "*"`), and authorises a
//! transaction as the one action `dynamodb:TransactWriteItems` where AWS checks each item's action;
//! the roles' resources are checked in infra/local/tests/template_routes.rs.

use aws_sdk_dynamodb::types::AttributeValue;
use blackbox::{Service, submit_login, token_login_to_notice};
use keys_core::App;
use keys_core::clock::{Clock, SystemClock};
use keys_core::config::{Runner, Settings};
use keys_core::wiring::{MailerKind, StoreKind, Wiring};
use serde_json::{Value as Json, json};
use std::collections::BTreeMap;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

const MAIL_FROM: &str = "no-reply@digital-keys.example.org";
const SECRET_NAME: &str = "digital-keys/master-secret";

/// A moto server of this test's own (IAM enforcement is server-wide), stopped when dropped.
struct Moto {
    child: Child,
    endpoint: String,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn moto_server_path() -> String {
    std::env::var("DK_MOTO_SERVER").unwrap_or_else(|_| {
        panic!(
            "THE IAM TEST CANNOT RUN: DK_MOTO_SERVER is not set. Run tests/run.sh, which installs \
             moto's server in .venv and sets it."
        )
    })
}

async fn start_moto() -> Moto {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let child = Command::new(moto_server_path())
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        // Unchecked until set-up is done; then /moto-api/reset-auth turns checking on.
        .env("INITIAL_NO_AUTH_ACTION_COUNT", "1000000")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start moto's server");
    let moto = Moto {
        child,
        endpoint: format!("http://127.0.0.1:{port}"),
    };
    for _ in 0..150 {
        if reqwest::get(format!("{}/moto-api/", moto.endpoint))
            .await
            .is_ok()
        {
            return moto;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("moto's server did not start on {}", moto.endpoint);
}

/// Each function's granted actions, read from the template (binary name from its CodeUri).
fn granted_actions() -> BTreeMap<String, Vec<String>> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../infra/template.yaml");
    let text = std::fs::read_to_string(path).expect("infra/template.yaml");
    let template: serde_yaml::Value = serde_yaml::from_str(&text).expect("YAML");
    let mut granted = BTreeMap::new();
    for (_, resource) in template["Resources"].as_mapping().expect("Resources") {
        if resource["Type"] != "AWS::Serverless::Function" {
            continue;
        }
        let binary = resource["Properties"]["CodeUri"]
            .as_str()
            .and_then(|c| c.strip_prefix("../target/lambda/"))
            .map(|c| c.trim_end_matches('/').to_string())
            .expect("CodeUri ../target/lambda/<binary>/");
        let mut actions: Vec<String> = Vec::new();
        for policy in resource["Properties"]["Policies"]
            .as_sequence()
            .expect("Policies")
        {
            for statement in policy["Statement"].as_sequence().expect("Statement") {
                for action in statement["Action"].as_sequence().expect("Action") {
                    actions.push(action.as_str().expect("action").to_string());
                }
            }
        }
        // moto's name for what AWS checks item by item (see the module comment).
        if actions.iter().any(|a| a == "dynamodb:ConditionCheckItem") {
            actions.push("dynamodb:TransactWriteItems".into());
        }
        granted.insert(binary, actions);
    }
    granted
}

/// Creates the IAM users (one per function, with its role's actions, and an operator) through
/// tests/iam_users.py with the venv's boto3; gives their access keys.
fn create_users(endpoint: &str, granted: &BTreeMap<String, Vec<String>>) -> Json {
    let python = std::path::Path::new(&moto_server_path())
        .with_file_name("python")
        .to_string_lossy()
        .into_owned();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/iam_users.py");
    let mut child = Command::new(python)
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run tests/iam_users.py");
    let input = json!({ "endpoint": endpoint, "functions": granted }).to_string();
    std::io::Write::write_all(child.stdin.as_mut().expect("stdin"), input.as_bytes())
        .expect("write the users to create");
    drop(child.stdin.take());
    let output = child.wait_with_output().expect("tests/iam_users.py ran");
    assert!(output.status.success(), "tests/iam_users.py failed");
    serde_json::from_slice(&output.stdout).expect("access keys as JSON")
}

async fn sdk_config(endpoint: &str, key_id: &str, secret: &str) -> aws_config::SdkConfig {
    keys_core::aws::loader()
        .endpoint_url(endpoint)
        .region(aws_config::Region::new("us-east-1"))
        .credentials_provider(aws_sdk_dynamodb::config::Credentials::new(
            key_id, secret, None, None, "iam-test",
        ))
        .load()
        .await
}

/// The policy of a function in Lambda, published over plain http on the emulator.
fn settings() -> Settings {
    let mut settings = Settings::from_lookup(
        |name| match name {
            "TOKEN_SUNSET_AT" => Some("2027-03-01T00:00:00Z".to_string()),
            "HELP_DESK_CONTACT" => Some("02 123 45 67".to_string()),
            _ => None,
        },
        Runner::Lambda,
        SystemClock.now(),
    )
    .expect("settings");
    settings.https = false;
    settings
}

/// The wiring of a function in Lambda: DynamoDB, SES, the master secret from Secrets Manager.
fn wiring(table: &str) -> Wiring {
    let mut wiring = Wiring::from_lookup(|_| None, Runner::Lambda).expect("wiring");
    wiring.store = StoreKind::DynamoDb;
    wiring.mailer = MailerKind::Ses;
    wiring.table_name = table.to_string();
    wiring.mail_from = MAIL_FROM.into();
    wiring.master_secret = None;
    wiring.master_secret_id = Some(SECRET_NAME.into());
    wiring
}

/// The function's `App` as in Lambda, wired through its own credentials (the master secret too).
async fn function_app(endpoint: &str, keys: &Json, name: &str, table: &str) -> App {
    let key = &keys[name];
    let config = sdk_config(
        endpoint,
        key["id"].as_str().expect("key id"),
        key["secret"].as_str().expect("secret"),
    )
    .await;
    keys_core::wiring::wire_with(
        settings(),
        wiring(table),
        Arc::new(SystemClock),
        Runner::Lambda,
        Some(config),
    )
    .await
    .unwrap_or_else(|err| panic!("{name} cannot start with its own role: {err}"))
    .app
}

/// What the table's stream would hand `mail-dispatch`: the outbox items as INSERT records.
async fn outbox_as_stream_event(table: &str, operator: &aws_config::SdkConfig) -> Json {
    let (prefix, shards) = (
        keys_core::dispatch::OUTBOX_PK,
        keys_core::dispatch::OUTBOX_SHARDS,
    );
    partitions_as_stream_event(table, operator, prefix, shards).await
}

/// What the table's stream would hand a function filtering on `prefix#`: the items of those
/// partitions as INSERT records.
async fn partitions_as_stream_event(
    table: &str,
    operator: &aws_config::SdkConfig,
    prefix: &str,
    shards: u32,
) -> Json {
    let client = aws_sdk_dynamodb::Client::new(operator);
    let mut items = Vec::new();
    for shard in 0..shards {
        let pk = format!("{prefix}#{shard}");
        items.extend(
            client
                .query()
                .table_name(table)
                .key_condition_expression("pk = :pk")
                .expression_attribute_values(":pk", AttributeValue::S(pk))
                .send()
                .await
                .expect("read the partition")
                .items
                .unwrap_or_default(),
        );
    }
    let records: Vec<Json> = items
        .iter()
        .enumerate()
        .map(|(n, item)| {
            let image: serde_json::Map<String, Json> = item
                .iter()
                .filter_map(|(k, v)| match v {
                    AttributeValue::S(s) => Some((k.clone(), json!({ "S": s }))),
                    AttributeValue::N(n) => Some((k.clone(), json!({ "N": n }))),
                    _ => None,
                })
                .collect();
            json!({ "eventID": (n + 1).to_string(), "eventName": "INSERT", "awsRegion": "us-east-1",
                    "dynamodb": { "SequenceNumber": (n + 1).to_string(), "SizeBytes": 100, "NewImage": image } })
        })
        .collect();
    json!({ "Records": records })
}

/// The items a stream batch inserted, read as the stream functions read them.
fn inserted(event: &Json) -> Vec<(String, keys_core::store::Item)> {
    let batch: keys_core::stream::Batch =
        serde_json::from_value(event.clone()).expect("a DynamoDB stream batch");
    keys_core::stream::inserted_items(&batch)
}

#[tokio::test]
async fn the_journeys_pass_with_each_function_holding_only_its_own_role() {
    let moto = start_moto().await;
    let endpoint = moto.endpoint.clone();
    let granted = granted_actions();
    assert_eq!(granted.len(), 19, "every function of the template");
    let keys = create_users(&endpoint, &granted);

    let setup = sdk_config(&endpoint, "setup", "setup").await;
    let table = "digital-keys-iam";
    keys_core::store::dynamodb::create_table_if_missing(
        &aws_sdk_dynamodb::Client::new(&setup),
        table,
    )
    .await
    .expect("create the table");
    keys_core::mailer::ses::create_sender_identity(&aws_sdk_sesv2::Client::new(&setup), MAIL_FROM)
        .await
        .expect("verify the sender");
    aws_sdk_secretsmanager::Client::new(&setup)
        .create_secret()
        .name(SECRET_NAME)
        .secret_string(data_encoding::BASE64.encode(&[7u8; 32]))
        .send()
        .await
        .expect("create the master secret");
    // The ID-token signing key (the template's SigningKey).
    let signing_key = aws_sdk_kms::Client::new(&setup)
        .create_key()
        .key_spec(aws_sdk_kms::types::KeySpec::Rsa2048)
        .key_usage(aws_sdk_kms::types::KeyUsageType::SignVerify)
        .send()
        .await
        .expect("create the signing key")
        .key_metadata()
        .map(|m| m.key_id().to_string())
        .expect("key id");
    let enforced = reqwest::Client::new()
        .post(format!("{endpoint}/moto-api/reset-auth"))
        .body("0")
        .send()
        .await
        .expect("turn IAM checks on");
    assert!(enforced.status().is_success());
    let anonymous = aws_sdk_dynamodb::Client::new(&setup)
        .get_item()
        .table_name(table)
        .key("pk", AttributeValue::S("x".into()))
        .key("sk", AttributeValue::S("x".into()))
        .send()
        .await;
    assert!(
        anonymous.is_err(),
        "the emulator refuses credentials no IAM user holds: IAM is enforced"
    );

    let (listener, base) = blackbox::bind().await;
    let mut routes = axum::Router::new();
    for (name, router) in local::functions() {
        let app = function_app(&endpoint, &keys, name, table).await;
        let mut router = router.into_router();
        if name.starts_with("oidc-") {
            // The OpenID Connect functions sign (or read public keys) with their own credentials.
            let key = &keys[name];
            let config = sdk_config(
                &endpoint,
                key["id"].as_str().expect("key id"),
                key["secret"].as_str().expect("secret"),
            )
            .await;
            let signer = keys_aws::kms::KmsSigner::new(
                aws_sdk_kms::Client::new(&config),
                vec![signing_key.clone()],
            )
            .expect("signer");
            let settings = keys_oidc::OidcSettings {
                issuer: Some(base.clone()),
                ..Default::default()
            };
            router = router.layer(axum::Extension(keys_oidc::Provider::new(
                settings,
                Some(Arc::new(signer)),
            )));
        }
        routes = routes.merge(router.with_state(app));
    }
    let operator_key = &keys["operator"];
    let operator = sdk_config(
        &endpoint,
        operator_key["id"].as_str().expect("id"),
        operator_key["secret"].as_str().expect("secret"),
    )
    .await;
    let enrolment = keys_core::wiring::wire_with(
        settings(),
        wiring(table),
        Arc::new(SystemClock),
        Runner::Local,
        Some(operator.clone()),
    )
    .await
    .expect("the operator's enrolment app")
    .app;
    let dispatch = function_app(&endpoint, &keys, "mail-dispatch", table).await;
    blackbox::serve_on(
        listener,
        routes.merge(local::dev_router(enrolment.clone(), None)),
    );
    let service = Service {
        base,
        local: None,
        emulator: Some(endpoint.clone()),
    };

    // The e-mail key: token login, wizard, switch; notifications by mail-dispatch; e-mail login.
    let citizen = service.new_citizen("fr").await;
    let browser = service.browser("fr");
    let notice = token_login_to_notice(&browser, &citizen).await;
    let step1 = browser.act(&notice, "activate", &[]).await;
    let step2 = browser.act(&step1, "confirm", &[]).await;
    let step3 = browser.act(&step2, "submit", &[("key", "email")]).await;
    assert_eq!(step3.step(), "activate.email_code", "{}", step3.json);
    let code = service.last_mail_to(&citizen.email).await.code();
    let done = browser.act(&step3, "submit", &[("code", &code)]).await;
    assert_eq!(done.step(), "activate.done", "{}", done.json);
    let event = outbox_as_stream_event(table, &operator).await;
    assert_eq!(event["Records"].as_array().map(Vec::len), Some(2));
    let to_retry = keys_core::dispatch::deliver_inserted(&dispatch, inserted(&event)).await;
    assert!(to_retry.is_empty(), "mail-dispatch sent both");
    let left = outbox_as_stream_event(table, &operator).await;
    assert_eq!(
        left["Records"].as_array().map(Vec::len),
        Some(0),
        "mail-dispatch removed what it sent (DeleteItem granted)"
    );
    assert_eq!(service.wait_for_mails(&citizen.email, 3).await.len(), 3);
    let out = browser.act(&done, "end_session", &[]).await;
    assert_eq!(out.step(), "logged_out");
    let asked = submit_login(&browser, &citizen.username, &citizen.password, "email").await;
    assert_eq!(asked.step(), "login.email", "{}", asked.json);
    let resent = browser.act(&asked, "resend", &[]).await;
    let login_code = service.last_mail_to(&citizen.email).await.code();
    let keys_page = browser
        .act(&resent, "submit", &[("code", &login_code)])
        .await;
    assert_eq!(keys_page.step(), "keys", "{}", keys_page.json);
    let signed_out = browser.act(&keys_page, "sign_out", &[]).await;
    assert_eq!(signed_out.step(), "logged_out");

    // The app key, and an e-mail address change on the way (confirm-email mails a code).
    let citizen = service.new_citizen("en").await;
    let browser = service.browser("en");
    let notice = token_login_to_notice(&browser, &citizen).await;
    let step1 = browser.act(&notice, "activate", &[]).await;
    let new_address = format!("new-{}", citizen.email);
    let verify = browser.change_address(&step1, &new_address).await;
    assert_eq!(verify.step(), "activate.email.verify", "{}", verify.json);
    let change_code = service.last_mail_to(&new_address).await.code();
    let step2 = browser
        .act(&verify, "submit", &[("code", &change_code)])
        .await;
    assert_eq!(step2.step(), "activate.select", "{}", step2.json);
    let install = browser.act(&step2, "submit", &[("key", "app")]).await;
    let pair = browser.act(&install, "next", &[]).await;
    assert_eq!(pair.step(), "activate.app.pair", "{}", pair.json);
    let secret = data_encoding::BASE32_NOPAD
        .decode(
            pair.json["data"]["secret"]
                .as_str()
                .expect("secret")
                .as_bytes(),
        )
        .expect("base32");
    let phone = |at: u64| totp_lite::totp_custom::<totp_lite::Sha1>(30, 6, &secret, at);
    let done = browser
        .act(&pair, "submit", &[("code", &phone(service.now_secs()))])
        .await;
    assert_eq!(done.step(), "activate.done", "{}", done.json);
    let event = outbox_as_stream_event(table, &operator).await;
    let to_retry = keys_core::dispatch::deliver_inserted(&dispatch, inserted(&event)).await;
    assert!(to_retry.is_empty(), "mail-dispatch sent them");
    browser.act(&done, "end_session", &[]).await;
    // The pairing code's step is used: log in with the next step's code once it has come (a
    // code of a future step is refused).
    let now = service.now_secs();
    service.pass_time(30 - now % 30 + 1).await;
    let asked = submit_login(&browser, &citizen.username, &citizen.password, "app").await;
    assert_eq!(asked.step(), "login.app", "{}", asked.json);
    let keys_page = browser
        .act(&asked, "submit", &[("code", &phone(service.now_secs()))])
        .await;
    assert_eq!(keys_page.step(), "keys", "{}", keys_page.json);
    // My profile (my-keys) mails the code that verifies a new address itself.
    let profile = browser.get("/profile").await;
    let form = browser.act(&profile, "change_email", &[]).await;
    let new_address = format!("profile.{}", citizen.email);
    let verify = browser
        .act(&form, "submit", &[("email", &new_address)])
        .await;
    assert_eq!(verify.step(), "profile.email.verify", "{}", verify.json);
    let profile_code = service.last_mail_to(&new_address).await.code();
    let changed = browser
        .act(&verify, "submit", &[("code", &profile_code)])
        .await;
    assert_eq!(
        changed.json["data"]["email"],
        json!(new_address),
        "{}",
        changed.json
    );
    let backchannel = Backchannel {
        app: function_app(&endpoint, &keys, "oidc-backchannel", table).await,
        signer: {
            let key = &keys["oidc-backchannel"];
            let config = sdk_config(
                &endpoint,
                key["id"].as_str().expect("key id"),
                key["secret"].as_str().expect("secret"),
            )
            .await;
            Arc::new(
                keys_aws::kms::KmsSigner::new(
                    aws_sdk_kms::Client::new(&config),
                    vec![signing_key.clone()],
                )
                .expect("signer"),
            )
        },
        operator: operator.clone(),
        table: table.to_string(),
    };
    oidc_journey(&service, &enrolment, &backchannel).await;

    // The registration office (office, activation-letter), its mails queued in the outbox and
    // sent by mail-dispatch on its own role, as the table's stream would hand them over.
    let delivering = tokio::spawn({
        let (table, operator, dispatch) = (table.to_string(), operator.clone(), dispatch.clone());
        async move {
            loop {
                let event = outbox_as_stream_event(&table, &operator).await;
                keys_core::dispatch::deliver_inserted(&dispatch, inserted(&event)).await;
                tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            }
        }
    });
    blackbox::journeys::office_journey(&service, "de").await;
    delivering.abort();
    println!("journeys passed with each function holding only its own role (IAM enforced by moto)");
}

/// A service logs a token citizen in through the OpenID Connect functions, each on its own role:
/// the code (oidc-authorize), the ID token signed in KMS (oidc-token, kms:Sign), the JWKS
/// (oidc-discovery, kms:GetPublicKey), userinfo, and the logout that checks the hint
/// (oidc-logout, kms:GetPublicKey).
/// `oidc-backchannel` as in Lambda: its own role's credentials for the table and KMS.
struct Backchannel {
    app: App,
    signer: Arc<keys_aws::kms::KmsSigner>,
    operator: aws_config::SdkConfig,
    table: String,
}

async fn oidc_journey(service: &Service, operator: &App, backchannel: &Backchannel) {
    use base64::Engine;
    use sha2::Digest;
    let redirect = format!("{}/logged-out", service.base);
    let pages = blackbox::relying_party::Pages::start().await;
    let registered = keys_oidc::clients::register(
        operator,
        keys_oidc::clients::Registration {
            name: "Tax office".into(),
            redirect_uris: vec![redirect.clone()],
            post_logout_redirect_uris: vec![redirect.clone()],
            backchannel_logout_uri: Some(format!("{}/backchannel", pages.base)),
            ..Default::default()
        },
    )
    .await
    .expect("client registered by the operator");
    let client_id = registered.client.client_id.clone();
    let secret = registered.client_secret.expect("secret");
    let verifier = "iam-test-verifier-0123456789-abcdefghijklmnopqrstuvwxyz";
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(sha2::Sha256::digest(verifier.as_bytes()));
    let citizen = service.new_citizen("en").await;
    let browser = service.browser("en");
    let query = serde_urlencoded::to_string([
        ("response_type", "code"),
        ("client_id", client_id.as_str()),
        ("redirect_uri", redirect.as_str()),
        ("scope", "openid"),
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
    ])
    .expect("query");
    let login = browser.get(&format!("/oidc/authorize?{query}")).await;
    assert_eq!(login.step(), "login", "{}", login.json);
    let token_page = browser
        .act(
            &login,
            "submit",
            &[
                ("username", &citizen.username),
                ("password", &citizen.password),
                ("key", "token"),
            ],
        )
        .await;
    let code = citizen.card_code(&token_page.json["data"]["challenge_index"]);
    let notice = browser.act(&token_page, "submit", &[("code", &code)]).await;
    assert_eq!(notice.step(), "login.token.notice", "{}", notice.json);
    // Close, read where the browser ends up: the redirect address with the code.
    let close = notice.action("close")["href"]
        .as_str()
        .expect("href")
        .to_string();
    let csrf = notice.json["csrf"].as_str().expect("csrf").to_string();
    let landed = browser
        .client
        .post(browser.link(&close))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .expect("close the notice");
    let url = landed.url().clone();
    let code = url
        .query_pairs()
        .find(|(n, _)| n == "code")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| panic!("no code at {url}"));
    let tokens: Json = reqwest::Client::new()
        .post(format!("{}/oidc/token", service.base))
        .basic_auth(&client_id, Some(&secret))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", redirect.as_str()),
            ("code_verifier", verifier),
        ])
        .send()
        .await
        .expect("POST token")
        .json()
        .await
        .expect("token JSON");
    let id_token = tokens["id_token"]
        .as_str()
        .unwrap_or_else(|| panic!("oidc-token signed in KMS on its own role: {tokens}"));
    let jwks: jsonwebtoken::jwk::JwkSet = reqwest::get(format!("{}/oidc/jwks", service.base))
        .await
        .expect("GET jwks")
        .json()
        .await
        .expect("oidc-discovery read the public key on its own role");
    let key = jsonwebtoken::DecodingKey::from_jwk(&jwks.keys[0]).expect("key");
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    validation.set_audience(&[&client_id]);
    jsonwebtoken::decode::<Json>(id_token, &key, &validation).expect("the ID token verifies");
    let userinfo = reqwest::Client::new()
        .get(format!("{}/oidc/userinfo", service.base))
        .bearer_auth(tokens["access_token"].as_str().expect("access token"))
        .send()
        .await
        .expect("GET userinfo");
    assert_eq!(userinfo.status().as_u16(), 200);
    let bye = serde_urlencoded::to_string([
        ("id_token_hint", id_token),
        ("post_logout_redirect_uri", redirect.as_str()),
    ])
    .expect("query");
    let out = browser.get(&format!("/oidc/logout?{bye}")).await;
    assert_eq!(
        out.step(),
        "logged_out",
        "oidc-logout checked the hint on its own role"
    );
    assert_eq!(
        browser.get("/keys").await.step(),
        "login",
        "the session ended"
    );

    // The session's end left a logout notice; oidc-backchannel, on its own role, reads the client
    // (GetItem), signs the logout token in KMS (Sign) and removes the notice (DeleteItem).
    let (prefix, shards) = (
        keys_core::logout_notices::NOTICE_PK,
        keys_core::logout_notices::NOTICE_SHARDS,
    );
    let event =
        partitions_as_stream_event(&backchannel.table, &backchannel.operator, prefix, shards).await;
    assert_eq!(
        event["Records"].as_array().map(Vec::len),
        Some(1),
        "{event}"
    );
    let delivery = keys_oidc::backchannel::Delivery {
        app: backchannel.app.clone(),
        issuer: service.base.clone(),
        signer: backchannel.signer.clone(),
        poster: Arc::new(keys_oidc::backchannel::HttpsPoster::new().expect("HTTP client")),
    };
    assert!(
        delivery.deliver_inserted(inserted(&event)).await.is_empty(),
        "oidc-backchannel delivered on its own role"
    );
    let token = pages.logout_token(1, 10).await;
    let header = jsonwebtoken::decode_header(&token).expect("a JWT");
    assert_eq!(header.typ.as_deref(), Some("logout+jwt"));
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    validation.set_audience(&[&client_id]);
    let claims = jsonwebtoken::decode::<Json>(&token, &key, &validation)
        .expect("the logout token verifies with the published key")
        .claims;
    let id_claims = jsonwebtoken::decode::<Json>(id_token, &key, &validation)
        .expect("the ID token verifies")
        .claims;
    assert_eq!(claims["sid"], id_claims["sid"], "the session that ended");
    let left =
        partitions_as_stream_event(&backchannel.table, &backchannel.operator, prefix, shards).await;
    assert_eq!(
        left["Records"].as_array().map(Vec::len),
        Some(0),
        "the delivered notice is gone"
    );
}
