//! Days of the proleptic Gregorian calendar, as ISO 8601 and XML Schema count them.

use std::fmt;

/// A day of the proleptic Gregorian calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CivilDate {
    /// Year.
    pub year: i32,
    /// Month, 1–12.
    pub month: u32,
    /// Day, 1–31.
    pub day: u32,
}

impl CivilDate {
    /// A valid date, or `None`.
    ///
    /// ```
    /// use teikit::base::calendar::CivilDate;
    /// assert!(CivilDate::new(1973, 2, 29).is_none());
    /// assert_eq!(CivilDate::new(1973, 5, 23).unwrap().succ().to_string(), "1973-05-24");
    /// ```
    pub fn new(year: i32, month: u32, day: u32) -> Option<Self> {
        (1..=12)
            .contains(&month)
            .then_some(())
            .filter(|_| day >= 1 && day <= days_in_month(i64::from(year), month))
            .map(|_| CivilDate { year, month, day })
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Self> {
        let mut parts = s.splitn(3, '-');
        let year = parts.next()?.parse().ok()?;
        let month = parts.next()?.parse().ok()?;
        let day = parts.next()?.get(..2)?.parse().ok()?;
        CivilDate::new(year, month, day)
    }

    /// The next day.
    pub fn succ(self) -> Self {
        if self.day < days_in_month(i64::from(self.year), self.month) {
            CivilDate {
                day: self.day + 1,
                ..self
            }
        } else if self.month < 12 {
            CivilDate {
                month: self.month + 1,
                day: 1,
                ..self
            }
        } else {
            CivilDate {
                year: self.year + 1,
                month: 1,
                day: 1,
            }
        }
    }

    /// The previous day.
    pub fn pred(self) -> Self {
        if self.day > 1 {
            CivilDate {
                day: self.day - 1,
                ..self
            }
        } else if self.month > 1 {
            let month = self.month - 1;
            CivilDate {
                month,
                day: days_in_month(i64::from(self.year), month),
                ..self
            }
        } else {
            CivilDate {
                year: self.year - 1,
                month: 12,
                day: 31,
            }
        }
    }

    /// Day of the week, 0 = Monday … 6 = Sunday.
    pub fn weekday(self) -> u32 {
        // 1970-01-01 was a Thursday.
        ((self.days_since_epoch() + 3).rem_euclid(7)) as u32
    }

    /// Days since 1970-01-01 (negative before), by Howard Hinnant's days-from-civil.
    ///
    /// ```
    /// use teikit::base::calendar::CivilDate;
    /// let day = CivilDate::new(1969, 12, 31).unwrap();
    /// assert_eq!(day.days_since_epoch(), -1);
    /// assert_eq!(CivilDate::from_days_since_epoch(-1), day);
    /// ```
    pub fn days_since_epoch(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = if y >= 0 { y } else { y - 399 } / 400;
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146097 + doe - 719468
    }

    /// The day `days` after 1970-01-01, the inverse of [`CivilDate::days_since_epoch`].
    pub fn from_days_since_epoch(days: i64) -> Self {
        let z = days + 719468;
        let era = if z >= 0 { z } else { z - 146096 } / 146097;
        let doe = z - era * 146097;
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        CivilDate { year, month, day }
    }
}

impl fmt::Display for CivilDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Parses a UTC offset written `Z`, `+HH:MM` or `-HH:MM` into minutes east of UTC.
///
/// ```
/// use teikit::base::calendar::{format_utc_offset, parse_utc_offset};
/// assert_eq!(parse_utc_offset("-05:00"), Some(-300));
/// assert_eq!(parse_utc_offset("Z"), Some(0));
/// assert_eq!(parse_utc_offset("5"), None);
/// assert_eq!(format_utc_offset(-270), "-04:30");
/// ```
pub fn parse_utc_offset(text: &str) -> Option<i32> {
    if text == "Z" {
        return Some(0);
    }
    let (sign, rest) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    let (hours, minutes) = rest.split_once(':')?;
    if hours.len() != 2 || minutes.len() != 2 {
        return None;
    }
    let hours: i32 = hours.parse().ok()?;
    let minutes: i32 = minutes.parse().ok()?;
    (hours <= 14 && minutes < 60).then_some(sign * (hours * 60 + minutes))
}

/// A UTC offset of `minutes` east of UTC as XML Schema writes it: `+09:00`, `-05:00`.
pub fn format_utc_offset(minutes: i32) -> String {
    let sign = if minutes < 0 { '-' } else { '+' };
    let magnitude = minutes.unsigned_abs();
    format!("{sign}{:02}:{:02}", magnitude / 60, magnitude % 60)
}

/// Whether `year` is a leap year of the proleptic Gregorian calendar.
pub fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// The number of days of `month` (1–12) in `year`.
///
/// ```
/// use teikit::base::calendar::days_in_month;
/// assert_eq!(days_in_month(1900, 2), 28);
/// assert_eq!(days_in_month(2000, 2), 29);
/// ```
pub fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}
