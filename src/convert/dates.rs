//! Date expressions in English prose and their ISO 8601 normalisation.
//!
//! Recognised: "May 17–23, 1973" (a range), "May 22, 10:30 a.m.–5:05 p.m." (times), "January
//! 14, 1969, 1119Z", "June 6" (year taken from the document), "January" and "the February …"
//! (a month), "the end of April" (an approximate period), "Jan.–Mar. 1973", "1967–69",
//! "1973", and words relative to the document's own date: "Yesterday", "today", "last
//! Saturday". Where the expressions overlap the longest wins.
//!
//! Anything inferred (a year the text does not print, a day computed from the document date, the
//! bounds of "the end of April") is returned as such, so that the encoder can mark it.

use crate::base::calendar::days_in_month;
pub use crate::base::calendar::CivilDate;
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// What the text states, normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateValue {
    /// One point: `@when`.
    When(String),
    /// A stated span: `@from` and `@to`.
    Span(String, String),
    /// An imprecise period: `@notBefore` and `@notAfter`.
    Period(String, String),
}

/// What the normaliser had to supply that the text does not state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inference {
    /// The year is the document's.
    Year,
    /// The date is computed from the document's date ("Yesterday").
    RelativeToDocument,
    /// The bounds of a vague period ("the end of April") are the normaliser's.
    PeriodBounds,
}

/// A date expression found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateMention {
    /// Byte range in the text.
    pub range: Range<usize>,
    /// The normalised value; times without a stated zone carry the placeholder
    /// [`LOCAL_OFFSET`] for the encoder to replace.
    pub value: DateValue,
    /// What was inferred, if anything.
    pub inference: Option<Inference>,
}

/// Placeholder in a time whose UTC offset the text does not state.
pub const LOCAL_OFFSET: &str = "{offset}";

/// What the normaliser knows about the document.
#[derive(Debug, Clone, Copy, Default)]
pub struct DateContext {
    /// The year to give dates that print none.
    pub year: Option<i32>,
    /// The document's own date, for "yesterday" and "last Saturday".
    pub document_date: Option<CivilDate>,
}

