//! XInclude 1.0, as jing (through Xerces) resolves it: a document's `xi:include` elements
//! replaced by what they name, before the document is validated.
//!
//! - `parse="xml"` (the default) includes another file's root element, or the element that an
//!   `xpointer` names: a shorthand (an `xml:id`) or an `element()` child sequence (`/1/2`,
//!   `d1/3`). The included element gets `xml:base` (the `href`) and, where its language differs
//!   from its new parent's, `xml:lang`, as Xerces adds them; its namespaces go with it.
//! - `parse="text"` includes a file's text (UTF-8, or `encoding="ISO-8859-1"`), escaped.
//! - A file that is missing or unreadable, or an `xpointer` that names nothing, is a resource
//!   error: the `xi:fallback`'s content stands in, with a warning; without a fallback the
//!   document is not assembled (an error). An included file that is not well-formed, an
//!   inclusion loop, or an unknown `parse` is an error whatever the fallback.
//! - Inclusions nest (an included file's own, a fallback's); every file is read within the
//!   limits of the main document, and so is the assembled whole.
//!
//! The assembled text keeps a map to where each part came from, so that a problem found in it
//! is reported at its line and column in the file it came from ([`Included::locate`]).
//!
//! Only files named by a relative `href` inside the working directory or the main document's
//! directory are read: an absolute path, a URL, or a file elsewhere is a resource error (so a
//! document cannot make teikit read the rest of the machine or the network).
//!
//! Not supported: `href` to the same document, `xml:base`
//! attributes changing where an `href` is resolved, `accept` and `accept-language`. Unlike
//! Xerces, a shorthand `xpointer` finds an `xml:id` (Xerces finds only DTD-declared IDs).

use super::{decode, parse, ReadLimits};
use crate::base::diagnostic::{Diagnostic, LineIndex, Location};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// The XInclude namespace.
pub const NS: &str = "http://www.w3.org/2001/XInclude";

/// Whether `text` may hold inclusions (it names the XInclude namespace).
pub fn may_include(text: &str) -> bool {
    memchr::memmem::find(text.as_bytes(), NS.as_bytes()).is_some()
}

/// A document with its inclusions resolved.
#[derive(Debug)]
pub struct Included {
    /// The assembled text.
    pub text: String,
    /// Warnings: inclusions that fell back.
    pub warnings: Vec<Diagnostic>,
    files: Vec<(PathBuf, String)>,
    /// The line starts of each file, for locating.
    indexes: Vec<LineIndex>,
    /// The byte offset of each line of `text`.
    line_starts: Vec<usize>,
    /// Parts of `text` in order, each mapped to a file and an offset in it.
    segments: Vec<Segment>,
}

#[derive(Debug, Clone, Copy)]
struct Segment {
    start: usize,
    file: usize,
    source: usize,
    /// Added text (attributes, escaped text): every byte maps to `source`.
    added: bool,
}

/// Resolves the inclusions of `text`, the contents of `path`, parsed as `doc`; `None` if it has
/// none.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::write(dir.path().join("part.xml"), "<p>included</p>").unwrap();
/// let main = dir.path().join("main.xml");
/// let text = r#"<doc xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="part.xml"/></doc>"#;
/// let doc = roxmltree::Document::parse(text).unwrap();
/// let limits = teikit::xml::ReadLimits::default();
/// let included = teikit::xml::xinclude::resolve(&main, text, &doc, limits).unwrap().unwrap();
/// assert_eq!(
///     included.text,
///     r#"<doc xmlns:xi="http://www.w3.org/2001/XInclude"><p xmlns="" xml:base="part.xml">included</p></doc>"#
/// );
/// ```
pub fn resolve(
    path: &Path,
    text: &str,
    doc: &roxmltree::Document,
    limits: ReadLimits,
) -> Result<Option<Included>, Diagnostic> {
    // A document may declare the namespace and include nothing (one assembled already).
    if !doc.descendants().any(|n| is_xi(&n, "include")) {
        return Ok(None);
    }
    let mut builder = Builder {
        out: String::with_capacity(text.len()),
        segments: Vec::new(),
        files: vec![(path.to_path_buf(), text.to_string())],
        warnings: Vec::new(),
        limits,
        stack: vec![(identity(path), None)],
    };
    let root = doc.root_element();
    let source = Source {
        file: 0,
        path,
        text,
    };
    builder.copy(source.file, text, 0..root.range().start);
    builder.expand(&source, root, root.range())?;
    builder.copy(source.file, text, root.range().end..text.len());
    if builder.out.len() > limits.max_bytes {
        return Err(Diagnostic::error(
            Location::file_start(path),
            format!(
                "the document with its inclusions is {} bytes, more than the limit of {}",
                builder.out.len(),
                limits.max_bytes
            ),
        ));
    }
    let line_starts = std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', builder.out.as_bytes()).map(|p| p + 1))
        .collect();
    Ok(Some(Included {
        indexes: builder
            .files
            .iter()
            .map(|(_, t)| LineIndex::new(t))
            .collect(),
        line_starts,
        text: builder.out,
        warnings: builder.warnings,
        files: builder.files,
        segments: builder.segments,
    }))
}

