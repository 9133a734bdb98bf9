//! The activation wizard with the e-mail key, the switch, the notification mails and the e-mail
//! login, over HTTP: on the in-memory runner and on the AWS emulator (DynamoDB + SES v2).

use blackbox::journeys::{email_journey, state_of};
use blackbox::{Browser, Citizen, Page, Service, submit_login, token_login_to_notice};
use keys_core::audit::events_of;
use keys_core::citizens::{self};
use keys_core::dispatch::{deliver_pending, is_outbox};
use keys_core::i18n::{Lang, t};
use keys_core::keys::{KeyKind, KeyState};
use serde_json::json;

/// Logs in with the token and follows the notice into the wizard up to step 3 by e-mail.
async fn to_email_code(service: &Service, browser: &Browser, citizen: &Citizen) -> (Page, String) {
    let notice = token_login_to_notice(browser, citizen).await;
    let step1 = browser.act(&notice, "activate", &[]).await;
    assert_eq!(
        (step1.status, step1.step()),
        (200, "activate.email"),
        "{}",
        step1.json
    );
    let step2 = browser.act(&step1, "confirm", &[]).await;
    assert_eq!(step2.step(), "activate.select", "{}", step2.json);
    let step3 = browser.act(&step2, "submit", &[("key", "email")]).await;
    assert_eq!(
        (step3.status, step3.step()),
        (200, "activate.email_code"),
        "{}",
        step3.json
    );
    let code = service.last_mail_to(&citizen.email).await.code();
    (step3, code)
}

async fn keys_of(browser: &Browser) -> serde_json::Value {
    let keys = browser.get("/keys").await;
    assert_eq!(keys.step(), "keys", "{}", keys.json);
    keys.json["data"]["keys"].clone()
}

#[tokio::test]
async fn the_whole_journey_by_email_in_every_language() {
    let service = Service::start().await;
    for lang in ["nl", "fr", "de", "en"] {
        email_journey(&service, lang).await;
    }
}

#[tokio::test]
async fn the_whole_journey_by_email_on_the_aws_emulator() {
    let service = Service::start_on_emulator(|_| {}).await;
    email_journey(&service, "nl").await;
    println!("wizard journey passed against: DynamoDB and SES v2 on the emulator");
}

#[tokio::test]
async fn an_expired_registration_code_is_refused_even_before_the_store_deletes_it() {
    let service = Service::start_with(|s| s.registration_code_ttl_seconds = 60).await;
    let citizen = service.new_citizen("en").await;
    let browser = service.browser("en");
    let (step3, code) = to_email_code(&service, &browser, &citizen).await;
    service.ports().clock.advance(time::Duration::seconds(61));
    let expired = browser.act(&step3, "submit", &[("code", &code)]).await;
    assert_eq!(
        (expired.status, expired.step()),
        (422, "activate.email_code")
    );
    assert_eq!(expired.message_ids(), ["code.expired"]);
    assert_eq!(state_of(&keys_of(&browser).await, "email"), None);

    let resent = browser.act(&expired, "resend", &[]).await;
    assert_eq!(resent.message_ids(), ["code.resent"]);
    let fresh = service.last_mail_to(&citizen.email).await.code();
    let done = browser.act(&resent, "submit", &[("code", &fresh)]).await;
    assert_eq!(done.step(), "activate.done");
}

#[tokio::test]
async fn five_wrong_codes_then_even_the_right_one_is_refused() {
    let service = Service::start().await;
    let citizen = service.new_citizen("fr").await;
    let browser = service.browser("fr");
    let (mut page, code) = to_email_code(&service, &browser, &citizen).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for left in (1..5).rev() {
        page = browser.act(&page, "submit", &[("code", wrong)]).await;
        assert_eq!(page.status, 401);
        assert_eq!(page.message_ids(), ["code.invalid", "code.tries_left"]);
        assert!(
            page.json["messages"][1]["text"]
                .as_str()
                .is_some_and(|t| t.contains(&left.to_string())),
            "{}",
            page.json
        );
    }
    page = browser.act(&page, "submit", &[("code", wrong)]).await;
    assert_eq!(
        (page.status, page.message_ids()),
        (422, vec!["code.exhausted".to_string()])
    );
    page = browser.act(&page, "submit", &[("code", &code)]).await;
    assert_eq!(
        (page.status, page.message_ids()),
        (422, vec!["code.exhausted".to_string()]),
        "the right code is refused too"
    );
    assert_eq!(
        state_of(&keys_of(&browser).await, "token").as_deref(),
        Some("active")
    );
}

