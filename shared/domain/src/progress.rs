//! The phase-out's figures: day counters written in the same transaction as the events they count (spread over shard items), the index of token holders, and the forecast at the sunset; read without a scan.
//!
//! Every commit of a citizen's record that counts something adds to one item,
//! `progress#<shard>` / `day#<YYYY-MM-DD>` (UTC day), of a shard picked at random, so a deadline
//! surge spreads over [`SHARDS`] items. Reading them all is one query per shard. The number of
//! token holders is the sum of `token_added - token_retired` over every day, so it needs no item
//! of its own that every import and switch would write.
//!
//! The token holders themselves are listed in an index kept by the same transactions: an item
//! `holders#<shard>` / `<ck>` per citizen whose token is active, put when the citizen is enrolled
//! or imported and deleted when the token is deactivated. The reminders read it shard by shard.

use crate::app::App;
use crate::keys::KeyKind;
use crate::lang::Lang;
use crate::store::{Change, StoreError, Write};
use std::collections::BTreeMap;
use time::{Date, OffsetDateTime};

/// How many items the counters of one day, and the holders' index, are spread over.
pub const SHARDS: u32 = 16;

const PROGRESS_PK: &str = "progress#";
const DAY_SK: &str = "day#";
const HOLDERS_PK: &str = "holders#";

/// The days over which the pace of switching is measured for the forecast.
pub const PACE_DAYS: i64 = 14;

/// A choice on the phase-out notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeChoice {
    /// *Activate a new digital key now*.
    Activate,
    /// *Log in with another digital key*.
    OtherKey,
    /// *Close*: on with the token.
    Close,
}

/// An event the phase-out's figures count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counted {
    /// A citizen with an active token was enrolled or imported.
    TokenHolderAdded,
    /// A citizen's token was deactivated (by a switch to another key).
    TokenRetired,
    /// A key was activated (the e-mail key or the app).
    KeyActivated(KeyKind),
    /// A login ended in a session with this key.
    LoggedIn(KeyKind),
    /// The right card code showed the phase-out notice.
    NoticeShown,
    /// A choice made on the notice.
    NoticeChoice(NoticeChoice),
    /// A reminder was queued for a token holder.
    Reminded,
    /// A token login in the grace window after the sunset (into the wizard only).
    GraceLogin,
    /// A token holder of this language was added (beside [`Counted::TokenHolderAdded`]).
    TokenHolderAddedIn(Lang),
    /// A token of a citizen of this language was retired (beside [`Counted::TokenRetired`]).
    TokenRetiredIn(Lang),
    /// A citizen who had been reminded switched to another key.
    SwitchedAfterReminder,
}

impl Counted {
    /// The counter's attribute on the day item.
    pub fn attr(self) -> &'static str {
        match self {
            Counted::TokenHolderAdded => "token_added",
            Counted::TokenRetired => "token_retired",
            Counted::KeyActivated(KeyKind::Email) => "activated_email",
            Counted::KeyActivated(KeyKind::App) => "activated_app",
            Counted::KeyActivated(KeyKind::Token) => "activated_token",
            Counted::LoggedIn(KeyKind::Token) => "login_token",
            Counted::LoggedIn(KeyKind::Email) => "login_email",
            Counted::LoggedIn(KeyKind::App) => "login_app",
            Counted::NoticeShown => "notice_shown",
            Counted::GraceLogin => "grace_login",
            Counted::NoticeChoice(NoticeChoice::Activate) => "notice_activate",
            Counted::NoticeChoice(NoticeChoice::OtherKey) => "notice_other_key",
            Counted::NoticeChoice(NoticeChoice::Close) => "notice_close",
            Counted::Reminded => "reminded",
            Counted::TokenHolderAddedIn(Lang::Nl) => "token_added_nl",
            Counted::TokenHolderAddedIn(Lang::Fr) => "token_added_fr",
            Counted::TokenHolderAddedIn(Lang::De) => "token_added_de",
            Counted::TokenHolderAddedIn(Lang::En) => "token_added_en",
            Counted::TokenRetiredIn(Lang::Nl) => "token_retired_nl",
            Counted::TokenRetiredIn(Lang::Fr) => "token_retired_fr",
            Counted::TokenRetiredIn(Lang::De) => "token_retired_de",
            Counted::TokenRetiredIn(Lang::En) => "token_retired_en",
            Counted::SwitchedAfterReminder => "switched_after_reminder",
        }
    }
}

