//! Pairing the nodes of two trees and collecting what differs.
//!
//! Two child lists are paired in rounds, each on what the ones before left over:
//! 1. identical subtrees, in order (the anchors), then anywhere in the list (moved);
//! 2. subtrees identical but for their `xml:id`s and `n`s: renumbered (an inserted footnote
//!    renumbers every later one, and pairing those by id would pair each with its
//!    predecessor);
//! 3. between the anchors, by kind, name and `xml:id`, in order, unless two paragraphs paired
//!    only by place have mostly different words ([`unrelated`]);
//! 4. of the rest, the same content under another name (renamed), then elements whose
//!    children are at least half the same but for numbering (renumbered or renamed, and edited);
//!    an element followed by a new one that holds the rest of its content was split, and the
//!    reverse joined.
//!
//! Paired elements are compared in depth; what is still unpaired is matched across the whole
//! document as moved (same id, identical, identical but for numbering, or mostly the same
//! words: [`pair_by_words`]), in rounds until none moves, and the rest reported deleted and
//! inserted.

use super::model::{NodeKind, Tree};
use super::{context, element_path, Change, ChangeKind, Side};
use similar::{capture_diff_slices, Algorithm, DiffOp};
use std::hash::{Hash, Hasher};

pub(super) struct Differ<'a, 't> {
    old: &'a Side<'t>,
    new: &'a Side<'t>,
    changes: Vec<Change>,
    /// Old nodes not paired with anything, to be found again elsewhere (moves).
    deleted: Vec<usize>,
    /// New nodes not paired with anything.
    inserted: Vec<usize>,
}

fn describe(tree: &Tree, node: usize) -> String {
    match tree.kind(node) {
        NodeKind::Element => {
            let mut s = format!("<{}", tree.name(node));
            if let Some(id) = tree.id(node) {
                s.push_str(&format!(" xml:id=\"{id}\""));
            } else if let Some(number) = tree.attribute(node, "n") {
                s.push_str(&format!(" n=\"{number}\""));
            }
            s.push('>');
            let text = text_of(tree, node);
            if !text.is_empty() {
                let short: String = text.chars().take(60).collect();
                let more = if text.chars().count() > 60 { "…" } else { "" };
                s.push_str(&format!(" “{}{more}”", short.trim()));
            }
            s
        }
        NodeKind::Text => format!("text “{}”", tree.text(node).trim()),
        NodeKind::Comment => format!("comment “{}”", tree.text(node)),
        NodeKind::Pi => format!(
            "processing instruction <?{}?>",
            tree.namespace_or_target(node)
        ),
    }
}

fn text_of(tree: &Tree, node: usize) -> String {
    let mut out = String::new();
    let mut stack = vec![node];
    while let Some(i) = stack.pop() {
        if tree.kind(i) == NodeKind::Text {
            out.push_str(&tree.text(i));
        }
        stack.extend(tree.children(i).rev());
    }
    out
}

/// The key under which children are paired between the anchors: kind, name and `xml:id`.
fn coarse_key(tree: &Tree, node: usize) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    tree.kind(node).hash(&mut h);
    tree.namespace_or_target(node).hash(&mut h);
    tree.name(node).hash(&mut h);
    tree.id(node).hash(&mut h);
    h.finish()
}

