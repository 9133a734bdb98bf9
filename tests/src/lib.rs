//! The black-box harness: a service to test (in-process runner or `DK_BASE_URL`) and a client that
//! walks the JSON views by following their actions, as any client of the view contract may.

pub mod emulator;
pub mod journeys;
pub mod qr;
pub mod relying_party;
pub mod round_trips;

use keys_core::config::{Runner, Settings};
use keys_core::testing::{TestApp, test_harness};
use keys_core::wiring::{MailerKind, StoreKind, Wiring};
use reqwest::header::{ACCEPT, ACCEPT_LANGUAGE, HeaderMap, HeaderValue};
use serde_json::Value;
use std::collections::BTreeMap;

/// The service under test.
pub struct Service {
    /// Where the service is published: scheme, host and base path (`…/prod` on API Gateway).
    pub base: String,
    /// The in-process runner's ports (store, outbox, clock), absent for a remote base URL.
    pub local: Option<TestApp>,
    /// The runner's mails go to this AWS emulator's SES (its endpoint), not to the local outbox.
    pub emulator: Option<String>,
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
pub async fn listen(router: axum::Router) -> String {
    let (listener, base) = bind().await;
    serve_on(listener, router);
    base
}

/// A free loopback port, bound, and its base URL (for a router that must know its own address:
/// the OpenID Connect issuer).
pub async fn bind() -> (tokio::net::TcpListener, String) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a loopback port");
    let address = listener.local_addr().expect("local address");
    (listener, format!("http://{address}"))
}

/// Serves `router` on a bound listener.
pub fn serve_on(listener: tokio::net::TcpListener, router: axum::Router) {
    tokio::spawn(async move {
        if let Err(err) = local::serve(listener, router).await {
            panic!("test server stopped: {err}");
        }
    });
}

/// The local runner's adapters on the emulator at `AWS_ENDPOINT_URL`: DynamoDB (a fresh table
/// named after `name`, with TTL) and SES v2 (the sender registered), the real clock, adjusted
/// settings.
pub async fn wire_on_emulator(
    name: &str,
    adjust: impl FnOnce(&mut Settings),
) -> keys_core::wiring::Wired {
    let config = emulator::config().await;
    let table = emulator::unique(name);
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
    adjust(&mut settings);
    let mut wiring = Wiring::from_lookup(|_| None, Runner::Local).expect("default wiring");
    wiring.store = StoreKind::DynamoDb;
    wiring.mailer = MailerKind::Ses;
    wiring.table_name = table;
    keys_core::mailer::ses::create_sender_identity(
        &aws_sdk_sesv2::Client::new(&config),
        &wiring.mail_from,
    )
    .await
    .expect("register the sender on the emulator");
    keys_core::wiring::wire(settings, wiring, clock, Runner::Local)
        .await
        .expect("wire the emulator adapters")
}

impl Service {
    /// The service at `DK_BASE_URL` if set, else an in-process runner with default settings.
    ///
    /// Against a deployed stack (LocalStack or AWS) two more settings say where the dev-only parts
    /// are: `DK_ADMIN_URL`, a local runner on the same table and `MASTER_SECRET` that enrols
    /// citizens (`POST /_local/citizens`), and `DK_SES_MAILBOX_URL`, LocalStack's record of sent
    /// mails (`http://localhost:4566/_aws/ses`).
    pub async fn start() -> Service {
        match deployed_base_url() {
            Some(base) => Service {
                base,
                local: None,
                emulator: None,
            },
            None => Self::start_with(|_| {}).await,
        }
    }

    /// An in-process runner (in-memory store, outbox, clock at 2026-11-22 10:00 UTC) with adjusted settings.
    pub async fn start_with(adjust: impl FnOnce(&mut Settings)) -> Service {
        let harness = test_harness(adjust);
        Self::serve(harness).await
    }

    /// Serves a prepared harness on a free loopback port.
    pub async fn serve(harness: TestApp) -> Service {
        let (listener, base) = bind().await;
        let provider = local::provider_at(&harness.app, &base);
        local::deliver_logouts(harness.app.clone(), &provider);
        let router =
            local::router_with(harness.app.clone(), Some(harness.outbox.clone()), provider);
        serve_on(listener, router);
        Service {
            base,
            local: Some(harness),
            emulator: None,
        }
    }

