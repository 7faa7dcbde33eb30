//! A FRUS volume file, one TEI file holding every document of a volume, cut into one TEI text
//! per document so that each is rendered as its own page, like the documents of `build`'s
//! default profile.
//!
//! Each document's text is the volume's own up to its `body`'s content (the header, the `front`
//! with the lists of persons and terms), the page break last before the document where it
//! stands outside it, the document's `div`, and the volume's own from the end of the `body`'s
//! content (the `back`). Chapters and the other documents are left out; the chapter a
//! document stands in is returned beside it, for the volume's contents.

use std::path::{Path, PathBuf};

const TEI_NS: &str = "http://www.tei-c.org/ns/1.0";

/// One document of a volume file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitDocument {
    /// The document's `xml:id` (`d59`), or `dN` from its number, for its page's name.
    pub name: String,
    /// A TEI text holding this document alone.
    pub text: String,
    /// The head of the `div[@type='chapter']` it stands in, if any.
    pub chapter: Option<String>,
}

/// Why a volume file could not be cut into its documents.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct SplitError {
    /// The volume file.
    pub path: PathBuf,
    /// What went wrong.
    pub message: String,
}

/// Cuts the volume file `text` into its documents.
///
/// ```
/// use teikit::publish::split::split_volume;
/// let volume = r#"<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader/><text><body>
///   <div type="chapter"><head>Korea</head><pb n="1"/>
///     <div type="document" n="1" xml:id="d1"><p>One</p></div>
///     <div type="document" n="2" xml:id="d2"><p>Two</p></div></div>
/// </body></text></TEI>"#;
/// let documents = split_volume(std::path::Path::new("v.xml"), volume).unwrap();
/// assert_eq!(documents.len(), 2);
/// assert_eq!(documents[0].chapter.as_deref(), Some("Korea"));
/// assert!(documents[0].text.contains(r#"<pb n="1"/>"#) && !documents[0].text.contains("Two"));
/// ```
pub fn split_volume(path: &Path, text: &str) -> Result<Vec<SplitDocument>, SplitError> {
    let error = |message: String| SplitError {
        path: path.to_path_buf(),
        message,
    };
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(text, options)
        .map_err(|e| error(format!("not well-formed XML: {e}")))?;
    let body = doc
        .descendants()
        .find(|n| n.has_tag_name((TEI_NS, "body")))
        .ok_or_else(|| error("no TEI body".to_string()))?;
    let (Some(first), Some(last)) = (body.first_child(), body.last_child()) else {
        return Ok(Vec::new());
    };
    let (before, after) = (&text[..first.range().start], &text[last.range().end..]);
    let is_document = |n: &roxmltree::Node| {
        n.has_tag_name((TEI_NS, "div")) && n.attribute("type") == Some("document")
    };
    let mut documents = Vec::new();
    // One walk: the last page break outside any document, then each document as it comes.
    let mut page_break = "";
    for node in doc.descendants() {
        if node.has_tag_name((TEI_NS, "pb")) {
            if !node.ancestors().any(|a| is_document(&a)) {
                page_break = &text[node.range()];
            }
            continue;
        }
        // A document inside another (an attachment printed as its own) goes with its host.
        if !is_document(&node)
            || node.ancestors().skip(1).any(|a| is_document(&a))
            || !node.ancestors().any(|a| a == body)
        {
            continue;
        }
        let name = node
            .attribute(("http://www.w3.org/XML/1998/namespace", "id"))
            .map(str::to_string)
            .or_else(|| node.attribute("n").map(|n| format!("d{n}")))
            .unwrap_or_else(|| format!("d{}", documents.len() + 1));
        let chapter = node
            .ancestors()
            .find(|a| a.has_tag_name((TEI_NS, "div")) && a.attribute("type") == Some("chapter"))
            .and_then(|c| c.children().find(|h| h.has_tag_name((TEI_NS, "head"))))
            .map(super::volume::text_without_notes)
            .filter(|c| !c.is_empty());
        documents.push(SplitDocument {
            name,
            text: format!("{before}{page_break}{}{after}", &text[node.range()]),
            chapter,
        });
    }
    Ok(documents)
}