#[tokio::test]
async fn resend_replaces_the_code() {
    let service = Service::start().await;
    let citizen = service.new_citizen("de").await;
    let browser = service.browser("de");
    let (step3, old) = to_email_code(&service, &browser, &citizen).await;
    let resent = browser.act(&step3, "resend", &[]).await;
    assert_eq!(
        (resent.status, resent.step(), resent.message_ids()),
        (200, "activate.email_code", vec!["code.resent".to_string()])
    );
    let new = service.last_mail_to(&citizen.email).await.code();
    assert_eq!(service.mails_to(&citizen.email).await.len(), 2);
    if new != old {
        let refused = browser.act(&resent, "submit", &[("code", &old)]).await;
        assert_eq!(refused.status, 401, "only the newest code works");
    }
    let done = browser.act(&resent, "submit", &[("code", &new)]).await;
    assert_eq!(done.step(), "activate.done");
}

#[tokio::test]
async fn resending_is_limited() {
    let service = Service::start().await;
    let citizen = service.new_citizen("en").await;
    let browser = service.browser("en");
    let (mut page, _) = to_email_code(&service, &browser, &citizen).await;
    for _ in 1..keys_core::codes::SENDS_PER_HOUR {
        page = browser.act(&page, "resend", &[]).await;
        assert_eq!(page.status, 200);
    }
    let limited = browser.act(&page, "resend", &[]).await;
    assert_eq!(
        (limited.status, limited.message_ids()),
        (429, vec!["code.too_many_sends".to_string()])
    );
    assert_eq!(
        service.mails_to(&citizen.email).await.len() as i64,
        keys_core::codes::SENDS_PER_HOUR
    );
}

#[tokio::test]
async fn cancel_withdraws_the_code_and_goes_back_to_step_2() {
    let service = Service::start().await;
    let citizen = service.new_citizen("nl").await;
    let browser = service.browser("nl");
    let (step3, code) = to_email_code(&service, &browser, &citizen).await;
    let step2 = browser.act(&step3, "cancel", &[]).await;
    assert_eq!(step2.step(), "activate.select");
    let again = browser.get("/activate/email-code").await;
    assert_eq!(
        again.step(),
        "activate.select",
        "step 3 is not shown after cancel"
    );
    let forced = browser.act(&step3, "submit", &[("code", &code)]).await;
    assert_eq!(
        forced.step(),
        "activate.select",
        "the old page's form is refused"
    );
    assert_eq!(state_of(&keys_of(&browser).await, "email"), None);
    let step3 = browser.act(&step2, "submit", &[("key", "email")]).await;
    let fresh = service.last_mail_to(&citizen.email).await.code();
    let done = browser.act(&step3, "submit", &[("code", &fresh)]).await;
    assert_eq!(done.step(), "activate.done");
}

