//! Validating documents: the document walk over derivatives, recovery after errors, messages
//! that say what was expected, and ID uniqueness.
//!
//! The walk is iterative (an explicit stack), so the depth of a document costs heap, not the
//! call stack. After an error the validator recovers as jing does and goes on to report every
//! error of the document: an element not allowed is checked against its own definition and then
//! skipped; an attribute not allowed is ignored; missing content and attributes are forgiven.

use super::datatype::XsdType;
use super::derive::{is_whitespace, Deriver, NameId};
use super::ids::IdTable;
use super::pattern::{NcId, Pat, PatId, NOT_ALLOWED};
use super::syntax::NameClass;
use super::Schema;
use crate::base::diagnostic::{column_at, Diagnostic, Location};
use crate::base::path::{nearest_path, Step, MAX_STEPS};
use crate::xml::scan::{decode, scan, Chars, Handler, ScanError, StartTag};
use crate::xml::ReadLimits;
use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

/// Validates documents against one schema; reuse it for a batch (its memo tables persist).
pub struct Validator<'s> {
    pub(super) schema: &'s Schema,
    pub(super) deriver: Deriver,
    id_names: rustc_hash::FxHashMap<NameId, XsdType>,
    /// Every element pattern by name, for checking the contents of misplaced elements; built at
    /// the first such error.
    by_name: Option<HashMap<NameId, PatId>>,
    /// Limits applied to every document.
    pub limits: ReadLimits,
    /// Set from another thread when the result is no longer wanted (the language server's
    /// document changed again): the walk stops at the next element.
    cancel: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>,
}

/// Text met since the last tag of an element's content, merged into one piece (RELAX NG's
/// data model knows no adjacent text nodes, nor the comments between them).
enum PendingText {
    None,
    /// One span of the document, references not yet read.
    Span {
        start: usize,
        end: usize,
    },
    /// Several pieces, or text from an entity, decoded; with the offset of the first piece.
    Owned(String, usize),
}

impl PendingText {
    fn push(&mut self, document: &str, chars: Chars<'_>, offset: usize) {
        *self = match (std::mem::replace(self, PendingText::None), chars) {
            (PendingText::None, Chars::Source { start, end }) => PendingText::Span { start, end },
            (PendingText::None, Chars::Expanded(piece)) => PendingText::Owned(piece.into(), offset),
            (earlier, chars) => {
                let (mut text, first) = match earlier {
                    PendingText::Span { start, end } => {
                        (decode(&document[start..end]).into_owned(), start)
                    }
                    PendingText::Owned(text, first) => (text, first),
                    PendingText::None => unreachable!("matched above"),
                };
                match chars {
                    Chars::Source { start, end } => text.push_str(&decode(&document[start..end])),
                    Chars::Expanded(piece) => text.push_str(piece),
                }
                PendingText::Owned(text, first)
            }
        }
    }

    /// The text and where it starts; `None` when there was none.
    fn take<'d>(&mut self, document: &'d str) -> Option<(Cow<'d, str>, usize)> {
        match std::mem::replace(self, PendingText::None) {
            PendingText::None => None,
            PendingText::Span { start, end } => Some((decode(&document[start..end]), start)),
            PendingText::Owned(text, first) => Some((Cow::Owned(text), first)),
        }
    }
}

/// An open element.
struct Frame {
    name: NameId,
    /// Where its start tag is.
    offset: usize,
    /// Its position among the siblings of its name so far (1-based).
    position: u32,
    outer: PatId,
    inside: PatId,
    recovering: bool,
    /// The content was reported invalid already; the end tag is forgiven.
    content_failed: bool,
    /// Whether an element has been met in its content.
    has_elements: bool,
    text: PendingText,
    /// How many children of each name it has had, for the positions in paths.
    children: SiblingCounts,
    /// Steps of reported paths that are its children, waiting to learn whether their name is
    /// shared: (problem, step).
    waiting: Vec<(usize, usize)>,
    /// The length of the namespace stack outside it.
    namespaces: usize,
}

/// Children counted by name: a short list, and a table once there are many names (so that an
/// element with a million differently named children costs no more than one with a million `p`).
#[derive(Default)]
struct SiblingCounts {
    few: Vec<(NameId, u32)>,
    many: rustc_hash::FxHashMap<NameId, u32>,
}

impl SiblingCounts {
    const FEW: usize = 16;

    fn clear(&mut self) {
        self.few.clear();
        self.many.clear();
    }

    /// Counts one more child named `name`: its position among those.
    fn add(&mut self, name: NameId) -> u32 {
        if let Some(entry) = self.few.iter_mut().find(|(n, _)| *n == name) {
            entry.1 += 1;
            return entry.1;
        }
        if self.few.len() < Self::FEW {
            self.few.push((name, 1));
            return 1;
        }
        let count = self.many.entry(name).or_insert(0);
        *count += 1;
        *count
    }

