//! The mobile-app key over HTTP, answered as a phone would: the QR code is read from the page with
//! an independent decoder (rqrr, after rasterising the SVG with resvg) and the codes come from an
//! independent TOTP implementation (totp-lite), not from the service's own crates.

use blackbox::{Browser, Citizen, Page, Service, submit_login, token_login_to_notice};
use keys_core::clock::Clock;
use keys_core::i18n::{Lang, t};
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

/// Everything the service logs in this test binary, to prove secrets never reach a log.
static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();

#[derive(Clone)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn capture_logs() -> Arc<Mutex<Vec<u8>>> {
    LOGS.get_or_init(|| {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let writer = Capture(buffer.clone());
        use tracing_subscriber::layer::SubscriberExt;
        use tracing_subscriber::util::SubscriberInitExt;
        let only_ours = tracing_subscriber::filter::Targets::new()
            .with_target("keys_core", tracing::Level::TRACE)
            .with_target("keys_domain", tracing::Level::TRACE)
            .with_target("keys_web", tracing::Level::TRACE)
            .with_target("keys_aws", tracing::Level::TRACE)
            .with_target("local", tracing::Level::TRACE);
        let _ = tracing_subscriber::fmt()
            .json()
            .with_max_level(tracing::level_filters::LevelFilter::TRACE)
            .with_writer(move || writer.clone())
            .finish()
            .with(only_ours)
            .try_init();
        buffer
    })
    .clone()
}

/// What a phone learns from the QR code.
struct Phone {
    uri: url::Url,
    secret: Vec<u8>,
}

impl Phone {
    /// The code the phone shows at `unix_time`, by totp-lite.
    fn code_at(&self, unix_time: u64) -> String {
        totp_lite::totp_custom::<totp_lite::Sha1>(30, 6, &self.secret, unix_time)
    }
}

/// Reads the QR code of an HTML page as a phone would.
fn scan(html: &str) -> Phone {
    let (uri, secret) = blackbox::qr::scan_html(html);
    Phone { uri, secret }
}

async fn html_of(browser: &Browser, path: &str) -> String {
    assert_eq!(browser.get(path).await.status, 200, "{path}");
    browser.html(path).await
}

fn now(service: &Service) -> u64 {
    service.ports().clock.now_secs() as u64
}

/// Token login, notice, step 1 and 2, the app list: up to the pairing page and the phone.
async fn to_pairing(service: &Service, browser: &Browser, citizen: &Citizen) -> (Page, Phone) {
    let notice = token_login_to_notice(browser, citizen).await;
    let step1 = browser.act(&notice, "activate", &[]).await;
    let step2 = browser.act(&step1, "confirm", &[]).await;
    let install = browser.act(&step2, "submit", &[("key", "app")]).await;
    assert_eq!(
        (install.status, install.step()),
        (200, "activate.app.install"),
        "{}",
        install.json
    );
    assert!(
        install.json["data"]["apps"]
            .as_array()
            .is_some_and(|a| a.len() >= 3),
        "names a few apps"
    );
    let pair = browser.act(&install, "next", &[]).await;
    assert_eq!(pair.step(), "activate.app.pair", "{}", pair.json);
    assert_eq!(pair.action_ids(), ["submit", "back"]);
    let phone = scan(&html_of(browser, "/activate/app/pair").await);
    assert_eq!(
        pair.json["data"]["otpauth_uri"],
        phone.uri.as_str(),
        "the JSON view and the QR code agree"
    );
    let _ = service;
    (pair, phone)
}

async fn app_login(browser: &Browser, citizen: &Citizen) -> Page {
    let page = submit_login(browser, &citizen.username, &citizen.password, "app").await;
    assert_eq!(page.step(), "login.app", "{}", page.json);
    page
}

