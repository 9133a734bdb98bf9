//! The OpenID Connect provider against an independent relying party: Authlib (tests/oidc_client.py)
//! discovers the in-process runner, runs the code flow with PKCE for citizens with each key (the
//! token with its notice, the wizard, the e-mail code, the app code), validates every ID token
//! against the JWKS with its own rules, calls userinfo, gets single sign-on at a second client and
//! logs out. The negative cases follow the OpenID Foundation's Basic OP conformance plan.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use blackbox::relying_party::Rp;
use blackbox::{Browser, Citizen, Page, Service, token_login_to_notice};
use keys_core::clock::Clock;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

const TWO_FACTOR: &str = "urn:digital-keys:loa:two-factor";
const EMAIL_CODE: &str = "urn:digital-keys:loa:email-code";

/// The services' own pages on loopback (`blackbox::relying_party::Pages`).
async fn relying_party_pages() -> String {
    blackbox::relying_party::Pages::start().await.base
}

/// Registers a client through the local runner's dev endpoint.
async fn register(service: &Service, registration: Value) -> Value {
    let response = reqwest::Client::new()
        .post(format!("{}/_local/oidc/clients", service.base))
        .json(&registration)
        .send()
        .await
        .expect("POST /_local/oidc/clients");
    assert_eq!(response.status().as_u16(), 201, "client registered");
    response.json().await.expect("client JSON")
}

/// The path and query of an address of the service (the browser asks for paths).
fn path_of(service: &Service, url: &str) -> String {
    url.strip_prefix(&service.base)
        .unwrap_or_else(|| panic!("{url} is not under {}", service.base))
        .to_string()
}

/// A query parameter of an address.
fn param(url: &str, name: &str) -> Option<String> {
    url::Url::parse(url)
        .expect("URL")
        .query_pairs()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.into_owned())
}

/// Password and token card, then Close on the phase-out notice: back to where the login was for.
async fn token_login_with_notice(browser: &Browser, citizen: &Citizen, login: &Page) -> Page {
    assert_eq!(login.step(), "login", "{}", login.json);
    let token = browser
        .act(
            login,
            "submit",
            &[
                ("username", &citizen.username),
                ("password", &citizen.password),
                ("key", "token"),
            ],
        )
        .await;
    assert_eq!(token.step(), "login.token", "{}", token.json);
    let code = citizen.card_code(&token.json["data"]["challenge_index"]);
    let notice = browser.act(&token, "submit", &[("code", &code)]).await;
    assert_eq!(
        notice.step(),
        "login.token.notice",
        "the token login still shows the phase-out notice"
    );
    browser.act(&notice, "close", &[]).await
}

/// Password and the e-mail code mailed at once.
async fn email_login(
    service: &Service,
    browser: &Browser,
    citizen: &Citizen,
    login: &Page,
) -> Page {
    assert_eq!(login.step(), "login", "{}", login.json);
    let asked = browser
        .act(
            login,
            "submit",
            &[
                ("username", &citizen.username),
                ("password", &citizen.password),
                ("key", "email"),
            ],
        )
        .await;
    assert_eq!(asked.step(), "login.email", "{}", asked.json);
    let code = service.last_mail_to(&citizen.email).await.code();
    browser.act(&asked, "submit", &[("code", &code)]).await
}

fn totp(secret: &[u8], at: u64) -> String {
    totp_lite::totp_custom::<totp_lite::Sha1>(30, 6, secret, at)
}

/// Finishes an authorization at the relying party: Authlib exchanges the code and validates the
/// ID token; answers its claims and the userinfo.
async fn finish(rp: &mut Rp, service: &Service, client: &str, page: &Page) -> Value {
    assert_eq!(
        page.step(),
        "rp.callback",
        "back at the service: {}",
        page.json
    );
    let url = page.json["url"].as_str().expect("callback URL").to_string();
    assert!(param(&url, "code").is_some(), "a code: {url}");
    assert_eq!(
        param(&url, "iss").as_deref(),
        Some(service.base.as_str()),
        "RFC 9207 iss"
    );
    let done = rp
        .call(json!({ "op": "callback", "name": client, "url": url, "now": service.now_secs() }))
        .await;
    assert_eq!(done["header"]["alg"], "RS256");
    assert_eq!(done["userinfo_status"], 200, "{}", done["userinfo"]);
    assert_eq!(
        done["userinfo"]["sub"], done["claims"]["sub"],
        "userinfo speaks of the same subject"
    );
    done
}

struct Setup {
    service: Service,
    rp: Rp,
    pages: String,
    basic: Value,
}