    fn get(&self, name: NameId) -> u32 {
        self.few
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, c)| *c)
            .or_else(|| self.many.get(&name).copied())
            .unwrap_or(0)
    }
}

/// One step of a reported path; whether its name is shared with a sibling is known when its
/// parent ends.
#[derive(Clone, Copy)]
struct PathStep {
    name: NameId,
    position: u32,
    shared: bool,
}

/// The state of one document's validation.
struct Walk<'t> {
    path: &'t Path,
    text: &'t str,
    lines: LineCursor,
    diagnostics: Vec<Diagnostic>,
    /// The path of each problem that has one (by index in `diagnostics`), nearest steps last.
    paths: Vec<Option<Vec<PathStep>>>,
    ids: IdTable,
    idrefs: Vec<(String, usize)>,
    /// Open elements, innermost last: `frames[..depth]`; frames past it are kept for reuse.
    frames: Vec<Frame>,
    depth: usize,
    /// Prefix → namespace bindings in force, innermost last.
    namespaces: Vec<(String, String)>,
    /// Set when the validation was cancelled: the rest of the document is ignored.
    stopped: bool,
}

impl Walk<'_> {
    fn location(&mut self, offset: usize) -> Location {
        let (line, column) = self.lines.line_column(self.text, offset);
        Location::new(self.path, line, column)
    }

    /// Reports a problem of the innermost open element.
    fn report(&mut self, offset: usize, message: String) {
        let location = self.location(offset);
        let index = self.diagnostics.len();
        self.diagnostics.push(Diagnostic::error(location, message));
        // The nearest steps, and one more to know there are more.
        let from = self.depth.saturating_sub(MAX_STEPS + 1);
        let mut steps = Vec::with_capacity(self.depth - from);
        for depth in from..self.depth {
            let frame = &self.frames[depth];
            steps.push(PathStep {
                name: frame.name,
                position: frame.position,
                shared: false,
            });
            if depth > 0 {
                self.frames[depth - 1].waiting.push((index, depth - from));
            }
        }
        self.paths.push(Some(steps));
    }

    /// Reports a problem that belongs to no element.
    fn report_unplaced(&mut self, offset: usize, message: String) {
        let location = self.location(offset);
        self.diagnostics.push(Diagnostic::error(location, message));
        self.paths.push(None);
    }

    fn current(&self) -> &Frame {
        &self.frames[self.depth - 1]
    }

    fn current_mut(&mut self) -> &mut Frame {
        &mut self.frames[self.depth - 1]
    }

    /// The namespace bound to `prefix` where the walk stands (the empty prefix: the default).
    fn resolve(&self, prefix: &str) -> Option<String> {
        if prefix == "xml" {
            return Some(crate::base::ns::XML.to_string());
        }
        self.namespaces
            .iter()
            .rev()
            .find(|(p, _)| p == prefix)
            .filter(|(_, uri)| !uri.is_empty())
            .map(|(_, uri)| uri.clone())
    }

    /// Closes the innermost frame: the steps waiting on it learn whether their names are
    /// shared.
    fn close(&mut self) {
        self.depth -= 1;
        let frame = &mut self.frames[self.depth];
        for (problem, step) in frame.waiting.drain(..) {
            if let Some(Some(steps)) = self.paths.get_mut(problem) {
                let name = steps[step].name;
                steps[step].shared = frame.children.get(name) > 1;
            }
        }
        self.namespaces.truncate(frame.namespaces);
    }
}

/// Line and column of byte offsets met mostly in increasing order: each counts the line ends
/// from the last one asked for, so a document costs one pass however many problems it has, and
/// no index of its lines is held. An offset behind the cursor (an element's start, an ID's
/// first definition) is counted from the nearest checkpoint before it, left every
/// [`CHECKPOINT_STEP`] bytes as the reading goes, so that looking back never reads the document
/// again from its start (of a mapped file, the pages given back).
#[derive(Default)]
struct LineCursor {
    offset: usize,
    line_ends_before: usize,
    /// (offset, line ends before it), in increasing order.
    checkpoints: Vec<(usize, usize)>,
}

/// How far apart the checkpoints of a [`LineCursor`] are.
const CHECKPOINT_STEP: usize = 4 << 20;

impl LineCursor {
    fn line_column(&mut self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let bytes = text.as_bytes();
        let line_ends_before = if offset >= self.offset {
            self.line_ends_before +=
                memchr::memchr_iter(b'\n', &bytes[self.offset..offset]).count();
            self.offset = offset;
            self.line_ends_before
        } else {
            let k = self.checkpoints.partition_point(|(at, _)| *at <= offset);
            let (from, before) = k.checked_sub(1).map_or((0, 0), |k| self.checkpoints[k]);
            before + memchr::memchr_iter(b'\n', &bytes[from..offset]).count()
        };
        (line_ends_before + 1, column_at(text, offset))
    }