/// The months' names, January first.
pub const MONTHS: [&str; 12] = [
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

const MONTH_RE: &str = r"January|February|March|April|May|June|July|August|September|October|November|December|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept\.|Sep\.|Oct\.|Nov\.|Dec\.";
/// `10:30 a.m.`, and in older volumes `10.30 a.m.`; `1119Z`; midnight; noon.
const TIME_RE: &str = r"\d{1,2}(?:[:.]\d{2})?\s?[ap]\.\s?m\.?|\d{4}\s?Z\b|midnight|noon";

fn month_number(name: &str) -> Option<u32> {
    let key = name.trim_end_matches('.');
    MONTHS
        .iter()
        .position(|m| m.starts_with(key) && key.len() >= 3)
        .map(|i| i as u32 + 1)
}

struct Patterns {
    day_range: Regex,
    cross_month_range: Regex,
    day: Regex,
    month_range: Regex,
    month_year: Regex,
    part_of_month: Regex,
    month: Regex,
    ambiguous_month: Regex,
    year_range: Regex,
    year: Regex,
    relative: Regex,
    weekday: Regex,
}

static PATTERNS: LazyLock<Patterns> = LazyLock::new(|| {
    let re = |s: String| Regex::new(&s).expect("date pattern");
    Patterns {
        day_range: re(format!(
            r"\b(?P<m>{MONTH_RE})\s(?P<d1>\d{{1,2}})\s?[–-]\s?(?P<d2>\d{{1,2}})(?:,\s(?P<y>\d{{4}}))?\b"
        )),
        cross_month_range: re(format!(
            r"\b(?P<m1>{MONTH_RE})\s(?P<d1>\d{{1,2}})\s?[–-]\s?(?P<m2>{MONTH_RE})\s(?P<d2>\d{{1,2}})(?:,\s(?P<y>\d{{4}}))?\b"
        )),
        day: re(format!(
            // The year after a comma, or (a comma forgotten: "June 4 1962") a plausible year
            // after a space; a time or a time range after it, the range's start perhaps a bare
            // hour that takes its half of the day from the end ("3–3:30 p.m.").
            r"\b(?P<m>{MONTH_RE})\s(?P<d>\d{{1,2}})\b(?:,\s(?P<y>\d{{4}})\b|\s(?P<yb>1[5-9]\d\d|20\d\d)\b)?(?:(?:,\s|\s?—\s?)(?:(?P<t1>{TIME_RE})(?:\s?[–-]\s?(?P<t2>{TIME_RE}))?|(?P<h1>\d{{1,2}}(?::\d{{2}})?)\s?[–-]\s?(?P<t2b>{TIME_RE})))?"
        )),
        month_range: re(format!(
            r"\b(?P<m1>{MONTH_RE})\s?[–-]\s?(?P<m2>{MONTH_RE})\s(?P<y>\d{{4}})\b"
        )),
        month_year: re(format!(r"\b(?P<m>{MONTH_RE})\s(?P<y>\d{{4}})\b")),
        part_of_month: re(format!(
            r"\b(?:the\s(?P<pos>end|beginning|middle)\sof\s|(?P<adj>early|mid-|late)\s?)(?P<m>{MONTH_RE})(?:\s(?P<y>\d{{4}}))?\b"
        )),
        month: re(
            r"\b(?P<m>January|February|April|June|July|August|September|October|November|December)\b"
                .to_string(),
        ),
        // "May" and "March" are also verbs: only after a word that makes them months.
        ambiguous_month: re(
            r"\b(?:in|of|since|until|by|last|next|early|late|mid-)\s(?P<m>May|March)\b".to_string(),
        ),
        year_range: re(r"\b(?P<y1>1[5-9]\d\d|20\d\d)\s?[–-]\s?(?P<y2>\d{4}|\d{2})\b".to_string()),
        year: re(r"\b(?P<y>1[5-9]\d\d|20\d\d)\b".to_string()),
        relative: re(r"\b(?P<w>[Yy]esterday|[Tt]oday|[Tt]omorrow)\b".to_string()),
        weekday: re(
            r"\b[Ll]ast\s(?P<w>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
                .to_string(),
        ),
    }
});

/// A time range whose start is a bare hour (`3–3:30 p.m.`): the start takes the end's half of
/// the day, unless that would put it after the end (`11–1 p.m.` starts in the morning).
fn bare_hour_range(date: CivilDate, hour: &str, end: &str) -> Option<DateValue> {
    let half = if end.to_ascii_lowercase().contains('p') {
        "p.m."
    } else {
        "a.m."
    };
    let finish = date_time(date, end)?;
    let mut start = date_time(date, &format!("{hour} {half}"))?;
    if start > finish && half == "p.m." {
        start = date_time(date, &format!("{hour} a.m."))?;
    }
    (start <= finish).then_some(DateValue::Span(start, finish))
}

/// Finds and normalises the date expressions of `text`.
///
/// ```
/// use teikit::convert::{find_dates, DateContext, DateValue};
/// let found = find_dates("negotiations, May 17–23, 1973", DateContext::default());
/// assert_eq!(found[0].value, DateValue::Span("1973-05-17".into(), "1973-05-23".into()));
/// ```
pub fn find_dates(text: &str, context: DateContext) -> Vec<DateMention> {
    let p = &*PATTERNS;
    let mut candidates: Vec<DateMention> = Vec::new();
    let mut push = |range: Range<usize>, value: Option<DateValue>, inference: Option<Inference>| {
        if let Some(value) = value {
            candidates.push(DateMention {
                range,
                value,
                inference,
            });
        }
    };
    let year_of = |c: &regex::Captures| -> (Option<i32>, Option<Inference>) {
        match c.name("y").or_else(|| c.name("yb")) {
            Some(y) => (y.as_str().parse().ok(), None),
            None => (context.year, Some(Inference::Year)),
        }
    };
    for c in p.cross_month_range.captures_iter(text) {
        let (year, inf) = year_of(&c);
        let value = (|| {
            let y = year?;
            let a = CivilDate::new(y, month_number(&c["m1"])?, c["d1"].parse().ok()?)?;
            let b = CivilDate::new(y, month_number(&c["m2"])?, c["d2"].parse().ok()?)?;
            (a < b).then(|| DateValue::Span(a.to_string(), b.to_string()))
        })();
        push(c.get(0).expect("match").range(), value, inf);
    }
    for c in p.day_range.captures_iter(text) {
        let (year, inf) = year_of(&c);
        let value = (|| {
            let y = year?;
            let m = month_number(&c["m"])?;
            let a = CivilDate::new(y, m, c["d1"].parse().ok()?)?;
            let b = CivilDate::new(y, m, c["d2"].parse().ok()?)?;
            (a < b).then(|| DateValue::Span(a.to_string(), b.to_string()))
        })();
        push(c.get(0).expect("match").range(), value, inf);
    }
    for c in p.day.captures_iter(text) {
        let (year, inf) = year_of(&c);
        let value = (|| {
            let date = CivilDate::new(year?, month_number(&c["m"])?, c["d"].parse().ok()?)?;
            if let (Some(hour), Some(end)) = (c.name("h1"), c.name("t2b")) {
                return bare_hour_range(date, hour.as_str(), end.as_str());
            }
            let Some(t1) = c.name("t1") else {
                return Some(DateValue::When(date.to_string()));
            };
            let start = date_time(date, t1.as_str())?;
            match c.name("t2") {
                Some(t2) => Some(DateValue::Span(start, date_time(date, t2.as_str())?)),
                None => Some(DateValue::When(start)),
            }
        })();
        push(c.get(0).expect("match").range(), value, inf);
    }
    for c in p.month_range.captures_iter(text) {
        let value = (|| {
            let y: i32 = c["y"].parse().ok()?;
            let (a, b) = (month_number(&c["m1"])?, month_number(&c["m2"])?);
            (a < b).then(|| DateValue::Span(format!("{y:04}-{a:02}"), format!("{y:04}-{b:02}")))
        })();
        push(c.get(0).expect("match").range(), value, None);
    }
    for c in p.month_year.captures_iter(text) {
        let value = (|| {
            let y: i32 = c["y"].parse().ok()?;
            Some(DateValue::When(format!(
                "{y:04}-{:02}",
                month_number(&c["m"])?
            )))
        })();
        push(c.get(0).expect("match").range(), value, None);
    }
    for c in p.part_of_month.captures_iter(text) {
        let (year, _) = year_of(&c);
        let value = (|| {
            let y = year?;
            let m = month_number(&c["m"])?;
            let last = days_in_month(i64::from(y), m);
            let (from, to) = match (
                c.name("pos").map(|x| x.as_str()),
                c.name("adj").map(|x| x.as_str()),
            ) {
                (Some("beginning"), _) | (_, Some("early")) => (1, 10),
                (Some("middle"), _) | (_, Some("mid-")) => (11, 20),
                _ => (21, last),
            };
            Some(DateValue::Period(
                CivilDate::new(y, m, from)?.to_string(),
                CivilDate::new(y, m, to)?.to_string(),
            ))
        })();
        push(
            c.get(0).expect("match").range(),
            value,
            Some(Inference::PeriodBounds),
        );
    }
    for (regex, group) in [(&p.month, "m"), (&p.ambiguous_month, "m")] {
        for c in regex.captures_iter(text) {
            let m = c.name(group).expect("month group");
            let value = (|| {
                Some(DateValue::When(format!(
                    "{:04}-{:02}",
                    context.year?,
                    month_number(m.as_str())?
                )))
            })();
            push(m.range(), value, Some(Inference::Year));
        }
    }
    for c in p.year_range.captures_iter(text) {
        let value = (|| {
            let a: i32 = c["y1"].parse().ok()?;
            let b_text = &c["y2"];
            let b: i32 = if b_text.len() == 2 {
                a - a % 100 + b_text.parse::<i32>().ok()?
            } else {
                b_text.parse().ok()?
            };
            (a < b).then(|| DateValue::Span(format!("{a:04}"), format!("{b:04}")))
        })();
        push(c.get(0).expect("match").range(), value, None);
    }
    for c in p.year.captures_iter(text) {
        push(
            c.get(0).expect("match").range(),
            Some(DateValue::When(c["y"].to_string())),
            None,
        );
    }
    for c in p.relative.captures_iter(text) {
        let value = context.document_date.map(|d| {
            let day = match c["w"].to_lowercase().as_str() {
                "yesterday" => d.pred(),
                "tomorrow" => d.succ(),
                _ => d,
            };
            DateValue::When(day.to_string())
        });
        push(
            c.get(0).expect("match").range(),
            value,
            Some(Inference::RelativeToDocument),
        );
    }
    for c in p.weekday.captures_iter(text) {
        let value = (|| {
            let names = [
                "Monday",
                "Tuesday",
                "Wednesday",
                "Thursday",
                "Friday",
                "Saturday",
                "Sunday",
            ];
            let wanted = names.iter().position(|n| *n == &c["w"])? as u32;
            let mut day = context.document_date?.pred();
            while day.weekday() != wanted {
                day = day.pred();
            }
            Some(DateValue::When(day.to_string()))
        })();
        push(
            c.get(0).expect("match").range(),
            value,
            Some(Inference::RelativeToDocument),
        );
    }
    select_longest(candidates)
}

/// Keeps the longest of overlapping candidates (then the leftmost), in text order.
fn select_longest(mut candidates: Vec<DateMention>) -> Vec<DateMention> {
    candidates.sort_by(|a, b| {
        (b.range.len())
            .cmp(&a.range.len())
            .then(a.range.start.cmp(&b.range.start))
    });
    let mut taken: Vec<DateMention> = Vec::new();
    for c in candidates {
        if !taken
            .iter()
            .any(|t| t.range.start < c.range.end && c.range.start < t.range.end)
        {
            taken.push(c);
        }
    }
    taken.sort_by_key(|m| m.range.start);
    taken
}

/// `10:30 a.m.`, `5 p.m.` or `1119Z` on `date`, as an ISO date-time.
///
/// Midnight is written as FRUS writes it, the first minute of the day stated (`T00:00`); noon is
/// `T12:00`.
fn date_time(date: CivilDate, time: &str) -> Option<String> {
    match time {
        "midnight" => return Some(format!("{date}T00:00:00{LOCAL_OFFSET}")),
        "noon" => return Some(format!("{date}T12:00:00{LOCAL_OFFSET}")),
        _ => {}
    }
    if let Some(hhmm) = time.strip_suffix('Z').map(str::trim_end) {
        let (h, m): (u32, u32) = (hhmm[..2].parse().ok()?, hhmm[2..].parse().ok()?);
        return (h < 24 && m < 60).then(|| format!("{date}T{h:02}:{m:02}:00+00:00"));
    }
    let pm = time.contains('p');
    let clock = time.trim_end_matches(|c: char| !c.is_ascii_digit());
    let (h, m) = match clock.split_once([':', '.']) {
        Some((h, m)) => (h.parse::<u32>().ok()?, m.parse::<u32>().ok()?),
        None => (clock.parse::<u32>().ok()?, 0),
    };
    if !(1..=12).contains(&h) || m >= 60 {
        return None;
    }
    let h = match (h, pm) {
        (12, false) => 0,
        (12, true) => 12,
        (h, true) => h + 12,
        (h, false) => h,
    };
    Some(format!("{date}T{h:02}:{m:02}:00{LOCAL_OFFSET}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> DateContext {
        DateContext {
            year: Some(1973),
            document_date: CivilDate::new(1973, 5, 24),
        }
    }

    fn values(text: &str) -> Vec<(String, DateValue)> {
        find_dates(text, ctx())
            .into_iter()
            .map(|d| (text[d.range].to_string(), d.value))
            .collect()
    }

    #[test]
    fn a_forgotten_comma_and_a_bare_hour_at_the_start_of_a_range() {
        let v =
            values("Washington, June 4 1962, 3–3:30 p.m.; then July 9, 11–1 p.m.; June 4 200 men.");
        assert_eq!(
            v[0],
            (
                "June 4 1962, 3–3:30 p.m.".to_string(),
                DateValue::Span(
                    "1962-06-04T15:00:00{offset}".into(),
                    "1962-06-04T15:30:00{offset}".into()
                )
            )
        );
        assert_eq!(
            v[1].1,
            DateValue::Span(
                "1973-07-09T11:00:00{offset}".into(),
                "1973-07-09T13:00:00{offset}".into()
            ),
            "11 in the morning to 1 in the afternoon"
        );
        assert_eq!(
            v[2],
            ("June 4".to_string(), DateValue::When("1973-06-04".into())),
            "200 is no year"
        );
        let older = values("London, November 11, 1917, 2.35 p.m.");
        assert_eq!(
            older[0].1,
            DateValue::When("1917-11-11T14:35:00{offset}".into()),
            "{older:?}"
        );
    }

    #[test]
    fn ranges_times_and_inferred_years() {
        let v = values("Paris, May 22, 10:30 a.m.–5:05 p.m. and June 6, then May 17–23, 1973.");
        assert_eq!(
            v[0],
            (
                "May 22, 10:30 a.m.–5:05 p.m.".to_string(),
                DateValue::Span(
                    "1973-05-22T10:30:00{offset}".into(),
                    "1973-05-22T17:05:00{offset}".into()
                )
            )
        );
        assert_eq!(
            v[1],
            ("June 6".to_string(), DateValue::When("1973-06-06".into()))
        );
        assert_eq!(
            v[2],
            (
                "May 17–23, 1973".to_string(),
                DateValue::Span("1973-05-17".into(), "1973-05-23".into())
            )
        );
    }

    #[test]
    fn months_periods_years_and_relative_words() {
        let v = values("Yesterday, at the end of April, of January, the February accord, Box 114, 1967–69, May I, last Saturday");
        let texts: Vec<&str> = v.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Yesterday",
                "the end of April",
                "January",
                "February",
                "1967–69",
                "last Saturday"
            ]
        );
        assert_eq!(v[0].1, DateValue::When("1973-05-23".into()));
        assert_eq!(
            v[1].1,
            DateValue::Period("1973-04-21".into(), "1973-04-30".into())
        );
        assert_eq!(v[4].1, DateValue::Span("1967".into(), "1969".into()));
        assert_eq!(v[5].1, DateValue::When("1973-05-19".into()));
    }

    #[test]
    fn times_after_a_dash_midnight_noon_and_no_final_period() {
        let v = values("Paris, December 17, 1955—1 a.m.");
        assert_eq!(
            v[0].1,
            DateValue::When(format!("1955-12-17T01:00:00{LOCAL_OFFSET}"))
        );
        let v = values("Washington, December 23, 1955—3:43 p.m.");
        assert_eq!(
            v[0].1,
            DateValue::When(format!("1955-12-23T15:43:00{LOCAL_OFFSET}"))
        );
        let v = values("Saigon, October 20, 1961, midnight.");
        assert_eq!(
            v[0].1,
            DateValue::When(format!("1961-10-20T00:00:00{LOCAL_OFFSET}"))
        );
        let v = values("Geneva, May 3, 1962, noon");
        assert_eq!(
            v[0].1,
            DateValue::When(format!("1962-05-03T12:00:00{LOCAL_OFFSET}"))
        );
        let v = values("Washington, June 23, 1961, 4 p.m");
        assert_eq!(
            v[0].1,
            DateValue::When(format!("1961-06-23T16:00:00{LOCAL_OFFSET}"))
        );
        let v = values("Kathmandu, August 5, 1977, 0550Z");
        assert_eq!(v[0].1, DateValue::When("1977-08-05T05:50:00+00:00".into()));
    }

    #[test]
    fn zulu_times_and_invalid_days() {
        let v = values("January 14, 1969, 1119Z and February 30, 1973");
        assert_eq!(v[0].1, DateValue::When("1969-01-14T11:19:00+00:00".into()));
        // February 30 is no date: the month and the year are normalised on their own.
        assert_eq!(
            v[1],
            ("February".to_string(), DateValue::When("1973-02".into()))
        );
        assert_eq!(v[2], ("1973".to_string(), DateValue::When("1973".into())));
    }

    #[test]
    fn weekdays() {
        // 1969-01-14 was a Tuesday, 1973-05-24 a Thursday.
        assert_eq!(CivilDate::new(1969, 1, 14).unwrap().weekday(), 1);
        assert_eq!(CivilDate::new(1973, 5, 24).unwrap().weekday(), 3);
    }
}
