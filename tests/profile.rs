//! The logged-in frame (welcome, sign out, tabs), My profile (address change, language of the
//! mails, password) and Info, over HTTP: on the in-memory runner and on the AWS emulator.

use blackbox::{Browser, Citizen, Page, Service, submit_login, token_login_to_notice};
use keys_core::i18n::{Lang, t};
use serde_json::json;

/// A citizen with a name, logged in with the token and past the notice (on My digital keys).
async fn logged_in(service: &Service, lang: &str, name: &str) -> (Citizen, Browser, Page) {
    let citizen = service
        .new_citizen_with(json!({ "lang": lang, "name": name }))
        .await;
    let browser = service.browser(lang);
    let notice = token_login_to_notice(&browser, &citizen).await;
    let keys = browser.act(&notice, "close", &[]).await;
    assert_eq!(keys.step(), "keys", "{}", keys.json);
    (citizen, browser, keys)
}

/// The tab a page's frame marks as open, and whom it greets; `None` without a frame.
fn frame_of(page: &Page) -> Option<(String, String)> {
    let frame = page.json.get("frame")?;
    let open = frame["tabs"]
        .as_array()
        .expect("tabs")
        .iter()
        .filter(|tab| tab["current"] == true)
        .map(|tab| tab["id"].as_str().expect("tab id").to_string())
        .collect::<Vec<_>>();
    assert_eq!(open.len(), 1, "one tab is open: {}", page.json);
    Some((
        open[0].clone(),
        frame["welcome"].as_str().expect("welcome").to_string(),
    ))
}