    /// Leaves a checkpoint at `offset` if the last one is far enough behind.
    fn pass(&mut self, text: &str, offset: usize) {
        let last = self.checkpoints.last().map_or(0, |(at, _)| *at);
        if offset >= last + CHECKPOINT_STEP && offset >= self.offset {
            self.line_column(text, offset);
            self.checkpoints.push((self.offset, self.line_ends_before));
        }
    }
}

/// How often, in bytes of the document, a validation tells its caller how far it has come.
const PROGRESS_STEP: usize = 8 << 20;

/// The largest document whose well-formedness error is described by [`crate::xml::parse`], as
/// everywhere else in teikit; a larger one is described by the scanner alone, which holds no
/// tree of it.
const DESCRIBED_BY_PARSE: usize = 64 << 20;

/// The error of a document that is not well-formed: as [`crate::xml::parse`] words it, which
/// every other command reports, unless the document is too large to parse into a tree.
fn not_well_formed(path: &Path, text: &str, limits: ReadLimits, problem: ScanError) -> Diagnostic {
    if text.len() <= DESCRIBED_BY_PARSE {
        if let Err(described) = crate::xml::parse(path, text, limits) {
            return described;
        }
    }
    let mut lines = LineCursor::default();
    let (line, column) = lines.line_column(text, problem.offset);
    Diagnostic::error(
        Location::new(path, line, column),
        format!("not well-formed XML: {}", problem.message),
    )
}

/// The validator and one document's walk, as the scanner's handler; it tells `progress` the
/// offset reached every [`PROGRESS_STEP`] bytes.
struct Validation<'v, 's, 't, 'p> {
    validator: &'v mut Validator<'s>,
    walk: Walk<'t>,
    progress: &'p mut dyn FnMut(usize),
    next_progress: usize,
}

impl Handler for Validation<'_, '_, '_, '_> {
    fn start_element(&mut self, tag: &StartTag<'_>) {
        if tag.offset >= self.next_progress {
            (self.progress)(tag.offset);
            self.next_progress = tag.offset + PROGRESS_STEP;
        }
        let walk = &mut self.walk;
        if walk.stopped {
            return;
        }
        if self.validator.cancelled() {
            walk.stopped = true;
            return;
        }
        walk.lines.pass(walk.text, tag.offset);
        let v = &mut *self.validator;
        let name = v.deriver.name(tag.namespace, tag.local);
        let outer = if walk.depth == 0 {
            v.schema.compiled.start
        } else {
            v.mixed_text(walk);
            let parent = walk.current_mut();
            parent.has_elements = true;
            parent.inside
        };
        let position = match walk.depth {
            0 => 1,
            depth => walk.frames[depth - 1].children.add(name),
        };
        let namespaces = walk.namespaces.len();
        walk.namespaces.extend(
            tag.declared
                .iter()
                .map(|n| (n.prefix.to_string(), n.uri.to_string())),
        );
        // A frame left by an element closed earlier lends its lists, cleared.
        let (mut children, mut waiting) = match walk.frames.get_mut(walk.depth) {
            Some(old) => (
                std::mem::take(&mut old.children),
                std::mem::take(&mut old.waiting),
            ),
            None => Default::default(),
        };
        children.clear();
        waiting.clear();
        let frame = Frame {
            name,
            offset: tag.offset,
            position,
            outer,
            inside: outer,
            recovering: false,
            content_failed: false,
            has_elements: false,
            text: PendingText::None,
            children,
            waiting,
            namespaces,
        };
        match walk.frames.get_mut(walk.depth) {
            Some(slot) => *slot = frame,
            None => walk.frames.push(frame),
        }
        walk.depth += 1;
        if walk.depth == 1 && outer == NOT_ALLOWED {
            walk.report(
                tag.offset,
                "the schema allows no document at all (its start is notAllowed)".into(),
            );
        }
        let (inside, recovering) = v.open(tag, name, outer, walk);
        let frame = walk.current_mut();
        frame.inside = inside;
        frame.recovering = recovering;
    }

    fn end_element(&mut self, end: usize) {
        let walk = &mut self.walk;
        if walk.stopped || walk.depth == 0 {
            return;
        }
        let v = &mut *self.validator;
        if walk.current().has_elements {
            v.mixed_text(walk);
        } else {
            v.text_only(walk, end);
        }
        let result = v.finish(walk);
        walk.close();
        if walk.depth > 0 {
            walk.current_mut().inside = result;
        }
    }

