//! Browser end-to-end tests: headless Chromium (Debian's chromium and chromium-driver) walks the
//! journeys (including the registration office's) in nl, fr, de and en, with the mouse at desktop width and with the keyboard alone at a
//! phone's width; every page is screenshotted and scanned with axe-core. The QR code is read from a
//! screenshot and answered with an independent TOTP implementation, as a phone would.
//!
//! When the browser cannot start, these tests fail loudly; they never skip.

mod chromium;

use blackbox::{Citizen, Service};
use chromium::{Mode, axe_source, start_browser};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use keys_core::clock::Clock;
use serde_json::{Value, json};
use std::path::PathBuf;
use std::time::{Duration, Instant};

const LANGS: [&str; 4] = ["nl", "fr", "de", "en"];

/// A person at a browser, walking the service in one language and one mode.
struct Person<'a> {
    client: &'a Client,
    service: &'a Service,
    lang: &'static str,
    mode: Mode,
    axe: &'a str,
    pages_scanned: usize,
    /// Every violation axe found, as (page, rule, impact).
    violations: Vec<(String, String, String)>,
}

impl<'a> Person<'a> {
    async fn goto(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.service.base))
            .await
            .expect("navigate");
    }

    async fn step(&self) -> String {
        let body = self
            .client
            .find(Locator::Css("body"))
            .await
            .expect("a body");
        body.attr("data-step")
            .await
            .expect("body attribute")
            .unwrap_or_else(|| "none".into())
    }

    /// Checks the page is `expected`, screenshots it as `name` and scans it with axe.
    async fn visit(&mut self, expected: &str, name: &str) {
        let step = self.step().await;
        let url = self.client.current_url().await.expect("url");
        assert_eq!(step, expected, "{} {:?}: at {url}", self.lang, self.mode);
        let html_lang = self
            .client
            .find(Locator::Css("html"))
            .await
            .expect("html")
            .attr("lang")
            .await
            .expect("lang");
        assert_eq!(html_lang.as_deref(), Some(self.lang), "the page's language");
        let mut dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../target/e2e/screenshots")
            .join(self.lang);
        if self.mode == Mode::Keyboard {
            dir = dir.join("phone");
        }
        std::fs::create_dir_all(&dir).expect("screenshot folder");
        let png = self.client.screenshot().await.expect("screenshot");
        std::fs::write(dir.join(format!("{name}.png")), png).expect("write screenshot");
        self.scan(name).await;
    }

    async fn scan(&mut self, name: &str) {
        self.client
            .execute(self.axe, vec![])
            .await
            .expect("inject axe-core");
        let found = self
            .client
            .execute_async(
                r#"const done = arguments[arguments.length - 1];
                   axe.run(document, { resultTypes: ['violations'] })
                      .then(r => done(r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')) }))))
                      .catch(e => done({ error: String(e) }));"#,
                vec![],
            )
            .await
            .expect("run axe-core");
        let Some(list) = found.as_array() else {
            panic!("axe-core failed on {name}: {found}");
        };
        self.pages_scanned += 1;
        for v in list {
            let impact = v["impact"].as_str().unwrap_or("unknown").to_string();
            println!(
                "axe {} {:?} {name}: {impact} {} ({}) at {}",
                self.lang, self.mode, v["id"], v["help"], v["nodes"]
            );
            self.violations.push((
                format!("{}/{name}", self.lang),
                v["id"].as_str().unwrap_or_default().to_string(),
                impact,
            ));
        }
    }

    /// Whether the element `target` (a WebDriver element reference) has the keyboard focus.
    async fn has_focus(&self, target: &Value) -> bool {
        let focused = self
            .client
            .execute(
                "return document.activeElement === arguments[0];",
                vec![target.clone()],
            )
            .await
            .expect("focus check");
        focused == Value::Bool(true)
    }

    /// Presses Tab until `target` has the focus: proof it can be reached by keyboard.
    async fn tab_to(&self, target: &fantoccini::elements::Element) {
        let target = serde_json::to_value(target).expect("element reference");
        for _ in 0..80 {
            if self.has_focus(&target).await {
                return;
            }
            self.key(Key::Tab).await;
        }
        panic!(
            "{}: an element cannot be reached with the Tab key",
            self.lang
        );
    }

    async fn key(&self, key: Key) {
        let k: char = key.into();
        let actions = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: k })
            .then(KeyAction::Up { value: k });
        self.client
            .perform_actions(actions)
            .await
            .expect("key press");
    }

    async fn element(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{}: no {css}: {e}", self.lang))
    }

    /// Types `text` into field `name` of the form of action `action`.
    async fn fill(&self, action: &str, name: &str, text: &str) {
        let input = self
            .element(&format!("form.action-{action} input[name={name}]"))
            .await;
        match self.mode {
            Mode::Mouse => {
                input.click().await.expect("click the field");
                input.send_keys(text).await.expect("type");
            }
            Mode::Keyboard => {
                self.tab_to(&input).await;
                self.client
                    .active_element()
                    .await
                    .expect("focused field")
                    .send_keys(text)
                    .await
                    .expect("type");
            }
        }
    }

    /// Chooses `value` of radio group `name` in the form of action `action`.
    async fn choose(&self, action: &str, name: &str, value: &str) {
        let radio = self
            .element(&format!(
                "form.action-{action} input[name={name}][value={value}]"
            ))
            .await;
        match self.mode {
            Mode::Mouse => radio.click().await.expect("click the choice"),
            Mode::Keyboard => {
                let first = self
                    .element(&format!("form.action-{action} input[name={name}]"))
                    .await;
                self.tab_to(&first).await;
                let target = serde_json::to_value(&radio).expect("element reference");
                for _ in 0..5 {
                    if self.has_focus(&target).await {
                        break;
                    }
                    self.key(Key::Down).await;
                }
                self.key(Key::Space).await;
            }
        }
        let checked = radio.prop("checked").await.expect("checked");
        assert_eq!(checked.as_deref(), Some("true"), "{value} is chosen");
    }

    /// Takes action `id` (a form's button or a link) and waits for the next page.
    async fn press(&self, id: &str) {
        let control = match self
            .client
            .find(Locator::Css(&format!(
                "form.action-{id} button[type=submit]"
            )))
            .await
        {
            Ok(button) => button,
            Err(_) => self.element(&format!("p.action-{id} a")).await,
        };
        self.client
            .execute("window.__dkOld = true;", vec![])
            .await
            .expect("mark the page");
        match self.mode {
            Mode::Mouse => control.click().await.expect("click"),
            Mode::Keyboard => {
                self.tab_to(&control).await;
                self.key(Key::Enter).await;
            }
        }
        self.wait_for_new_page(&format!("action {id}")).await;
    }

    /// The newest code in the local mailbox page for `address`, read as a person would.
    async fn code_from_mailbox(&self, address: &str) -> String {
        let query = format!("/_local/mailbox?to={}", address.replace('@', "%40"));
        self.goto(&query).await;
        let text = self
            .element("article pre")
            .await
            .text()
            .await
            .expect("mail text");
        six_digits(&text)
    }

    /// Presses the frame's *Sign out* and waits for the page it leads to.
    async fn press_frame_sign_out(&self) {
        let button = self.element(".frame-sign-out button[type=submit]").await;
        self.client
            .execute("window.__dkOld = true;", vec![])
            .await
            .expect("mark the page");
        match self.mode {
            Mode::Mouse => button.click().await.expect("click"),
            Mode::Keyboard => {
                self.tab_to(&button).await;
                self.key(Key::Enter).await;
            }
        }
        self.wait_for_new_page("sign out").await;
    }

    /// Presses the control of a frame's tab (`keys`, `profile`, `info`) and waits for its page.
    async fn open_tab(&self, path: &str) {
        let link = self.element(&format!(".tabs a[href='{path}']")).await;
        self.client
            .execute("window.__dkOld = true;", vec![])
            .await
            .expect("mark the page");
        match self.mode {
            Mode::Mouse => link.click().await.expect("click"),
            Mode::Keyboard => {
                self.tab_to(&link).await;
                self.key(Key::Enter).await;
            }
        }
        self.wait_for_new_page(path).await;
    }

    /// The show-password control beside the password field: it shows what was typed, hides it
    /// again, and puts the field back to hidden before the form is sent.
    async fn show_password(&self) {
        let button = self
            .element("form.action-submit button.show-password")
            .await;
        let field = self
            .element("form.action-submit input[name=password]")
            .await;
        let kind = || async { field.attr("type").await.expect("type").unwrap_or_default() };
        assert_eq!(kind().await, "password");
        for expected in ["text", "password"] {
            match self.mode {
                Mode::Mouse => button.click().await.expect("click"),
                Mode::Keyboard => {
                    self.tab_to(&button).await;
                    self.key(Key::Enter).await;
                }
            }
            assert_eq!(
                kind().await,
                expected,
                "{}: the control toggles the field",
                self.lang
            );
        }
        let label = button.text().await.expect("label");
        assert!(!label.is_empty(), "the control says what it does");
    }

    /// Waits until a new page is there after an action (`what` names it in the failure).
    async fn wait_for_new_page(&self, what: &str) {
        let started = Instant::now();
        loop {
            let fresh = self
                .client
                .execute(
                    "return !window.__dkOld && document.readyState === 'complete' && !!document.body;",
                    vec![],
                )
                .await
                .unwrap_or(Value::Bool(false));
            if fresh == Value::Bool(true) {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "{}: {what} led nowhere",
                self.lang
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn login(&mut self, citizen: &Citizen, key: &str) {
        self.fill("submit", "username", &citizen.username).await;
        self.fill("submit", "password", &citizen.password).await;
        self.choose("submit", "key", key).await;
        self.press("submit").await;
    }

    /// Password and token card up to the notice; one wrong card code on the way shows the error.
    async fn token_login(&mut self, citizen: &Citizen, show_error: bool) {
        self.goto(&format!("/login?lang={}", self.lang)).await;
        self.visit("login", "login").await;
        self.login(citizen, "token").await;
        if show_error {
            self.visit("login.token", "login.token").await;
            self.fill("submit", "code", "00000x").await;
            self.press("submit").await;
            self.visit("login.token", "login.token-error").await;
            let invalid = self
                .element("input[name=code][aria-invalid=true]")
                .await
                .attr("aria-describedby")
                .await
                .expect("attr");
            assert!(
                invalid.is_some_and(|d| d.contains("code-error")),
                "the error is tied to its field"
            );
        }
        self.answer_card_code(citizen).await;
        self.visit("login.token.notice", "login.token.notice").await;
    }

    /// Reads the card code's number off the token page and types that code of the card.
    async fn answer_card_code(&mut self, citizen: &Citizen) {
        let ask = self.element("main").await.text().await.expect("text");
        let n = ask
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|w| w.parse::<u8>().ok())
            .find(|n| (1..=24).contains(n))
            .expect("the card code's number");
        self.fill("submit", "code", &citizen.card[&n]).await;
        self.press("submit").await;
    }

    /// Step 2 to 4 by e-mail: choose the e-mail key, read the registration code in the mailbox,
    /// enter it; the pages are named with `prefix`.
    async fn activate_email_key(&mut self, citizen: &Citizen, prefix: &str) {
        self.choose("submit", "key", "email").await;
        self.press("submit").await;
        self.visit(
            "activate.email_code",
            &format!("{prefix}activate.email_code"),
        )
        .await;
        let code = self.code_from_mailbox(&citizen.email).await;
        self.goto("/activate/email-code").await;
        self.fill("submit", "code", &code).await;
        self.press("submit").await;
        self.visit("activate.done", &format!("{prefix}activate.done"))
            .await;
    }
}

fn six_digits(text: &str) -> String {
    text.split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .unwrap_or_else(|| panic!("no code in: {text}"))
        .to_string()
}

/// Token login, the notice, the wizard by e-mail, End session, the token refused, e-mail login.
async fn email_journey(person: &mut Person<'_>) {
    let citizen = person.service.new_citizen(person.lang).await;
    person.token_login(&citizen, true).await;
    person.press("activate").await;
    person.visit("activate.email", "activate.email").await;
    // Change opens the address field on a page of its own; Back closes it again.
    person.press("change").await;
    person
        .visit("activate.email", "activate.email-change")
        .await;
    person.press("back").await;
    person.visit("activate.email", "activate.email").await;
    person.press("confirm").await;
    person.visit("activate.select", "activate.select").await;
    person.activate_email_key(&citizen, "").await;
    person.press("end_session").await;
    person.visit("logged_out", "logged_out").await;
    person.press("login").await;
    person.visit("login", "login").await;
    // Forgotten username: the address gets the username; the page says the same either way.
    person.press("forgotten_username").await;
    person
        .visit("login.forgotten_username", "login.forgotten_username")
        .await;
    person.fill("submit", "email", &citizen.email).await;
    person.press("submit").await;
    person
        .visit("login.forgotten_username", "login.forgotten_username-sent")
        .await;
    let reminder = person
        .service
        .wait_for_mails(&citizen.email, 1)
        .await
        .into_iter()
        .any(|mail| mail.text.contains(&citizen.username));
    assert!(reminder, "the username reached the address");
    person.press("back").await;
    person.visit("login", "login").await;
    person.login(&citizen, "token").await;
    person
        .visit("login.token.unavailable", "login.token.unavailable")
        .await;
    person.press("back").await;
    person.fill("submit", "username", &citizen.username).await;
    person.fill("submit", "password", &citizen.password).await;
    person.show_password().await;
    person.choose("submit", "key", "email").await;
    person.press("submit").await;
    person.visit("login.email", "login.email").await;
    let code = person.code_from_mailbox(&citizen.email).await;
    person.goto("/login/email").await;
    person.fill("submit", "code", &code).await;
    person.press("submit").await;
    person.visit("keys", "keys").await;
    let table = person
        .element("table.keys")
        .await
        .text()
        .await
        .expect("keys");
    assert!(table.contains(&keys_core::i18n::t(
        keys_core::i18n::Lang::parse(person.lang).expect("lang"),
        "key-email"
    )));
    // The frame's tabs: My profile, Info, and back; then its Sign out.
    person.open_tab("/profile").await;
    person.visit("profile", "profile").await;
    person.press("change_email").await;
    person.visit("profile.email", "profile.email").await;
    person.press("cancel").await;
    person.visit("profile", "profile").await;
    person.open_tab("/info").await;
    person.visit("info", "info").await;
    person.open_tab("/keys").await;
    person.visit("keys", "keys").await;
    person.press_frame_sign_out().await;
    person.visit("logged_out", "logged_out").await;
}

/// Reads the QR code from a screenshot of the page, as a phone's camera would.
async fn scan_qr_from_screen(client: &Client) -> Vec<u8> {
    let png = client.screenshot().await.expect("screenshot");
    let decoder = png::Decoder::new(std::io::Cursor::new(png));
    let mut reader = decoder.read_info().expect("PNG");
    let mut pixels = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut pixels).expect("PNG frame");
    let channels = info.line_size / info.width as usize;
    let (w, h) = (info.width as usize, info.height as usize);
    let (_, secret) = blackbox::qr::read_authenticator_qr(w, h, |x, y| {
        let at = y * info.line_size + x * channels;
        ((u16::from(pixels[at]) + u16::from(pixels[at + 1]) + u16::from(pixels[at + 2])) / 3) as u8
    });
    secret
}