/// The words of an element's text, markup ignored.
fn words(tree: &Tree, node: usize) -> Vec<String> {
    text_of(tree, node)
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

/// The words of an element's text, sorted (to count, with [`shared`], the words two elements
/// share).
fn sorted_words(tree: &Tree, node: usize) -> Vec<String> {
    let mut words = words(tree, node);
    words.sort_unstable();
    words
}

/// The hashes of an element's child elements, in order.
fn child_elements(tree: &Tree, node: usize) -> Vec<u64> {
    tree.children(node)
        .filter(|c| tree.is_element(*c))
        .map(|c| tree.hash(c))
        .collect()
}

/// Whether element `whole` of `wt` holds exactly what `first` and then `second` of `pt` hold
/// (a paragraph split in two, or two joined): the name and attributes of `first`, the child
/// elements of both in order, and their words; `second` of the same name and not empty. Text
/// is compared by words, so the split may fall at any space or element boundary.
fn is_concatenation(wt: &Tree, whole: usize, pt: &Tree, first: usize, second: usize) -> bool {
    let element = |t: &Tree, i: usize| t.is_element(i) && t.name(i) == wt.name(whole);
    let same_start = element(wt, whole)
        && element(pt, first)
        && element(pt, second)
        && wt.attributes(whole).eq(pt.attributes(first));
    if !same_start {
        return false;
    }
    let (second_elements, second_words) = (child_elements(pt, second), words(pt, second));
    if second_elements.is_empty() && second_words.is_empty() {
        return false;
    }
    let mut elements = child_elements(pt, first);
    elements.extend(second_elements);
    if child_elements(wt, whole) != elements {
        return false;
    }
    let mut all_words = words(pt, first);
    all_words.extend(second_words);
    words(wt, whole) == all_words
}

/// Whether two elements paired by place (same name, neither with an `xml:id`) hold text too
/// different to be one element edited: both with at least [`MIN_SIMILAR_WORDS`] words of
/// their own text, sharing less than half of them (Dice's coefficient under 1/2). Unrelated
/// paragraphs of the FRUS history share a quarter of their words (at most 0.48 for neighbours);
/// paragraphs reordered, or one replaced by another, are then found as moves, or reported
/// deleted and inserted, rather than as one paragraph's text rewritten into another's.
fn unrelated(ot: &Tree, o: usize, nt: &Tree, n: usize) -> bool {
    let holds_text = |t: &Tree, i: usize| {
        t.is_element(i) && t.id(i).is_none() && t.children(i).any(|c| t.kind(c) == NodeKind::Text)
    };
    if !holds_text(ot, o) || !holds_text(nt, n) {
        return false;
    }
    let (a, b) = (sorted_words(ot, o), sorted_words(nt, n));
    if a.len() < MIN_SIMILAR_WORDS || b.len() < MIN_SIMILAR_WORDS {
        return false;
    }
    !dice_at_least(shared(&a, &b), a.len() + b.len(), (1, 2))
}

/// The last few words of an element's text, to say where it was split or joined.
fn last_words(tree: &Tree, node: usize) -> String {
    let words = words(tree, node);
    let from = words.len().saturating_sub(6);
    let more = if from > 0 { "…" } else { "" };
    format!("{more}{}", words[from..].join(" "))
}

/// The hashes of an element's children, numbering ignored (see
/// [`Tree::hash_ignoring_numbering`]), sorted.
fn children_signature(tree: &Tree, node: usize) -> Vec<u64> {
    let mut hashes: Vec<u64> = tree
        .children(node)
        .map(|c| tree.hash_ignoring_numbering(c))
        .collect();
    hashes.sort_unstable();
    hashes
}

/// Whether two sorted children signatures share at least half of their hashes (Dice's
/// coefficient of the two multisets, at least 0.5); never for a childless element.
fn mostly_alike(a: &[u64], b: &[u64]) -> bool {
    if a.is_empty() || b.is_empty() {
        return false;
    }
    dice_at_least(shared(a, b), a.len() + b.len(), (1, 2))
}

/// Whether Dice's coefficient, `2 × shared / total` for two lists of `total` items between
/// them, is at least `numerator / denominator` (in integers: no rounding at the bound).
fn dice_at_least(shared: usize, total: usize, (numerator, denominator): (usize, usize)) -> bool {
    2 * shared * denominator >= numerator * total
}

/// The items of `list` whose place `taken` does not mark, in order.
fn untaken(list: Vec<usize>, taken: &[bool]) -> Vec<usize> {
    list.into_iter()
        .zip(taken)
        .filter_map(|(item, taken)| (!taken).then_some(item))
        .collect()
}

/// How many items two sorted lists share, counting repeats (the size of the intersection of the
/// two multisets).
fn shared<T: Ord>(a: &[T], b: &[T]) -> usize {
    let (mut i, mut j, mut common) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    common
}

/// Deleted and inserted elements paired by their words: each deleted element with the inserted
/// one of the same name that shares most words with it, if both have [`MIN_SIMILAR_WORDS`] and
/// Dice's coefficient of their word lists is at least 3/4. Returns the pairs, and the deleted and
/// inserted elements left.
///
/// Candidates come from an index of the words that few inserted elements hold (a name, a date,
/// a rare word: at most [`RARE_KEY_HOLDERS`]), the [`WORD_CANDIDATES`] sharing most of them
/// weighed, so that the work grows with the number of words and not with the number of pairs: a
/// revision that reorders and edits thousands of paragraphs takes no longer than it reads.
fn pair_by_words(
    ot: &Tree,
    deleted: Vec<usize>,
    nt: &Tree,
    inserted: Vec<usize>,
) -> (Vec<(usize, usize)>, Vec<usize>, Vec<usize>) {
    let enough_words = |tree: &Tree, i: usize| {
        tree.is_element(i)
            .then(|| sorted_words(tree, i))
            .filter(|words| words.len() >= MIN_SIMILAR_WORDS)
    };
    let inserted_words: Vec<Option<Vec<String>>> =
        inserted.iter().map(|&n| enough_words(nt, n)).collect();
    let mut holders: rustc_hash::FxHashMap<&str, Vec<usize>> = Default::default();
    for (k, words) in inserted_words.iter().enumerate() {
        let mut words: Vec<&str> = words.iter().flatten().map(String::as_str).collect();
        words.dedup();
        for word in words {
            holders.entry(word).or_default().push(k);
        }
    }
    let mut taken = vec![false; inserted.len()];
    let (mut pairs, mut deleted_left) = (Vec::new(), Vec::new());
    for o in deleted {
        let Some(old_words) = enough_words(ot, o) else {
            deleted_left.push(o);
            continue;
        };
        let mut votes: rustc_hash::FxHashMap<usize, usize> = Default::default();
        let mut distinct: Vec<&str> = old_words.iter().map(String::as_str).collect();
        distinct.dedup();
        for word in distinct {
            match holders.get(word) {
                Some(ks) if ks.len() <= RARE_KEY_HOLDERS => {
                    for &k in ks.iter().filter(|k| !taken[**k]) {
                        *votes.entry(k).or_default() += 1;
                    }
                }
                _ => {}
            }
        }
        let mut candidates: Vec<(usize, usize)> = votes.into_iter().collect();
        candidates.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let best = candidates
            .iter()
            .take(WORD_CANDIDATES)
            .filter(|(k, _)| nt.name(inserted[*k]) == ot.name(o))
            .filter_map(|&(k, _)| {
                let new_words = inserted_words[k].as_ref()?;
                let shared = shared(&old_words, new_words);
                let total = old_words.len() + new_words.len();
                dice_at_least(shared, total, (3, 4)).then_some((k, shared))
            })
            .max_by_key(|&(k, shared)| (shared, std::cmp::Reverse(k)));
        match best {
            Some((k, _)) => {
                taken[k] = true;
                pairs.push((o, inserted[k]));
            }
            None => deleted_left.push(o),
        }
    }
    let inserted_left = untaken(inserted, &taken);
    (pairs, deleted_left, inserted_left)
}

/// The edit script between two key lists (Myers).
///
/// Myers takes time in proportion to the lists' length times the edits between them: for two
/// long lists with little in common (two unrelated documents, 20 000 siblings whose ids all
/// changed) that is quadratic, 24 s for a 1 MB pair. Keys found on one side only can never be
/// equal, so long lists are first cut down to the keys both hold, diffed, and the script
/// rebuilt: the same length of common subsequence, in time for what the two share.
fn diff_keys(old: &[u64], new: &[u64]) -> Vec<DiffOp> {
    const LONG: usize = 1000;
    if old.len() + new.len() < LONG {
        return capture_diff_slices(Algorithm::Myers, old, new);
    }
    let in_old: rustc_hash::FxHashSet<u64> = old.iter().copied().collect();
    let in_new: rustc_hash::FxHashSet<u64> = new.iter().copied().collect();
    let old_kept: Vec<usize> = (0..old.len())
        .filter(|i| in_new.contains(&old[*i]))
        .collect();
    let new_kept: Vec<usize> = (0..new.len())
        .filter(|j| in_old.contains(&new[*j]))
        .collect();
    if old_kept.len() == old.len() && new_kept.len() == new.len() {
        return capture_diff_slices(Algorithm::Myers, old, new);
    }
    let old_common: Vec<u64> = old_kept.iter().map(|i| old[*i]).collect();
    let new_common: Vec<u64> = new_kept.iter().map(|j| new[*j]).collect();
    // The equal pairs, in the full lists' places.
    let mut pairs = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, &old_common, &new_common) {
        if let DiffOp::Equal {
            old_index,
            new_index,
            len,
        } = op
        {
            pairs.extend((0..len).map(|k| (old_kept[old_index + k], new_kept[new_index + k])));
        }
    }
    pairs.push((old.len(), new.len()));
    let mut ops = Vec::new();
    let (mut i, mut j) = (0, 0);
    for (oi, nj) in pairs {
        match (oi - i, nj - j) {
            (0, 0) => {}
            (old_len, 0) => ops.push(DiffOp::Delete {
                old_index: i,
                old_len,
                new_index: j,
            }),
            (0, new_len) => ops.push(DiffOp::Insert {
                old_index: i,
                new_index: j,
                new_len,
            }),
            (old_len, new_len) => ops.push(DiffOp::Replace {
                old_index: i,
                old_len,
                new_index: j,
                new_len,
            }),
        }
        if oi < old.len() {
            match ops.last_mut() {
                Some(DiffOp::Equal {
                    old_index,
                    new_index,
                    len,
                }) if *old_index + *len == oi && *new_index + *len == nj => *len += 1,
                _ => ops.push(DiffOp::Equal {
                    old_index: oi,
                    new_index: nj,
                    len: 1,
                }),
            }
        }
        (i, j) = (oi + 1, nj + 1);
    }
    ops
}

