//! Translations for nl, fr, de and en (Fluent), dates on the Brussels calendar, and the language a request asks for.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::collections::HashMap;
use std::sync::OnceLock;

pub use keys_domain::lang::Lang;

/// The translations of `lang`, as Fluent source: the citizens' pages and mails, then the
/// registration offices' (`i18n/office/`).
fn source(lang: Lang) -> &'static str {
    match lang {
        Lang::Nl => concat!(
            include_str!("../i18n/nl.ftl"),
            "\n",
            include_str!("../i18n/office/nl.ftl")
        ),
        Lang::Fr => concat!(
            include_str!("../i18n/fr.ftl"),
            "\n",
            include_str!("../i18n/office/fr.ftl")
        ),
        Lang::De => concat!(
            include_str!("../i18n/de.ftl"),
            "\n",
            include_str!("../i18n/office/de.ftl")
        ),
        Lang::En => concat!(
            include_str!("../i18n/en.ftl"),
            "\n",
            include_str!("../i18n/office/en.ftl")
        ),
    }
}

type Bundle = FluentBundle<FluentResource>;

/// Each language's bundle, and the text of every message that takes no argument, formatted once
/// (a page asks for dozens of texts: formatting them on every request was a large part of its CPU).
struct Translations {
    bundle: Bundle,
    plain: HashMap<String, String>,
}

fn bundles() -> &'static HashMap<Lang, Translations> {
    static BUNDLES: OnceLock<HashMap<Lang, Translations>> = OnceLock::new();
    BUNDLES.get_or_init(|| {
        Lang::ALL
            .into_iter()
            .map(|lang| {
                let resource = match FluentResource::try_new(source(lang).to_string()) {
                    Ok(resource) => resource,
                    // The test `every_language_parses_and_has_every_message` guards this.
                    Err((resource, errors)) => {
                        tracing::error!(lang = lang.code(), ?errors, "translation file has errors");
                        resource
                    }
                };
                let ids: Vec<String> = resource
                    .entries()
                    .filter_map(|entry| match entry {
                        fluent_syntax::ast::Entry::Message(message) => {
                            Some(message.id.name.to_string())
                        }
                        _ => None,
                    })
                    .collect();
                let id = lang.code().parse().unwrap_or_default();
                let mut bundle = Bundle::new_concurrent(vec![id]);
                bundle.set_use_isolating(false);
                if let Err(errors) = bundle.add_resource(resource) {
                    tracing::error!(
                        lang = lang.code(),
                        ?errors,
                        "translation file has duplicates"
                    );
                }
                let plain = ids
                    .into_iter()
                    .filter_map(|id| {
                        let pattern = bundle.get_message(&id)?.value()?;
                        let mut errors = Vec::new();
                        let text = bundle.format_pattern(pattern, None, &mut errors);
                        // A message that needs arguments is formatted with them, each time.
                        errors.is_empty().then(|| (id, text.into_owned()))
                    })
                    .collect();
                (lang, Translations { bundle, plain })
            })
            .collect()
    })
}

/// The text of message `id` in `lang`, with `args` filled in. A missing message shows its id.
pub fn t_args(lang: Lang, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    let Some(translations) = bundles().get(&lang) else {
        return id.to_string();
    };
    if args.is_empty()
        && let Some(text) = translations.plain.get(id)
    {
        return text.clone();
    }
    let bundle = &translations.bundle;
    let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
        tracing::warn!(lang = lang.code(), id, "missing translation");
        return id.to_string();
    };
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        fluent_args.set(*name, value.clone());
    }
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
    if !errors.is_empty() {
        tracing::warn!(
            lang = lang.code(),
            id,
            ?errors,
            "translation could not be formatted"
        );
    }
    text.into_owned()
}

/// The text of message `id` in `lang`.
pub fn t(lang: Lang, id: &str) -> String {
    t_args(lang, id, &[])
}

/// The time zone the citizens live in: dates are shown as their calendar has them.
pub const DISPLAY_TIME_ZONE: &str = keys_domain::calendar::TIME_ZONE;

/// The months' names, January first, as each language writes them in a date.
fn month_name(lang: Lang, month: i8) -> &'static str {
    const NL: [&str; 12] = [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ];
    const FR: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    const DE: [&str; 12] = [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ];
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let names = match lang {
        Lang::Nl => &NL,
        Lang::Fr => &FR,
        Lang::De => &DE,
        Lang::En => &EN,
    };
    let index = usize::try_from(month.clamp(1, 12) - 1).unwrap_or_default();
    names[index]
}

/// A date as people in that language write it (31 januari 2027, 31 janvier 2027, 31. Januar
/// 2027, 31 January 2027; the French first of the month is *1er*), on the calendar of
/// [`DISPLAY_TIME_ZONE`]. Between the day, the month and the year are no-break spaces: a date
/// never breaks over two lines.
pub fn format_date(lang: Lang, epoch_seconds: i64) -> String {
    let Ok(instant) = time::OffsetDateTime::from_unix_timestamp(epoch_seconds) else {
        return String::new();
    };
    let day = keys_domain::calendar::local_date(instant);
    let (d, m, y) = (day.day(), u8::from(day.month()) as i8, day.year());
    let month = month_name(lang, m);
    match lang {
        Lang::Fr if d == 1 => format!("1er\u{a0}{month}\u{a0}{y}"),
        Lang::De => format!("{d}.\u{a0}{month}\u{a0}{y}"),
        _ => format!("{d}\u{a0}{month}\u{a0}{y}"),
    }
}

