//! Element paths as every report writes them: `/TEI/text/body/div[2]/p[4]`.
//!
//! Each step is an element's name, with its position among the siblings of the same name where
//! it has any; the validator (over roxmltree) and the differ (over its own tree) both write
//! paths this way.

/// One step of a path: the element's name and, where siblings share it, its position (1-based)
/// among them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step<'a> {
    /// The element's name, as the path shows it (`div`, `xml:id`-prefixed names as given).
    pub name: &'a str,
    /// Its position among the siblings of the same name, where there are several.
    pub position: Option<usize>,
}

/// The path through `steps`, from the root element down.
///
/// ```
/// use teikit::base::path::{element_path, Step};
/// let steps = [
///     Step { name: "TEI", position: None },
///     Step { name: "div", position: Some(2) },
/// ];
/// assert_eq!(element_path(steps), "/TEI/div[2]");
/// ```
pub fn element_path<'a>(steps: impl IntoIterator<Item = Step<'a>>) -> String {
    let mut path = String::new();
    for step in steps {
        path.push('/');
        path.push_str(step.name);
        if let Some(position) = step.position {
            path.push_str(&format!("[{position}]"));
        }
    }
    if path.is_empty() {
        path.push('/');
    }
    path
}

/// The most steps a path shows: a deeper element's path shows its nearest ones after `/…`
/// (`/…/div/div/p`), so that a report on a document nested 200,000 levels deep holds neither
/// 200,000 steps a problem nor the time to find them.
pub const MAX_STEPS: usize = 24;

/// The path through `upward`, the steps from an element up to the root, showing the nearest
/// [`MAX_STEPS`] of them after `/…` where there are more; only those (and one more, to know)
/// are taken from the iterator.
///
/// ```
/// use teikit::base::path::{nearest_path, Step};
/// let p = Step { name: "p", position: None };
/// let d = Step { name: "d", position: None };
/// let deep = std::iter::once(p).chain(std::iter::repeat(d).take(99));
/// let path = nearest_path(deep);
/// assert!(path.starts_with("/…/d/") && path.ends_with("/d/p"), "{path}");
/// assert_eq!(path.matches('/').count(), 1 + teikit::base::path::MAX_STEPS);
/// ```
pub fn nearest_path<'a>(upward: impl Iterator<Item = Step<'a>>) -> String {
    let mut upward = upward.peekable();
    let mut steps: Vec<Step> = upward.by_ref().take(MAX_STEPS).collect();
    steps.reverse();
    match upward.peek() {
        Some(_) => format!("/…{}", element_path(steps)),
        None => element_path(steps),
    }
}

/// The path of `node` in a document read with roxmltree ([`nearest_path`]).
///
/// ```
/// let text = format!("<r>{}<p/>{}</r>", "<d>".repeat(30), "</d>".repeat(30));
/// let doc = roxmltree::Document::parse(&text).unwrap();
/// let p = doc.descendants().find(|n| n.has_tag_name("p")).unwrap();
/// let path = teikit::base::path::of_node(p);
/// assert!(path.starts_with("/…/d/d/") && path.ends_with("/d/p"), "{path}");
/// assert_eq!(path.matches('/').count(), 1 + teikit::base::path::MAX_STEPS);
/// ```
pub fn of_node(node: roxmltree::Node) -> String {
    nearest_path(node.ancestors().filter(|n| n.is_element()).map(|n| {
        let same = |s: &roxmltree::Node| s.is_element() && s.tag_name() == n.tag_name();
        let before = n.prev_siblings().skip(1).filter(same).count();
        let after = n.next_siblings().skip(1).filter(same).count();
        Step {
            name: n.tag_name().name(),
            position: (before + after > 0).then_some(before + 1),
        }
    }))
}
