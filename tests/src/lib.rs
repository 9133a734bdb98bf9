//! The black-box harness: a service to test (in-process runner or `DK_BASE_URL`) and a client that
//! walks the JSON views by following their actions, as any client of the view contract may.

pub mod emulator;
pub mod qr;

use keys_core::config::{MailerKind, Runner, Settings, StoreKind};
use keys_core::testing::{TestApp, test_harness};
use reqwest::header::{ACCEPT, ACCEPT_LANGUAGE, HeaderMap, HeaderValue};
use serde_json::Value;
use std::collections::BTreeMap;

/// The service under test.
pub struct Service {
    pub base: String,
    /// The in-process runner's ports (store, outbox, clock), absent for a remote base URL.
    pub local: Option<TestApp>,
    /// The runner's mails go to the AWS emulator's SES, not to the local outbox.
    pub mails_on_emulator: bool,
}

/// A mail as the citizen received it.
#[derive(Debug, Clone)]
pub struct ReceivedMail {
    pub subject: String,
    pub text: String,
    pub html: String,
}

impl ReceivedMail {
    /// The first six-digit number in the text: the code a mail carries.
    pub fn code(&self) -> String {
        self.text
            .split(|c: char| !c.is_ascii_digit())
            .find(|word| word.len() == 6)
            .unwrap_or_else(|| panic!("no code in the mail: {}", self.text))
            .to_string()
    }
}

/// Serves `router` on a free loopback port and gives its base URL.
async fn listen(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a loopback port");
    let address = listener.local_addr().expect("local address");
    tokio::spawn(async move {
        if let Err(err) = local::serve(listener, router).await {
            panic!("test server stopped: {err}");
        }
    });
    format!("http://{address}")
}

impl Service {
    /// The service at `DK_BASE_URL` if set, else an in-process runner with default settings.
    ///
    /// Against a deployed stack (LocalStack or AWS) two more settings say where the dev-only parts
    /// are: `DK_ADMIN_URL`, a local runner on the same table and `MASTER_SECRET` that enrols
    /// citizens (`POST /_local/citizens`), and `DK_SES_MAILBOX_URL`, LocalStack's record of sent
    /// mails (`http://localhost:4566/_aws/ses`).
    pub async fn start() -> Service {
        match std::env::var("DK_BASE_URL") {
            Ok(base) => Service {
                base: base.trim_end_matches('/').to_string(),
                local: None,
                mails_on_emulator: false,
            },
            Err(_) => Self::start_with(|_| {}).await,
        }
    }

    /// An in-process runner (in-memory store, outbox, clock at 2026-11-22 10:00 UTC) with adjusted settings.
    pub async fn start_with(adjust: impl FnOnce(&mut Settings)) -> Service {
        let harness = test_harness(adjust);
        Self::serve(harness).await
    }

    /// Serves a prepared harness on a free loopback port.
    pub async fn serve(harness: TestApp) -> Service {
        let router = local::router(harness.app.clone(), Some(harness.outbox.clone()));
        Service {
            base: listen(router).await,
            local: Some(harness),
            mails_on_emulator: false,
        }
    }

    /// The local runner on the AWS emulator: DynamoDB (a fresh table with TTL) and SES v2 from
    /// moto's server at `AWS_ENDPOINT_URL`, the real clock, adjusted settings.
    pub async fn start_on_emulator(adjust: impl FnOnce(&mut Settings)) -> Service {
        let config = emulator::config().await;
        let table = emulator::unique("journey");
        keys_core::store::dynamodb::create_table_if_missing(
            &aws_sdk_dynamodb::Client::new(&config),
            &table,
        )
        .await
        .expect("create the table on the emulator");
        let clock: std::sync::Arc<dyn keys_core::clock::Clock> =
            std::sync::Arc::new(keys_core::clock::SystemClock);
        let mut settings =
            Settings::from_lookup(|_| None, Runner::Local, clock.now()).expect("default settings");
        settings.store = StoreKind::DynamoDb;
        settings.mailer = MailerKind::Ses;
        settings.table_name = table;
        adjust(&mut settings);
        keys_core::mailer::ses::create_sender_identity(
            &aws_sdk_sesv2::Client::new(&config),
            &settings.mail_from,
        )
        .await
        .expect("register the sender on the emulator");
        let wired = keys_core::App::wire(settings, clock, Runner::Local)
            .await
            .expect("wire the emulator adapters");
        let router = local::router(wired.app, wired.outbox);
        Service {
            base: listen(router).await,
            local: None,
            mails_on_emulator: true,
        }
    }

