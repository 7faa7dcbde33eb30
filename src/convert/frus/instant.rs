//! The bounds FRUS gives a document's date: `frus:doc-dateTime-min` and `-max`, two instants
//! written in one offset (the volume's, `-05:00` for Washington), so that documents written in
//! Saigon and in Washington sort together.

use crate::base::calendar::{days_in_month, format_utc_offset, parse_utc_offset, CivilDate};
use crate::convert::DateValue;

const DAY: i64 = 24 * 60 * 60;

/// An instant: a day, the seconds since its midnight, in a given offset (minutes east of UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Instant {
    day: CivilDate,
    second: i64,
    offset: i32,
}

impl Instant {
    /// The same instant in `offset`.
    fn in_offset(self, offset: i32) -> Instant {
        let mut day = self.day;
        let mut second = self.second + i64::from(offset - self.offset) * 60;
        while second < 0 {
            second += DAY;
            day = day.pred();
        }
        while second >= DAY {
            second -= DAY;
            day = day.succ();
        }
        Instant {
            day,
            second,
            offset,
        }
    }

    fn to_xsd(self) -> String {
        format!(
            "{}T{:02}:{:02}:{:02}{}",
            self.day,
            self.second / 3600,
            self.second / 60 % 60,
            self.second % 60,
            format_utc_offset(self.offset)
        )
    }
}

/// The earliest and latest instant of an XML Schema date value (`1973`, `1973-05`,
/// `1973-05-23`, `1973-05-23T14:30:00-04:00`); a value without an offset is read in
/// `local`.
fn bounds(value: &str, local: i32) -> Option<(Instant, Instant)> {
    let (date, time) = match value.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (value, None),
    };
    let mut parts = date.splitn(3, '-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: Option<u32> = parts.next().map(str::parse).transpose().ok()?;
    let day: Option<u32> = parts.next().map(str::parse).transpose().ok()?;
    let (first, last) = match (month, day) {
        (Some(m), Some(d)) => {
            let day = CivilDate::new(year, m, d)?;
            (day, day)
        }
        (Some(m), None) => (
            CivilDate::new(year, m, 1)?,
            CivilDate::new(year, m, days_in_month(i64::from(year), m))?,
        ),
        _ => (CivilDate::new(year, 1, 1)?, CivilDate::new(year, 12, 31)?),
    };
    let Some(time) = time else {
        return Some((
            Instant {
                day: first,
                second: 0,
                offset: local,
            },
            Instant {
                day: last,
                second: DAY - 1,
                offset: local,
            },
        ));
    };
    let zone_at = time.find(['Z', '+', '-']).unwrap_or(time.len());
    let offset = match &time[zone_at..] {
        "" => local,
        zone => parse_utc_offset(zone)?,
    };
    let mut fields = time[..zone_at].split(':');
    let hour: i64 = fields.next()?.parse().ok()?;
    let minute: i64 = fields.next()?.parse().ok()?;
    let second: f64 = fields.next().map_or(Ok(0.0), str::parse).ok()?;
    if hour > 24 || minute > 59 || !(0.0..60.0).contains(&second) {
        return None;
    }
    // Fractions of a second are below what a dateline states.
    let instant = Instant {
        day: first,
        second: (hour * 3600 + minute * 60 + second as i64).min(DAY - 1),
        offset,
    };
    Some((instant, instant))
}

/// `frus:doc-dateTime-min` and `-max` for a document dated `value`, in `offset` minutes east of
/// UTC; `None` where a bound is not a date.
///
/// ```
/// use teikit::convert::{frus::document_bounds, DateValue};
/// let day = DateValue::When("1969-03-19".into());
/// assert_eq!(
///     document_bounds(&day, -300),
///     Some(("1969-03-19T00:00:00-05:00".into(), "1969-03-19T23:59:59-05:00".into()))
/// );
/// let saigon = DateValue::When("1961-10-20T00:00:00+08:00".into());
/// assert_eq!(document_bounds(&saigon, -300).unwrap().0, "1961-10-19T11:00:00-05:00");
/// ```
pub fn document_bounds(value: &DateValue, offset: i32) -> Option<(String, String)> {
    let (low, high) = match value {
        DateValue::When(when) => bounds(when, offset)?,
        DateValue::Span(from, to) | DateValue::Period(from, to) => {
            (bounds(from, offset)?.0, bounds(to, offset)?.1)
        }
    };
    Some((
        low.in_offset(offset).to_xsd(),
        high.in_offset(offset).to_xsd(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn when(v: &str) -> DateValue {
        DateValue::When(v.to_string())
    }

    #[test]
    fn a_time_in_utc_is_written_in_the_volumes_offset() {
        // 1977-80 XIX d216: 0256Z on March 30 is 21:56 on March 29 in Washington.
        let (min, max) = document_bounds(&when("1977-03-30T02:56:00+00:00"), -300).unwrap();
        assert_eq!(min, "1977-03-29T21:56:00-05:00");
        assert_eq!(min, max);
    }

    #[test]
    fn months_years_and_spans_cover_their_whole_length() {
        assert_eq!(
            document_bounds(&when("1972-02"), -300).unwrap(),
            (
                "1972-02-01T00:00:00-05:00".to_string(),
                "1972-02-29T23:59:59-05:00".to_string()
            )
        );
        let span = DateValue::Span("1954-01-29".into(), "1954-01-30".into());
        let (min, max) = document_bounds(&span, -300).unwrap();
        assert_eq!(
            (min.as_str(), max.as_str()),
            ("1954-01-29T00:00:00-05:00", "1954-01-30T23:59:59-05:00")
        );
        assert_eq!(
            document_bounds(&when("1969"), 540).unwrap().1,
            "1969-12-31T23:59:59+09:00"
        );
    }

    #[test]
    fn crossing_a_year_end_moves_the_day_back() {
        let (min, _) = document_bounds(&when("1970-01-01T01:00:00Z"), -300).unwrap();
        assert_eq!(min, "1969-12-31T20:00:00-05:00");
    }

    #[test]
    fn what_is_not_a_date_has_no_bounds() {
        assert_eq!(document_bounds(&when("undated"), -300), None);
        assert_eq!(document_bounds(&when("1973-02-30"), -300), None);
        assert_eq!(document_bounds(&when("1973-02-03T25:00"), -300), None);
        assert_eq!(parse_utc_offset("+5:00"), None);
        assert_eq!(parse_utc_offset("+15:00"), None);
    }
}
