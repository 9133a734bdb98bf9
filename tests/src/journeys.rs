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

/// An officer logs in to the registration office's console (password and the app code of the
/// time step before now, so the step-up can use the current one without waiting).
pub async fn officer_login(service: &Service, desk: &Browser, officer: &crate::Officer) -> Page {
    let login = desk.get("/office").await;
    assert_eq!(login.step(), "office.login", "{}", login.json);
    let now = service.now_secs();
    let console = desk
        .act(
            &login,
            "login",
            &[
                ("officer_id", &officer.id),
                ("password", &officer.password),
                ("code", &officer.code_at(now - 30)),
            ],
        )
        .await;
    assert_eq!(
        (console.status, console.step()),
        (200, "office.find"),
        "{}",
        console.json
    );
    assert_eq!(console.json["data"]["officer"], officer.id.as_str());
    console
}

/// A national register number that passes its check (born in the 1900s), a different one each
/// call so that journeys can share a table.
pub fn national_register_number() -> String {
    let day = 1 + keys_core::crypto::random_in(0..=27);
    let month = 1 + keys_core::crypto::random_in(0..=11);
    let year = 40 + keys_core::crypto::random_in(0..=59);
    let serial = 1 + keys_core::crypto::random_in(0..=996);
    let base = u64::from(year) * 10_000_000
        + u64::from(month) * 100_000
        + u64::from(day) * 1_000
        + u64::from(serial);
    format!("{base:09}{:02}", 97 - base % 97)
}

/// The console's enrolment form (`enrol`, the page of `office.enrol`) posted with a citizen.
pub async fn enrol_at_office(
    desk: &Browser,
    enrol: &Page,
    name: &str,
    email: &str,
    lang: &str,
    nrn: &str,
) -> Page {
    desk.act(
        enrol,
        "enrol",
        &[
            ("name", name),
            ("email", email),
            ("lang", lang),
            ("nrn", nrn),
        ],
    )
    .await
}

/// The link an activation letter's mail carries.
pub fn letter_link(mail: &crate::ReceivedMail) -> String {
    mail.text
        .split_whitespace()
        .find(|word| word.contains("/activation?"))
        .unwrap_or_else(|| panic!("no activation link in the mail: {}", mail.text))
        .to_string()
}

/// What the office journey leaves: the citizen's id, username, password and address.
pub struct Activated {
    pub citizen_id: String,
    pub username: String,
    pub password: String,
    pub email: String,
    pub link: String,
}

