//! Registration offices over HTTP: the office journey (memory and emulator), the activation letter refused when wrong, expired, reused or revoked, a citizen with a record who resets the password by letter, and the console refused without the officer role or with a citizen's session.

use blackbox::journeys::{
    citizen_with_app_key, enrol_at_office, letter_link, office_journey, officer_login,
};
use blackbox::{Service, submit_login};
use keys_core::i18n::{Lang, t};

#[tokio::test]
async fn an_officer_enrols_a_citizen_who_activates_the_email_key_by_letter_and_logs_in() {
    let service = Service::start().await;
    let activated = office_journey(&service, "nl").await;
    let events = service.audit_events_of_id(&activated.citizen_id).await;
    for expected in [
        ("office.enrol", "enrolled", true),
        ("office.letter", "issued", true),
        ("letter.code", "wrong_code", false),
        ("letter.code", "right", false),
        ("letter.activation", "account_chosen", false),
    ] {
        let found = events.iter().find(|(event, outcome, _)| {
            (event.as_str(), outcome.as_str()) == (expected.0, expected.1)
        });
        let found = found.unwrap_or_else(|| panic!("{expected:?} audited: {events:?}"));
        assert_eq!(
            found
                .2
                .as_deref()
                .is_some_and(|actor| actor.starts_with("officer:")),
            expected.2,
            "{expected:?}: the officer is named on what the officer did: {events:?}"
        );
    }
}

#[tokio::test]
async fn the_office_journey_passes_against_the_emulator() {
    let service = Service::start_on_emulator(|_| {}).await;
    office_journey(&service, "fr").await;
    println!("office journey passed against the emulator");
}

/// An officer and a new citizen with a letter issued; answers the letter's code and link.
async fn letter_for_a_new_citizen(
    service: &Service,
) -> (blackbox::Browser, blackbox::Page, String, String, String) {
    let officer = service.new_officer().await;
    let desk = service.browser("en");
    let console = officer_login(service, &desk, &officer).await;
    let enrol = desk.act(&console, "enrol", &[]).await;
    let email = format!(
        "letter-{}@example.org",
        &keys_core::crypto::random_short_id().to_lowercase()[..8]
    );
    let citizen = enrol_at_office(&desk, &enrol, "Luc Maes", &email, "en", "").await;
    assert_eq!(citizen.step(), "office.citizen", "{}", citizen.json);
    let letter = desk
        .act(
            &citizen,
            "issue",
            &[("code", &officer.code_at(service.now_secs()))],
        )
        .await;
    assert_eq!(letter.step(), "office.letter", "{}", letter.json);
    let code = letter.json["data"]["activation_code"]
        .as_str()
        .expect("code")
        .to_string();
    let link = letter_link(&service.last_mail_to(&email).await);
    let citizen_page = desk
        .get(&format!(
            "/office/citizen?id={}",
            citizen.json["data"]["citizen_id"].as_str().expect("id")
        ))
        .await;
    (desk, citizen_page, code, link, email)
}

