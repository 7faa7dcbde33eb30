//! The reading text of two revisions compared word by word, whatever the markup
//! ([`diff_reading_text`]).
//!
//! Each document is read as a reader reads it: blocks (paragraphs, heads, notes, items, cells…)
//! in order, a space between two blocks and at a line or page break, none where inline markup
//! (`<hi>`, `<persName>`) meets a word. Blocks are matched first, whole, by patience diff, so
//! a moved paragraph is one deletion and one insertion rather than hundreds of word edits
//! through everything between; only runs of blocks that changed are compared word by word, and
//! each group of nearby word edits is one change with a few words of context.

use super::model::{NodeKind, Tree};
use super::{context, element_path, Change, ChangeKind, Side};
use similar::{Algorithm, DiffOp, DiffTag, TextDiff};

/// Elements whose text is a block of its own in the reading text.
pub(super) const BLOCKS: &[&str] = &[
    "div",
    "head",
    "p",
    "ab",
    "list",
    "item",
    "opener",
    "closer",
    "dateline",
    "salute",
    "signed",
    "postscript",
    "lg",
    "l",
    "table",
    "row",
    "byline",
    "docAuthor",
    "argument",
    "epigraph",
    "listPerson",
    "person",
    "listBibl",
    "bibl",
    "sp",
    "speaker",
    "trailer",
];

/// Read apart from the text around them, though drawn inline on the review page.
const SEPARATE: &[&str] = &["note", "cell", "label", "fw"];

/// Empty elements that break a line of text: a space, unless `break="no"`.
const BREAKS: &[&str] = &["lb", "pb", "cb"];

/// Words of context kept around each group of edits.
const CONTEXT: usize = 8;

/// A block of reading text: its words separated by single spaces, and where each text node
/// begins in it, to locate an edit.
struct Block {
    text: String,
    starts: Vec<(usize, usize)>,
}

impl Block {
    fn node_at(&self, offset: usize) -> Option<usize> {
        let k = self.starts.partition_point(|(start, _)| *start <= offset);
        k.checked_sub(1).map(|k| self.starts[k].1)
    }
}

/// The block that holds text node `i`: its nearest block ancestor.
fn holder_block(tree: &Tree, i: usize) -> usize {
    let mut current = tree.parent(i);
    while let Some(n) = current {
        let name = tree.name(n);
        if BLOCKS.contains(&name) || SEPARATE.contains(&name) {
            return n;
        }
        current = tree.parent(n);
    }
    0
}

/// The blocks of a document's reading text, in document order. A block interrupted by another
/// (a note inside a paragraph) continues as a new block after it.
fn blocks(tree: &Tree) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    let mut current_holder = None;
    let mut previous_text = None;
    for i in (0..tree.len()).filter(|i| tree.kind(*i) == NodeKind::Text) {
        let holder = holder_block(tree, i);
        if current_holder != Some(holder) {
            blocks.push(Block {
                text: String::new(),
                starts: Vec::new(),
            });
            current_holder = Some(holder);
        }
        let block = blocks.last_mut().expect("a block was just pushed");
        let broken = previous_text.is_some_and(|p: usize| {
            (p + 1..i).any(|n| {
                tree.kind(n) == NodeKind::Element
                    && BREAKS.contains(&tree.name(n))
                    && tree.attribute(n, "break") != Some("no")
            })
        });
        let text = tree.text(i);
        if broken || text.starts_with(char::is_whitespace) {
            push_space(&mut block.text);
        }
        let mut words = text.split_whitespace().peekable();
        if words.peek().is_some() {
            block.starts.push((block.text.len(), i));
        }
        while let Some(word) = words.next() {
            block.text.push_str(word);
            if words.peek().is_some() {
                block.text.push(' ');
            }
        }
        if text.ends_with(char::is_whitespace) {
            push_space(&mut block.text);
        }
        previous_text = Some(i);
    }
    for block in &mut blocks {
        while block.text.ends_with(' ') {
            block.text.pop();
        }
    }
    blocks.retain(|b| !b.text.is_empty());
    blocks
}

fn push_space(text: &mut String) {
    if !text.is_empty() && !text.ends_with(' ') {
        text.push(' ');
    }
}

/// Blocks `range` read as one text, with where each text node begins in it.
fn joined(blocks: &[Block], range: std::ops::Range<usize>) -> Block {
    let mut text = String::new();
    let mut starts = Vec::new();
    for block in &blocks[range] {
        if !text.is_empty() {
            text.push(' ');
        }
        starts.extend(
            block
                .starts
                .iter()
                .map(|(at, node)| (at + text.len(), *node)),
        );
        text.push_str(&block.text);
    }
    Block { text, starts }
}