/// The registration office journey: an officer logs in, enrols a new citizen (name, address,
/// language, national register number), finds them by the number, issues an activation letter
/// after a fresh app code; the citizen opens the mailed link, types the printed code (once
/// wrong), chooses username and password, activates the e-mail key in the wizard, and logs in.
pub async fn office_journey(service: &Service, lang: &str) -> Activated {
    let l = Lang::parse(lang).expect("a language");
    let officer = service.new_officer().await;
    let desk = service.browser("en");
    let console = officer_login(service, &desk, &officer).await;

    let enrol = desk.act(&console, "enrol", &[]).await;
    assert_eq!(enrol.step(), "office.enrol", "{}", enrol.json);
    let suffix = keys_core::crypto::random_short_id()
        .to_lowercase()
        .replace(['-', '_'], "");
    let email = format!("letter-{}@example.org", &suffix[..10]);
    let nrn = national_register_number();
    let bad = enrol_at_office(&desk, &enrol, "An Peeters", &email, lang, "85073003329").await;
    assert_eq!(
        (bad.status, bad.message_ids()),
        (400, vec!["office.nrn_invalid".to_string()]),
        "a number that fails its check is refused"
    );
    let enrolled = enrol_at_office(&desk, &enrol, "An Peeters", &email, lang, &nrn).await;
    assert_eq!(
        (enrolled.status, enrolled.step()),
        (200, "office.citizen"),
        "{}",
        enrolled.json
    );
    assert_eq!(enrolled.message_ids(), ["office.enrolled"]);
    assert_eq!(enrolled.json["data"]["pending"], true);
    let citizen_id = enrolled.json["data"]["citizen_id"]
        .as_str()
        .expect("citizen_id")
        .to_string();
    let twice = enrol_at_office(&desk, &enrol, "An Peeters", &email, lang, &nrn).await;
    assert_eq!(
        (twice.status, twice.message_ids()),
        (409, vec!["office.nrn_taken".to_string()]),
        "one citizen per national register number"
    );

    let home = desk.get("/office").await;
    let found = desk
        .act(&home, "find", &[("by", "nrn"), ("value", &nrn)])
        .await;
    assert_eq!(found.step(), "office.citizen", "{}", found.json);
    assert_eq!(found.json["data"]["citizen_id"], citizen_id.as_str());
    assert_eq!(found.action_ids(), ["issue", "back", "sign_out"]);

    let refused = desk.act(&found, "issue", &[("code", "000000")]).await;
    assert_eq!(
        (refused.status, refused.message_ids()),
        (401, vec!["office.step_up_wrong".to_string()]),
        "issuing asks for a right app code"
    );
    let letter = desk
        .act(
            &found,
            "issue",
            &[("code", &officer.code_at(service.now_secs()))],
        )
        .await;
    assert_eq!(
        (letter.status, letter.step(), letter.json["lang"].as_str()),
        (200, "office.letter", Some(lang)),
        "the letter is in the citizen's language: {}",
        letter.json
    );
    let code = letter.json["data"]["activation_code"]
        .as_str()
        .expect("activation_code")
        .to_string();
    assert_eq!(code.len(), 19, "16 characters in four groups: {code}");

    let mail = service
        .wait_for_mails(&email, 1)
        .await
        .pop()
        .expect("the letter's mail");
    assert_eq!(mail.subject, t(l, "mail-letter-subject"));
    assert!(!mail.text.contains(&code), "the code is only on paper");
    let link = letter_link(&mail);

    let browser = service.browser(lang);
    let code_page = browser.get(&browser.path_of_link(&link)).await;
    assert_eq!(
        (code_page.status, code_page.step(), code_page.path.as_str()),
        (200, "activation", "/activation"),
        "the link's token leaves the address: {}",
        code_page.json
    );
    let wrong = browser
        .act(&code_page, "submit", &[("code", "0000-0000-0000-0000")])
        .await;
    assert_eq!(
        (wrong.status, wrong.message_ids()),
        (401, vec!["letter.wrong".to_string()])
    );
    assert_eq!(wrong.json["data"]["tries_left"], 4);
    let account = browser
        .act(&code_page, "submit", &[("code", &code.to_lowercase())])
        .await;
    assert_eq!(
        (
            account.step(),
            account.json["data"]["new_citizen"].as_bool()
        ),
        ("activation.account", Some(true)),
        "{}",
        account.json
    );
    let username = format!("an-{}", &suffix[..8]);
    let weak = browser
        .act(
            &account,
            "submit",
            &[("username", &username), ("new_password", "password1234")],
        )
        .await;
    assert_eq!(
        (weak.status, weak.message_ids()),
        (422, vec!["password.weak".to_string()])
    );
    let password = "lantern orchard pebble 2032".to_string();
    let step1 = browser
        .act(
            &account,
            "submit",
            &[("username", &username), ("new_password", &password)],
        )
        .await;
    assert_eq!(
        step1.step(),
        "activate.email",
        "into the wizard: {}",
        step1.json
    );
    assert_eq!(step1.json["data"]["email"], email.as_str());
    assert!(
        step1.json.get("frame").is_none(),
        "a letter's session reaches the wizard only"
    );
    assert_eq!(
        browser.get("/keys").await.step(),
        "login",
        "My digital keys needs a login"
    );
    let step1 = browser.get("/activate/confirm-email").await;
    let step2 = browser.act(&step1, "confirm", &[]).await;
    assert_eq!(step2.step(), "activate.select", "{}", step2.json);
    let step3 = browser.act(&step2, "submit", &[("key", "email")]).await;
    assert_eq!(step3.step(), "activate.email_code", "{}", step3.json);
    let registration = service.last_mail_to(&email).await;
    assert_eq!(registration.subject, t(l, "mail-registration-subject"));
    let done = browser
        .act(&step3, "submit", &[("code", &registration.code())])
        .await;
    assert_eq!(done.step(), "activate.done", "{}", done.json);
    assert_eq!(done.json["data"]["key"], "email");

    let again = browser.get(&browser.path_of_link(&link)).await;
    assert_eq!(
        (again.status, again.message_ids()),
        (410, vec!["letter.used".to_string()]),
        "a letter works once"
    );

    // The letter's link, the registration code and the key's notice (delivered from the outbox,
    // a moment later on a deployed stack) come before the login code.
    let before = service.wait_for_mails(&email, 3).await;
    assert_eq!(
        before.last().map(|m| m.subject.as_str()),
        Some(t(l, "mail-key-on-subject").as_str())
    );
    let fresh = service.browser(lang);
    let asked = submit_login(&fresh, &username, &password, "email").await;
    assert_eq!(asked.step(), "login.email", "{}", asked.json);
    let login_mail = service
        .wait_for_mails(&email, 4)
        .await
        .pop()
        .expect("the login code");
    assert_eq!(login_mail.subject, t(l, "mail-login-subject"));
    let keys = fresh
        .act(&asked, "submit", &[("code", &login_mail.code())])
        .await;
    assert_eq!(keys.step(), "keys", "{}", keys.json);
    assert_eq!(
        state_of(&keys.json["data"]["keys"], "email").as_deref(),
        Some("active")
    );
    assert_eq!(keys.json["frame"]["welcome"], "An Peeters");

    let seen = desk.get(&format!("/office/citizen?id={citizen_id}")).await;
    assert_eq!(seen.step(), "office.citizen");
    assert_eq!(seen.json["data"]["letter"], "used");
    assert_eq!(
        state_of(&seen.json["data"]["keys"], "email").as_deref(),
        Some("active")
    );
    Activated {
        citizen_id,
        username,
        password,
        email,
        link,
    }
}