    fn text(&mut self, chars: Chars<'_>, offset: usize) {
        let walk = &mut self.walk;
        if walk.stopped || walk.depth == 0 {
            return;
        }
        let document = walk.text;
        walk.current_mut().text.push(document, chars, offset);
    }

    fn comment(&mut self, _: Chars<'_>, _: usize) {}

    fn processing_instruction(&mut self, _: &str, _: Chars<'_>, _: usize) {}

    fn reached(&mut self, offset: usize) {
        (self.progress)(offset);
    }
}

impl<'s> Validator<'s> {
    /// The validator, checking documents within `limits` (its depth among them).
    pub fn with_limits(mut self, limits: ReadLimits) -> Self {
        self.limits = limits;
        self
    }

    pub(super) fn new(schema: &'s Schema) -> Self {
        let mut deriver = Deriver::new(schema.compiled.store.clone());
        let mut id_names = rustc_hash::FxHashMap::default();
        for (ns, local, kind) in &schema.id_attributes {
            id_names.insert(deriver.name(ns, local), *kind);
        }
        Validator {
            schema,
            deriver,
            id_names,
            by_name: None,
            limits: ReadLimits::default(),
            cancel: None,
        }
    }

    /// Stops validations once `flag` is set (they then return what they found so far, which
    /// the caller, having asked to cancel, discards); `None` to validate to the end.
    pub fn cancel_when(&mut self, flag: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>) {
        self.cancel = flag;
    }

    /// The flag this validator stops at, if any (to hand on to another validator).
    pub fn cancellation(&self) -> Option<std::sync::Arc<std::sync::atomic::AtomicBool>> {
        self.cancel.clone()
    }

    fn cancelled(&self) -> bool {
        self.cancel
            .as_ref()
            .is_some_and(|flag| flag.load(std::sync::atomic::Ordering::Relaxed))
    }

    /// Validates the document `text` read from `path`; returns every problem, in document order.
    /// A document that is not well-formed gives one error, located where reading stopped.
    ///
    /// The document is read in one pass of [`crate::xml::scan`], without a tree: what the walk
    /// holds is the open elements and the IDs met, whatever the document's size.
    pub fn validate(&mut self, path: &Path, text: &str) -> Vec<Diagnostic> {
        self.validate_with_progress(path, text, &mut |_| {})
            .unwrap_or_else(|not_well_formed| vec![not_well_formed])
    }

    /// [`Validator::validate`], telling `progress` from time to time how far into `text` the
    /// reading has come (so that a document mapped from a file can give back what lies
    /// behind); a document that is not well-formed is the error.
    pub fn validate_with_progress(
        &mut self,
        path: &Path,
        text: &str,
        progress: &mut dyn FnMut(usize),
    ) -> Result<Vec<Diagnostic>, Diagnostic> {
        let limits = self.limits;
        let mut validation = Validation {
            validator: self,
            walk: Walk {
                path,
                text,
                lines: LineCursor::default(),
                diagnostics: Vec::new(),
                paths: Vec::new(),
                ids: IdTable::default(),
                idrefs: Vec::new(),
                frames: Vec::new(),
                depth: 0,
                namespaces: Vec::new(),
                stopped: false,
            },
            progress,
            next_progress: PROGRESS_STEP,
        };
        if let Err(problem) = scan(text, limits, &mut validation) {
            return Err(not_well_formed(path, text, limits, problem));
        }
        let mut walk = validation.walk;
        for (id, offset) in std::mem::take(&mut walk.idrefs) {
            if !walk.ids.contains(&id) {
                walk.report_unplaced(
                    offset,
                    format!("IDREF `{id}` does not match any ID of the document"),
                );
            }
        }
        let deriver = &self.deriver;
        let mut found: Vec<Diagnostic> = walk
            .diagnostics
            .into_iter()
            .zip(walk.paths)
            .map(|(diagnostic, steps)| match steps {
                Some(steps) => {
                    let path = nearest_path(steps.iter().rev().map(|step| Step {
                        name: deriver.local_name(step.name),
                        position: step.shared.then_some(step.position as usize),
                    }));
                    diagnostic.with_path(path)
                }
                None => diagnostic,
            })
            .collect();
        found.sort_by(|a, b| a.location.cmp(&b.location));
        Ok(found)
    }

    /// Text among the elements of the innermost one: derived where it is not whitespace.
    fn mixed_text(&mut self, walk: &mut Walk) {
        let document = walk.text;
        let Some((text, offset)) = walk.current_mut().text.take(document) else {
            return;
        };
        if is_whitespace(&text) {
            return;
        }
        let inside = walk.current().inside;
        let derived = self.deriver.text(inside, &text, &|p| walk.resolve(p));
        if derived == NOT_ALLOWED {
            if inside != NOT_ALLOWED {
                let expected = self.describe_expected(inside, walk.current().name);
                walk.report(
                    offset,
                    format!("text not allowed here; expected {expected}"),
                );
            }
        } else {
            walk.current_mut().inside = derived;
        }
    }

    /// The content of an element that holds no element: one text, as the specification's
    /// childrenDeriv says (empty content is the empty text, located at the element's end).
    fn text_only(&mut self, walk: &mut Walk, end: usize) {
        let document = walk.text;
        let (text, offset) = walk
            .current_mut()
            .text
            .take(document)
            .unwrap_or((Cow::Borrowed(""), end));
        let inside = walk.current().inside;
        let derived = self.deriver.text(inside, &text, &|p| walk.resolve(p));
        let derived = if is_whitespace(&text) {
            self.deriver.store.choice(inside, derived)
        } else {
            derived
        };
        if derived == NOT_ALLOWED && inside != NOT_ALLOWED {
            let expected = self.describe_text(inside);
            let local = self.deriver.local_name(walk.current().name).to_string();
            walk.report(
                offset,
                format!(
                    "{} of element `{local}` is invalid; expected {expected}",
                    describe_found_text(&text),
                ),
            );
            walk.current_mut().content_failed = true;
            return;
        }
        walk.current_mut().inside = derived;
    }

    /// Processes a start tag and its attributes; returns the pattern for the content and whether
    /// the element is being checked only for recovery (it was not allowed where it stands).
    fn open(
        &mut self,
        tag: &StartTag,
        name: NameId,
        outer: PatId,
        walk: &mut Walk,
    ) -> (PatId, bool) {
        let local = tag.local;
        let mut p = self.deriver.start_tag_open(outer, name);
        let mut recovering = false;
        if p == NOT_ALLOWED && outer != NOT_ALLOWED {
            // Allowed once missing content is skipped? Then it is only early: say what is
            // missing and go on from there, as jing does.
            let skipped = self.deriver.start_tag_open_skipping(outer, name);
            if skipped != NOT_ALLOWED {
                let expected = self.describe_expected(outer, walk.current().name);
                walk.report(
                    tag.offset,
                    format!("element `{local}` not allowed yet; expected {expected} first"),
                );
                p = skipped;
            }
        }
        if p == NOT_ALLOWED {
            recovering = true;
            if outer != NOT_ALLOWED {
                let known = self.elements_named(name) != NOT_ALLOWED;
                let expected = self.describe_expected(outer, walk.current().name);
                let place = if known { "here" } else { "anywhere" };
                walk.report(
                    tag.offset,
                    format!("element `{local}` not allowed {place}; expected {expected}"),
                );
            }
            p = self.elements_named(name);
        }
        for attribute in tag.attributes {
            let ans = attribute.namespace;
            let aname = self.deriver.name(ans, attribute.local);
            self.check_id(aname, attribute.value, attribute.offset, walk);
            if p == NOT_ALLOWED {
                continue;
            }
            let q = self
                .deriver
                .attribute(p, aname, attribute.value, &|prefix| walk.resolve(prefix));
            if q == NOT_ALLOWED {
                let shown = display_name(ans, attribute.local);
                let accepting = self.deriver.candidates(p, aname);
                if accepting.is_empty() {
                    let expected = self.describe_attributes(p);
                    walk.report(
                        attribute.offset,
                        format!(
                            "attribute `{shown}` not allowed on `{local}`; expected {expected}"
                        ),
                    );
                } else {
                    let expected = accepting
                        .iter()
                        .map(|v| self.describe_text(*v))
                        .collect::<BTreeSet<_>>()
                        .into_iter()
                        .collect::<Vec<_>>()
                        .join(" or ");
                    walk.report(
                        attribute.offset,
                        format!(
                            "value `{}` of attribute `{shown}` is invalid; expected {expected}",
                            attribute.value
                        ),
                    );
                    // Forgive the value, so the attribute does not also count as missing.
                    p = self.deriver.attribute_any_value(p, aname);
                }
            } else {
                p = q;
            }
        }
        let closed = self.deriver.start_tag_close(p);
        if closed == NOT_ALLOWED && p != NOT_ALLOWED {
            let missing = self.required_attributes(p);
            walk.report(
                tag.offset,
                format!(
                    "element `{local}` is missing required attribute {}",
                    or_list(&missing)
                ),
            );
            return (self.deriver.start_tag_close_forgiving(p), recovering);
        }
        (closed, recovering)
    }

    /// The choice of every element pattern of the schema named `name`, ready for its content.
    pub(super) fn elements_named(&mut self, name: NameId) -> PatId {
        if self.by_name.is_none() {
            let mut by_name: HashMap<NameId, PatId> = HashMap::new();
            let deriver = &mut self.deriver;
            let elements: Vec<(NcId, u32)> = (0..deriver.store.len() as PatId)
                .filter_map(|p| match deriver.store.get(p) {
                    Pat::Element(nc, c) => Some((nc, c)),
                    _ => None,
                })
                .collect();
            for (nc, content) in elements {
                if let NameClass::Name(ns, local) = deriver.store.name_classes[nc as usize].clone()
                {
                    let element = deriver.name(&ns, &local);
                    let c = deriver.store.contents[content as usize];
                    let after = deriver.store.after(c, super::pattern::EMPTY);
                    let entry = by_name.entry(element).or_insert(NOT_ALLOWED);
                    *entry = deriver.store.choice(*entry, after);
                }
            }
            self.by_name = Some(by_name);
        }
        self.by_name
            .as_ref()
            .and_then(|m| m.get(&name).copied())
            .unwrap_or(NOT_ALLOWED)
    }

    /// The end tag of the innermost element: the pattern its parent goes on with.
    fn finish(&mut self, walk: &mut Walk) -> PatId {
        let frame = walk.current();
        let (inside, content_failed, name, offset) =
            (frame.inside, frame.content_failed, frame.name, frame.offset);
        let mut after = if content_failed {
            self.deriver.continuation(inside)
        } else {
            self.deriver.end_tag(inside)
        };
        if after == NOT_ALLOWED && !content_failed {
            if inside != NOT_ALLOWED {
                let expected = self.describe_expected(inside, name);
                let local = self.deriver.local_name(name).to_string();
                walk.report(
                    offset,
                    format!("element `{local}` incomplete; expected {expected}"),
                );
            }
            after = self.deriver.continuation(inside);
        }
        let frame = walk.current();
        if frame.recovering || after == NOT_ALLOWED {
            frame.outer
        } else {
            after
        }
    }

    fn check_id(&mut self, name: NameId, value: &str, offset: usize, walk: &mut Walk) {
        let Some(kind) = self.id_names.get(&name).copied() else {
            return;
        };
        match kind {
            XsdType::Id => {
                let id = value.trim();
                if let Some(first) = walk.ids.insert(id, offset) {
                    let at = walk.location(first);
                    walk.report(
                        offset,
                        format!(
                            "ID `{id}` has already been defined at {}:{}",
                            at.line, at.column
                        ),
                    );
                }
            }
            XsdType::IdRef => walk.idrefs.push((value.trim().to_string(), offset)),
            _ => {
                for id in value.split_whitespace() {
                    walk.idrefs.push((id.to_string(), offset));
                }
            }
        }
    }

    fn describe_attributes(&mut self, p: PatId) -> String {
        let store = &self.deriver.store;
        let names: BTreeSet<String> = store
            .attributes_at(p)
            .into_iter()
            .map(|(nc, _)| describe_name_class(&store.name_classes[nc as usize]))
            .collect();
        if names.is_empty() {
            "no attributes".to_string()
        } else {
            format!(
                "attribute {}",
                or_list(&names.into_iter().collect::<Vec<_>>())
            )
        }
    }

    fn required_attributes(&mut self, p: PatId) -> Vec<String> {
        fn walk(v: &mut Validator, p: PatId, out: &mut BTreeSet<String>, depth: usize) {
            if depth > 200 {
                return;
            }
            match v.deriver.store.get(p) {
                Pat::Group(a, b) | Pat::Interleave(a, b) => {
                    walk(v, a, out, depth + 1);
                    walk(v, b, out, depth + 1);
                }
                Pat::Choice(a, b) => {
                    let (mut x, mut y) = (BTreeSet::new(), BTreeSet::new());
                    walk(v, a, &mut x, depth + 1);
                    walk(v, b, &mut y, depth + 1);
                    if !x.is_empty() && !y.is_empty() {
                        out.extend(x);
                        out.extend(y);
                    }
                }
                Pat::OneOrMore(a) | Pat::After(a, _) => walk(v, a, out, depth + 1),
                Pat::Attribute(nc, _) => {
                    out.insert(describe_name_class(
                        &v.deriver.store.name_classes[nc as usize],
                    ));
                }
                _ => {}
            }
        }
        let mut out = BTreeSet::new();
        walk(self, p, &mut out, 0);
        out.into_iter().collect()
    }

    /// "element `p`, `list` or `table`", "the end of the element or element `p`", "text".
    fn describe_expected(&mut self, p: PatId, context: NameId) -> String {
        let mut names: BTreeSet<(String, String)> = BTreeSet::new();
        let mut end = false;
        let mut text = false;
        let mut seen = HashSet::new();
        let mut stack = vec![p];
        while let Some(q) = stack.pop() {
            if !seen.insert(q) {
                continue;
            }
            match self.deriver.store.get(q) {
                Pat::Choice(a, b) | Pat::Interleave(a, b) => {
                    stack.push(a);
                    stack.push(b);
                }
                Pat::Group(a, b) => {
                    stack.push(a);
                    if self.deriver.nullable(a) {
                        stack.push(b);
                    }
                }
                Pat::OneOrMore(a) => stack.push(a),
                Pat::After(a, _) => {
                    if self.deriver.nullable(a) {
                        end = true;
                    }
                    stack.push(a);
                }
                Pat::Element(nc, _) => {
                    collect_names(&self.deriver.store.name_classes[nc as usize], &mut names);
                }
                Pat::Text | Pat::Data(_) | Pat::DataExcept(..) | Pat::Value(_) | Pat::List(_) => {
                    text = true
                }
                _ => {}
            }
        }
        let context_ns = self.deriver.name_parts(context).0.to_string();
        let mut parts = Vec::new();
        if end {
            parts.push("the end of the element".to_string());
        }
        if !names.is_empty() {
            let foreign: BTreeSet<&str> = names
                .iter()
                .map(|(ns, _)| ns.as_str())
                .filter(|ns| *ns != context_ns)
                .collect();
            let list: Vec<String> = names.iter().map(|(_, l)| l.clone()).collect();
            let mut s = format!("element {}", or_list(&list));
            if foreign.len() == 1 {
                let ns = foreign.iter().next().expect("one");
                if ns.is_empty() {
                    s.push_str(" (in no namespace)");
                } else {
                    s.push_str(&format!(" (in namespace {ns})"));
                }
            }
            parts.push(s);
        }
        if text {
            parts.push("text".to_string());
        }
        if parts.is_empty() {
            "nothing more".to_string()
        } else {
            parts.join(" or ")
        }
    }

    /// What text a pattern accepts: "a value of type xsd:date", "`high`, `low` or …".
    fn describe_text(&mut self, p: PatId) -> String {
        let mut values = BTreeSet::new();
        let mut types = BTreeSet::new();
        let mut seen = HashSet::new();
        let mut stack = vec![p];
        let mut any_text = false;
        while let Some(q) = stack.pop() {
            if !seen.insert(q) {
                continue;
            }
            match self.deriver.store.get(q) {
                Pat::Choice(a, b) | Pat::Group(a, b) | Pat::Interleave(a, b) => {
                    stack.push(a);
                    stack.push(b);
                }
                Pat::OneOrMore(a) | Pat::After(a, _) => stack.push(a),
                Pat::List(a) => {
                    types.insert("a whitespace-separated list".to_string());
                    stack.push(a);
                }
                Pat::Value(v) => {
                    values.insert(format!("`{}`", self.deriver.store.values[v as usize].text));
                }
                Pat::Data(dt) | Pat::DataExcept(dt, _) => {
                    types.insert(format!(
                        "a value of type {}",
                        self.deriver.store.datatypes[dt as usize].name()
                    ));
                }
                Pat::Text => any_text = true,
                Pat::Element(nc, _) => {
                    types.insert(format!(
                        "element {}",
                        describe_name_class(&self.deriver.store.name_classes[nc as usize])
                    ));
                }
                _ => {}
            }
        }
        let mut parts: Vec<String> = types.into_iter().collect();
        if !values.is_empty() {
            parts.push(format!(
                "one of {}",
                values.into_iter().collect::<Vec<_>>().join(", ")
            ));
        }
        if any_text {
            parts.push("text".into());
        }
        if parts.is_empty() {
            "no content".into()
        } else {
            parts.join(" or ")
        }
    }
}

fn collect_names(nc: &NameClass, out: &mut BTreeSet<(String, String)>) {
    match nc {
        NameClass::Name(ns, local) => {
            out.insert((ns.clone(), local.clone()));
        }
        NameClass::Choice(a, b) => {
            collect_names(a, out);
            collect_names(b, out);
        }
        NameClass::AnyName(_) => {
            out.insert((String::new(), "(any name)".into()));
        }
        NameClass::NsName(ns, _) => {
            out.insert((ns.clone(), format!("(any name in {ns})")));
        }
    }
}

fn describe_name_class(nc: &NameClass) -> String {
    match nc {
        NameClass::Name(ns, local) => display_name(ns, local),
        NameClass::Choice(a, b) => {
            format!("{} or {}", describe_name_class(a), describe_name_class(b))
        }
        NameClass::AnyName(_) => "(any name)".into(),
        NameClass::NsName(ns, _) => format!("(any name in {ns})"),
    }
}

fn display_name(ns: &str, local: &str) -> String {
    if ns == crate::base::ns::XML {
        format!("xml:{local}")
    } else {
        local.to_string()
    }
}

fn describe_found_text(text: &str) -> String {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        "the empty content".to_string()
    } else {
        let shown: String = trimmed.chars().take(40).collect();
        let ellipsis = if trimmed.chars().count() > 40 {
            "…"
        } else {
            ""
        };
        format!("the text `{shown}{ellipsis}`")
    }
}

/// "`a`", "`a` or `b`", "`a`, `b` or `c`".
fn or_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.len() {
        0 => "(none)".to_string(),
        1 => quoted[0].clone(),
        n => format!("{} or {}", quoted[..n - 1].join(", "), quoted[n - 1]),
    }
}