/// Places in a list under keys, each key's in list order, so that the first place not yet taken
/// under a key is found without looking at the rest of the list.
#[derive(Default)]
struct Postings {
    lists: rustc_hash::FxHashMap<u64, (usize, Vec<usize>)>,
}

impl Postings {
    /// Adds place `k` under `key` (places are added in increasing order).
    fn add(&mut self, key: u64, k: usize) {
        self.lists.entry(key).or_default().1.push(k);
    }

    /// The first place under `key` that `taken` does not mark.
    fn first_free(&mut self, key: u64, taken: &[bool]) -> Option<usize> {
        let (cursor, list) = self.lists.get_mut(&key)?;
        while list.get(*cursor).is_some_and(|k| taken[*k]) {
            *cursor += 1;
        }
        list.get(*cursor).copied()
    }
}

/// A key (a word, a child's hash) held by more elements than this does not make them
/// candidates.
const RARE_KEY_HOLDERS: usize = 16;

/// How many candidates, those sharing the most rare words, are weighed word by word.
const WORD_CANDIDATES: usize = 8;

/// Elements with fewer words are not matched by their words: too little to tell them apart.
const MIN_SIMILAR_WORDS: usize = 5;

fn attribute_name(ns: &str, name: &str) -> String {
    match ns {
        "" => name.to_string(),
        crate::base::ns::XML => format!("xml:{name}"),
        other => format!("{{{other}}}{name}"),
    }
}

