//! Local time: the UTC offset a time stated at a place had on its day, daylight saving included.
//!
//! A place of the registers (or the volume, for times no place qualifies) gives its standard
//! offset (`utc_offset = "-05:00"`) and, where the place kept summer time, the rules it kept
//! (`daylight_saving = "us"`): a telegram sent from Washington at 8:19 p.m. on June 28, 1961 was
//! sent at `20:19-04:00`, not `-05:00`.

use crate::base::calendar::{days_in_month, format_utc_offset, parse_utc_offset, CivilDate};

/// The rules of summer time a place kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DaylightSaving {
    /// The United States' (Washington and New York as the time-zone database records them):
    /// 1918–1919 and 1921–1941 in spring and summer, war time 1942–1945, the summers of
    /// 1946–1966 locally, then the Uniform Time Act's rules, the 1974–75 energy-crisis dates,
    /// the 1987 and 2007 extensions.
    Us,
}

impl DaylightSaving {
    /// The rules named `name` (`us`), as `volume.toml` writes them.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "us" => Some(DaylightSaving::Us),
            _ => None,
        }
    }

    /// Whether summer time was kept at `hour` (local standard time) on `day`.
    ///
    /// ```
    /// use teikit::base::calendar::CivilDate;
    /// use teikit::convert::zone::DaylightSaving;
    /// let us = DaylightSaving::Us;
    /// assert!(us.in_effect(CivilDate::new(1961, 6, 28).unwrap(), 20));
    /// assert!(!us.in_effect(CivilDate::new(1955, 12, 23).unwrap(), 15));
    /// assert!(us.in_effect(CivilDate::new(1974, 2, 1).unwrap(), 12)); // the energy crisis
    /// ```
    pub fn in_effect(self, day: CivilDate, hour: u32) -> bool {
        let Some((start, end)) = self.period(day.year) else {
            return false;
        };
        // The clocks change at 2 a.m. local time on the first and the last day.
        (day > start || day == start && hour >= 2) && (day < end || day == end && hour < 1)
    }

    /// The first and last day of summer time in `year`, if it was kept.
    fn period(self, year: i32) -> Option<(CivilDate, CivilDate)> {
        let date = |m, d| CivilDate::new(year, m, d);
        let (start, end) = match year {
            1918 | 1919 => (last_sunday(year, 3)?, last_sunday(year, 10)?),
            1921..=1941 | 1946..=1954 => (last_sunday(year, 4)?, last_sunday(year, 9)?),
            1942 => (date(2, 9)?, date(12, 31)?),
            1943 | 1944 => (date(1, 1)?, date(12, 31)?),
            1945 => (date(1, 1)?, date(9, 30)?),
            1955..=1973 | 1976..=1986 => (last_sunday(year, 4)?, last_sunday(year, 10)?),
            1974 => (date(1, 6)?, last_sunday(year, 10)?),
            1975 => (date(2, 23)?, last_sunday(year, 10)?),
            1987..=2006 => (nth_sunday(year, 4, 1)?, last_sunday(year, 10)?),
            2007.. => (nth_sunday(year, 3, 2)?, nth_sunday(year, 11, 1)?),
            _ => return None,
        };
        Some((start, end))
    }
}

const SUNDAY: u32 = 6;

fn last_sunday(year: i32, month: u32) -> Option<CivilDate> {
    let last = CivilDate::new(year, month, days_in_month(i64::from(year), month))?;
    CivilDate::new(year, month, last.day - (last.weekday() + 7 - SUNDAY) % 7)
}

fn nth_sunday(year: i32, month: u32, n: u32) -> Option<CivilDate> {
    let first = CivilDate::new(year, month, 1)?;
    CivilDate::new(
        year,
        month,
        1 + (SUNDAY + 7 - first.weekday()) % 7 + 7 * (n - 1),
    )
}

/// The offset a standard offset (`-05:00`) becomes in summer time (`-04:00`).
fn one_hour_ahead(offset: &str) -> Option<String> {
    parse_utc_offset(offset).map(|minutes| format_utc_offset(minutes + 60))
}

/// A place's time: its standard offset and the summer time it kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalTime {
    /// The standard offset, `-05:00`.
    pub standard: String,
    /// The summer time kept, if any.
    pub daylight_saving: Option<DaylightSaving>,
}

impl LocalTime {
    /// The offset in force at the time of `value` (`1961-06-28T20:19:00`, the date and the local
    /// time): the standard one, or an hour ahead in summer time.
    ///
    /// ```
    /// use teikit::convert::zone::{DaylightSaving, LocalTime};
    /// let washington = LocalTime { standard: "-05:00".into(), daylight_saving: Some(DaylightSaving::Us) };
    /// assert_eq!(washington.offset_at("1961-06-28T20:19:00"), "-04:00");
    /// assert_eq!(washington.offset_at("1961-12-28T20:19:00"), "-05:00");
    /// ```
    pub fn offset_at(&self, value: &str) -> String {
        let summer = self.daylight_saving.is_some_and(|rule| {
            let (date, time) = value.split_once('T').unwrap_or((value, ""));
            let hour = time.get(..2).and_then(|h| h.parse().ok()).unwrap_or(12);
            CivilDate::parse(date).is_some_and(|day| rule.in_effect(day, hour))
        });
        if summer {
            one_hour_ahead(&self.standard).unwrap_or_else(|| self.standard.clone())
        } else {
            self.standard.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> CivilDate {
        CivilDate::new(y, m, d).unwrap()
    }

    #[test]
    fn the_rules_of_each_period_give_the_known_change_days() {
        let us = DaylightSaving::Us;
        // 1961: April 30 to October 29; 1977: April 24 to October 30.
        assert_eq!(us.period(1961), Some((day(1961, 4, 30), day(1961, 10, 29))));
        assert_eq!(us.period(1977), Some((day(1977, 4, 24), day(1977, 10, 30))));
        // 1987: first Sunday of April; 2007: second Sunday of March to first of November.
        assert_eq!(us.period(1987), Some((day(1987, 4, 5), day(1987, 10, 25))));
        assert_eq!(us.period(2007), Some((day(2007, 3, 11), day(2007, 11, 4))));
        assert_eq!(us.period(1910), None);
        assert_eq!(us.period(1920), None);
    }

    #[test]
    fn the_change_days_switch_at_two_in_the_morning() {
        let us = DaylightSaving::Us;
        assert!(!us.in_effect(day(1961, 4, 30), 1));
        assert!(us.in_effect(day(1961, 4, 30), 3));
        assert!(us.in_effect(day(1961, 10, 29), 0));
        assert!(!us.in_effect(day(1961, 10, 29), 5));
    }

    #[test]
    fn summer_offsets_are_an_hour_ahead() {
        assert_eq!(one_hour_ahead("-05:00").as_deref(), Some("-04:00"));
        assert_eq!(one_hour_ahead("-00:30").as_deref(), Some("+00:30"));
        assert_eq!(one_hour_ahead("+09:00").as_deref(), Some("+10:00"));
        let no_rule = LocalTime {
            standard: "+01:00".into(),
            daylight_saving: None,
        };
        assert_eq!(no_rule.offset_at("1973-07-01T12:00:00"), "+01:00");
    }
}