    /// The mails sent to `address`, oldest first: from the emulator's SES, or the local outbox.
    pub async fn mails_to(&self, address: &str) -> Vec<ReceivedMail> {
        if self.mails_on_emulator {
            return emulator::mails_to(address)
                .await
                .into_iter()
                .map(|m| ReceivedMail {
                    subject: m.subject,
                    text: m.text,
                    html: m.html,
                })
                .collect();
        }
        if self.local.is_none()
            && let Ok(mailbox) = std::env::var("DK_SES_MAILBOX_URL")
        {
            return emulator::localstack_mails_to(&mailbox, address).await;
        }
        let response = reqwest::Client::new()
            .get(format!("{}/_local/outbox", self.base))
            .query(&[("to", address)])
            .send()
            .await
            .expect("GET /_local/outbox");
        assert_eq!(response.status().as_u16(), 200, "the local outbox answers");
        let mails: Vec<Value> = response.json().await.expect("outbox JSON");
        mails
            .iter()
            .map(|m| ReceivedMail {
                subject: m["subject"].as_str().unwrap_or_default().into(),
                text: m["text"].as_str().unwrap_or_default().into(),
                html: m["html"].as_str().unwrap_or_default().into(),
            })
            .collect()
    }

    /// The newest mail sent to `address`.
    pub async fn last_mail_to(&self, address: &str) -> ReceivedMail {
        self.mails_to(address)
            .await
            .pop()
            .unwrap_or_else(|| panic!("no mail reached {address}"))
    }

    /// The in-process ports; a test that needs them cannot run against a remote base URL and says so.
    pub fn ports(&self) -> &TestApp {
        self.local.as_ref().unwrap_or_else(|| {
            panic!(
                "this test needs the in-process runner, not DK_BASE_URL={}",
                self.base
            )
        })
    }

    /// A new browser with an empty cookie jar, whose `Accept-Language` is `lang`.
    pub fn browser(&self, lang: &str) -> Browser {
        Browser::new(&self.base, lang, true)
    }

    /// Enrols a citizen through the dev-only endpoint (of `DK_ADMIN_URL` against a deployed stack).
    pub async fn new_citizen(&self, lang: &str) -> Citizen {
        let admin = match (&self.local, std::env::var("DK_ADMIN_URL")) {
            (None, Ok(admin)) => admin.trim_end_matches('/').to_string(),
            _ => self.base.clone(),
        };
        let response = reqwest::Client::new()
            .post(format!("{admin}/_local/citizens"))
            .json(&serde_json::json!({ "lang": lang }))
            .send()
            .await
            .expect("POST /_local/citizens");
        assert_eq!(response.status().as_u16(), 201, "citizen created");
        let json: Value = response.json().await.expect("citizen JSON");
        let card = json["token_card"]
            .as_object()
            .expect("token_card")
            .iter()
            .map(|(n, c)| {
                (
                    n.parse().expect("card number"),
                    c.as_str().expect("code").to_string(),
                )
            })
            .collect();
        Citizen {
            username: json["username"].as_str().expect("username").into(),
            password: json["password"].as_str().expect("password").into(),
            email: json["email"].as_str().expect("email").into(),
            card,
        }
    }
}

/// A citizen as `POST /_local/citizens` answers.
#[derive(Debug, Clone)]
pub struct Citizen {
    pub username: String,
    pub password: String,
    pub email: String,
    pub card: BTreeMap<u8, String>,
}

impl Citizen {
    /// The code of the card for a challenge.
    pub fn card_code(&self, challenge: &Value) -> String {
        let n = challenge.as_u64().expect("challenge_index is a number") as u8;
        self.card
            .get(&n)
            .cloned()
            .unwrap_or_else(|| panic!("no code {n} on the card"))
    }
}