impl Included {
    /// The file, line and column that byte `offset` of the assembled text came from.
    pub fn locate(&self, offset: usize) -> Location {
        let at = self
            .segments
            .partition_point(|s| s.start <= offset)
            .saturating_sub(1);
        let (file, source) = match self.segments.get(at) {
            Some(s) if s.added => (s.file, s.source),
            Some(s) => (s.file, s.source + (offset - s.start)),
            None => (0, offset),
        };
        let (path, text) = &self.files[file];
        let (line, column) = self.indexes[file].line_column(text, source);
        Location::new(path, line, column)
    }

    /// Moves `diagnostic`, found in the assembled text, to where its text came from.
    pub fn relocate(&self, diagnostic: &mut Diagnostic) {
        if diagnostic.location.file != self.files[0].0 {
            return;
        }
        let line_start = self
            .line_starts
            .get(diagnostic.location.line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len());
        let offset = self.text[line_start..]
            .char_indices()
            .nth(diagnostic.location.column.saturating_sub(1))
            .map_or(self.text.len(), |(i, _)| line_start + i);
        diagnostic.location = self.locate(offset);
    }
}

fn identity(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

/// A document being assembled from.
struct Source<'s> {
    file: usize,
    path: &'s Path,
    text: &'s str,
}

struct Builder {
    out: String,
    segments: Vec<Segment>,
    files: Vec<(PathBuf, String)>,
    warnings: Vec<Diagnostic>,
    limits: ReadLimits,
    /// The inclusions being resolved, to catch a loop: file and xpointer.
    stack: Vec<(PathBuf, Option<String>)>,
}

/// Why an inclusion failed.
enum Failure {
    /// A resource error: the fallback stands in, if there is one.
    Resource(String),
    /// A fatal error.
    Fatal(Diagnostic),
}

/// The file `href` names, relative to the document that includes it.
fn included_path(source: &Source, href: &str) -> PathBuf {
    source
        .path
        .parent()
        .unwrap_or(Path::new(""))
        .join(crate::base::uri::percent_decoded(href))
}

impl Builder {
    /// The bytes of an included file, if it is one teikit may read.
    fn read(&self, path: &Path) -> Result<Vec<u8>, Failure> {
        self.check_inside(path)?;
        std::fs::read(path).map_err(|e| Failure::Resource(unreadable(&e)))
    }