#[tokio::test]
async fn the_wizard_by_app_and_a_later_app_login_with_a_phone_reading_the_qr_code() {
    let logs = capture_logs();
    let service = Service::start().await;
    let citizen = service.new_citizen("de").await;
    let browser = service.browser("de");
    let (pair, phone) = to_pairing(&service, &browser, &citizen).await;

    assert_eq!(phone.uri.scheme(), "otpauth");
    assert_eq!(phone.uri.host_str(), Some("totp"));
    assert!(
        phone.uri.path().starts_with("/Digital%20keys:"),
        "label with issuer: {}",
        phone.uri
    );
    let params: std::collections::HashMap<_, _> = phone.uri.query_pairs().into_owned().collect();
    assert_eq!(params["issuer"], "Digital keys");
    assert_eq!(params["algorithm"], "SHA1");
    assert_eq!(params["digits"], "6");
    assert_eq!(params["period"], "30");
    assert_eq!(phone.secret.len(), 20, "a 160-bit secret");
    let shown = pair.json["data"]["secret"].as_str().expect("secret");
    assert_eq!(
        data_encoding::BASE32_NOPAD.decode(shown.as_bytes()).ok(),
        Some(phone.secret.clone()),
        "the text for manual entry is the same secret"
    );
    let html = html_of(&browser, "/activate/app/pair").await;
    assert!(html.contains(&t(Lang::De, "wizard-pair-warning")));

    let pairing_code = phone.code_at(now(&service));
    let done = browser
        .act(&pair, "submit", &[("code", &pairing_code)])
        .await;
    assert_eq!(done.step(), "activate.done", "{}", done.json);
    assert_eq!(done.json["data"]["key"], "app");
    let mails = service.mails_to(&citizen.email).await;
    assert_eq!(mails.len(), 2, "the two notifications");
    assert_eq!(mails[0].subject, t(Lang::De, "mail-token-off-subject"));
    assert!(
        mails[1].text.contains(&t(Lang::De, "key-app")),
        "names the mobile app key: {}",
        mails[1].text
    );
    browser.act(&done, "end_session", &[]).await;

    let asked = app_login(&browser, &citizen).await;
    let replayed = browser
        .act(&asked, "submit", &[("code", &pairing_code)])
        .await;
    assert_eq!(
        (replayed.status, replayed.message_ids()),
        (401, vec!["code.replayed".to_string()]),
        "the pairing code cannot log in"
    );
    service.ports().clock.advance(time::Duration::seconds(30));
    let keys = browser
        .act(
            &replayed,
            "submit",
            &[("code", &phone.code_at(now(&service)))],
        )
        .await;
    assert_eq!(keys.step(), "keys", "{}", keys.json);
    assert_eq!(keys.json["data"]["logged_in_with"], "app");

    let stored = format!("{:?}", service.ports().store.raw_items());
    let base32 = data_encoding::BASE32_NOPAD.encode(&phone.secret);
    assert!(
        !stored.contains(&base32),
        "the secret is not stored in clear"
    );
    assert!(!stored.contains(&data_encoding::HEXLOWER.encode(&phone.secret)));
    let logged =
        String::from_utf8_lossy(&logs.lock().unwrap_or_else(|e| e.into_inner())).into_owned();
    assert!(
        logged.contains("audit"),
        "the logs were captured: {} bytes",
        logged.len()
    );
    for secret in [
        base32.as_str(),
        citizen.email.as_str(),
        citizen.password.as_str(),
        phone.uri.as_str(),
    ] {
        assert!(!logged.contains(secret), "a secret reached the log");
    }
}