/// A runner, the relying party's pages, a `client_secret_basic` client (accepting an e-mail code,
/// with a post-logout address) and Authlib having discovered the provider.
async fn setup() -> Setup {
    let service = Service::start_with(|_| {}).await;
    let pages = relying_party_pages().await;
    let basic = register(
        &service,
        json!({
            "name": "Tax office",
            "redirect_uris": [format!("{pages}/cb")],
            "post_logout_redirect_uris": [format!("{pages}/bye")],
            "scopes": ["email"],
            "min_level": "email-code",
        }),
    )
    .await;
    let mut rp = Rp::start().await;
    let discovered = rp
        .call(json!({ "op": "discover", "issuer": service.base }))
        .await;
    let metadata = &discovered["metadata"];
    assert_eq!(
        metadata["code_challenge_methods_supported"],
        json!(["S256"])
    );
    assert_eq!(metadata["response_types_supported"], json!(["code"]));
    assert_eq!(
        metadata["authorization_response_iss_parameter_supported"],
        true
    );
    assert!(
        metadata["acr_values_supported"]
            .as_array()
            .expect("acr values")
            .contains(&json!(TWO_FACTOR))
    );
    assert_eq!(discovered["jwks"]["keys"][0]["kty"], "RSA");
    rp.call(json!({
        "op": "client", "name": "basic", "client_id": basic["client_id"],
        "secret": basic["client_secret"], "redirect_uri": format!("{pages}/cb"),
    }))
    .await;
    Setup {
        service,
        rp,
        pages,
        basic,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authlib_logs_a_token_citizen_in_then_single_sign_on_and_logout() {
    let Setup {
        service,
        mut rp,
        pages,
        basic,
    } = setup().await;
    // A second service authenticating with its own key (private_key_jwt).
    let jwk = rp.call(json!({ "op": "keygen", "name": "jwt" })).await["jwk"].clone();
    let jwt_client = register(
        &service,
        json!({
            "name": "Land registry",
            "redirect_uris": [format!("{pages}/cb2")],
            "post_logout_redirect_uris": [format!("{pages}/bye")],
            "token_endpoint_auth_method": "private_key_jwt",
            "jwks": { "keys": [jwk] },
        }),
    )
    .await;
    assert!(
        jwt_client["client_secret"].is_null(),
        "no secret for private_key_jwt"
    );
    rp.call(json!({
        "op": "client", "name": "jwt", "client_id": jwt_client["client_id"],
        "redirect_uri": format!("{pages}/cb2"), "auth": "private_key_jwt",
    }))
    .await;

    let citizen = service.new_citizen("en").await;
    let browser = service.browser("en");
    let request = rp
        .call(json!({ "op": "authorize", "name": "basic", "extra": { "acr_values": TWO_FACTOR } }))
        .await;
    let login = browser
        .get(&path_of(&service, request["url"].as_str().expect("url")))
        .await;
    let back = token_login_with_notice(&browser, &citizen, &login).await;
    let first = finish(&mut rp, &service, "basic", &back).await;
    let claims = &first["claims"];
    assert_eq!(claims["acr"], TWO_FACTOR);
    assert_eq!(claims["amr"], json!(["pwd", "otp", "mfa", "token"]));
    assert_eq!(claims["nonce"], request["nonce"], "the nonce is echoed");
    assert_eq!(claims["aud"], basic["client_id"]);
    assert_eq!(claims["auth_time"].as_u64(), Some(service.now_secs()));
    assert_eq!(first["userinfo"]["email"], citizen.email.as_str());
    assert_eq!(
        first["userinfo"]["email_verified"], false,
        "no e-mail key yet"
    );

    // Single sign-on: the second service gets its code without a login page.
    let second_request = rp.call(json!({ "op": "authorize", "name": "jwt" })).await;
    let straight = browser
        .get(&path_of(
            &service,
            second_request["url"].as_str().expect("url"),
        ))
        .await;
    assert_eq!(
        straight.step(),
        "rp.callback",
        "no login asked: {}",
        straight.json
    );
    let second = finish(&mut rp, &service, "jwt", &straight).await;
    assert_eq!(
        second["claims"]["auth_time"], claims["auth_time"],
        "the same login"
    );
    assert_ne!(
        second["claims"]["sub"], claims["sub"],
        "pairwise subjects: the two services cannot link the citizen"
    );
    assert!(
        second["userinfo"].get("email").is_none(),
        "the second service has no email scope"
    );

    // RP-Initiated Logout with the first service's ID token: the session ends, the citizen goes
    // back to the registered address with the state.
    let logout = rp
        .call(json!({
            "op": "logout", "name": "basic", "id_token": first["id_token"],
            "post_logout_redirect_uri": format!("{pages}/bye"), "state": "after-logout",
        }))
        .await;
    let bye = browser
        .get(&path_of(&service, logout["url"].as_str().expect("url")))
        .await;
    assert_eq!(bye.step(), "rp.logged_out", "{}", bye.json);
    assert_eq!(
        param(bye.json["url"].as_str().expect("url"), "state").as_deref(),
        Some("after-logout")
    );
    let keys = browser.get("/keys").await;
    assert_eq!(keys.step(), "login", "the session ended");
    let none = rp
        .call(json!({ "op": "authorize", "name": "jwt", "extra": { "prompt": "none" } }))
        .await;
    let refused = browser
        .get(&path_of(&service, none["url"].as_str().expect("url")))
        .await;
    let url = refused.json["url"].as_str().expect("url");
    assert_eq!(param(url, "error").as_deref(), Some("login_required"));
    assert_eq!(param(url, "state").as_deref(), none["state"].as_str());
    assert_eq!(param(url, "iss").as_deref(), Some(service.base.as_str()));
    println!("OpenID Connect: Authlib validated token-key, SSO and logout journeys");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authlib_logs_in_after_the_wizard_then_with_the_email_key() {
    let Setup {
        service, mut rp, ..
    } = setup().await;
    let citizen = service.new_citizen("nl").await;
    let browser = service.browser("nl");
    let request = rp.call(json!({ "op": "authorize", "name": "basic" })).await;
    let login = browser
        .get(&path_of(&service, request["url"].as_str().expect("url")))
        .await;
    // The token login's notice: activate a new key now; the wizard runs, then back to the service.
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
    assert_eq!(notice.step(), "login.token.notice");
    let step1 = browser.act(&notice, "activate", &[]).await;
    let step2 = browser.act(&step1, "confirm", &[]).await;
    let step3 = browser.act(&step2, "submit", &[("key", "email")]).await;
    assert_eq!(step3.step(), "activate.email_code", "{}", step3.json);
    let registration = service.last_mail_to(&citizen.email).await.code();
    let done = browser
        .act(&step3, "submit", &[("code", &registration)])
        .await;
    assert_eq!(done.step(), "activate.done", "{}", done.json);
    assert!(done.action_ids().contains(&"continue".to_string()));
    let back = browser.act(&done, "continue", &[]).await;
    let first = finish(&mut rp, &service, "basic", &back).await;
    assert_eq!(
        first["claims"]["amr"][3], "token",
        "logged in with the token"
    );
    assert_eq!(
        first["userinfo"]["email_verified"], true,
        "the e-mail key is active"
    );

    // prompt=login: a new login although the session lives; this time with the e-mail key.
    service.pass_time(5).await;
    let again = rp
        .call(json!({ "op": "authorize", "name": "basic", "extra": { "prompt": "login" } }))
        .await;
    let login = browser
        .get(&path_of(&service, again["url"].as_str().expect("url")))
        .await;
    assert_eq!(
        login.step(),
        "login",
        "prompt=login asks for a login: {}",
        login.json
    );
    assert_eq!(login.json["lang"], "nl");
    let back = email_login(&service, &browser, &citizen, &login).await;
    let second = finish(&mut rp, &service, "basic", &back).await;
    assert_eq!(
        second["claims"]["amr"],
        json!(["pwd", "otp", "mfa", "email"])
    );
    assert_eq!(
        second["claims"]["acr"], EMAIL_CODE,
        "an e-mail code is below two-factor"
    );
    assert_eq!(
        second["claims"]["sub"], first["claims"]["sub"],
        "one subject per service"
    );
    assert!(
        second["claims"]["auth_time"].as_u64() > first["claims"]["auth_time"].as_u64(),
        "auth_time is the new login's"
    );

    // The service asks for two factors: the e-mail session is too weak, and the citizen has no
    // such key left (the token is off): the page says so, offers the wizard, and cancels.
    let stronger = rp
        .call(json!({ "op": "authorize", "name": "basic", "extra": { "acr_values": TWO_FACTOR } }))
        .await;
    let page = browser
        .get(&path_of(&service, stronger["url"].as_str().expect("url")))
        .await;
    assert_eq!(page.step(), "oidc.stronger_key", "{}", page.json);
    assert_eq!(page.json["data"]["service"], "Tax office");
    assert_eq!(page.json["data"]["usable"], json!([]));
    assert_eq!(page.action_ids(), ["activate", "cancel"]);
    let cancelled = browser.act(&page, "cancel", &[]).await;
    assert_eq!(cancelled.step(), "rp.callback", "{}", cancelled.json);
    let url = cancelled.json["url"].as_str().expect("url");
    assert_eq!(param(url, "error").as_deref(), Some("access_denied"));
    assert_eq!(param(url, "state").as_deref(), stronger["state"].as_str());
    assert_eq!(param(url, "iss").as_deref(), Some(service.base.as_str()));
    assert!(param(url, "code").is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authlib_logs_in_with_the_app_key_when_max_age_asks_for_a_new_login() {
    let Setup {
        service, mut rp, ..
    } = setup().await;
    let citizen = service.new_citizen("en").await;
    let browser = service.browser("en");
    // The app key first, through the wizard of My digital keys' own login.
    let notice = token_login_to_notice(&browser, &citizen).await;
    let step1 = browser.act(&notice, "activate", &[]).await;
    let step2 = browser.act(&step1, "confirm", &[]).await;
    let install = browser.act(&step2, "submit", &[("key", "app")]).await;
    let pair = browser.act(&install, "next", &[]).await;
    assert_eq!(pair.step(), "activate.app.pair", "{}", pair.json);
    let secret = data_encoding::BASE32_NOPAD
        .decode(
            pair.json["data"]["secret"]
                .as_str()
                .expect("secret")
                .as_bytes(),
        )
        .expect("base32");
    let done = browser
        .act(
            &pair,
            "submit",
            &[("code", &totp(&secret, service.now_secs()))],
        )
        .await;
    assert_eq!(done.step(), "activate.done", "{}", done.json);
    assert!(
        !done.action_ids().contains(&"continue".to_string()),
        "no service waits: nothing to continue to"
    );

    // A service asks for a login at most 60 s old; the session is 2 minutes old.
    service.pass_time(120).await;
    let request = rp
        .call(json!({ "op": "authorize", "name": "basic", "extra": { "max_age": "60" } }))
        .await;
    let login = browser
        .get(&path_of(&service, request["url"].as_str().expect("url")))
        .await;
    assert_eq!(
        login.step(),
        "login",
        "max_age forces a new login: {}",
        login.json
    );
    let asked = browser
        .act(
            &login,
            "submit",
            &[
                ("username", &citizen.username),
                ("password", &citizen.password),
                ("key", "app"),
            ],
        )
        .await;
    assert_eq!(asked.step(), "login.app", "{}", asked.json);
    let back = browser
        .act(
            &asked,
            "submit",
            &[("code", &totp(&secret, service.now_secs()))],
        )
        .await;
    let done = finish(&mut rp, &service, "basic", &back).await;
    assert_eq!(done["claims"]["amr"], json!(["pwd", "otp", "mfa", "app"]));
    assert_eq!(
        done["claims"]["auth_time"].as_u64(),
        Some(service.now_secs())
    );
}

// ---- negative cases (OpenID Foundation Basic OP plan), over plain HTTP ----

/// A client that does not follow redirects, to read where the provider sends the browser.
fn no_follow(browser_cookies: bool) -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(browser_cookies)
        .build()
        .expect("client")
}

fn pkce() -> (String, String) {
    let verifier = URL_SAFE_NO_PAD.encode(rand_bytes());
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    (verifier, challenge)
}

fn rand_bytes() -> [u8; 32] {
    // Distinct enough for a test: the time and a counter through SHA-256.
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    Sha256::digest(format!("{n}-{nanos}").as_bytes()).into()
}

struct Plain {
    service: Service,
    client_id: String,
    secret: String,
    redirect: String,
}

async fn plain() -> Plain {
    plain_with(|_| {}).await
}

/// [`plain`] on a service with adjusted settings.
async fn plain_with(adjust: impl FnOnce(&mut keys_core::config::Settings)) -> Plain {
    let service = Service::start_with(adjust).await;
    let pages = relying_party_pages().await;
    let client = register(
        &service,
        json!({ "name": "Tax office", "redirect_uris": [format!("{pages}/cb")] }),
    )
    .await;
    Plain {
        service,
        client_id: client["client_id"].as_str().expect("id").into(),
        secret: client["client_secret"].as_str().expect("secret").into(),
        redirect: format!("{pages}/cb"),
    }
}

impl Plain {
    fn authorize_path(&self, extra: &[(&str, &str)]) -> String {
        let mut query: Vec<(&str, &str)> = vec![
            ("response_type", "code"),
            ("client_id", &self.client_id),
            ("redirect_uri", &self.redirect),
            ("scope", "openid"),
            ("state", "st-1"),
        ];
        for (name, value) in extra {
            query.retain(|(n, _)| n != name);
            if !value.is_empty() {
                query.push((name, value));
            }
        }
        format!(
            "/oidc/authorize?{}",
            serde_urlencoded::to_string(query).expect("query")
        )
    }

    /// Where the provider sends the browser for this request (no redirect followed).
    async fn location(&self, client: &reqwest::Client, extra: &[(&str, &str)]) -> (u16, String) {
        let response = client
            .get(format!(
                "{}{}",
                self.service.base,
                self.authorize_path(extra)
            ))
            .send()
            .await
            .expect("GET authorize");
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        (status, location)
    }

    /// A logged-in browser (token login) and a code issued to it, with its verifier and nonce.
    async fn code(&self, browser: &Browser, citizen: &Citizen) -> (String, String) {
        let (verifier, challenge) = pkce();
        let path = self.authorize_path(&[
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
            ("nonce", "n-0S6_WzA2Mj"),
        ]);
        let first = browser.get(&path).await;
        let back = if first.step() == "login" {
            token_login_with_notice(browser, citizen, &first).await
        } else {
            first
        };
        assert_eq!(back.step(), "rp.callback", "{}", back.json);
        let url = back.json["url"].as_str().expect("url");
        (param(url, "code").expect("code"), verifier)
    }

    async fn token(
        &self,
        secret: &str,
        form: &[(&str, &str)],
    ) -> (u16, Value, reqwest::header::HeaderMap) {
        let response = reqwest::Client::new()
            .post(format!("{}/oidc/token", self.service.base))
            .basic_auth(&self.client_id, Some(secret))
            .form(form)
            .send()
            .await
            .expect("POST token");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        (status, response.json().await.expect("token JSON"), headers)
    }

    async fn exchange(&self, code: &str, verifier: &str) -> (u16, Value) {
        let (status, json, _) = self
            .token(
                &self.secret,
                &[
                    ("grant_type", "authorization_code"),
                    ("code", code),
                    ("redirect_uri", &self.redirect),
                    ("code_verifier", verifier),
                ],
            )
            .await;
        (status, json)
    }

    async fn userinfo(&self, access_token: &str) -> u16 {
        reqwest::Client::new()
            .get(format!("{}/oidc/userinfo", self.service.base))
            .bearer_auth(access_token)
            .send()
            .await
            .expect("GET userinfo")
            .status()
            .as_u16()
    }
}

#[tokio::test]
async fn unknown_clients_and_unregistered_redirects_get_an_error_page_not_a_redirect() {
    let p = plain().await;
    let browser = p.service.browser("en");
    let (_, challenge) = pkce();
    let pkce = [
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
    ];
    let slash = format!("{}/", p.redirect);
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (vec![("client_id", "nobody")], "oidc.client_unknown"),
        (vec![("client_id", "")], "oidc.client_unknown"),
        (vec![("redirect_uri", "")], "oidc.redirect_uri"),
        (
            vec![("redirect_uri", "https://evil.example/cb")],
            "oidc.redirect_uri",
        ),
        (vec![("redirect_uri", slash.as_str())], "oidc.redirect_uri"),
    ];
    for (change, message) in cases {
        let mut extra = pkce.to_vec();
        extra.extend(change.iter().copied());
        let page = browser.get(&p.authorize_path(&extra)).await;
        assert_eq!(
            (page.status, page.step()),
            (400, "error"),
            "{change:?}: {}",
            page.json
        );
        assert_eq!(page.message_ids(), [message], "{change:?}");
    }
}

#[tokio::test]
async fn request_errors_go_back_to_the_service_with_state_and_iss() {
    let p = plain().await;
    let client = no_follow(false);
    let (_, challenge) = pkce();
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (vec![], "invalid_request"),
        (
            vec![
                ("code_challenge", &challenge),
                ("code_challenge_method", "plain"),
            ],
            "invalid_request",
        ),
        (vec![("code_challenge", &challenge)], "invalid_request"),
        (
            vec![
                ("code_challenge", &challenge),
                ("code_challenge_method", "S256"),
                ("response_type", "token"),
            ],
            "unsupported_response_type",
        ),
        (
            vec![
                ("code_challenge", &challenge),
                ("code_challenge_method", "S256"),
                ("scope", "email"),
            ],
            "invalid_scope",
        ),
        (
            vec![
                ("code_challenge", &challenge),
                ("code_challenge_method", "S256"),
                ("prompt", "none"),
            ],
            "login_required",
        ),
    ];
    for (extra, error) in cases {
        let (status, location) = p.location(&client, &extra).await;
        assert_eq!(status, 303, "{extra:?}");
        assert!(location.starts_with(&p.redirect), "{extra:?}: {location}");
        assert_eq!(
            param(&location, "error").as_deref(),
            Some(error),
            "{extra:?}"
        );
        assert_eq!(
            param(&location, "state").as_deref(),
            Some("st-1"),
            "{extra:?}"
        );
        assert_eq!(
            param(&location, "iss").as_deref(),
            Some(p.service.base.as_str()),
            "{extra:?}"
        );
        assert!(param(&location, "code").is_none());
    }
}

#[tokio::test]
async fn codes_need_the_right_verifier_and_secret_are_single_use_and_short_lived() {
    let p = plain().await;
    let citizen = p.service.new_citizen("en").await;
    let browser = p.service.browser("en");

    // Wrong secret: invalid_client, with a Basic challenge.
    let (code, verifier) = p.code(&browser, &citizen).await;
    let (status, json, headers) = p
        .token(
            "not-the-secret",
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", &p.redirect),
                ("code_verifier", &verifier),
            ],
        )
        .await;
    assert_eq!(
        (status, json["error"].as_str()),
        (401, Some("invalid_client"))
    );
    assert!(headers.contains_key("www-authenticate"));

    // Wrong verifier, missing verifier, another redirect address: refused.
    let (wrong, _) = pkce();
    assert_eq!(p.exchange(&code, &wrong).await.1["error"], "invalid_grant");
    let (status, json, _) = p
        .token(
            &p.secret,
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", &p.redirect),
            ],
        )
        .await;
    assert_eq!(
        (status, json["error"].as_str()),
        (400, Some("invalid_request"))
    );

    // The right one: tokens, the nonce echoed in a signed ID token.
    let (status, tokens) = p.exchange(&code, &verifier).await;
    assert_eq!(status, 200, "{tokens}");
    assert_eq!(tokens["token_type"], "Bearer");
    let id_token = tokens["id_token"].as_str().expect("id_token");
    let claims = verified_claims(&p.service, id_token, &p.client_id).await;
    assert_eq!(claims["nonce"], "n-0S6_WzA2Mj");
    assert_eq!(claims["iss"], p.service.base.as_str());
    let access = tokens["access_token"].as_str().expect("access_token");
    assert_eq!(p.userinfo(access).await, 200);

    // The code again: refused, and what it issued is revoked.
    let (status, json) = p.exchange(&code, &verifier).await;
    assert_eq!(
        (status, json["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    assert_eq!(
        p.userinfo(access).await,
        401,
        "a replayed code revokes its tokens"
    );

    // A code older than 60 s: refused.
    let (late, late_verifier) = p.code(&browser, &citizen).await;
    p.service.pass_time(61).await;
    let (status, json) = p.exchange(&late, &late_verifier).await;
    assert_eq!(
        (status, json["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    assert!(
        json["error_description"]
            .as_str()
            .unwrap_or_default()
            .contains("expired")
    );
}

/// The ID token's claims after checking its signature against the published JWKS.
async fn verified_claims(service: &Service, token: &str, audience: &str) -> Value {
    let jwks: jsonwebtoken::jwk::JwkSet = reqwest::get(format!("{}/oidc/jwks", service.base))
        .await
        .expect("GET jwks")
        .json()
        .await
        .expect("JWKS");
    let header = jsonwebtoken::decode_header(token).expect("JWT header");
    let jwk = jwks
        .find(header.kid.as_deref().expect("kid"))
        .expect("the kid is published");
    let key = jsonwebtoken::DecodingKey::from_jwk(jwk).expect("key");
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    validation.set_audience(&[audience]);
    validation.validate_exp = false;
    jsonwebtoken::decode::<Value>(token, &key, &validation)
        .expect("the ID token verifies")
        .claims
}

#[tokio::test]
async fn logout_refuses_unregistered_addresses_and_keeps_the_session() {
    let p = plain().await;
    let citizen = p.service.new_citizen("en").await;
    let browser = p.service.browser("en");
    let (code, verifier) = p.code(&browser, &citizen).await;
    let (_, tokens) = p.exchange(&code, &verifier).await;
    let id_token = tokens["id_token"].as_str().expect("id_token");
    let query = serde_urlencoded::to_string([
        ("id_token_hint", id_token),
        ("post_logout_redirect_uri", "https://evil.example/bye"),
    ])
    .expect("query");
    let refused = browser.get(&format!("/oidc/logout?{query}")).await;
    assert_eq!((refused.status, refused.step()), (400, "error"));
    assert_eq!(refused.message_ids(), ["oidc.logout_invalid"]);
    assert_eq!(browser.get("/keys").await.step(), "keys", "still logged in");
    // Without a hint the citizen is asked first.
    let asked = browser.get("/oidc/logout").await;
    assert_eq!(asked.step(), "oidc.logout", "{}", asked.json);
    assert_eq!(
        browser.get("/keys").await.step(),
        "keys",
        "asking ends nothing"
    );
    let out = browser.act(&asked, "confirm", &[]).await;
    assert_eq!(out.step(), "logged_out", "{}", out.json);
    assert_eq!(browser.get("/keys").await.step(), "login");
}

/// The KMS adapter on the AWS emulator (moto's KMS, as tests/run.sh starts it): an RSA_2048
/// SIGN_VERIFY key signs an ID token inside KMS, the JWKS built from `GetPublicKey` verifies it,
/// and a second key listed after it is published but does not sign (a rotation).
#[tokio::test]
async fn the_kms_signer_signs_tokens_that_its_published_keys_verify() {
    use aws_sdk_kms::types::{KeySpec, KeyUsageType};
    use keys_oidc::signer::{self, Signer};
    let config = blackbox::emulator::config().await;
    let kms = aws_sdk_kms::Client::new(&config);
    let mut ids = Vec::new();
    for _ in 0..2 {
        let key = kms
            .create_key()
            .key_spec(KeySpec::Rsa2048)
            .key_usage(KeyUsageType::SignVerify)
            .description("digital keys test signing key")
            .send()
            .await
            .expect("create a KMS key on the emulator");
        ids.push(
            key.key_metadata()
                .map(|m| m.key_id().to_string())
                .expect("key id"),
        );
    }
    let kms_signer = keys_aws::kms::KmsSigner::new(kms, ids.clone()).expect("signer");
    assert_eq!(kms_signer.key_id(), ids[0], "the first key signs");
    let claims =
        json!({ "iss": "https://keys.example", "sub": "s", "aud": "tax", "exp": 4_000_000_000u64 });
    let token = signer::sign_jwt(&kms_signer, &claims)
        .await
        .expect("signed in KMS");
    let set = signer::jwks(&kms_signer).await.expect("public keys");
    assert_eq!(set.keys.len(), 2, "both keys are published");
    let header = jsonwebtoken::decode_header(&token).expect("header");
    assert_eq!(header.kid.as_deref(), Some(ids[0].as_str()));
    let verify = |kid: &str| {
        let key =
            jsonwebtoken::DecodingKey::from_jwk(set.find(kid).expect("published")).expect("key");
        let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
        validation.set_audience(&["tax"]);
        jsonwebtoken::decode::<Value>(&token, &key, &validation)
    };
    assert_eq!(verify(&ids[0]).expect("verifies").claims["sub"], "s");
    assert!(verify(&ids[1]).is_err(), "the other key did not sign it");
}

// ---- what issue 23 fixed: max_age, grants that end, the issuer, the wrong client ----

impl Plain {
    /// A code for a browser whose login is done already (single sign-on), with its verifier.
    async fn code_now(&self, browser: &Browser) -> (String, String) {
        let (verifier, challenge) = pkce();
        let back = browser
            .get(&self.authorize_path(&[
                ("code_challenge", &challenge),
                ("code_challenge_method", "S256"),
            ]))
            .await;
        assert_eq!(back.step(), "rp.callback", "{}", back.json);
        let url = back.json["url"].as_str().expect("url");
        (param(url, "code").expect("code"), verifier)
    }

    /// An access token for the browser's session, and a second code left unredeemed.
    async fn grants_of(&self, browser: &Browser, citizen: &Citizen) -> (String, (String, String)) {
        let (code, verifier) = self.code(browser, citizen).await;
        let (status, tokens) = self.exchange(&code, &verifier).await;
        assert_eq!(status, 200, "{tokens}");
        let access = tokens["access_token"].as_str().expect("token").to_string();
        assert_eq!(self.userinfo(&access).await, 200);
        (access, self.code_now(browser).await)
    }

    /// The access token and the unredeemed code no longer work.
    async fn assert_ended(&self, access: &str, unredeemed: &(String, String), cause: &str) {
        assert_eq!(
            self.userinfo(access).await,
            401,
            "{cause}: userinfo refuses the token"
        );
        let (status, answer) = self.exchange(&unredeemed.0, &unredeemed.1).await;
        assert_eq!(status, 400, "{cause}: {answer}");
        assert_eq!(answer["error"], "invalid_grant", "{cause}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn max_age_is_met_by_the_login_made_for_the_request_whatever_the_clock_does_after() {
    let p = plain().await;
    let citizen = p.service.new_citizen("en").await;
    let browser = blackbox::Browser::new(&p.service.base, "en", false);
    let clock = p.service.ports().clock.clone();
    // An earlier login, then max_age=0 (as prompt=login) and max_age=5 with a 6-second delay
    // between the last factor and the resume; each through the token's notice, then through
    // the wizard (which also runs inside the request).
    let (_, challenge) = pkce();
    let start = browser
        .get_raw(&p.authorize_path(&[
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ]))
        .await;
    let login = browser.follow(start, |_| {}).await;
    assert_eq!(login.step(), "login", "{}", login.json);
    for (max_age, tick, through_wizard) in [("0", 1, false), ("5", 6, false), ("0", 2, true)] {
        clock.advance(time::Duration::seconds(30));
        let (verifier, challenge) = pkce();
        let path = p.authorize_path(&[
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
            ("max_age", max_age),
        ]);
        let first = browser.get_raw(&path).await;
        let login = browser.follow(first, |_| {}).await;
        assert_eq!(
            login.step(),
            "login",
            "max_age={max_age} asks for a new login"
        );
        let citizen = if through_wizard {
            p.service.new_citizen("en").await
        } else {
            citizen.clone()
        };
        let token = browser
            .follow(
                browser
                    .act_raw(
                        &login,
                        "submit",
                        &[
                            ("username", &citizen.username),
                            ("password", &citizen.password),
                            ("key", "token"),
                        ],
                    )
                    .await,
                |_| {},
            )
            .await;
        let code = citizen.card_code(&token.json["data"]["challenge_index"]);
        let notice = browser
            .follow(
                browser.act_raw(&token, "submit", &[("code", &code)]).await,
                |_| {},
            )
            .await;
        assert_eq!(notice.step(), "login.token.notice");
        let last_step = if through_wizard {
            let step1 = browser
                .follow(browser.act_raw(&notice, "activate", &[]).await, |_| {})
                .await;
            let step2 = browser
                .follow(browser.act_raw(&step1, "confirm", &[]).await, |_| {})
                .await;
            let step3 = browser
                .follow(
                    browser.act_raw(&step2, "submit", &[("key", "email")]).await,
                    |_| {},
                )
                .await;
            let registration = p.service.last_mail_to(&citizen.email).await.code();
            let done = browser
                .follow(
                    browser
                        .act_raw(&step3, "submit", &[("code", &registration)])
                        .await,
                    |_| {},
                )
                .await;
            assert_eq!(done.step(), "activate.done", "{}", done.json);
            (Some(clock.now_secs()), done)
        } else {
            (None, notice)
        };
        let (mut logged_in_at, last_page) = last_step;
        if logged_in_at.is_some() {
            // The wizard's confirmation links straight to the resume.
            clock.advance(time::Duration::seconds(tick));
        }
        let last_step = match through_wizard {
            true => browser.act_raw(&last_page, "continue", &[]).await,
            false => browser.act_raw(&last_page, "close", &[]).await,
        };
        // The clock ticks between the last factor and the resume.
        let back = browser
            .follow(last_step, |next| {
                if next.contains("/oidc/authorize/resume") && logged_in_at.is_none() {
                    logged_in_at = Some(clock.now_secs());
                    clock.advance(time::Duration::seconds(tick));
                }
            })
            .await;
        let logged_in_at = logged_in_at.expect("the login came back through the resume");
        assert_eq!(
            back.step(),
            "rp.callback",
            "max_age={max_age}, {tick} s later (wizard: {through_wizard}): back at the service, not at the login: {}",
            back.json
        );
        let url = back.json["url"].as_str().expect("url");
        let (status, tokens) = p
            .exchange(&param(url, "code").expect("a code"), &verifier)
            .await;
        assert_eq!(status, 200, "{tokens}");
        let claims = verified_claims(
            &p.service,
            tokens["id_token"].as_str().expect("id token"),
            &p.client_id,
        )
        .await;
        let auth_time = claims["auth_time"].as_i64().expect("auth_time");
        assert!(
            auth_time <= logged_in_at && auth_time > logged_in_at - 30,
            "auth_time is this login's"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn access_tokens_and_unredeemed_codes_end_with_what_they_rest_on() {
    let p = plain().await;
    let citizen = p.service.new_citizen("en").await;

    // Signing out on this device.
    let browser = p.service.browser("en");
    let (access, unredeemed) = p.grants_of(&browser, &citizen).await;
    let keys = browser.get("/keys").await;
    browser.act(&keys, "sign_out", &[]).await;
    p.assert_ended(&access, &unredeemed, "sign out").await;

    // Signing out on all devices, from another browser.
    let browser = p.service.browser("en");
    let (access, unredeemed) = p.grants_of(&browser, &citizen).await;
    let other = p.service.browser("en");
    let notice = token_login_to_notice(&other, &citizen).await;
    let keys = other.act(&notice, "close", &[]).await;
    assert_eq!(keys.step(), "keys", "{}", keys.json);
    other.act(&keys, "sign_out_everywhere", &[]).await;
    p.assert_ended(&access, &unredeemed, "sign out everywhere")
        .await;

    // A password change: the session that made it goes on, the grants issued from it do not.
    let browser = p.service.browser("en");
    let (access, unredeemed) = p.grants_of(&browser, &citizen).await;
    let form = browser.get("/profile/password").await;
    let changed = browser
        .act(
            &form,
            "submit",
            &[
                ("current_password", &citizen.password),
                ("new_password", "quiet-meadow-harbour-7"),
            ],
        )
        .await;
    assert_eq!(changed.step(), "profile", "{}", changed.json);
    p.assert_ended(&access, &unredeemed, "password change")
        .await;
    assert!(
        !p.code_now(&browser).await.0.is_empty(),
        "the session goes on"
    );

    // A forgotten password's reset, from another browser with the mailed code and the token
    // card: every grant ends, as every session does.
    let reset = p.service.new_citizen("en").await;
    let browser = p.service.browser("en");
    let (access, unredeemed) = p.grants_of(&browser, &reset).await;
    let other = p.service.browser("en");
    let form = other.get("/login/forgotten-password").await;
    let code_page = other
        .act(&form, "submit", &[("username", &reset.username)])
        .await;
    let code = p.service.last_mail_to(&reset.email).await.code();
    let second = other.act(&code_page, "submit", &[("code", &code)]).await;
    assert_eq!(second.json["data"]["key"], "token", "{}", second.json);
    let card = reset.card_code(&second.json["data"]["challenge_index"]);
    let new_password = other.act(&second, "submit", &[("code", &card)]).await;
    let done = other
        .act(
            &new_password,
            "submit",
            &[("new_password", "silver-lantern-orchard-9")],
        )
        .await;
    assert_eq!(
        done.step(),
        "login.forgotten_password.done",
        "{}",
        done.json
    );
    p.assert_ended(&access, &unredeemed, "forgotten password")
        .await;

    // A key deactivation: the wizard switches the token off.
    let mut citizen = p.service.new_citizen("en").await;
    let browser = p.service.browser("en");
    let (access, unredeemed) = p.grants_of(&browser, &citizen).await;
    let keys = browser.get("/keys").await;
    let step1 = browser.act(&keys, "activate", &[]).await;
    assert_eq!(step1.step(), "activate.email", "{}", step1.json);
    // The address change ends grants too: a new address, verified by its code.
    let new_address = format!("new-{}", citizen.email);
    let verify = browser.change_address(&step1, &new_address).await;
    assert_eq!(verify.step(), "activate.email.verify", "{}", verify.json);
    let code = p.service.last_mail_to(&new_address).await.code();
    let step2 = browser.act(&verify, "submit", &[("code", &code)]).await;
    assert_eq!(step2.step(), "activate.select", "{}", step2.json);
    p.assert_ended(&access, &unredeemed, "address change").await;
    citizen.email = new_address;
    let (access, unredeemed) = (
        {
            let (code, verifier) = p.code_now(&browser).await;
            let (_, tokens) = p.exchange(&code, &verifier).await;
            tokens["access_token"].as_str().expect("token").to_string()
        },
        p.code_now(&browser).await,
    );
    assert_eq!(p.userinfo(&access).await, 200);
    let step3 = browser.act(&step2, "submit", &[("key", "email")]).await;
    let registration = p.service.last_mail_to(&citizen.email).await.code();
    let done = browser
        .act(&step3, "submit", &[("code", &registration)])
        .await;
    assert_eq!(done.step(), "activate.done", "{}", done.json);
    p.assert_ended(&access, &unredeemed, "token deactivated")
        .await;
}

#[tokio::test]
async fn the_issuer_is_the_configured_one_whatever_the_host_header_says() {
    let p = plain().await;
    let client = reqwest::Client::new();
    for host in ["evil.example", "127.0.0.1:1", "keys.example.gov"] {
        let metadata: Value = client
            .get(format!(
                "{}/.well-known/openid-configuration",
                p.service.base
            ))
            .header("host", host)
            .send()
            .await
            .expect("discovery")
            .json()
            .await
            .expect("JSON");
        assert_eq!(metadata["issuer"], p.service.base.as_str(), "Host: {host}");
        assert_eq!(
            metadata["token_endpoint"],
            format!("{}/oidc/token", p.service.base),
            "Host: {host}"
        );
    }
    let (status, location) = p
        .location(
            &no_follow(false),
            &[("response_type", "token"), ("code_challenge", "")],
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(
        param(&location, "iss").as_deref(),
        Some(p.service.base.as_str())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_code_presented_by_another_client_is_refused_and_revokes_nothing() {
    let p = plain().await;
    let other = register(
        &p.service,
        json!({ "name": "Other office", "redirect_uris": [p.redirect.clone()] }),
    )
    .await;
    let other_secret = other["client_secret"].as_str().expect("secret");
    let other_token = |code: String, verifier: String| {
        let other_id = other["client_id"].as_str().expect("id").to_string();
        let secret = other_secret.to_string();
        let base = p.service.base.clone();
        let redirect = p.redirect.clone();
        async move {
            let response = reqwest::Client::new()
                .post(format!("{base}/oidc/token"))
                .basic_auth(other_id, Some(secret))
                .form(&[
                    ("grant_type", "authorization_code"),
                    ("code", code.as_str()),
                    ("redirect_uri", redirect.as_str()),
                    ("code_verifier", verifier.as_str()),
                ])
                .send()
                .await
                .expect("POST token");
            let status = response.status().as_u16();
            let json: Value = response.json().await.expect("JSON");
            (status, json)
        }
    };
    let citizen = p.service.new_citizen("en").await;
    let browser = p.service.browser("en");
    // A live code: refused to the other client, still good for its own.
    let (code, verifier) = p.code(&browser, &citizen).await;
    let (status, answer) = other_token(code.clone(), verifier.clone()).await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    let (status, tokens) = p.exchange(&code, &verifier).await;
    assert_eq!(status, 200, "the owner redeems it: {tokens}");
    let access = tokens["access_token"].as_str().expect("token");
    // The used code again, by the other client: refused, and the owner's grant holds.
    let (status, answer) = other_token(code.clone(), verifier.clone()).await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    assert_eq!(
        p.userinfo(access).await,
        200,
        "the owner's grant is not revoked"
    );
    // The owner replaying its own code revokes what it issued.
    let (status, _) = p.exchange(&code, &verifier).await;
    assert_eq!(status, 400);
    assert_eq!(
        p.userinfo(access).await,
        401,
        "its own replay revokes the grant"
    );
}

#[tokio::test]
async fn a_token_login_in_the_grace_window_never_reaches_a_service() {
    let p = plain_with(|s| {
        s.token_sunset_at = time::macros::datetime!(2026-11-21 10:00 UTC);
        s.token_grace_days = 14;
    })
    .await;
    let citizen = p.service.new_citizen("en").await;
    let browser = p.service.browser("en");
    let (_, challenge) = pkce();
    let path = p.authorize_path(&[
        ("code_challenge", &challenge),
        ("code_challenge_method", "S256"),
    ]);
    let login = browser.get(&path).await;
    assert_eq!(login.step(), "login", "{}", login.json);
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
    assert_eq!(token.step(), "login.token", "{}", token.json);
    let code = citizen.card_code(&token.json["data"]["challenge_index"]);
    let wizard = browser.act(&token, "submit", &[("code", &code)]).await;
    assert_eq!(
        wizard.step(),
        "activate.email",
        "into the wizard, not the service: {}",
        wizard.json
    );
    let again = browser.get(&path).await;
    assert_eq!(
        again.step(),
        "login",
        "the service gets no code: {}",
        again.json
    );
}