/// Token login, the notice, the wizard by app (QR code from the screen), then an app login.
async fn app_journey(person: &mut Person<'_>) {
    let citizen = person.service.new_citizen(person.lang).await;
    person.token_login(&citizen, false).await;
    person.press("activate").await;
    person.visit("activate.email", "activate.email").await;
    person.press("confirm").await;
    person.choose("submit", "key", "app").await;
    person.press("submit").await;
    person
        .visit("activate.app.install", "activate.app.install")
        .await;
    person.press("next").await;
    person.visit("activate.app.pair", "activate.app.pair").await;
    let secret = scan_qr_from_screen(person.client).await;
    let clock = &person.service.ports().clock;
    let code = totp_lite::totp_custom::<totp_lite::Sha1>(30, 6, &secret, clock.now_secs() as u64);
    person.fill("submit", "code", &code).await;
    person.press("submit").await;
    person.visit("activate.done", "activate.done-app").await;
    person.press("end_session").await;
    person.press("login").await;
    person.login(&citizen, "app").await;
    person.visit("login.app", "login.app").await;
    clock.advance(time::Duration::seconds(30));
    let code = totp_lite::totp_custom::<totp_lite::Sha1>(30, 6, &secret, clock.now_secs() as u64);
    person.fill("submit", "code", &code).await;
    person.press("submit").await;
    person.visit("keys", "keys-app").await;
    // Forgotten password: the mailed code and the app's code, then a new password.
    person.press_frame_sign_out().await;
    person.visit("logged_out", "logged_out").await;
    person.press("login").await;
    person.press("forgotten_password").await;
    person
        .visit("login.forgotten_password", "login.forgotten_password")
        .await;
    person.fill("submit", "username", &citizen.username).await;
    person.press("submit").await;
    person
        .visit(
            "login.forgotten_password.code",
            "login.forgotten_password.code",
        )
        .await;
    let code = person.code_from_mailbox(&citizen.email).await;
    person.goto("/login/forgotten-password/code").await;
    person.fill("submit", "code", &code).await;
    person.press("submit").await;
    person
        .visit(
            "login.forgotten_password.second_key",
            "login.forgotten_password.second_key",
        )
        .await;
    clock.advance(time::Duration::seconds(30));
    let code = totp_lite::totp_custom::<totp_lite::Sha1>(30, 6, &secret, clock.now_secs() as u64);
    person.fill("submit", "code", &code).await;
    person.press("submit").await;
    person
        .visit(
            "login.forgotten_password.new_password",
            "login.forgotten_password.new_password",
        )
        .await;
    person
        .fill("submit", "new_password", "harbour violet meadow 2031")
        .await;
    person.press("submit").await;
    person
        .visit(
            "login.forgotten_password.done",
            "login.forgotten_password.done",
        )
        .await;
    person.press("login").await;
    person.visit("login", "login").await;
}