/// What one commit counts, added to one day item in the same transaction.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally(BTreeMap<&'static str, i64>);

impl Tally {
    pub fn count(&mut self, counted: Counted) {
        *self.0.entry(counted.attr()).or_insert(0) += 1;
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The write that adds the tally to today's item of a random shard.
    pub fn write(&self, app: &App) -> Option<Write> {
        if self.0.is_empty() {
            return None;
        }
        let shard = rand::random::<u32>() % SHARDS;
        let mut change = Change::new();
        for (attr, by) in &self.0 {
            change = change.add(attr, *by);
        }
        Some(Write::Update {
            pk: format!("{PROGRESS_PK}{shard}"),
            sk: day_sk(crate::calendar::local_date(app.clock.now())),
            change,
            condition: None,
        })
    }
}

fn day_sk(day: Date) -> String {
    format!("{DAY_SK}{}", iso_day(day))
}

/// A day as `YYYY-MM-DD`.
pub fn iso_day(day: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        day.year(),
        u8::from(day.month()),
        day.day()
    )
}

/// A `YYYY-MM-DD` day, as [`iso_day`] writes it.
pub fn parse_day(text: &str) -> Option<Date> {
    let mut parts = text.splitn(3, '-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.parse().ok()?;
    Date::from_calendar_date(year, time::Month::try_from(month).ok()?, day).ok()
}

/// The holders' index shard of the citizen with key `ck` (a keyed hash in base64url: uniform).
pub fn holder_shard(ck: &str) -> u32 {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let first = ck.bytes().next().unwrap_or(b'A');
    let index = ALPHABET.iter().position(|b| *b == first).unwrap_or(0);
    u32::try_from(index).unwrap_or(0) % SHARDS
}

/// The index item that lists the citizen with key `ck` as a token holder.
pub fn holder_put(ck: &str) -> Write {
    Write::Put {
        item: crate::store::Item::new(format!("{HOLDERS_PK}{}", holder_shard(ck)), ck),
        condition: None,
    }
}

/// Takes the citizen with key `ck` off the token holders' index.
pub fn holder_delete(ck: &str) -> Write {
    Write::Delete {
        pk: format!("{HOLDERS_PK}{}", holder_shard(ck)),
        sk: ck.to_string(),
        condition: None,
    }
}

/// The citizen keys listed in one shard of the token holders' index (one query).
pub async fn holders_in_shard(app: &App, shard: u32) -> Result<Vec<String>, StoreError> {
    Ok(app
        .store
        .query(&format!("{HOLDERS_PK}{shard}"), "")
        .await?
        .into_iter()
        .map(|item| item.sk)
        .collect())
}

/// One day's counters, summed over the shards.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct DayCounts {
    pub token_added: i64,
    pub token_retired: i64,
    pub activated_email: i64,
    pub activated_app: i64,
    pub login_token: i64,
    pub login_email: i64,
    pub login_app: i64,
    pub notice_shown: i64,
    pub notice_activate: i64,
    pub notice_other_key: i64,
    pub notice_close: i64,
    pub reminded: i64,
    /// Token logins in the grace window after the sunset, each into the wizard only.
    pub grace_login: i64,
    /// Token holders added and tokens retired, by the citizen's language (nl, fr, de, en).
    pub by_lang: BTreeMap<String, LangCounts>,
    /// Reminded citizens who switched to another key afterwards.
    pub switched_after_reminder: i64,
}

/// One language's share of a day's counters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct LangCounts {
    pub token_added: i64,
    pub token_retired: i64,
}

impl DayCounts {
    fn add(&mut self, item: &crate::store::Item) {
        let n = |name: &str| item.n(name).unwrap_or(0);
        self.token_added += n("token_added");
        self.token_retired += n("token_retired");
        self.activated_email += n("activated_email");
        self.activated_app += n("activated_app");
        self.login_token += n("login_token");
        self.login_email += n("login_email");
        self.login_app += n("login_app");
        self.notice_shown += n("notice_shown");
        self.notice_activate += n("notice_activate");
        self.notice_other_key += n("notice_other_key");
        self.notice_close += n("notice_close");
        self.reminded += n("reminded");
        self.grace_login += n("grace_login");
        self.switched_after_reminder += n("switched_after_reminder");
        for lang in Lang::ALL {
            let added = n(Counted::TokenHolderAddedIn(lang).attr());
            let retired = n(Counted::TokenRetiredIn(lang).attr());
            if added != 0 || retired != 0 {
                let counts = self.by_lang.entry(lang.code().to_string()).or_default();
                counts.token_added += added;
                counts.token_retired += retired;
            }
        }
    }
}

