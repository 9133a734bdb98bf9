//! Login, the token card, the phase-out notice, sessions and My digital keys, over HTTP.

use blackbox::{
    Browser, Service, into_step_2_with_a_new_address, submit_login, token_login_to_notice,
};
use keys_core::audit::events_of;
use keys_core::citizens::{self};
use keys_core::i18n::{Lang, t};
use keys_core::keys::{KeyKind, KeyState};
use keys_core::store::Value;
use serde_json::json;

const LANGS: [&str; 4] = ["nl", "fr", "de", "en"];

#[tokio::test]
async fn wrong_password_and_unknown_user_get_the_same_answer() {
    let service = Service::start().await;
    let citizen = service.new_citizen("en").await;
    for lang in LANGS {
        let browser = service.browser(lang);
        let wrong = submit_login(&browser, &citizen.username, "not the password", "token").await;
        let unknown =
            submit_login(&browser, "nobody-by-this-name", "not the password", "token").await;
        assert_eq!(wrong.status, 401);
        assert_eq!(
            (wrong.status, wrong.step()),
            (unknown.status, unknown.step())
        );
        assert_eq!(
            wrong.json["messages"], unknown.json["messages"],
            "{lang}: the same message"
        );
        assert_eq!(wrong.message_ids(), ["login.failed"]);
        assert_eq!(wrong.json["lang"], lang);
    }
}

#[tokio::test]
async fn the_token_journey_works_in_every_language() {
    let service = Service::start().await;
    let mut notices = std::collections::HashSet::new();
    for lang in LANGS {
        let citizen = service.new_citizen(lang).await;
        let browser = service.browser(lang);
        let token = submit_login(&browser, &citizen.username, &citizen.password, "token").await;
        assert_eq!(
            (token.status, token.step(), token.path.as_str()),
            (200, "login.token", "/login/token")
        );
        let n = token.json["data"]["challenge_index"].as_u64().expect("N");
        assert!((1..=24).contains(&n));
        let notice = browser
            .act(
                &token,
                "submit",
                &[(
                    "code",
                    &citizen.card_code(&token.json["data"]["challenge_index"]),
                )],
            )
            .await;
        assert_eq!(notice.step(), "login.token.notice");
        assert_eq!(notice.json["lang"], lang);
        assert_eq!(notice.action_ids(), ["activate", "other_key", "close"]);
        assert!(notice.json["data"]["sunset_at"].as_str().is_some());
        notices.insert(notice.json.to_string());
        let keys = browser.act(&notice, "close", &[]).await;
        assert_eq!((keys.step(), keys.path.as_str()), ("keys", "/keys"));
        assert_eq!(keys.json["data"]["keys"][0]["kind"], "token");
        assert_eq!(keys.json["data"]["keys"][0]["state"], "active");
    }
    assert_eq!(notices.len(), 4);
}

#[tokio::test]
async fn a_wrong_card_code_asks_again_and_five_lock_the_account() {
    let service = Service::start().await;
    let citizen = service.new_citizen("nl").await;
    let browser = service.browser("nl");
    let mut page = submit_login(&browser, &citizen.username, &citizen.password, "token").await;
    for attempt in 1..=4 {
        let right = citizen.card_code(&page.json["data"]["challenge_index"]);
        let wrong = if right == "000000" {
            "111111"
        } else {
            "000000"
        };
        page = browser.act(&page, "submit", &[("code", wrong)]).await;
        assert_eq!(
            (page.status, page.step()),
            (401, "login.token"),
            "attempt {attempt}"
        );
        assert_eq!(page.message_ids(), ["code.invalid"]);
        assert!(
            page.json["messages"][0]["field"] == "code",
            "the error is tied to the field"
        );
    }
    let right = citizen.card_code(&page.json["data"]["challenge_index"]);
    let wrong = if right == "000000" {
        "111111"
    } else {
        "000000"
    };
    let ended = browser.act(&page, "submit", &[("code", wrong)]).await;
    assert_eq!((ended.status, ended.step()), (429, "login"));
    assert_eq!(
        ended.message_ids(),
        ["login.locked"],
        "five wrong codes count as five failed logins"
    );
    assert_eq!(
        browser.get("/login/token").await.step(),
        "login",
        "the flow is gone"
    );
}

#[tokio::test]
async fn a_right_code_after_a_wrong_one_still_logs_in() {
    let service = Service::start().await;
    let citizen = service.new_citizen("fr").await;
    let browser = service.browser("fr");
    let page = submit_login(&browser, &citizen.username, &citizen.password, "token").await;
    let wrong = browser.act(&page, "submit", &[("code", "12345x")]).await;
    assert_eq!(wrong.message_ids(), ["code.invalid"]);
    let notice = browser
        .act(
            &wrong,
            "submit",
            &[(
                "code",
                &citizen.card_code(&wrong.json["data"]["challenge_index"]),
            )],
        )
        .await;
    assert_eq!(notice.step(), "login.token.notice");
}