#[tokio::test]
async fn a_letter_refuses_wrong_codes_then_stops_and_says_why_when_expired_used_or_revoked() {
    let service = Service::start().await;

    // Five wrong codes: the letter stops working, even for the right code.
    let (_, _, code, link, _) = letter_for_a_new_citizen(&service).await;
    let browser = service.browser("en");
    let page = browser.get(&browser.path_of_link(&link)).await;
    for left in (1..=4).rev() {
        let wrong = browser
            .act(&page, "submit", &[("code", "ABCD-EFGH-JKMN-PQRS")])
            .await;
        assert_eq!(wrong.status, 401);
        assert_eq!(wrong.json["data"]["tries_left"], left);
    }
    let fifth = browser
        .act(&page, "submit", &[("code", "ABCD-EFGH-JKMN-PQRS")])
        .await;
    assert_eq!(
        (fifth.status, fifth.message_ids()),
        (410, vec!["letter.exhausted".to_string()])
    );
    let right = browser.act(&page, "submit", &[("code", &code)]).await;
    assert_eq!(
        (right.status, right.message_ids()),
        (410, vec!["letter.exhausted".to_string()]),
        "no code works once the tries are spent"
    );
    assert_eq!(
        right.json["messages"][0]["text"],
        t(Lang::En, "msg-letter-exhausted")
    );

    // Revoked by the officer.
    let (desk, citizen_page, code, link, _) = letter_for_a_new_citizen(&service).await;
    assert!(citizen_page.action_ids().contains(&"revoke".to_string()));
    let revoked = desk.act(&citizen_page, "revoke", &[]).await;
    assert_eq!(revoked.message_ids(), ["office.revoked"]);
    assert_eq!(revoked.json["data"]["letter"], "revoked");
    let browser = service.browser("en");
    let page = browser.get(&browser.path_of_link(&link)).await;
    assert_eq!(
        (page.status, page.message_ids()),
        (410, vec!["letter.revoked".to_string()])
    );
    let _ = code;

    // Expired: the default is 30 days.
    let (_, _, code, link, _) = letter_for_a_new_citizen(&service).await;
    service.pass_time(30 * 24 * 3600 + 1).await;
    let browser = service.browser("en");
    let page = browser.get(&browser.path_of_link(&link)).await;
    assert_eq!(
        (page.status, page.message_ids()),
        (410, vec!["letter.expired".to_string()])
    );
    let _ = code;

    // A link that was never issued, or replaced by a newer letter.
    let browser = service.browser("en");
    let forged = browser
        .get("/activation?c=nobody&t=abcdefabcdefabcdef")
        .await;
    assert_eq!(
        (forged.status, forged.message_ids()),
        (404, vec!["letter.unknown".to_string()])
    );
    let none = service.browser("en").get("/activation").await;
    assert_eq!(none.status, 404);
}

#[tokio::test]
async fn a_reissued_letter_replaces_the_earlier_one() {
    let service = Service::start().await;
    let officer = service.new_officer().await;
    let desk = service.browser("en");
    let console = officer_login(&service, &desk, &officer).await;
    let enrol = desk.act(&console, "enrol", &[]).await;
    let email = "replaced@example.org";
    let citizen = enrol_at_office(&desk, &enrol, "Mia Claes", email, "de", "").await;
    let first = desk
        .act(
            &citizen,
            "issue",
            &[("code", &officer.code_at(service.now_secs()))],
        )
        .await;
    let first_link = letter_link(&service.last_mail_to(email).await);
    service.pass_time(31).await;
    let second = desk
        .act(
            &citizen,
            "issue",
            &[("code", &officer.code_at(service.now_secs()))],
        )
        .await;
    assert_eq!(second.step(), "office.letter", "{}", second.json);
    assert_ne!(
        first.json["data"]["activation_code"],
        second.json["data"]["activation_code"]
    );
    let browser = service.browser("de");
    let old = browser.get(&browser.path_of_link(&first_link)).await;
    assert_eq!(
        (old.status, old.message_ids()),
        (404, vec!["letter.unknown".to_string()]),
        "only the newest letter works"
    );
    let reused_step = desk
        .act(
            &citizen,
            "issue",
            &[("code", &officer.code_at(service.now_secs()))],
        )
        .await;
    assert_eq!(reused_step.status, 401, "an app code is good once");
}