/// Every message id of a language, for the completeness test.
pub fn message_ids(lang: Lang) -> Vec<String> {
    let Ok(resource) = FluentResource::try_new(source(lang).to_string()) else {
        return Vec::new();
    };
    resource
        .entries()
        .filter_map(|entry| match entry {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_those_of_the_citizens_calendar() {
        // Midnight of 1 April 2027 in Brussels (summer time) is still 31 March in UTC.
        let first_of_april = time::macros::datetime!(2027-03-31 22:00 UTC).unix_timestamp();
        let spaced = |text: &str| text.replace(' ', "\u{a0}");
        assert_eq!(
            format_date(Lang::Nl, first_of_april),
            spaced("1 april 2027")
        );
        assert_eq!(
            format_date(Lang::Fr, first_of_april),
            spaced("1er avril 2027")
        );
        assert_eq!(
            format_date(Lang::De, first_of_april),
            spaced("1. April 2027")
        );
        assert_eq!(
            format_date(Lang::En, first_of_april),
            spaced("1 April 2027")
        );
        // In winter Brussels is one hour ahead.
        let new_year = time::macros::datetime!(2026-12-31 23:30 UTC).unix_timestamp();
        assert_eq!(format_date(Lang::Nl, new_year), spaced("1 januari 2027"));
        let still_old_year = time::macros::datetime!(2026-12-31 22:30 UTC).unix_timestamp();
        assert_eq!(
            format_date(Lang::Nl, still_old_year),
            spaced("31 december 2026")
        );
        let end_of_january = time::macros::datetime!(2027-01-31 12:00 UTC).unix_timestamp();
        for (lang, expected) in [
            (Lang::En, "31 January 2027"),
            (Lang::Fr, "31 janvier 2027"),
            (Lang::Nl, "31 januari 2027"),
            (Lang::De, "31. Januar 2027"),
        ] {
            assert_eq!(
                format_date(lang, end_of_january),
                spaced(expected),
                "{lang:?}"
            );
        }
        assert_eq!(
            keys_domain::calendar::zone_name(),
            Some(DISPLAY_TIME_ZONE),
            "the embedded zone is the one named"
        );
    }

    #[test]
    fn french_punctuation_keeps_its_no_break_space() {
        // A no-break space (or a narrow one) before ? ! ; : and », after «: never a line that
        // starts with the mark alone.
        let mut wrong = Vec::new();
        for id in message_ids(Lang::Fr) {
            let text = t(Lang::Fr, &id);
            let chars: Vec<char> = text.chars().collect();
            for (at, c) in chars.iter().enumerate() {
                let before = at.checked_sub(1).map(|b| chars[b]);
                let after = chars.get(at + 1).copied();
                let spaced = |other: Option<char>| matches!(other, Some('\u{a0}' | '\u{202f}'));
                let ok = match c {
                    '?' | '!' | ';' | ':' | '»' => spaced(before),
                    '«' => spaced(after),
                    _ => true,
                };
                if !ok {
                    wrong.push(format!(
                        "{id}: …{}…",
                        chars[at.saturating_sub(12)..at + 1]
                            .iter()
                            .collect::<String>()
                    ));
                }
            }
        }
        assert!(wrong.is_empty(), "French typography: {wrong:#?}");
    }

    #[test]
    fn every_language_parses_and_has_every_message() {
        let english: std::collections::BTreeSet<String> =
            message_ids(Lang::En).into_iter().collect();
        assert!(
            english.len() > 20,
            "the English file should hold the catalogue"
        );
        for lang in Lang::ALL {
            let source = source(lang).to_string();
            assert!(
                FluentResource::try_new(source).is_ok(),
                "{} has syntax errors",
                lang.code()
            );
            let ids: std::collections::BTreeSet<String> = message_ids(lang).into_iter().collect();
            let missing: Vec<_> = english.difference(&ids).collect();
            let extra: Vec<_> = ids.difference(&english).collect();
            assert!(missing.is_empty(), "{} lacks {missing:?}", lang.code());
            assert!(
                extra.is_empty(),
                "{} has ids English lacks: {extra:?}",
                lang.code()
            );
        }
    }

    #[test]
    fn translations_differ_between_languages() {
        let titles: std::collections::HashSet<String> =
            Lang::ALL.iter().map(|l| t(*l, "login-title")).collect();
        assert_eq!(titles.len(), 4, "{titles:?}");
    }

    #[test]
    fn arguments_are_filled_in_without_isolation_marks() {
        let text = t_args(Lang::En, "login-token-ask", &[("n", 18.into())]);
        assert!(text.contains("18"), "{text}");
        assert!(!text.contains('\u{2068}'));
    }

    #[test]
    fn accept_language_honours_quality_and_order() {
        assert_eq!(
            Lang::from_accept_language("fr-BE,fr;q=0.9,en;q=0.8"),
            Some(Lang::Fr)
        );
        assert_eq!(
            Lang::from_accept_language("es, de;q=0.5, nl;q=0.7"),
            Some(Lang::Nl)
        );
        assert_eq!(Lang::from_accept_language("en;q=0, de"), Some(Lang::De));
        assert_eq!(Lang::from_accept_language("nl, fr"), Some(Lang::Nl));
        assert_eq!(Lang::from_accept_language("es, it"), None);
        assert_eq!(Lang::from_accept_language(""), None);
    }

    #[test]
    fn codes_parse_with_regions() {
        assert_eq!(Lang::parse("nl-BE"), Some(Lang::Nl));
        assert_eq!(Lang::parse("DE"), Some(Lang::De));
        assert_eq!(Lang::parse("xx"), None);
    }
}