#[tokio::test]
async fn activate_goes_into_the_wizard_already_logged_in() {
    let service = Service::start().await;
    let citizen = service.new_citizen("de").await;
    let browser = service.browser("de");
    let notice = token_login_to_notice(&browser, &citizen).await;
    let wizard = browser.act(&notice, "activate", &[]).await;
    assert_eq!(
        (wizard.path.as_str(), wizard.step()),
        ("/activate/confirm-email", "activate.email")
    );
    assert_eq!(
        browser.get("/keys").await.step(),
        "keys",
        "the citizen is logged in"
    );
}

#[tokio::test]
async fn other_key_goes_back_to_login_and_changes_nothing() {
    let service = Service::start().await;
    let citizen = service.new_citizen("en").await;
    let browser = service.browser("en");
    let notice = token_login_to_notice(&browser, &citizen).await;
    let login = browser.act(&notice, "other_key", &[]).await;
    assert_eq!((login.path.as_str(), login.step()), ("/login", "login"));
    let keys = browser.get("/keys").await;
    assert_eq!(keys.step(), "login", "no session was started");
    assert_eq!(
        browser.get("/login/token/notice").await.step(),
        "login",
        "the notice is gone"
    );
    let app = &service.ports().app;
    let citizen_id = citizens::citizen_by_username(app, &citizen.username)
        .await
        .expect("store")
        .expect("citizen")
        .id;
    assert_eq!(
        citizens::key(app, &citizen_id, KeyKind::Token)
            .await
            .expect("key")
            .map(|k| k.state),
        Some(KeyState::Active)
    );
}

#[tokio::test]
async fn close_carries_on_to_the_allowed_return_address_only() {
    let service = Service::start().await;
    let citizen = service.new_citizen("nl").await;
    let browser = service.browser("nl");
    let login = browser.get("/login?return_to=/logged-out%3Fx%3D1").await;
    assert_eq!(
        login.action("submit")["href"],
        "/login?return_to=%2Flogged-out%3Fx%3D1"
    );
    let token = browser
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
    let notice = browser
        .act(
            &token,
            "submit",
            &[(
                "code",
                &citizen.card_code(&token.json["data"]["challenge_index"]),
            )],
        )
        .await;
    let back = browser.act(&notice, "close", &[]).await;
    assert_eq!(
        back.path, "/logged-out",
        "went back where the login started"
    );

    let evil = service
        .browser("nl")
        .get("/login?return_to=https://evil.example/phish")
        .await;
    assert_eq!(
        evil.action("submit")["href"],
        "/login",
        "an origin that is not allowed is dropped"
    );
}

#[tokio::test]
async fn the_session_cookie_is_a_browser_session_cookie_and_sign_out_ends_it() {
    let service = Service::start().await;
    let citizen = service.new_citizen("en").await;
    let browser = Browser::new(&service.base, "en", false);
    let login = browser.get("/login").await;
    let csrf = login.json["csrf"].as_str().expect("csrf").to_string();
    let response = browser
        .client
        .post(browser.url("/login"))
        .form(&[
            ("username", citizen.username.as_str()),
            ("password", &citizen.password),
            ("key", "token"),
            ("csrf", &csrf),
        ])
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status().as_u16(), 303, "post/redirect/get");
    assert_eq!(response.headers()["location"], "/login/token");
    let token = browser.get("/login/token").await;
    let code = citizen.card_code(&token.json["data"]["challenge_index"]);
    browser
        .client
        .post(browser.url("/login/token"))
        .form(&[("code", code.as_str()), ("csrf", &csrf)])
        .send()
        .await
        .expect("POST");
    let close = browser
        .client
        .post(browser.url("/login/token/notice/close"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .expect("POST");
    assert_eq!(close.status().as_u16(), 303);
    let session_cookie = close
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("dk_session="))
        .expect("session cookie")
        .to_string();
    assert!(
        session_cookie.contains("HttpOnly") && session_cookie.contains("SameSite=Lax"),
        "{session_cookie}"
    );
    assert!(
        !session_cookie.contains("Expires") && !session_cookie.contains("Max-Age"),
        "{session_cookie}"
    );
    assert!(
        !session_cookie.contains("Secure"),
        "plain http is allowed on loopback only"
    );
    let id = session_cookie
        .trim_start_matches("dk_session=")
        .split(';')
        .next()
        .expect("id");
    let (_, secret) = id.split_once('.').expect("citizen key . secret");
    assert!(secret.len() >= 43, "256-bit secret");
    let stored = format!("{:?}", service.ports().store.raw_items());
    assert!(
        !stored.contains(secret),
        "the session secret is stored hashed only"
    );

    let keys = browser.get("/keys").await;
    assert_eq!(keys.step(), "keys");
    let sign_out = browser
        .client
        .post(browser.url("/keys/sign-out"))
        .form(&[("csrf", keys.json["csrf"].as_str().expect("csrf"))])
        .send()
        .await
        .expect("POST");
    assert_eq!(sign_out.headers()["location"], "/logged-out");
    let after = browser
        .client
        .get(browser.url("/keys"))
        .send()
        .await
        .expect("GET");
    assert_eq!(after.status().as_u16(), 303);
    assert_eq!(
        after.headers()["location"],
        "/login?return_to=%2Fkeys",
        "signed out for real"
    );
}