#[tokio::test]
async fn a_citizen_with_a_record_resets_the_password_by_letter_and_every_session_ends() {
    let service = Service::start().await;
    let (citizen, secret) = citizen_with_app_key(&service, "en").await;
    let phone = |at: u64| totp_lite::totp_custom::<totp_lite::Sha1>(30, 6, &secret, at);
    let elsewhere = service.browser("en");
    let asked = submit_login(&elsewhere, &citizen.username, &citizen.password, "app").await;
    let keys = elsewhere
        .act(&asked, "submit", &[("code", &phone(service.now_secs()))])
        .await;
    assert_eq!(keys.step(), "keys");

    let officer = service.new_officer().await;
    let desk = service.browser("en");
    let console = officer_login(&service, &desk, &officer).await;
    let found = desk
        .act(
            &console,
            "find",
            &[
                ("by", "username"),
                ("value", &citizen.username.to_uppercase()),
            ],
        )
        .await;
    assert_eq!(found.step(), "office.citizen", "{}", found.json);
    let html = desk
        .html(&format!(
            "/office/citizen?id={}",
            found.json["data"]["citizen_id"].as_str().expect("id")
        ))
        .await;
    assert!(html.contains(&citizen.username));
    assert!(!html.contains("$argon2"), "no secret reaches the console");
    let by_email = desk
        .act(
            &console,
            "find",
            &[("by", "email"), ("value", &citizen.email)],
        )
        .await;
    assert_eq!(
        by_email.json["data"]["citizen_id"],
        found.json["data"]["citizen_id"]
    );
    let letter = desk
        .act(
            &found,
            "issue",
            &[("code", &officer.code_at(service.now_secs()))],
        )
        .await;
    let code = letter.json["data"]["activation_code"]
        .as_str()
        .expect("code")
        .to_string();
    let link = letter_link(&service.last_mail_to(&citizen.email).await);

    let browser = service.browser("en");
    let page = browser.get(&browser.path_of_link(&link)).await;
    let account = browser.act(&page, "submit", &[("code", &code)]).await;
    assert_eq!(account.step(), "activation.account", "{}", account.json);
    assert_eq!(
        account.json["data"]["new_citizen"], false,
        "the username stays"
    );
    let new_password = "quarry lilac window 2033";
    let step1 = browser
        .act(&account, "submit", &[("new_password", new_password)])
        .await;
    assert_eq!(step1.step(), "activate.email", "{}", step1.json);
    assert_eq!(
        elsewhere.get("/keys").await.step(),
        "login",
        "the other session ended"
    );
    let told = service.last_mail_to(&citizen.email).await;
    assert_eq!(told.subject, t(Lang::En, "mail-reset-subject"));
    let old = submit_login(
        &service.browser("en"),
        &citizen.username,
        &citizen.password,
        "app",
    )
    .await;
    assert_eq!(old.status, 401, "the old password no longer works");
    service.pass_time(31).await;
    let again = service.browser("en");
    let asked = submit_login(&again, &citizen.username, new_password, "app").await;
    assert_eq!(asked.step(), "login.app", "{}", asked.json);
    let keys = again
        .act(&asked, "submit", &[("code", &phone(service.now_secs()))])
        .await;
    assert_eq!(
        keys.step(),
        "keys",
        "the app key still works: {}",
        keys.json
    );
}