#[tokio::test]
async fn a_new_address_is_verified_by_a_code_sent_to_it_and_the_old_one_is_told() {
    let service = Service::start().await;
    let citizen = service.new_citizen("en").await;
    let browser = service.browser("en");
    let notice = token_login_to_notice(&browser, &citizen).await;
    let step1 = browser.act(&notice, "activate", &[]).await;

    let same = browser
        .change_address(&step1, &citizen.email.to_uppercase())
        .await;
    assert_eq!(
        (same.status, same.message_ids()),
        (422, vec!["email.same".to_string()])
    );
    let junk = browser.change_address(&step1, "not an address").await;
    assert_eq!(
        (junk.status, junk.message_ids()),
        (422, vec!["email.invalid".to_string()])
    );
    assert_eq!(junk.json["messages"][0]["field"], "email");

    let new = format!("new-{}", citizen.email);
    let verify = browser.change_address(&step1, &new).await;
    assert_eq!(verify.step(), "activate.email.verify", "{}", verify.json);
    assert_eq!(verify.action_ids(), ["submit", "cancel"]);
    let mail = service.last_mail_to(&new).await;
    assert_eq!(mail.subject, t(Lang::En, "mail-change-subject"));
    let code = mail.code();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let refused = browser.act(&verify, "submit", &[("code", wrong)]).await;
    assert_eq!(refused.status, 401);
    assert_eq!(
        browser.get("/activate/select").await.step(),
        "activate.email.verify",
        "step 2 waits for the new address"
    );
    let step2 = browser.act(&refused, "submit", &[("code", &code)]).await;
    assert_eq!(step2.step(), "activate.select", "{}", step2.json);

    let told = service.last_mail_to(&citizen.email).await;
    assert_eq!(told.subject, t(Lang::En, "mail-changed-subject"));
    assert!(
        !told.text.contains(&new),
        "the new address is partly hidden"
    );
    let step1_again = browser.get("/activate/confirm-email").await;
    assert_eq!(step1_again.json["data"]["email"], new.as_str());

    let step2 = browser.act(&step1_again, "confirm", &[]).await;
    let step3 = browser.act(&step2, "submit", &[("key", "email")]).await;
    let registration = service.last_mail_to(&new).await;
    assert_eq!(
        registration.subject,
        t(Lang::En, "mail-registration-subject")
    );
    let done = browser
        .act(&step3, "submit", &[("code", &registration.code())])
        .await;
    assert_eq!(done.step(), "activate.done");
    assert_eq!(
        service.mails_to(&new).await.len(),
        4,
        "change code, registration code and both notifications go to the new address"
    );
}

#[tokio::test]
async fn cancelling_a_change_keeps_the_old_address() {
    let service = Service::start().await;
    let citizen = service.new_citizen("en").await;
    let browser = service.browser("en");
    let notice = token_login_to_notice(&browser, &citizen).await;
    let step1 = browser.act(&notice, "activate", &[]).await;
    let new = format!("other-{}", citizen.email);
    let verify = browser.change_address(&step1, &new).await;
    let code = service.last_mail_to(&new).await.code();
    let back = browser.act(&verify, "cancel", &[]).await;
    assert_eq!(back.step(), "activate.email");
    assert_eq!(back.json["data"]["email"], citizen.email.as_str());
    let late = browser.act(&verify, "submit", &[("code", &code)]).await;
    assert_eq!(late.step(), "activate.email", "{}", late.json);
    assert_eq!(
        browser.get("/activate/confirm-email").await.json["data"]["email"],
        citizen.email.as_str()
    );
}

#[tokio::test]
async fn a_double_submit_or_two_tabs_activate_once() {
    let service = Service::start().await;
    let citizen = service.new_citizen("en").await;
    let browser = service.browser("en");
    let (step3, code) = to_email_code(&service, &browser, &citizen).await;
    let fields = [("code", code.as_str())];
    let tabs = (0..6).map(|_| browser.act(&step3, "submit", &fields));
    let pages = futures::future::join_all(tabs).await;
    for page in &pages {
        assert_eq!(page.step(), "activate.done", "{}", page.json);
    }
    let ports = service.ports();
    let id = citizens::citizen_by_username(&ports.app, &citizen.username)
        .await
        .expect("store")
        .expect("citizen")
        .id;
    let activations: Vec<_> = events_of(&ports.app, &id)
        .await
        .expect("audit")
        .into_iter()
        .filter(|(event, outcome)| event == "key.activate" && outcome == "email")
        .collect();
    assert_eq!(activations.len(), 1, "exactly one activation");
    let subjects: Vec<String> = service
        .mails_to(&citizen.email)
        .await
        .into_iter()
        .map(|m| m.subject)
        .collect();
    assert_eq!(
        subjects,
        [
            t(Lang::En, "mail-registration-subject"),
            t(Lang::En, "mail-token-off-subject"),
            t(Lang::En, "mail-key-on-subject"),
        ]
    );
}