#[tokio::test]
async fn wrong_old_and_replayed_app_codes_are_refused_at_login() {
    let service = Service::start().await;
    let citizen = service.new_citizen("en").await;
    let browser = service.browser("en");
    let (pair, phone) = to_pairing(&service, &browser, &citizen).await;
    let wrong_pairing = browser.act(&pair, "submit", &[("code", "000000")]).await;
    if wrong_pairing.step() == "activate.app.pair" && wrong_pairing.status == 401 {
        assert_eq!(
            wrong_pairing.message_ids(),
            ["code.invalid", "code.tries_left"]
        );
    }
    let done = browser
        .act(&pair, "submit", &[("code", &phone.code_at(now(&service)))])
        .await;
    assert_eq!(done.step(), "activate.done");
    browser.act(&done, "end_session", &[]).await;
    service.ports().clock.advance(time::Duration::seconds(90));

    let asked = app_login(&browser, &citizen).await;
    let current = phone.code_at(now(&service));
    let wrong = if current == "000000" {
        "111111"
    } else {
        "000000"
    };
    let refused = browser.act(&asked, "submit", &[("code", wrong)]).await;
    assert_eq!(
        (refused.status, refused.message_ids()),
        (401, vec!["code.invalid".to_string()])
    );
    let old = phone.code_at(now(&service) - 300);
    if old != current {
        let refused = browser.act(&asked, "submit", &[("code", &old)]).await;
        assert_eq!(
            (refused.status, refused.message_ids()),
            (401, vec!["code.invalid".to_string()]),
            "a code five minutes old"
        );
    }
    let late_but_fine = phone.code_at(now(&service) - 30);
    let keys = browser
        .act(&asked, "submit", &[("code", &late_but_fine)])
        .await;
    assert_eq!(keys.step(), "keys", "a code one step old is accepted");
    let out = browser.act(&keys, "sign_out", &[]).await;
    assert_eq!(out.step(), "logged_out");

    let asked = app_login(&browser, &citizen).await;
    let replay = browser
        .act(&asked, "submit", &[("code", &late_but_fine)])
        .await;
    assert_eq!(
        (replay.status, replay.message_ids()),
        (401, vec!["code.replayed".to_string()])
    );
    let older_still = browser
        .act(
            &asked,
            "submit",
            &[("code", &phone.code_at(now(&service) - 60))],
        )
        .await;
    assert_eq!(
        older_still.status, 401,
        "a step before the used one is refused too"
    );
}

#[tokio::test]
async fn five_wrong_pairing_codes_need_a_new_qr_code() {
    let service = Service::start().await;
    let citizen = service.new_citizen("nl").await;
    let browser = service.browser("nl");
    let (mut page, phone) = to_pairing(&service, &browser, &citizen).await;
    let near: Vec<String> = [-30i64, 0, 30]
        .iter()
        .map(|d| phone.code_at((now(&service) as i64 + d) as u64))
        .collect();
    let wrong = (0..1_000_000)
        .map(|n| format!("{n:06}"))
        .find(|c| !near.contains(c))
        .expect("a wrong code");
    for _ in 0..4 {
        page = browser.act(&page, "submit", &[("code", &wrong)]).await;
        assert_eq!((page.status, page.step()), (401, "activate.app.pair"));
    }
    let restart = browser.act(&page, "submit", &[("code", &wrong)]).await;
    assert_eq!(
        (restart.status, restart.step(), restart.message_ids()),
        (422, "activate.app.install", vec!["app.restart".to_string()])
    );
    let stale = browser
        .act(&page, "submit", &[("code", &phone.code_at(now(&service)))])
        .await;
    assert_eq!(
        stale.step(),
        "activate.app.install",
        "the old secret is gone"
    );
    let pair = browser.act(&restart, "next", &[]).await;
    let new_phone = scan(&html_of(&browser, "/activate/app/pair").await);
    assert_ne!(new_phone.secret, phone.secret, "a new secret");
    let done = browser
        .act(
            &pair,
            "submit",
            &[("code", &new_phone.code_at(now(&service)))],
        )
        .await;
    assert_eq!(done.step(), "activate.done");
}

#[tokio::test]
async fn the_app_key_cannot_log_in_before_it_is_activated() {
    let service = Service::start().await;
    let citizen = service.new_citizen("fr").await;
    let browser = service.browser("fr");
    let refused = submit_login(&browser, &citizen.username, &citizen.password, "app").await;
    assert_eq!(
        (refused.status, refused.message_ids()),
        (422, vec!["key.not_active".to_string()])
    );
    assert_eq!(browser.get("/login/app").await.step(), "login");
}
