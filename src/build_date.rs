//! The date a build is made, for handouts ("Built November 25, 2026": the words come from the
//! string table, `dates.long` and `dates.months`).
//!
//! Reproducible builds set `SOURCE_DATE_EPOCH` (seconds since 1970-01-01 UTC, see
//! <https://reproducible-builds.org/specs/source-date-epoch/>); the date is then taken from it,
//! so the same content always builds to the same bytes. Without it, the date is today's (UTC).

use std::time::{SystemTime, UNIX_EPOCH};

/// The environment variable that fixes the build date.
pub const SOURCE_DATE_EPOCH: &str = "SOURCE_DATE_EPOCH";

/// The keys of the months in the string table, `dates.months.<key>`, January first.
pub const MONTH_KEYS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// A calendar date (proleptic Gregorian, UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date {
    /// The year.
    pub year: i64,
    /// The month, 1 to 12.
    pub month: u32,
    /// The day of the month, 1 to 31.
    pub day: u32,
}

impl Date {
    /// The date of a moment given in seconds since 1970-01-01 UTC.
    pub fn from_unix_seconds(seconds: i64) -> Date {
        civil_from_days(seconds.div_euclid(86_400))
    }

    /// The key of the month in the string table's `dates.months` ("january" … "december"):
    /// the words of a date are the theme's, in the page's language.
    pub fn month_key(&self) -> &'static str {
        MONTH_KEYS[(self.month as usize).clamp(1, 12) - 1]
    }

    /// "2026-11-25", for the `datetime` attribute of `<time>`.
    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// The build date: from `SOURCE_DATE_EPOCH` when it is set to a number, else today (UTC).
pub fn build_date() -> Date {
    let from_env = std::env::var(SOURCE_DATE_EPOCH)
        .ok()
        .and_then(|v| v.trim().parse::<i64>().ok());
    let seconds = from_env.unwrap_or_else(|| {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
    });
    Date::from_unix_seconds(seconds)
}

/// Days since 1970-01-01 → calendar date (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> Date {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    Date { year, month, day }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_epoch_is_new_year_1970() {
        let date = Date::from_unix_seconds(0);
        assert_eq!(
            (date.month_key(), date.day, date.year),
            ("january", 1, 1970)
        );
    }

    #[test]
    fn dates_are_written_in_full() {
        // 2026-11-25T13:42:00Z
        let date = Date::from_unix_seconds(1_795_614_120);
        assert_eq!(date.month_key(), "november");
        assert_eq!(date.iso(), "2026-11-25");
    }

    #[test]
    fn leap_days_and_year_ends_are_right() {
        // 2024-02-29T00:00:00Z and 1999-12-31T23:59:59Z
        assert_eq!(Date::from_unix_seconds(1_709_164_800).iso(), "2024-02-29");
        assert_eq!(Date::from_unix_seconds(946_684_799).iso(), "1999-12-31");
        assert_eq!(Date::from_unix_seconds(-1).iso(), "1969-12-31");
    }
}