#[tokio::test]
async fn sessions_time_out_when_idle() {
    let service = Service::start_with(|s| s.session_idle_seconds = 600).await;
    let citizen = service.new_citizen("en").await;
    let browser = service.browser("en");
    let notice = token_login_to_notice(&browser, &citizen).await;
    assert_eq!(browser.act(&notice, "close", &[]).await.step(), "keys");
    service.ports().clock.advance(time::Duration::seconds(599));
    assert_eq!(
        browser.get("/keys").await.step(),
        "keys",
        "used within the idle time"
    );
    service.ports().clock.advance(time::Duration::seconds(599));
    assert_eq!(
        browser.get("/keys").await.step(),
        "keys",
        "use kept it alive"
    );
    service.ports().clock.advance(time::Duration::seconds(601));
    assert_eq!(browser.get("/keys").await.step(), "login", "idle too long");
}

#[tokio::test]
async fn five_failures_lock_the_username_whether_or_not_it_exists() {
    let service = Service::start().await;
    let citizen = service.new_citizen("en").await;
    for username in [citizen.username.as_str(), "no-such-citizen"] {
        let browser = service.browser("en");
        for attempt in 1..=4 {
            let page = submit_login(&browser, username, "wrong password", "token").await;
            assert_eq!(page.message_ids(), ["login.failed"], "attempt {attempt}");
        }
        let fifth = submit_login(&browser, username, "wrong password", "token").await;
        assert_eq!(fifth.status, 429);
        assert_eq!(fifth.message_ids(), ["login.locked"]);
        assert!(
            fifth.json["messages"][0]["text"]
                .as_str()
                .expect("text")
                .contains("1 minute")
        );
        let right = submit_login(&browser, username, &citizen.password, "token").await;
        assert_eq!(
            (right.status, right.message_ids()),
            (429, vec!["login.locked".to_string()]),
            "even the right password waits"
        );
    }
    // The attempt refused during the lockout is on the citizen's audit trail.
    let events = service.audit_events_of(&citizen).await;
    assert!(
        events.contains(&("login.password".to_string(), "locked_refused".to_string())),
        "{events:?}"
    );
    service.ports().clock.advance(time::Duration::seconds(61));
    let browser = service.browser("en");
    let token = submit_login(&browser, &citizen.username, &citizen.password, "token").await;
    assert_eq!(token.step(), "login.token", "the wait is over");
}

#[tokio::test]
async fn from_the_sunset_on_no_token_login_succeeds() {
    let service = Service::start_with(|s| {
        s.token_sunset_at = time::macros::datetime!(2026-11-22 09:00 UTC);
    })
    .await;
    let citizen = service.new_citizen("fr").await;
    let browser = service.browser("fr");
    // The login page no longer offers the token, says since when, and links to the way out.
    let login = browser.get("/login").await;
    assert_eq!(
        login.json["data"]["keys"],
        json!(["email", "app"]),
        "{}",
        login.json
    );
    assert_eq!(
        login.action("token_ended")["href"],
        "/login/token/unavailable"
    );
    let html = browser.html("/login").await;
    assert!(
        html.contains("22\u{a0}novembre\u{a0}2026"),
        "the sunset's date is on the page, as French writes it"
    );
    assert!(!html.contains("value=\"token\""), "no token choice");
    // A token login all the same (an old bookmark, a JSON client) gets the way-out page.
    let page = submit_login(&browser, &citizen.username, &citizen.password, "token").await;
    assert_eq!((page.status, page.step()), (403, "login.token.unavailable"));
    assert_eq!(page.message_ids(), ["token.ended"]);
    assert!(
        page.json["messages"][0]["text"]
            .as_str()
            .expect("text")
            .contains("22\u{a0}novembre\u{a0}2026")
    );
    let help_desk = &service.ports().app.settings.help_desk;
    assert_eq!(page.json["data"]["help_desk"], json!(help_desk));
    let html = browser.html("/login/token/unavailable").await;
    for text in ["enregistrement", "autre clé numérique", help_desk.as_str()] {
        assert!(html.contains(text), "the way out says {text:?}");
    }
    assert!(
        !html.contains(&t(Lang::Fr, "panel-token-note")),
        "after the sunset the panel no longer says a token can still be used"
    );
    assert!(html.contains("plus personne ne peut se connecter avec un token"));
    assert_eq!(
        page.action("forgotten_password")["href"],
        "/login/forgotten-password",
        "a citizen with another key but not its password has the way back in"
    );
    assert_eq!(page.action("back")["href"], "/login");
}

