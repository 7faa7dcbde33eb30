//! Rules on dates: `iso-date`, `date-order`.

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
                // ISO dates of the same precision order as strings; compare the common precision.
                let n = a.len().min(b.len()).min(10);
                if is_iso_date(a) && is_iso_date(b) && a[..n] > b[..n] {
                    self.found.push(Found::OutOfOrder(node, low, high));
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
                        "@{}=\"{}\" on <{}> is not an ISO 8601 date; expected YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ss with an optional offset",
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
                        "@{low}=\"{}\" is after @{high}=\"{}\" on <{}>",
                        node.attribute(low).unwrap_or(""),
                        node.attribute(high).unwrap_or(""),
                        node.tag_name().name()
                    ),
                ),
            }
        }
    }
}

/// Whether `value` is an ISO 8601 year, year-month, date or date-time.
pub(super) fn is_iso_date(value: &str) -> bool {
    let (date, time) = match value.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (value, None),
    };
    let parts: Vec<&str> = date.split('-').collect();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let number = |s: &str| s.parse::<u32>().unwrap_or(0);
    let date_ok = match parts.as_slice() {
        [y] => digits(y, 4),
        [y, m] => digits(y, 4) && digits(m, 2) && (1..=12).contains(&number(m)),
        [y, m, d] => {
            digits(y, 4)
                && digits(m, 2)
                && digits(d, 2)
                && crate::base::calendar::CivilDate::new(
                    y.parse().unwrap_or(0),
                    number(m),
                    number(d),
                )
                .is_some()
        }
        _ => false,
    };
    let time_ok = match time {
        None => true,
        Some(t) => {
            if parts.len() != 3 {
                return false;
            }
            let (clock, zone) = match t.find(['+', '-', 'Z']) {
                Some(i) => (&t[..i], &t[i..]),
                None => (t, ""),
            };
            let c: Vec<&str> = clock.split(':').collect();
            let clock_ok = c.len() == 3
                && c.iter().all(|p| digits(p, 2))
                && c[0] < "24"
                && c[1] < "60"
                && c[2] < "61";
            let zone_ok = zone.is_empty()
                || zone == "Z"
                || (zone.len() == 6
                    && digits(&zone[1..3], 2)
                    && &zone[3..4] == ":"
                    && digits(&zone[4..], 2));
            clock_ok && zone_ok
        }
    };
    date_ok && time_ok
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
                "t.xml:1:10: error[iso-date]: @when=\"1973-02-30\" on <date> is not an ISO 8601 date; expected YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ss with an optional offset (in /r/date[1])",
                "t.xml:1:29: error[date-order]: @from=\"1973-05-23\" is after @to=\"1973-05-17\" on <date> (in /r/date[2])",
            ]
        );
    }
}