impl<'a, 't> Differ<'a, 't> {
    pub(super) fn new(old: &'a Side<'t>, new: &'a Side<'t>) -> Self {
        Differ {
            old,
            new,
            changes: Vec::new(),
            deleted: Vec::new(),
            inserted: Vec::new(),
        }
    }

    pub(super) fn run(mut self) -> Vec<Change> {
        let (o, n) = (&self.old.tree, &self.new.tree);
        if o.is_empty() || n.is_empty() {
            return self.changes;
        }
        if coarse_key(o, 0) == coarse_key(n, 0) || o.name(0) == n.name(0) {
            self.compare(0, 0);
        } else {
            self.deleted.push(0);
            self.inserted.push(0);
        }
        // Comparing moved elements may find more to pair, with one another or with what is
        // left from earlier rounds.
        while self.resolve_moves() {}
        self.report_unpaired();
        self.changes
    }

    fn change(&mut self, kind: ChangeKind, old: Option<usize>, new: Option<usize>) {
        let (context, path) = match (new, old) {
            (Some(n), _) => (context(&self.new.tree, n), element_path(&self.new.tree, n)),
            (None, Some(o)) => (context(&self.old.tree, o), element_path(&self.old.tree, o)),
            (None, None) => (String::new(), String::new()),
        };
        self.changes.push(Change {
            kind,
            context,
            path,
            old: old.map(|o| self.old.position(o)),
            new: new.map(|n| self.new.position(n)),
        });
    }

    /// Compares two paired nodes (same kind and name) in depth.
    fn compare(&mut self, o: usize, n: usize) {
        let (ot, nt) = (&self.old.tree, &self.new.tree);
        if ot.hash(o) == nt.hash(n) {
            return;
        }
        match (ot.kind(o), nt.kind(n)) {
            (NodeKind::Element, NodeKind::Element) => {
                let value = |tree: &Tree, node: usize, ns: &str, name: &str| {
                    tree.attributes(node)
                        .find(|(n, l, _)| *n == ns && *l == name)
                        .map(|(_, _, v)| v.to_string())
                };
                let mut names: Vec<(&str, &str)> = ot
                    .attributes(o)
                    .chain(nt.attributes(n))
                    .map(|(ns, name, _)| (ns, name))
                    .collect();
                names.sort();
                names.dedup();
                let changed: Vec<ChangeKind> = names
                    .into_iter()
                    .filter(|(ns, name)| value(ot, o, ns, name) != value(nt, n, ns, name))
                    .map(|(ns, name)| ChangeKind::Attribute {
                        name: attribute_name(ns, name),
                        old: value(ot, o, ns, name),
                        new: value(nt, n, ns, name),
                    })
                    .collect();
                for kind in changed {
                    self.change(kind, Some(o), Some(n));
                }
                let oc: Vec<usize> = ot.children(o).collect();
                let nc: Vec<usize> = nt.children(n).collect();
                self.align(&oc, &nc);
            }
            (NodeKind::Text, NodeKind::Text) | (NodeKind::Comment, NodeKind::Comment) => {
                // Located by the element that holds the text.
                let (old, new) = (ot.text(o).into_owned(), nt.text(n).into_owned());
                let parent = nt.parent(n).unwrap_or(n);
                self.change(ChangeKind::Text { old, new }, Some(o), Some(n));
                let last = self.changes.len() - 1;
                self.changes[last].context = context(&self.new.tree, parent);
                self.changes[last].path = element_path(&self.new.tree, parent);
            }
            _ => {
                self.deleted.push(o);
                self.inserted.push(n);
            }
        }
    }

