//! Rules on dates: `iso-date`, `date-order`.
//!
//! TEI's `@when`, `@from`, `@to`, `@notBefore` and `@notAfter` are `teidata.temporal.w3c`: any of
//! XML Schema's `date`, `gYear`, `gYearMonth`, `gMonth`, `gMonthDay`, `gDay`, `time` and
//! `dateTime`, so years before the common era (`-0004`), fractional seconds and zones
//! (`2020-11-25T14:22:46.000Z`) are dates. Validity is judged by the schema engine's own
//! datatypes, so a value the schema accepts is never an `iso-date` error. The attributes of
//! other calendars (`@when-custom`, `@from-custom`, … with `@datingMethod`) and ISO 8601's wider
//! forms (`@when-iso`) are not judged here.

use super::{Context, RuleId, RuleSet};

const DATE_ATTRIBUTES: &[&str] = &["when", "from", "to", "notBefore", "notAfter"];

/// Elements whose `@from`/`@to` are not dates (page ranges, spans of a text).
const NON_DATE_RANGES: &[&str] = &["biblScope", "citedRange", "locus", "span", "spanGrp"];

/// What the walk finds for these rules, in the walk's order; [`Check::report`] reports it.
pub(super) struct Check<'a, 'd> {
    rules: &'a RuleSet,
    /// The problems, in the walk's order.
    found: Vec<Found<'a, 'd>>,
}

/// A problem found on one element.
enum Found<'a, 'd> {
    /// A date attribute whose value is no ISO date.
    NotIso(roxmltree::Node<'a, 'd>, roxmltree::Attribute<'a, 'd>),
    /// A range whose low end (`from`, `notBefore`) is after its high end.
    OutOfOrder(roxmltree::Node<'a, 'd>, &'static str, &'static str),
}

impl<'a, 'd> Check<'a, 'd> {
    pub(super) fn new(rules: &'a RuleSet) -> Self {
        Check {
            rules,
            found: Vec::new(),
        }
    }

    /// Takes in one element of the walk.
    pub(super) fn element(&mut self, node: roxmltree::Node<'a, 'd>) {
        if NON_DATE_RANGES.contains(&node.tag_name().name()) {
            return;
        }
        if self.rules.enabled(RuleId::IsoDate) {
            for attribute in node.attributes() {
                if attribute.namespace().is_none()
                    && DATE_ATTRIBUTES.contains(&attribute.name())
                    && !is_iso_date(attribute.value())
                {
                    self.found.push(Found::NotIso(node, attribute));
                }
            }
        }
        if !self.rules.enabled(RuleId::DateOrder) {
            return;
        }
        for (low, high) in [("from", "to"), ("notBefore", "notAfter")] {
            if let (Some(a), Some(b)) = (node.attribute(low), node.attribute(high)) {
                if let (Some(a), Some(b)) = (Moment::read(a), Moment::read(b)) {
                    if a.is_after(&b) {
                        self.found.push(Found::OutOfOrder(node, low, high));
                    }
                }
            }
        }
    }

    /// Reports what the walk found.
    pub(super) fn report(self, cx: &mut Context) {
        for found in self.found {
            match found {
                Found::NotIso(node, attribute) => cx.report(
                    RuleId::IsoDate,
                    attribute.range().start,
                    node,
                    format!(
                        "@{}=\"{}\" on <{}> is not a date as TEI's teidata.temporal.w3c defines one; expected an XML Schema date, gYear, gYearMonth, gMonth, gMonthDay, gDay, time or dateTime, such as 1973-05-22, -0044-03-15, 1973-05, --05-22 or 1973-05-22T10:30:00Z (TEI Guidelines 3.6.4, https://tei-c.org/release/doc/tei-p5-doc/en/html/ref-teidata.temporal.w3c.html)",
                        attribute.name(),
                        attribute.value(),
                        node.tag_name().name()
                    ),
                ),
                Found::OutOfOrder(node, low, high) => cx.report(
                    RuleId::DateOrder,
                    node.range().start,
                    node,
                    format!(
                        "@{low}=\"{}\" is after @{high}=\"{}\" on <{}>; a range runs from its earlier end to its later (TEI att.datable.w3c)",
                        node.attribute(low).unwrap_or(""),
                        node.attribute(high).unwrap_or(""),
                        node.tag_name().name()
                    ),
                ),
            }
        }
    }
}

use crate::relaxng::datatype::is_w3c_temporal as is_iso_date;

/// A point on the time line, as precise as a value says: the signed year, then month and day
/// where given, then the time of day where given with its zone as written.
#[derive(Debug, PartialEq)]
struct Moment<'v> {
    year: i64,
    month_day: Vec<u32>,
    time: Option<(&'v str, &'v str)>,
}

