//! Calendar dates (`YYYY-MM-DD`), for waiver expiry.
//!
//! A waiver expires on a day, not at an instant, so a plain proleptic
//! Gregorian date is all that is needed; a date crate would bring time
//! zones and formatting machinery for two functions. Today's date comes
//! from the system clock in UTC ([`Date::today`]); everything that decides
//! takes the date as a parameter, so tests never depend on the clock.

use std::fmt;

/// A calendar date. Ordered chronologically.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

impl Date {
    /// A valid date, or `None` (month 13, February 30, year 0 …).
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        let valid = (1..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month);
        valid.then_some(Date { year, month, day })
    }

    /// Parses exactly `YYYY-MM-DD` (four, two and two ASCII digits).
    pub fn parse(text: &str) -> Option<Date> {
        let b = text.as_bytes();
        if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
            return None;
        }
        let num = |range: std::ops::Range<usize>| -> Option<u32> {
            let digits = text.get(range)?;
            if !digits.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            digits.parse().ok()
        };
        let year = i32::try_from(num(0..4)?).ok()?;
        let month = u8::try_from(num(5..7)?).ok()?;
        let day = u8::try_from(num(8..10)?).ok()?;
        Date::new(year, month, day)
    }

    /// Today in UTC, from the system clock. A clock before 1970 gives
    /// 1970-01-01.
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let days = i64::try_from(secs / 86_400).unwrap_or(i64::MAX);
        Date::from_days(days)
    }

    /// The date `days` days after 1970-01-01 (Howard Hinnant's
    /// civil-from-days algorithm). Clamps to the years 1–9999.
    pub fn from_days(days: i64) -> Date {
        // 1970-01-01 .. 9999-12-31 is 0 ..= 2_932_896 days.
        let z = days.clamp(-719_162, 2_932_896) + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date {
            year: i32::try_from(year).unwrap_or(1),
            month: u8::try_from(month).unwrap_or(1),
            day: u8::try_from(day).unwrap_or(1),
        }
    }

    pub const fn year(self) -> i32 {
        self.year
    }

    pub const fn month(self) -> u8 {
        self.month
    }

    pub const fn day(self) -> u8 {
        self.day
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_calendar_dates() {
        let d = Date::parse("2027-03-31").expect("valid");
        assert_eq!((d.year(), d.month(), d.day()), (2027, 3, 31));
        assert_eq!(d.to_string(), "2027-03-31");
        assert!(Date::parse("2024-02-29").is_some(), "leap year");
        assert!(Date::parse("2000-02-29").is_some(), "leap century");
    }

    #[test]
    fn rejects_what_is_not_a_date() {
        for bad in [
            "2023-02-29",
            "1900-02-29",
            "2027-04-31",
            "2027-13-01",
            "2027-00-10",
            "2027-01-00",
            "0000-01-01",
            "2027-1-01",
            "2027/01/01",
            "27-01-01",
            "2027-01-01T00:00",
            "+027-01-01",
            "２０２７-01-01",
            "",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn orders_chronologically() {
        let a = Date::parse("2026-12-31").unwrap();
        let b = Date::parse("2027-01-01").unwrap();
        assert!(a < b);
        assert!(Date::parse("2027-02-01").unwrap() > Date::parse("2027-01-31").unwrap());
    }

    #[test]
    fn days_since_epoch_become_civil_dates() {
        assert_eq!(Date::from_days(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_days(59).to_string(), "1970-03-01");
        assert_eq!(Date::from_days(10_957).to_string(), "2000-01-01");
        assert_eq!(Date::from_days(11_016).to_string(), "2000-02-29");
        assert_eq!(Date::from_days(19_782).to_string(), "2024-02-29");
        assert_eq!(Date::from_days(20_453).to_string(), "2025-12-31");
        assert_eq!(Date::from_days(-1).to_string(), "1969-12-31");
        assert_eq!(Date::from_days(i64::MAX).to_string(), "9999-12-31");
        assert_eq!(Date::from_days(i64::MIN).to_string(), "0001-01-01");
    }

    #[test]
    fn today_is_after_this_code_was_written() {
        assert!(Date::today() >= Date::parse("2026-01-01").unwrap());
    }
}