    /// The local runner on the AWS emulator: DynamoDB (a fresh table with TTL) and SES v2 from
    /// moto's server at `AWS_ENDPOINT_URL`, the real clock, adjusted settings.
    pub async fn start_on_emulator(adjust: impl FnOnce(&mut Settings)) -> Service {
        let wired = wire_on_emulator("journey", adjust).await;
        let (listener, base) = bind().await;
        serve_on(listener, local::router_at(wired.app, wired.outbox, &base));
        Service {
            base,
            local: None,
            emulator: Some(emulator::endpoint()),
        }
    }

    /// The mails sent to `address`, oldest first: from the emulator's SES, or the local outbox.
    pub async fn mails_to(&self, address: &str) -> Vec<ReceivedMail> {
        if let Some(endpoint) = &self.emulator {
            return emulator::mails_to(endpoint, address)
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
        let response = http_client(&self.base)
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

    /// Waits until at least `count` mails reached `address` and gives them all, oldest first.
    /// Mails that a deployed stack delivers from the table's stream (the notifications after a
    /// switch) arrive a moment after the page that caused them; the wait is bounded (60 s).
    pub async fn wait_for_mails(&self, address: &str, count: usize) -> Vec<ReceivedMail> {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        loop {
            let mails = self.mails_to(address).await;
            if mails.len() >= count || std::time::Instant::now() > deadline {
                return mails;
            }
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        }
    }

    /// The target is served over https (a deployed stack on AWS): cookies must be `Secure` and
    /// HSTS sent. Plain http only on loopback (the local runner, LocalStack).
    pub fn https(&self) -> bool {
        self.base.starts_with("https://")
    }

    /// The service's time in epoch seconds: the in-process runner's test clock, else the real one.
    pub fn now_secs(&self) -> u64 {
        use keys_core::clock::Clock;
        match &self.local {
            Some(local) => local.clock.now_secs() as u64,
            None => std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or_default(),
        }
    }

    /// Lets `seconds` pass for the service: the in-process runner's clock moves at once, a
    /// deployed stack is waited for (tests/localstack.sh deploys short code lifetimes for this).
    pub async fn pass_time(&self, seconds: u64) {
        match &self.local {
            Some(local) => local.clock.advance(time::Duration::seconds(seconds as i64)),
            None => tokio::time::sleep(std::time::Duration::from_secs(seconds)).await,
        }
    }

    /// The path the service is published under (`/prod` on API Gateway), empty at a host's root:
    /// the service's own links carry it.
    pub fn base_path(&self) -> String {
        url::Url::parse(&self.base)
            .map(|url| url.path().trim_end_matches('/').to_string())
            .unwrap_or_default()
    }

    /// Runs against a deployed stack (`DK_BASE_URL`), not an in-process runner.
    pub fn is_deployed(&self) -> bool {
        self.local.is_none() && self.emulator.is_none()
    }

    /// The newest mail sent to `address`.
    pub async fn last_mail_to(&self, address: &str) -> ReceivedMail {
        self.mails_to(address)
            .await
            .pop()
            .unwrap_or_else(|| panic!("no mail reached {address}"))
    }

    /// Whether the service runs in this process on the in-memory store (its ports are at hand).
    pub fn in_process(&self) -> bool {
        self.local.is_some()
    }

    /// The audit trail of `citizen` as (event, outcome) pairs, oldest first (in-process only).
    pub async fn audit_events_of(&self, citizen: &Citizen) -> Vec<(String, String)> {
        let app = &self.ports().app;
        let id = keys_core::citizens::citizen_by_username(app, &citizen.username)
            .await
            .expect("store")
            .expect("citizen")
            .id;
        keys_core::audit::events_of(app, &id).await.expect("audit")
    }

    /// The audit trail kept under an id (a citizen's, or a pending enrolment's), oldest first:
    /// (event, outcome, actor).
    pub async fn audit_events_of_id(&self, id: &str) -> Vec<(String, String, Option<String>)> {
        keys_core::support::audit_events(&self.ports().app, id)
            .await
            .expect("audit")
            .into_iter()
            .map(|e| (e.event, e.outcome, e.actor))
            .collect()
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

    /// Enrols a citizen through the dev-only endpoint: the in-process runner's own, or against a
    /// deployed stack the enrolment runner's at `DK_ADMIN_URL` (the stack has no such endpoint).
    pub async fn new_citizen(&self, lang: &str) -> Citizen {
        self.new_citizen_with(serde_json::json!({ "lang": lang }))
            .await
    }

    /// [`Service::new_citizen`] with what the dev endpoint is told (`name`, `lang`, …).
    pub async fn new_citizen_with(&self, request: Value) -> Citizen {
        let admin = self.admin_base();
        let response = reqwest::Client::new()
            .post(format!("{admin}/_local/citizens"))
            .json(&request)
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

    /// Registers a public service (an OpenID Connect client) through the dev-only endpoint, as
    /// [`Service::new_citizen`] enrols citizens; answers the client and its secret.
    pub async fn register_client(&self, registration: Value) -> Value {
        let response = reqwest::Client::new()
            .post(format!("{}/_local/oidc/clients", self.admin_base()))
            .json(&registration)
            .send()
            .await
            .expect("POST /_local/oidc/clients");
        assert_eq!(response.status().as_u16(), 201, "client registered");
        response.json().await.expect("client JSON")
    }

    /// Where the dev-only endpoints are: the in-process runner itself, or against a deployed
    /// stack the enrolment runner at `DK_ADMIN_URL`.
    fn admin_base(&self) -> String {
        if self.is_deployed() {
            std::env::var("DK_ADMIN_URL")
                .map(|admin| admin.trim_end_matches('/').to_string())
                .unwrap_or_else(|_| {
                    panic!(
                        "DK_BASE_URL={} is a deployed stack: set DK_ADMIN_URL to a local runner on its \
                         table and secret to enrol citizens (infra/localstack/README.md)",
                        self.base
                    )
                })
        } else {
            self.base.clone()
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

/// The redirects every [`Browser`] of this process followed (each one another request to the
/// service): the load run counts HTTP requests with them.
pub static REDIRECTS_FOLLOWED: std::sync::atomic::AtomicUsize =
    std::sync::atomic::AtomicUsize::new(0);

/// A page as the client received it, after following redirects.
#[derive(Debug, Clone)]
pub struct Page {
    pub status: u16,
    /// The path of the final address.
    pub path: String,
    pub json: Value,
    /// The `Retry-After` header, which every 503 carries.
    pub retry_after: Option<String>,
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
    /// Scheme, host and base path: `get("/login")` asks for `{base}/login`.
    base: String,
    /// Scheme and host: the service's own links (`actions[].href`) already carry the base path.
    origin: String,
    /// The base path, taken off a final address to give `Page::path` as the routers see it.
    base_path: String,
}

/// `DK_BASE_URL` without a trailing slash, if the tests are pointed at a deployed stack.
pub fn deployed_base_url() -> Option<String> {
    std::env::var("DK_BASE_URL")
        .ok()
        .map(|base| base.trim_end_matches('/').to_string())
        .filter(|base| !base.is_empty())
}

/// A client builder that reaches `base`: LocalStack's API hosts (`ID.execute-api.localhost.localstack.cloud`)
/// resolve to the loopback LocalStack listens on, with no DNS needed.
pub fn client_builder(base: &str) -> reqwest::ClientBuilder {
    // LocalStack's server (hypercorn) closes a connection idle for 5 s; a journey that waits for
    // the phone's next code (up to 30 s) would otherwise send on a connection being closed and
    // read "connection reset by peer". Idle connections are dropped well before that.
    let builder = reqwest::Client::builder().pool_idle_timeout(std::time::Duration::from_secs(2));
    match url::Url::parse(base) {
        Ok(url) => match (url.host_str(), url.port_or_known_default()) {
            (Some(host), Some(port)) if host.ends_with(".localhost.localstack.cloud") => {
                builder.resolve(host, std::net::SocketAddr::from(([127, 0, 0, 1], port)))
            }
            _ => builder,
        },
        Err(_) => builder,
    }
}

/// A plain client for `base` (see [`client_builder`]).
pub fn http_client(base: &str) -> reqwest::Client {
    client_builder(base).build().expect("HTTP client")
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
            reqwest::redirect::Policy::custom(|attempt| {
                if attempt.previous().len() >= 10 {
                    attempt.error("more than 10 redirects")
                } else {
                    REDIRECTS_FOLLOWED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    attempt.follow()
                }
            })
        } else {
            reqwest::redirect::Policy::none()
        };
        let client = client_builder(base)
            .cookie_store(true)
            .default_headers(headers)
            .redirect(policy)
            .build()
            .expect("client");
        let parsed = url::Url::parse(base).expect("the base URL");
        let origin = parsed.origin().ascii_serialization();
        let base_path = parsed.path().trim_end_matches('/').to_string();
        Browser {
            client,
            base: base.to_string(),
            origin,
            base_path,
        }
    }

    /// The address of one of the service's paths (`/login`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The address a link of the service's own (`href`, already under the base path) points at.
    pub fn link(&self, href: &str) -> String {
        if href.starts_with('/') {
            format!("{}{href}", self.origin)
        } else {
            href.to_string()
        }
    }

    /// The page a response carries (it must be one of the service's JSON views).
    pub async fn page(&self, response: reqwest::Response) -> Page {
        let status = response.status().as_u16();
        let full = response.url().path().to_string();
        let path = full
            .strip_prefix(&self.base_path)
            .filter(|rest| rest.starts_with('/'))
            .unwrap_or(&full)
            .to_string();
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = response.text().await.expect("body");
        let json = serde_json::from_str(&body)
            .unwrap_or_else(|_| panic!("{path} answered {status} without a JSON view: {body}"));
        Page {
            status,
            path,
            json,
            retry_after,
        }
    }

    pub async fn get(&self, path: &str) -> Page {
        self.page(self.client.get(self.url(path)).send().await.expect("GET"))
            .await
    }

    /// Step 1's change of address: opens it from `step1` (*Change*), then posts `address`.
    pub async fn change_address(&self, step1: &Page, address: &str) -> Page {
        let form = self.act(step1, "change", &[]).await;
        assert_eq!(
            form.json["data"]["changing"], true,
            "the change is open: {}",
            form.json
        );
        self.act(&form, "change", &[("email", address)]).await
    }

    /// The page at `path` as a browser gets it (HTML), whatever its status.
    pub async fn html(&self, path: &str) -> String {
        self.client
            .get(self.url(path))
            .header(reqwest::header::ACCEPT, "text/html")
            .send()
            .await
            .expect("GET")
            .text()
            .await
            .expect("HTML")
    }

    /// Takes the action `id` of `page` with `fields` (and the page's CSRF token).
    pub async fn act(&self, page: &Page, id: &str, fields: &[(&str, &str)]) -> Page {
        let response = self.act_raw(page, id, fields).await;
        self.page(response).await
    }

    /// [`Browser::act`], answering the response as it came (for a browser that does not follow
    /// redirects: see [`Browser::follow`]).
    pub async fn act_raw(
        &self,
        page: &Page,
        id: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
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
            return self.client.get(self.link(href)).send().await.expect("GET");
        }
        let csrf = page.json["csrf"].as_str().expect("csrf").to_string();
        let mut form: Vec<(&str, &str)> = fields.to_vec();
        form.push(("csrf", &csrf));
        self.client
            .post(self.link(href))
            .form(&form)
            .send()
            .await
            .expect("POST")
    }

    /// Posts `fields` to `path` with `page`'s CSRF token, as a form of another page would.
    pub async fn post_form(&self, page: &Page, path: &str, fields: &[(&str, &str)]) -> Page {
        let csrf = page.json["csrf"].as_str().expect("csrf").to_string();
        let mut form: Vec<(&str, &str)> = fields.to_vec();
        form.push(("csrf", &csrf));
        let response = self
            .client
            .post(self.url(path))
            .form(&form)
            .send()
            .await
            .expect("POST");
        self.page(response).await
    }

    /// Signs out with the frame's *Sign out* of a logged-in `page` (its form and CSRF token).
    pub async fn sign_out_from_frame(&self, page: &Page) -> Page {
        let sign_out = &page.json["frame"]["sign_out"];
        assert_eq!(sign_out["method"], "POST", "a framed page: {}", page.json);
        let href = sign_out["href"].as_str().expect("sign out href");
        let csrf = page.json["csrf"].as_str().expect("csrf");
        let response = self
            .client
            .post(self.link(href))
            .form(&[("csrf", csrf)])
            .send()
            .await
            .expect("POST");
        self.page(response).await
    }

    /// `GET` of one of the service's paths, answering the response as it came.
    pub async fn get_raw(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    /// Follows the redirects of `response` one at a time (a browser made with
    /// `follow_redirects = false`), calling `before` with each address before going there; ends
    /// at the first page that is not a redirect.
    pub async fn follow(
        &self,
        mut response: reqwest::Response,
        mut before: impl FnMut(&str),
    ) -> Page {
        for _ in 0..10 {
            if !response.status().is_redirection() {
                return self.page(response).await;
            }
            let location = response
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .expect("a redirect has a location")
                .to_string();
            let next = response
                .url()
                .join(&location)
                .expect("an address")
                .to_string();
            before(&next);
            response = self.client.get(&next).send().await.expect("GET");
        }
        panic!("more than 10 redirects");
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
        self.page(response).await
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

/// A token login into the wizard whose step 1 changes the address to `new` and verifies it with
/// the code mailed there: step 2's page.
pub async fn into_step_2_with_a_new_address(
    service: &Service,
    browser: &Browser,
    citizen: &Citizen,
    new: &str,
) -> Page {
    let notice = token_login_to_notice(browser, citizen).await;
    let step1 = browser.act(&notice, "activate", &[]).await;
    let verify = browser.change_address(&step1, new).await;
    assert_eq!(verify.step(), "activate.email.verify", "{}", verify.json);
    let code = service.last_mail_to(new).await.code();
    let step2 = browser.act(&verify, "submit", &[("code", &code)]).await;
    assert_eq!(step2.step(), "activate.select", "{}", step2.json);
    step2
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

/// An officer of a registration office, as the dev endpoint made them: the app's secret is
/// what the officer's authenticator app holds.
#[derive(Debug, Clone)]
pub struct Officer {
    pub id: String,
    pub password: String,
    pub secret: Vec<u8>,
}

impl Officer {
    /// The officer's app code at `unix_time` (totp-lite, independent of the service's TOTP).
    pub fn code_at(&self, unix_time: u64) -> String {
        totp_lite::totp_custom::<totp_lite::Sha1>(30, 6, &self.secret, unix_time)
    }
}

impl Service {
    /// Adds an officer through the dev-only endpoint (`POST /_local/officers`).
    pub async fn new_officer(&self) -> Officer {
        let id = format!(
            "officer-{}",
            &keys_core::crypto::random_short_id()
                .to_lowercase()
                .replace(['-', '_'], "")[..10]
        );
        let password = format!("desk-{}", keys_core::crypto::random_short_id());
        let response = reqwest::Client::new()
            .post(format!("{}/_local/officers", self.admin_base()))
            .json(&serde_json::json!({ "id": id, "name": "Els Officer", "password": password }))
            .send()
            .await
            .expect("POST /_local/officers");
        assert_eq!(response.status().as_u16(), 201, "officer created");
        let json: Value = response.json().await.expect("officer JSON");
        let secret = data_encoding::BASE32_NOPAD
            .decode(json["app_secret"].as_str().expect("app_secret").as_bytes())
            .expect("a base32 secret");
        Officer {
            id,
            password,
            secret,
        }
    }

    /// Gives an officer a role, or takes it (`None`), through the dev-only endpoint.
    pub async fn set_officer_role(&self, officer: &Officer, role: Option<&str>) {
        let response = reqwest::Client::new()
            .post(format!("{}/_local/officers/role", self.admin_base()))
            .json(&serde_json::json!({ "id": officer.id, "role": role }))
            .send()
            .await
            .expect("POST /_local/officers/role");
        assert_eq!(response.status().as_u16(), 204, "role changed");
    }
}

impl Browser {
    /// The path under the service's base of a link a mail carries (absolute or not).
    pub fn path_of_link(&self, link: &str) -> String {
        let without_origin = match url::Url::parse(link) {
            Ok(url) => match url.query() {
                Some(query) => format!("{}?{query}", url.path()),
                None => url.path().to_string(),
            },
            Err(_) => link.to_string(),
        };
        without_origin
            .strip_prefix(&self.base_path)
            .filter(|rest| rest.starts_with('/'))
            .map(str::to_string)
            .unwrap_or(without_origin)
    }
}
