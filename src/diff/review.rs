//! The review page (`teikit diff --format html`): the new revision as a reading text, with the
//! changes marked where they are.
//!
//! One self-contained HTML page, no script: a summary of the changes and a jump list at the top;
//! then the text of the new revision (its `text` element), where changed words are struck
//! through (`del`) and inserted ones underlined (`ins`), an inserted or moved element is marked
//! as a whole (a moved one with a link to where it stood, marked in the text), and a changed attribute, a renamed, split or joined
//! element is a note in the margin. What the reading text cannot show (changes in the header,
//! deleted elements) is listed after it, each with its place. Every change has an anchor
//! (`#change-3`) that the jump list links to.
//!
//! Changes are placed by their position in the new file: a text change at the start of its text,
//! any other at the start of its element ([`super::Change::new`]).

use super::reading::BLOCKS;
use super::{Change, ChangeKind};
use crate::xml::escape;
use similar::ChangeTag;
use std::collections::HashMap;
use std::fmt::Write;

const STYLE: &str = "
body { font: 17px/1.55 Georgia, serif; margin: 0 auto; max-width: 46rem; padding: 1rem 13rem 4rem 1rem; color: #222; }
header { border-bottom: 1px solid #ccc; margin-bottom: 1.5rem; }
h1 { font-size: 1.3rem; }
.summary span { margin-right: 1rem; }
nav ol { font-size: 0.9rem; columns: 2; column-gap: 2.5rem; padding-left: 2.5rem; }
nav li { break-inside: avoid; padding-right: 0.5rem; }
del { background: #fdd; color: #900; text-decoration: line-through; }
ins { background: #dfd; color: #060; text-decoration: underline; }
.block-inserted { background: #efe; border-left: 4px solid #2a2; padding-left: 0.5rem; }
.block-moved { background: #eef; border-left: 4px solid #44c; padding-left: 0.5rem; }
.margin { float: right; clear: right; width: 11rem; margin-right: -12.5rem; font: 0.8rem/1.3 sans-serif; background: #ffd; border: 1px solid #dd9; padding: 0.2rem 0.4rem; }
.head { font-weight: bold; }
.p, .item, .dateline, .salute, .signed, .ab { margin: 0 0 0.8rem; }
.note { font-size: 0.85rem; color: #555; }
.pb { color: #888; font-size: 0.8rem; }
.moved-from { font: 0.8rem sans-serif; color: #44c; margin: 0 0 0.8rem; }
.change:target, .moved-from:target, .margin:target, .block-inserted:target, .block-moved:target { outline: 3px solid #f90; }
section.elsewhere li { margin-bottom: 0.4rem; }
";

/// The review page for `changes` between the files `old_name` and `new_name`; `old_text` and
/// `new_text` are the two revisions (the reading text is drawn from the new one; the old one
/// says where moved elements came from).
///
/// ```
/// use teikit::diff::{diff, review_html, Side};
/// let old = "<TEI><text><p>I concluded six days.</p></text></TEI>";
/// let new = "<TEI><text><p>We concluded seven days.</p></text></TEI>";
/// let (a, b) = Side::pair(("old.xml".as_ref(), old), ("new.xml".as_ref(), new),
///     Default::default(), Default::default()).unwrap();
/// let page = review_html(&diff(&a, &b), "old.xml", "new.xml", old, new);
/// assert!(page.contains("<del>I</del>"));
/// assert!(page.contains("<ins>We</ins>"));
/// ```
pub fn review_html(
    changes: &[Change],
    old_name: &str,
    new_name: &str,
    old_text: &str,
    new_text: &str,
) -> String {
    let mut page = String::new();
    let _ = write!(
        page,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Changes: {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<header>\n<h1>Changes from {} to {}</h1>\n",
        escape(new_name),
        escape(old_name),
        escape(new_name)
    );
    page.push_str(&summary(changes));
    page.push_str(&jump_list(changes));
    page.push_str("</header>\n<main>\n");
    let mut placed = vec![false; changes.len()];
    match roxmltree::Document::parse(new_text) {
        Ok(doc) => {
            let offsets = Offsets::new(new_text);
            let mut at: HashMap<usize, Vec<usize>> = HashMap::new();
            for (i, change) in changes.iter().enumerate() {
                if let Some(p) = change.new {
                    at.entry(offsets.of(p.line, p.column)).or_default().push(i);
                }
            }
            let text = doc
                .descendants()
                .find(|n| n.is_element() && n.tag_name().name() == "text")
                .unwrap_or_else(|| doc.root_element());
            let came_from = moved_from(changes, old_text, &doc);
            let mut linked = vec![false; changes.len()];
            for &i in came_from.values().flatten() {
                linked[i] = true;
            }
            let mut reading = Reading {
                changes,
                at,
                placed: &mut placed,
                came_from,
                linked,
                out: String::new(),
            };
            reading.node(text);
            page.push_str("<article>\n");
            page.push_str(&reading.out);
            page.push_str("\n</article>\n");
        }
        Err(e) => {
            let _ = writeln!(
                page,
                "<p>The new revision cannot be read as XML ({}); its changes are listed below.</p>",
                escape(&e.to_string())
            );
        }
    }
    let elsewhere: Vec<usize> = (0..changes.len()).filter(|i| !placed[*i]).collect();
    if !elsewhere.is_empty() {
        page.push_str(
            "<section class=\"elsewhere\">\n<h2>Changes outside the reading text</h2>\n<ul>\n",
        );
        for i in elsewhere {
            let change = &changes[i];
            let _ = writeln!(
                page,
                "<li id=\"change-{}\" class=\"change\"><b>{}</b> in {}: {}</li>",
                i + 1,
                change.kind.name(),
                escape(&change.context),
                describe(&change.kind)
            );
        }
        page.push_str("</ul>\n</section>\n");
    }
    page.push_str("</main>\n</body>\n</html>\n");
    page
}

fn summary(changes: &[Change]) -> String {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for change in changes {
        let name = change.kind.name();
        match counts.iter_mut().find(|(n, _)| *n == name) {
            Some((_, count)) => *count += 1,
            None => counts.push((name, 1)),
        }
    }
    let mut out = format!(
        "<p class=\"summary\"><b>{} change{}</b>: ",
        changes.len(),
        if changes.len() == 1 { "" } else { "s" }
    );
    for (name, count) in counts {
        let _ = write!(out, "<span>{count} {name}</span>");
    }
    out.push_str("</p>\n");
    out
}

fn jump_list(changes: &[Change]) -> String {
    if changes.is_empty() {
        return "<p>The two revisions are the same document.</p>\n".to_string();
    }
    let mut out = String::from("<nav>\n<ol>\n");
    for (i, change) in changes.iter().enumerate() {
        let _ = writeln!(
            out,
            "<li><a href=\"#change-{}\">{} in {}</a></li>",
            i + 1,
            change.kind.name(),
            escape(&change.context)
        );
    }
    out.push_str("</ol>\n</nav>\n");
    out
}

/// A change in words, for the margin and the list.
fn describe(kind: &ChangeKind) -> String {
    match kind {
        ChangeKind::Text { old, new } => format!("{} → {}", quote(old), quote(new)),
        ChangeKind::Attribute { name, old, new } => match (old, new) {
            (Some(o), Some(n)) => format!("@{} {} → {}", escape(name), quote(o), quote(n)),
            (None, Some(n)) => format!("@{} added: {}", escape(name), quote(n)),
            (Some(o), None) => format!("@{} removed (was {})", escape(name), quote(o)),
            (None, None) => format!("@{}", escape(name)),
        },
        ChangeKind::Inserted { what } => format!("inserted {}", escape(what)),
        ChangeKind::Deleted { what } => format!("deleted {}", escape(what)),
        ChangeKind::Moved { what, from } => {
            format!("{} moved here from {}", escape(what), escape(from))
        }
        ChangeKind::Renamed { old, new } => {
            format!("&lt;{}&gt; renamed &lt;{}&gt;", escape(old), escape(new))
        }
        ChangeKind::Split { what, after } => {
            format!("{} split after {}", escape(what), quote(after))
        }
        ChangeKind::Joined { what, after } => {
            format!("{} joined after {}", escape(what), quote(after))
        }
    }
}

fn quote(text: &str) -> String {
    let short: String = text.chars().take(120).collect();
    let more = if text.chars().count() > 120 {
        "…"
    } else {
        ""
    };
    format!("“{}{more}”", escape(&short))
}

/// Byte offsets of lines and columns (columns counted in characters, as the differ counts them).
struct Offsets<'t> {
    text: &'t str,
    line_starts: Vec<usize>,
}

impl<'t> Offsets<'t> {
    fn new(text: &'t str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|p| p + 1))
            .collect();
        Offsets { text, line_starts }
    }

    /// The byte offset of 1-based `line` and `column`.
    fn of(&self, line: usize, column: usize) -> usize {
        let start = self
            .line_starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len());
        self.text[start..]
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(self.text.len(), |(i, _)| start + i)
    }
}

/// Where each moved element stood: the element of the new revision that its old predecessor
/// became (found by `xml:id`, or by name and text where that is unique).
fn moved_from(
    changes: &[Change],
    old_text: &str,
    new: &roxmltree::Document,
) -> HashMap<roxmltree::NodeId, Vec<usize>> {
    let mut found: HashMap<roxmltree::NodeId, Vec<usize>> = HashMap::new();
    let Ok(old) = roxmltree::Document::parse(old_text) else {
        return found;
    };
    let words = |n: roxmltree::Node| {
        n.descendants()
            .filter(|t| t.is_text())
            .filter_map(|t| t.text())
            .flat_map(str::split_whitespace)
            .collect::<Vec<_>>()
            .join(" ")
    };
    let old_offsets = Offsets::new(old_text);
    let mut by_text = None;
    for (i, change) in changes.iter().enumerate() {
        let (ChangeKind::Moved { .. }, Some(position)) = (&change.kind, change.old) else {
            continue;
        };
        let offset = old_offsets.of(position.line, position.column);
        let moved = old
            .descendants()
            .find(|n| n.is_element() && n.range().start == offset);
        let Some(before) = moved.and_then(|m| m.prev_sibling_element()) else {
            continue;
        };
        let counterpart = match before.attribute((roxmltree::NS_XML_URI, "id")) {
            Some(id) => new
                .descendants()
                .find(|n| n.attribute((roxmltree::NS_XML_URI, "id")) == Some(id)),
            None => {
                // Built once, the first time an element without an id is looked for.
                let by_text = by_text.get_or_insert_with(|| {
                    let mut index: HashMap<(String, String), Vec<roxmltree::NodeId>> =
                        HashMap::new();
                    for n in new.descendants().filter(roxmltree::Node::is_element) {
                        let key = (n.tag_name().name().to_string(), words(n));
                        index.entry(key).or_default().push(n.id());
                    }
                    index
                });
                let key = (before.tag_name().name().to_string(), words(before));
                match by_text.get(&key).map(Vec::as_slice) {
                    Some([only]) if !key.1.is_empty() => new.get_node(*only),
                    _ => None,
                }
            }
        };
        if let Some(counterpart) = counterpart {
            found.entry(counterpart.id()).or_default().push(i);
        }
    }
    found
}

/// The reading text being written.
struct Reading<'a> {
    changes: &'a [Change],
    /// The changes by the byte offset where they stand in the new revision.
    at: HashMap<usize, Vec<usize>>,
    placed: &'a mut [bool],
    /// Elements of the new revision after which a moved element stood in the old one, with the
    /// moves.
    came_from: HashMap<roxmltree::NodeId, Vec<usize>>,
    /// Which moves have their old place marked.
    linked: Vec<bool>,
    out: String,
}

impl Reading<'_> {
    /// The changes placed at `node`'s start, now marked as placed.
    fn changes_at(&mut self, node: roxmltree::Node) -> Vec<usize> {
        let found = self.at.remove(&node.range().start).unwrap_or_default();
        for &i in &found {
            self.placed[i] = true;
        }
        found
    }

    fn node(&mut self, node: roxmltree::Node) {
        if node.is_text() {
            self.text(node);
            return;
        }
        if !node.is_element() {
            return;
        }
        let name = node.tag_name().name();
        if name == "teiHeader" {
            return;
        }
        let here = self.changes_at(node);
        let mut wrapper: Option<&str> = None;
        for &i in &here {
            let anchor = format!("change-{}", i + 1);
            match &self.changes[i].kind {
                ChangeKind::Inserted { .. } => {
                    let _ = write!(
                        self.out,
                        "<div id=\"{anchor}\" class=\"block-inserted\" title=\"inserted\">"
                    );
                    wrapper = Some("div");
                }
                ChangeKind::Moved { from, .. } => {
                    let from = if self.linked[i] {
                        format!("<a href=\"#moved-from-{}\">{}</a>", i + 1, escape(from))
                    } else {
                        escape(from)
                    };
                    let _ = write!(
                        self.out,
                        "<div id=\"{anchor}\" class=\"block-moved\"><span class=\"margin\">moved here from {from}</span>"
                    );
                    wrapper = Some("div");
                }
                // A text change found at an element's start: a text node that begins the
                // element is placed when the walk reaches it.
                ChangeKind::Text { .. } => {
                    self.placed[i] = false;
                    self.at.entry(node.range().start).or_default().push(i);
                }
                kind => {
                    let _ = write!(
                        self.out,
                        "<span id=\"{anchor}\" class=\"margin\">{}</span>",
                        describe(kind)
                    );
                }
            }
        }
        let (open, close) = match name {
            "pb" => {
                let n = node.attribute("n").unwrap_or("");
                let _ = write!(self.out, "<span class=\"pb\">[page {}]</span>", escape(n));
                self.close_wrapper(wrapper);
                return;
            }
            "lb" => {
                self.out.push_str("<br>");
                self.close_wrapper(wrapper);
                return;
            }
            "note" => (
                format!(
                    "<span class=\"note\"> [{}",
                    node.attribute("n")
                        .map(|n| format!("note {}: ", escape(n)))
                        .unwrap_or_default()
                ),
                "]</span>".to_string(),
            ),
            "head" => ("<p class=\"head\">".to_string(), "</p>".to_string()),
            _ if BLOCKS.contains(&name) => (
                format!("<div class=\"{}\">", escape(name)),
                "</div>\n".to_string(),
            ),
            _ => (String::new(), String::new()),
        };
        self.out.push_str(&open);
        for child in node.children() {
            self.node(child);
        }
        self.out.push_str(&close);
        self.close_wrapper(wrapper);
        for i in self.came_from.remove(&node.id()).unwrap_or_default() {
            let _ = write!(
                self.out,
                "<p id=\"moved-from-{0}\" class=\"moved-from\"><a href=\"#change-{0}\">(moved from here)</a></p>",
                i + 1
            );
        }
    }

    fn close_wrapper(&mut self, wrapper: Option<&str>) {
        if let Some(tag) = wrapper {
            let _ = write!(self.out, "</{tag}>");
        }
    }

    fn text(&mut self, node: roxmltree::Node) {
        let text = node.text().unwrap_or("");
        let here = self.changes_at(node);
        let edit = here.iter().find_map(|&i| match &self.changes[i].kind {
            ChangeKind::Text { old, new } => Some((i, old, new)),
            _ => None,
        });
        match edit {
            Some((i, old, new)) => {
                let _ = write!(self.out, "<span id=\"change-{}\" class=\"change\">", i + 1);
                for (tag, value) in super::render::word_runs(old, new) {
                    let value = escape(&value);
                    match tag {
                        ChangeTag::Equal => self.out.push_str(&value),
                        ChangeTag::Delete => {
                            let _ = write!(self.out, "<del>{value}</del>");
                        }
                        ChangeTag::Insert => {
                            let _ = write!(self.out, "<ins>{value}</ins>");
                        }
                    }
                }
                self.out.push_str("</span>");
            }
            None => self.out.push_str(&escape(text)),
        }
        // Other changes found at a text's start (none expected) stay listed after the text.
        for &i in &here {
            if !matches!(self.changes[i].kind, ChangeKind::Text { .. }) {
                self.placed[i] = false;
            }
        }
    }
}
