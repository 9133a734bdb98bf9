//! The e-mails the service sends, in the citizen's language, each with a text and an HTML part.

use crate::i18n::{Lang, t, t_args};
use askama::Template;
use fluent_bundle::FluentValue;
use keys_domain::keys::KeyKind;
use keys_domain::mailer::Mail;
use keys_domain::methods;

/// The HTML part of every mail (auto-escaped).
#[derive(Template)]
#[template(path = "mail.html")]
struct MailHtml<'a> {
    lang: &'a str,
    service: String,
    subject: &'a str,
    greeting: String,
    paragraphs: &'a [String],
    code: Option<&'a str>,
    signature: String,
    footer: String,
}

fn compose(
    lang: Lang,
    to: &str,
    subject_id: &str,
    paragraphs: Vec<String>,
    code: Option<&str>,
) -> Mail {
    compose_titled(lang, to, t(lang, subject_id), paragraphs, code)
}

fn compose_titled(
    lang: Lang,
    to: &str,
    subject: String,
    paragraphs: Vec<String>,
    code: Option<&str>,
) -> Mail {
    let greeting = t(lang, "mail-greeting");
    let signature = t(lang, "mail-signature");
    let footer = t(lang, "mail-footer");
    let mut text = format!("{greeting}\n\n");
    for paragraph in &paragraphs {
        text.push_str(paragraph);
        text.push_str("\n\n");
    }
    if let Some(code) = code {
        text.push_str(&format!("    {code}\n\n"));
    }
    text.push_str(&format!("{signature}\n\n-- \n{footer}\n"));
    let page = MailHtml {
        lang: lang.code(),
        service: t(lang, "service-name"),
        subject: &subject,
        greeting,
        paragraphs: &paragraphs,
        code,
        signature,
        footer,
    };
    let html = page.render().unwrap_or_else(|err| {
        tracing::error!(error = %err, "mail template failed; sending text only");
        String::new()
    });
    Mail {
        to: to.to_string(),
        subject,
        text,
        html,
    }
}

fn minutes(ttl_seconds: i64) -> FluentValue<'static> {
    ((ttl_seconds + 59) / 60).into()
}

fn mail_with_code(lang: Lang, to: &str, kind: &str, code: &str, ttl_seconds: i64) -> Mail {
    let body = t_args(
        lang,
        &format!("mail-{kind}-body"),
        &[("minutes", minutes(ttl_seconds))],
    );
    compose(
        lang,
        to,
        &format!("mail-{kind}-subject"),
        vec![body, t(lang, "mail-never-share"), t(lang, "mail-ignore")],
        Some(code),
    )
}

/// The registration code of step 3 by e-mail.
pub fn registration_code_mail(lang: Lang, to: &str, code: &str, ttl_seconds: i64) -> Mail {
    mail_with_code(lang, to, "registration", code, ttl_seconds)
}

/// The code that verifies a new address, sent to that address.
pub fn email_change_code_mail(lang: Lang, to: &str, code: &str, ttl_seconds: i64) -> Mail {
    mail_with_code(lang, to, "change", code, ttl_seconds)
}

/// The code to log on with the e-mail key.
/// The recovery code of *Forgotten your password?*, sent to the registered address.
pub fn recovery_code_mail(lang: Lang, to: &str, code: &str, ttl_seconds: i64) -> Mail {
    mail_with_code(lang, to, "recovery", code, ttl_seconds)
}

pub fn login_code_mail(lang: Lang, to: &str, code: &str, ttl_seconds: i64) -> Mail {
    mail_with_code(lang, to, "login", code, ttl_seconds)
}

/// What to do if the change was not the citizen's: the help desk, and how to reach it.
fn not_you(lang: Lang, help_desk: &str) -> String {
    t_args(
        lang,
        "mail-not-you",
        &[("contact", help_desk.to_string().into())],
    )
}

/// The usernames registered with an address, sent to it when a citizen forgot theirs.
pub fn usernames_mail(lang: Lang, to: &str, usernames: &[String]) -> Mail {
    let body = t_args(
        lang,
        "mail-usernames-body",
        &[("usernames", usernames.join(", ").into())],
    );
    compose(
        lang,
        to,
        "mail-usernames-subject",
        vec![body, t(lang, "mail-usernames-not-asked")],
        None,
    )
}