#[tokio::test]
async fn the_console_refuses_a_citizens_session_an_account_without_the_role_and_wrong_logins() {
    let service = Service::start().await;

    // A citizen logged in with a session of their own gets no console.
    let (citizen, secret) = citizen_with_app_key(&service, "en").await;
    let browser = service.browser("en");
    let asked = submit_login(&browser, &citizen.username, &citizen.password, "app").await;
    let keys = browser
        .act(
            &asked,
            "submit",
            &[(
                "code",
                &totp_lite::totp_custom::<totp_lite::Sha1>(30, 6, &secret, service.now_secs()),
            )],
        )
        .await;
    assert_eq!(keys.step(), "keys");
    for path in ["/office", "/office/enrol", "/office/citizen?id=x"] {
        let page = browser.get(path).await;
        assert_eq!(
            page.step(),
            "office.login",
            "{path} asks an officer to log in"
        );
    }
    let posted = browser
        .post_form(
            &keys,
            "/office/find",
            &[("by", "username"), ("value", &citizen.username)],
        )
        .await;
    assert_eq!(
        (posted.status, posted.message_ids()),
        (403, vec!["office.forbidden".to_string()]),
        "a form posted with a citizen's session is refused"
    );

    // An officer whose role was taken: the open session stops at the next request.
    let officer = service.new_officer().await;
    let desk = service.browser("en");
    let console = officer_login(&service, &desk, &officer).await;
    service.set_officer_role(&officer, None).await;
    let page = desk.get("/office").await;
    assert_eq!(
        (page.status, page.message_ids()),
        (403, vec!["office.forbidden".to_string()])
    );
    let find = desk
        .act(
            &console,
            "find",
            &[("by", "username"), ("value", &citizen.username)],
        )
        .await;
    assert_eq!(find.status, 403);
    service.pass_time(31).await;
    let desk = service.browser("en");
    let login = desk.get("/office/login").await;
    let no_role = desk
        .act(
            &login,
            "login",
            &[
                ("officer_id", &officer.id),
                ("password", &officer.password),
                ("code", &officer.code_at(service.now_secs())),
            ],
        )
        .await;
    assert_eq!(
        (no_role.status, no_role.message_ids()),
        (403, vec!["office.no_role".to_string()])
    );
    service.set_officer_role(&officer, Some("officer")).await;

    // Wrong logins: the same answer for every wrong part, then a lockout.
    let other = service.new_officer().await;
    let desk = service.browser("en");
    let login = desk.get("/office/login").await;
    for (id, password, code) in [
        ("nobody-here", other.password.as_str(), "123456"),
        (
            other.id.as_str(),
            "wrong password 1234",
            other.code_at(service.now_secs()).as_str(),
        ),
        (other.id.as_str(), other.password.as_str(), "000000"),
    ] {
        let wrong = desk
            .act(
                &login,
                "login",
                &[("officer_id", id), ("password", password), ("code", code)],
            )
            .await;
        assert_eq!(
            (wrong.status, wrong.message_ids()),
            (401, vec!["office.login_wrong".to_string()])
        );
    }
    for _ in 0..3 {
        desk.act(
            &login,
            "login",
            &[
                ("officer_id", &other.id),
                ("password", "wrong"),
                ("code", "000000"),
            ],
        )
        .await;
    }
    let locked = desk
        .act(
            &login,
            "login",
            &[
                ("officer_id", &other.id),
                ("password", &other.password),
                ("code", &other.code_at(service.now_secs())),
            ],
        )
        .await;
    assert_eq!(
        (locked.status, locked.message_ids()),
        (429, vec!["office.locked".to_string()])
    );
    // A citizen's credentials are not an officer's.
    let as_citizen = desk
        .act(
            &login,
            "login",
            &[
                ("officer_id", &citizen.username),
                ("password", &citizen.password),
                ("code", "000000"),
            ],
        )
        .await;
    assert_eq!(as_citizen.status, 401);
}

#[tokio::test]
async fn an_officer_sees_a_locked_login_and_unlocks_it_with_the_officer_named() {
    let service = Service::start().await;
    let citizen = service.new_citizen("nl").await;
    let browser = service.browser("nl");
    for _ in 0..5 {
        submit_login(
            &browser,
            &citizen.username,
            "not the password at all",
            "email",
        )
        .await;
    }
    let locked = submit_login(&browser, &citizen.username, &citizen.password, "email").await;
    assert_eq!(locked.status, 429, "{}", locked.json);

    let officer = service.new_officer().await;
    let desk = service.browser("nl");
    let console = officer_login(&service, &desk, &officer).await;
    let found = desk
        .act(
            &console,
            "find",
            &[("by", "username"), ("value", &citizen.username)],
        )
        .await;
    assert_eq!(found.json["data"]["locked"], true, "{}", found.json);
    assert!(found.action_ids().contains(&"unlock".to_string()));
    let unlocked = desk.act(&found, "unlock", &[]).await;
    assert_eq!(unlocked.message_ids(), ["office.unlocked"]);
    assert_eq!(unlocked.json["data"]["locked"], false);
    assert!(!unlocked.action_ids().contains(&"unlock".to_string()));
    let asked = submit_login(&browser, &citizen.username, &citizen.password, "token").await;
    assert_eq!(
        asked.step(),
        "login.token",
        "the citizen can log in again: {}",
        asked.json
    );
    let events = service.audit_events_of(&citizen).await;
    assert!(
        events.contains(&("admin.unlock".to_string(), "cleared".to_string())),
        "{events:?}"
    );
    let id = found.json["data"]["citizen_id"].as_str().expect("id");
    let trail = service.audit_events_of_id(id).await;
    let unlock = trail
        .iter()
        .find(|(event, _, _)| event == "admin.unlock")
        .expect("audited");
    assert_eq!(
        unlock.2.as_deref(),
        Some(format!("officer:{}", officer.id).as_str())
    );
}