    /// Pairs two lists of children.
    fn align(&mut self, old: &[usize], new: &[usize]) {
        let (ot, nt) = (&self.old.tree, &self.new.tree);
        let old_hashes: Vec<u64> = old.iter().map(|i| ot.hash(*i)).collect();
        let new_hashes: Vec<u64> = new.iter().map(|i| nt.hash(*i)).collect();
        // 1. Identical subtrees in order anchor everything.
        let mut old_paired = vec![false; old.len()];
        let mut new_paired = vec![false; new.len()];
        let mut anchors: Vec<(usize, usize)> = Vec::new();
        for op in diff_keys(&old_hashes, &new_hashes) {
            if let DiffOp::Equal {
                old_index,
                new_index,
                len,
            } = op
            {
                for k in 0..len {
                    old_paired[old_index + k] = true;
                    new_paired[new_index + k] = true;
                    anchors.push((old_index + k, new_index + k));
                }
            }
        }
        // 2. An identical subtree elsewhere among the children moved.
        let mut old_by_hash = Postings::default();
        if new_paired.contains(&false) {
            for (i, &h) in old_hashes.iter().enumerate() {
                if !old_paired[i] {
                    old_by_hash.add(h, i);
                }
            }
        }
        for (j, &nh) in new_hashes.iter().enumerate() {
            if new_paired[j] || !nt.is_element(new[j]) {
                continue;
            }
            if let Some(i) = old_by_hash.first_free(nh, &old_paired) {
                old_paired[i] = true;
                new_paired[j] = true;
                let what = describe(nt, new[j]);
                let from = context(ot, old[i]);
                self.change(ChangeKind::Moved { what, from }, Some(old[i]), Some(new[j]));
            }
        }
        // 3. Content that is the same but for its numbering is the same element, renumbered.
        self.pair_renumbered(old, new, &mut old_paired, &mut new_paired);
        // 4. Between anchors, pair by kind, name and id, and compare in depth; then renamed
        //    and alike elements (`align_gap`).
        let mut bounds = anchors.clone();
        bounds.push((old.len(), new.len()));
        let (mut oi, mut ni) = (0, 0);
        for (oe, ne) in bounds {
            let old_gap: Vec<usize> = (oi..oe).filter(|i| !old_paired[*i]).collect();
            let new_gap: Vec<usize> = (ni..ne).filter(|j| !new_paired[*j]).collect();
            self.align_gap(old, new, &old_gap, &new_gap);
            oi = oe + 1;
            ni = ne + 1;
        }
    }

    /// Pairs the elements left over on both sides whose subtrees are the same but for their
    /// `xml:id`s and `n`s, and compares them in depth (which reports the renumbering). This
    /// comes before pairing by id: when a note is inserted and the later notes are renumbered,
    /// each later note takes its predecessor's id, and pairing by id would report every one of
    /// them as rewritten instead of the one note inserted.
    fn pair_renumbered(
        &mut self,
        old: &[usize],
        new: &[usize],
        old_paired: &mut [bool],
        new_paired: &mut [bool],
    ) {
        let (ot, nt) = (&self.old.tree, &self.new.tree);
        let unpaired = |tree: &Tree, list: &[usize], paired: &[bool]| -> Vec<usize> {
            (0..list.len())
                .filter(|k| !paired[*k] && tree.is_element(list[*k]))
                .collect()
        };
        let old_free = unpaired(ot, old, old_paired);
        let new_free = unpaired(nt, new, new_paired);
        if old_free.is_empty() || new_free.is_empty() {
            return;
        }
        // When every element left has a partner with its name and id, pairing by id says it
        // all, and the subtrees need not be hashed again (the common case: a changed element
        // on the path to an edit).
        let keys = |tree: &Tree, list: &[usize], free: &[usize]| {
            let mut keys: Vec<u64> = free.iter().map(|&k| coarse_key(tree, list[k])).collect();
            keys.sort_unstable();
            keys
        };
        if keys(ot, old, &old_free) == keys(nt, new, &new_free) {
            return;
        }
        let mut old_by_hash = Postings::default();
        for &k in &old_free {
            old_by_hash.add(ot.hash_ignoring_numbering(old[k]), k);
        }
        let mut pairs = Vec::new();
        for &j in &new_free {
            let hash = nt.hash_ignoring_numbering(new[j]);
            if let Some(i) = old_by_hash.first_free(hash, old_paired) {
                old_paired[i] = true;
                new_paired[j] = true;
                pairs.push((i, j));
            }
        }
        for (i, j) in pairs {
            self.compare(old[i], new[j]);
        }
    }