    /// Refuses a file outside the working directory and the main document's directory: a
    /// document may assemble itself from its project, not read the rest of the machine.
    fn check_inside(&self, path: &Path) -> Result<(), Failure> {
        let Ok(file) = path.canonicalize() else {
            // It does not exist: reading it says so.
            return Ok(());
        };
        let main_directory = self.files[0]
            .0
            .parent()
            .map(|d| {
                if d.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    d
                }
            })
            .and_then(|d| d.canonicalize().ok());
        let working_directory = std::env::current_dir()
            .ok()
            .and_then(|d| d.canonicalize().ok());
        if [main_directory, working_directory]
            .iter()
            .flatten()
            .any(|root| file.starts_with(root))
        {
            Ok(())
        } else {
            Err(Failure::Resource(
                "it is outside the working directory and the document's own, where teikit reads inclusions from".to_string(),
            ))
        }
    }

    fn copy(&mut self, file: usize, text: &str, range: Range<usize>) {
        if range.is_empty() {
            return;
        }
        self.segments.push(Segment {
            start: self.out.len(),
            file,
            source: range.start,
            added: false,
        });
        self.out.push_str(&text[range]);
    }

    fn add(&mut self, file: usize, source: usize, added: &str) {
        if added.is_empty() {
            return;
        }
        self.segments.push(Segment {
            start: self.out.len(),
            file,
            source,
            added: true,
        });
        self.out.push_str(added);
    }

    /// Copies `range` of `within` (an element of `source`), resolving the inclusions in it.
    fn expand(
        &mut self,
        source: &Source,
        within: roxmltree::Node,
        range: Range<usize>,
    ) -> Result<(), Diagnostic> {
        let mut cursor = range.start;
        let includes: Vec<roxmltree::Node> = within
            .descendants()
            .filter(|n| is_xi(n, "include") && range.contains(&n.range().start))
            // Only the outermost: those inside another inclusion are that one's business.
            .filter(|n| {
                !n.ancestors()
                    .skip(1)
                    .take_while(|a| *a != within)
                    .any(|a| is_xi(&a, "include"))
            })
            .collect();
        for include in includes {
            self.copy(source.file, source.text, cursor..include.range().start);
            self.include(source, include)?;
            cursor = include.range().end;
        }
        self.copy(source.file, source.text, cursor..range.end);
        Ok(())
    }

    fn include(&mut self, source: &Source, include: roxmltree::Node) -> Result<(), Diagnostic> {
        let at = |message: String| {
            let (line, column) =
                LineIndex::new(source.text).line_column(source.text, include.range().start);
            Diagnostic::error(Location::new(source.path, line, column), message)
        };
        let href = include.attribute("href").unwrap_or("");
        let outcome = match include.attribute("parse").unwrap_or("xml") {
            _ if href.is_empty() => Err(Failure::Fatal(at(
                "xi:include without href: teikit includes other files, not parts of the same document".to_string(),
            ))),
            _ if crate::base::uri::scheme(href).is_some() || href.starts_with(['/', '\\']) => {
                Err(Failure::Resource(
                    "teikit includes files named relative to the document, not absolute paths or URLs"
                        .to_string(),
                ))
            }
            "xml" => self.include_xml(source, include, href, &at),
            "text" => self.include_text(source, include, href),
            other => Err(Failure::Fatal(at(format!(
                "xi:include parse=\"{other}\": expected \"xml\" or \"text\""
            )))),
        };
        match outcome {
            Ok(()) => Ok(()),
            Err(Failure::Fatal(diagnostic)) => Err(diagnostic),
            Err(Failure::Resource(why)) => {
                let fallback = include.children().find(|c| is_xi(c, "fallback"));
                match fallback {
                    Some(fallback) => {
                        let mut warning = at(format!(
                            "`{href}` cannot be included ({why}); its xi:fallback stands in its place"
                        ));
                        warning.severity = crate::base::diagnostic::Severity::Warning;
                        self.warnings.push(warning);
                        let content = match (fallback.first_child(), fallback.last_child()) {
                            (Some(first), Some(last)) => first.range().start..last.range().end,
                            _ => 0..0,
                        };
                        self.expand(source, fallback, content)
                    }
                    None => Err(at(format!(
                        "`{href}` cannot be included ({why}), and the xi:include has no xi:fallback"
                    ))),
                }
            }
        }
    }

    fn include_xml(
        &mut self,
        source: &Source,
        include: roxmltree::Node,
        href: &str,
        at: &dyn Fn(String) -> Diagnostic,
    ) -> Result<(), Failure> {
        let path = included_path(source, href);
        let xpointer = include.attribute("xpointer").map(str::to_string);
        let key = (identity(&path), xpointer.clone());
        if self.stack.contains(&key) {
            return Err(Failure::Fatal(at(format!(
                "`{href}` includes itself, through the inclusions of the files it includes"
            ))));
        }
        let bytes = self.read(&path)?;
        let text = decode(&path, bytes).map_err(Failure::Fatal)?;
        let doc = parse(&path, &text, self.limits).map_err(Failure::Fatal)?;
        let selected = match xpointer.as_deref() {
            None => Some(doc.root_element()),
            Some(pointer) => select(&doc, pointer),
        }
        .ok_or_else(|| {
            Failure::Resource(format!(
                "its xpointer `{}` names no element",
                xpointer.as_deref().unwrap_or("")
            ))
        })?;
        // The included element's start tag gets what it needs to mean the same in its new place.
        let mut added = String::new();
        let declared = own_namespace_declarations(&text, selected);
        for ns in selected.namespaces() {
            let name = ns
                .name()
                .map_or("xmlns".to_string(), |p| format!("xmlns:{p}"));
            if ns.name() != Some("xml") && !declared.contains(&name) {
                added.push_str(&format!(" {name}=\"{}\"", super::escape(ns.uri())));
            }
        }
        if selected.lookup_namespace_uri(None).is_none() && !declared.iter().any(|d| d == "xmlns") {
            added.push_str(" xmlns=\"\"");
        }
        if !selected.has_attribute((roxmltree::NS_XML_URI, "base")) {
            added.push_str(&format!(" xml:base=\"{}\"", super::escape(href)));
        }
        let parent_language = include
            .ancestors()
            .find_map(|a| a.attribute((roxmltree::NS_XML_URI, "lang")))
            .unwrap_or("");
        let language = selected
            .ancestors()
            .find_map(|a| a.attribute((roxmltree::NS_XML_URI, "lang")))
            .unwrap_or("");
        if language != parent_language && !selected.has_attribute((roxmltree::NS_XML_URI, "lang")) {
            added.push_str(&format!(" xml:lang=\"{}\"", super::escape(language)));
        }
        let file = self.files.len();
        self.files.push((path.clone(), text.clone()));
        let range = selected.range();
        let name_end = range.start
            + 1
            + text[range.start + 1..]
                .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
                .unwrap_or(0);
        self.copy(file, &text, range.start..name_end);
        self.add(file, range.start, &added);
        self.stack.push(key);
        let included = Source {
            file,
            path: &path,
            text: &text,
        };
        let expanded = self.expand(&included, selected, name_end..range.end);
        self.stack.pop();
        expanded.map_err(Failure::Fatal)
    }

    fn include_text(
        &mut self,
        source: &Source,
        include: roxmltree::Node,
        href: &str,
    ) -> Result<(), Failure> {
        let path = included_path(source, href);
        let bytes = self.read(&path)?;
        if bytes.len() > self.limits.max_bytes {
            return Err(Failure::Resource(format!(
                "it is larger than the limit of {} bytes",
                self.limits.max_bytes
            )));
        }
        let encoding = include.attribute("encoding").unwrap_or("UTF-8");
        let text = match encoding.to_ascii_uppercase().as_str() {
            "UTF-8" | "US-ASCII" | "ASCII" => String::from_utf8(bytes)
                .map_err(|_| Failure::Resource(format!("it is not {encoding} text")))?,
            "ISO-8859-1" | "LATIN1" => bytes.iter().map(|&b| char::from(b)).collect(),
            other => {
                return Err(Failure::Resource(format!(
                    "teikit reads included text as UTF-8 or ISO-8859-1, not {other}"
                )))
            }
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        if let Some(c) = text.chars().find(|&c| !super::chars::is_xml_char(c)) {
            return Err(Failure::Resource(format!(
                "it holds U+{:04X}, which XML does not allow",
                c as u32
            )));
        }
        self.add(
            source.file,
            include.range().start,
            &super::escape(text).replace('\r', "&#13;"),
        );
        Ok(())
    }
}

