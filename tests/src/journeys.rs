//! Journeys every target must pass, shared by the in-process suites and the deployed-stack stage.

use crate::{Browser, Citizen, Page, Service, submit_login, token_login_to_notice};
use keys_core::i18n::{Lang, t};
use serde_json::json;

/// The state of the key of `kind` in My digital keys' `data.keys`.
pub fn state_of(keys: &serde_json::Value, kind: &str) -> Option<String> {
    keys.as_array()?
        .iter()
        .find(|k| k["kind"] == kind)
        .and_then(|k| k["state"].as_str().map(String::from))
}

/// The whole journey: token login, notice, wizard by e-mail, two mails, End session, the token
/// refused, the e-mail login reaching My digital keys.
pub async fn email_journey(service: &Service, lang: &str) {
    let l = Lang::parse(lang).expect("a language");
    let citizen = service.new_citizen(lang).await;
    let browser = service.browser(lang);
    let notice = token_login_to_notice(&browser, &citizen).await;
    let step1 = browser.act(&notice, "activate", &[]).await;
    assert_eq!(step1.step(), "activate.email");
    assert_eq!(step1.json["lang"], lang);
    assert_eq!(step1.json["data"]["email"], citizen.email.as_str());
    assert_eq!(step1.action_ids(), ["confirm", "change", "keys"]);
    let step2 = browser.act(&step1, "confirm", &[]).await;
    assert_eq!(step2.step(), "activate.select");
    assert_eq!(step2.json["data"]["offered"], json!(["email", "app"]));
    let step3 = browser.act(&step2, "submit", &[("key", "email")]).await;
    assert_eq!(step3.step(), "activate.email_code");
    assert_eq!(step3.action_ids(), ["submit", "resend", "cancel"]);
    let registration = service.last_mail_to(&citizen.email).await;
    assert_eq!(registration.subject, t(l, "mail-registration-subject"));
    assert!(registration.html.contains(&registration.code()));
    let done = browser
        .act(&step3, "submit", &[("code", &registration.code())])
        .await;
    assert_eq!(
        (done.status, done.step(), done.path.as_str()),
        (200, "activate.done", "/activate/done"),
        "{}",
        done.json
    );
    assert_eq!(done.json["data"]["key"], "email");
    assert_eq!(done.message_ids(), ["key.activated"]);

    // A deployed stack delivers the two notifications from the table's stream, a moment later.
    let mails = service.wait_for_mails(&citizen.email, 3).await;
    let subjects: Vec<&str> = mails.iter().map(|m| m.subject.as_str()).collect();
    assert_eq!(
        subjects,
        [
            t(l, "mail-registration-subject"),
            t(l, "mail-token-off-subject"),
            t(l, "mail-key-on-subject"),
        ],
        "the registration code, then exactly two notification mails"
    );
    assert!(
        mails[2].text.contains(&t(l, "key-email")),
        "the second mail names the key really activated: {}",
        mails[2].text
    );
    assert!(mails[1].html.contains(&format!("lang=\"{lang}\"")));

    let out = browser.act(&done, "end_session", &[]).await;
    assert_eq!(out.step(), "logged_out");
    let after = browser.get("/keys").await;
    assert_eq!(after.step(), "login", "the session is over");

    let refused = submit_login(&browser, &citizen.username, &citizen.password, "token").await;
    assert_eq!(
        (refused.status, refused.step()),
        (403, "login.token.unavailable")
    );
    assert_eq!(refused.message_ids(), ["token.unavailable"]);

    let asked = submit_login(&browser, &citizen.username, &citizen.password, "email").await;
    assert_eq!(asked.step(), "login.email", "{}", asked.json);
    let login_mail = service.last_mail_to(&citizen.email).await;
    assert_eq!(login_mail.subject, t(l, "mail-login-subject"));
    let keys = browser
        .act(&asked, "submit", &[("code", &login_mail.code())])
        .await;
    assert_eq!(keys.step(), "keys", "{}", keys.json);
    assert_eq!(keys.json["data"]["logged_in_with"], "email");
    let keys = &keys.json["data"]["keys"];
    assert_eq!(state_of(keys, "email").as_deref(), Some("active"));
    assert_eq!(state_of(keys, "token").as_deref(), Some("inactive"));
}

/// Token login, notice, step 1 (confirm the address), step 2 choosing `key`.
pub async fn into_step_3(browser: &Browser, citizen: &Citizen, key: &str) -> Page {
    let notice = token_login_to_notice(browser, citizen).await;
    assert_eq!(notice.action_ids(), ["activate", "other_key", "close"]);
    let step1 = browser.act(&notice, "activate", &[]).await;
    assert_eq!(step1.step(), "activate.email", "{}", step1.json);
    let step2 = browser.act(&step1, "confirm", &[]).await;
    assert_eq!(step2.step(), "activate.select", "{}", step2.json);
    browser.act(&step2, "submit", &[("key", key)]).await
}