    fn align_gap(&mut self, old: &[usize], new: &[usize], old_gap: &[usize], new_gap: &[usize]) {
        let (ot, nt) = (&self.old.tree, &self.new.tree);
        // An element inserted into (or taken out of) a run of text splits (or joins) text nodes
        // without changing the text: then only the elements count. The text is unchanged
        // either around the element (a note or a page break inserted) or with the element's
        // own text in it (a name tagged: `in Paris` to `in <placeName>Paris</placeName>`).
        let gap_text = |tree: &Tree, list: &[usize], gap: &[usize], with_elements: bool| {
            let joined: String = gap
                .iter()
                .map(|k| match tree.kind(list[*k]) {
                    NodeKind::Text => tree.text(list[*k]).into_owned(),
                    NodeKind::Element if with_elements => text_of(tree, list[*k]),
                    _ => String::new(),
                })
                .collect();
            joined.split_whitespace().collect::<Vec<_>>().join(" ")
        };
        let is_text =
            |tree: &Tree, list: &[usize], k: &usize| tree.kind(list[*k]) == NodeKind::Text;
        // Without text in the gap there is nothing to leave out (and no element's text need be
        // gathered: on the path to an edit deep in a chapter, that would be the chapter's).
        let has_text = old_gap.iter().any(|k| is_text(ot, old, k))
            || new_gap.iter().any(|k| is_text(nt, new, k));
        let same_text = has_text
            && [false, true].into_iter().any(|with_elements| {
                gap_text(ot, old, old_gap, with_elements)
                    == gap_text(nt, new, new_gap, with_elements)
            });
        let (old_gap, new_gap): (Vec<usize>, Vec<usize>) = if same_text {
            (
                old_gap
                    .iter()
                    .copied()
                    .filter(|k| !is_text(ot, old, k))
                    .collect(),
                new_gap
                    .iter()
                    .copied()
                    .filter(|k| !is_text(nt, new, k))
                    .collect(),
            )
        } else {
            (old_gap.to_vec(), new_gap.to_vec())
        };
        let (old_gap, new_gap) = (&old_gap[..], &new_gap[..]);
        let old_keys: Vec<u64> = old_gap.iter().map(|i| coarse_key(ot, old[*i])).collect();
        let new_keys: Vec<u64> = new_gap.iter().map(|j| coarse_key(nt, new[*j])).collect();
        let mut old_left = Vec::new();
        let mut new_left = Vec::new();
        let ops = diff_keys(&old_keys, &new_keys);
        // The second half of an element split (or joined), reported with the first: a place in
        // `new_gap` (`old_gap`).
        let (mut split_off, mut joined_on) = (None, None);
        for (at, op) in ops.iter().enumerate() {
            match *op {
                DiffOp::Equal {
                    old_index,
                    new_index,
                    len,
                } => {
                    for k in 0..len {
                        let (o, n) = (old[old_gap[old_index + k]], new[new_gap[new_index + k]]);
                        let last = k + 1 == len;
                        match ops.get(at + 1) {
                            Some(&DiffOp::Insert {
                                new_index: next, ..
                            }) if last && is_concatenation(ot, o, nt, n, new[new_gap[next]]) => {
                                let kind = ChangeKind::Split {
                                    what: describe(ot, o),
                                    after: last_words(nt, n),
                                };
                                self.change(kind, Some(o), Some(n));
                                split_off = Some(next);
                            }
                            Some(&DiffOp::Delete {
                                old_index: next, ..
                            }) if last && is_concatenation(nt, n, ot, o, old[old_gap[next]]) => {
                                let kind = ChangeKind::Joined {
                                    what: describe(nt, n),
                                    after: last_words(ot, o),
                                };
                                self.change(kind, Some(o), Some(n));
                                joined_on = Some(next);
                            }
                            // Found again among all that is left once the lists are paired: as
                            // moved (paragraphs swapped), or as deleted and inserted.
                            _ if unrelated(ot, o, nt, n) => {
                                self.deleted.push(o);
                                self.inserted.push(n);
                            }
                            _ => self.compare(o, n),
                        }
                    }
                }
                DiffOp::Delete {
                    old_index, old_len, ..
                } => old_left.extend(
                    (old_index..old_index + old_len)
                        .filter(|k| joined_on != Some(*k))
                        .map(|k| old[old_gap[k]]),
                ),
                DiffOp::Insert {
                    new_index, new_len, ..
                } => new_left.extend(
                    (new_index..new_index + new_len)
                        .filter(|k| split_off != Some(*k))
                        .map(|k| new[new_gap[k]]),
                ),
                DiffOp::Replace {
                    old_index,
                    old_len,
                    new_index,
                    new_len,
                } => {
                    old_left.extend((old_index..old_index + old_len).map(|k| old[old_gap[k]]));
                    new_left.extend((new_index..new_index + new_len).map(|k| new[new_gap[k]]));
                }
            }
        }
        // Renamed: same content, other name.
        let mut renamed_new = vec![false; new_left.len()];
        let mut not_renamed = Vec::new();
        let mut by_content = Postings::default();
        if !old_left.is_empty() {
            for (k, &n) in new_left.iter().enumerate() {
                if nt.is_element(n) {
                    by_content.add(nt.content_hash(n), k);
                }
            }
        }
        for &o in &old_left {
            let rename = ot
                .is_element(o)
                .then(|| by_content.first_free(ot.content_hash(o), &renamed_new))
                .flatten();
            match rename {
                Some(k) => {
                    renamed_new[k] = true;
                    let kind = ChangeKind::Renamed {
                        old: ot.name(o).to_string(),
                        new: nt.name(new_left[k]).to_string(),
                    };
                    self.change(kind, Some(o), Some(new_left[k]));
                }
                None if ot.is_element(o) => not_renamed.push(o),
                None => self.deleted.push(o),
            }
        }
        // Renumbered or renamed, and edited: most children the same but for numbering (a
        // chapter whose ids were all renamed, with a word changed in it; a paragraph renamed
        // with a paragraph inside it). Without this the whole chapter would be reported
        // deleted and inserted again.
        if !not_renamed.is_empty() {
            let new_children: Vec<Option<Vec<u64>>> = new_left
                .iter()
                .enumerate()
                .map(|(k, &n)| {
                    (!renamed_new[k] && nt.is_element(n)).then(|| children_signature(nt, n))
                })
                .collect();
            // Candidates share a child that few others hold: the work grows with the number of
            // children, not of pairs.
            let mut holders: rustc_hash::FxHashMap<u64, Vec<usize>> = Default::default();
            for (k, children) in new_children.iter().enumerate() {
                let mut children: Vec<u64> = children.iter().flatten().copied().collect();
                children.dedup();
                for child in children {
                    holders.entry(child).or_default().push(k);
                }
            }
            for o in not_renamed {
                let old_children = children_signature(ot, o);
                let mut candidates: Vec<usize> = old_children
                    .iter()
                    .filter_map(|child| holders.get(child))
                    .filter(|ks| ks.len() <= RARE_KEY_HOLDERS)
                    .flatten()
                    .copied()
                    .collect();
                candidates.sort_unstable();
                candidates.dedup();
                let alike = |k: &&usize| {
                    !renamed_new[**k]
                        && new_children[**k]
                            .as_ref()
                            .is_some_and(|c| mostly_alike(&old_children, c))
                };
                let same_name = |k: &&usize| {
                    nt.name(new_left[**k]) == ot.name(o)
                        && nt.namespace_or_target(new_left[**k]) == ot.namespace_or_target(o)
                };
                // One of the same name first; else one renamed (and edited, or with renamed
                // elements inside).
                let found = candidates
                    .iter()
                    .find(|k| alike(k) && same_name(k))
                    .or_else(|| candidates.iter().find(|k| alike(k)))
                    .copied();
                match found {
                    Some(k) => {
                        renamed_new[k] = true;
                        let n = new_left[k];
                        if ot.name(o) != nt.name(n) {
                            let kind = ChangeKind::Renamed {
                                old: ot.name(o).to_string(),
                                new: nt.name(n).to_string(),
                            };
                            self.change(kind, Some(o), Some(n));
                        }
                        self.compare(o, n);
                    }
                    None => self.deleted.push(o),
                }
            }
        }
        for (k, n) in new_left.into_iter().enumerate() {
            if !renamed_new[k] {
                self.inserted.push(n);
            }
        }
    }

