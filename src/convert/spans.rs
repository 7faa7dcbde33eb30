//! Turning a text and a set of annotated ranges into nested XML nodes.
//!
//! Recognisers (names, dates, heads, quotations) each report ranges of the same text; this
//! module nests them: a range inside another becomes a child element, and a range that crosses
//! another's boundary is dropped (the earlier-starting, longer one wins), so the result is always
//! well-formed. An empty range inserts its element's own content there: that is how an editor's
//! supplied text (a lost dash) enters without touching the received text.

use crate::xml::{Element, Node};
use std::ops::Range;

/// An element to wrap around a range of the text.
#[derive(Debug, Clone)]
pub struct Span {
    /// The range it covers (empty: insert the element's own content at that point).
    pub range: Range<usize>,
    /// The element, without children unless the range is empty.
    pub element: Element,
}

impl Span {
    /// A span of `range` wrapped in `element`.
    pub fn new(range: Range<usize>, element: Element) -> Self {
        Span { range, element }
    }
}

/// Ranges of a text, asked how far those starting before a point reach: sorted by start, each
/// with the furthest end of it and every range before it, so that one binary search answers
/// (a paragraph may hold thousands of ranges and be asked about each of thousands of others).
///
/// ```
/// use teikit::convert::spans::Reach;
/// let reach = Reach::new([10..20, 0..5, 3..8]);
/// assert_eq!(reach.furthest_end_starting_before(4), Some(8));
/// assert_eq!(reach.furthest_end_starting_before(0), None);
/// assert_eq!(reach.furthest_end_starting_before(11), Some(20));
/// ```
#[derive(Debug, Clone, Default)]
pub struct Reach {
    /// (start, furthest end of the ranges up to this one), sorted by start.
    starts: Vec<(usize, usize)>,
}

impl Reach {
    /// Indexes `ranges`.
    pub fn new(ranges: impl IntoIterator<Item = Range<usize>>) -> Self {
        let mut starts: Vec<(usize, usize)> =
            ranges.into_iter().map(|r| (r.start, r.end)).collect();
        starts.sort_unstable();
        let mut furthest = 0;
        for (_, end) in starts.iter_mut() {
            furthest = furthest.max(*end);
            *end = furthest;
        }
        Reach { starts }
    }

    /// The furthest end of the ranges that start before `position`; `None` if none does.
    pub fn furthest_end_starting_before(&self, position: usize) -> Option<usize> {
        match self.starts.partition_point(|(start, _)| *start < position) {
            0 => None,
            n => Some(self.starts[n - 1].1),
        }
    }
}

/// Nests `spans` over `text` and returns the resulting nodes.
///
/// ```
/// use teikit::convert::{build_nodes, Span};
/// use teikit::xml::Element;
/// let text = "Laos—With";
/// let nodes = build_nodes(text, vec![
///     Span::new(0..4, Element::new("label")),
///     Span::new(0..4, Element::new("placeName")),
/// ]);
/// let mut p = Element::new("p");
/// p.extend(nodes);
/// assert_eq!(p.text_content(), "Laos—With");
/// ```
pub fn build_nodes(text: &str, mut spans: Vec<Span>) -> Vec<Node> {
    // Empty ranges first at a position, then longer before shorter, then in given order.
    spans.sort_by(|a, b| {
        a.range
            .start
            .cmp(&b.range.start)
            .then((!a.range.is_empty()).cmp(&!b.range.is_empty()))
            .then(b.range.len().cmp(&a.range.len()))
    });
    let mut nested: Vec<Span> = Vec::with_capacity(spans.len());
    let mut open: Vec<Range<usize>> = Vec::new();
    'spans: for span in spans {
        let r = &span.range;
        if r.start > r.end
            || r.end > text.len()
            || !text.is_char_boundary(r.start)
            || !text.is_char_boundary(r.end)
        {
            continue;
        }
        while let Some(o) = open.last() {
            if contains(o, r) {
                break;
            }
            if o.is_empty() || o.end <= r.start {
                open.pop();
            } else {
                // Crosses an open range's boundary: cannot be nested, so it is left out.
                continue 'spans;
            }
        }
        open.push(r.clone());
        nested.push(span);
    }
    let mut index = 0;
    build(text, 0..text.len(), &nested, &mut index, true)
}

/// Whether `outer` can hold `inner` as a descendant. An empty range is a point: it is inside a
/// range that continues after it, and never holds anything.
fn contains(outer: &Range<usize>, inner: &Range<usize>) -> bool {
    !outer.is_empty()
        && outer.start <= inner.start
        && inner.end <= outer.end
        && (!inner.is_empty() || inner.start < outer.end)
}

fn build(
    text: &str,
    within: Range<usize>,
    spans: &[Span],
    index: &mut usize,
    top: bool,
) -> Vec<Node> {
    let mut out = Vec::new();
    let mut cursor = within.start;
    while let Some(span) = spans.get(*index) {
        let r = &span.range;
        let inside = r.start >= within.start
            && r.end <= within.end
            && (!r.is_empty() || r.start < within.end || top);
        if !inside {
            break;
        }
        *index += 1;
        if r.start > cursor {
            out.push(Node::Text(text[cursor..r.start].to_string()));
        }
        let mut element = span.element.clone();
        if !r.is_empty() {
            element.children.clear();
            element.extend(build(text, r.clone(), spans, index, false));
        }
        out.push(Node::Element(element));
        cursor = r.end;
    }
    if within.end > cursor {
        out.push(Node::Text(text[cursor..within.end].to_string()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::to_xml_string;

    fn render(text: &str, spans: Vec<Span>) -> String {
        let mut p = Element::new("p");
        p.extend(build_nodes(text, spans));
        let xml = to_xml_string(&p).unwrap();
        xml.lines().nth(1).unwrap().to_string()
    }

    #[test]
    fn nests_contained_ranges_and_drops_crossing_ones() {
        let text = "President Nixon met Tho";
        let out = render(
            text,
            vec![
                Span::new(0..15, Element::new("persName")),
                Span::new(0..9, Element::new("roleName")),
                Span::new(10..19, Element::new("crossing")),
                Span::new(20..23, Element::new("persName")),
            ],
        );
        assert_eq!(
            out,
            "<p><persName><roleName>President</roleName> Nixon</persName> met <persName>Tho</persName></p>"
        );
    }

    #[test]
    fn empty_ranges_insert_their_content_before_what_starts_there() {
        let text = "VietnamTho and";
        let out = render(
            text,
            vec![
                Span::new(0..7, Element::new("label")),
                Span::new(7..10, Element::new("persName")),
                Span::new(7..7, Element::new("supplied").with_text("—")),
            ],
        );
        assert_eq!(
            out,
            "<p><label>Vietnam</label><supplied>—</supplied><persName>Tho</persName> and</p>"
        );
    }
}