/// Runs a journey in every language in one mode; fails on any serious or critical violation.
/// After the sunset, in a grace window: the way out for a token login, the wizard and nothing
/// else, then a forgotten password refused with the mailed code alone (the registration office).
async fn grace_journey(person: &mut Person<'_>) {
    let citizen = person.service.new_citizen(person.lang).await;
    person.goto(&format!("/login?lang={}", person.lang)).await;
    person.visit("login", "grace-login").await;
    person.login(&citizen, "token").await;
    person.visit("login.token", "grace-login.token").await;
    person.answer_card_code(&citizen).await;
    // No notice, no service: the wizard.
    person.visit("activate.email", "grace-activate.email").await;
    person.goto("/keys").await;
    person.visit("login", "grace-keys-refused").await;
    person.goto("/activate/confirm-email").await;
    person.press("confirm").await;
    person.activate_email_key(&citizen, "grace-").await;
    person.press("end_session").await;
    person.visit("logged_out", "grace-logged_out").await;
    // The e-mail key is now the only one: its code alone resets no password.
    person.press("login").await;
    person.press("forgotten_password").await;
    person.fill("submit", "username", &citizen.username).await;
    person.press("submit").await;
    let code = person.code_from_mailbox(&citizen.email).await;
    person.goto("/login/forgotten-password/code").await;
    person.fill("submit", "code", &code).await;
    person.press("submit").await;
    person
        .visit(
            "login.forgotten_password.office",
            "login.forgotten_password.office",
        )
        .await;
}