    /// Deleted and inserted elements that are the same element (same `xml:id`, identical, or
    /// identical but for numbering, or with mostly the same words) moved: reported, and
    /// compared in depth. The rest stay for the next round. Whether any moved.
    fn resolve_moves(&mut self) -> bool {
        let (ot, nt) = (&self.old.tree, &self.new.tree);
        let deleted = std::mem::take(&mut self.deleted);
        let mut inserted = std::mem::take(&mut self.inserted);
        let mut moved_pairs = Vec::new();
        let mut still_deleted = Vec::new();
        if inserted.is_empty() || deleted.is_empty() {
            still_deleted = deleted;
        } else {
            // The same element: of the same name, and identical, or with the same id, or
            // identical but for numbering. Each is a key; the first inserted element (in list
            // order) under any of an old element's keys is its match.
            let keys = |tree: &Tree, i: usize| -> Vec<u64> {
                if !tree.is_element(i) {
                    return Vec::new();
                }
                let key = |what: u8, value: &dyn Fn(&mut rustc_hash::FxHasher)| {
                    let mut h = rustc_hash::FxHasher::default();
                    (what, tree.name(i)).hash(&mut h);
                    value(&mut h);
                    h.finish()
                };
                let mut keys = vec![
                    key(0, &|h| tree.hash(i).hash(h)),
                    key(1, &|h| tree.hash_ignoring_numbering(i).hash(h)),
                ];
                if let Some(id) = tree.id(i) {
                    keys.push(key(2, &|h| id.hash(h)));
                }
                keys
            };
            let mut postings = Postings::default();
            for (k, &n) in inserted.iter().enumerate() {
                for key in keys(nt, n) {
                    postings.add(key, k);
                }
            }
            let mut taken = vec![false; inserted.len()];
            for o in deleted {
                let same = keys(ot, o)
                    .into_iter()
                    .filter_map(|key| postings.first_free(key, &taken))
                    .min();
                match same {
                    Some(k) => {
                        taken[k] = true;
                        moved_pairs.push((o, inserted[k]));
                    }
                    None => still_deleted.push(o),
                }
            }
            inserted = untaken(inserted, &taken);
        }
        // Moved and edited: an element of the same name elsewhere with mostly the same words (a
        // paragraph moved, with a word changed in it).
        if !still_deleted.is_empty() && !inserted.is_empty() {
            let (pairs, deleted_left, inserted_left) =
                pair_by_words(ot, still_deleted, nt, inserted);
            moved_pairs.extend(pairs);
            (still_deleted, inserted) = (deleted_left, inserted_left);
        }
        let moved = !moved_pairs.is_empty();
        self.deleted = still_deleted;
        self.inserted = inserted;
        for (o, n) in moved_pairs {
            let what = describe(nt, n);
            let from = context(ot, o);
            self.change(ChangeKind::Moved { what, from }, Some(o), Some(n));
            self.compare(o, n);
        }
        moved
    }