/// The element `pointer` names: an `xml:id`, or an `element()` child sequence.
fn select<'a, 'd>(
    doc: &'a roxmltree::Document<'d>,
    pointer: &str,
) -> Option<roxmltree::Node<'a, 'd>> {
    let by_id = |id: &str| {
        doc.descendants()
            .find(|n| n.attribute((roxmltree::NS_XML_URI, "id")) == Some(id))
    };
    let Some(sequence) = pointer
        .strip_prefix("element(")
        .and_then(|r| r.strip_suffix(')'))
    else {
        return by_id(pointer);
    };
    let mut steps = sequence.split('/');
    let first = steps.next()?;
    let mut node = if first.is_empty() {
        doc.root()
    } else {
        by_id(first)?
    };
    for step in steps {
        let n: usize = step.parse().ok()?;
        node = node
            .children()
            .filter(roxmltree::Node::is_element)
            .nth(n.checked_sub(1)?)?;
    }
    node.is_element().then_some(node)
}

/// Why a file could not be read, in words.
fn unreadable(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "it does not exist".to_string(),
        _ => format!("it cannot be read: {error}"),
    }
}

fn is_xi(node: &roxmltree::Node, name: &str) -> bool {
    node.is_element() && node.tag_name().namespace() == Some(NS) && node.tag_name().name() == name
}

/// The namespace declarations written on `element`'s own start tag (`xmlns`, `xmlns:tei`).
fn own_namespace_declarations(text: &str, element: roxmltree::Node) -> Vec<String> {
    // The start tag is well-formed (the document was parsed): `<name (S attr S? = S? "value")* S? /?>`.
    let tag = &text[element.range().start..];
    let mut rest =
        tag[1..].trim_start_matches(|c: char| !c.is_whitespace() && c != '/' && c != '>');
    let mut declared = Vec::new();
    loop {
        rest = rest.trim_start();
        if rest.is_empty() || rest.starts_with(['/', '>']) {
            return declared;
        }
        let name_end = rest
            .find(|c: char| c.is_whitespace() || c == '=')
            .unwrap_or(rest.len());
        let name = &rest[..name_end];
        if name == "xmlns" || name.starts_with("xmlns:") {
            declared.push(name.to_string());
        }
        rest = rest[name_end..]
            .trim_start()
            .trim_start_matches('=')
            .trim_start();
        let Some(quote) = rest.chars().next() else {
            return declared;
        };
        rest = &rest[1..];
        rest = match rest.find(quote) {
            Some(close) => &rest[close + 1..],
            None => return declared,
        };
    }
}