/// What the citizen's keys and the mails say after a submit, to tell "before" from "after": the
/// token's and the e-mail key's state, the notifications sent and those still queued.
async fn snapshot(
    service: &Service,
    username: &str,
    email: &str,
) -> (Option<KeyState>, Option<KeyState>, usize, usize) {
    let ports = service.ports();
    let id = citizens::citizen_by_username(&ports.app, username)
        .await
        .expect("store")
        .expect("citizen")
        .id;
    let token = citizens::key(&ports.app, &id, KeyKind::Token)
        .await
        .expect("store")
        .map(|k| k.state);
    let email_key = citizens::key(&ports.app, &id, KeyKind::Email)
        .await
        .expect("store")
        .map(|k| k.state);
    let queued = ports
        .store
        .raw_items()
        .iter()
        .filter(|i| is_outbox(&i.pk) && i.s("to") == Some(email))
        .count();
    let sent = service.mails_to(email).await.len() - 1;
    (token, email_key, sent, queued)
}

#[tokio::test]
async fn a_store_failure_at_any_write_of_the_submit_never_leaves_the_citizen_half_switched() {
    let service = Service::start().await;
    let mut failed_at_least_once = false;
    for fail_after in 0..8 {
        let citizen = service.new_citizen("en").await;
        let browser = service.browser("en");
        let (step3, code) = to_email_code(&service, &browser, &citizen).await;
        service.ports().store.fail_after_writes(fail_after);
        let answer = browser.act(&step3, "submit", &[("code", &code)]).await;
        service.ports().store.heal();
        let (token, email, sent, queued) =
            snapshot(&service, &citizen.username, &citizen.email).await;
        match (token, email) {
            (Some(KeyState::Inactive), Some(KeyState::Active)) => {
                assert_eq!(
                    answer.step(),
                    "activate.done",
                    "fault after {fail_after} writes"
                );
                assert!(sent <= 2, "each notification sent at most once here");
                assert!(
                    sent + queued >= 2,
                    "both notifications exist, sent or still queued ({sent} sent, {queued} queued)"
                );
            }
            (Some(KeyState::Active), None) => {
                failed_at_least_once = true;
                assert_eq!(
                    answer.status, 503,
                    "fault after {fail_after}: {}",
                    answer.json
                );
                assert_eq!(answer.message_ids(), ["unavailable"]);
                assert_eq!(
                    answer.retry_after.as_deref(),
                    Some("5"),
                    "the retry page says when to try again"
                );
                assert_eq!(
                    (sent, queued),
                    (0, 0),
                    "no notification for a switch that did not happen"
                );
                let retry = browser.act(&step3, "submit", &[("code", &code)]).await;
                assert_eq!(
                    retry.step(),
                    "activate.done",
                    "the same code works after the failure"
                );
                let after = snapshot(&service, &citizen.username, &citizen.email).await;
                assert_eq!(
                    after,
                    (Some(KeyState::Inactive), Some(KeyState::Active), 2, 0)
                );
            }
            other => panic!("half switched after a fault at write {fail_after}: {other:?}"),
        }
    }
    assert!(failed_at_least_once, "the faults hit the switch");
}