#[tokio::test]
async fn every_logged_in_page_has_the_frame_and_its_sign_out_works_from_the_wizard() {
    let service = Service::start().await;
    let anonymous = service.browser("en");
    for path in ["/login", "/info", "/login/forgotten-username"] {
        let page = anonymous.get(path).await;
        assert_eq!(frame_of(&page), None, "{path} before a login has no frame");
    }
    let (_, browser, keys) = logged_in(&service, "en", "Jan Peeters").await;
    let greeted = |tab: &str| Some((tab.to_string(), "Jan Peeters".to_string()));
    assert_eq!(frame_of(&keys), greeted("keys"));
    assert_eq!(frame_of(&browser.get("/profile").await), greeted("profile"));
    assert_eq!(frame_of(&browser.get("/info").await), greeted("info"));
    let html = browser.html("/keys").await;
    assert!(html.contains("Welcome, Jan Peeters"), "{html}");
    for (href, tab) in [
        ("/keys", "tab-keys"),
        ("/profile", "tab-profile"),
        ("/info", "tab-info"),
    ] {
        let link = format!(r#"href="{href}""#);
        assert!(html.contains(&link), "{link}");
        assert!(html.contains(&t(Lang::En, tab)));
    }
    assert_eq!(html.matches(r#"aria-current="page""#).count(), 1);
    // The wizard's pages are My digital keys' own: framed, and signing out ends the session.
    let step1 = browser.act(&keys, "activate", &[]).await;
    assert_eq!(step1.step(), "activate.email");
    assert_eq!(frame_of(&step1), greeted("keys"));
    let sign_out = step1.json["frame"]["sign_out"].clone();
    assert_eq!(sign_out["href"], "/keys/sign-out");
    let out = browser.sign_out_from_frame(&step1).await;
    assert_eq!(out.step(), "logged_out", "{}", out.json);
    assert_eq!(browser.get("/keys").await.step(), "login");
    // A citizen the service knows no name of is greeted by username.
    let (citizen, browser, _) = logged_in(&service, "fr", "").await;
    let keys = browser.get("/keys").await;
    assert_eq!(
        frame_of(&keys),
        Some(("keys".into(), citizen.username.clone()))
    );
    assert!(browser.html("/keys").await.contains("Bienvenue"));
}

#[tokio::test]
async fn my_profile_shows_the_citizen_and_my_keys_every_key_to_activate() {
    let service = Service::start().await;
    let (citizen, browser, _) = logged_in(&service, "nl", "An Janssens").await;
    let profile = browser.get("/profile").await;
    assert_eq!(profile.step(), "profile");
    assert_eq!(profile.json["data"]["name"], "An Janssens");
    assert_eq!(profile.json["data"]["username"], json!(citizen.username));
    assert_eq!(profile.json["data"]["email"], json!(citizen.email));
    assert_eq!(profile.json["data"]["mail_lang"], "nl");
    assert_eq!(
        profile.action_ids(),
        ["change_email", "language", "change_password"]
    );
    let html = browser.html("/profile").await;
    for text in [
        "An Janssens",
        citizen.username.as_str(),
        citizen.email.as_str(),
    ] {
        assert!(html.contains(text), "{text} on My profile");
    }
}

/// The address changes only with the code sent to the new one; bad input changes nothing.
async fn address_change(service: &Service) {
    let (citizen, browser, _) = logged_in(service, "en", "Jan Peeters").await;
    let profile = browser.get("/profile").await;
    let form = browser.act(&profile, "change_email", &[]).await;
    assert_eq!(form.step(), "profile.email", "{}", form.json);
    for (typed, message) in [
        ("", "field.required"),
        ("not an address", "email.invalid"),
        (citizen.email.as_str(), "email.same"),
    ] {
        let refused = browser.act(&form, "submit", &[("email", typed)]).await;
        assert_eq!(
            (refused.status, refused.message_ids()),
            (422, vec![message.to_string()]),
            "{typed:?}"
        );
    }
    let new = format!("new.{}", citizen.email);
    let verify = browser.act(&form, "submit", &[("email", &new)]).await;
    assert_eq!(verify.step(), "profile.email.verify", "{}", verify.json);
    assert_eq!(verify.json["data"]["email"], json!(new));
    let code = service.last_mail_to(&new).await.code();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let refused = browser.act(&verify, "submit", &[("code", wrong)]).await;
    assert_eq!(refused.status, 401, "{}", refused.json);
    assert_eq!(
        browser.get("/profile").await.json["data"]["email"],
        json!(citizen.email),
        "a wrong code changes nothing"
    );
    let done = browser.act(&verify, "submit", &[("code", &code)]).await;
    assert_eq!(done.step(), "profile", "{}", done.json);
    assert_eq!(done.message_ids(), ["profile.email_changed"]);
    assert_eq!(done.json["data"]["email"], json!(new));
    let told = service.last_mail_to(&citizen.email).await;
    assert_eq!(told.subject, t(Lang::En, "mail-changed-subject"));
    // The code is used up.
    let again = browser.act(&verify, "submit", &[("code", &code)]).await;
    assert_ne!(again.step(), "profile", "{}", again.json);
}

#[tokio::test]
async fn my_profile_changes_the_address_after_the_code_sent_to_it() {
    let service = Service::start().await;
    address_change(&service).await;
}

#[tokio::test]
async fn my_profile_changes_the_address_after_the_code_sent_to_it_on_the_emulator() {
    let service = Service::start_on_emulator(|_| {}).await;
    address_change(&service).await;
}

#[tokio::test]
async fn my_profile_keeps_the_language_of_the_mails() {
    let service = Service::start().await;
    let (citizen, browser, _) = logged_in(&service, "en", "Jan Peeters").await;
    let profile = browser.get("/profile").await;
    let refused = browser.act(&profile, "language", &[("lang", "es")]).await;
    assert_eq!(
        (refused.status, refused.message_ids()),
        (422, vec!["lang.unknown".to_string()])
    );
    assert_eq!(
        browser.get("/profile").await.json["data"]["mail_lang"],
        "en"
    );
    let saved = browser.act(&profile, "language", &[("lang", "de")]).await;
    assert_eq!(saved.step(), "profile", "{}", saved.json);
    assert_eq!(saved.message_ids(), ["profile.language_saved"]);
    assert_eq!(saved.json["data"]["mail_lang"], "de");
    let events = service.audit_events_of(&citizen).await;
    assert!(
        events.contains(&("profile.language".to_string(), "changed".to_string())),
        "the change is audited: {events:?}"
    );
    // The next mail, sent from an English page, is in German.
    let form = browser.get("/profile/password").await;
    let changed = browser
        .act(
            &form,
            "submit",
            &[
                ("current_password", citizen.password.as_str()),
                ("new_password", "lantern orchard velvet 1987"),
            ],
        )
        .await;
    assert_eq!(changed.step(), "profile", "{}", changed.json);
    assert_eq!(changed.message_ids(), ["password.changed"]);
    let mail = service.last_mail_to(&citizen.email).await;
    assert_eq!(mail.subject, t(Lang::De, "mail-password-subject"));
    let old = submit_login(
        &service.browser("en"),
        &citizen.username,
        &citizen.password,
        "token",
    )
    .await;
    assert_eq!(old.status, 401, "the old password no longer works");
}

#[tokio::test]
async fn info_explains_the_keys_the_phase_out_and_the_help_desk_in_every_language() {
    let service = Service::start_with(|s| {
        s.token_sunset_at = time::macros::datetime!(2027-01-31 12:00 UTC);
    })
    .await;
    let help_desk = service.ports().app.settings.help_desk.clone();
    for (lang, date) in [
        ("en", "31 January 2027"),
        ("fr", "31 janvier 2027"),
        ("nl", "31 januari 2027"),
        ("de", "31. Januar 2027"),
    ] {
        let browser = service.browser(lang);
        let info = browser.get("/info").await;
        assert_eq!((info.status, info.step()), (200, "info"));
        assert_eq!(info.json["data"]["help_desk"], json!(help_desk));
        assert_eq!(
            info.json["data"]["sections"],
            json!(["keys", "levels", "phase-out", "help"])
        );
        let html = browser.html("/info").await;
        assert!(html.contains(&help_desk), "{lang}: the help desk");
        assert!(
            html.contains(&date.replace(' ', "\u{a0}")),
            "{lang}: the sunset as {date}"
        );
        assert!(html.contains(r#"<h2 id="levels">"#), "{lang}");
    }
    // The recommendation's *Why?* goes to the levels.
    let (_, browser, keys) = logged_in(&service, "en", "Jan Peeters").await;
    let step1 = browser.act(&keys, "activate", &[]).await;
    let step2 = browser.act(&step1, "confirm", &[]).await;
    assert_eq!(step2.step(), "activate.select");
    let html = browser.html("/activate/select").await;
    assert!(
        html.contains(r#"<a href="/info#levels">Why?</a>"#),
        "{html}"
    );
}

#[tokio::test]
async fn sign_in_here_logs_in_to_my_digital_keys() {
    let service = Service::start().await;
    let citizen = service
        .new_citizen_with(json!({ "lang": "en", "name": "Jan Peeters" }))
        .await;
    let browser = service.browser("en");
    let html = browser.html("/login").await;
    assert!(
        html.contains(r#"<a href="/keys">Sign in here</a>"#),
        "{html}"
    );
    // The panel's link, as a browser follows it: a login that says where it goes, and goes there.
    let login = browser.get("/keys").await;
    assert_eq!(login.step(), "login");
    assert!(
        login.json["actions"][0]["href"]
            .as_str()
            .is_some_and(|href| href.contains("return_to=%2Fkeys")),
        "{}",
        login.json
    );
    let token = browser
        .act(
            &login,
            "submit",
            &[
                ("username", citizen.username.as_str()),
                ("password", citizen.password.as_str()),
                ("key", "token"),
            ],
        )
        .await;
    let code = citizen.card_code(&token.json["data"]["challenge_index"]);
    let notice = browser.act(&token, "submit", &[("code", &code)]).await;
    let keys = browser.act(&notice, "close", &[]).await;
    assert_eq!(keys.step(), "keys", "{}", keys.json);
}