/// The registration office in a browser: an officer logs in with password and app code, enrols
/// a citizen, issues the letter (the printable page, in the citizen's language); then, as the
/// citizen in a fresh browser, the mailed link, the printed code (once wrong), username and
/// password, the wizard's e-mail key, and the login with it.
async fn office_journey(person: &mut Person<'_>) {
    let service = person.service;
    let officer = service.new_officer().await;
    person.goto(&format!("/office?lang={}", person.lang)).await;
    person.visit("office.login", "office.login").await;
    person.fill("login", "officer_id", &officer.id).await;
    person.fill("login", "password", &officer.password).await;
    let now = service.now_secs();
    person
        .fill("login", "code", &officer.code_at(now - 30))
        .await;
    person.press("login").await;
    person.visit("office.find", "office.find").await;
    person.press("enrol").await;
    person.visit("office.enrol", "office.enrol").await;
    let email = format!("office-{}@example.org", person.lang);
    person.fill("enrol", "name", "Noor Janssens").await;
    person.fill("enrol", "email", &email).await;
    person.choose("enrol", "lang", person.lang).await;
    let nrn = blackbox::journeys::national_register_number();
    person.fill("enrol", "nrn", &nrn).await;
    person.press("enrol").await;
    person.visit("office.citizen", "office.citizen").await;
    person
        .fill("issue", "code", &officer.code_at(service.now_secs()))
        .await;
    person.press("issue").await;
    person.visit("office.letter", "office.letter").await;
    let code = person
        .element("dl.secret code")
        .await
        .text()
        .await
        .expect("the code on the letter");
    assert_eq!(code.len(), 19, "{code}");

    // The citizen, in a browser of their own.
    person
        .client
        .delete_all_cookies()
        .await
        .expect("a fresh browser");
    let query = format!("/_local/mailbox?to={}", email.replace('@', "%40"));
    person.goto(&query).await;
    let mail = person
        .element("article pre")
        .await
        .text()
        .await
        .expect("mail");
    let link = mail
        .split_whitespace()
        .find(|w| w.contains("/activation?"))
        .unwrap_or_else(|| panic!("no link in the mail: {mail}"))
        .to_string();
    person.goto(&format!("{link}&lang={}", person.lang)).await;
    person.visit("activation", "activation").await;
    person.fill("submit", "code", "0000 0000 0000 0000").await;
    person.press("submit").await;
    person.visit("activation", "activation-wrong").await;
    person.fill("submit", "code", &code).await;
    person.press("submit").await;
    person
        .visit("activation.account", "activation.account")
        .await;
    let citizen = Citizen {
        username: format!("noor-{}", person.lang),
        password: "meadow lantern quarry 2034".into(),
        email: email.clone(),
        card: Default::default(),
    };
    person.fill("submit", "username", &citizen.username).await;
    person
        .fill("submit", "new_password", &citizen.password)
        .await;
    person.press("submit").await;
    person
        .visit("activate.email", "office-activate.email")
        .await;
    person.press("confirm").await;
    person.activate_email_key(&citizen, "office-").await;
    person.press("end_session").await;
    person.visit("logged_out", "office-logged_out").await;
    person.press("login").await;
    person.login(&citizen, "email").await;
    person.visit("login.email", "office-login.email").await;
    let login_code = person.code_from_mailbox(&citizen.email).await;
    person.goto("/login/email").await;
    person.fill("submit", "code", &login_code).await;
    person.press("submit").await;
    person.visit("keys", "office-keys").await;
    // The letter works once: its link now says so.
    person.goto(&format!("{link}&lang={}", person.lang)).await;
    person.visit("activation", "activation-used").await;
    let said = person.element("main").await.text().await.expect("text");
    assert!(
        said.contains(&keys_core::i18n::t(
            keys_core::i18n::Lang::parse(person.lang).expect("lang"),
            "msg-letter-used"
        )),
        "{said}"
    );
}