    /// Reports what no round paired as deleted and inserted.
    fn report_unpaired(&mut self) {
        let (ot, nt) = (&self.old.tree, &self.new.tree);
        let still_deleted = std::mem::take(&mut self.deleted);
        let inserted = std::mem::take(&mut self.inserted);
        // Whitespace that only separated elements is no text of its own.
        let blank = |tree: &Tree, i: usize| {
            tree.kind(i) == NodeKind::Text && tree.text(i).trim().is_empty()
        };
        for o in still_deleted.into_iter().filter(|o| !blank(ot, *o)) {
            let what = describe(ot, o);
            let parent = ot.parent(o);
            self.change(ChangeKind::Deleted { what }, Some(o), None);
            if let Some(p) = parent {
                let last = self.changes.len() - 1;
                self.changes[last].context = context(ot, p);
            }
        }
        for n in inserted.into_iter().filter(|n| !blank(nt, *n)) {
            let what = describe(nt, n);
            let parent = nt.parent(n);
            self.change(ChangeKind::Inserted { what }, None, Some(n));
            if let Some(p) = parent {
                let last = self.changes.len() - 1;
                self.changes[last].context = context(nt, p);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{diff_keys, shared};
    use similar::{capture_diff_slices, Algorithm, DiffOp};

    /// The length of the script's equal runs, checking that they are equal and that its ranges
    /// tile each list in order (a deletion's place in the new list, and an insertion's in the
    /// old, are not checked: similar sets them after the other half of a replacement).
    fn check(old: &[u64], new: &[u64], ops: &[DiffOp]) -> usize {
        let (mut i, mut j, mut equal) = (0, 0, 0);
        for op in ops {
            if let DiffOp::Equal {
                old_index,
                new_index,
                len,
            } = *op
            {
                assert_eq!(
                    old[old_index..old_index + len],
                    new[new_index..new_index + len]
                );
                equal += len;
            }
            let (old_range, new_range) = (op.old_range(), op.new_range());
            if !old_range.is_empty() {
                assert_eq!(old_range.start, i, "{op:?}");
                i = old_range.end;
            }
            if !new_range.is_empty() {
                assert_eq!(new_range.start, j, "{op:?}");
                j = new_range.end;
            }
        }
        assert_eq!((i, j), (old.len(), new.len()));
        equal
    }

    #[test]
    fn long_key_lists_cut_to_what_both_hold_keep_a_longest_common_subsequence() {
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = |modulo: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            (state >> 33) % modulo
        };
        for round in 0..20 {
            // Keys 0..50 may be on both sides; 1000+ only on one.
            let mut list = |len: usize, own: u64| -> Vec<u64> {
                (0..len)
                    .map(|_| {
                        if next(3) == 0 {
                            next(50)
                        } else {
                            own + next(1_000_000)
                        }
                    })
                    .collect()
            };
            let old = list(700 + round * 10, 1_000);
            let new = list(650 + round * 7, 10_000_000);
            let ours = check(&old, &new, &diff_keys(&old, &new));
            let plain = check(
                &old,
                &new,
                &capture_diff_slices(Algorithm::Myers, &old, &new),
            );
            assert_eq!(ours, plain, "round {round}");
        }
    }

    #[test]
    fn shared_counts_repeats() {
        assert_eq!(shared(&[1, 1, 2, 3], &[1, 1, 1, 3, 4]), 3);
        assert_eq!(shared::<u8>(&[], &[1]), 0);
    }
}