/// Tells the old address that the address was changed (to a partly hidden new one).
pub fn email_changed(lang: Lang, old_address: &str, new_address: &str, help_desk: &str) -> Mail {
    let body = t_args(
        lang,
        "mail-changed-body",
        &[("address", hide_address(new_address).into())],
    );
    compose(
        lang,
        old_address,
        "mail-changed-subject",
        vec![body, not_you(lang, help_desk)],
        None,
    )
}

/// Tells the citizen the token was deactivated.
pub fn token_deactivated(lang: Lang, to: &str, help_desk: &str) -> Mail {
    compose(
        lang,
        to,
        "mail-token-off-subject",
        vec![t(lang, "mail-token-off-body"), not_you(lang, help_desk)],
        None,
    )
}

/// Tells the citizen which key was activated.
pub fn key_activated(lang: Lang, to: &str, key: KeyKind, help_desk: &str) -> Mail {
    let body = t_args(
        lang,
        "mail-key-on-body",
        &[("key", t(lang, methods::of(key).name_id()).into())],
    );
    compose(
        lang,
        to,
        "mail-key-on-subject",
        vec![body, not_you(lang, help_desk)],
        None,
    )
}

/// Tells the citizen the password was changed (and what to do if it was not them).
pub fn password_changed(lang: Lang, to: &str, help_desk: &str) -> Mail {
    compose(
        lang,
        to,
        "mail-password-subject",
        vec![t(lang, "mail-password-body"), not_you(lang, help_desk)],
        None,
    )
}

/// Tells the citizen the password was reset through *Forgotten your password?* (a code mailed here
/// and a second key), that every session ended, and what to do if it was not them.
pub fn password_reset(lang: Lang, to: &str, help_desk: &str) -> Mail {
    compose(
        lang,
        to,
        "mail-reset-subject",
        vec![t(lang, "mail-reset-body"), not_you(lang, help_desk)],
        None,
    )
}

/// The link of an activation letter, mailed to the citizen's personal address; the code that
/// goes with it is only on the paper letter handed over at the office.
pub fn letter_link_mail(
    lang: Lang,
    to: &str,
    url: &str,
    valid_until: i64,
    help_desk: &str,
) -> Mail {
    compose(
        lang,
        to,
        "mail-letter-subject",
        vec![
            t(lang, "mail-letter-body"),
            url.to_string(),
            t_args(
                lang,
                "mail-letter-valid",
                &[("date", crate::i18n::format_date(lang, valid_until).into())],
            ),
            t_args(
                lang,
                "mail-letter-not-you",
                &[("contact", help_desk.to_string().into())],
            ),
        ],
        None,
    )
}