#[tokio::test]
async fn a_notification_that_cannot_be_sent_waits_in_the_outbox_and_goes_once() {
    let service = Service::start().await;
    let citizen = service.new_citizen("en").await;
    let browser = service.browser("en");
    let (step3, code) = to_email_code(&service, &browser, &citizen).await;
    let ports = service.ports();
    ports.outbox.set_failing(true);
    let done = browser.act(&step3, "submit", &[("code", &code)]).await;
    assert_eq!(
        done.step(),
        "activate.done",
        "the switch does not wait for SES"
    );
    assert_eq!(service.mails_to(&citizen.email).await.len(), 1);
    let waiting = ports
        .store
        .raw_items()
        .iter()
        .filter(|i| is_outbox(&i.pk))
        .count();
    assert_eq!(waiting, 2);
    ports.outbox.set_failing(false);
    assert_eq!(deliver_pending(&ports.app).await, Ok(2));
    assert_eq!(deliver_pending(&ports.app).await, Ok(0));
    assert_eq!(service.mails_to(&citizen.email).await.len(), 3);
}

#[tokio::test]
async fn the_e_mail_login_code_allows_five_tries_and_can_be_resent() {
    let service = Service::start().await;
    let citizen = service.new_citizen("nl").await;
    let browser = service.browser("nl");
    let (step3, code) = to_email_code(&service, &browser, &citizen).await;
    let done = browser.act(&step3, "submit", &[("code", &code)]).await;
    browser.act(&done, "end_session", &[]).await;

    let asked = submit_login(&browser, &citizen.username, &citizen.password, "email").await;
    assert_eq!(asked.step(), "login.email");
    assert_eq!(asked.action_ids(), ["submit", "resend", "back"]);
    let first = service.last_mail_to(&citizen.email).await.code();
    let resent = browser.act(&asked, "resend", &[]).await;
    assert_eq!(resent.message_ids(), ["code.resent"]);
    let second = service.last_mail_to(&citizen.email).await.code();
    let wrong = if second == "000000" {
        "111111"
    } else {
        "000000"
    };
    let refused = browser.act(&resent, "submit", &[("code", wrong)]).await;
    assert_eq!((refused.status, refused.step()), (401, "login.email"));
    if first != second {
        let old = browser.act(&resent, "submit", &[("code", &first)]).await;
        assert_eq!(old.status, 401, "the replaced code is refused");
    }
    let keys = browser.act(&resent, "submit", &[("code", &second)]).await;
    assert_eq!(keys.step(), "keys");
    // The form again, with the CSRF token of the session it opened (a token of before the
    // login is refused anyway: it rotates at login).
    let mut replayed = resent.clone();
    replayed.json["csrf"] = keys.json["csrf"].clone();
    let again = browser.act(&replayed, "submit", &[("code", &second)]).await;
    assert_eq!(again.step(), "login", "a login code is used once");
}

#[tokio::test]
async fn the_e_mail_key_cannot_be_used_before_it_is_activated_nor_activated_twice() {
    let service = Service::start().await;
    let citizen = service.new_citizen("en").await;
    let browser = service.browser("en");
    let refused = submit_login(&browser, &citizen.username, &citizen.password, "email").await;
    assert_eq!(
        (refused.status, refused.message_ids()),
        (422, vec!["key.not_active".to_string()])
    );
    assert!(
        service.mails_to(&citizen.email).await.is_empty(),
        "no code for an inactive key"
    );

    let (step3, code) = to_email_code(&service, &browser, &citizen).await;
    browser.act(&step3, "submit", &[("code", &code)]).await;
    let keys = browser.get("/keys").await;
    let step1 = browser.act(&keys, "activate", &[]).await;
    assert_eq!(step1.step(), "activate.email");
    let step2 = browser.act(&step1, "confirm", &[]).await;
    assert_eq!(
        step2.json["data"]["offered"],
        json!(["app"]),
        "only what is not active yet"
    );
    let twice = browser.act(&step2, "submit", &[("key", "email")]).await;
    assert_eq!(
        (twice.status, twice.message_ids()),
        (409, vec!["key.already_active".to_string()])
    );
    let token = browser.act(&step2, "submit", &[("key", "token")]).await;
    assert_eq!(
        (token.status, token.message_ids()),
        (422, vec!["key.unknown".to_string()]),
        "a token is never activated"
    );
}

