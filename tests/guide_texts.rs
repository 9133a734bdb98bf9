//! The phase-out guide's texts on their pages, in a real browser (headless Chromium), in nl, fr,
//! de and en: one trial per text and language, all from one table of expected strings ([`GUIDE`]).
//!
//! One browser walks every page once per language (the login, the token error, the notice, My
//! digital keys, the wizard's steps by e-mail and by app, My profile, Info), keeping what each page
//! shows; the trials then look for their text there. Each page is also screenshotted (the frame,
//! the tabs, My profile, Info and the side panel among them, under
//! `target/e2e/screenshots/guide/`) and scanned with axe-core, one trial per page and language.
//! When the browser cannot start, every trial fails loudly; none is skipped.

mod chromium;

use blackbox::{Citizen, Service};
use chromium::{Driver, Mode, axe_source, start_browser};
use fantoccini::{Client, Locator};
use libtest_mimic::{Arguments, Failed, Trial};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The languages, in the order of every row's texts.
const LANGS: [&str; 4] = ["nl", "fr", "de", "en"];

/// How a text is to be found on its page.
#[derive(Debug, Clone, Copy)]
enum Shown {
    /// Somewhere in the page's text.
    Text,
    /// A link with exactly this text, whose address starts with the given one.
    Link(&'static str),
    /// A field's label with exactly this text.
    Label,
    /// A button (or a link styled as one) with exactly this text.
    Button,
    /// Nowhere on the page (a text the guide's pages no longer say).
    Absent,
}

/// One text of the guide: on which page (its step id), what it is, how it is shown, and its
/// wording in nl, fr, de and en.
struct GuideText {
    page: &'static str,
    what: &'static str,
    shown: Shown,
    texts: [&'static str; 4],
}

const fn text(
    page: &'static str,
    what: &'static str,
    shown: Shown,
    texts: [&'static str; 4],
) -> GuideText {
    GuideText {
        page,
        what,
        shown,
        texts,
    }
}

/// The guide's texts (dates for a sunset on 31 January 2027, the French with its no-break spaces).
const GUIDE: &[GuideText] = &[
    text(
        "login",
        "a key is strictly personal",
        Shown::Text,
        [
            "Uw digitale sleutel is strikt persoonlijk.",
            "Votre clé numérique est strictement personnelle.",
            "Ihr digitaler Schlüssel ist streng persönlich.",
            "Your digital key is strictly personal.",
        ],
    ),
    text(
        "login",
        "using someone else's key is a criminal offence",
        Shown::Text,
        [
            "De digitale sleutel van iemand anders gebruiken is een misdrijf.",
            "Utiliser la clé numérique d'une autre personne est une infraction pénale.",
            "Den digitalen Schlüssel einer anderen Person zu verwenden, ist eine Straftat.",
            "Using someone else's digital key is a criminal offence.",
        ],
    ),
    text(
        "login",
        "the panel's heading",
        Shown::Text,
        [
            "Meer informatie",
            "Plus d'informations",
            "Weitere Informationen",
            "More information",
        ],
    ),
    text(
        "login",
        "the panel's note on the token",
        Shown::Text,
        [
            "Opgelet! U kunt geen nieuwe token meer activeren.",
            "Attention\u{202f}! Vous ne pouvez plus activer de nouveau token.",
            "Achtung! Sie können keinen neuen Token mehr aktivieren.",
            "Note! You cannot activate a new token anymore.",
        ],
    ),
    text(
        "login",
        "the panel: an active token still logs in",
        Shown::Text,
        [
            "Burgers met een actieve token kunnen die blijven gebruiken om zich aan te melden bij online diensten.",
            "Les citoyens qui ont un token actif peuvent continuer à l'utiliser pour se connecter aux services en ligne.",
            "Bürgerinnen und Bürger mit einem aktiven Token können ihn weiterhin verwenden, um sich bei Online-Diensten anzumelden.",
            "Citizens with an active token can continue to use it in order to log into online services.",
        ],
    ),
    text(
        "login",
        "the panel's Sign in here",
        Shown::Link("/keys"),
        [
            "Meld u hier aan",
            "Connectez-vous ici",
            "Melden Sie sich hier an",
            "Sign in here",
        ],
    ),
    text(
        "login.token.unavailable",
        "My digital keys is a link",
        Shown::Link("/keys"),
        [
            "Mijn digitale sleutels",
            "Mes clés numériques",
            "Meine digitalen Schlüssel",
            "My digital keys",
        ],
    ),
    text(
        "login.token.unavailable",
        "the panel's Sign in here",
        Shown::Link("/keys"),
        [
            "Meld u hier aan",
            "Connectez-vous ici",
            "Melden Sie sich hier an",
            "Sign in here",
        ],
    ),
    text(
        "login.token.notice",
        "the sunset's date",
        Shown::Text,
        [
            "31\u{a0}januari\u{a0}2027",
            "31\u{a0}janvier\u{a0}2027",
            "31.\u{a0}Januar\u{a0}2027",
            "31\u{a0}January\u{a0}2027",
        ],
    ),
    text(
        "keys",
        "the header's welcome",
        Shown::Text,
        [
            "Welkom, Jan Peeters",
            "Bienvenue, Jan Peeters",
            "Willkommen, Jan Peeters",
            "Welcome, Jan Peeters",
        ],
    ),
    text(
        "keys",
        "the header's Sign out",
        Shown::Button,
        ["Afmelden", "Se déconnecter", "Abmelden", "Sign out"],
    ),
    text(
        "keys",
        "the tab My digital keys",
        Shown::Link("/keys"),
        [
            "Mijn digitale sleutels",
            "Mes clés numériques",
            "Meine digitalen Schlüssel",
            "My digital keys",
        ],
    ),
    text(
        "keys",
        "the tab My profile",
        Shown::Link("/profile"),
        ["Mijn profiel", "Mon profil", "Mein Profil", "My profile"],
    ),
    text(
        "keys",
        "the tab Info",
        Shown::Link("/info"),
        ["Info", "Info", "Info", "Info"],
    ),
    text(
        "activate.email",
        "Next",
        Shown::Button,
        ["Volgende", "Suivant", "Weiter", "Next"],
    ),
    text(
        "activate.email",
        "Change",
        Shown::Button,
        ["Wijzigen", "Modifier", "Ändern", "Change"],
    ),
    text(
        "activate.select",
        "the recommendation",
        Shown::Text,
        [
            "Met deze digitale sleutels kunt u zich aanmelden bij de meeste online diensten.",
            "Avec ces clés numériques, vous pouvez vous connecter à la plupart des services en ligne.",
            "Mit diesen digitalen Schlüsseln können Sie sich bei den meisten Online-Diensten anmelden.",
            "With these digital keys, you can log into most online services.",
        ],
    ),
    text(
        "activate.select",
        "the recommendation's Why?",
        Shown::Link("/info#levels"),
        ["Waarom?", "Pourquoi\u{202f}?", "Warum?", "Why?"],
    ),
    text(
        "activate.select",
        "Previous",
        Shown::Button,
        ["Vorige", "Précédent", "Zurück", "Previous"],
    ),
    text(
        "activate.select",
        "Next",
        Shown::Button,
        ["Volgende", "Suivant", "Weiter", "Next"],
    ),
    text(
        "activate.email_code",
        "the registration code's label",
        Shown::Label,
        [
            "Registratiecode",
            "Code d'enregistrement",
            "Registrierungscode",
            "Registration code",
        ],
    ),
    text(
        "activate.email_code",
        "one way to a new code: Send a new code",
        Shown::Text,
        [
            "Klik op Nieuwe code versturen.",
            "Cliquez sur Envoyer un nouveau code.",
            "Klicken Sie auf Neuen Code senden.",
            "Press Send a new code.",
        ],
    ),
    text(
        "activate.email_code",
        "no Cancel for a new code",
        Shown::Absent,
        [
            "klik dan op Annuleren en vraag een nieuwe code aan",
            "cliquez sur Annuler et demandez un nouveau code",
            "klicken Sie auf Abbrechen und fordern Sie einen neuen Code an",
            "press Cancel and ask for a new code",
        ],
    ),
    text(
        "activate.app.install",
        "a smartphone or a tablet",
        Shown::Text,
        [
            "uw smartphone of tablet",
            "votre smartphone ou votre tablette",
            "Ihrem Smartphone oder Tablet",
            "your smartphone or tablet",
        ],
    ),
    text(
        "activate.app.install",
        "the store search tip",
        Shown::Text,
        [
            "zoek in de app store op \"authenticator\"",
            "cherchez «\u{a0}authenticator\u{a0}» dans la boutique d'applications",
            "Suchen Sie im App-Store nach „Authenticator“",
            "search the app store for \"authenticator\"",
        ],
    ),
    text(
        "activate.app.install",
        "the App Store",
        Shown::Link("https://apps.apple.com/"),
        ["App Store", "App Store", "App Store", "App Store"],
    ),
    text(
        "activate.app.install",
        "Google Play",
        Shown::Link("https://play.google.com/"),
        ["Google Play", "Google Play", "Google Play", "Google Play"],
    ),
    text(
        "activate.app.pair",
        "the 60 seconds",
        Shown::Text,
        [
            "Deze code blijft maar 60 seconden geldig. Vul de code dus meteen in.",
            "Ce code ne reste valable que 60 secondes. Saisissez-le donc tout de suite.",
            "Dieser Code bleibt nur 60 Sekunden gültig. Geben Sie den Code also sofort ein.",
            "This code remains valid for just 60 seconds. So enter the code right away.",
        ],
    ),
    text(
        "profile",
        "My profile",
        Shown::Text,
        ["Mijn profiel", "Mon profil", "Mein Profil", "My profile"],
    ),
    text(
        "profile",
        "the language of the mails",
        Shown::Text,
        [
            "Taal van onze e-mails",
            "Langue de nos e-mails",
            "Sprache unserer E-Mails",
            "Language of our e-mails",
        ],
    ),
    text(
        "info",
        "the phase-out's date",
        Shown::Text,
        [
            "31\u{a0}januari\u{a0}2027",
            "31\u{a0}janvier\u{a0}2027",
            "31.\u{a0}Januar\u{a0}2027",
            "31\u{a0}January\u{a0}2027",
        ],
    ),
];

/// What a page showed: its text, links, labels and buttons, and what axe-core found.
#[derive(Debug, Default)]
struct Captured {
    text: String,
    links: Vec<(String, String)>,
    labels: Vec<String>,
    buttons: Vec<String>,
    violations: Vec<String>,
}

/// Every page of every language, by (language, step id); or why they could not be walked.
type Walked = Result<BTreeMap<(String, String), Captured>, String>;

/// A browser walking the pages of one language.
struct Walker<'a> {
    client: &'a Client,
    service: &'a Service,
    lang: &'static str,
    axe: &'a str,
    pages: BTreeMap<(String, String), Captured>,
}

impl Walker<'_> {
    async fn goto(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.service.base))
            .await
            .expect("navigate");
    }

    async fn js(&self, script: &str) -> Value {
        self.client.execute(script, vec![]).await.expect("a script")
    }

    /// Clicks `css` and waits for the next page.
    async fn click(&self, css: &str) {
        let control = self
            .client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{}: no {css}: {e}", self.lang));
        self.js("window.__dkOld = true;").await;
        control.click().await.expect("click");
        let started = Instant::now();
        while self
            .js("return !window.__dkOld && document.readyState === 'complete';")
            .await
            != Value::Bool(true)
        {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "{}: {css} led nowhere",
                self.lang
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Clicks a radio button (no new page).
    async fn choose(&self, css: &str) {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{}: no {css}: {e}", self.lang))
            .click()
            .await
            .expect("choose");
    }

    async fn fill(&self, css: &str, text: &str) {
        let input = self
            .client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{}: no {css}: {e}", self.lang));
        input.send_keys(text).await.expect("type");
    }

    /// Keeps what the page shows as `step` (checked), with a screenshot and axe's findings.
    async fn keep(&mut self, step: &str) {
        let shown = self
            .js("return document.body.getAttribute('data-step');")
            .await;
        assert_eq!(shown, json!(step), "{}: the page", self.lang);
        let text = self
            .js("return document.body.textContent;")
            .await
            .as_str()
            .unwrap_or_default()
            .split([' ', '\n', '\t', '\r'])
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let strings = |value: Value| -> Vec<String> {
            value
                .as_array()
                .map(|list| {
                    list.iter()
                        .filter_map(|v| v.as_str().map(|s| s.trim().to_string()))
                        .collect()
                })
                .unwrap_or_default()
        };
        let links = self
            .js("return Array.from(document.querySelectorAll('a')).map(a => [a.textContent.trim(), a.getAttribute('href')]);")
            .await
            .as_array()
            .map(|list| {
                list.iter()
                    .map(|pair| {
                        (
                            pair[0].as_str().unwrap_or_default().to_string(),
                            pair[1].as_str().unwrap_or_default().to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        let labels = strings(
            self.js("return Array.from(document.querySelectorAll('label, legend')).map(l => l.textContent);")
                .await,
        );
        let buttons = strings(
            self.js("return Array.from(document.querySelectorAll('button, a.button')).map(b => b.textContent);")
                .await,
        );
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/e2e/screenshots/guide");
        std::fs::create_dir_all(&dir).expect("screenshot folder");
        let png = self.client.screenshot().await.expect("screenshot");
        std::fs::write(dir.join(format!("{}-{step}.png", self.lang)), png).expect("screenshot");
        self.client
            .execute(self.axe, vec![])
            .await
            .expect("inject axe-core");
        let found = self
            .client
            .execute_async(
                r#"const done = arguments[arguments.length - 1];
                   axe.run(document, { resultTypes: ['violations'] })
                      .then(r => done(r.violations.map(v => v.impact + ' ' + v.id + ': ' + v.help)))
                      .catch(e => done(['axe failed: ' + e]));"#,
                vec![],
            )
            .await
            .expect("run axe-core");
        self.pages.insert(
            (self.lang.to_string(), step.to_string()),
            Captured {
                text,
                links,
                labels,
                buttons,
                violations: strings(found),
            },
        );
    }

    /// Walks every page of the guide in this language as a token holder.
    async fn walk(&mut self, citizen: &Citizen) {
        self.goto(&format!("/login?lang={}", self.lang)).await;
        self.keep("login").await;
        self.goto("/login/token/unavailable").await;
        self.keep("login.token.unavailable").await;
        self.goto("/login").await;
        self.fill("form.action-submit input[name=username]", &citizen.username)
            .await;
        self.fill("form.action-submit input[name=password]", &citizen.password)
            .await;
        self.choose("form.action-submit input[name=key][value=token]")
            .await;
        self.click("form.action-submit button[type=submit]").await;
        let ask = self
            .js("return document.querySelector('main').textContent;")
            .await;
        let n = ask
            .as_str()
            .unwrap_or_default()
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|w| w.parse::<u8>().ok())
            .find(|n| (1..=24).contains(n))
            .expect("the card code's number");
        self.fill("form.action-submit input[name=code]", &citizen.card[&n])
            .await;
        self.click("form.action-submit button[type=submit]").await;
        self.keep("login.token.notice").await;
        self.click("form.action-close button[type=submit]").await;
        self.keep("keys").await;
        self.click("form.action-activate button[type=submit]").await;
        self.keep("activate.email").await;
        self.click("form.action-confirm button[type=submit]").await;
        self.keep("activate.select").await;
        self.choose("form.action-submit input[name=key][value=email]")
            .await;
        self.click("form.action-submit button[type=submit]").await;
        self.keep("activate.email_code").await;
        self.click("form.action-cancel button[type=submit]").await;
        self.choose("form.action-submit input[name=key][value=app]")
            .await;
        self.click("form.action-submit button[type=submit]").await;
        self.keep("activate.app.install").await;
        self.click("form.action-next button[type=submit]").await;
        self.keep("activate.app.pair").await;
        self.goto("/profile").await;
        self.keep("profile").await;
        self.goto("/info").await;
        self.keep("info").await;
        self.goto("/logged-out").await;
    }
}

/// Walks every page of every language with one browser.
async fn walk_all() -> BTreeMap<(String, String), Captured> {
    let axe = axe_source();
    let (driver, client): (Driver, Client) = start_browser(Mode::Mouse).await;
    let service = Service::start_with(|s| {
        s.token_sunset_at = time::macros::datetime!(2027-01-31 12:00 UTC);
    })
    .await;
    let mut pages = BTreeMap::new();
    for lang in LANGS {
        let citizen = service
            .new_citizen_with(json!({ "lang": lang, "name": "Jan Peeters" }))
            .await;
        let mut walker = Walker {
            client: &client,
            service: &service,
            lang,
            axe: &axe,
            pages: BTreeMap::new(),
        };
        walker.walk(&citizen).await;
        pages.extend(walker.pages);
    }
    let _ = client.close().await;
    drop(driver);
    println!(
        "guide texts: {} pages walked in {} languages, {} texts to find on them",
        pages.len(),
        LANGS.len(),
        GUIDE.len() * LANGS.len()
    );
    pages
}

/// Every language walked once, the first time a trial asks (a walk that fails fails them all,
/// saying why).
fn walked() -> &'static Walked {
    static WALKED: OnceLock<Walked> = OnceLock::new();
    WALKED.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|e| format!("no runtime: {e}"))?;
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            runtime.block_on(walk_all())
        }))
        .map_err(|panic| {
            let why = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "the walk panicked".into());
            format!("THE BROWSER WALK FAILED: {why}")
        })
    })
}