/// Every day's counters, oldest first, with the token's sunset and the day they were read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figures {
    pub days: BTreeMap<Date, DayCounts>,
    pub today: Date,
    pub sunset: OffsetDateTime,
}

/// Reads every day's counters: one query per shard, never a scan.
pub async fn read(app: &App) -> Result<Figures, StoreError> {
    let mut days: BTreeMap<Date, DayCounts> = BTreeMap::new();
    for shard in 0..SHARDS {
        for item in app
            .store
            .query(&format!("{PROGRESS_PK}{shard}"), DAY_SK)
            .await?
        {
            let Some(day) = item.sk.strip_prefix(DAY_SK).and_then(parse_day) else {
                continue;
            };
            days.entry(day).or_default().add(&item);
        }
    }
    Ok(Figures {
        days,
        today: crate::calendar::local_date(app.clock.now()),
        sunset: app.settings.token_sunset_at,
    })
}

/// How many will still hold a token at the sunset, at the pace of the last [`PACE_DAYS`] days.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Forecast {
    /// Citizens with an active token now.
    pub token_holders: i64,
    /// Tokens retired per day, on average over the last [`PACE_DAYS`] days (today included).
    pub retired_per_day: f64,
    /// Whole days from today to the sunset's day (0 on or after it).
    pub days_to_sunset: i64,
    /// Citizens still holding a token at the sunset if the pace holds.
    pub token_holders_at_sunset: i64,
    /// The day the last token would be retired at this pace, if there is a pace.
    #[serde(serialize_with = "serialize_day")]
    pub all_switched_on: Option<Date>,
}

fn serialize_day<S: serde::Serializer>(day: &Option<Date>, to: S) -> Result<S::Ok, S::Error> {
    match day {
        Some(day) => to.serialize_str(&iso_day(*day)),
        None => to.serialize_none(),
    }
}

impl Figures {
    /// Citizens whose token is active: every token added minus every token retired.
    pub fn token_holders(&self) -> i64 {
        self.days
            .values()
            .map(|d| d.token_added - d.token_retired)
            .sum()
    }

    /// The token holders at the end of each day from the first counted day to today.
    pub fn token_holders_by_day(&self) -> Vec<(Date, i64)> {
        let Some(first) = self.days.keys().next().copied() else {
            return Vec::new();
        };
        let mut held = 0;
        let mut curve = Vec::new();
        let mut day = first;
        while day <= self.today {
            if let Some(counts) = self.days.get(&day) {
                held += counts.token_added - counts.token_retired;
            }
            curve.push((day, held));
            match day.next_day() {
                Some(next) => day = next,
                None => break,
            }
        }
        curve
    }

    /// The days from the first counted one to today, each with its counters (zero when none).
    pub fn every_day(&self) -> Vec<(Date, DayCounts)> {
        self.token_holders_by_day()
            .into_iter()
            .map(|(day, _)| (day, self.days.get(&day).cloned().unwrap_or_default()))
            .collect()
    }