/// A page as the client received it, after following redirects.
#[derive(Debug, Clone)]
pub struct Page {
    pub status: u16,
    /// The path of the final address.
    pub path: String,
    pub json: Value,
}

impl Page {
    pub fn step(&self) -> &str {
        self.json["step"].as_str().unwrap_or_default()
    }

    /// The ids of the page's messages.
    pub fn message_ids(&self) -> Vec<String> {
        self.json["messages"]
            .as_array()
            .map(|m| {
                m.iter()
                    .filter_map(|m| m["id"].as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn action(&self, id: &str) -> &Value {
        self.json["actions"]
            .as_array()
            .and_then(|a| a.iter().find(|a| a["id"] == id))
            .unwrap_or_else(|| panic!("page {} has no action {id}: {}", self.step(), self.json))
    }

    pub fn action_ids(&self) -> Vec<String> {
        self.json["actions"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|a| a["id"].as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// A browser that asks for JSON views and keeps cookies.
pub struct Browser {
    pub client: reqwest::Client,
    base: String,
}

impl Browser {
    pub fn new(base: &str, lang: &str, follow_redirects: bool) -> Self {
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert(
            ACCEPT_LANGUAGE,
            HeaderValue::from_str(lang).expect("language header"),
        );
        let policy = if follow_redirects {
            reqwest::redirect::Policy::limited(10)
        } else {
            reqwest::redirect::Policy::none()
        };
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .default_headers(headers)
            .redirect(policy)
            .build()
            .expect("client");
        Browser {
            client,
            base: base.to_string(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn page(response: reqwest::Response) -> Page {
        let status = response.status().as_u16();
        let path = response.url().path().to_string();
        let body = response.text().await.expect("body");
        let json = serde_json::from_str(&body)
            .unwrap_or_else(|_| panic!("{path} answered {status} without a JSON view: {body}"));
        Page { status, path, json }
    }

    pub async fn get(&self, path: &str) -> Page {
        Self::page(self.client.get(self.url(path)).send().await.expect("GET")).await
    }

    /// Takes the action `id` of `page` with `fields` (and the page's CSRF token).
    pub async fn act(&self, page: &Page, id: &str, fields: &[(&str, &str)]) -> Page {
        let action = page.action(id);
        let declared: Vec<&str> = action["fields"]
            .as_array()
            .expect("fields")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        for (name, _) in fields {
            assert!(
                declared.contains(name),
                "action {id} of {} has no field {name}",
                page.step()
            );
        }
        let href = action["href"].as_str().expect("href");
        if action["method"] == "GET" {
            return self.get(href).await;
        }
        let csrf = page.json["csrf"].as_str().expect("csrf").to_string();
        let mut form: Vec<(&str, &str)> = fields.to_vec();
        form.push(("csrf", &csrf));
        Self::page(
            self.client
                .post(self.url(href))
                .form(&form)
                .send()
                .await
                .expect("POST"),
        )
        .await
    }

    /// Posts a raw body, for junk-input tests.
    pub async fn post_raw(&self, path: &str, content_type: &str, body: Vec<u8>) -> Page {
        let response = self
            .client
            .post(self.url(path))
            .header(reqwest::header::CONTENT_TYPE, content_type)
            .body(body)
            .send()
            .await
            .expect("POST");
        Self::page(response).await
    }
}

/// Fills the login page with `username`, `password` and the choice of `key`, and submits it.
pub async fn submit_login(browser: &Browser, username: &str, password: &str, key: &str) -> Page {
    let login = browser.get("/login").await;
    assert_eq!(login.step(), "login");
    browser
        .act(
            &login,
            "submit",
            &[("username", username), ("password", password), ("key", key)],
        )
        .await
}

/// Logs in with password and token card up to the phase-out notice.
pub async fn token_login_to_notice(browser: &Browser, citizen: &Citizen) -> Page {
    let token = submit_login(browser, &citizen.username, &citizen.password, "token").await;
    assert_eq!(token.step(), "login.token", "{}", token.json);
    let code = citizen.card_code(&token.json["data"]["challenge_index"]);
    let notice = browser.act(&token, "submit", &[("code", &code)]).await;
    assert_eq!(notice.step(), "login.token.notice", "{}", notice.json);
    notice
}
