//! The journeys a deployed stack must pass, over HTTP only: on the in-process runner by default, and
//! through API Gateway, the step Lambdas, DynamoDB's stream, `mail-dispatch` and SES when
//! `DK_BASE_URL` points at a deployed stack (tests/localstack.sh runs them on LocalStack).
//!
//! Nothing here reaches into the service's process: citizens are enrolled through the enrolment
//! runner (`DK_ADMIN_URL`), mails are read where the target's mailer sends them, time passes for
//! real against a stack, and the phone is an independent QR decoder and TOTP implementation.

use blackbox::Service;
use blackbox::journeys::into_step_3;

/// What the stage prints per test, so its log shows where each journey ran.
fn target(service: &Service) -> String {
    if service.is_deployed() {
        format!("the deployed stack at {}", service.base)
    } else {
        "the in-process runner".into()
    }
}

#[tokio::test]
async fn pages_links_and_errors_are_the_services_own_wherever_it_is_published() {
    let service = Service::start().await;
    let browser = service.browser("fr");
    let login = browser.get("/login").await;
    assert_eq!((login.status, login.step()), (200, "login"));
    assert_eq!(login.json["lang"], "fr");
    let base_path = service.base_path();
    let submit = login.action("submit")["href"].as_str().expect("href");
    assert_eq!(
        submit,
        format!("{base_path}/login"),
        "forms post under the base path the service is published at"
    );

    let missing = browser.get("/no/such/page").await;
    assert_eq!(
        (missing.status, missing.step()),
        (404, "error"),
        "an unknown path gets the service's own 404 view, not the gateway's answer"
    );
    let wrong = browser
        .client
        .delete(browser.url("/login"))
        .send()
        .await
        .expect("DELETE");
    assert_eq!(
        wrong.status().as_u16(),
        405,
        "a wrong method gets the service's own 405 view"
    );

    let redirect = blackbox::client_builder(&service.base)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
        .get(format!("{}/", service.base))
        .send()
        .await
        .expect("GET /");
    assert_eq!(redirect.status().as_u16(), 303);
    assert_eq!(
        redirect.headers()["location"],
        format!("{base_path}/login").as_str(),
        "redirects stay under the base path"
    );
    let html = blackbox::http_client(&service.base)
        .get(format!("{}/login", service.base))
        .send()
        .await
        .expect("GET /login as HTML");
    assert_eq!(
        html.headers().get("strict-transport-security").is_some(),
        service.https()
    );
    let html = html.text().await.expect("HTML");
    assert!(
        html.contains(&format!(r#"href="{base_path}/assets/style.css""#)),
        "the stylesheet is linked under the base path"
    );
    println!(
        "stack: pages, links and errors passed against {}",
        target(&service)
    );
}

#[tokio::test]
async fn token_to_email_key_and_back_in_with_it_in_every_language() {
    let service = Service::start().await;
    for lang in ["nl", "fr", "de", "en"] {
        blackbox::journeys::email_journey(&service, lang).await;
    }
    println!("stack: e-mail journey passed against {}", target(&service));
}

#[tokio::test]
async fn an_officer_issues_an_activation_letter_and_the_citizen_activates_a_key_by_it() {
    let service = Service::start().await;
    blackbox::journeys::office_journey(&service, "nl").await;
    println!("stack: office journey passed against {}", target(&service));
}

#[tokio::test]
async fn token_to_app_key_with_a_phone_and_back_in_with_it() {
    let service = Service::start().await;
    blackbox::journeys::app_journey(&service, "de").await;
    println!("stack: app journey passed against {}", target(&service));
}

#[tokio::test]
async fn a_registration_code_past_its_life_is_refused_and_a_new_one_works() {
    let service = Service::start().await;
    let ttl: u64 = match &service.local {
        Some(local) => local.app.settings.registration_code_ttl_seconds as u64,
        None => std::env::var("DK_REGISTRATION_CODE_TTL_SECONDS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(300),
    };
    let citizen = service.new_citizen("en").await;
    let browser = service.browser("en");
    let step3 = into_step_3(&browser, &citizen, "email").await;
    assert_eq!(step3.step(), "activate.email_code", "{}", step3.json);
    let code = service.last_mail_to(&citizen.email).await.code();
    service.pass_time(ttl + 2).await;
    let expired = browser.act(&step3, "submit", &[("code", &code)]).await;
    assert_eq!(
        (expired.status, expired.step(), expired.message_ids()),
        (422, "activate.email_code", vec!["code.expired".to_string()]),
        "refused as expired while DynamoDB may still hold the item"
    );

    // LocalStack deletes expired items only when asked, as DynamoDB does some time later.
    if let (true, Ok(endpoint)) = (service.is_deployed(), std::env::var("AWS_ENDPOINT_URL")) {
        let swept = reqwest::Client::new()
            .delete(format!("{endpoint}/_aws/dynamodb/expired"))
            .send()
            .await
            .expect("sweep expired items");
        assert!(swept.status().is_success(), "LocalStack swept: {swept:?}");
        let gone = browser.act(&step3, "submit", &[("code", &code)]).await;
        assert_eq!(gone.status, 422, "still refused once the item is gone");
    }

    let resent = browser.act(&expired, "resend", &[]).await;
    assert_eq!(resent.message_ids(), ["code.resent"]);
    let fresh = service.last_mail_to(&citizen.email).await.code();
    assert_ne!(fresh, code);
    let done = browser.act(&resent, "submit", &[("code", &fresh)]).await;
    assert_eq!(done.step(), "activate.done", "{}", done.json);
    println!(
        "stack: registration code expiry passed against {}",
        target(&service)
    );
}

/// The operators' tool on the same table as the service: in-process, the runner's own store; on a
/// deployed stack, its DynamoDB table (`DK_STACK_TABLE`, with `MASTER_SECRET_ID`), as
/// `keys-admin` connects to it, so its mails go through the stream and `mail-dispatch`.
async fn operators_app(service: &Service) -> keys_core::App {
    if !service.is_deployed() {
        return service.ports().app.clone();
    }
    let table = std::env::var("DK_STACK_TABLE").unwrap_or_else(|_| {
        panic!(
            "against a deployed stack ({}) set DK_STACK_TABLE and MASTER_SECRET_ID for the operators' tool",
            service.base
        )
    });
    let target =
        keys_admin::connect::Target::new(keys_admin::connect::StoreChoice::DynamoDb, Some(table));
    keys_admin::connect::connect(&target)
        .await
        .unwrap_or_else(|err| panic!("the operators' tool cannot reach the stack's table: {err}"))
}

#[tokio::test]
async fn an_operators_reminder_reaches_a_token_holder_in_their_language() {
    let service = Service::start().await;
    let app = operators_app(&service).await;
    let citizen = service.new_citizen("de").await;
    let report = keys_admin::progress::read(&app).await.expect("progress");
    assert!(report.forecast.token_holders >= 1, "{:?}", report.forecast);
    let campaign = keys_core::reminders::Campaign::parse(&format!("stack-{}", std::process::id()))
        .expect("a campaign");
    // The whole table's token holders, read through the index: a dry run, because on a stack the
    // other tests' citizens are holders too and their journeys count their mails.
    let options = keys_admin::remind::RemindOptions {
        campaign: campaign.clone(),
        per_second: 50.0,
        dry_run: true,
        concurrency: 4,
        progress: false,
    };
    let summary = keys_admin::remind::run(
        &app,
        &options,
        std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false)),
    )
    .await
    .expect("the reminders run");
    assert!(summary.queued >= 1 && summary.clean(), "{summary:?}");
    // The reminder itself, to this citizen only, as the campaign queues each one.
    let ck = keys_core::record::citizen_key(&app, &citizen.username);
    let sunset = app.settings.token_sunset_at.unix_timestamp();
    let compose = move |c: &keys_core::citizens::Citizen| {
        keys_core::mails::reminder(c.lang, &c.email, sunset)
    };
    let pacer = keys_core::reminders::Pacer::new(50.0);
    let reminded = keys_core::reminders::remind(&app, &ck, &campaign, &compose, Some(&pacer))
        .await
        .expect("the reminder is queued");
    assert_eq!(reminded, keys_core::reminders::Reminder::Queued);
    // Delivered by the service's mail path (on a stack: the stream, mail-dispatch, SES).
    let mails = service.wait_for_mails(&citizen.email, 1).await;
    assert_eq!(mails.len(), 1, "one reminder");
    assert!(
        mails[0]
            .subject
            .starts_with("Ihr Token funktioniert ab dem"),
        "in the citizen's language: {}",
        mails[0].subject
    );
    assert!(
        mails[0].text.contains("Authenticator-App"),
        "{}",
        mails[0].text
    );
    println!(
        "stack: operators' reminder passed against {}",
        target(&service)
    );
}

#[tokio::test]
async fn the_openid_connect_issuer_is_the_address_the_service_is_published_at() {
    let service = Service::start().await;
    let client = blackbox::client_builder(&service.base)
        .build()
        .expect("client");
    let metadata: serde_json::Value = client
        .get(format!("{}/.well-known/openid-configuration", service.base))
        .send()
        .await
        .expect("discovery")
        .json()
        .await
        .expect("JSON");
    assert_eq!(
        metadata["issuer"],
        service.base.as_str(),
        "discovery names the issuer it is found at ({})",
        target(&service)
    );
    assert_eq!(
        metadata["authorization_endpoint"],
        format!("{}/oidc/authorize", service.base)
    );
    let keys: serde_json::Value = client
        .get(metadata["jwks_uri"].as_str().expect("jwks_uri"))
        .send()
        .await
        .expect("JWKS")
        .json()
        .await
        .expect("JSON");
    assert_eq!(
        keys["keys"][0]["kty"], "RSA",
        "the signing key is published"
    );
    println!(
        "stack: the OpenID Connect issuer is {} on {}",
        service.base,
        target(&service)
    );
}

#[tokio::test]
async fn a_public_service_logs_its_citizen_in_with_authlib_and_hears_of_the_logout() {
    use blackbox::relying_party::{Pages, Rp};
    use serde_json::json;
    let service = Service::start().await;
    let pages = Pages::start().await;
    let client = service
        .register_client(json!({
            "name": "Tax office",
            "redirect_uris": [format!("{}/cb", pages.base)],
            "backchannel_logout_uri": format!("{}/backchannel", pages.base),
            "scopes": ["email"],
        }))
        .await;
    let mut rp = Rp::start().await;
    rp.call(json!({ "op": "discover", "issuer": service.base }))
        .await;
    rp.call(json!({
        "op": "client", "name": "tax", "client_id": client["client_id"],
        "secret": client["client_secret"], "redirect_uri": format!("{}/cb", pages.base),
    }))
    .await;
    let citizen = service.new_citizen("de").await;
    let browser = service.browser("de");
    let request = rp
        .call(json!({ "op": "authorize", "name": "tax", "extra": { "ui_locales": "de" } }))
        .await;
    let url = request["url"].as_str().expect("url");
    let login = browser
        .get(url.strip_prefix(&service.base).expect("under the service"))
        .await;
    assert_eq!(login.step(), "login", "{}", login.json);
    assert_eq!(
        login.json["data"]["service"], "Tax office",
        "the login page names the service"
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
    let code = citizen.card_code(&token.json["data"]["challenge_index"]);
    let notice = browser.act(&token, "submit", &[("code", &code)]).await;
    assert_eq!(notice.step(), "login.token.notice", "{}", notice.json);
    let back = browser.act(&notice, "close", &[]).await;
    assert_eq!(back.step(), "rp.callback", "{}", back.json);
    let done = rp
        .call(json!({
            "op": "callback", "name": "tax", "url": back.json["url"], "now": service.now_secs(),
        }))
        .await;
    assert_eq!(done["claims"]["acr"], "urn:digital-keys:loa:two-factor");
    assert_eq!(done["claims"]["amr"], json!(["pwd", "otp", "mfa", "token"]));
    assert_eq!(done["userinfo_status"], 200);
    assert_eq!(done["userinfo"]["email"], citizen.email.as_str());

    // Signing out ends the session: the service receives a logout token (on a stack from the
    // stream and oidc-backchannel), which Authlib validates.
    let keys = browser.get("/keys").await;
    let out = browser.act(&keys, "sign_out", &[]).await;
    assert_eq!(out.step(), "logged_out", "{}", out.json);
    let token = pages.logout_token(1, 90).await;
    let told = rp
        .call(json!({
            "op": "logout_token", "name": "tax", "token": token, "now": service.now_secs(),
        }))
        .await;
    assert_eq!(
        told["claims"]["sid"], done["claims"]["sid"],
        "the session signed out"
    );
    assert_eq!(told["claims"]["sub"], done["claims"]["sub"]);
    println!(
        "stack: OpenID Connect (Authlib) login and back-channel logout passed against {}",
        target(&service)
    );
}