/// The app journey: token login to step 3 with the app, the QR code read by an independent
/// decoder, paired with an independent TOTP, two notifications, End session, then an app login.
pub async fn app_journey(service: &Service, lang: &str) {
    let l = Lang::parse(lang).expect("a language");
    let citizen = service.new_citizen(lang).await;
    let browser = service.browser(lang);
    let install = into_step_3(&browser, &citizen, "app").await;
    assert_eq!(install.step(), "activate.app.install", "{}", install.json);
    let pair = browser.act(&install, "next", &[]).await;
    assert_eq!(pair.step(), "activate.app.pair", "{}", pair.json);
    let html = browser.html("/activate/app/pair").await;
    let (uri, secret) = crate::qr::scan_html(&html);
    assert_eq!(pair.json["data"]["otpauth_uri"], uri.as_str());
    let phone = |at: u64| totp_lite::totp_custom::<totp_lite::Sha1>(30, 6, &secret, at);

    let done = browser
        .act(&pair, "submit", &[("code", &phone(service.now_secs()))])
        .await;
    assert_eq!(done.step(), "activate.done", "{}", done.json);
    assert_eq!(done.json["data"]["key"], "app");
    let mails = service.wait_for_mails(&citizen.email, 2).await;
    assert_eq!(mails.len(), 2, "the two notifications");
    assert!(
        mails[1].text.contains(&t(l, "key-app")),
        "names the mobile app key: {}",
        mails[1].text
    );
    browser.act(&done, "end_session", &[]).await;

    // The pairing code was used: log in with the next time step's code, as a phone shows it then.
    let now = service.now_secs();
    service.pass_time(30 - now % 30 + 1).await;
    let asked = submit_login(&browser, &citizen.username, &citizen.password, "app").await;
    assert_eq!(asked.step(), "login.app", "{}", asked.json);
    let keys = browser
        .act(&asked, "submit", &[("code", &phone(service.now_secs()))])
        .await;
    assert_eq!(keys.step(), "keys", "{}", keys.json);
    assert_eq!(keys.json["data"]["logged_in_with"], "app");
}

/// A citizen whose app key is active (the wizard by app, paired with an independent TOTP), logged
/// out again; answers the citizen and the phone's secret.
pub async fn citizen_with_app_key(service: &Service, lang: &str) -> (Citizen, Vec<u8>) {
    let citizen = service.new_citizen(lang).await;
    let browser = service.browser(lang);
    let install = into_step_3(&browser, &citizen, "app").await;
    let pair = browser.act(&install, "next", &[]).await;
    assert_eq!(pair.step(), "activate.app.pair", "{}", pair.json);
    let (_, secret) = crate::qr::scan_html(&browser.html("/activate/app/pair").await);
    let code = totp_lite::totp_custom::<totp_lite::Sha1>(30, 6, &secret, service.now_secs());
    let done = browser.act(&pair, "submit", &[("code", &code)]).await;
    assert_eq!(done.step(), "activate.done", "{}", done.json);
    browser.act(&done, "end_session", &[]).await;
    // The pairing used this time step: the next code the phone shows is a later one.
    let now = service.now_secs();
    service.pass_time(30 - now % 30 + 1).await;
    (citizen, secret)
}

/// Forgotten password with the mailed code and the app's code: every earlier session ends, the
/// registered address is told, the old password fails and the new one logs in.
pub async fn forgotten_password_journey(service: &Service, lang: &str) {
    let l = Lang::parse(lang).expect("a language");
    let (citizen, secret) = citizen_with_app_key(service, lang).await;
    let phone = |at: u64| totp_lite::totp_custom::<totp_lite::Sha1>(30, 6, &secret, at);
    // A session left open elsewhere, which the reset must end.
    let elsewhere = service.browser(lang);
    let asked = submit_login(&elsewhere, &citizen.username, &citizen.password, "app").await;
    let keys = elsewhere
        .act(&asked, "submit", &[("code", &phone(service.now_secs()))])
        .await;
    assert_eq!(keys.step(), "keys", "{}", keys.json);
    let now = service.now_secs();
    service.pass_time(30 - now % 30 + 1).await;

    let browser = service.browser(lang);
    let login = browser.get("/login").await;
    let form = browser.act(&login, "forgotten_password", &[]).await;
    assert_eq!(form.step(), "login.forgotten_password", "{}", form.json);
    let code_page = browser
        .act(&form, "submit", &[("username", &citizen.username)])
        .await;
    assert_eq!(
        code_page.step(),
        "login.forgotten_password.code",
        "{}",
        code_page.json
    );
    let mail = service.last_mail_to(&citizen.email).await;
    assert_eq!(mail.subject, t(l, "mail-recovery-subject"));
    let second = browser
        .act(&code_page, "submit", &[("code", &mail.code())])
        .await;
    assert_eq!(
        second.step(),
        "login.forgotten_password.second_key",
        "{}",
        second.json
    );
    assert_eq!(second.json["data"]["key"], "app");
    let wrong = browser.act(&second, "submit", &[("code", "000000")]).await;
    assert_eq!(wrong.status, 401, "{}", wrong.json);
    let new_password = browser
        .act(&second, "submit", &[("code", &phone(service.now_secs()))])
        .await;
    assert_eq!(
        new_password.step(),
        "login.forgotten_password.new_password",
        "{}",
        new_password.json
    );
    let weak = browser
        .act(&new_password, "submit", &[("new_password", "password1234")])
        .await;
    assert_eq!(
        (weak.status, weak.message_ids()),
        (422, vec!["password.weak".to_string()])
    );
    let chosen = "harbour violet meadow 2031";
    let done = browser
        .act(&new_password, "submit", &[("new_password", chosen)])
        .await;
    assert_eq!(
        done.step(),
        "login.forgotten_password.done",
        "{}",
        done.json
    );
    assert_eq!(done.message_ids(), ["recovery.password_reset"]);
    assert_eq!(
        elsewhere.get("/keys").await.step(),
        "login",
        "the session left open ended"
    );
    let told = service.last_mail_to(&citizen.email).await;
    assert_eq!(told.subject, t(l, "mail-reset-subject"));
    let old = submit_login(
        &service.browser(lang),
        &citizen.username,
        &citizen.password,
        "app",
    )
    .await;
    assert_eq!(old.status, 401, "the old password no longer works");
    let fresh = submit_login(&service.browser(lang), &citizen.username, chosen, "app").await;
    assert_eq!(fresh.step(), "login.app", "{}", fresh.json);
}