/// Whether `row`'s text in `lang` is on its page as it should be.
fn check(row: &GuideText, lang_index: usize) -> Result<(), Failed> {
    let lang = LANGS[lang_index];
    let pages = walked()
        .as_ref()
        .map_err(|why| Failed::from(why.as_str()))?;
    let page = pages
        .get(&(lang.to_string(), row.page.to_string()))
        .ok_or_else(|| format!("the walk did not reach {}", row.page))?;
    let expected = row.texts[lang_index];
    let found = match row.shown {
        Shown::Text => page.text.contains(expected),
        Shown::Absent => !page.text.contains(expected),
        Shown::Link(href) => page
            .links
            .iter()
            .any(|(text, to)| text == expected && to.starts_with(href)),
        Shown::Label => page.labels.iter().any(|label| label == expected),
        Shown::Button => page.buttons.iter().any(|button| button == expected),
    };
    if found {
        return Ok(());
    }
    Err(format!(
        "{lang} {}: {:?} {:?} ({:?}) not as expected.\nlinks: {:?}\nlabels: {:?}\nbuttons: {:?}\ntext: {}",
        row.page, row.what, expected, row.shown, page.links, page.labels, page.buttons, page.text
    )
    .into())
}

/// Whether axe-core found nothing on `page` in `lang`.
fn accessible(lang: &str, page: &str) -> Result<(), Failed> {
    let pages = walked()
        .as_ref()
        .map_err(|why| Failed::from(why.as_str()))?;
    let captured = pages
        .get(&(lang.to_string(), page.to_string()))
        .ok_or_else(|| format!("the walk did not reach {page}"))?;
    if captured.violations.is_empty() {
        Ok(())
    } else {
        Err(format!("axe-core on {lang} {page}: {:?}", captured.violations).into())
    }
}

fn main() {
    let args = Arguments::from_args();
    let mut trials = Vec::new();
    for row in GUIDE {
        for (index, lang) in LANGS.iter().enumerate() {
            trials.push(Trial::test(
                format!("{} · {} [{lang}]", row.page, row.what),
                move || check(row, index),
            ));
        }
    }
    let mut pages: Vec<&str> = GUIDE.iter().map(|row| row.page).collect();
    pages.dedup();
    for page in pages {
        for lang in LANGS {
            trials.push(Trial::test(
                format!("{page} · no accessibility violation [{lang}]"),
                move || accessible(lang, page),
            ));
        }
    }
    libtest_mimic::run(&args, trials).exit();
}