/// The changes to the reading text alone: the words of both documents in order, compared word by
/// word, whatever the markup around them. Each group of nearby changed words is one change,
/// shown with a few words of context and located at the element holding its first word; a
/// paragraph inserted, deleted or moved is one change (two for a move), whole.
///
/// ```
/// use std::path::Path;
/// use teikit::diff::{diff_reading_text, Normalisation, Side};
/// let old = Side::new(Path::new("a.xml"), "<p>Kissinger met Tho in Paris</p>", Normalisation::default()).unwrap();
/// let new = Side::new(Path::new("b.xml"), "<p><name>Kissinger</name> met <hi>Tho</hi> in Geneva</p>", Normalisation::default()).unwrap();
/// let changes = diff_reading_text(&old, &new);
/// assert_eq!(changes.len(), 1, "the markup is ignored, the new place is not");
/// ```
pub fn diff_reading_text(old: &Side, new: &Side) -> Vec<Change> {
    let (old_blocks, new_blocks) = (blocks(&old.tree), blocks(&new.tree));
    let old_texts: Vec<&str> = old_blocks.iter().map(|b| b.text.as_str()).collect();
    let new_texts: Vec<&str> = new_blocks.iter().map(|b| b.text.as_str()).collect();
    let mut changes = Vec::new();
    for op in similar::capture_diff_slices(Algorithm::Patience, &old_texts, &new_texts) {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        if tag == DiffTag::Equal {
            continue;
        }
        let old_text = joined(&old_blocks, old_range);
        let new_text = joined(&new_blocks, new_range);
        if tag == DiffTag::Replace {
            changes.extend(word_changes(old, new, &old_text, &new_text));
        } else {
            let (old_node, new_node) = (old_text.node_at(0), new_text.node_at(0));
            changes.push(change(
                old,
                new,
                old_text.text,
                new_text.text,
                old_node,
                new_node,
            ));
        }
    }
    changes
}

/// The changed words of two runs of blocks, nearby edits grouped with their context.
fn word_changes(old: &Side, new: &Side, old_text: &Block, new_text: &Block) -> Vec<Change> {
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Patience)
        .diff_words(&old_text.text, &new_text.text);
    let (old_words, new_words) = (diff.old_slices(), diff.new_slices());
    let offset_of =
        |words: &[&str], index: usize| -> usize { words[..index].iter().map(|w| w.len()).sum() };
    let mut changes = Vec::new();
    for group in diff.grouped_ops(CONTEXT) {
        let (Some(first), Some(last)) = (group.first(), group.last()) else {
            continue;
        };
        let edit = group
            .iter()
            .find(|op| !matches!(op, DiffOp::Equal { .. }))
            .unwrap_or(first);
        let old_node = old_text.node_at(offset_of(old_words, edit.old_range().start));
        let new_node = new_text.node_at(offset_of(new_words, edit.new_range().start));
        let old_words = old_words[first.old_range().start..last.old_range().end].concat();
        let new_words = new_words[first.new_range().start..last.new_range().end].concat();
        changes.push(change(old, new, old_words, new_words, old_node, new_node));
    }
    changes
}

fn change(
    old: &Side,
    new: &Side,
    old_words: String,
    new_words: String,
    old_node: Option<usize>,
    new_node: Option<usize>,
) -> Change {
    let holder = |tree: &Tree, node: Option<usize>| node.and_then(|n| tree.parent(n)).unwrap_or(0);
    let (label_tree, label_node) = if new_node.is_some() {
        (&new.tree, holder(&new.tree, new_node))
    } else {
        (&old.tree, holder(&old.tree, old_node))
    };
    Change {
        kind: ChangeKind::Text {
            old: old_words,
            new: new_words,
        },
        context: context(label_tree, label_node),
        path: element_path(label_tree, label_node),
        old: old_node.map(|n| old.position(n)),
        new: new_node.map(|n| new.position(n)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::Normalisation;
    use std::path::Path;

    fn reading(xml: &str) -> Vec<String> {
        let side = Side::new(Path::new("t.xml"), xml, Normalisation::default()).unwrap();
        blocks(&side.tree).into_iter().map(|b| b.text).collect()
    }

    fn changes(old: &str, new: &str) -> Vec<(String, String)> {
        let old = Side::new(Path::new("a.xml"), old, Normalisation::default()).unwrap();
        let new = Side::new(Path::new("b.xml"), new, Normalisation::default()).unwrap();
        diff_reading_text(&old, &new)
            .into_iter()
            .map(|c| match c.kind {
                ChangeKind::Text { old, new } => (old, new),
                other => panic!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn blocks_are_apart_inline_markup_is_not() {
        let xml = "<div><p>It was seven.</p><p>Beta <hi>came</hi>'s way<lb/>at<lb break=\"no\"/>tempt<note>1. A note.</note> then</p></div>";
        assert_eq!(
            reading(xml),
            [
                "It was seven.",
                "Beta came's way attempt",
                "1. A note.",
                "then"
            ]
        );
    }

    #[test]
    fn a_moved_paragraph_is_one_deletion_and_one_insertion() {
        let paragraphs: Vec<String> = (0..30)
            .map(|n| format!("<p>Paragraph {n} says the same things about the talks in Paris.</p>"))
            .collect();
        let old = format!("<div>{}</div>", paragraphs.concat());
        let mut moved = paragraphs.clone();
        let paragraph = moved.remove(3);
        moved.insert(25, paragraph);
        let new = format!("<div>{}</div>", moved.concat());
        let found = changes(&old, &new);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert_eq!(
            found[0],
            (
                "Paragraph 3 says the same things about the talks in Paris.".into(),
                String::new()
            )
        );
        assert_eq!(found[1].0, "");
    }

    #[test]
    fn nearby_edits_are_one_change_and_far_ones_two() {
        let words: Vec<String> = (0..60).map(|n| format!("w{n}")).collect();
        let old = format!("<p>{}</p>", words.join(" "));
        let new = old
            .replace("w10 ", "x10 ")
            .replace("w12 ", "x12 ")
            .replace("w50 ", "x50 ");
        let found = changes(&old, &new);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(
            found[0].0.contains("w10 w11 w12") && found[0].1.contains("x10 w11 x12"),
            "{found:#?}"
        );
    }
}