#[tokio::test]
async fn a_deactivated_token_before_the_sunset_shows_the_way_out_too() {
    let service = Service::start().await;
    let browser = service.browser("en");
    let login = browser.get("/login").await;
    assert_eq!(login.json["data"]["keys"], json!(["token", "email", "app"]));
    assert!(
        login.json["actions"]
            .as_array()
            .expect("actions")
            .iter()
            .all(|a| a["id"] != "token_ended")
    );
    let page = browser.get("/login/token/unavailable").await;
    assert_eq!(page.message_ids(), ["token.unavailable"]);
    let html = browser.html("/login/token/unavailable").await;
    assert!(html.contains("registration office"));
    assert!(html.contains(&service.ports().app.settings.help_desk));
    // The error's "My digital keys" is a link there; the side panel offers to sign in for
    // another key, and that login says where it goes.
    assert!(
        html.contains(r#"<a href="/keys">My digital keys</a>"#),
        "{html}"
    );
    assert!(html.contains(&t(Lang::En, "panel-token-note")));
    assert!(html.contains(r#"<a href="/keys">Sign in here</a>"#));
    let there = browser.get("/keys").await;
    assert_eq!(there.step(), "login");
    let html = browser.html("/login?return_to=%2Fkeys").await;
    assert!(html.contains(&t(Lang::En, "login-to-keys")), "{html}");
}

#[tokio::test]
async fn the_sunset_passing_during_a_login_stops_it() {
    let service = Service::start_with(|s| {
        s.token_sunset_at = time::macros::datetime!(2026-11-22 10:05 UTC);
    })
    .await;
    let citizen = service.new_citizen("de").await;
    let browser = service.browser("de");
    let token = submit_login(&browser, &citizen.username, &citizen.password, "token").await;
    service.ports().clock.advance(time::Duration::minutes(6));
    let code = citizen.card_code(&token.json["data"]["challenge_index"]);
    let page = browser.act(&token, "submit", &[("code", &code)]).await;
    assert_eq!(page.step(), "login.token.unavailable");
}

#[tokio::test]
async fn a_deactivated_token_is_refused_with_the_phase_out_message() {
    let service = Service::start().await;
    let citizen = service.new_citizen("nl").await;
    let app = &service.ports().app;
    let id = citizens::citizen_by_username(app, &citizen.username)
        .await
        .expect("store")
        .expect("citizen")
        .id;
    let ck = keys_core::record::citizen_key(app, &citizen.username);
    let mut record = keys_core::record::Record::load(app, &ck)
        .await
        .expect("record");
    assert!(record.deactivate_token(1), "the token was active");
    record.commit(app).await.expect("deactivate");
    let browser = service.browser("nl");
    let page = submit_login(&browser, &citizen.username, &citizen.password, "token").await;
    assert_eq!(page.step(), "login.token.unavailable");
    let text = page.json["messages"][0]["text"].as_str().expect("text");
    assert!(
        text.starts_with("U beschikt niet over deze digitale sleutel"),
        "{text}"
    );
    let events = events_of(app, &id).await.expect("audit");
    assert!(
        events.contains(&("login.token".to_string(), "deactivated".to_string())),
        "{events:?}"
    );
}

#[tokio::test]
async fn keys_not_activated_cannot_be_used_to_log_in() {
    let service = Service::start().await;
    let citizen = service.new_citizen("en").await;
    let browser = service.browser("en");
    for key in ["email", "app"] {
        let page = submit_login(&browser, &citizen.username, &citizen.password, key).await;
        assert_eq!((page.status, page.step()), (422, "login"));
        assert_eq!(page.message_ids(), ["key.not_active"]);
    }
}

#[tokio::test]
async fn my_keys_lists_the_keys_and_offers_activation_and_sign_out() {
    let service = Service::start().await;
    let citizen = service.new_citizen("en").await;
    let browser = service.browser("en");
    assert_eq!(
        browser.get("/keys").await.step(),
        "login",
        "My digital keys needs a login"
    );
    let notice = token_login_to_notice(&browser, &citizen).await;
    let keys = browser.act(&notice, "close", &[]).await;
    assert_eq!(
        keys.json["data"]["keys"],
        json!([{ "kind": "token", "state": "active", "activated_at": 1_795_341_600 }])
    );
    assert_eq!(
        keys.json["data"]["can_activate"],
        json!(["email", "app"]),
        "the keys still to activate are listed too"
    );
    let table = browser.html("/keys").await;
    for name in ["key-token", "key-email", "key-app"] {
        assert!(table.contains(&t(Lang::En, name)), "{name} on the page");
    }
    assert_eq!(
        table.matches(&t(Lang::En, "state-not-activated")).count(),
        2,
        "e-mail and app not yet activated"
    );
    assert_eq!(
        keys.action_ids(),
        ["activate", "sign_out", "sign_out_everywhere"]
    );
    let wizard = browser.act(&keys, "activate", &[]).await;
    assert_eq!(wizard.step(), "activate.email");
    let keys = browser.get("/keys").await;
    let out = browser.act(&keys, "sign_out", &[]).await;
    assert_eq!(out.step(), "logged_out");
    assert_eq!(out.action("login")["href"], "/login");
}

#[tokio::test]
async fn every_login_attempt_is_audited_without_secrets() {
    let service = Service::start().await;
    let citizen = service.new_citizen("en").await;
    let browser = service.browser("en");
    submit_login(&browser, &citizen.username, "wrong", "token").await;
    let notice = token_login_to_notice(&browser, &citizen).await;
    browser.act(&notice, "close", &[]).await;
    let events = service.audit_events_of(&citizen).await;
    let expected = [
        ("login.password", "failure"),
        ("login.password", "success"),
        ("login.token", "success"),
        ("notice.close", "chosen"),
    ];
    let got: Vec<(&str, &str)> = events
        .iter()
        .map(|(e, o)| (e.as_str(), o.as_str()))
        .collect();
    assert_eq!(got, expected);
    for item in service.ports().store.raw_items() {
        for value in item.attrs.values() {
            if let Value::S(text) = value {
                assert!(
                    !text.contains(&citizen.password),
                    "a password in {}",
                    item.pk
                );
                assert!(
                    citizen
                        .card
                        .values()
                        .all(|code| !text.contains(code.as_str())),
                    "a card code in {}",
                    item.pk
                );
            }
        }
    }
}

/// Citizens imported with the old system's password hashes (bcrypt, PBKDF2-SHA256) log in with
/// their old passwords; the stored hash is argon2id afterwards, and the old password still works.
#[tokio::test]
async fn an_imported_bcrypt_or_pbkdf2_password_logs_in_and_is_rehashed_to_argon2id() {
    use keys_core::citizens::{PreparedCitizen, enrol_prepared};
    use keys_core::keys::CARD_SIZE;
    use keys_core::lang::Lang;
    use pbkdf2::password_hash::{PasswordHasher, SaltString};
    let service = Service::start().await;
    let app = &service.ports().app;
    let bcrypt_hash = bcrypt::hash("old bcrypt password", 4).expect("bcrypt");
    let salt = SaltString::encode_b64(b"sixteen byte salt").expect("salt");
    let pbkdf2_hash = pbkdf2::Pbkdf2
        .hash_password_customized(
            b"old pbkdf2 password",
            Some(pbkdf2::Algorithm::Pbkdf2Sha256.ident()),
            None,
            pbkdf2::Params {
                rounds: 1000,
                output_length: 32,
            },
            &salt,
        )
        .expect("pbkdf2")
        .to_string();
    for (id, username, hash, password) in [
        (
            "old-1",
            "imported.bcrypt",
            bcrypt_hash,
            "old bcrypt password",
        ),
        (
            "old-2",
            "imported.pbkdf2",
            pbkdf2_hash,
            "old pbkdf2 password",
        ),
    ] {
        let card = (1..=CARD_SIZE).map(|n| (n, format!("{:06}", n))).collect();
        enrol_prepared(
            app,
            &PreparedCitizen {
                id: id.into(),
                username: username.into(),
                name: None,
                email: format!("{id}@example.be"),
                lang: Lang::Fr,
                password_hash: hash,
                card,
                card_serial: None,
                national_number: None,
            },
        )
        .await
        .expect("imported");
        let browser = service.browser("fr");
        let wrong = submit_login(&browser, username, "not the password", "token").await;
        assert_eq!(wrong.status, 401, "{}", wrong.json);
        let token = submit_login(&browser, username, password, "token").await;
        assert_eq!(token.step(), "login.token", "{}", token.json);
        let stored = citizens::citizen(app, id)
            .await
            .expect("store")
            .expect("citizen");
        assert!(
            stored
                .password_hash()
                .starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "rehashed after the login"
        );
        let again = submit_login(&service.browser("fr"), username, password, "token").await;
        assert_eq!(
            again.step(),
            "login.token",
            "the same password after the rehash"
        );
    }
}

/// Forgotten username: the address's usernames are mailed to it; the page says the same for an
/// unknown address (and mails nothing); an address gets 3 reminders an hour, a client address
/// makes 10 requests an hour.
async fn forgotten_username_journey(service: &Service) {
    use keys_core::i18n::{Lang, t};
    let citizen = service.new_citizen("nl").await;
    let browser = service.browser("nl");
    let login = browser.get("/login").await;
    let href = login.action("forgotten_username")["href"]
        .as_str()
        .expect("the login page links to it")
        .to_string();
    let forgotten = browser.get(&href).await;
    assert_eq!(
        forgotten.step(),
        "login.forgotten_username",
        "{}",
        forgotten.json
    );

    let sent = browser
        .act(
            &forgotten,
            "submit",
            &[("email", &citizen.email.to_uppercase())],
        )
        .await;
    assert_eq!(
        (sent.status, sent.step()),
        (200, "login.forgotten_username")
    );
    assert_eq!(sent.message_ids(), ["recovery.username_sent"]);
    let mail = service.wait_for_mails(&citizen.email, 1).await.remove(0);
    assert_eq!(mail.subject, t(Lang::Nl, "mail-usernames-subject"));
    assert!(mail.text.contains(&citizen.username), "{}", mail.text);
    assert!(!mail.text.contains(&citizen.password));

    let stranger = "nobody-here@example.org";
    let unknown = browser
        .act(&forgotten, "submit", &[("email", stranger)])
        .await;
    assert_eq!((unknown.status, unknown.step()), (sent.status, sent.step()));
    assert_eq!(unknown.message_ids(), sent.message_ids(), "the same answer");
    assert!(service.mails_to(stranger).await.is_empty());

    let malformed = browser
        .act(&forgotten, "submit", &[("email", "not an address")])
        .await;
    assert_eq!(malformed.status, 422);
    assert_eq!(malformed.message_ids(), ["email.invalid"]);

    // Two more reminders reach the address; the fourth within the hour does not, and says so no
    // differently.
    for _ in 0..3 {
        let again = browser
            .act(&forgotten, "submit", &[("email", &citizen.email)])
            .await;
        assert_eq!(again.message_ids(), ["recovery.username_sent"]);
    }
    assert_eq!(service.wait_for_mails(&citizen.email, 3).await.len(), 3);
    assert_eq!(service.mails_to(&citizen.email).await.len(), 3, "3 an hour");

    // Five requests counted so far from this client; the tenth is the last one taken.
    for n in 6..=10 {
        let page = browser
            .act(&forgotten, "submit", &[("email", stranger)])
            .await;
        assert_eq!(page.status, 200, "request {n}");
    }
    let refused = browser
        .act(&forgotten, "submit", &[("email", stranger)])
        .await;
    assert_eq!(refused.status, 429);
    assert_eq!(refused.message_ids(), ["recovery.too_many"]);
}

#[tokio::test]
async fn a_forgotten_username_is_mailed_to_its_address() {
    let service = Service::start().await;
    forgotten_username_journey(&service).await;
}

#[tokio::test]
async fn a_forgotten_username_is_mailed_to_its_address_on_the_emulator() {
    let service = Service::start_on_emulator(|_| {}).await;
    forgotten_username_journey(&service).await;
    println!("forgotten username journey passed against: DynamoDB and SES v2 on the emulator");
}

#[tokio::test]
async fn a_changed_address_finds_the_username_and_the_old_one_does_not() {
    let service = Service::start().await;
    let citizen = service.new_citizen("en").await;
    let browser = service.browser("en");
    let new_address = format!("new-{}", citizen.email);
    into_step_2_with_a_new_address(&service, &browser, &citizen, &new_address).await;

    let other = service.browser("en");
    let forgotten = other.get("/login/forgotten-username").await;
    let before = service.mails_to(&citizen.email).await.len();
    other
        .act(&forgotten, "submit", &[("email", &citizen.email)])
        .await;
    other
        .act(&forgotten, "submit", &[("email", &new_address)])
        .await;
    let to_new = service.mails_to(&new_address).await;
    assert!(
        to_new
            .last()
            .expect("a mail")
            .text
            .contains(&citizen.username),
        "the new address finds the username"
    );
    assert_eq!(
        service.mails_to(&citizen.email).await.len(),
        before,
        "the old address no longer does"
    );
}

#[tokio::test]
async fn a_forgotten_password_is_reset_with_the_mailed_code_and_the_app_code() {
    let service = Service::start().await;
    blackbox::journeys::forgotten_password_journey(&service, "en").await;
}

#[tokio::test]
async fn a_forgotten_password_is_reset_with_the_mailed_code_and_the_app_code_on_the_emulator() {
    let service = Service::start_on_emulator(|_| {}).await;
    blackbox::journeys::forgotten_password_journey(&service, "nl").await;
}

/// The steps of a forgotten password up to the mailed code's page, for `username`.
async fn to_recovery_code(browser: &Browser, username: &str) -> blackbox::Page {
    let form = browser.get("/login/forgotten-password").await;
    let code_page = browser
        .act(&form, "submit", &[("username", username)])
        .await;
    assert_eq!(
        (code_page.status, code_page.step()),
        (200, "login.forgotten_password.code"),
        "{}",
        code_page.json
    );
    code_page
}

#[tokio::test]
async fn the_mailed_code_alone_never_resets_a_password() {
    mailed_code_alone(&Service::start().await).await;
}

#[tokio::test]
async fn the_mailed_code_alone_never_resets_a_password_on_the_emulator() {
    mailed_code_alone(&Service::start_on_emulator(|_| {}).await).await;
}

/// After the wizard by e-mail the token is off: the e-mail key is the only one left, and the
/// recovery code alone leads to the registration office.
async fn mailed_code_alone(service: &Service) {
    let citizen = service.new_citizen("en").await;
    let browser = service.browser("en");
    let step3 = blackbox::journeys::into_step_3(&browser, &citizen, "email").await;
    let registration = service.last_mail_to(&citizen.email).await.code();
    let done = browser
        .act(&step3, "submit", &[("code", &registration)])
        .await;
    assert_eq!(done.step(), "activate.done", "{}", done.json);
    let mails_before = service.mails_to(&citizen.email).await.len();

    let browser = service.browser("en");
    let code_page = to_recovery_code(&browser, &citizen.username).await;
    let code = service.last_mail_to(&citizen.email).await.code();
    let office = browser.act(&code_page, "submit", &[("code", &code)]).await;
    assert_eq!(
        office.step(),
        "login.forgotten_password.office",
        "{}",
        office.json
    );
    assert_eq!(office.message_ids(), ["recovery.no_second_key"]);
    assert!(
        office.json["data"]["help_desk"]
            .as_str()
            .is_some_and(|contact| !contact.is_empty()),
        "the help desk's contact: {}",
        office.json
    );
    assert!(
        browser
            .html("/login/forgotten-password/office")
            .await
            .contains("registration office")
    );
    // Nothing changed: no new password can be given, the old one still logs in.
    assert_eq!(
        browser
            .get("/login/forgotten-password/new-password")
            .await
            .step(),
        "login.forgotten_password",
        "no flow goes on to a new password"
    );
    let login = submit_login(
        &service.browser("en"),
        &citizen.username,
        &citizen.password,
        "email",
    )
    .await;
    assert_eq!(login.step(), "login.email", "{}", login.json);
    let mails = service.mails_to(&citizen.email).await;
    assert!(
        mails[mails_before..]
            .iter()
            .all(|m| m.subject != t(Lang::En, "mail-reset-subject")),
        "no reset was told"
    );
}

#[tokio::test]
async fn known_and_unknown_usernames_get_the_same_answers_and_wrong_codes_count_like_logins() {
    let service = Service::start().await;
    let citizen = service.new_citizen("en").await;
    let mut answers = Vec::new();
    for username in [citizen.username.as_str(), "nobody-has-this-name"] {
        let browser = service.browser("en");
        let code_page = to_recovery_code(&browser, username).await;
        let mut seen = vec![(
            code_page.status,
            code_page.step().to_string(),
            code_page.message_ids(),
        )];
        for _ in 0..4 {
            let wrong = browser
                .act(&code_page, "submit", &[("code", "000001")])
                .await;
            seen.push((wrong.status, wrong.step().to_string(), wrong.message_ids()));
        }
        // The fifth failure locks the username, known or not.
        let locked = browser
            .act(&code_page, "submit", &[("code", "000001")])
            .await;
        seen.push((
            locked.status,
            locked.step().to_string(),
            locked.message_ids(),
        ));
        answers.push(seen);
    }
    assert_eq!(
        answers[0], answers[1],
        "the same pages, statuses and messages"
    );
    assert_eq!(answers[0][1].0, 401, "{:?}", answers[0]);
    assert_eq!(
        answers[0].last().map(|a| a.0),
        Some(429),
        "{:?}",
        answers[0]
    );
    // Locked: the password no longer logs in for now either.
    let login = submit_login(
        &service.browser("en"),
        &citizen.username,
        &citizen.password,
        "token",
    )
    .await;
    assert_eq!(login.status, 429, "{}", login.json);
    // The unknown username got no mail; the known one its code.
    assert_eq!(
        service.last_mail_to(&citizen.email).await.subject,
        t(Lang::En, "mail-recovery-subject")
    );
}

/// The sunset was a day before `now`; an operator gave 14 days of grace.
fn grace_of_14_days(now: time::OffsetDateTime) -> impl FnOnce(&mut keys_core::config::Settings) {
    move |s| {
        s.token_sunset_at = now - time::Duration::days(1);
        s.token_grace_days = 14;
    }
}

#[tokio::test]
async fn the_grace_window_lets_a_token_login_into_the_wizard_and_nowhere_else() {
    // The in-process runner's clock stands at 2026-11-22 10:00 UTC.
    let now = time::macros::datetime!(2026-11-22 10:00 UTC);
    grace_journey(&Service::start_with(grace_of_14_days(now)).await).await;
}

#[tokio::test]
async fn the_grace_window_lets_a_token_login_into_the_wizard_and_nowhere_else_on_the_emulator() {
    // The emulator's runner keeps the real clock.
    let now = time::OffsetDateTime::now_utc();
    grace_journey(&Service::start_on_emulator(grace_of_14_days(now)).await).await;
}

async fn grace_journey(service: &Service) {
    let citizen = service.new_citizen("en").await;
    let browser = service.browser("en");
    let login = browser.get("/login").await;
    assert_eq!(login.json["data"]["keys"], json!(["token", "email", "app"]));
    let html = browser.html("/login").await;
    assert!(
        html.contains("can still be used to activate a new digital key"),
        "{html}"
    );
    let token = submit_login(&browser, &citizen.username, &citizen.password, "token").await;
    assert_eq!(token.step(), "login.token", "{}", token.json);
    let code = citizen.card_code(&token.json["data"]["challenge_index"]);
    let step1 = browser.act(&token, "submit", &[("code", &code)]).await;
    assert_eq!(
        step1.step(),
        "activate.email",
        "straight into the wizard: {}",
        step1.json
    );
    assert!(
        step1.json.get("frame").is_none(),
        "no tabs to pages it cannot open"
    );
    for path in ["/keys", "/profile", "/"] {
        assert_eq!(
            browser.get(path).await.step(),
            "login",
            "{path} is not open to it"
        );
    }
    // The wizard, by e-mail, to the end: the confirmation offers only to end the session.
    let step2 = browser.act(&step1, "confirm", &[]).await;
    let step3 = browser.act(&step2, "submit", &[("key", "email")]).await;
    let registration = service.last_mail_to(&citizen.email).await.code();
    let done = browser
        .act(&step3, "submit", &[("code", &registration)])
        .await;
    assert_eq!(done.step(), "activate.done", "{}", done.json);
    assert_eq!(done.action_ids(), ["end_session"]);
    assert_eq!(
        browser.get("/keys").await.step(),
        "login",
        "even with the new key active, the grace login opens nothing else"
    );
    let out = browser.act(&done, "end_session", &[]).await;
    assert_eq!(out.step(), "logged_out");
    if service.in_process() {
        let app = &service.ports().app;
        let figures = keys_core::progress::read(app).await.expect("progress");
        let grace: i64 = figures.every_day().iter().map(|(_, c)| c.grace_login).sum();
        assert_eq!(grace, 1, "counted in the progress report");
    }
    // A second token login now fails: the token is off, the new key logs in.
    let again = submit_login(
        &service.browser("en"),
        &citizen.username,
        &citizen.password,
        "email",
    )
    .await;
    assert_eq!(again.step(), "login.email", "{}", again.json);
}

#[tokio::test]
async fn without_a_grace_window_no_token_login_opens_the_wizard_after_the_sunset() {
    let service = Service::start_with(|s| {
        s.token_sunset_at = time::macros::datetime!(2026-11-21 10:00 UTC);
    })
    .await;
    let citizen = service.new_citizen("en").await;
    let page = submit_login(
        &service.browser("en"),
        &citizen.username,
        &citizen.password,
        "token",
    )
    .await;
    assert_eq!((page.status, page.step()), (403, "login.token.unavailable"));
}