#[cfg(test)]
mod tests {
    use super::{LineCursor, CHECKPOINT_STEP};
    use crate::base::diagnostic::LineIndex;
    use crate::relaxng::Schema;
    use std::path::Path;

    fn problems(rnc: &str, xml: &str) -> Vec<(String, String)> {
        let schema = Schema::from_str(rnc, Path::new("t.rnc")).unwrap_or_else(|e| panic!("{e}"));
        schema
            .validator()
            .validate(Path::new("t.xml"), xml)
            .into_iter()
            .map(|d| (d.path.unwrap_or_default(), d.message))
            .collect()
    }

    #[test]
    fn paths_number_an_element_among_siblings_of_its_name_that_come_after_it_too() {
        let rnc = "start = element r { (element p { empty } | element q { empty })* }";
        // The first `p` has a sibling of its name only later: its path still says `p[1]`.
        let found = problems(rnc, "<r><p><bad/></p><q/><p/></r>");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "/r/p[1]/bad");
        let found = problems(rnc, "<r><p/><q><bad/></q><p/></r>");
        assert_eq!(found[0].0, "/r/q/bad");
        let found = problems(rnc, "<r><q/><p/><q/><p>text</p></r>");
        assert_eq!(found[0].0, "/r/p[2]");
        assert!(
            found[0].1.contains("the text `text` of element `p`"),
            "{found:?}"
        );
    }

    #[test]
    fn remembered_values_are_judged_again_where_namespaces_decide() {
        // The same validator, the same value text: a word's verdict is remembered, a QName's
        // depends on the prefixes each document binds.
        let rnc = "datatypes d = \"http://www.w3.org/2001/XMLSchema-datatypes\"\n\
                   start = element r { attribute q { d:QName }, attribute w { d:NCName } }";
        let schema = Schema::from_str(rnc, Path::new("t.rnc")).unwrap();
        let mut validator = schema.validator();
        let mut check = |xml: &str| validator.validate(Path::new("t.xml"), xml).len();
        assert_eq!(check("<r xmlns:p='urn:p' q='p:x' w='a'/>"), 0);
        assert_eq!(check("<r q='p:x' w='a'/>"), 1, "p is not bound here");
        assert_eq!(
            check("<r xmlns:p='urn:p' q='p:x' w='a:b'/>"),
            1,
            "a:b is no NCName"
        );
        assert_eq!(check("<r xmlns:p='urn:p' q='p:x' w='a'/>"), 0);
    }

    #[test]
    fn text_split_by_comments_and_references_is_one_text() {
        let rnc = "datatypes d = \"http://www.w3.org/2001/XMLSchema-datatypes\"\n\
                   start = element r { element n { d:integer }* }";
        assert!(problems(
            rnc,
            "<r><n>1<!-- c -->2</n><n>&#x33;4</n><n><![CDATA[5]]>6</n></r>"
        )
        .is_empty());
        let found = problems(rnc, "<r><n>1<!-- c --> 2</n></r>");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].1.contains("the text `1 2`"), "{found:?}");
    }

    #[test]
    fn the_line_cursor_agrees_with_the_line_index_looking_forward_and_back() {
        let mut text = String::new();
        let mut k = 0;
        while text.len() < 3 * CHECKPOINT_STEP {
            text.push_str(&"é".repeat(k % 7));
            text.push_str(&"x".repeat(k % 131));
            text.push('\n');
            k += 1;
        }
        let index = LineIndex::new(&text);
        let mut cursor = LineCursor::default();
        let mut random = 0x9e37_79b9_7f4a_7c15u64;
        for step in 0..2000 {
            random ^= random << 13;
            random ^= random >> 7;
            random ^= random << 17;
            let mut offset = (random % text.len() as u64) as usize;
            while !text.is_char_boundary(offset) {
                offset -= 1;
            }
            // Reading goes forward, leaving checkpoints; problems look back now and then.
            let reading = step * text.len() / 2000;
            cursor.pass(&text, reading);
            assert_eq!(
                cursor.line_column(&text, offset),
                index.line_column(&text, offset),
                "offset {offset}"
            );
        }
    }
}