async fn run(mode: Mode, journey: &str) {
    let axe = axe_source();
    let (_driver, client) = start_browser(mode).await;
    let service = Service::start_with(|s| {
        if journey == "grace" {
            // The sunset was a day before the runner's clock; 14 days of grace.
            s.token_sunset_at = time::macros::datetime!(2026-11-21 10:00 UTC);
            s.token_grace_days = 14;
        }
    })
    .await;
    let mut scanned = 0;
    let mut violations = Vec::new();
    for lang in LANGS {
        let mut person = Person {
            client: &client,
            service: &service,
            lang,
            mode,
            axe: &axe,
            pages_scanned: 0,
            violations: Vec::new(),
        };
        match journey {
            "email" => email_journey(&mut person).await,
            "grace" => grace_journey(&mut person).await,
            "office" => office_journey(&mut person).await,
            _ => app_journey(&mut person).await,
        }
        scanned += person.pages_scanned;
        violations.extend(person.violations);
    }
    let _ = client.close().await;
    let serious: Vec<_> = violations
        .iter()
        .filter(|(_, _, impact)| impact == "serious" || impact == "critical")
        .collect();
    println!(
        "browser {journey} journey, {mode:?}: {scanned} pages scanned with axe-core, {} violations ({} serious or critical)",
        violations.len(),
        serious.len()
    );
    assert!(
        serious.is_empty(),
        "serious accessibility violations: {serious:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_email_journey_with_the_mouse_in_every_language() {
    run(Mode::Mouse, "email").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_email_journey_with_the_keyboard_alone_at_phone_width() {
    run(Mode::Keyboard, "email").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_app_journey_with_the_mouse_in_every_language() {
    run(Mode::Mouse, "app").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_app_journey_with_the_keyboard_alone_at_phone_width() {
    run(Mode::Keyboard, "app").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_officer_issues_a_letter_and_the_citizen_activates_a_key_by_it_in_every_language() {
    run(Mode::Mouse, "office").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_the_sunset_the_grace_window_and_the_mailed_code_alone_in_every_language() {
    run(Mode::Mouse, "grace").await;
}

// ---- public services on other origins, logging in through the OpenID Connect provider ----

/// A public service's own small site on a loopback origin: `/` links to the login the test
/// prepared (an authorization request Authlib built), `/cb` is where the citizen comes back.
struct PublicService {
    base: String,
    next: std::sync::Arc<std::sync::Mutex<String>>,
    /// The logout tokens posted to its back-channel address, in order.
    logouts: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl PublicService {
    /// Waits for the `n`th logout token (1-based) posted to the service; answers it.
    async fn logout_token(&self, n: usize) -> String {
        let started = Instant::now();
        loop {
            if let Some(token) = self.logouts.lock().expect("logouts").get(n - 1) {
                return token.clone();
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "{} received no logout token #{n}",
                self.base
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

async fn public_service(host: &str, name: &'static str) -> PublicService {
    use axum::response::Html;
    let next = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let link = next.clone();
    let logouts = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let received = logouts.clone();
    let page = move |step: &str, body: String| {
        Html(format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{name}</title></head>\
             <body data-step=\"{step}\"><main><h1>{name}</h1>{body}</main></body></html>"
        ))
    };
    let router = axum::Router::new()
        .route(
            "/",
            axum::routing::get(move || {
                let href = link
                    .lock()
                    .map(|l| l.clone())
                    .unwrap_or_default()
                    .replace('&', "&amp;");
                async move {
                    page(
                        "rp.home",
                        format!(
                            "<p><a id=\"login\" href=\"{href}\">Log in with Digital keys</a></p>"
                        ),
                    )
                }
            }),
        )
        .route(
            "/cb",
            axum::routing::get(move || async move {
                page("rp.callback", "<p>Back at the service.</p>".into())
            }),
        )
        .route(
            "/backchannel",
            axum::routing::post(move |body: String| {
                let received = received.clone();
                async move {
                    let token = url::form_urlencoded::parse(body.as_bytes())
                        .find(|(name, _)| name == "logout_token")
                        .map(|(_, token)| token.into_owned());
                    match token {
                        Some(token) => {
                            received.lock().expect("logouts").push(token);
                            axum::http::StatusCode::OK
                        }
                        None => axum::http::StatusCode::BAD_REQUEST,
                    }
                }
            }),
        );
    let base = blackbox::listen(router).await;
    let port = base.rsplit(':').next().expect("a port").to_string();
    PublicService {
        base: format!("http://{host}:{port}"),
        next,
        logouts,
    }
}

/// Reads the browser's console (chromedriver's log of type `browser`).
#[derive(Debug)]
struct BrowserConsole;

impl fantoccini::wd::WebDriverCompatibleCommand for BrowserConsole {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/se/log",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (axum::http::Method, Option<String>) {
        (
            axum::http::Method::POST,
            Some(r#"{"type":"browser"}"#.into()),
        )
    }
}

async fn browser_console(client: &Client) -> Vec<String> {
    let entries = client
        .issue_cmd(BrowserConsole)
        .await
        .expect("the browser's console log");
    entries
        .as_array()
        .map(|list| {
            list.iter()
                .map(|e| e["message"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// A citizen at a public service: the service's link, the provider's pages, back at the service.
struct AtService<'a, 'b> {
    person: &'a mut Person<'b>,
    rp: blackbox::relying_party::Rp,
}

impl AtService<'_, '_> {
    /// Authlib prepares a request for client `name`; the citizen clicks the service's login link.
    async fn start(&mut self, name: &str, service: &PublicService, extra: Value) {
        let mut extra = extra;
        extra["ui_locales"] = json!(self.person.lang);
        let request = self
            .rp
            .call(json!({ "op": "authorize", "name": name, "extra": extra }))
            .await;
        *service.next.lock().expect("link") = request["url"].as_str().expect("url").to_string();
        self.person
            .client
            .goto(&format!("{}/", service.base))
            .await
            .expect("the service's page");
        self.person
            .client
            .find(Locator::Id("login"))
            .await
            .expect("the service's login link")
            .click()
            .await
            .expect("click");
    }

    /// Waits until the browser is back at the service; answers the address it came back to.
    async fn arrive(&self, service: &PublicService) -> String {
        let started = Instant::now();
        loop {
            let url = self
                .person
                .client
                .current_url()
                .await
                .expect("url")
                .to_string();
            if url.starts_with(&format!("{}/cb", service.base)) {
                return url;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "never back at {}: the browser stays at {url}",
                service.base
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Back at the service: Authlib redeems the code and validates the ID token.
    async fn finish(&mut self, name: &str, service: &PublicService) -> Value {
        let url = self.arrive(service).await;
        let now = self.person.service.now_secs();
        let done = self
            .rp
            .call(json!({ "op": "callback", "name": name, "url": url, "now": now }))
            .await;
        assert_eq!(done["userinfo_status"], 200, "{done}");
        done["claims"].clone()
    }

    async fn card_code(&mut self, citizen: &Citizen) {
        let ask = self
            .person
            .element("main")
            .await
            .text()
            .await
            .expect("text");
        let n = ask
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|w| w.parse::<u8>().ok())
            .find(|n| (1..=24).contains(n))
            .expect("the card code's number");
        self.person.fill("submit", "code", &citizen.card[&n]).await;
        self.person.press("submit").await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn public_services_on_other_origins_get_their_citizens_back_in_a_real_browser() {
    let axe = axe_source();
    let (_driver, client) = start_browser(Mode::Mouse).await;
    let service = Service::start_with(|_| {}).await;
    let tax = public_service("127.0.0.1", "Tax office").await;
    let land = public_service("localhost", "Land registry").await;
    let register = |registration: Value| {
        let base = service.base.clone();
        async move {
            let response = reqwest::Client::new()
                .post(format!("{base}/_local/oidc/clients"))
                .json(&registration)
                .send()
                .await
                .expect("register");
            assert_eq!(response.status().as_u16(), 201);
            response.json::<Value>().await.expect("client")
        }
    };
    let a = register(json!({
        "name": "Tax office",
        "display_names": { "nl": "Belastingen", "fr": "Impôts", "de": "Steueramt" },
        "redirect_uris": [format!("{}/cb", tax.base)],
        "backchannel_logout_uri": format!("{}/backchannel", tax.base),
        "scopes": ["email"],
    }))
    .await;
    let b = register(json!({
        "name": "Land registry",
        "display_names": { "nl": "Kadaster" },
        "redirect_uris": [format!("{}/cb", land.base)],
        "backchannel_logout_uri": format!("{}/backchannel", land.base),
        "min_level": "two-factor",
    }))
    .await;
    let mut rp = blackbox::relying_party::Rp::start().await;
    rp.call(json!({ "op": "discover", "issuer": service.base }))
        .await;
    for (name, c, site) in [("a", &a, &tax), ("b", &b, &land)] {
        rp.call(json!({
            "op": "client", "name": name, "client_id": c["client_id"], "secret": c["client_secret"],
            "redirect_uri": format!("{}/cb", site.base),
        }))
        .await;
    }
    let mut person = Person {
        client: &client,
        service: &service,
        lang: "nl",
        mode: Mode::Mouse,
        axe: &axe,
        pages_scanned: 0,
        violations: Vec::new(),
    };
    let mut at = AtService {
        person: &mut person,
        rp,
    };
    const TWO_FACTOR: &str = "urn:digital-keys:loa:two-factor";

    // The token key and the notice's close, at the tax office: its name on the login page.
    let holder = service.new_citizen("nl").await;
    at.start("a", &tax, json!({})).await;
    at.person.visit("login", "oidc-login").await;
    let main = at.person.element("main").await.text().await.expect("text");
    assert!(
        main.contains("Belastingen"),
        "the login page names the service: {main}"
    );
    at.person.login(&holder, "token").await;
    at.card_code(&holder).await;
    at.person.visit("login.token.notice", "oidc-notice").await;
    at.person.press("close").await;
    let claims = at.finish("a", &tax).await;
    assert_eq!(claims["acr"], TWO_FACTOR);
    assert_eq!(claims["amr"], json!(["pwd", "otp", "mfa", "token"]));

    // Single sign-on at the land registry, on another origin: nothing typed.
    at.start("b", &land, json!({})).await;
    let claims = at.finish("b", &land).await;
    assert_eq!(claims["amr"], json!(["pwd", "otp", "mfa", "token"]));

    // The notice's *Log in with another digital key* goes back to the service's login page;
    // there *Cancel*: the tax office hears access_denied.
    at.start("a", &tax, json!({ "prompt": "login" })).await;
    at.person.visit("login", "oidc-login-again").await;
    at.person.login(&holder, "token").await;
    at.card_code(&holder).await;
    at.person.press("other_key").await;
    at.person.visit("login", "oidc-login-other-key").await;
    let main = at.person.element("main").await.text().await.expect("text");
    assert!(
        main.contains("Belastingen"),
        "still the service's login: {main}"
    );
    at.person.press("cancel").await;
    let url = at.arrive(&tax).await;
    assert!(url.contains("error=access_denied"), "{url}");

    // A second citizen: the token login's notice, the wizard with the e-mail key, and on to the
    // service from the confirmation.
    let citizen = service.new_citizen("nl").await;
    at.start("a", &tax, json!({ "prompt": "login" })).await;
    at.person.visit("login", "oidc-login-2").await;
    at.person.login(&citizen, "token").await;
    at.card_code(&citizen).await;
    at.person.press("activate").await;
    at.person
        .visit("activate.email", "oidc-activate.email")
        .await;
    at.person.press("confirm").await;
    at.person.choose("submit", "key", "email").await;
    at.person.press("submit").await;
    let code = at.person.code_from_mailbox(&citizen.email).await;
    at.person.goto("/activate/email-code").await;
    at.person.fill("submit", "code", &code).await;
    at.person.press("submit").await;
    at.person.visit("activate.done", "oidc-activate.done").await;
    at.person.press("continue").await;
    let claims = at.finish("a", &tax).await;
    assert_eq!(
        claims["amr"],
        json!(["pwd", "otp", "mfa", "token", "email"])
    );

    // The e-mail key: a code by mail, below two factors.
    at.start("a", &tax, json!({ "prompt": "login" })).await;
    at.person.login(&citizen, "email").await;
    at.person.visit("login.email", "oidc-login.email").await;
    let code = at.person.code_from_mailbox(&citizen.email).await;
    at.person.goto("/login/email").await;
    at.person.fill("submit", "code", &code).await;
    at.person.press("submit").await;
    let claims = at.finish("a", &tax).await;
    assert_eq!(claims["acr"], "urn:digital-keys:loa:email-code");
    assert_eq!(claims["amr"], json!(["pwd", "otp", "mfa", "email"]));
    let email_sid = claims["sid"].clone();

    // The land registry asks for two factors: the e-mail session steps up. The citizen has no
    // such key yet: the page says so, the wizard activates the app, and the service is answered.
    at.start("b", &land, json!({})).await;
    at.person
        .visit("oidc.stronger_key", "oidc-stronger_key")
        .await;
    let main = at.person.element("main").await.text().await.expect("text");
    assert!(main.contains("Kadaster"), "{main}");
    at.person.press("activate").await;
    at.person
        .visit("activate.email", "oidc-step-up-activate.email")
        .await;
    at.person.press("confirm").await;
    at.person.choose("submit", "key", "app").await;
    at.person.press("submit").await;
    at.person.press("next").await;
    at.person
        .visit("activate.app.pair", "oidc-activate.app.pair")
        .await;
    let secret = scan_qr_from_screen(at.person.client).await;
    let clock = &service.ports().clock;
    let code = totp_lite::totp_custom::<totp_lite::Sha1>(30, 6, &secret, clock.now_secs() as u64);
    at.person.fill("submit", "code", &code).await;
    at.person.press("submit").await;
    at.person
        .visit("activate.done", "oidc-activate.done-app")
        .await;
    at.person.press("continue").await;
    // Activating the app raised nothing (NIST SP 800-63B §6.1.2.1): now the citizen has a key
    // strong enough, and logs in with it.
    at.person
        .visit("oidc.stronger_key", "oidc-stronger_key-login")
        .await;
    at.person.press("login").await;
    at.person.visit("login", "oidc-step-up-login").await;
    at.person.login(&citizen, "app").await;
    clock.advance(time::Duration::seconds(30));
    let code = totp_lite::totp_custom::<totp_lite::Sha1>(30, 6, &secret, clock.now_secs() as u64);
    at.person.fill("submit", "code", &code).await;
    at.person.press("submit").await;
    let claims = at.finish("b", &land).await;
    let stepped_up_sid = claims["sid"].clone();
    assert_eq!(claims["acr"], TWO_FACTOR, "stepped up by the app key");
    assert_eq!(claims["amr"], json!(["pwd", "otp", "mfa", "app"]));

    // The app key at the tax office.
    at.start("a", &tax, json!({ "prompt": "login" })).await;
    at.person.login(&citizen, "app").await;
    at.person.visit("login.app", "oidc-login.app").await;
    clock.advance(time::Duration::seconds(30));
    let code = totp_lite::totp_custom::<totp_lite::Sha1>(30, 6, &secret, clock.now_secs() as u64);
    at.person.fill("submit", "code", &code).await;
    at.person.press("submit").await;
    let claims = at.finish("a", &tax).await;
    assert_eq!(claims["acr"], TWO_FACTOR);
    assert_eq!(claims["amr"], json!(["pwd", "otp", "mfa", "app"]));
    let app_sid = claims["sid"].clone();

    // Back-Channel Logout. The app login ended the browser's earlier session of this citizen,
    // which had logged into both services: each hears of it (the land registry first here),
    // and Authlib validates every token (signature, iss, aud, iat, exp, jti, events, sid).
    let logout = |at_rp: &'static str, token: String, now: u64| json!({ "op": "logout_token", "name": at_rp, "token": token, "now": now });
    let now = service.now_secs();
    let told = at
        .rp
        .call(logout("b", land.logout_token(1).await, now))
        .await;
    assert_eq!(
        told["claims"]["sid"], stepped_up_sid,
        "the session that ended"
    );
    assert_eq!(told["header"]["typ"], "logout+jwt");
    // The tax office heard of the wizard's session (ended by the e-mail login) and of the
    // e-mail session (ended by the step-up login).
    let told = at
        .rp
        .call(logout("a", tax.logout_token(2).await, now))
        .await;
    assert_eq!(told["claims"]["sid"], email_sid);
    // Signing out in My digital keys ends the last session: the tax office hears of it.
    at.person.goto("/keys").await;
    at.person.visit("keys", "oidc-keys").await;
    at.person.press("sign_out").await;
    let told = at
        .rp
        .call(logout("a", tax.logout_token(3).await, service.now_secs()))
        .await;
    assert_eq!(told["claims"]["sid"], app_sid, "the session signed out");
    assert_eq!(
        tax.logouts.lock().expect("logouts").len(),
        3,
        "one token per ended session"
    );
    assert_ne!(app_sid, stepped_up_sid);

    // The page that goes on to the service is gone before anyone can look at it: its markup,
    // without the refresh, is scanned on the provider's origin.
    let html = keys_oidc::authorize::continue_view(
        keys_core::i18n::Lang::Nl,
        &format!("{}/cb?code=x&state=y", tax.base),
        "Belastingen",
    )
    .to_html("")
    .expect("rendered");
    let still = html
        .lines()
        .filter(|l| !l.contains("http-equiv=\"refresh\""))
        .collect::<Vec<_>>()
        .join("\n");
    assert_ne!(still.len(), html.len(), "the refresh was there");
    at.person.goto("/logged-out").await;
    client
        .execute(
            "document.open(); document.write(arguments[0]); document.close();",
            vec![json!(still)],
        )
        .await
        .expect("write the page");
    at.person.visit("oidc.continue", "oidc-continue").await;

    let console = browser_console(&client).await;
    let blocked: Vec<&String> = console
        .iter()
        .filter(|m| m.contains("Content Security Policy") || m.contains("Content-Security-Policy"))
        .collect();
    let scanned = person.pages_scanned;
    let violations = person.violations.clone();
    let _ = client.close().await;
    assert!(
        blocked.is_empty(),
        "CSP violations in the console: {blocked:?}"
    );
    println!(
        "browser OpenID Connect journeys: {scanned} pages scanned with axe-core, {} violations, {} console messages, no CSP violation",
        violations.len(),
        console.len()
    );
    assert!(
        violations.is_empty(),
        "accessibility violations: {violations:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_public_service_shows_single_sign_on_and_the_back_channel_logout() {
    let axe = axe_source();
    let (_driver, client) = start_browser(Mode::Mouse).await;
    let service = Service::start_with(|_| {}).await;
    let (listener, bound) = blackbox::bind().await;
    let port = bound.rsplit(':').next().expect("a port").to_string();
    let demo_base = format!("http://localhost:{port}");
    let demo =
        local::demo_service::DemoService::register(&service.ports().app, &demo_base, &service.base)
            .await
            .expect("registered")
            .expect("a new client");
    blackbox::serve_on(listener, demo.router());
    let mut person = Person {
        client: &client,
        service: &service,
        lang: "en",
        mode: Mode::Mouse,
        axe: &axe,
        pages_scanned: 0,
        violations: Vec::new(),
    };
    let citizen = service.new_citizen("en").await;
    client
        .goto(&format!("{demo_base}/"))
        .await
        .expect("the demo");
    assert_eq!(person.step().await, "demo.home");
    client
        .find(Locator::Id("login"))
        .await
        .expect("the login link")
        .click()
        .await
        .expect("click");
    person.visit("login", "demo-login").await;
    let main = person.element("main").await.text().await.expect("text");
    assert!(main.contains("Demo public service"), "{main}");
    person.login(&citizen, "token").await;
    let ask = person.element("main").await.text().await.expect("text");
    let n = ask
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|w| w.parse::<u8>().ok())
        .find(|n| (1..=24).contains(n))
        .expect("the card code's number");
    person.fill("submit", "code", &citizen.card[&n]).await;
    person.press("submit").await;
    person.press("close").await;
    let started = Instant::now();
    while person.step().await != "demo.logged_in" {
        if started.elapsed() > Duration::from_secs(20) {
            let url = client.current_url().await.expect("url");
            let text = person.element("body").await.text().await.expect("text");
            panic!("never logged in at the demo: at {url}: {text}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let shown = person.element("main").await.text().await.expect("claims");
    assert!(shown.contains("urn:digital-keys:loa:two-factor"), "{shown}");
    assert!(shown.contains(&citizen.email), "the e-mail scope: {shown}");

    // Signing out at the provider reaches the demo as a back-channel logout.
    person.goto("/keys").await;
    person.press("sign_out").await;
    let started = Instant::now();
    loop {
        client
            .goto(&format!("{demo_base}/"))
            .await
            .expect("the demo");
        let text = person.element("main").await.text().await.expect("text");
        if person.step().await == "demo.home" && text.contains("Back-channel logouts received: 1.")
        {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the demo never heard of the logout: {text}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let violations = person.violations.clone();
    let _ = client.close().await;
    assert!(violations.is_empty(), "{violations:?}");
    println!("browser: the demo public service logged in and heard the back-channel logout");
}