impl<'v> Moment<'v> {
    /// The moment of a year-bearing value (`date`, `gYear`, `gYearMonth`, `dateTime`); `None`
    /// for other values and for ones that are no date.
    fn read(value: &'v str) -> Option<Self> {
        let value = value.trim_matches([' ', '\t', '\n', '\r']);
        if !is_iso_date(value) || value.starts_with("--") {
            return None;
        }
        let (date, time) = match value.split_once('T') {
            Some((d, t)) => (d, Some(t)),
            None => (value, None),
        };
        let (negative, unsigned) = match date.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, date),
        };
        let mut fields = unsigned.split('-');
        let year: i64 = fields.next()?.get(..)?.parse().ok()?;
        let month_day = fields
            .map_while(|f| f.get(..2).and_then(|d| d.parse().ok()))
            .collect();
        let time = time.map(|t| {
            let zone_at = t.find(['Z', '+', '-']).unwrap_or(t.len());
            (&t[..zone_at], &t[zone_at..])
        });
        Some(Moment {
            year: if negative { -year } else { year },
            month_day,
            time,
        })
    }

    /// Whether `self` is certainly after `other`, compared as precisely as both allow (the time
    /// of day only where both give one in the same zone).
    fn is_after(&self, other: &Moment) -> bool {
        if self.year != other.year {
            return self.year > other.year;
        }
        for (a, b) in self.month_day.iter().zip(&other.month_day) {
            if a != b {
                return a > b;
            }
        }
        match (self.time, other.time) {
            (Some((a, zone_a)), Some((b, zone_b))) if zone_a == zone_b => a > b,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::tests::check;

    #[test]
    fn dates_and_order() {
        let found = check("<r><date when=\"1973-02-30\"/><date from=\"1973-05-23\" to=\"1973-05-17\"/><biblScope from=\"286\" to=\"289\"/></r>");
        assert_eq!(
            found,
            [
                "t.xml:1:10: error[iso-date]: @when=\"1973-02-30\" on <date> is not a date as TEI's teidata.temporal.w3c defines one; expected an XML Schema date, gYear, gYearMonth, gMonth, gMonthDay, gDay, time or dateTime, such as 1973-05-22, -0044-03-15, 1973-05, --05-22 or 1973-05-22T10:30:00Z (TEI Guidelines 3.6.4, https://tei-c.org/release/doc/tei-p5-doc/en/html/ref-teidata.temporal.w3c.html) (in /r/date[1])",
                "t.xml:1:29: error[date-order]: @from=\"1973-05-23\" is after @to=\"1973-05-17\" on <date>; a range runs from its earlier end to its later (TEI att.datable.w3c) (in /r/date[2])",
            ]
        );
    }

    #[test]
    fn every_w3c_form_tei_allows_is_a_date() {
        for value in [
            "1973",
            "-0004",
            "-0106-01-03",
            "12345",
            "1973-05",
            "1973-05-22",
            "1973-05-22Z",
            "--05",
            "--05-22",
            "---22",
            "10:30:00",
            "2020-11-25T14:22:46.000Z",
            "1973-05-22T24:00:00",
            "1973-05-22T10:30:00+01:00",
            " 1973-05-22 ",
        ] {
            assert!(super::is_iso_date(value), "{value}");
        }
        for value in [
            "0000",
            "1973-02-29",
            "1973-5-22",
            "May 1973",
            "1973-05-22T10:30",
            "1973-05-22T10:30:00+15:00",
            "",
        ] {
            assert!(!super::is_iso_date(value), "{value}");
        }
    }

    #[test]
    fn ranges_before_the_common_era_and_at_mixed_precision() {
        let found = check(concat!(
            "<r><date from=\"-0106-01-03\" to=\"-0043-12-07\"/>",
            "<date from=\"-0043\" to=\"-0106\"/>",
            "<date notBefore=\"1973-05\" notAfter=\"1973-05-01\"/>",
            "<date from=\"1973-05-22T10:00:00Z\" to=\"1973-05-22T09:00:00+05:00\"/>",
            "<date from=\"1973-05-22T10:00:00Z\" to=\"1973-05-22T09:00:00Z\"/>",
            "<date when-custom=\"Year of the Ox\" datingMethod=\"#chinese\"/></r>"
        ));
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].contains("@from=\"-0043\" is after @to=\"-0106\""));
        assert!(found[1].contains("@from=\"1973-05-22T10:00:00Z\" is after"));
        assert!(found[1].contains("(in /r/date[5])"));
    }
}
