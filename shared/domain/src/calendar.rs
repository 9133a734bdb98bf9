//! The one calendar of the service: days as citizens in Belgium live them (Europe/Brussels), for pages, mails, counters and reports alike.

use time::{Date, Month, OffsetDateTime};

/// The time zone the citizens live in.
pub const TIME_ZONE: &str = "Europe/Brussels";

/// [`TIME_ZONE`], its rules embedded at compile time (only this zone is in the binary).
static ZONE: std::sync::LazyLock<jiff::tz::TimeZone> =
    std::sync::LazyLock::new(|| jiff::tz::get!("Europe/Brussels"));

/// The day `instant` falls on in Brussels.
pub fn local_date(instant: OffsetDateTime) -> Date {
    let fallback = instant.date();
    let Ok(at) = jiff::Timestamp::from_second(instant.unix_timestamp()) else {
        return fallback;
    };
    let zoned = at.to_zoned(ZONE.clone());
    Month::try_from(zoned.month() as u8)
        .ok()
        .and_then(|month| {
            Date::from_calendar_date(i32::from(zoned.year()), month, zoned.day() as u8).ok()
        })
        .unwrap_or(fallback)
}

/// The time of day `epoch_seconds` falls on in Brussels, as `HH:MM` (24 hours).
pub fn local_time(epoch_seconds: i64) -> String {
    jiff::Timestamp::from_second(epoch_seconds)
        .map(|at| {
            let zoned = at.to_zoned(ZONE.clone());
            format!("{:02}:{:02}", zoned.hour(), zoned.minute())
        })
        .unwrap_or_default()
}

/// The zone's name, as the rules embedded know it (a check that the zone is the one named).
pub fn zone_name() -> Option<&'static str> {
    ZONE.iana_name()
        .filter(|name| *name == TIME_ZONE)
        .map(|_| TIME_ZONE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn days_are_brussels_days() {
        // The sunset at midnight in Brussels is still the day before in UTC.
        assert_eq!(
            local_date(datetime!(2027-02-14 23:00 UTC)),
            date!(2027 - 02 - 15)
        );
        assert_eq!(
            local_date(datetime!(2027-02-14 22:59 UTC)),
            date!(2027 - 02 - 14)
        );
        // Summer time: two hours ahead.
        assert_eq!(
            local_date(datetime!(2027-07-01 22:00 UTC)),
            date!(2027 - 07 - 02)
        );
        assert_eq!(zone_name(), Some(TIME_ZONE));
    }
}