    /// The forecast at the sunset, at the pace of the last [`PACE_DAYS`] days.
    pub fn forecast(&self) -> Forecast {
        let holders = self.token_holders();
        let since = self.today - time::Duration::days(PACE_DAYS - 1);
        let retired: i64 = self
            .days
            .range(since..=self.today)
            .map(|(_, d)| d.token_retired)
            .sum();
        // A pace over fewer days when the counting began less than PACE_DAYS ago.
        let counted_days = match self.days.keys().next() {
            Some(first) if *first > since => (self.today - *first).whole_days() + 1,
            Some(_) => PACE_DAYS,
            None => 1,
        }
        .max(1);
        let per_day = retired as f64 / counted_days as f64;
        let days_to_sunset = (crate::calendar::local_date(self.sunset) - self.today)
            .whole_days()
            .max(0);
        let at_sunset = (holders as f64 - per_day * days_to_sunset as f64)
            .ceil()
            .max(0.0) as i64;
        let all_switched_on = (per_day > 0.0 && holders > 0)
            .then(|| {
                let days = (holders as f64 / per_day).ceil() as i64;
                self.today.checked_add(time::Duration::days(days))
            })
            .flatten();
        Forecast {
            token_holders: holders,
            retired_per_day: (per_day * 100.0).round() / 100.0,
            days_to_sunset,
            token_holders_at_sunset: if days_to_sunset == 0 {
                holders
            } else {
                at_sunset
            },
            all_switched_on,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    fn figures(days: &[(Date, i64, i64)], today: Date) -> Figures {
        Figures {
            days: days
                .iter()
                .map(|(day, added, retired)| {
                    (
                        *day,
                        DayCounts {
                            token_added: *added,
                            token_retired: *retired,
                            ..DayCounts::default()
                        },
                    )
                })
                .collect(),
            today,
            sunset: datetime!(2027-01-01 00:00 UTC),
        }
    }

    #[test]
    fn holders_are_what_was_added_less_what_was_retired_day_by_day() {
        let f = figures(
            &[
                (date!(2026 - 11 - 20), 1000, 0),
                (date!(2026 - 11 - 22), 0, 10),
                (date!(2026 - 11 - 23), 5, 20),
            ],
            date!(2026 - 11 - 24),
        );
        assert_eq!(f.token_holders(), 975);
        assert_eq!(
            f.token_holders_by_day(),
            vec![
                (date!(2026 - 11 - 20), 1000),
                (date!(2026 - 11 - 21), 1000),
                (date!(2026 - 11 - 22), 990),
                (date!(2026 - 11 - 23), 975),
                (date!(2026 - 11 - 24), 975),
            ]
        );
        assert_eq!(f.every_day().len(), 5);
    }

    #[test]
    fn the_forecast_follows_the_pace_of_the_last_fortnight() {
        // 1,000 holders; 140 retired over the last 14 days: 10 a day; 38 days to the sunset.
        let mut days = vec![(date!(2026 - 10 - 01), 1140, 0)];
        let mut day = date!(2026 - 11 - 11);
        for _ in 0..14 {
            days.push((day, 0, 10));
            day = day.next_day().expect("a next day");
        }
        let f = figures(&days, date!(2026 - 11 - 24));
        let forecast = f.forecast();
        assert_eq!(forecast.token_holders, 1000);
        assert_eq!(forecast.retired_per_day, 10.0);
        assert_eq!(forecast.days_to_sunset, 38);
        assert_eq!(forecast.token_holders_at_sunset, 620);
        assert_eq!(forecast.all_switched_on, Some(date!(2027 - 03 - 04)));
    }

    #[test]
    fn a_young_count_is_paced_over_the_days_it_has_and_no_pace_forecasts_everyone() {
        let f = figures(
            &[
                (date!(2026 - 11 - 23), 100, 4),
                (date!(2026 - 11 - 24), 0, 2),
            ],
            date!(2026 - 11 - 24),
        );
        assert_eq!(f.forecast().retired_per_day, 3.0);
        let still = figures(&[(date!(2026 - 11 - 24), 100, 0)], date!(2026 - 11 - 24));
        let forecast = still.forecast();
        assert_eq!(forecast.token_holders_at_sunset, 100);
        assert_eq!(forecast.all_switched_on, None);
        assert_eq!(
            figures(&[], date!(2026 - 11 - 24)).forecast().token_holders,
            0
        );
    }

    #[test]
    fn days_are_iso_dates_and_shards_stay_in_range() {
        assert_eq!(iso_day(date!(2027 - 01 - 05)), "2027-01-05");
        assert_eq!(parse_day("2027-01-05"), Some(date!(2027 - 01 - 05)));
        assert_eq!(parse_day("2027-13-05"), None);
        for ck in ["AAAA", "_x", "-y", "zz", "09", ""] {
            assert!(holder_shard(ck) < SHARDS);
        }
        let spread: std::collections::HashSet<u32> = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef"
            .chars()
            .map(|c| holder_shard(&c.to_string()))
            .collect();
        assert_eq!(spread.len(), SHARDS as usize, "every shard is used");
    }

    #[test]
    fn a_tally_adds_its_counts_in_one_write() {
        let (app, _) = crate::harness::test_app();
        let mut tally = Tally::default();
        assert!(tally.write(&app).is_none());
        tally.count(Counted::LoggedIn(KeyKind::Token));
        tally.count(Counted::LoggedIn(KeyKind::Token));
        tally.count(Counted::NoticeShown);
        let Some(Write::Update { pk, sk, change, .. }) = tally.write(&app) else {
            panic!("an update");
        };
        assert!(pk.starts_with("progress#"));
        assert!(sk.starts_with("day#"));
        assert_eq!(
            change.add,
            vec![
                ("login_token".to_string(), 2),
                ("notice_shown".to_string(), 1)
            ]
        );
    }
}
