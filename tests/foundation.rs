//! The foundation over HTTP: views as HTML and JSON in four languages, the language switch, security
//! headers, 4xx views for bad input, and the local runner's dev-only endpoints.

use blackbox::{Browser, Service};
use serde_json::Value;

const LANGS: [&str; 4] = ["nl", "fr", "de", "en"];

#[tokio::test]
async fn login_is_served_as_html_in_every_language() {
    let service = Service::start().await;
    let mut titles = std::collections::HashSet::new();
    for lang in LANGS {
        let response = blackbox::http_client(&service.base)
            .get(format!("{}/login?lang={lang}", service.base))
            .send()
            .await
            .expect("GET /login");
        assert_eq!(response.status().as_u16(), 200);
        assert_eq!(
            response.headers()["content-type"],
            "text/html; charset=utf-8"
        );
        let html = response.text().await.expect("html");
        assert!(html.contains(&format!(r#"<html lang="{lang}""#)), "{lang}");
        assert!(html.contains(r#"name="username""#) && html.contains(r#"type="password""#));
        assert!(
            html.contains(r#"value="token""#)
                && html.contains(r#"value="email""#)
                && html.contains(r#"value="app""#)
        );
        assert!(
            html.contains(r#"name="csrf""#),
            "every form carries the CSRF token"
        );
        assert!(
            html.contains(&format!(r#"href="{}/keys""#, service.base_path())),
            "a link to My digital keys"
        );
        let title = html
            .split("<h1>")
            .nth(1)
            .and_then(|t| t.split("</h1>").next())
            .expect("h1")
            .to_string();
        titles.insert(title);
    }
    assert_eq!(titles.len(), 4, "four languages, four titles: {titles:?}");
}

#[tokio::test]
async fn login_is_served_as_the_json_view_contract_in_every_language() {
    let service = Service::start().await;
    for lang in LANGS {
        let page = service.browser(lang).get("/login").await;
        assert_eq!(page.status, 200);
        assert_eq!(page.json["step"], "login");
        assert_eq!(
            page.json["lang"], lang,
            "Accept-Language picks the language"
        );
        assert!(page.json["csrf"].as_str().is_some_and(|c| c.len() > 20));
        let submit = page.action("submit");
        assert_eq!(submit["method"], "POST");
        assert_eq!(submit["href"], format!("{}/login", service.base_path()));
        assert_eq!(
            submit["fields"],
            serde_json::json!(["username", "password", "key", "csrf"])
        );
        for key in ["messages", "data", "actions"] {
            assert!(
                page.json.get(key).is_some(),
                "{key} is part of the contract"
            );
        }
    }
}

#[tokio::test]
async fn the_language_switch_is_remembered_in_a_cookie() {
    let service = Service::start().await;
    let browser = service.browser("de");
    assert_eq!(browser.get("/login").await.json["lang"], "de");
    assert_eq!(browser.get("/login?lang=fr").await.json["lang"], "fr");
    assert_eq!(
        browser.get("/login").await.json["lang"],
        "fr",
        "the switch outlives the request"
    );
    assert_eq!(
        browser.get("/login?lang=xx").await.json["lang"],
        "fr",
        "an unknown language changes nothing"
    );
    let fresh = service.browser("es, nl;q=0.5");
    assert_eq!(fresh.get("/login").await.json["lang"], "nl");
    assert_eq!(
        service.browser("es").get("/login").await.json["lang"],
        "en",
        "default"
    );
}

#[tokio::test]
async fn every_page_has_the_security_headers() {
    let service = Service::start().await;
    let response = blackbox::http_client(&service.base)
        .get(format!("{}/login", service.base))
        .send()
        .await
        .expect("GET");
    let headers = response.headers();
    let csp = headers["content-security-policy"].to_str().expect("csp");
    assert!(
        csp.contains("frame-ancestors 'none'") && csp.contains("default-src 'none'"),
        "{csp}"
    );
    assert!(!csp.contains("unsafe-inline"));
    assert_eq!(headers["referrer-policy"], "no-referrer");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(
        headers.get("strict-transport-security").is_some(),
        service.https(),
        "HSTS over https only, none on loopback http"
    );
    let cookie = headers["set-cookie"].to_str().expect("cookie");
    assert_eq!(
        cookie.contains("Secure"),
        service.https(),
        "Secure cookies over https: {cookie}"
    );
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(
        !cookie.contains("Expires") && !cookie.contains("Max-Age"),
        "browser-session cookie: {cookie}"
    );
    let css = blackbox::http_client(&service.base)
        .get(format!("{}/assets/style.css", service.base))
        .send()
        .await
        .expect("css");
    assert_eq!(css.status().as_u16(), 200);
    assert_eq!(css.headers()["content-type"], "text/css; charset=utf-8");
}

#[tokio::test]
async fn unknown_pages_and_methods_get_error_views() {
    let service = Service::start().await;
    let browser = service.browser("nl");
    let missing = browser.get("/nowhere").await;
    assert_eq!((missing.status, missing.step()), (404, "error"));
    assert_eq!(missing.message_ids(), ["page.not_found"]);
    assert_eq!(missing.action("back")["method"], "GET");
    let wrong = browser
        .client
        .delete(browser.url("/login"))
        .send()
        .await
        .expect("DELETE");
    assert_eq!(wrong.status().as_u16(), 405);
    let json: Value = wrong.json().await.expect("json");
    assert_eq!(json["step"], "error");
}

#[tokio::test]
async fn bad_input_gets_a_4xx_view_and_never_a_5xx() {
    let service = Service::start().await;
    let browser = service.browser("en");
    let login = browser.get("/login").await;
    let csrf = login.json["csrf"].as_str().expect("csrf").to_string();
    let form = |pairs: &[(&str, &str)]| {
        let mut all: Vec<(&str, &str)> = pairs.to_vec();
        all.push(("csrf", &csrf));
        serde_urlencoded_pairs(&all)
    };
    let cases: Vec<(&str, &str, Vec<u8>, u16, &str)> = vec![
        (
            "no CSRF",
            "application/x-www-form-urlencoded",
            b"username=a&password=b&key=token".to_vec(),
            403,
            "csrf.invalid",
        ),
        (
            "forged CSRF",
            "application/x-www-form-urlencoded",
            b"username=a&password=b&key=token&csrf=forged".to_vec(),
            403,
            "csrf.invalid",
        ),
        (
            "not a form",
            "application/json",
            br#"{"username":"a"}"#.to_vec(),
            415,
            "input.not_a_form",
        ),
        (
            "huge body",
            "application/x-www-form-urlencoded",
            form(&[("username", &"x".repeat(20_000))]),
            413,
            "input.too_large",
        ),
        (
            "huge field",
            "application/x-www-form-urlencoded",
            form(&[
                ("username", &"x".repeat(2_000)),
                ("password", "p"),
                ("key", "token"),
            ]),
            400,
            "input.invalid",
        ),
        (
            "NUL byte",
            "application/x-www-form-urlencoded",
            form(&[("username", "a\0b"), ("password", "p"), ("key", "token")]),
            400,
            "input.invalid",
        ),
        (
            "broken encoding",
            "application/x-www-form-urlencoded",
            b"username=%ZZ%&&&==".to_vec(),
            403,
            "csrf.invalid",
        ),
        (
            "unknown key",
            "application/x-www-form-urlencoded",
            form(&[("username", "a"), ("password", "p"), ("key", "fingerprint")]),
            422,
            "key.unknown",
        ),
        (
            "empty fields",
            "application/x-www-form-urlencoded",
            form(&[]),
            422,
            "field.required",
        ),
    ];
    for (what, content_type, body, status, message) in cases {
        let page = browser.post_raw("/login", content_type, body).await;
        assert_eq!(page.status, status, "{what}: {}", page.json);
        assert!(
            page.message_ids().iter().any(|m| m == message),
            "{what}: {:?}",
            page.message_ids()
        );
    }
}

fn serde_urlencoded_pairs(pairs: &[(&str, &str)]) -> Vec<u8> {
    let mut url = reqwest::Url::parse("http://x/").expect("url");
    url.query_pairs_mut().extend_pairs(pairs);
    url.query().unwrap_or_default().as_bytes().to_vec()
}

#[tokio::test]
async fn the_dev_endpoints_create_citizens_and_show_the_outbox() {
    // Only the local runner has them: against a deployed stack this runs on an in-process runner.
    let service = Service::start_with(|_| {}).await;
    let citizen = service.new_citizen("fr").await;
    assert_eq!(citizen.card.len(), 24);
    assert!(
        citizen
            .card
            .values()
            .all(|c| c.len() == 6 && c.bytes().all(|b| b.is_ascii_digit()))
    );
    assert!(citizen.email.contains('@'));
    let again = reqwest::Client::new()
        .post(format!("{}/_local/citizens", service.base))
        .json(&serde_json::json!({ "username": citizen.username }))
        .send()
        .await
        .expect("POST");
    assert_eq!(again.status().as_u16(), 409, "usernames are unique");
    let bad = reqwest::Client::new()
        .post(format!("{}/_local/citizens", service.base))
        .body("{not json")
        .send()
        .await
        .expect("POST");
    assert_eq!(bad.status().as_u16(), 400);
    let outbox: Value = reqwest::get(format!(
        "{}/_local/outbox?to={}",
        service.base, citizen.email
    ))
    .await
    .expect("GET outbox")
    .json()
    .await
    .expect("json");
    assert_eq!(outbox, serde_json::json!([]), "nothing sent yet");
    let mailbox = reqwest::get(format!("{}/_local/mailbox", service.base))
        .await
        .expect("mailbox");
    assert_eq!(mailbox.status().as_u16(), 200);
}

#[tokio::test]
async fn root_sends_strangers_to_login() {
    let service = Service::start().await;
    let page = Browser::new(&service.base, "en", true).get("/").await;
    assert_eq!((page.path.as_str(), page.step()), ("/login", "login"));
}