#[tokio::test]
async fn the_wizard_needs_a_session_and_keeps_its_order() {
    let service = Service::start().await;
    let browser = service.browser("en");
    for path in [
        "/activate/confirm-email",
        "/activate/select",
        "/activate/email-code",
        "/activate/done",
    ] {
        let page = browser.get(path).await;
        assert_eq!(page.step(), "login", "{path} without a session");
    }
    let citizen = service.new_citizen("en").await;
    let notice = token_login_to_notice(&browser, &citizen).await;
    browser.act(&notice, "activate", &[]).await;
    for path in ["/activate/select", "/activate/email-code", "/activate/done"] {
        let page = browser.get(path).await;
        assert_eq!(
            page.step(),
            "activate.email",
            "{path} before step 1 is done"
        );
    }
}

#[tokio::test]
async fn notifications_speak_the_citizens_language_and_codes_the_pages() {
    // A Dutch-speaking citizen switches from a browser set to English (a relative's laptop, or
    // someone else): the code comes in the page's language, the notices in the citizen's.
    let service = Service::start().await;
    let citizen = service.new_citizen("nl").await;
    let browser = service.browser("en");
    let step3 = blackbox::journeys::into_step_3(&browser, &citizen, "email").await;
    assert_eq!(step3.json["lang"], "en");
    let registration = service.last_mail_to(&citizen.email).await;
    assert_eq!(
        registration.subject,
        t(Lang::En, "mail-registration-subject")
    );
    let done = browser
        .act(&step3, "submit", &[("code", &registration.code())])
        .await;
    assert_eq!(done.step(), "activate.done", "{}", done.json);
    let mails = service.wait_for_mails(&citizen.email, 3).await;
    let subjects: Vec<&str> = mails.iter().map(|m| m.subject.as_str()).collect();
    assert_eq!(
        subjects[1..],
        [
            t(Lang::Nl, "mail-token-off-subject"),
            t(Lang::Nl, "mail-key-on-subject"),
        ]
    );
}

/// Step 1 never drops a typed address: the page with *Yes, this address is correct* has no
/// address field; *Change* opens a page whose only way on is the change (or back); a refused
/// address stays typed in the field.
#[tokio::test]
async fn step_1_never_drops_a_typed_address() {
    let service = Service::start().await;
    let citizen = service.new_citizen("fr").await;
    let browser = service.browser("fr");
    let notice = token_login_to_notice(&browser, &citizen).await;
    let step1 = browser.act(&notice, "activate", &[]).await;
    assert_eq!(step1.action_ids(), ["confirm", "change", "keys"]);
    for action in step1.json["actions"].as_array().expect("actions") {
        assert!(
            !action["fields"].to_string().contains("email"),
            "no address field beside the confirmation: {action}"
        );
    }
    let html = browser.html("/activate/confirm-email").await;
    assert!(
        !html.contains("name=\"email\""),
        "no address field on step 1"
    );

    let form = browser.act(&step1, "change", &[]).await;
    assert_eq!(form.step(), "activate.email");
    assert_eq!(
        form.action_ids(),
        ["change", "back"],
        "no confirmation beside the field"
    );
    let refused = browser
        .act(&form, "change", &[("email", "marie@@example.be")])
        .await;
    assert_eq!(refused.status, 422);
    assert_eq!(refused.json["data"]["changing"], true);
    assert_eq!(refused.action_ids(), ["change", "back"]);
    let html = browser
        .client
        .post(browser.url("/activate/confirm-email/change"))
        .header(reqwest::header::ACCEPT, "text/html")
        .form(&[
            ("email", "marie@@example.be"),
            ("csrf", form.json["csrf"].as_str().expect("csrf")),
        ])
        .send()
        .await
        .expect("POST")
        .text()
        .await
        .expect("HTML");
    assert!(
        html.contains("value=\"marie@@example.be\""),
        "the refused address is still in the field"
    );
    let back = browser.act(&form, "back", &[]).await;
    assert_eq!(back.json["data"]["changing"], false);
}