/// Reminds a token holder of the sunset (`sunset`, epoch seconds) and of the two ways to switch.
/// No link: citizens are told to go to the site themselves, as the phishing advice says.
pub fn reminder(lang: Lang, to: &str, sunset: i64) -> Mail {
    let date = || -> [(&str, FluentValue<'static>); 1] {
        [("date", crate::i18n::format_date(lang, sunset).into())]
    };
    compose_titled(
        lang,
        to,
        t_args(lang, "mail-reminder-subject", &date()),
        vec![
            t_args(lang, "mail-reminder-body", &date()),
            t(lang, "mail-reminder-how"),
            t(lang, "mail-reminder-no-link"),
        ],
        None,
    )
}

/// An address with most of its local part hidden: `jan.peeters@example.be` → `j***s@example.be`.
pub fn hide_address(address: &str) -> String {
    match address.rsplit_once('@') {
        Some((local, domain)) => {
            let chars: Vec<char> = local.chars().collect();
            match chars.as_slice() {
                [] => format!("***@{domain}"),
                [only] => format!("{only}***@{domain}"),
                [first, .., last] => format!("{first}***{last}@{domain}"),
            }
        }
        None => "***".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reminder_names_the_sunset_in_the_citizens_calendar_and_both_new_keys() {
        let sunset = time::macros::datetime!(2027-04-01 00:00 UTC).unix_timestamp();
        let nl = reminder(Lang::Nl, "a@example.org", sunset);
        // Dates as each language writes them, the day, month and year held together.
        assert!(
            nl.subject.contains("1\u{a0}april\u{a0}2027"),
            "{}",
            nl.subject
        );
        assert!(nl.text.contains("1\u{a0}april\u{a0}2027") && nl.text.contains("e-mail"));
        assert!(nl.text.contains("authenticator-app"));
        let fr = reminder(Lang::Fr, "a@example.org", sunset);
        assert!(
            fr.subject.contains("1er\u{a0}avril\u{a0}2027"),
            "{}",
            fr.subject
        );
        let de = reminder(Lang::De, "a@example.org", sunset);
        assert!(
            de.subject.contains("1.\u{a0}April\u{a0}2027"),
            "{}",
            de.subject
        );
        for lang in Lang::ALL {
            let mail = reminder(lang, "a@example.org", sunset);
            assert!(!mail.subject.contains('{') && !mail.text.contains('{'));
            assert!(!mail.text.contains("http"), "no link: {}", mail.text);
        }
    }

    #[test]
    fn the_letter_mail_carries_its_link_and_the_help_desk_but_never_a_code() {
        let url = "https://keys.example/activation?c=abc&t=def";
        for lang in Lang::ALL {
            let mail = letter_link_mail(lang, "a@example.org", url, 1_806_537_600, HELP);
            assert!(mail.text.contains(url), "{lang:?}: {}", mail.text);
            assert!(mail.html.contains("https://keys.example/activation?c=abc"));
            assert!(mail.text.contains(HELP), "{lang:?}: {}", mail.text);
            assert!(
                !mail
                    .text
                    .split_whitespace()
                    .any(|w| w.len() == 6 && w.bytes().all(|b| b.is_ascii_digit())),
                "no code in the mail"
            );
        }
    }

    #[test]
    fn every_mail_exists_in_every_language_with_both_parts() {
        for lang in Lang::ALL {
            let mails = [
                registration_code_mail(lang, "a@example.org", "123456", 300),
                email_change_code_mail(lang, "a@example.org", "123456", 300),
                login_code_mail(lang, "a@example.org", "123456", 300),
                email_changed(lang, "a@example.org", "new.address@example.org", HELP),
                token_deactivated(lang, "a@example.org", HELP),
                key_activated(lang, "a@example.org", KeyKind::Email, HELP),
                key_activated(lang, "a@example.org", KeyKind::App, HELP),
                reminder(lang, "a@example.org", 1_806_537_600),
                password_changed(lang, "a@example.org", HELP),
                usernames_mail(lang, "a@example.org", &["jan.peeters".into(), "jp2".into()]),
                letter_link_mail(
                    lang,
                    "a@example.org",
                    "https://keys.example/activation?c=abc&t=def",
                    1_806_537_600,
                    HELP,
                ),
            ];
            for mail in &mails {
                assert!(
                    !mail.subject.starts_with("mail-"),
                    "{lang:?}: {}",
                    mail.subject
                );
                assert!(!mail.text.contains("mail-"), "{lang:?}: {}", mail.text);
                assert!(
                    mail.html
                        .contains(&format!("<html lang=\"{}\">", lang.code()))
                );
            }
            assert!(mails[0].text.contains("123456") && mails[0].html.contains("123456"));
            assert!(
                mails[0].text.contains('5'),
                "says the minutes: {}",
                mails[0].text
            );
            assert!(mails[3].text.contains("n***s@example.org"));
            assert!(!mails[3].text.contains("new.address"));
            assert_ne!(
                mails[5].text, mails[6].text,
                "names the key really activated"
            );
            assert!(mails[6].text.contains(&t(lang, "key-app")));
            assert!(
                mails[9].text.contains("jan.peeters, jp2"),
                "{}",
                mails[9].text
            );
            for notice in [&mails[3], &mails[4], &mails[5], &mails[6], &mails[8]] {
                assert!(
                    notice.text.contains(HELP) && notice.html.contains(HELP),
                    "{lang:?}: the notice says how to reach the help desk: {}",
                    notice.text
                );
            }
        }
    }

    /// How the tests' help desk is reached.
    const HELP: &str = "02 123 45 67";

    #[test]
    fn addresses_are_partly_hidden() {
        assert_eq!(hide_address("jan.peeters@example.be"), "j***s@example.be");
        assert_eq!(hide_address("j@example.be"), "j***@example.be");
        assert_eq!(hide_address("nonsense"), "***");
    }
}
